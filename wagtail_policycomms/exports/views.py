"""The admin side of exports: the moderation queue's export buttons (``CommentExportMixin``).

The queue's own filters and search (``filters.PublicCommentFilterSet`` and
``filters.search_comments``) decide what is exported: an export is the filtered
queue, whole. Kept apart from rows and writers because it depends on Wagtail's
admin views and on request handling (permissions, audit log, streaming
responses), which the rest of the export code does not need.
"""

import tempfile

from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from .. import moderation
from ..formats import localtime
from ..models import PublicComment
from ..permissions import can_export, can_view_personal_data, forbidden
from .columns import CommentRowBuilder, as_queryset, export_columns
from .writers import XLSX_CONTENT_TYPE, iter_csv, write_xlsx

#: Above this size a spooled XLSX moves from memory to a temporary file on disk.
SPOOL_MAX_BYTES = 8 * 1024 * 1024


def export_filename(moment=None):
    """gop-y-YYYYMMDD-HHMM: a file-name stamp (not a display format), on the local clock."""
    local = localtime(moment or timezone.now())
    return f"gop-y-{local:%Y%m%d-%H%M}"


def _loggable_queryset(queryset):
    """``log_export`` updates rows; a plain filter on the primary keys always allows that."""
    queryset = as_queryset(queryset)
    if queryset.query.annotations or queryset.query.distinct:
        return PublicComment.objects.filter(pk__in=queryset.order_by().values("pk"))
    return queryset


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
    export itself needs ``export_publiccomment`` (403 otherwise) and is audit-logged
    on every exported comment.
    """

    export_filename = "gop-y"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.with_personal_data = can_view_personal_data(request.user)
        self.export_column_list = export_columns(self.with_personal_data)
        self.list_export = [column.key for column in self.export_column_list]
        self.export_headings = {c.key: c.heading for c in self.export_column_list}
        self.row_builder = CommentRowBuilder(
            with_personal_data=self.with_personal_data, request=request
        )

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
            return self.as_spreadsheet(self.get_queryset(), request.GET.get("export"))
        return super().get(request, *args, **kwargs)

    def get_filename(self):
        return export_filename()

    def get_heading(self, queryset, field):
        return capfirst(str(self.export_headings[field]))

    def to_row_dict(self, item):
        return self.row_builder.row(item)

    def get_export_log_data(self, export_format):
        return {
            "format": export_format,
            "filters": _filters_for_log(self.request),
            "personal_data": self.with_personal_data,
        }

    def as_spreadsheet(self, queryset, spreadsheet_format):
        if spreadsheet_format not in self.FORMATS:
            return HttpResponseBadRequest(_("Unknown export format."))
        loggable = _loggable_queryset(queryset)
        data = self.get_export_log_data(spreadsheet_format)
        data["rows"] = loggable.count()
        moderation.log_export(loggable, self.request.user, "export", data)
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def stream_csv(self, queryset):
        # The rows are written after the view returns, when Wagtail no longer has the
        # user's admin language active: carry it into the generator.
        language = translation.get_language()
        with_personal_data, request = self.with_personal_data, self.request

        def generate():
            with translation.override(language):
                yield from iter_csv(
                    queryset, with_personal_data=with_personal_data, request=request
                )

        return generate()

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(
            self.stream_csv(queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response

    def write_xlsx(self, queryset, output):
        write_xlsx(
            queryset, output, with_personal_data=self.with_personal_data, request=self.request
        )

    def write_xlsx_response(self, queryset):
        output = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES)  # noqa: SIM115
        self.write_xlsx(queryset, output)
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            content_type=XLSX_CONTENT_TYPE,
            filename=f"{self.get_filename()}.xlsx",
        )
