"""Large exports written by the tasks worker: the job's page, its download, the user's jobs.

Only the person who asked for an export (or a superuser) sees its page and downloads its
file, and only while they may export (``can_export``); anyone else gets ``forbidden()``.
The download streams the file from the private storage and writes no audit entry: the
task wrote the export's one entry when the file was made (``exports.jobs``).
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..exports.jobs import generic_error
from ..exports.writers import XLSX_CONTENT_TYPE
from ..formats import format_count
from ..models.export_jobs import ExportJob, ExportJobStatus
from ..permissions import can_export, forbidden

#: Jobs listed on the page of one's exports.
RECENT_JOBS = 20
#: Seconds between two refreshes of a job's page while the worker has not finished.
REFRESH_SECONDS = 5

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_CONTENT_TYPE}


def may_see(user, job):
    return can_export(user) and (job.user_id == user.pk or user.is_superuser)


def recent_jobs(user):
    """The user's latest jobs, with their rows written as counts (200.000), for the table."""
    jobs = ExportJob.objects.filter(user=user).order_by("-created_at")[:RECENT_JOBS]
    return [{"job": job, "rows": format_count(job.rows_done)} for job in jobs]


class ExportJobsMixin(WagtailAdminTemplateMixin):
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not can_export(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class ExportJobView(ExportJobsMixin, TemplateView):
    """One job: its status, progress, and the download link once the file is ready."""

    template_name = "wagtail_policycomms/admin/exports/job.html"

    def dispatch(self, request, pk):
        self.job = get_object_or_404(ExportJob, pk=pk)
        if not may_see(request.user, self.job):
            return forbidden(request)
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Export of comments")

    def get_page_subtitle(self):
        return self.job.file_format.upper()

    def get_context_data(self, **kwargs):
        job = self.job
        working = job.status in (ExportJobStatus.QUEUED, ExportJobStatus.RUNNING)
        # The page refreshes itself while the worker writes, unless asked not to (?refresh=0).
        refresh = working and self.request.GET.get("refresh") != "0"
        return super().get_context_data(
            job=job,
            statuses=ExportJobStatus,
            working=working,
            refresh_seconds=REFRESH_SECONDS if refresh else None,
            rows_done=format_count(job.rows_done),
            total_rows=format_count(job.total_rows),
            generic_error=generic_error(),
            jobs=recent_jobs(self.request.user),
            **kwargs,
        )


class ExportJobListView(ExportJobsMixin, TemplateView):
    """The user's own recent exports."""

    template_name = "wagtail_policycomms/admin/exports/index.html"

    def get_page_title(self):
        return _("My exports")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            jobs=recent_jobs(self.request.user), statuses=ExportJobStatus, **kwargs
        )


def download_export_job(request, pk):
    """The job's file, streamed from the private storage; 404 once it has expired."""
    job = get_object_or_404(ExportJob, pk=pk)
    if not may_see(request.user, job):
        return forbidden(request)
    if job.status != ExportJobStatus.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        content_type=CONTENT_TYPES.get(job.file_format, "application/octet-stream"),
        filename=job.file.name.rsplit("/", 1)[-1],
    )
