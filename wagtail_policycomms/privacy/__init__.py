"""Commenters' personal data: the rules the package follows under Law 91/2025/QH15.

``retention``: which comments' personal data is due for removal once their consultation
has closed, the purge (``policycomms_purge_personal_data``) and ``blanked_values``, what
removing a comment's personal data writes. ``requests``: data-subject requests, finding
everything held under an address, the person's copy, correcting and anonymising.
The privacy notice and its versions are a model (``models.privacy``).
"""
