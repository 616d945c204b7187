"""The figures of the plan's reports, computed in one place.

The report views, their CSV/XLSX exports and the dashboard panels all read these
functions, so a figure cannot differ between the page, the file and the panel.
Each function runs a fixed number of queries, however many drafts, comments or
assignments there are, and returns plain dataclasses.

The rules (also in the documentation):

- A **consultation round** counts when it is a live ConsultationPage directly below
  the draft and not an alias (``rounds()``).
- A draft **belongs to a period** (``drafts_in_period``) when a round opens in it, or
  a row of its communication log is dated in it, or, when it has neither a round nor
  a log row at all, it was first published in it (a never-published draft: its first
  saved revision). Aliases are left out; unpublished drafts count. Drafts restricted
  as a whole (state secrets) are left out: their content is never posted (Decree
  78/2025/NĐ-CP, art. 2), so the duty to communicate does not reach them, and a report
  read and printed by staff without the permission must not name them. Periods are
  local calendar dates in ``POLICYCOMMS_TIME_ZONE``.
- A draft is **communicated** (``COMMUNICATED``) when its communication log has at
  least one row (any date) and at least one round has opened (``opens_at`` at or
  before the moment of the report).
- Percentages are rounded down, so 100% means every policy.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, Coalesce, Left, Length
from django.utils import timezone
from wagtail.models import Revision

from ..conf import local_zone, policycomms_settings
from ..models import (
    Assignment,
    AssignmentStatus,
    CommenterType,
    CommunicationActivity,
    CommunicationChannel,
    CommunicationPlan,
    ConsultationPage,
    Disposition,
    DraftPolicyPage,
    PublicComment,
    Unit,
    channel_labels,
    local_today,
)
from ..models.base import Page  # the base page class, swapped or not (Wagtail 8)
from ..models.comments import PUBLISHED, RECEIVED
from ..models.plans import overdue_q

STEP = Page.steplen


# --- Periods --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Local calendar dates, both ends included."""

    start: date
    end: date

    @classmethod
    def year(cls, year):
        return cls(date(year, 1, 1), date(year, 12, 31))

    def bounds(self):
        """The aware instants [start, end + 1 day) on the local clock."""
        zone = local_zone()
        return (
            datetime.combine(self.start, time.min, zone),
            datetime.combine(self.end + timedelta(days=1), time.min, zone),
        )


def current_year():
    return local_today().year


def percent(part, whole):
    """Rounded down; None when there is nothing to divide by."""
    return part * 100 // whole if whole else None


# --- The rules ------------------------------------------------------------------------------


def rounds():
    """Consultation rounds that count: live, not aliases; ``parent_path`` is the draft's path."""
    return (
        ConsultationPage.objects.live()
        .filter(alias_of__isnull=True)
        .annotate(parent_path=Left("path", Length("path") - STEP))
    )


def _first_revision_at():
    page_type = ContentType.objects.get_for_model(Page)
    return Subquery(
        Revision.objects.filter(
            base_content_type=page_type,
            object_id=Cast(OuterRef("pk"), models.CharField()),
        )
        .order_by("created_at", "pk")
        .values("created_at")[:1]
    )


def drafts_in_period(period, *, first_published_fallback=True):
    """Draft policies that belong to ``period`` (the single definition; see the module doc).

    Without ``first_published_fallback`` only rounds opening and log rows dated in the
    period count ("drafts handled" in the report to the Department of Justice).
    """
    start, end = period.bounds()
    in_period = Q(
        Exists(rounds().filter(parent_path=OuterRef("path"), opens_at__gte=start, opens_at__lt=end))
    ) | Q(
        Exists(
            CommunicationActivity.objects.filter(
                page=OuterRef("pk"), date__gte=period.start, date__lte=period.end
            )
        )
    )
    drafts = DraftPolicyPage.objects.filter(alias_of__isnull=True, classification="")
    if first_published_fallback:
        drafts = drafts.annotate(
            first_seen_at=Coalesce("first_published_at", _first_revision_at()),
        )
        in_period |= Q(
            ~Exists(rounds().filter(parent_path=OuterRef("path"))),
            ~Exists(CommunicationActivity.objects.filter(page=OuterRef("pk"))),
            first_seen_at__gte=start,
            first_seen_at__lt=end,
        )
    return drafts.filter(in_period)


