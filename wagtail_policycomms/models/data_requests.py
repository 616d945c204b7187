"""Data-subject requests under Law 91/2025/QH15 (docs/data-requests.md).

A person asks to see, have a copy of, correct or delete what the portal holds about their
email address, or withdraws consent or objects. The request is a record with its legal
deadlines: acknowledged within ``POLICYCOMMS_DSR_ACKNOWLEDGE_DAYS`` working days (Monday to
Friday; public holidays are not known to the package) and completed within
``POLICYCOMMS_DSR_COMPLETE_DAYS`` calendar days of its receipt, both counted in local
calendar days on the department's clock (``conf.local_zone()``). What is done for it lives
in ``privacy.requests``; the staff screens in ``views.data_requests``.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..conf import local_zone, policycomms_settings
from ..formats.text import normalise_email
from .plans import local_today


class RequestKind(models.TextChoices):
    """The data subject's rights of Law 91/2025/QH15 that a request exercises."""

    ACCESS = "access", _("Access: see the personal data held")
    COPY = "copy", _("Copy: receive the personal data as a file")
    CORRECTION = "correction", _("Correction of personal data")
    DELETION = "deletion", _("Deletion or anonymisation of personal data")
    RESTRICTION = "restriction", _("Restriction of processing")
    WITHDRAW_CONSENT = "withdraw_consent", _("Withdrawal of consent")
    OBJECTION = "objection", _("Objection to processing")


class RequestSource(models.TextChoices):
    STAFF = "staff", _("Entered by staff")
    PORTAL = "portal", _("Portal (email verified)")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")


#: Statuses of a request still to answer: only these can be overdue.
OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


def add_working_days(day, count):
    """``day`` plus ``count`` working days (Monday to Friday)."""
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def acknowledge_by(received_day):
    return add_working_days(received_day, policycomms_settings.DSR_ACKNOWLEDGE_DAYS)


def complete_by(received_day):
    return received_day + timedelta(days=policycomms_settings.DSR_COMPLETE_DAYS)


def _local_midnight(day):
    return datetime.combine(day, time.min, tzinfo=local_zone())


def overdue_q(today=None):
    """Open, and past its completion deadline, or not acknowledged past that deadline.

    The SQL form of ``DataSubjectRequest.is_overdue``: change both together. A request
    received on local day D is overdue on day T when D + period < T, so when it was received
    before local midnight of the first day D' whose deadline is not yet past.
    """
    today = today or local_today()
    complete_from = today - timedelta(days=policycomms_settings.DSR_COMPLETE_DAYS)
    # The first received day whose acknowledgement deadline is today or later.
    first = today
    while acknowledge_by(first - timedelta(days=1)) >= today:
        first -= timedelta(days=1)
    return Q(status__in=OPEN_STATUSES) & (
        Q(received_at__lt=_local_midnight(complete_from))
        | Q(acknowledged_at__isnull=True, received_at__lt=_local_midnight(first))
    )


class DataSubjectRequestQuerySet(models.QuerySet):
    def overdue(self, today=None):
        return self.filter(overdue_q(today))

    def for_email(self, email):
        return self.filter(email=normalise_email(email))


class DataSubjectRequest(models.Model):
    """One request from a data subject, identified by their email address."""

    email = models.EmailField(
        _("email"),
        max_length=254,
        db_index=True,
        help_text=_("The data subject's address: what the portal holds under it is searched."),
    )
    kind = models.CharField(_("request"), max_length=30, choices=RequestKind.choices)
    source = models.CharField(
        _("source"), max_length=20, choices=RequestSource.choices, default=RequestSource.STAFF
    )
    details = models.TextField(_("the person's message"), blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    verified_at = models.DateTimeField(
        _("identity verified at"),
        null=True,
        blank=True,
        help_text=_("Set by the portal when the person confirms by the emailed link."),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    notes = models.TextField(_("staff notes"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DataSubjectRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["-received_at"]
        default_permissions = ()
        permissions = [("handle_data_requests", "Can handle data-subject requests")]

    def __str__(self):
        # No personal data: this is the label of every audit entry (ModelLogEntry.label).
        return _("Request %(number)s") % {"number": self.pk or "—"}

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    @property
    def received_on(self):
        return local_today(self.received_at)

    @property
    def acknowledge_by(self):
        """The last local day to acknowledge the request."""
        return acknowledge_by(self.received_on)

    @property
    def complete_by(self):
        """The last local day to complete the request."""
        return complete_by(self.received_on)

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    def is_overdue_on(self, today):
        if not self.is_open:
            return False
        if today > self.complete_by:
            return True
        return self.acknowledged_at is None and today > self.acknowledge_by

    @property
    def is_overdue(self):
        return self.is_overdue_on(local_today())
