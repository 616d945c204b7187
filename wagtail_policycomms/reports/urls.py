"""Admin URLs of the reports (registered with ``register_admin_urls``; Wagtail wraps them
in its admin-access check) and the Reports menu items."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from .access import can_view_compliance_report, can_view_plan_reports
from .views import AssignmentsByUnitReportView, ComplianceReportView, JusticeReportView


def get_admin_urls():
    return [
        path(
            "policycomms/reports/compliance/",
            ComplianceReportView.as_view(),
            name="wagtail_policycomms_report_compliance",
        ),
        path(
            "policycomms/reports/justice/",
            JusticeReportView.as_view(),
            name="wagtail_policycomms_report_justice",
        ),
        path(
            "policycomms/reports/assignments-by-unit/",
            AssignmentsByUnitReportView.as_view(),
            name="wagtail_policycomms_report_assignments",
        ),
    ]


class ReportMenuItem(MenuItem):
    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access

    def is_shown(self, request):
        return self.access(request.user)


def menu_items():
    """The Reports menu entries, each shown only to those who may open the report."""
    return [
        ReportMenuItem(
            _("Communication compliance"),
            reverse("wagtail_policycomms_report_compliance"),
            name="policycomms-compliance",
            icon_name="table",
            order=1300,
            access=can_view_compliance_report,
        ),
        ReportMenuItem(
            _("Report to the Department of Justice"),
            reverse("wagtail_policycomms_report_justice"),
            name="policycomms-justice",
            icon_name="table",
            order=1310,
            access=can_view_plan_reports,
        ),
        ReportMenuItem(
            _("Assignments by unit"),
            reverse("wagtail_policycomms_report_assignments"),
            name="policycomms-assignments-by-unit",
            icon_name="table",
            order=1320,
            access=can_view_plan_reports,
        ),
    ]
