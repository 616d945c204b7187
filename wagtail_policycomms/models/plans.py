"""The communication plan and its assignments, tracked by the Inspectorate (Thanh tra Sở).

A plan (kế hoạch) lists activities, each with a lead unit, coordinating units and
a time frame. Each activity, or each activity for one draft policy, is an
``Assignment``. Both are snippets with revisions, so every change has a history.

"Overdue" is never stored: it is computed from the due date and the local date
in ``POLICYCOMMS_TIME_ZONE`` (``local_today``). It is one rule in two forms:
``overdue_q`` for SQL (``AssignmentQuerySet.overdue``) and ``Assignment.is_overdue``
(with ``days_overdue``) for an instance, each pointing at the other. Other code asks
these and never compares due dates itself.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.documents import get_document_model_string
from wagtail.models import Orderable, RevisionMixin

from ..conf import local_zone


def local_today(moment=None):
    """Today in the department's time zone: due dates are local calendar dates."""
    return timezone.localdate(moment or timezone.now(), local_zone())


class AssignmentCategory(models.TextChoices):
    """The activities of section II of the plan."""

    DISSEMINATE = "disseminate", _("Disseminate the rules and train staff")
    CONTENT = "content", _("Build communication content")
    FORMS = "forms", _("Run communication forms")
    FEEDBACK = "feedback", _("Receive and process feedback")
    CENTRAL = "central", _("Coordinate central-government policies")
    OTHER = "other", _("Other")


class AssignmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


#: Statuses in which an assignment is still to do, so can be overdue.
OPEN_STATUSES = (AssignmentStatus.NOT_STARTED, AssignmentStatus.IN_PROGRESS)


class CommunicationPlan(RevisionMixin, models.Model):
    """A plan such as "Kế hoạch …/KH-SKHCN" carrying out Decision 407/QĐ-TTg for a year."""

    number = models.CharField(
        _("number and symbol"),
        max_length=64,
        blank=True,
        help_text=_('As on the signed document, for example "35/KH-SKHCN".'),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=500)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("signed document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("communication plan")
        verbose_name_plural = _("communication plans")
        ordering = ["-year", "title"]

    def __str__(self):
        label = f"{self.number} – {self.title}" if self.number else self.title
        return f"{label} ({self.year})"


def overdue_q(today=None):
    """Still to do, and the due date (a local calendar date) has passed.

    The SQL form of ``Assignment.is_overdue``: change both together.
    """
    return Q(status__in=OPEN_STATUSES, due_on__lt=today or local_today())


def led_by_q(units):
    """Led by one of ``units`` (ids or a queryset): the lead unit, or, when the plan names the
    lead by role, the linked draft's drafting unit."""
    return Q(lead_unit__in=units) | Q(lead_unit__isnull=True, draft_policy__drafting_unit__in=units)


def involving_q(units):
    """Led or coordinated by one of ``units``, without a join that would repeat rows."""
    coordinated = Assignment.coordinating_units.through.objects.filter(unit__in=units)
    return led_by_q(units) | Q(pk__in=coordinated.values("assignment_id"))


class AssignmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None):
        return self.filter(overdue_q(today))

    def due_within(self, days, today=None):
        """Still to do, due today or within the next ``days`` days (not yet overdue)."""
        today = today or local_today()
        return self.open().filter(due_on__gte=today, due_on__lte=today + timedelta(days=days))

    def led_by(self, units):
        return self.filter(led_by_q(units))

    def involving(self, units):
        return self.filter(involving_q(units))

    def for_unit(self, unit):
        """Led or coordinated by the unit."""
        return self.involving([unit.pk])

    def for_user(self, user):
        """Led or coordinated by one of the user's units."""
        from .units import Unit

        return self.involving(Unit.objects.for_user(user).values("pk"))

    def with_user_units_first(self, user):
        """Annotate ``is_mine`` (led or coordinated by one of the user's units) for ordering."""
        from .units import Unit

        units = Unit.objects.for_user(user).values("pk")
        mine = Assignment.objects.filter(involving_q(units), pk=models.OuterRef("pk"))
        return self.annotate(is_mine=models.Exists(mine))


