"""Django format modules so that the Wagtail admin reads and shows dates as dd/mm/yyyy.

Wagtail's date pickers use ``WAGTAIL_DATE_FORMAT`` / ``WAGTAIL_DATETIME_FORMAT``, and
Wagtail's check ``wagtailadmin.E003`` requires that format among Django's input formats
for every admin language. Django's English formats read "05/06/2024" as 6 May, so a
portal that wants dd/mm/yyyy in the admin sets::

    FORMAT_MODULE_PATH = ["wagtail_policycomms.formats"]
    WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
    WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"

Only the input formats are given to Django here; everything else comes from Django's
own locale files. ISO dates (2024-06-05) are still accepted.

This is also the one place that writes dates and times, on the department's clock
(``local_zone()``, ``POLICYCOMMS_TIME_ZONE``) whatever the server's: ``localtime``,
``format_date``, ``format_datetime`` (public pages), ``format_staff_datetime``
(moderation queue, inspect page, exports, reports, reminder emails) and
``format_datetime_attribute`` (every ``<time datetime>``). The template
filters in ``policycomms_tags`` wrap them. Keep the imports here light: Django imports
this module as the parent of the format modules.
"""

from django.utils import numberformat, timezone
from django.utils.formats import get_format

from ..conf import local_zone, policycomms_settings

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

# --- How the package writes dates and times ------------------------------------------------

#: Date and time on staff screens (moderation queue, inspect page, exports, reports,
#: reminder emails): the same as ``WAGTAIL_DATETIME_FORMAT`` above, so what a moderator
#: reads is what they type into the admin's date pickers.
STAFF_DATETIME_FORMAT = "%d/%m/%Y %H:%M"


def localtime(value):
    """An aware datetime on the department's clock; None (or "") gives None, naive as is."""
    if value is None or value == "":
        return None
    if not hasattr(value, "utcoffset") or timezone.is_naive(value):
        return value
    return timezone.localtime(value, local_zone())


def _format(value, fmt):
    local = localtime(value)
    return local.strftime(fmt) if local else ""


def format_date(value):
    """dd/mm/yyyy (``POLICYCOMMS_DATE_FORMAT``) of a date, or of a datetime on the local clock."""
    return _format(value, policycomms_settings.DATE_FORMAT)


def format_datetime(value):
    """The public pages' date and time (``POLICYCOMMS_DATETIME_FORMAT``, "%H:%M %d/%m/%Y")."""
    return _format(value, policycomms_settings.DATETIME_FORMAT)


def format_staff_datetime(value):
    """The staff screens' date and time: dd/mm/yyyy HH:MM (``STAFF_DATETIME_FORMAT``)."""
    return _format(value, STAFF_DATETIME_FORMAT)


def format_datetime_attribute(value):
    """The machine-readable value of ``<time datetime="…">``: ISO 8601 on the local clock.

    To the second, with the offset (``2026-11-01T08:00:00+07:00``): HTML allows at most
    three digits of a second's fraction, and Python's ``isoformat()`` writes six. A date
    gives ``2026-11-01``; None (or "") gives "".
    """
    local = localtime(value)
    if not local:
        return ""
    if hasattr(local, "hour"):
        return local.isoformat(timespec="seconds")
    return local.isoformat()


def format_count(value):
    """A count with the active language's thousands separator: 200.000 in Vietnamese.

    Grouped by threes whatever the locale says: Django's Vietnamese formats set no
    ``NUMBER_GROUPING``, so ``number_format`` would print 7500000."""
    return numberformat.format(
        value,
        get_format("DECIMAL_SEPARATOR"),
        grouping=3,
        thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )
