"""The plan's reports: compliance for a year, the periodic report to the Department of
Justice (Sở Tư pháp) and assignments by unit and status.

``data`` computes every figure (the single source for the pages, the exports and the
dashboard panels), ``access`` says who may see which report, ``views`` renders them
and ``urls`` lists the admin URLs.
"""
