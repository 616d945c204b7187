"""Panels on the Wagtail dashboard (``construct_homepage_panels`` hook).

For moderators: pending comments, consultations closing within a week, and closed
consultations whose approved comments still have no answer. For members of a unit:
their units' overdue and due-soon assignments. For those who read the reports: the
year's compliance. A fixed number of queries each, whatever the number of rows.
"""

from datetime import timedelta

from django.contrib.admin.utils import quote
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.ui.components import Component

from ..conf import policycomms_settings
from ..filters import request_user
from ..models import (
    Assignment,
    ConsultationPage,
    ConsultationStatus,
    counts,
    local_today,
)
from ..models.base import Page
from ..models.plans import overdue_q
from ..permissions import can_moderate, can_view_compliance_report, user_unit_ids
from ..restricted import without_hidden
from .answers import queue_url
from .assignments import draft_text, overdue_text

#: Consultations listed per table; the rest are counted.
LIMIT = 10
CLOSING_WITHIN = timedelta(days=7)


def add_moderation_panel(request, panels):
    if can_moderate(request.user):
        panels.append(ModerationPanel())


class ModerationPanel(Component):
    name = "policycomms_moderation"
    template_name = "wagtail_policycomms/admin/dashboard/moderation_panel.html"
    order = 90  # before Wagtail's own panels: this is the moderators' work list

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        now = timezone.now()
        # Cached counts (``counts``): the same queries with a thousand comments or a
        # million; counted again only after moderation, an answer or
        # POLICYCOMMS_COUNTS_CACHE_SECONDS.
        pending = counts.pending_count()
        closing = list(
            ConsultationPage.objects.live()
            .with_status(ConsultationStatus.OPEN, now)
            .filter(closes_at__lte=now + CLOSING_WITHIN)
            .order_by("closes_at", "pk")
            .values("pk", "title", "path", "closes_at")[: LIMIT + 1]
        )
        awaiting = counts.awaiting_answer_counts()
        unanswered = list(
            without_hidden(
                ConsultationPage.objects.filter(pk__in=list(awaiting), closes_at__lte=now),
                request_user(parent_context.get("request")),
            )
            .order_by("closes_at", "pk")
            .values("pk", "title", "path", "closes_at")[: LIMIT + 1]
        )
        rows_closing = [
            {"pk": c["pk"], "title": c["title"], "path": c["path"], "closes_at": c["closes_at"]}
            for c in closing[:LIMIT]
        ]
        rows_unanswered = [{**row, "count": awaiting[row["pk"]]} for row in unanswered[:LIMIT]]
        self.add_drafts(rows_closing + rows_unanswered)
        context.update(
            pending_count=pending,
            queue_url=queue_url(),
            closing=rows_closing,
            closing_more=len(closing) > LIMIT,
            unanswered=rows_unanswered,
            unanswered_more=len(unanswered) > LIMIT,
            closing_days=CLOSING_WITHIN.days,
            charts=recent_comment_charts(local_today()),
            charts_days=CHART_DAYS,
        )
        return context

    @staticmethod
    def add_drafts(rows):
        """Each consultation's draft policy title (rounds are often named alike), one query."""
        parent_paths = {row["path"][: -Page.steplen] for row in rows}
        titles = dict(
            Page.objects.filter(path__in=parent_paths).values_list("path", "title")
            if parent_paths
            else []
        )
        for row in rows:
            row["draft_title"] = titles.get(row["path"][: -Page.steplen], "")
            row["edit_url"] = reverse("wagtailadmin_pages:edit", args=[row["pk"]])


#: The moderators' charts cover the comments received in this many days, today included.
CHART_DAYS = 30