def drafts_in_year(year):
    """Draft policies that belong to a calendar year (local time)."""
    return drafts_in_period(Period.year(year))


#: The rule, for drafts annotated by ``with_communication`` (see the module doc).
COMMUNICATED = Q(has_opened_round=True, has_activity=True)


def with_communication(drafts, moment=None):
    """Annotate ``has_opened_round`` and ``has_activity`` as of ``moment``, and
    ``communicated`` (``COMMUNICATED`` as a column, for rows)."""
    moment = moment or timezone.now()
    return drafts.annotate(
        has_opened_round=Exists(
            rounds().filter(parent_path=OuterRef("path"), opens_at__lte=moment)
        ),
        has_activity=Exists(CommunicationActivity.objects.filter(page=OuterRef("pk"))),
    ).annotate(communicated=ExpressionWrapper(COMMUNICATED, output_field=models.BooleanField()))


# --- 1. Compliance for a year ---------------------------------------------------------------


@dataclass
class ComplianceRow:
    page_id: int
    title: str
    drafting_unit: str
    live: bool
    communicated: bool
    channels: list = field(default_factory=list)
    received: int = 0
    approved: int = 0
    answered: int = 0
    answers_published: int = 0

    @property
    def answered_percent(self):
        return percent(self.answered, self.approved)

    @property
    def channels_text(self):
        return ", ".join(str(label) for label in self.channels)


@dataclass
class ComplianceSummary:
    year: int
    in_scope: int
    communicated: int
    target: int

    @property
    def percent(self):
        return percent(self.communicated, self.in_scope)

    @property
    def target_met(self):
        return self.percent is not None and self.percent >= self.target


@dataclass
class ComplianceReport:
    summary: ComplianceSummary
    rows: list


def _channel_labels(values, labels):
    """The names of the codes ``values``, in the channels' order; ``labels`` is
    ``channel_labels()``, read once per report. A code without a row reads as itself."""
    order = {code: i for i, code in enumerate(labels)}
    ranked = sorted(values, key=lambda code: (order.get(code, len(order)), code))
    return [labels.get(code, code) for code in ranked]


def compliance_summary(year, moment=None):
    """Only the headline figures (two queries): for the dashboard panel."""
    drafts = with_communication(drafts_in_year(year).filter(major_social_impact=True), moment)
    counts = drafts.aggregate(in_scope=Count("pk"), communicated=Count("pk", filter=COMMUNICATED))
    return ComplianceSummary(
        year=year,
        in_scope=counts["in_scope"],
        communicated=counts["communicated"],
        target=policycomms_settings.COMPLIANCE_TARGET_PERCENT,
    )


def compliance_report(year, moment=None):
    """Every draft in scope for ``year`` with its figures, and the summary (four queries)."""
    drafts = list(
        with_communication(drafts_in_year(year).filter(major_social_impact=True), moment)
        .select_related("drafting_unit")
        .order_by("title", "pk")
    )
    channels = {}
    activities = (
        CommunicationActivity.objects.filter(page_id__in=[d.pk for d in drafts])
        .values_list("page_id", "channel")
        .distinct()
    )
    for page_id, channel in activities:
        channels.setdefault(page_id, set()).add(channel)
    labels = channel_labels() if channels else {}
    comments = _comment_figures_by_draft_path([d.path for d in drafts])
    rows = []
    for draft in drafts:
        figures = comments.get(draft.path, {})
        rows.append(
            ComplianceRow(
                page_id=draft.pk,
                title=draft.title,
                drafting_unit=str(draft.drafting_unit),
                live=draft.live,
                communicated=bool(draft.communicated),
                channels=_channel_labels(channels.get(draft.pk, ()), labels),
                received=figures.get("received", 0),
                approved=figures.get("approved", 0),
                answered=figures.get("answered", 0),
                answers_published=figures.get("answers_published", 0),
            )
        )
    summary = ComplianceSummary(
        year=year,
        in_scope=len(rows),
        communicated=sum(row.communicated for row in rows),
        target=policycomms_settings.COMPLIANCE_TARGET_PERCENT,
    )
    return ComplianceReport(summary=summary, rows=rows)


