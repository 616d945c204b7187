"""Large exports written by the tasks worker (``ExportJob``).

An export of the queue with more rows than ``POLICYCOMMS_EXPORT_TASK_THRESHOLD`` is not
streamed during the request (a million-row XLSX takes minutes, longer than a proxy
waits): the view stores an ``ExportJob`` with the queue's query string and enqueues
``run_export_job``. The task rebuilds the export exactly as the queue's export button
does, as the job's user: the same index view (``CommentExportMixin`` on the queue), so the
same filters, search, ordering, columns and personal-data rule, with no second copy of
any of them. It writes the file through a temporary file into the private attachment
storage, records its progress once per chunk of rows, writes the one audit entry of the
export (``moderation.log_export``), and emails the requester a link to the job's page
(never any comment data). The file is deleted after ``POLICYCOMMS_EXPORT_FILE_HOURS`` by
``policycomms_expire_exports`` (``expire_jobs``).
"""

import logging
import tempfile
from datetime import timedelta
from functools import partial

from django.core.files import File
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_tasks import task

from .. import moderation
from ..conf import policycomms_settings
from ..formats import format_count, format_staff_datetime
from ..models import PublicComment
from ..models.export_jobs import ExportJob, ExportJobStatus
from ..permissions import can_export
from .columns import CommentRowBuilder, as_queryset
from .writers import iter_csv, write_xlsx

logger = logging.getLogger(__name__)

#: Query-string keys that are not part of what is exported (the button, the page, Wagtail's
#: fragment flag).
NOT_FILTERS = frozenset({"export", "p", "_w_filter_fragment"})


def exceeds_threshold(queryset):
    """True when the export should run as a job: more rows than the threshold.

    Counted up to the threshold only (a LIMIT inside the COUNT): deciding costs the same
    for a million rows as for the threshold's number; only the ids are read (not the
    listing's annotations).
    """
    threshold = policycomms_settings.EXPORT_TASK_THRESHOLD
    if not threshold:
        return False
    limited = as_queryset(queryset).order_by().values("pk")[: threshold + 1]
    return limited.count() > threshold


def job_query(params):
    """The queue's query string without the export button and the page number."""
    return urlencode(
        [
            (key, value)
            for key, values in params.lists()
            if key not in NOT_FILTERS
            for value in values
        ]
    )


def user_language(user):
    """The language the user reads the admin in (their Wagtail preference), for the file
    and the email written without a request."""
    from wagtail.users.models import UserProfile

    return UserProfile.get_for_user(user).get_preferred_language()


def start_export_job(user, file_format, params):
    """Store a job for the export and enqueue it once the job is committed."""
    job = ExportJob.objects.create(user=user, file_format=file_format, query=job_query(params))
    transaction.on_commit(partial(enqueue_export_job, job.pk))
    return job


def enqueue_export_job(job_id):
    """Enqueue the job's task; a task queue that is down fails the job instead of the request."""
    try:
        run_export_job.enqueue(str(job_id))
    except Exception:
        logger.exception("Could not enqueue export job %s", job_id)
        _fail(job_id)


def job_url(job):
    return reverse("wagtail_policycomms_admin:export_job", args=[job.pk])


# --- The task -------------------------------------------------------------------------------


class ProgressRowBuilder(CommentRowBuilder):
    """Records on the job how many rows are written: one UPDATE per chunk, never per row."""

    def __init__(self, job_id, **kwargs):
        super().__init__(**kwargs)
        self.job_id = job_id

    def rows(self, chunk):
        yield from super().rows(chunk)
        ExportJob.objects.filter(pk=self.job_id).update(rows_done=self.count)


def queue_view(user, query):
    """The queue's index view, set up as ``user`` asking for ``query``: the export's filters,
    search, ordering and columns are the ones the button would have exported."""
    view_function = PublicComment.snippet_viewset.index_view
    request = RequestFactory().get(
        reverse("wagtailsnippets_wagtail_policycomms_publiccomment:list") + "?" + query
    )
    request.user = user
    view = view_function.view_class(**view_function.view_initkwargs)
    view.setup(request)
    return view


