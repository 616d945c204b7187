"""The admin side of exports: the moderation queue's export buttons (``CommentExportMixin``).

The queue's own filters and search (``filters.PublicCommentFilterSet`` and
``filters.search_comments``) decide what is exported: an export is the filtered
queue, whole. Kept apart from rows and writers because it depends on Wagtail's
admin views and on request handling (permissions, audit log, streaming
responses), which the rest of the export code does not need.
"""

import tempfile

from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from .. import moderation
from ..formats import localtime
from ..permissions import can_export, can_view_personal_data, forbidden
from .columns import CommentRowBuilder, as_queryset, export_columns
from .jobs import exceeds_threshold, start_export_job
from .writers import XLSX_CONTENT_TYPE, iter_csv, write_xlsx

#: Above this size a spooled XLSX moves from memory to a temporary file on disk.
SPOOL_MAX_BYTES = 8 * 1024 * 1024


def export_filename(moment=None):
    """gop-y-YYYYMMDD-HHMM: a file-name stamp (not a display format), on the local clock."""
    local = localtime(moment or timezone.now())
    return f"gop-y-{local:%Y%m%d-%H%M}"


def _filters_for_log(request):
    skip = {"export", "p", "_w_filter_fragment"}
    return {
        key: values if len(values) > 1 else values[0]
        for key, values in request.GET.lists()
        if key not in skip
    }


def invalid_filters(filters):
    """A filter that does not validate is refused: exporting everything instead would hand
    out more comments than were asked for."""
    return HttpResponseBadRequest(
        _("Invalid filter: %(fields)s") % {"fields": ", ".join(sorted(filters.errors))}
    )


class CommentExportMixin(SpreadsheetExportMixin):
    """Exports for the moderation queue's index view (``PublicCommentViewSet.index_view_class``).

    Put it first: ``class QueueIndexView(CommentExportMixin, SnippetIndexView)``. The
    listing's filtered, searched and ordered queryset (``get_queryset()``) is
    exported whole when ``?export=csv`` or ``?export=xlsx`` is asked for, before the
    listing would load it into memory. Columns follow the user's permissions; the
    export itself needs ``export_publiccomment`` (403 otherwise).

    More rows than ``POLICYCOMMS_EXPORT_TASK_THRESHOLD``: the export becomes an
    ``ExportJob`` written by the tasks worker (``exports.jobs``) and the moderator is
    redirected to the job's page.

    Each export writes one audit entry (``moderation.log_export``): who, when, the
    format, the filters, personal data or not, and the number of rows. Nothing is
    counted before the file starts: the count is the rows written.

    - XLSX is written whole before the response: its entry is written then, complete.
    - CSV streams: the BOM and headings go out before any query; the entry is written
      when the first comments are about to be read (an export interrupted before that
      sent headings only, and is not logged), and ``finish_export`` records the rows
      written when the stream ends. When the client disconnects, the server closes the
      stream: the entry then says ``complete: False`` with the rows handed to the server
      so far, which is what may have left the system. If the process dies mid-stream
      the entry stays with ``rows: None``, "started, end not recorded": an export is
      never unaudited once a comment row has been read.
    """

    export_filename = "gop-y"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.with_personal_data = can_view_personal_data(request.user)
        self.export_column_list = export_columns(self.with_personal_data)
        self.list_export = [column.key for column in self.export_column_list]
        self.export_headings = {c.key: c.heading for c in self.export_column_list}

    @property
    def show_export_buttons(self):
        return can_export(self.request.user)

    def get(self, request, *args, **kwargs):
        if getattr(self, "is_export", False):
            if not can_export(request.user):
                return forbidden(request)
            filters = getattr(self, "filters", None)
            if filters is not None and not filters.is_valid():
                return invalid_filters(filters)
            queryset, export_format = self.get_queryset(), request.GET.get("export")
            if export_format in self.FORMATS and exceeds_threshold(queryset):
                # Too large for the request: the tasks worker writes it (exports.jobs).
                job = start_export_job(request.user, export_format, request.GET)
                return redirect("wagtail_policycomms_admin:export_job", job.pk)
            return self.as_spreadsheet(queryset, export_format)
        return super().get(request, *args, **kwargs)

    def get_filename(self):
        return export_filename()

    def get_heading(self, queryset, field):
        return capfirst(str(self.export_headings[field]))

    def get_export_log_data(self, export_format):
        return {
            "format": export_format,
            "filters": _filters_for_log(self.request),
            "personal_data": self.with_personal_data,
        }

    def as_spreadsheet(self, queryset, spreadsheet_format):
        if spreadsheet_format not in self.FORMATS:
            return HttpResponseBadRequest(_("Unknown export format."))
        return super().as_spreadsheet(as_queryset(queryset), spreadsheet_format)

    def row_builder(self):
        """Build under the language of the file: labels are translated once, here."""
        return CommentRowBuilder(with_personal_data=self.with_personal_data, request=self.request)

    def stream_csv(self, queryset):
        # The rows are written after the view returns, when Wagtail no longer has the
        # user's admin language active: carry it into the generator.
        language = translation.get_language()
        user, data = self.request.user, self.get_export_log_data("csv")

        def generate():
            with translation.override(language):
                builder = self.row_builder()
                lines = iter_csv(queryset, builder=builder)
                yield next(lines)  # BOM and headings: no query yet
                entry = moderation.log_export(None, user, "export", {**data, "rows": None})
                complete = False
                try:
                    yield from lines
                    complete = True
                finally:
                    moderation.finish_export(entry, rows=builder.count, complete=complete)

        return generate()

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(
            self.stream_csv(queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response

    def write_xlsx(self, queryset, output):
        """Write the workbook; returns the number of rows."""
        return write_xlsx(queryset, output, builder=self.row_builder())

    def write_xlsx_response(self, queryset):
        output = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES)  # noqa: SIM115
        rows = self.write_xlsx(queryset, output)
        data = {**self.get_export_log_data("xlsx"), "rows": rows, "complete": True}
        moderation.log_export(None, self.request.user, "export", data)
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            content_type=XLSX_CONTENT_TYPE,
            filename=f"{self.get_filename()}.xlsx",
        )
