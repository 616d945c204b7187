"""Django format modules so that the Wagtail admin reads and shows dates as dd/mm/yyyy.

Wagtail's date pickers use ``WAGTAIL_DATE_FORMAT`` / ``WAGTAIL_DATETIME_FORMAT``, and
Wagtail's check ``wagtailadmin.E003`` requires that format among Django's input formats
for every admin language. Django's English formats read "05/06/2024" as 6 May, so a
portal that wants dd/mm/yyyy in the admin sets::

    FORMAT_MODULE_PATH = ["wagtail_policycomms.formats"]
    WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
    WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"

Only the input formats are defined here; everything else comes from Django's own
locale files. ISO dates (2024-06-05) are still accepted.
"""

DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 05/06/2024
    "%Y-%m-%d",  # 2024-06-05
    "%d-%m-%Y",  # 05-06-2024
    "%d.%m.%Y",  # 05.06.2024
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d",
]