def generic_error():
    return _(
        "The export could not be written. Try again; if it fails again, tell the administrator."
    )


def _fail(job_id, language=None):
    """Mark the job failed with the generic message (the traceback goes to the log)."""
    with translation.override(language or translation.get_language()):
        error = generic_error()
    ExportJob.objects.filter(pk=job_id).exclude(status=ExportJobStatus.DONE).update(
        status=ExportJobStatus.FAILED, error=error, finished_at=timezone.now()
    )


def _write(job, output):
    """Write the job's file into ``output``; returns (rows, the audit entry's data)."""
    if not can_export(job.user):
        raise PermissionError(f"User {job.user.pk} may no longer export comments")
    view = queue_view(job.user, job.query)
    filters = getattr(view, "filters", None)
    if filters is not None and not filters.is_valid():
        raise ValueError(f"Invalid filters: {', '.join(sorted(filters.errors))}")
    queryset = as_queryset(view.get_queryset())
    total = queryset.order_by().count()
    ExportJob.objects.filter(pk=job.pk).update(total_rows=total)
    builder = ProgressRowBuilder(job.pk, with_personal_data=view.with_personal_data)
    if job.file_format == "csv":
        for block in iter_csv(queryset, builder=builder):
            output.write(block.encode("utf-8"))
    else:
        write_xlsx(queryset, output, builder=builder)
    data = {**view.get_export_log_data(job.file_format), "rows": builder.count, "complete": True}
    return builder.count, data


def notify_ready(job, language):
    """Email the requester that the file is ready: a link to the job's page, no comment data."""
    from ..notifications.mail import admin_url, send_email

    if not job.user.email:
        return
    try:
        with translation.override(language):
            send_email(
                "export_ready",
                job.user.email,
                {
                    "job": job,
                    "job_url": admin_url(job_url(job)),
                    "rows": format_count(job.rows_done),
                    "file_format": job.file_format.upper(),
                    "expires_at": format_staff_datetime(job.expires_at),
                },
                language=language,
            )
    except Exception:
        logger.warning("Could not email export job %s's requester", job.pk, exc_info=True)


@task()
def run_export_job(job_id):
    """Write an export job's file. Returns the number of rows, or None if not run."""
    # Claimed once: a second worker (or a second enqueue) finds it running and stops.
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJobStatus.QUEUED).update(
        status=ExportJobStatus.RUNNING
    )
    if not claimed:
        return None
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    language = user_language(job.user)
    try:
        from .views import export_filename

        with translation.override(language), tempfile.TemporaryFile() as output:
            rows, data = _write(job, output)
            output.seek(0)
            job.file.save(
                f"{export_filename(job.created_at)}.{job.file_format}", File(output), save=False
            )
        # Audited before it can be downloaded: an export is never unaudited.
        moderation.log_export(None, job.user, "export", data)
        now = timezone.now()
        job.status = ExportJobStatus.DONE
        job.rows_done = rows
        job.finished_at = now
        job.expires_at = now + timedelta(hours=policycomms_settings.EXPORT_FILE_HOURS)
        job.save(update_fields=["status", "rows_done", "file", "finished_at", "expires_at"])
    except Exception:
        logger.exception("Export job %s failed", job_id)
        _fail(job_id, language)
        if job.file:
            job.file.delete(save=False)
        raise
    notify_ready(job, language)
    return rows


# --- Expiry ---------------------------------------------------------------------------------


def expire_jobs(now=None):
    """Delete the files of jobs past ``expires_at`` and mark them expired; returns how many.

    Jobs left queued or running for a day (a worker killed mid-job) are marked failed.
    """
    now = now or timezone.now()
    expired = 0
    for job in ExportJob.objects.filter(status=ExportJobStatus.DONE, expires_at__lte=now):
        if job.file:
            job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJobStatus.EXPIRED, file="")
        expired += 1
    stale = ExportJob.objects.filter(
        status__in=[ExportJobStatus.QUEUED, ExportJobStatus.RUNNING],
        created_at__lte=now - timedelta(days=1),
    )
    stale.update(status=ExportJobStatus.FAILED, error=generic_error(), finished_at=now)
    return expired
