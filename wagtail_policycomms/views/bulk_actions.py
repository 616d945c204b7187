"""Bulk moderation from the queue: approve, reject, mark as spam, return to pending.

Each applies ONE call to ``moderation.moderate`` to the whole selection, never a
call per comment, and reports how many were changed and how many skipped because
someone else had handled them. "Select all in listing" means the filtered queue as
shown (see ``filters.filtered_comments``), not every comment in the database.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from .. import moderation
from ..filters import filtered_comments
from ..forms import ManyModerationForm
from ..models import PublicComment
from ..moderation import ACTIONS
from ..permissions import can_moderate
from ..restricted import without_hidden

#: How many of the selected comments the confirmation page lists by name.
SHOWN_ON_CONFIRMATION = 50


class ModerationBulkAction(SnippetBulkAction):
    models = [PublicComment]
    template_name = "wagtail_policycomms/admin/comments/bulk_moderate.html"
    form_class = ManyModerationForm
    moderation_action = None  # a key of moderation.ACTIONS
    outcome = None

    @property
    def action(self):
        return ACTIONS[self.moderation_action]

    def dispatch(self, request, *args, **kwargs):
        if not can_moderate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def check_perm(self, obj):
        return can_moderate(self.request.user)

    def get_all_objects_in_listing_query(self, parent_id):
        return filtered_comments(self.request).values("pk")

    @classmethod
    def get_queryset(cls, model, object_ids):
        return model.objects.filter(pk__in=object_ids)

    @cached_property
    def selection(self):
        """The selected comments as one queryset: a campaign may select 100,000 of them."""
        object_ids = self.request.GET.getlist("id")
        if "all" in object_ids:
            object_ids = self.get_all_objects_in_listing_query(self.request.GET.get("childOf"))
        else:
            object_ids = [pk for pk in object_ids if pk.isdigit()]
        selected = self.get_queryset(self.model, object_ids)
        return without_hidden(selected, self.request.user, "consultation_id")

    def get_actionable_objects(self):
        return self.selection, {"items_with_no_access": []}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["action"] = self.action
        if self.request.method == "GET":
            # The statuses the moderator is shown; comments changed to another status by
            # the time the form is sent are skipped.
            statuses = self.selection.order_by().values_list("status", flat=True).distinct()
            kwargs["initial"] = {"seen_statuses": list(statuses)}
        return kwargs

    def get_context_data(self, **kwargs):
        selection = self.selection
        total = selection.count()
        if not total:
            raise Http404
        shown = list(selection.select_related("consultation")[:SHOWN_ON_CONFIRMATION])
        # Skip BulkAction's context, which renders every selected comment.
        context = super(BulkAction, self).get_context_data(**kwargs)
        context.update(
            next=self.next_url,
            submit_url=self.request.path + "?" + self.request.META["QUERY_STRING"],
            model_opts=self.model._meta,
            header_icon=self.model.snippet_viewset.icon,
            action=self.action,
            total=total,
            shown=shown,
            more=total - len(shown),
            unchangeable=selection.exclude(
                status__in=moderation.TRANSITIONS[self.moderation_action][1]
            ).count(),
        )
        return context

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        self = kwargs["self"]
        form = self.cleaned_form
        self.outcome = moderation.moderate(
            objects,
            self.moderation_action,
            self.request.user,
            expected=form.expected,
            **form.moderation_kwargs,
        )
        return self.outcome.changed, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return self.action.done_many(self.outcome.changed, self.outcome.skipped)


class ApproveBulkAction(ModerationBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve selected comments")
    moderation_action = "approve"
    action_priority = 10


class RejectBulkAction(ModerationBulkAction):
    display_name = _("Reject")
    action_type = "reject"
    aria_label = _("Reject selected comments")
    moderation_action = "reject"
    action_priority = 20


class SpamBulkAction(ModerationBulkAction):
    display_name = _("Mark as spam")
    action_type = "spam"
    aria_label = _("Mark selected comments as spam")
    moderation_action = "spam"
    action_priority = 30
    classes = {"serious"}


class PendingBulkAction(ModerationBulkAction):
    display_name = _("Return to pending")
    action_type = "pending"
    aria_label = _("Return selected comments to pending")
    moderation_action = "pending"
    action_priority = 40


BULK_ACTIONS = [ApproveBulkAction, RejectBulkAction, SpamBulkAction, PendingBulkAction]
