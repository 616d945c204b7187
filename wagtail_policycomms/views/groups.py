"""Duplicate and campaign groups: one row per group, and actions on every member at once.

A group is the comments with the same normalised text (``text_hash``) on one
consultation. A group action is ONE call to ``moderation.moderate`` on the group's
queryset: one UPDATE and chunked audit entries. A group larger than
``MODERATION_BATCH_SIZE`` is handed to a background task that commits one batch at a
time (``tasks.moderate_group``): a 200,000-member campaign holds no lock for minutes
and the request does not wait for it.
"""

from django.contrib.admin.utils import quote
from django.db.models import Count, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from django_tasks import TaskResultStatus
from wagtail.admin import messages
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import ButtonsColumnMixin, Column, NumberColumn, TitleColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button, ButtonWithDropdown

from .. import moderation, tasks
from ..conf import policycomms_settings
from ..filters import CommentGroupFilterSet, consultation_label, draft_title_of, group_rows
from ..formats import format_count, format_staff_datetime
from ..forms import ManyModerationForm
from ..models import CommentStatus, ConsultationPage, PublicComment
from ..moderation import ACTIONS
from ..permissions import can_moderate
from ..restricted import without_hidden
from .answers import group_answer_url
from .comments import ModerationActionMixin

TEMPLATES = "wagtail_policycomms/admin/comments/"


def status_breakdown(row):
    """[(label, count)] of the statuses present in a group row."""
    return [
        (status.label, row[f"count_{status.value}"])
        for status in CommentStatus
        if row.get(f"count_{status.value}")
    ]


class GroupTitleColumn(ButtonsColumnMixin, TitleColumn):
    def __init__(self, *args, get_buttons, **kwargs):
        super().__init__(*args, **kwargs)
        self._get_buttons = get_buttons

    def get_buttons(self, instance, parent_context):
        return self._get_buttons(instance)


class BreakdownColumn(Column):
    cell_template_name = TEMPLATES + "breakdown_cell.html"

    def get_value(self, instance):
        return status_breakdown(instance)


class GroupPaginator(WagtailPaginator):
    """Counts groups, not comments, under the listing."""

    verbose_name = _("duplicate group")
    verbose_name_plural = _("duplicate groups")


