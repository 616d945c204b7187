"""What changed and why: one published version of a draft's text against another.

- ``compare``: the articles of two versions matched by block id (added, removed,
  moved, changed, unchanged), with a word-level diff of each changed one
  (``formats.diff``); restricted articles are left out of both versions.
- ``data``: which versions may be compared (those that were published), the version
  put to each round (``ConsultationPage.draft_revision``, recorded when the round is
  published) and the default pair, and the comments of the earlier round on each
  changed article with their published answers, in a fixed number of queries.

The public page is the draft's ``changes/`` sub-URL (``AbstractDraftPolicyPage.changes``).
"""