def recent_comment_charts(today):
    """Comments received per day and per commenter type, site-wide, in the last
    ``CHART_DAYS`` local days (``formats.charts``): two grouped queries."""
    from ..formats.charts import bar_chart, counts_per_day, daily_chart, local_bounds
    from ..models import CommenterType, PublicComment
    from ..models.comments import RECEIVED

    first = today - timedelta(days=CHART_DAYS - 1)
    received = PublicComment.objects.filter(RECEIVED).order_by()
    since, until = local_bounds(first, today)

    def figures():
        # Cached (``counts.site_figures``): a warm dashboard reads no comment.
        by_type = (
            received.filter(submitted_at__gte=since, submitted_at__lt=until)
            .values_list("commenter_type")
            .annotate(n=Count("pk"))
        )
        return counts_per_day(received, "submitted_at", first, today), dict(by_type)

    days, by_type = counts.site_figures(f"recent:{today.isoformat()}", figures)
    return [
        daily_chart(
            "pc-dashboard-days",
            ngettext(
                "Comments received per day, last %(days)s day",
                "Comments received per day, last %(days)s days",
                CHART_DAYS,
            )
            % {"days": CHART_DAYS},
            days,
        ),
        bar_chart(
            "pc-dashboard-types",
            ngettext(
                "Comments received per commenter type, last %(days)s day",
                "Comments received per commenter type, last %(days)s days",
                CHART_DAYS,
            )
            % {"days": CHART_DAYS},
            [(label, by_type.get(code, 0)) for code, label in CommenterType.choices],
            label_heading=_("Commenter type"),
        ),
    ]


# --- The plan's panels: the user's units' assignments, compliance this year ------------------

#: Assignments listed in the units' panel; the rest are counted.
ASSIGNMENT_LIMIT = 10


def assignment_edit_url(pk):
    """The assignment's edit view, if the assignment admin is registered (else None)."""
    viewset = getattr(Assignment, "snippet_viewset", None)
    if viewset is None:
        return None
    return reverse(viewset.get_url_name("edit"), args=[quote(pk)])


def add_plan_panels(request, panels):
    unit_ids = list(user_unit_ids(request.user))
    if unit_ids:
        panels.append(UnitAssignmentsPanel(unit_ids))
    if can_view_compliance_report(request.user):
        panels.append(CompliancePanel())


def due_text(assignment, today):
    """Overdue is said in words (as in the listing), not only shown in colour."""
    if assignment.is_overdue(today):
        return overdue_text(assignment, today)
    days = (assignment.due_on - today).days
    if days == 0:
        return _("Due today")
    return ngettext("Due in %(days)s day", "Due in %(days)s days", days) % {"days": days}


class UnitAssignmentsPanel(Component):
    """Overdue and due-soon assignments that the user's units lead or coordinate; "lead" is
    the lead unit, or the drafting unit of the linked draft when the plan names no unit.
    Three queries, whatever the number of assignments."""

    name = "policycomms_unit_assignments"
    template_name = "wagtail_policycomms/admin/dashboard/unit_assignments_panel.html"
    order = 85

    def __init__(self, unit_ids):
        self.unit_ids = unit_ids

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        today = local_today()
        soon = today + timedelta(days=policycomms_settings.DUE_SOON_DAYS)
        due = (
            Assignment.objects.open()
            .involving(self.unit_ids)
            .filter(due_on__isnull=False, due_on__lte=soon)
        )
        counts = due.aggregate(
            overdue=Count("pk", filter=overdue_q(today)),
            due_soon=Count("pk", filter=Q(due_on__gte=today)),
        )
        assignments = list(
            due.select_related("plan", "lead_unit", "draft_policy__drafting_unit").order_by(
                "due_on", "pk"
            )[:ASSIGNMENT_LIMIT]
        )
        rows = []
        for assignment in assignments:
            responsible = assignment.responsible_unit
            rows.append(
                {
                    "assignment": assignment,
                    "edit_url": assignment_edit_url(assignment.pk),
                    "unit": responsible,
                    "is_lead": responsible is not None and responsible.pk in self.unit_ids,
                    "overdue": assignment.is_overdue(today),
                    "due_text": due_text(assignment, today),
                    "draft_text": draft_text(
                        assignment, request_user(parent_context.get("request"))
                    ),
                }
            )
        context.update(
            rows=rows,
            overdue_count=counts["overdue"],
            due_soon_count=counts["due_soon"],
            more=counts["overdue"] + counts["due_soon"] > len(rows),
            due_soon_days=policycomms_settings.DUE_SOON_DAYS,
        )
        return context


class CompliancePanel(Component):
    """This year's share of major-impact policies communicated (from ``reports.data``)."""

    name = "policycomms_compliance"
    template_name = "wagtail_policycomms/admin/dashboard/compliance_panel.html"
    order = 95

    def get_context_data(self, parent_context):
        from ..reports import data
        from ..reports.views import compliance_summary_text

        context = super().get_context_data(parent_context)
        summary = data.compliance_summary(data.current_year())
        context.update(
            summary=summary,
            summary_text=compliance_summary_text(summary),
            report_url=reverse("wagtail_policycomms_admin:report_compliance")
            + f"?year={summary.year}",
        )
        return context
