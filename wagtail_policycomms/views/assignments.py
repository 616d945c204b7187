"""Admin screens of the communication plan: the assignments' filters, listing, export and
the views that scope editing by unit. Wired into Wagtail by ``viewsets.AssignmentViewSet``.

"Overdue" is computed (``Assignment.is_overdue``), never stored; the listing and the
export read it from the local date in ``POLICYCOMMS_TIME_ZONE``, once per request.
"""

from datetime import date

from django.contrib.admin.utils import unquote
from django.db import transaction
from django.db.models import F, Prefetch, ProtectedError
from django.shortcuts import get_object_or_404, redirect
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, PanelGroup
from wagtail.admin.ui.tables import Column, Table
from wagtail.snippets.views.snippets import DeleteView, EditView, IndexView, RevisionsCompareView

from ..exports import BOM
from ..formats import format_date, xlsx
from ..formats.text import for_xlsx
from ..formats.values import display_value
from ..models import (
    Assignment,
    AssignmentProgress,
    CommunicationPlan,
)
from ..models.plans import local_today
from ..permissions import assignment_permission_policy, forbidden, manages_plan
from ..restricted import RESTRICTED_DRAFT, hidden_page_ids, is_hidden_page
from .inspect import InspectView

TEMPLATES = "wagtail_policycomms/admin/assignments/"


def when_text(assignment):
    """The due date, or the plan's wording of the time frame when there is none."""
    return format_date(assignment.due_on) if assignment.due_on else assignment.time_frame


def lead_text(assignment):
    """The lead unit's name; the plan's wording; or the linked draft's drafting unit."""
    if assignment.lead_unit_id:
        return assignment.lead_unit.name
    if assignment.lead_unit_text:
        return assignment.lead_unit_text
    unit = assignment.responsible_unit
    return unit.name if unit else ""


def draft_text(assignment, user):
    """Per-draft items share the plan's wording: the draft tells them apart. A draft
    restricted as a whole reads ``restricted.RESTRICTED_DRAFT`` to staff who may not see
    it (``restricted.is_hidden_page``: one query per request, none per row)."""
    if not assignment.draft_policy_id:
        return ""
    if is_hidden_page(assignment.draft_policy_id, user):
        return str(RESTRICTED_DRAFT)
    return assignment.draft_policy.title


class DraftColumn(Column):
    """The linked draft's title, as ``draft_text`` writes it for the request's user."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["value"] = draft_text(instance, parent_context["request"].user)
        return context


def overdue_text(assignment, today):
    days = assignment.days_overdue(today)
    if days is None:
        return ""
    return ngettext("Overdue %(days)d day", "Overdue %(days)d days", days.days) % {
        "days": days.days
    }


# --- Listing ----------------------------------------------------------------------------------


class AssignmentTable(Table):
    """Overdue rows carry a class (a coloured bar) as well as the "Overdue" text."""

    def get_row_classname(self, instance):
        return "policycomms-overdue" if instance.is_overdue(getattr(self, "today", None)) else ""


class OverdueColumn(Column):
    """Status as text: "Overdue N days" for a late assignment, the status otherwise."""

    cell_template_name = TEMPLATES + "status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        today = parent_context.get("today") or local_today()
        context["overdue"] = overdue_text(instance, today)
        context["status"] = instance.get_status_display()
        return context


def assignment_columns():
    """The listing's columns after the title."""
    return [
        Column("reference", label=_("Item"), sort_key="reference"),
        DraftColumn("draft", label=_("Draft policy")),
        Column("lead", label=_("Lead unit"), accessor=lead_text, sort_key="lead_unit__name"),
        Column("due", label=_("Due"), accessor=when_text, sort_key="due_on"),
        OverdueColumn("status", label=_("Status"), sort_key="status"),
    ]


def latest_progress_prefetch():
    return Prefetch(
        "progress_notes",
        queryset=AssignmentProgress.objects.order_by("-date", "-sort_order", "-pk"),
        to_attr="progress_newest_first",
    )


#: Exported columns: key → heading. Values are built in ``AssignmentIndexView.to_row_dict``.
EXPORT_HEADINGS = {
    "reference": _("Item in the plan"),
    "plan": _("Plan"),
    "category": _("Activity"),
    "title": _("Title"),
    "lead_unit": _("Lead unit"),
    "coordinating_units": _("Coordinating units"),
    "draft_policy": _("Draft policy"),
    "starts_on": _("Start date"),
    "due": _("Due date or time frame"),
    "status": _("Status"),
    "overdue": _("Overdue"),
    "completed_on": _("Completion date"),
    "budget_estimated": _("Estimated budget (VND)"),
    "budget_spent": _("Budget spent (VND)"),
    "funding_source": _("Funding source"),
    "latest_progress": _("Latest progress note"),
}