class Assignment(RevisionMixin, ClusterableModel):
    """One activity of a plan, given to a lead unit with coordinating units."""

    plan = models.ForeignKey(
        CommunicationPlan,
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    reference = models.CharField(
        _("item in the plan"),
        max_length=20,
        blank=True,
        help_text=_('The item\'s number in the plan, for example "II.2.1".'),
    )
    category = models.CharField(
        _("activity"),
        max_length=20,
        choices=AssignmentCategory.choices,
        default=AssignmentCategory.OTHER,
    )
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    lead_unit = models.ForeignKey(
        "wagtail_policycomms.Unit",
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        related_name="led_assignments",
        null=True,
        blank=True,
        help_text=_(
            "Leave empty when the plan names the lead by role (the drafting unit): "
            "a linked draft policy's drafting unit is then used."
        ),
    )
    lead_unit_text = models.CharField(
        _("lead unit as written in the plan"),
        max_length=255,
        blank=True,
        help_text=_('For example "Phòng, đơn vị được giao chủ trì soạn thảo".'),
    )
    coordinating_units = ParentalManyToManyField(
        "wagtail_policycomms.Unit",
        verbose_name=_("coordinating units"),
        related_name="coordinated_assignments",
        blank=True,
    )
    draft_policy = models.ForeignKey(
        "wagtail_policycomms.DraftPolicyPage",
        verbose_name=_("draft policy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
    )
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    time_frame = models.CharField(
        _("time frame"),
        max_length=255,
        blank=True,
        help_text=_(
            "When there is no due date, the plan's wording, for example \"Năm 2024, khi có "
            'hướng dẫn, yêu cầu của Sở Tư pháp".'
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.NOT_STARTED,
    )
    completed_on = models.DateField(_("completion date"), null=True, blank=True)
    budget_estimated = models.DecimalField(
        _("estimated budget (VND)"),
        max_digits=15,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_spent = models.DecimalField(
        _("budget spent (VND)"),
        max_digits=15,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    funding_source = models.CharField(
        _("funding source"),
        max_length=255,
        blank=True,
        help_text=_(
            "For example the regular annual budget (dự toán ngân sách thường xuyên, "
            "Circular 56/2023/TT-BTC)."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["due_on", "plan", "reference", "pk"]
        # An item of the plan once per plan, and once per draft policy it is done for
        # (two constraints: SQLite has no NULLS NOT DISTINCT). policycomms_load_plan
        # relies on them to be idempotent.
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "reference"],
                condition=~Q(reference="") & Q(draft_policy__isnull=True),
                name="policycomms_assignment_unique_item",
            ),
            models.UniqueConstraint(
                fields=["plan", "reference", "draft_policy"],
                condition=~Q(reference="") & Q(draft_policy__isnull=False),
                name="policycomms_assignment_unique_item_per_draft",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    def clean(self):
        super().clean()
        if self.starts_on and self.due_on and self.due_on < self.starts_on:
            raise ValidationError({"due_on": _("The due date is before the start date.")})
        if self.lead_unit_id is None and not self.lead_unit_text and self.draft_policy is None:
            raise ValidationError(
                {"lead_unit": _("Choose the lead unit, or write it as the plan names it.")}
            )

    def save(self, *args, **kwargs):
        if self.status == AssignmentStatus.DONE and self.completed_on is None:
            self.completed_on = local_today()
        elif self.status != AssignmentStatus.DONE:
            self.completed_on = None
        super().save(*args, **kwargs)

    @property
    def responsible_unit_id(self):
        """Like ``responsible_unit``; reads the draft only when the plan names the lead by role."""
        if self.lead_unit_id:
            return self.lead_unit_id
        if self.draft_policy_id:
            return self.draft_policy.drafting_unit_id
        return None

    @property
    def responsible_unit(self):
        """The lead unit, or the linked draft policy's drafting unit."""
        if self.lead_unit_id:
            return self.lead_unit
        if self.draft_policy_id:
            return self.draft_policy.drafting_unit
        return None

    def is_overdue(self, today=None):
        # The instance form of overdue_q(): change both together.
        return (
            self.status in OPEN_STATUSES
            and self.due_on is not None
            and self.due_on < (today or local_today())
        )

    is_overdue.boolean = True
    is_overdue.short_description = _("overdue")

    def days_overdue(self, today=None):
        return (today or local_today()) - self.due_on if self.is_overdue(today) else None

    @property
    def when(self):
        """The due date if any, else the plan's wording of the time frame."""
        return self.due_on or self.time_frame


class AssignmentProgress(Orderable):
    """A dated progress note (what was done, what is blocked)."""

    assignment = ParentalKey(Assignment, on_delete=models.CASCADE, related_name="progress_notes")
    date = models.DateField(_("date"), default=local_today)
    note = models.TextField(_("progress"))

    class Meta(Orderable.Meta):
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self):
        return f"{self.date}: {self.note[:60]}"


class AssignmentEvidence(Orderable):
    """A document showing the work was done (minutes, article, report)."""

    assignment = ParentalKey(
        Assignment, on_delete=models.CASCADE, related_name="evidence_documents"
    )
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(
        _("title"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty to use the document's own title."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")

    def __str__(self):
        return self.title or self.document.title
