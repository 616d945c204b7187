"""Admin views of the moderation queue ("Góp ý"): listing, inspect, history, moderation actions.

Wired into Wagtail by ``viewsets.PublicCommentViewSet``. Every status change goes
through ``moderation.py``; these views only ask for confirmation and report.
"""

from django.contrib.admin.utils import quote
from django.db.models import OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, StatusTagColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import ActionColumn
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button as MenuButton
from wagtail.admin.widgets.button import HeaderButton
from wagtail.models import ModelLogEntry
from wagtail.snippets.views.snippets import HistoryView, IndexView, InspectView

from .. import moderation
from ..blocks import article_labels_for
from ..exports import CommentExportMixin
from ..filters import draft_title_of, search_comments
from ..formats import format_staff_datetime
from ..forms import SingleModerationForm
from ..models import CommentStatus, PublicComment
from ..moderation import ACTIONS, actions_for_status
from ..permissions import (
    can_answer,
    can_export,
    can_moderate,
    can_publish_answers,
    can_view_personal_data,
    can_view_restricted,
)
from ..restricted import without_hidden
from .answers import answer_url, themes_url
from .pagination import CappedCountPaginator

TEMPLATES = "wagtail_policycomms/admin/comments/"


def comment_url(viewset_url_name, comment_pk, *args):
    return reverse(viewset_url_name, args=(quote(comment_pk), *args))


def author_for(comment, user):
    """Name (Organisation) for staff allowed to see personal data; the public name otherwise."""
    return comment.staff_author(can_view_personal_data(user))


# --- Columns ------------------------------------------------------------------------------


class AuthorColumn(Column):
    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["value"] = author_for(instance, parent_context["request"].user)
        return context


class ExcerptColumn(Column):
    """The excerpt, and for a duplicate a link to its group's members."""

    cell_template_name = TEMPLATES + "excerpt_cell.html"

    def __init__(self, *args, group_url, **kwargs):
        super().__init__(*args, **kwargs)
        self.group_url = group_url

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["group_size"] = size = getattr(instance, "group_size", 1) or 1
        if size > 1:
            context["group_url"] = self.group_url(instance)
        return context


def article_cell(comment):
    """The article a row is on, as it reads today (``paginate_queryset`` names it through
    ``blocks.ArticleLabels``); the stored snapshot for a row it did not name."""
    if not comment.article_id:
        return gettext("Whole draft")
    return getattr(comment, "article_label", None) or comment.article_heading


def comment_columns(group_url):
    """The queue's columns after the receipt code (the title column)."""
    return [
        Column(
            "consultation",
            label=_("Consultation"),
            accessor=lambda c: " – ".join(
                t for t in (getattr(c, "policy_title", ""), c.consultation.title) if t
            ),
            sort_key="consultation__title",
        ),
        Column(
            "article",
            label=_("Article"),
            accessor=article_cell,
            sort_key="article_heading",
        ),
        Column(
            "commenter_type",
            label=_("Commenter type"),
            accessor="get_commenter_type_display",
            sort_key="commenter_type",
        ),
        AuthorColumn("author", label=_("Name or organisation")),
        ExcerptColumn("excerpt", label=_("Comment"), group_url=group_url),
        Column(
            "submitted_at",
            label=_("Submitted"),
            accessor=lambda c: format_staff_datetime(c.submitted_at),
            sort_key="submitted_at",
        ),
        StatusTagColumn(
            "status",
            label=_("Status"),
            accessor="get_status_display",
            sort_key="status",
            primary=lambda c: c.status == CommentStatus.PENDING,
        ),
        Column("answer", label=_("Answer"), accessor=lambda c: c.answer_state.label),
    ]


# --- Shared by the views ------------------------------------------------------------------


