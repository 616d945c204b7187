"""Large exports written by the tasks worker (``exports.jobs``, ``views.export_jobs``).

Through the real stack: the queue's export button with the Django test client, the
immediate tasks backend (the task runs when the job is committed), the file read back
from the private storage with openpyxl or csv.
"""

import codecs
import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from freezegun import freeze_time
from wagtail.models import ModelLogEntry

from tests import factories
from wagtail_policycomms.exports import jobs
from wagtail_policycomms.exports.columns import export_columns
from wagtail_policycomms.models import PublicComment
from wagtail_policycomms.models.comments import CommentStatus
from wagtail_policycomms.models.export_jobs import ExportJob, ExportJobStatus

EXPORT = "wagtail_policycomms.export_publiccomment"
PERSONAL = "wagtail_policycomms.view_personal_data"
VIEW = "wagtail_policycomms.view_publiccomment"
QUEUE = "wagtailsnippets_wagtail_policycomms_publiccomment:list"
EXPORT_ACTION = "wagtail_policycomms.export"


@pytest.fixture(autouse=True)
def threshold(settings):
    settings.POLICYCOMMS_EXPORT_TASK_THRESHOLD = 10
    return 10


@pytest.fixture
def exporter(db):
    return factories.make_staff("exporter", [VIEW, EXPORT, PERSONAL], language="vi")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def export_url(export_format, **params):
    params.setdefault("status", "")
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse(QUEUE) + f"?export={export_format}&" + query


def add_comments(consultation, count, **kwargs):
    PublicComment.objects.bulk_create(factories.build_comments(consultation, count, **kwargs))


def export_logs():
    return ModelLogEntry.objects.filter(action=EXPORT_ACTION)


def ask(client, export_format, capture, **params):
    """Ask for an export; the job's task runs when its transaction commits."""
    with capture(execute=True):
        response = client.get(export_url(export_format, **params))
    return response


def job_page(job):
    return reverse("wagtail_policycomms_admin:export_job", args=[job.pk])


def download(job):
    return reverse("wagtail_policycomms_admin:export_job_download", args=[job.pk])


