"""Registration only: what the package adds to Wagtail's admin, and where each piece lives.

Every behaviour is in the module named beside its hook.
"""

from django.urls import include, path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from . import admin_urls
from .moderation import register_log_actions
from .permissions import register_permission_policies
from .privacy import requests as data_requests
from .privacy import retention
from .reports.views import (
    AssignmentsByUnitReportView,
    ComplianceReportView,
    JusticeReportView,
    ReportMenuItem,
)
from .restricted import (
    apply_restrictions,
    hide_restricted_chosen_pages,
    hide_restricted_pages,
    install_permission_policies,
    refuse_publishing,
    refuse_serving_document,
)
from .views import dashboard, outcome, pages
from .views.assignments import refuse_deleting_plans_in_use
from .views.bulk_actions import BULK_ACTIONS
from .views.comments import refuse_comment_deletion
from .viewsets import DataSubjectRequestViewSet, PolicyCommsViewSetGroup, PublicCommentViewSet

# Wagtail 8 reads the comments' and assignments' policies from its registry: register them
# before the viewsets (Wagtail 7.4 asks the viewsets, see viewsets.py).
register_permission_policies()
# Wagtail's page and document policies, without restricted drafts and documents for staff
# who may not see them (restricted: the global page search and the documents have no hook).
install_permission_policies()
# The moderation queue "Góp ý" (its own top-level menu item), and the group holding the
# plan, its assignments, units and fields.
register_snippet(PublicCommentViewSet)
register_snippet(PolicyCommsViewSetGroup)
# Data-subject requests (views.data_requests), a model viewset of their own.
hooks.register("register_admin_viewset", DataSubjectRequestViewSet)

for _bulk_action in BULK_ACTIONS:  # views.bulk_actions
    hooks.register("register_bulk_action", _bulk_action)

hooks.register("register_log_actions", register_log_actions)  # moderation
hooks.register("register_log_actions", retention.register_log_actions)  # privacy.retention
hooks.register("register_log_actions", data_requests.register_log_actions)  # privacy.requests
hooks.register("before_delete_snippet", refuse_comment_deletion)  # views.comments
hooks.register("before_delete_snippet", refuse_deleting_plans_in_use)  # views.assignments

hooks.register("after_create_page", pages.warn_short_consultation)  # views.pages
hooks.register("after_edit_page", pages.warn_short_consultation)
hooks.register("register_page_header_buttons", pages.synthesis_header_buttons)
hooks.register("register_page_listing_more_buttons", pages.synthesis_listing_buttons)
hooks.register("register_page_header_buttons", outcome.outcome_header_buttons)  # views.outcome
hooks.register("register_page_listing_more_buttons", outcome.outcome_listing_buttons)
hooks.register("before_delete_page", pages.refuse_deleting_pages_with_comments)
hooks.register("before_bulk_action", pages.refuse_bulk_deleting_pages_with_comments)

hooks.register("before_publish_page", refuse_publishing)  # restricted
hooks.register("after_edit_page", apply_restrictions)
hooks.register("after_create_page", apply_restrictions)
hooks.register("before_serve_document", refuse_serving_document)
hooks.register("construct_explorer_page_queryset", hide_restricted_pages)
hooks.register("construct_page_chooser_queryset", hide_restricted_chosen_pages)

hooks.register("construct_homepage_panels", dashboard.add_moderation_panel)  # views.dashboard
hooks.register("construct_homepage_panels", dashboard.add_plan_panels)


@hooks.register("register_admin_urls")
def register_admin_urls():
    """Answers, themes, the synthesis report and the plan's reports (admin_urls)."""
    return [path("policycomms/", include(admin_urls, namespace=admin_urls.app_name))]


@hooks.register("register_reports_menu_item")
def register_compliance_report_menu_item():
    return ReportMenuItem(ComplianceReportView)


@hooks.register("register_reports_menu_item")
def register_justice_report_menu_item():
    return ReportMenuItem(JusticeReportView)


@hooks.register("register_reports_menu_item")
def register_assignments_report_menu_item():
    return ReportMenuItem(AssignmentsByUnitReportView)