#: The XLSX layout of the exported columns (``formats.xlsx``); the others are ``TEXT``.
EXPORT_XLSX_COLUMNS = {
    "reference": xlsx.CODE,
    "category": xlsx.SHORT_TEXT,
    "title": xlsx.ColumnSpec(40, wrap=True),
    "lead_unit": xlsx.SHORT_TEXT,
    "coordinating_units": xlsx.SHORT_TEXT,
    "starts_on": xlsx.DATE,
    "due": xlsx.ColumnSpec(16, wrap=True, number_format=xlsx.DATE_FORMAT),  # or the wording
    "status": xlsx.SHORT_TEXT,
    "overdue": xlsx.SHORT_TEXT,
    "completed_on": xlsx.DATE,
    "budget_estimated": xlsx.ColumnSpec(16),
    "budget_spent": xlsx.ColumnSpec(16),
    "funding_source": xlsx.SHORT_TEXT,
    "latest_progress": xlsx.LONG_TEXT,
}


class AssignmentIndexView(xlsx.SpreadsheetLayoutMixin, IndexView):
    """Assignments of the user's units first, then by due date (no date last). A fixed number
    of queries per page or export, however many rows."""

    table_class = AssignmentTable
    list_export = list(EXPORT_HEADINGS)
    export_headings = EXPORT_HEADINGS
    xlsx_columns = EXPORT_XLSX_COLUMNS
    export_filename = "nhiem-vu-ke-hoach"

    @cached_property
    def today(self):
        return local_today()

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        return (
            queryset.select_related("plan", "lead_unit", "draft_policy__drafting_unit")
            .prefetch_related("coordinating_units")
            .with_user_units_first(self.request.user)
        )

    def order_queryset(self, queryset):
        if self.is_explicitly_ordered and self.ordering:
            queryset = super().order_queryset(queryset)
            return queryset.order_by(*queryset.query.order_by, "pk")
        return queryset.order_by(
            F("is_mine").desc(), F("due_on").asc(nulls_last=True), "plan", "reference", "pk"
        )

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.is_export:
            queryset = queryset.prefetch_related(latest_progress_prefetch())
        return queryset

    @cached_property
    def columns(self):
        return super().columns + assignment_columns()

    @cached_property
    def list_display(self):
        return ["title"]

    def get_table(self, object_list):
        table = super().get_table(object_list)
        table.today = self.today
        return table

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = self.today
        return context

    def get_edit_url(self, instance):
        # Offered only on the assignments the user may edit (their own units'), without a
        # query per row: the user's units are read once.
        if self.edit_url_name and assignment_permission_policy.user_has_permission_for_instance(
            self.request.user, "change", instance
        ):
            return super().get_edit_url(instance)
        return None

    def get_delete_url(self, instance):
        if assignment_permission_policy.user_has_permission_for_instance(
            self.request.user, "delete", instance
        ):
            return super().get_delete_url(instance)
        return None

    # Export: one row per assignment, text cells made formula-safe.

    def to_row_dict(self, item):
        notes = getattr(item, "progress_newest_first", None)
        if notes is None:
            notes = list(item.progress_notes.order_by("-date", "-sort_order", "-pk")[:1])
        latest = notes[0] if notes else None
        row = {
            "reference": item.reference,
            "plan": str(item.plan),
            "category": item.get_category_display(),
            "title": item.title,
            "lead_unit": lead_text(item),
            "coordinating_units": ", ".join(u.name for u in item.coordinating_units.all()),
            "draft_policy": draft_text(item, self.request.user),
            "starts_on": item.starts_on,
            "due": item.due_on or item.time_frame,
            "status": item.get_status_display(),
            "overdue": overdue_text(item, self.today),
            "completed_on": item.completed_on,
            "budget_estimated": item.budget_estimated,
            "budget_spent": item.budget_spent,
            "funding_source": item.funding_source,
            "latest_progress": f"{format_date(latest.date)}: {latest.note}" if latest else "",
        }
        return {
            key: for_xlsx(value) if isinstance(value, str) else value for key, value in row.items()
        }

    def stream_csv(self, queryset):
        # A BOM first, as in the comment exports, so Excel reads Vietnamese as UTF-8. Rows are
        # written after the view returns, without the user's admin language: carry it along.
        language = translation.get_language()
        rows = super().stream_csv(queryset)

        def generate():
            with translation.override(language):
                yield BOM
                yield from rows

        return generate()

    def preprocess_field_value(self, field, value, export_format):
        if isinstance(value, date) and export_format == self.FORMAT_CSV:
            return format_date(value)
        return super().preprocess_field_value(field, value, export_format)


class AssignmentInspectView(InspectView):
    """The linked draft as ``draft_text`` writes it for the user."""

    def get_draft_policy_display_value(self):
        if self.object.draft_policy_id is None:
            return display_value(None, None)
        return draft_text(self.object, self.request.user)