class ModerationLinksMixin:
    """Links to the moderation views of a comment, for buttons on the listing and inspect view."""

    moderate_url_name = None
    groups_url_name = None
    inspect_url_name = None

    @cached_property
    def can_moderate(self):
        return can_moderate(self.request.user)

    def moderation_buttons(self, comment, next_url, button_class=MenuButton):
        if not self.can_moderate:
            return []
        query = "?" + urlencode({"next": next_url}) if next_url else ""
        return [
            button_class(
                action.label,
                url=comment_url(self.moderate_url_name, comment.pk, action.code) + query,
                icon_name=action.icon,
                priority=40 + index,
            )
            for index, action in enumerate(actions_for_status(comment.status))
        ]

    def answer_buttons(self, comment, next_url, button_class=MenuButton, *, may_answer=None):
        """ "Answer" and "Themes" links. On the listing only moderators get them (checking
        unit membership per row would cost a query per row); the inspect view checks it."""
        if may_answer is None:
            may_answer = can_publish_answers(self.request.user)
        if not may_answer:
            return []
        query = "?" + urlencode({"next": next_url}) if next_url else ""
        return [
            button_class(
                _("Answer"),
                url=answer_url(comment) + query,
                icon_name="comment",
                priority=60,
            ),
            button_class(
                _("Themes"),
                url=themes_url(comment) + query,
                icon_name="tag",
                priority=61,
            ),
        ]

    def group_members_url(self, comment):
        index = reverse(self.index_url_name)
        return index + "?" + urlencode({"group": comment.pk, "status": ""})


# --- Listing ------------------------------------------------------------------------------


class PublicCommentIndexView(CommentExportMixin, ModerationLinksMixin, IndexView):
    """The queue. Opens on pending comments; a constant number of queries per page, none of
    them reading more than a page of rows, the capped count or the page's duplicate groups.
    Exports (CSV, XLSX) of the filtered queue come from ``exports.CommentExportMixin``."""

    page_title = _("Comments")
    paginator_class = CappedCountPaginator

    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("consultation", "response")
        queryset = without_hidden(queryset, self.request.user, "consultation_id")
        return queryset.annotate(policy_title=draft_title_of(OuterRef("consultation__path")))

    def search_queryset(self, queryset):
        return search_comments(queryset, self.search_query, self.request.user)

    def order_queryset(self, queryset):
        queryset = super().order_queryset(queryset)
        # A tie-breaker keeps pagination stable among comments sent in the same second.
        ordering = list(queryset.query.order_by) or ["-submitted_at"]
        return queryset.order_by(*ordering, "-pk")

    def paginate_queryset(self, queryset, page_size):
        """The page's duplicate-group sizes in one query, one count per group on the page
        (``with_group_size`` on one member of each): counting per row read a campaign of
        200,000 comments once for each of its rows on the page."""
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        comments = list(object_list)
        members = {(c.consultation_id, c.text_hash): c.pk for c in comments}
        sizes = {}
        if members:
            sizes = {
                (consultation, digest): size
                for consultation, digest, size in PublicComment.objects.filter(
                    pk__in=members.values()
                )
                .order_by()
                .with_group_size()
                .values_list("consultation_id", "text_hash", "group_size")
            }
        # The page's drafts in one query: each row's article as it reads today.
        labels = article_labels_for(
            {c.consultation for c in comments},
            hide_restricted=not can_view_restricted(self.request.user),
        )
        for comment in comments:
            comment.group_size = sizes.get((comment.consultation_id, comment.text_hash), 1)
            comment.article_label = labels[comment.consultation_id].label(
                comment.article_id, comment.article_heading
            )
        page.object_list = comments
        return paginator, page, comments, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_moderate"] = self.can_moderate
        paginator = context.get("paginator")
        context["count_is_capped"] = getattr(paginator, "is_capped", False)
        if context["count_is_capped"]:
            context["items_count"] = paginator.count_floor
            # The last number offered is not the last page: end on "…" instead.
            pages = list(context["elided_page_range"])
            if pages and pages[-1] == paginator.num_pages != context["page_obj"].number:
                pages.pop()
                if pages and pages[-1] != paginator.ELLIPSIS:
                    pages.append(paginator.ELLIPSIS)
            context["elided_page_range"] = pages
        return context

    @cached_property
    def columns(self):
        columns = [
            column
            for column in super().columns
            if self.can_moderate or not isinstance(column, BulkActionsCheckboxColumn)
        ]
        return columns + comment_columns(self.group_members_url)

    @cached_property
    def list_display(self):
        return ["receipt_code"]

    @cached_property
    def listing_url(self):
        """Where an action returns to: this listing, same filters, search and page."""
        query = self.request.GET.copy()
        query.pop("_w_filter_fragment", None)
        return self.index_url + ("?" + query.urlencode() if query else "")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        return (
            buttons
            + self.moderation_buttons(instance, self.listing_url)
            + self.answer_buttons(instance, self.listing_url)
        )

    @cached_property
    def header_buttons(self):
        buttons = [
            HeaderButton(
                gettext("Duplicate groups"),
                url=reverse(self.groups_url_name),
                icon_name="copy",
            ),
            # Near-identical comments (views.campaigns), beside the identical ones.
            HeaderButton(
                gettext("Campaigns"),
                url=reverse("wagtail_policycomms_admin:campaigns"),
                icon_name="group",
            ),
        ]
        if can_export(self.request.user):  # large exports are written in the background
            buttons.append(
                HeaderButton(
                    gettext("My exports"),
                    url=reverse("wagtail_policycomms_admin:export_jobs"),
                    icon_name="download",
                )
            )
        return buttons


