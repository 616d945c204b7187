"""The admin side of exports: the moderation queue's export buttons
(``CommentExportMixin``), a stand-alone export URL (``CommentExportView``) and the
form that reads the queue's GET parameters.

Kept apart from rows and writers because it depends on Wagtail's admin views and
on request handling (permissions, audit log, streaming responses), which the
rest of the export code does not need.
"""

import tempfile
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.urls import path
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from .. import moderation
from ..admin_permissions import forbidden
from ..conf import policycomms_settings
from ..models import (
    AnswerState,
    CommenterType,
    CommentStatus,
    CommentTheme,
    ConsultationPage,
    DraftPolicyPage,
    PublicComment,
)
from ..models.comments import CommentAttachment
from .columns import (
    CommentRowBuilder,
    annotate_group_size,
    as_queryset,
    can_export,
    can_see_personal_data,
    export_columns,
)
from .writers import XLSX_CONTENT_TYPE, iter_csv, write_xlsx

DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y"]
#: Above this size a spooled XLSX moves from memory to a temporary file on disk.
SPOOL_MAX_BYTES = 8 * 1024 * 1024


def export_filename(moment=None):
    local = timezone.localtime(moment or timezone.now(), ZoneInfo(policycomms_settings.TIME_ZONE))
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
        self.with_personal_data = can_see_personal_data(request.user)
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


class CommentExportFilterForm(forms.Form):
    """The moderation queue's GET parameters, with the queue's meaning and defaults.

    Without a ``status`` parameter the queue shows pending comments; ``status=``
    (empty) means every status. ``article=-`` is the whole draft; ``theme`` is a tag
    id; ``group`` is the id of any member of a duplicate group; ``duplicates`` is
    ``grouped`` or ``unique``. Names are searched (``q``) only for staff allowed to
    see them.
    """

    draft = forms.IntegerField(required=False)
    consultation = forms.IntegerField(required=False)
    status = forms.ChoiceField(choices=[("", "")] + CommentStatus.choices, required=False)
    article = forms.CharField(required=False, max_length=64)
    commenter_type = forms.ChoiceField(choices=[("", "")] + CommenterType.choices, required=False)
    submitted_from = forms.DateField(required=False, input_formats=DATE_INPUTS)
    submitted_to = forms.DateField(required=False, input_formats=DATE_INPUTS)
    has_attachment = forms.NullBooleanField(required=False)
    answer_state = forms.ChoiceField(choices=[("", "")] + AnswerState.choices, required=False)
    theme = forms.IntegerField(required=False)
    duplicates = forms.ChoiceField(
        choices=[("", ""), ("grouped", "grouped"), ("unique", "unique")], required=False
    )
    group = forms.IntegerField(required=False)
    q = forms.CharField(required=False, max_length=255, strip=True)

    def __init__(self, data, *, user):
        if "status" not in data:
            data = data.copy()
            data["status"] = CommentStatus.PENDING
        super().__init__(data)
        self.user = user

    def filter(self, queryset):  # noqa: C901 - one branch per filter
        data = self.cleaned_data
        zone = ZoneInfo(policycomms_settings.TIME_ZONE)
        if data["draft"] is not None:
            draft = DraftPolicyPage.objects.filter(pk=data["draft"]).first()
            if draft is None:
                return queryset.none()
            queryset = queryset.filter(consultation__in=ConsultationPage.objects.child_of(draft))
        if data["consultation"] is not None:
            queryset = queryset.filter(consultation_id=data["consultation"])
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["article"]:
            queryset = queryset.filter(article_id="" if data["article"] == "-" else data["article"])
        if data["commenter_type"]:
            queryset = queryset.filter(commenter_type=data["commenter_type"])
        if data["submitted_from"]:
            start = datetime.combine(data["submitted_from"], time.min, zone)
            queryset = queryset.filter(submitted_at__gte=start)
        if data["submitted_to"]:
            end = datetime.combine(data["submitted_to"] + timedelta(days=1), time.min, zone)
            queryset = queryset.filter(submitted_at__lt=end)
        if data["has_attachment"] is not None:
            attached = Exists(CommentAttachment.objects.filter(comment=OuterRef("pk")))
            queryset = queryset.filter(attached if data["has_attachment"] else ~attached)
        if data["answer_state"]:
            queryset = queryset.with_answer_state(data["answer_state"])
        if data["theme"] is not None:
            tagged = CommentTheme.objects.filter(tag_id=data["theme"])
            queryset = queryset.filter(pk__in=tagged.values("content_object_id"))
        if data["duplicates"]:
            queryset = annotate_group_size(queryset)
            queryset = (
                queryset.filter(group_size__gte=2)
                if data["duplicates"] == "grouped"
                else queryset.filter(group_size=1)
            )
        if data["group"] is not None:
            member = PublicComment.objects.filter(pk=data["group"])
            queryset = queryset.filter(
                consultation_id=Subquery(member.values("consultation_id")[:1]),
                text_hash=Subquery(member.values("text_hash")[:1]),
            )
        if data["q"]:
            fields = ["body", "organisation_name", "receipt_code"]
            if can_see_personal_data(self.user):
                fields.append("display_name")
            condition = Q()
            for name in fields:
                condition |= Q(**{f"{name}__icontains": data["q"]})
            queryset = queryset.filter(condition)
        return queryset


class CommentExportView(CommentExportMixin, View):
    """``policycomms/comments/export/<csv|xlsx>/?consultation=…&status=…&q=…``: the same
    export as the queue's buttons, usable on its own.

    It reads the queue's GET parameters with the queue's defaults (see
    ``CommentExportFilterForm``).
    """

    def get(self, request, export_format):
        if not can_export(request.user):
            return forbidden(request)
        if export_format not in self.FORMATS:
            return HttpResponseBadRequest(_("Unknown export format."))
        filters = CommentExportFilterForm(request.GET, user=request.user)
        if not filters.is_valid():
            return invalid_filters(filters)
        queryset = filters.filter(PublicComment.objects.all())
        return self.as_spreadsheet(queryset, export_format)


def get_admin_urls():
    """Admin URL patterns; register with the ``register_admin_urls`` hook."""
    return [
        path(
            "policycomms/comments/export/<str:export_format>/",
            require_admin_access(CommentExportView.as_view()),
            name="wagtail_policycomms_comment_export",
        ),
    ]
