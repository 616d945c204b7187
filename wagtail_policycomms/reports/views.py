"""The report views: Wagtail ``ReportView`` subclasses (header, breadcrumbs, "Download
XLSX / CSV" buttons from ``SpreadsheetExportMixin``), each reading its figures from
``data``. The report to the Department of Justice adds "Download Word (.docx)": the
report itself, in the official layout (``word``), ready to sign.

The filter form is shown on the page itself rather than in the header's drop-down, so
a date the report refuses is visible with its message next to the field. Exports are
written by ``spreadsheets`` (CSV with a BOM, formula-safe XLSX), not row by row from a
queryset: the rows are plain dataclasses and the periodic report is a flat
"section, item, value" table (``lines``). Every file downloaded writes one audit entry
(``moderation.log_export``).
"""

import io

from django.http import FileResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import Button

from .. import moderation
from ..formats.word import DOCX_CONTENT_TYPE
from ..models import Assignment, DepartmentSettings, local_today
from ..permissions import can_view_compliance_report, can_view_plan_reports, forbidden
from . import data, spreadsheets, word
from .filters import (
    AssignmentsByUnitFilterSet,
    ComplianceFilterSet,
    PeriodFilterSet,
    with_defaults,
)
from .lines import sections


def yes_no(value):
    return _("Yes") if value else _("No")


def percent_text(value):
    return "" if value is None else f"{value}%"


class PolicyCommsReportView(ReportView):
    """Access check (a real 403), the on-page filter form, exports through ``spreadsheets``.

    ``menu_label``, ``menu_name`` and ``menu_order`` describe the report's entry in
    Wagtail's Reports menu (``ReportMenuItem``), shown to whoever ``has_access``."""

    menu_label = None
    menu_name = None
    menu_order = None
    template_name = "wagtail_policycomms/admin/reports/report.html"
    paginate_by = None
    header_icon = "table"
    list_export = ["export"]  # shows Wagtail's download buttons; rows come from export_rows()
    filename_prefix = "bao-cao"

    @staticmethod
    def has_access(user):
        return can_view_plan_reports(user)

    def dispatch(self, request, *args, **kwargs):
        if not self.has_access(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        kwargs["data"] = with_defaults(self.request.GET, self.filterset_class.defaults())
        return kwargs

    @property
    def choices(self):
        """The validated filter values, or None when the form has errors."""
        return self.filters.form.cleaned_data if self.filters.is_valid() else None

    def get_filtered_queryset(self):
        self.report = self.build_report(self.choices) if self.choices is not None else None
        return self.rows_of(self.report) if self.report is not None else []

    def get(self, request, *args, **kwargs):
        if self.is_export and not self.filters.is_valid():
            return HttpResponseBadRequest(
                _("Invalid filter: %(fields)s") % {"fields": ", ".join(sorted(self.filters.errors))}
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["filter_form"] = self.filters.form
        context["filters"] = None  # on the page, not in the header's drop-down
        context["report"] = self.report
        return context

    def as_spreadsheet(self, object_list, spreadsheet_format):
        headings, rows = self.export_table(self.report)
        self.log_file(spreadsheet_format)
        if spreadsheet_format == self.FORMAT_CSV:
            return spreadsheets.csv_response(self.filename(), headings, rows)
        return spreadsheets.xlsx_response(self.filename(), self.page_title, headings, rows)

    def filename(self):
        return f"{self.filename_prefix}-{self.filename_suffix()}"

    def log_file(self, file_format):
        """One audit entry per file: who took which report, in which format, for which
        choices. The reports hold counts, not comments, hence ``rows`` 0."""
        choices = {name: str(value) for name, value in self.choices.items() if value}
        moderation.log_export(
            None,
            self.request.user,
            "export",
            {
                "format": file_format,
                "report": self.filename_prefix,
                "title": str(self.page_title),
                "filters": choices,
                "rows": 0,
            },
        )

    def filename_suffix(self):
        return local_today().strftime("%Y%m%d")

    # Subclasses: build_report(choices), rows_of(report), export_table(report).
    def rows_of(self, report):
        return report.rows


# --- 1. Compliance --------------------------------------------------------------------------


class ComplianceReportView(PolicyCommsReportView):
    page_title = gettext_lazy("Communication compliance")
    results_template_name = "wagtail_policycomms/admin/reports/compliance_results.html"
    filterset_class = ComplianceFilterSet
    index_url_name = "wagtail_policycomms_admin:report_compliance"
    menu_label = gettext_lazy("Communication compliance")
    menu_name = "policycomms-compliance"
    menu_order = 1300
    filename_prefix = "tuan-thu-truyen-thong"

    @staticmethod
    def has_access(user):
        return can_view_compliance_report(user)

    def build_report(self, choices):
        return data.compliance_report(int(choices["year"]))

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if self.report is not None:
            for row in self.report.rows:
                row.edit_url = reverse("wagtailadmin_pages:edit", args=[row.page_id])
            context["summary_text"] = compliance_summary_text(self.report.summary)
            context["charts"] = compliance_charts(self.report)
        return context

    def filename_suffix(self):
        return str(self.report.summary.year)

    def export_table(self, report):
        headings = [
            _("Draft policy"),
            _("Drafting unit"),
            _("Page published"),
            _("Communicated"),
            _("Channels used"),
            _("Comments received"),
            _("Comments approved"),
            _("Approved comments answered"),
            _("Share answered (%)"),
            _("Answers published"),
        ]
        rows = [
            [
                row.title,
                row.drafting_unit,
                yes_no(row.live),
                yes_no(row.communicated),
                row.channels_text,
                row.received,
                row.approved,
                row.answered,
                row.answered_percent,
                row.answers_published,
            ]
            for row in report.rows
        ]
        return headings, rows


def compliance_charts(report):
    """The report's comment figures, summed over its drafts, as a chart (no query)."""
    from ..formats.charts import bar_chart

    if not report.rows:
        return []
    rows = report.rows
    return [
        bar_chart(
            "pc-compliance-comments",
            _("Comments on the policies in scope"),
            [
                (_("Comments received"), sum(row.received for row in rows)),
                (_("Comments approved"), sum(row.approved for row in rows)),
                (_("Approved comments answered"), sum(row.answered for row in rows)),
                (_("Answers published"), sum(row.answers_published for row in rows)),
            ],
            label_heading=_("Figure"),
            value_heading=_("Comments"),
        )
    ]


def compliance_summary_text(summary):
    """ "3 of 4 policies communicated: 75% against a target of 100%." """
    if not summary.in_scope:
        return _("No policy with a major social impact belongs to %(year)s.") % {
            "year": summary.year
        }
    return _(
        "%(communicated)s of %(in_scope)s policies communicated: %(percent)s%% against a "
        "target of %(target)s%%."
    ) % {
        "communicated": summary.communicated,
        "in_scope": summary.in_scope,
        "percent": summary.percent,
        "target": summary.target,
    }


# --- 2. The periodic report to the Department of Justice ------------------------------------


class JusticeReportView(PolicyCommsReportView):
    page_title = gettext_lazy("Periodic report to the Department of Justice")
    results_template_name = "wagtail_policycomms/admin/reports/justice_results.html"
    filterset_class = PeriodFilterSet
    index_url_name = "wagtail_policycomms_admin:report_justice"
    menu_label = gettext_lazy("Report to the Department of Justice")
    menu_name = "policycomms-justice"
    menu_order = 1310
    filename_prefix = "bao-cao-so-tu-phap"

    FORMAT_DOCX = "docx"
    FORMATS = (*PolicyCommsReportView.FORMATS, FORMAT_DOCX)

    def build_report(self, choices):
        return data.periodic_report(data.Period(choices["date_from"], choices["date_to"]))

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(
                _("Download Word (.docx)"),
                url=self.get_export_url(self.FORMAT_DOCX),
                icon_name="download",
                priority=80,
            ),
        ]

    def as_spreadsheet(self, object_list, spreadsheet_format):
        if spreadsheet_format != self.FORMAT_DOCX:
            return super().as_spreadsheet(object_list, spreadsheet_format)
        output = io.BytesIO()
        word.render_docx(
            self.report,
            DepartmentSettings.for_request(self.request),
            output,
            issued_on=local_today(),
        )
        self.log_file(self.FORMAT_DOCX)
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            content_type=DOCX_CONTENT_TYPE,
            filename=f"{self.filename()}.docx",
        )

    def rows_of(self, report):
        return sections(report)

    def filename_suffix(self):
        period = self.report.period
        return f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["sections"] = context["object_list"]
        return context

    def export_table(self, report):
        rows = [
            [section.title, item, value]
            for section in sections(report)
            for item, value in section.lines
        ]
        return [_("Section"), _("Item"), _("Value")], rows


