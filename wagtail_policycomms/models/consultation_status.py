"""A consultation's status, computed from its dates: never stored.

The period is half-open: open from ``opens_at`` (included) until ``closes_at``
(excluded). Both are timezone-aware instants, so the answer does not depend on
the server's clock zone. ``status_at`` (one page) and ``status_q`` (a database
filter) are defined side by side so they cannot drift apart.
"""

from django.db.models import Q, TextChoices
from django.utils.translation import gettext_lazy as _


class ConsultationStatus(TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open for comments")
    CLOSED = "closed", _("Closed")


def status_at(opens_at, closes_at, moment):
    if moment < opens_at:
        return ConsultationStatus.UPCOMING
    if moment < closes_at:
        return ConsultationStatus.OPEN
    return ConsultationStatus.CLOSED


def status_q(status, moment, prefix=""):
    """A Q object selecting consultations with ``status`` at ``moment``."""
    opens_at, closes_at = f"{prefix}opens_at", f"{prefix}closes_at"
    if status == ConsultationStatus.UPCOMING:
        return Q(**{f"{opens_at}__gt": moment})
    if status == ConsultationStatus.OPEN:
        return Q(**{f"{opens_at}__lte": moment, f"{closes_at}__gt": moment})
    if status == ConsultationStatus.CLOSED:
        return Q(**{f"{closes_at}__lte": moment})
    raise ValueError(f"Unknown consultation status: {status!r}")