def _comment_figures_by_draft_path(paths):
    """Comment counts on every consultation below each draft, keyed by the draft's path."""
    if not paths:
        return {}
    answered = PUBLISHED & Q(response__isnull=False)
    rows = (
        PublicComment.objects.annotate(
            draft_path=Left("consultation__path", Length("consultation__path") - STEP)
        )
        .filter(draft_path__in=paths)
        .values("draft_path")
        .annotate(
            received=Count("pk", filter=RECEIVED),
            approved=Count("pk", filter=PUBLISHED),
            answered=Count("pk", filter=answered),
            answers_published=Count("pk", filter=answered & Q(response__is_published=True)),
        )
        .order_by()
    )
    return {row.pop("draft_path"): row for row in rows}


# --- 2. The periodic report to the Department of Justice ------------------------------------


@dataclass
class PeriodicReport:
    period: Period
    plans: list  # CommunicationPlan instances of the period's years
    channels: list  # (value, label, count) for every channel, zeros included
    drafts_handled: int
    in_scope: int
    communicated: int
    comments_by_type: list  # (value, label, count) for every commenter type
    comments_published: int
    accepted: int
    explained: int
    not_applicable: int
    not_answered: int
    budget_spent: Decimal
    target: int = 100

    @property
    def activities_total(self):
        return sum(count for _value, _label, count in self.channels)

    @property
    def comments_total(self):
        return sum(count for _value, _label, count in self.comments_by_type)

    @property
    def communicated_percent(self):
        return percent(self.communicated, self.in_scope)


def _channel_counts(activity_counts):
    """(code, name, count): every active channel, zeros included, in the channels' order;
    an inactive (or deleted) channel only when activities of the period used it."""
    rows = list(
        CommunicationChannel.objects.order_by("sort_order", "name").values_list(
            "code", "name", "is_active"
        )
    )
    counts = [
        (code, name, activity_counts.get(code, 0))
        for code, name, is_active in rows
        if is_active or activity_counts.get(code)
    ]
    known = {code for code, _name, _active in rows}
    counts += [(code, code, n) for code, n in sorted(activity_counts.items()) if code not in known]
    return counts


def budget_assignments(period):
    """The budget rule: assignments due or completed in the period, whatever their status."""
    return Assignment.objects.filter(
        Q(due_on__gte=period.start, due_on__lte=period.end)
        | Q(completed_on__gte=period.start, completed_on__lte=period.end)
    )


