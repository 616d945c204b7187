"""A large comment export run by the tasks worker (issue 13).

A moderator who asks for more rows than ``POLICYCOMMS_EXPORT_TASK_THRESHOLD`` gets a
job instead of a streamed download: the worker writes the file into the private
attachment storage (it holds personal data), counts its progress on the row, and the
moderator downloads it from the job's page until ``expires_at``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..uploads import attachment_storage


class ExportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


def export_upload_to(instance, filename):
    return f"policycomms/exports/{instance.pk}/{filename}"


class ExportJob(models.Model):
    # A random id: the job's URLs cannot be guessed from another job's.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    file_format = models.CharField(_("format"), max_length=10)
    # The queue's query string (filters and search) the export was asked with.
    query = models.TextField(_("filters"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExportJobStatus.choices,
        default=ExportJobStatus.QUEUED,
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(
        _("file"),
        storage=attachment_storage,
        upload_to=export_upload_to,
        blank=True,
        max_length=255,
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_format} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self):
        if not self.total_rows:
            return 100 if self.status == ExportJobStatus.DONE else 0
        return min(100, self.rows_done * 100 // self.total_rows)
