"""Registration only: viewsets, menus and editor messages."""

from django.contrib import messages
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.snippets.models import register_snippet

from .admin_permissions import (
    register_assignment_permission_policy,
    register_comment_permission_policy,
)
from .audit import register_log_actions
from .conf import policycomms_settings
from .models import ConsultationPage, PublicComment
from .views.bulk_actions import BULK_ACTIONS
from .viewsets import PolicyCommsViewSetGroup, PublicCommentViewSet

# Before the group: Wagtail 8 reads the assignments' policy from its registry.
register_assignment_permission_policy()
register_snippet(PolicyCommsViewSetGroup)


def warn_short_consultation(request, page):
    """A short period may be saved, but the editor is told it is below the minimum."""
    page = page.specific
    if isinstance(page, ConsultationPage) and page.is_shorter_than_minimum:
        messages.warning(
            request,
            _(
                "The consultation period is %(days)s days, shorter than the minimum of "
                "%(minimum)s days. Check that the law allows a shorter period for this draft."
            )
            % {"days": page.duration.days, "minimum": policycomms_settings.MIN_CONSULTATION_DAYS},
        )


hooks.register("after_create_page", warn_short_consultation)
hooks.register("after_edit_page", warn_short_consultation)


# --- Answers, themes and the moderators' dashboard panel (answers.py, dashboard.py) -----------


@hooks.register("register_admin_urls")
def register_answer_urls():
    from .views.answers import get_admin_urls

    return get_admin_urls()


@hooks.register("construct_homepage_panels")
def add_moderation_panel(request, panels):
    from .views.dashboard import add_moderation_panel

    add_moderation_panel(request, panels)


# --- End of answers and dashboard ---------------------------------------------------------------


# --- Moderation queue "Góp ý" (viewsets.PublicCommentViewSet, bulk_actions, audit) ------------

# Before the viewset: Wagtail 8 looks the policy up in its registry.
register_comment_permission_policy()
register_snippet(PublicCommentViewSet)

for _bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", _bulk_action)

hooks.register("register_log_actions", register_log_actions)


@hooks.register("before_delete_snippet")
def refuse_comment_deletion(request, instances):
    """Comments belong to the consultation's dossier: never deleted from the admin, even in bulk
    by a superuser (Wagtail 7.4's bulk delete checks only Django's delete permission)."""
    if any(isinstance(instance, PublicComment) for instance in instances):
        return permission_denied(request)


# --- End of the moderation queue ----------------------------------------------------------------


# --- Exports and the synthesis report (exports, synthesis) ---------------------------------------


@hooks.register("register_admin_urls")
def register_export_and_synthesis_urls():
    from . import exports, synthesis

    return [*exports.get_admin_urls(), *synthesis.get_admin_urls()]


def _synthesis_button(page, user, button_class):
    from . import exports, synthesis
    from .models import DraftPolicyPage

    if issubclass(page.specific_class, (DraftPolicyPage, ConsultationPage)) and exports.can_export(
        user
    ):
        return button_class(
            _("Synthesis report"),
            url=synthesis.synthesis_url(page.specific),
            icon_name="doc-full",
            priority=60,
        )
    return None


@hooks.register("register_page_header_buttons")
def synthesis_header_button(page, user, view_name=None, next_url=None):
    """ "Bản tổng hợp" beside the page's own buttons, for those allowed to export."""
    from wagtail.admin.widgets.button import Button

    button = _synthesis_button(page, user, Button)
    if button:
        yield button


@hooks.register("register_page_listing_more_buttons")
def synthesis_listing_button(page, user, next_url=None):
    from wagtail.admin.widgets.button import Button

    button = _synthesis_button(page, user, Button)
    if button:
        yield button


# --- The plan and its assignments (viewsets.CommunicationPlanViewSet, AssignmentViewSet) -------

# Both viewsets are items of PolicyCommsViewSetGroup (registered above); viewsets.py
# registers the assignments' permission policy before that group. Plans keep their
# assignments (PROTECT): deleting one, even in bulk, is refused with a message.


@hooks.register("before_delete_snippet")
def refuse_deleting_plans_in_use(request, instances):
    from .views.assignments import refuse_deleting_plans_in_use

    return refuse_deleting_plans_in_use(request, instances)


# --- End of the plan and its assignments --------------------------------------------------------


# --- Reports and the plan's dashboard panels (reports, dashboard) --------------------------------


@hooks.register("register_admin_urls")
def register_report_urls():
    from .reports.urls import get_admin_urls

    return get_admin_urls()


def _report_menu_item(index):
    def register():
        from .reports.urls import menu_items

        return menu_items()[index]

    return register


for _index in range(3):
    hooks.register("register_reports_menu_item", _report_menu_item(_index))


@hooks.register("construct_homepage_panels")
def add_plan_panels(request, panels):
    from .views.dashboard import add_plan_panels

    add_plan_panels(request, panels)


# --- End of reports -------------------------------------------------------------------------------