def periodic_report(period, moment=None):
    """The figures the Department of Justice asks for, over ``period`` (eight queries)."""
    start, end = period.bounds()
    activity_counts = dict(
        CommunicationActivity.objects.filter(
            page__alias_of__isnull=True, date__gte=period.start, date__lte=period.end
        )
        .values_list("channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    drafts = with_communication(
        drafts_in_period(period, first_published_fallback=False), moment
    ).aggregate(
        handled=Count("pk"),
        in_scope=Count("pk", filter=Q(major_social_impact=True)),
        communicated=Count("pk", filter=Q(major_social_impact=True) & COMMUNICATED),
    )
    comments = PublicComment.objects.received().filter(
        submitted_at__gte=start, submitted_at__lt=end
    )
    by_type = dict(comments.values_list("commenter_type").annotate(n=Count("pk")).order_by())
    answers = comments.aggregate(
        published=Count("pk", filter=PUBLISHED),
        accepted=Count(
            "pk",
            filter=Q(response__disposition__in=[Disposition.ACCEPTED, Disposition.PARTLY_ACCEPTED]),
        ),
        explained=Count("pk", filter=Q(response__disposition=Disposition.EXPLAINED)),
        not_applicable=Count("pk", filter=Q(response__disposition=Disposition.NOT_APPLICABLE)),
        not_answered=Count("pk", filter=Q(response__isnull=True)),
    )
    budget = budget_assignments(period).aggregate(total=Sum("budget_spent"))["total"]
    plans = list(
        CommunicationPlan.objects.filter(
            year__gte=period.start.year, year__lte=period.end.year
        ).order_by("year", "issued_on", "pk")
    )
    return PeriodicReport(
        period=period,
        plans=plans,
        channels=_channel_counts(activity_counts),
        drafts_handled=drafts["handled"],
        in_scope=drafts["in_scope"],
        communicated=drafts["communicated"],
        comments_by_type=[(t.value, t.label, by_type.get(t.value, 0)) for t in CommenterType],
        comments_published=answers["published"],
        accepted=answers["accepted"],
        explained=answers["explained"],
        not_applicable=answers["not_applicable"],
        not_answered=answers["not_answered"],
        budget_spent=budget or Decimal(0),
        target=policycomms_settings.COMPLIANCE_TARGET_PERCENT,
    )


# --- 3. Assignments by unit and status ------------------------------------------------------


@dataclass
class UnitAssignmentsRow:
    unit_id: int | None
    unit: str
    is_active: bool = True
    not_started: int = 0
    in_progress: int = 0
    done: int = 0
    cancelled: int = 0
    overdue: int = 0
    coordinated: int = 0

    @property
    def led_total(self):
        return self.not_started + self.in_progress + self.done + self.cancelled


def assignments_by_unit(assignments=None, today=None):
    """One row per active unit (and per inactive unit that has assignments), plus a row for
    assignments whose lead is only written as text. "Led" means the responsible unit: the
    lead unit, else the linked draft's drafting unit. Three queries."""
    today = today or local_today()
    assignments = Assignment.objects.all() if assignments is None else assignments
    led = (
        assignments.annotate(responsible=Coalesce("lead_unit_id", "draft_policy__drafting_unit_id"))
        .values("responsible")
        .annotate(
            **{status.value: Count("pk", filter=Q(status=status)) for status in AssignmentStatus},
            overdue=Count("pk", filter=overdue_q(today)),
        )
        .order_by()
    )
    led = {row.pop("responsible"): row for row in led}
    coordinated = dict(
        Assignment.coordinating_units.through.objects.filter(
            assignment__in=assignments.order_by().values("pk")
        )
        .values_list("unit_id")
        .annotate(n=Count("assignment_id", distinct=True))
        .order_by()
    )
    units = Unit.objects.filter(Q(is_active=True) | Q(pk__in=[*led, *coordinated])).order_by("name")
    rows = []
    for unit in units:
        rows.append(_unit_row(unit.pk, unit.name, unit.is_active, led.get(unit.pk), coordinated))
    if None in led:
        rows.append(_unit_row(None, "", True, led[None], coordinated))
    return rows


def _unit_row(unit_id, name, is_active, counts, coordinated):
    counts = counts or {}
    return UnitAssignmentsRow(
        unit_id=unit_id,
        unit=name,
        is_active=is_active,
        not_started=counts.get(AssignmentStatus.NOT_STARTED, 0),
        in_progress=counts.get(AssignmentStatus.IN_PROGRESS, 0),
        done=counts.get(AssignmentStatus.DONE, 0),
        cancelled=counts.get(AssignmentStatus.CANCELLED, 0),
        overdue=counts.get("overdue", 0),
        coordinated=coordinated.get(unit_id, 0) if unit_id else 0,
    )