# --- 3. Assignments by unit and status ------------------------------------------------------


class AssignmentsByUnitReportView(PolicyCommsReportView):
    page_title = gettext_lazy("Assignments by unit and status")
    results_template_name = "wagtail_policycomms/admin/reports/assignments_results.html"
    filterset_class = AssignmentsByUnitFilterSet
    index_url_name = "wagtail_policycomms_admin:report_assignments"
    menu_label = gettext_lazy("Assignments by unit")
    menu_name = "policycomms-assignments-by-unit"
    menu_order = 1320
    filename_prefix = "nhiem-vu-theo-don-vi"

    def build_report(self, choices):
        assignments = Assignment.objects.all()
        if choices.get("plan"):
            assignments = assignments.filter(plan=choices["plan"])
        if choices.get("year"):
            assignments = assignments.filter(plan__year=int(choices["year"]))
        return data.assignments_by_unit(assignments)

    def rows_of(self, report):
        return report

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        for row in context["object_list"]:
            row.label = unit_label(row)
        return context

    def export_table(self, report):
        headings = [
            _("Unit"),
            _("Led: not started"),
            _("Led: in progress"),
            _("Led: done"),
            _("Led: cancelled"),
            _("Led: overdue"),
            _("Led: total"),
            _("Coordinated: total"),
        ]
        rows = [
            [
                unit_label(row),
                row.not_started,
                row.in_progress,
                row.done,
                row.cancelled,
                row.overdue,
                row.led_total,
                row.coordinated,
            ]
            for row in report
        ]
        return headings, rows


def unit_label(row):
    if row.unit_id is None:
        return _("No unit linked (lead named in the plan's words)")
    if not row.is_active:
        return _("%(unit)s (inactive)") % {"unit": row.unit}
    return row.unit


class ReportMenuItem(MenuItem):
    """A report's entry in Wagtail's Reports menu, shown only to those who may open it."""

    def __init__(self, view_class):
        super().__init__(
            view_class.menu_label,
            reverse(view_class.index_url_name),
            name=view_class.menu_name,
            icon_name=view_class.header_icon,
            order=view_class.menu_order,
        )
        self.view_class = view_class

    def is_shown(self, request):
        return self.view_class.has_access(request.user)