def xlsx_rows(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def content_of(response):
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


# --- Below the threshold: streamed as before --------------------------------------------------


def test_below_the_threshold_the_export_streams(
    exporter, consultation, django_capture_on_commit_callbacks
):
    add_comments(consultation, 10)
    response = ask(client_for(exporter), "csv", django_capture_on_commit_callbacks)
    rows = list(csv.reader(io.StringIO(content_of(response).decode("utf-8-sig"))))
    assert len(rows) == 11
    assert not ExportJob.objects.exists()


def test_threshold_zero_always_streams(
    exporter, consultation, settings, django_capture_on_commit_callbacks
):
    settings.POLICYCOMMS_EXPORT_TASK_THRESHOLD = 0
    add_comments(consultation, 30)
    response = ask(client_for(exporter), "xlsx", django_capture_on_commit_callbacks)
    assert len(xlsx_rows(content_of(response))) == 31
    assert not ExportJob.objects.exists()


# --- Above it: a job ----------------------------------------------------------------------------


def test_above_the_threshold_a_job_writes_every_row(
    exporter, consultation, django_capture_on_commit_callbacks
):
    add_comments(consultation, 25, status=CommentStatus.APPROVED)
    add_comments(consultation, 4, status=CommentStatus.REJECTED)
    client = client_for(exporter)
    response = ask(client, "xlsx", django_capture_on_commit_callbacks, status="approved", p="3")
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job_page(job)
    assert "export=" not in job.query and "p=" not in job.query
    assert "status=approved" in job.query

    job.refresh_from_db()
    assert job.status == ExportJobStatus.DONE
    assert (job.total_rows, job.rows_done, job.percent) == (25, 25, 100)
    assert job.expires_at - job.finished_at == timedelta(hours=72)

    page = client.get(job_page(job))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Sẵn sàng" in text or "Ready" in text
    assert download(job) in text
    assert 'http-equiv="refresh"' not in text

    file = client.get(download(job))
    rows = xlsx_rows(content_of(file))
    assert len(rows) == 26  # the heading and every approved comment
    assert file["Content-Disposition"].startswith('attachment; filename="gop-y-')
    # Personal data columns, as the user may see them, headed in their admin language.
    assert len(rows[0]) == len(export_columns(with_personal_data=True))
    assert rows[0][0] == "Mã tiếp nhận"

    # One audit entry, as a streamed export writes; the download writes none.
    [entry] = export_logs()
    assert entry.data["rows"] == 25 and entry.data["complete"] is True
    assert entry.data["format"] == "xlsx" and entry.data["personal_data"] is True
    assert entry.data["filters"] == {"status": "approved"}
    client.get(download(job))
    assert export_logs().count() == 1


def test_a_csv_job_and_a_search(exporter, consultation, django_capture_on_commit_callbacks):
    add_comments(consultation, 12, body="Đề nghị sửa Điều 5 về lệ phí")
    add_comments(consultation, 12, body="Một ý kiến khác hoàn toàn")
    client = client_for(exporter)
    ask(client, "csv", django_capture_on_commit_callbacks, q="lệ phí")
    job = ExportJob.objects.get()
    raw = content_of(client.get(download(job)))
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 13
    assert all("lệ phí" in " ".join(row) for row in rows[1:])


def test_the_ready_email_goes_to_the_requester_only_in_vietnamese(
    exporter, consultation, django_capture_on_commit_callbacks
):
    add_comments(consultation, 11, body="Nội dung góp ý riêng tư không được gửi qua email")
    factories.make_staff("other", [VIEW, EXPORT])
    ask(client_for(exporter), "xlsx", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    [message] = mail.outbox
    assert message.to == [exporter.email]
    # In the requester's admin language (Vietnamese), whatever language the worker runs in.
    with translation.override("vi"):
        subject = render_to_string(
            "wagtail_policycomms/emails/export_ready_subject.txt", {"file_format": "XLSX"}
        ).strip()
    assert message.subject == subject
    html = message.alternatives[0][0]
    assert '<html lang="vi">' in html
    assert "http://testserver" + job_page(job) in message.body
    assert "riêng tư" not in message.body
    assert "riêng tư" not in html


def test_the_page_shows_progress_while_the_worker_writes(exporter, consultation):
    job = ExportJob.objects.create(
        user=exporter,
        file_format="xlsx",
        status=ExportJobStatus.RUNNING,
        total_rows=40000,
        rows_done=12000,
    )
    page = client_for(exporter).get(job_page(job))
    text = page.content.decode()
    assert 'http-equiv="refresh"' in text
    assert 'value="30"' in text  # the progress bar
    assert "12.000" in text and "40.000" in text and "30%" in text
    stopped = client_for(exporter).get(job_page(job) + "?refresh=0").content.decode()
    assert 'http-equiv="refresh"' not in stopped
    assert download(job) not in text
    assert client_for(exporter).get(download(job)).status_code == 404


def test_the_list_of_ones_own_exports(exporter, db):
    other = factories.make_staff("other", [VIEW, EXPORT])
    mine = ExportJob.objects.create(user=exporter, file_format="csv")
    theirs = ExportJob.objects.create(user=other, file_format="csv")
    text = client_for(exporter).get(reverse("wagtail_policycomms_admin:export_jobs")).content
    assert job_page(mine).encode() in text
    assert job_page(theirs).encode() not in text


def test_the_queue_links_to_ones_exports_for_exporters_only(exporter, db):
    jobs = reverse("wagtail_policycomms_admin:export_jobs").encode()
    assert jobs in client_for(exporter).get(reverse(QUEUE)).content
    reader = factories.make_staff("reader", [VIEW])
    page = client_for(reader).get(reverse(QUEUE))
    assert page.status_code == 200
    assert jobs not in page.content


# --- Who may see a job ------------------------------------------------------------------------


def test_only_the_requester_or_a_superuser_sees_a_job(
    exporter, consultation, django_capture_on_commit_callbacks
):
    add_comments(consultation, 11)
    ask(client_for(exporter), "xlsx", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    other_moderator = factories.make_staff("other", [VIEW, EXPORT, PERSONAL])
    no_export = factories.make_staff("viewer", [VIEW])
    for user in (other_moderator, no_export):
        client = client_for(user)
        assert client.get(job_page(job)).status_code == 403
        assert client.get(download(job)).status_code == 403
    assert (
        client_for(no_export).get(reverse("wagtail_policycomms_admin:export_jobs")).status_code
        == 403
    )
    superuser = factories.make_superuser("boss")
    assert client_for(superuser).get(download(job)).status_code == 200
    anonymous = Client().get(download(job))
    assert anonymous.status_code == 302
    assert export_logs().count() == 1


def test_a_user_without_the_export_permission_gets_no_job(
    consultation, django_capture_on_commit_callbacks
):
    add_comments(consultation, 11)
    viewer = factories.make_staff("viewer", [VIEW])
    response = ask(client_for(viewer), "xlsx", django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert not ExportJob.objects.exists()


# --- Expiry and failure -------------------------------------------------------------------------


def test_expired_files_are_deleted_by_the_command(
    exporter, consultation, storage_dir, django_capture_on_commit_callbacks
):
    add_comments(consultation, 11)
    client = client_for(exporter)
    with freeze_time("2026-03-01 08:00"):
        ask(client, "xlsx", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    path = storage_dir / job.file.name
    assert path.exists()
    with freeze_time("2026-03-04 07:00"):
        call_command("policycomms_expire_exports", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == ExportJobStatus.DONE and path.exists()
    out = io.StringIO()
    with freeze_time("2026-03-04 08:01"):
        call_command("policycomms_expire_exports", stdout=out)
    assert "Expired 1" in out.getvalue()
    job.refresh_from_db()
    assert job.status == ExportJobStatus.EXPIRED and not job.file
    assert not path.exists()
    assert client.get(download(job)).status_code == 404
    text = client.get(job_page(job)).content.decode()
    assert "hết hạn" in text or "expired" in text


def test_a_job_stuck_for_a_day_is_marked_failed(exporter, db):
    with freeze_time("2026-03-01 08:00"):
        job = ExportJob.objects.create(
            user=exporter, file_format="xlsx", status=ExportJobStatus.RUNNING
        )
    with freeze_time("2026-03-02 09:00"):
        call_command("policycomms_expire_exports", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == ExportJobStatus.FAILED and job.error


def test_a_failing_task_marks_the_job_failed(
    exporter, consultation, settings, django_capture_on_commit_callbacks, caplog
):
    add_comments(consultation, 11)
    # A storage that cannot be written: the task fails while saving the file.
    settings.POLICYCOMMS_ATTACHMENT_ROOT = "/proc/not-writable"
    client = client_for(exporter)
    ask(client, "xlsx", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert job.status == ExportJobStatus.FAILED
    assert job.error and "Traceback" not in job.error and "proc" not in job.error
    assert job.finished_at is not None
    assert "Export job" in caplog.text
    text = client.get(job_page(job)).content.decode()
    assert job.error in text
    assert client.get(download(job)).status_code == 404
    assert not export_logs().exists()
    assert not mail.outbox


def test_the_task_refuses_a_user_who_lost_the_permission(exporter, consultation):
    add_comments(consultation, 11)
    job = ExportJob.objects.create(user=exporter, file_format="csv", query="status=")
    exporter.user_permissions.clear()
    jobs.run_export_job.enqueue(str(job.pk))
    job.refresh_from_db()
    assert job.status == ExportJobStatus.FAILED
    assert not export_logs().exists()


def test_a_job_runs_once(exporter, consultation):
    add_comments(consultation, 11)
    job = ExportJob.objects.create(user=exporter, file_format="csv", query="status=")
    jobs.run_export_job.enqueue(str(job.pk))
    jobs.run_export_job.enqueue(str(job.pk))
    assert export_logs().count() == 1
    assert len(mail.outbox) == 1


# --- Cost -------------------------------------------------------------------------------------


def job_of(user, consultation, count):
    PublicComment.objects.all().delete()
    add_comments(consultation, count)
    return ExportJob.objects.create(user=user, file_format="xlsx", query="status=")


def test_the_tasks_queries_do_not_grow_with_the_rows(
    exporter, consultation, django_assert_max_num_queries
):
    job = job_of(exporter, consultation, 50)
    with CaptureQueriesContext(connection) as small:
        jobs.run_export_job.enqueue(str(job.pk))
    job = job_of(exporter, consultation, 500)
    with django_assert_max_num_queries(len(small)):
        jobs.run_export_job.enqueue(str(job.pk))
    job.refresh_from_db()
    assert job.status == ExportJobStatus.DONE and job.rows_done == 500


def test_progress_is_recorded_once_per_chunk(exporter, consultation, monkeypatch):
    from wagtail_policycomms.exports import columns

    monkeypatch.setattr(columns, "CHUNK_SIZE", 20)
    add_comments(consultation, 50)
    job = ExportJob.objects.create(user=exporter, file_format="csv", query="status=")
    with CaptureQueriesContext(connection) as queries:
        jobs.run_export_job.enqueue(str(job.pk))
    progress = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and "rows_done" in q["sql"]
    ]
    # Three chunks (20, 20, 10), then the job marked done.
    assert len(progress) == 4
    job.refresh_from_db()
    assert job.rows_done == 50


def test_expiry_uses_the_setting(exporter, consultation, settings):
    settings.POLICYCOMMS_EXPORT_FILE_HOURS = 5
    add_comments(consultation, 11)
    job = ExportJob.objects.create(user=exporter, file_format="csv", query="status=")
    before = timezone.now()
    jobs.run_export_job.enqueue(str(job.pk))
    job.refresh_from_db()
    assert before + timedelta(hours=5) <= job.expires_at <= timezone.now() + timedelta(hours=5)