# --- Inspect and history ------------------------------------------------------------------

#: How many audit entries the inspect view shows before linking to the full history.
RECENT_HISTORY = 10


class PublicCommentInspectView(ModerationLinksMixin, InspectView):
    """Everything about one comment; personal data only with the permission."""

    template_name = TEMPLATES + "inspect.html"
    history_url_name = None

    def get_object(self, queryset=None):
        comments = (
            PublicComment.objects.select_related(
                "consultation",
                "response",
                "response__answering_unit",
                "moderated_by",
                "page_revision",
            )
            .annotate(policy_title=draft_title_of(OuterRef("consultation__path")))
            .with_group_size()
        )
        comments = without_hidden(comments, self.request.user, "consultation_id")
        return get_object_or_404(comments, pk=self.pk)

    def get_page_subtitle(self):
        return self.object.receipt_code

    def get_history_url(self):
        return comment_url(self.history_url_name, self.object.pk)

    @cached_property
    def header_buttons(self):
        # The header's own history icon links to the history view (context "history_url").
        next_url = self.request.get_full_path()
        return self.moderation_buttons(
            self.object, next_url, button_class=HeaderButton
        ) + self.answer_buttons(
            self.object,
            next_url,
            button_class=HeaderButton,
            may_answer=can_answer(self.request.user, self.object.consultation),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        comment = self.object
        personal = can_view_personal_data(self.request.user)
        labels = article_labels_for(
            [comment.consultation], hide_restricted=not can_view_restricted(self.request.user)
        )[comment.consultation_id]
        context.update(
            comment=comment,
            can_view_personal_data=personal,
            author=author_for(comment, self.request.user),
            reason_label=moderation.reason_label(comment.moderation_reason)
            if comment.moderation_reason
            else "",
            themes=list(comment.themes.all()),
            attachments=list(comment.attachments.all()) if personal else [],
            attachment_count=comment.attachments.count(),
            history=ModelLogEntry.objects.for_instance(comment).select_related("user")[
                :RECENT_HISTORY
            ],
            history_url=self.get_history_url(),
            group_url=self.group_members_url(comment) if comment.group_size > 1 else "",
            article_label=labels.label(comment.article_id, comment.article_heading),
        )
        return context


class NoteActionColumn(ActionColumn):
    """Wagtail shows an entry's comment (our moderator's note) only for models with
    revisions; comments have none, so use that cell anyway."""

    cell_template_name = "wagtailadmin/generic/history/action_cell.html"


class PublicCommentHistoryView(HistoryView):
    """Wagtail's history of the comment, with our audit entries; open to viewers."""

    any_permission_required = ["view"]

    def get_base_object_queryset(self):
        queryset = super().get_base_object_queryset()
        return without_hidden(queryset, self.request.user, "consultation_id")

    @cached_property
    def columns(self):
        action, *others = super().columns
        return [
            NoteActionColumn(
                action.name,
                label=action.label,
                object=self.object,
                url_names=action.url_names,
                user_can_unschedule=False,
            ),
            *others,
        ]

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                gettext("Inspect"), url=self.get_edit_url(self.object), icon_name="info-circle"
            )
        ]