def links_hidden_draft(assignment, user):
    """Whether ``assignment``, now or in any of its revisions, links a draft ``user`` may not
    see (``restricted.hidden_page_ids``): one query for its revisions, none when nothing is
    hidden from the user."""
    hidden = hidden_page_ids(user)
    if not hidden:
        return False
    if assignment.draft_policy_id in hidden:
        return True
    contents = assignment.revisions.values_list("content", flat=True)
    return any((content or {}).get("draft_policy") in hidden for content in contents)


def without_field(panel, field_name):
    """A copy of the panel tree ``panel`` (unbound) without the ``FieldPanel`` of
    ``field_name``."""
    if isinstance(panel, FieldPanel) and panel.field_name == field_name:
        return None
    if isinstance(panel, PanelGroup):
        kwargs = panel.clone_kwargs()
        kwargs["children"] = [
            child
            for child in (without_field(child, field_name) for child in panel.children)
            if child is not None
        ]
        return panel.__class__(**kwargs)
    return panel.clone()


class AssignmentRevisionsCompareView(RevisionsCompareView):
    """Wagtail's comparison of two revisions, without the linked draft when one of them (or
    the assignment now) links a draft the user may not see: the comparison names it."""

    def get_edit_handler(self):
        edit_handler = super().get_edit_handler()
        if not links_hidden_draft(self.object, self.request.user):
            return edit_handler
        return without_field(edit_handler, "draft_policy").bind_to_model(self.model)


# --- Editing ----------------------------------------------------------------------------------


class UnitScopedMixin:
    """Editing or deleting one assignment needs the policy's instance check (the user's unit
    leads it); a refusal is a real 403 page.

    The check reads the assignment as stored, never the object the view will edit: a
    revert view's object is the old revision, which may name another lead unit.
    """

    instance_action = "change"

    def dispatch(self, request, *args, **kwargs):
        stored = get_object_or_404(Assignment, pk=unquote(str(kwargs["pk"])))
        if not assignment_permission_policy.user_has_permission_for_instance(
            request.user, self.instance_action, stored
        ):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class PlanManagersOnlyMixin:
    """Reverting an assignment to an earlier revision restores the plan's terms with it
    (deadline, lead unit: ``forms.PLAN_TERMS``), which only those who manage the plan may
    change; a drafting unit edits its progress instead."""

    def dispatch(self, request, *args, **kwargs):
        if not manages_plan(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class AssignmentEditView(UnitScopedMixin, EditView):
    pass


class AssignmentDeleteView(UnitScopedMixin, DeleteView):
    instance_action = "delete"


class PlanDeleteView(DeleteView):
    """A plan that still has assignments is kept (PROTECT): the page says why and offers no
    delete button. Counted from the assignments themselves, not Wagtail's reference index,
    which may lag (assignments loaded by a command)."""

    @cached_property
    def assignment_count(self):
        return self.object.assignments.count()

    @property
    def protected_message(self):
        return ngettext(
            "The plan '%(plan)s' cannot be deleted: %(count)d assignment belongs to it. "
            "Delete it or move it to another plan first.",
            "The plan '%(plan)s' cannot be deleted: %(count)d assignments belong to it. "
            "Delete them or move them to another plan first.",
            self.assignment_count,
        ) % {"plan": self.object, "count": self.assignment_count}

    def form_valid(self, form):
        if not self.assignment_count:
            try:
                with transaction.atomic():
                    return super().form_valid(form)
            except ProtectedError:  # an assignment was added meanwhile
                del self.assignment_count
        messages.error(self.request, self.protected_message)
        return redirect(self.get_delete_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.assignment_count:
            context["is_protected"] = True
            context["protected_message"] = self.protected_message
        return context


def refuse_deleting_plans_in_use(request, instances):
    """``before_delete_snippet`` hook: the bulk delete too keeps plans that have assignments,
    with a message naming them rather than Wagtail's generic refusal."""
    plans = [obj for obj in instances if isinstance(obj, CommunicationPlan)]
    if request.method != "POST" or not plans:
        return None
    in_use = CommunicationPlan.objects.filter(
        pk__in=[p.pk for p in plans], assignments__isnull=False
    )
    names = sorted({str(plan) for plan in in_use})
    if not names:
        return None
    messages.error(
        request,
        ngettext(
            "Not deleted: assignments belong to the plan %(plans)s. "
            "Delete them or move them to another plan first.",
            "Not deleted: assignments belong to the plans %(plans)s. "
            "Delete them or move them to another plan first.",
            len(names),
        )
        % {"plans": "; ".join(names)},
    )
    return redirect(CommunicationPlan.snippet_viewset.get_url_name("list"))


def plan_assignments_label(plan):
    count = getattr(plan, "assignment_count", None)
    if count is None:
        count = plan.assignments.count()
    return ngettext("%(count)d assignment", "%(count)d assignments", count) % {"count": count}