class CommentGroupIndexView(PermissionCheckedMixin, BaseListingView):
    """The largest groups first; only groups of two or more unless asked otherwise."""

    any_permission_required = ["view"]
    model = PublicComment
    page_title = _("Duplicate groups")
    header_icon = "copy"
    template_name = "wagtailadmin/generic/listing.html"
    filterset_class = CommentGroupFilterSet
    default_ordering = "-size"
    paginate_by = 20
    index_url_name = None
    index_results_url_name = None
    list_url_name = None
    group_moderate_url_name = None
    verbose_name_plural = _("duplicate groups")
    paginator_class = GroupPaginator

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.list_url_name), "label": gettext("Comments")},
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def min_size(self):
        if self.filters and self.filters.is_valid():
            return max(int(self.filters.form.cleaned_data.get("min_size") or 2), 1)
        return 2

    def get_queryset(self):
        members = without_hidden(PublicComment.objects.all(), self.request.user, "consultation_id")
        members = self.filter_queryset(members)
        rows = group_rows(members).filter(size__gte=self.min_size)
        return self.order_queryset(rows)

    def order_queryset(self, queryset):
        return queryset.order_by(self.ordering, "-representative")

    def members_url(self, row):
        return (
            reverse(self.list_url_name)
            + "?"
            + urlencode({"group": row["representative"], "status": ""})
        )

    def group_buttons(self, row):
        if not can_moderate(self.request.user):
            return []
        next_url = self.request.get_full_path()
        buttons = [
            Button(
                action.label,
                url=reverse(self.group_moderate_url_name, args=(row["representative"], code))
                + "?"
                + urlencode({"next": next_url}),
                icon_name=action.icon,
                priority=index,
            )
            for index, (code, action) in enumerate(ACTIONS.items())
        ]
        # Moderators may answer any group; one answer covers every member.
        buttons.append(
            Button(
                gettext("Answer the whole group"),
                url=group_answer_url(row["consultation"], row["text_hash"])
                + "?"
                + urlencode({"next": next_url}),
                icon_name="comment",
                priority=len(buttons),
            )
        )
        return [
            ButtonWithDropdown(
                buttons=buttons,
                icon_name="dots-horizontal",
                attrs={"aria-label": gettext("Actions on the whole group")},
            )
        ]

    @cached_property
    def columns(self):
        return [
            GroupTitleColumn(
                "text",
                label=_("Comment"),
                get_url=self.members_url,
                get_buttons=self.group_buttons,
            ),
            Column("consultation_label", label=_("Consultation")),
            NumberColumn("size", label=_("Comments in the group"), sort_key="size"),
            BreakdownColumn("breakdown", label=_("Status")),
            Column("first", label=_("First sent"), sort_key="first"),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.decorate(context["object_list"])
        return context

    def decorate(self, rows):
        """Texts and consultation names of the page's groups: two queries, whatever the page."""
        rows = list(rows)
        bodies = dict(
            PublicComment.objects.filter(
                pk__in=[row["representative"] for row in rows]
            ).values_list("pk", "body")
        )
        consultations = {
            c.pk: consultation_label(c)
            for c in ConsultationPage.objects.filter(
                pk__in={row["consultation"] for row in rows}
            ).annotate(policy_title=draft_title_of(OuterRef("path")))
        }
        for row in rows:
            row["text"] = Truncator(bodies.get(row["representative"], "")).chars(140)
            row["consultation_label"] = consultations.get(row["consultation"], "")
            row["first"] = format_staff_datetime(row["first"])


class WholeSelectionModerationMixin:
    """Apply a confirmed action to every member of a selection (a duplicate group, a
    campaign): in the request up to ``POLICYCOMMS_MODERATION_BATCH_SIZE`` members, as
    ``moderation_task`` (committed batches) above it. Steps to give: ``members``,
    ``selection_size``, ``task_target`` (the task's first argument) and
    ``background_message`` (``%(count)s``, ``%(batch)s``)."""

    moderation_task = None

    def form_valid(self, form):
        if self.selection_size <= policycomms_settings.MODERATION_BATCH_SIZE:
            outcome = moderation.moderate(
                self.members,
                self.action.code,
                self.request.user,
                expected=form.expected,
                **form.moderation_kwargs,
            )
            messages.success(self.request, self.action.done_many(outcome.changed, outcome.skipped))
            return redirect(self.get_success_url())
        result = self.moderation_task.enqueue(
            self.task_target(),
            self.action.code,
            self.request.user.pk,
            expected=form.expected,
            **form.moderation_kwargs,
        )
        if result.status == TaskResultStatus.SUCCESSFUL:  # an immediate backend
            outcome = result.return_value
            messages.success(
                self.request, self.action.done_many(outcome["changed"], outcome["skipped"])
            )
        else:
            messages.success(
                self.request,
                self.background_message()
                % {
                    "count": format_count(self.selection_size),
                    "batch": format_count(policycomms_settings.MODERATION_BATCH_SIZE),
                },
            )
        return redirect(self.get_success_url())


class GroupModerateView(WholeSelectionModerationMixin, ModerationActionMixin, FormView):
    """Confirm an action on every member of a group (GET), then apply it in one call (POST)."""

    template_name = TEMPLATES + "group_moderate.html"
    form_class = ManyModerationForm
    header_icon = "copy"
    groups_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        comments = without_hidden(PublicComment.objects.all(), request.user, "consultation_id")
        self.representative = get_object_or_404(comments, pk=kwargs["pk"])

    @property
    def members(self):
        return PublicComment.objects.duplicates_of(self.representative)

    @cached_property
    def counts(self):
        return self.members.aggregate(
            size=Count("pk"),
            **{status.value: Count("pk", filter=Q(status=status)) for status in CommentStatus},
        )

    def get_page_title(self):
        return gettext("%(action)s: the whole group") % {"action": self.action.label}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.groups_url_name), "label": gettext("Duplicate groups")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_success_url(self):
        return get_valid_next_url_from_request(self.request) or reverse(self.groups_url_name)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["initial"] = {
            "seen_statuses": [status.value for status in CommentStatus if self.counts[status.value]]
        }
        return kwargs

    moderation_task = tasks.moderate_group

    @property
    def selection_size(self):
        return self.counts["size"]

    def task_target(self):
        return self.representative.pk

    def background_message(self):
        return gettext(
            "The %(count)s comments of this group are being handled in the "
            "background, %(batch)s at a time; the group's counts show the progress. "
            "If the work stops part-way, choose the same action again: it carries "
            "on with the comments not yet handled."
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action=self.action,
            representative=self.representative,
            size=self.counts["size"],
            breakdown=[
                (status.label, self.counts[status.value])
                for status in CommentStatus
                if self.counts[status.value]
            ],
            cancel_url=self.get_success_url(),
            quote=quote,
        )
        return context