# --- Moderating one comment ---------------------------------------------------------------


class ModerationActionMixin(PermissionCheckedMixin, WagtailAdminTemplateMixin):
    """A moderation action named in the URL (a key of ``moderation.ACTIONS``; 404 otherwise),
    confirmed with a form (GET) and applied through ``moderation`` (POST). Needs the
    "moderate" permission; the form gets the action (its reason field, its checks)."""

    permission_required = "moderate"
    model = PublicComment

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.action = ACTIONS.get(kwargs["action"])
        if self.action is None:
            raise Http404

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "action": self.action}


class ModerateCommentView(ModerationActionMixin, FormView):
    """Confirm one action (GET), then apply it as the moderator saw the comment (POST).

    The form carries the status the moderator saw: if someone else has changed the
    comment since, nothing is changed and the moderator is told.
    """

    template_name = TEMPLATES + "moderate.html"
    form_class = SingleModerationForm
    header_icon = "comment"
    index_url_name = None
    inspect_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        comments = PublicComment.objects.select_related("consultation").annotate(
            policy_title=draft_title_of(OuterRef("consultation__path"))
        )
        comments = without_hidden(comments, request.user, "consultation_id")
        self.object = get_object_or_404(comments, pk=kwargs["pk"])

    def get_page_title(self):
        return self.action.label

    def get_page_subtitle(self):
        return self.object.receipt_code

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": gettext("Comments")},
            {"url": self.inspect_url, "label": self.object.receipt_code},
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def inspect_url(self):
        return comment_url(self.inspect_url_name, self.object.pk)

    def get_success_url(self):
        return get_valid_next_url_from_request(self.request) or self.inspect_url

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["initial"] = {"seen_status": self.object.status}
        return kwargs

    def get(self, request, *args, **kwargs):
        if not self.action.allowed_from(self.object.status):
            messages.warning(
                request,
                gettext("Comment %(code)s is “%(status)s”: it cannot be changed that way.")
                % {"code": self.object.receipt_code, "status": self.object.get_status_display()},
            )
            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            moderation.moderate_one(
                self.object,
                self.action.code,
                self.request.user,
                seen_status=form.cleaned_data["seen_status"],
                **form.moderation_kwargs,
            )
        except moderation.StatusConflict as conflict:
            messages.error(self.request, str(conflict))
        else:
            messages.success(
                self.request, self.action.done_one % {"code": self.object.receipt_code}
            )
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            comment=self.object,
            action=self.action,
            author=author_for(self.object, self.request.user),
            cancel_url=self.get_success_url(),
        )
        return context


def refuse_comment_deletion(request, instances):
    """``before_delete_snippet``: comments belong to the consultation's dossier and are never
    deleted from the admin, even in bulk by a superuser (Wagtail 7.4's bulk delete checks only
    Django's delete permission). Wagtail's own refusal, as for its other snippet views."""
    if any(isinstance(instance, PublicComment) for instance in instances):
        return permission_denied(request)
    return None
