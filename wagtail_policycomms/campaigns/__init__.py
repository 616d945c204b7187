"""Near-duplicate campaigns (issue 15): comments whose texts are nearly the same.

``signature`` turns a text into a fixed-size MinHash signature and its LSH band keys;
``grouping`` decides membership (``assign`` on submission, ``regroup`` for existing
comments). See ``docs/campaigns.md``.
"""
