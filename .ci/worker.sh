#!/usr/bin/env bash
# A real tasks worker: the demo portal's settings with django-tasks-db's DatabaseBackend and
# a file email backend, on a SQLite file (or WORKER_DATABASE_URL, e.g. the CI PostgreSQL),
# with the dev venv's Python (or WORKER_PYTHON).
# Loads the demo content, enqueues a receipt email and a large export through the admin's
# export button (threshold lowered to 100 rows), runs `manage.py db_worker --batch` (the
# worker process itself, which exits when the queue is empty) and checks what it did: the
# receipt email written, the export job done, its XLSX opened with openpyxl holding every
# comment, the "export ready" email written to the moderator. Exits non-zero on any failure.
#
# Time: about a minute (make install done).
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
unset DJANGO_SETTINGS_MODULE

step() { echo "worker: $*"; }
fail() { echo "worker: FAILED: $*" >&2; exit 1; }

step "make install"
make install >/dev/null

WORKDIR="$(mktemp -d "${TMPDIR:-/tmp}/policycomms-worker.XXXXXX")"
trap 'rm -rf "$WORKDIR"' EXIT
mkdir -p "$WORKDIR/mail" "$WORKDIR/private"

cat >"$WORKDIR/worker_settings.py" <<'PY'
import os

from portal.settings.dev import *  # noqa: F403
from portal.settings.dev import INSTALLED_APPS

assert "django_tasks_db" in INSTALLED_APPS
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if django.VERSION >= (6, 1):  # noqa: F405
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": os.environ["WORKER_MAIL_DIR"]},
        }
    }
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["WORKER_MAIL_DIR"]
POLICYCOMMS_ATTACHMENT_ROOT = os.environ["WORKER_PRIVATE_DIR"]
POLICYCOMMS_EXPORT_TASK_THRESHOLD = 100
PY

export PYTHONPATH="$WORKDIR:$ROOT/example_site:$ROOT"
export DJANGO_SETTINGS_MODULE=worker_settings
export WORKER_MAIL_DIR="$WORKDIR/mail" WORKER_PRIVATE_DIR="$WORKDIR/private"
export DATABASE_URL="${WORKER_DATABASE_URL:-sqlite:///$WORKDIR/db.sqlite3}"
# WORKER_PYTHON: another virtualenv's Python (CI also runs the newest set's worker).
PY=("${WORKER_PYTHON:-$ROOT/.venv/bin/python}")
MANAGE=("${PY[@]}" example_site/manage.py)
step "database ${DATABASE_URL%%:*}; mail in $WORKER_MAIL_DIR"

step "migrate and load the demo content"
"${MANAGE[@]}" migrate --noinput -v0
"${MANAGE[@]}" policycomms_demo >/dev/null

step "enqueue a receipt email and a large export"
"${PY[@]}" - "$WORKDIR/expected.json" <<'PY'
import json
import sys

import django

django.setup()

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from wagtail_policycomms import tasks
from wagtail_policycomms.models import PublicComment
from wagtail_policycomms.models.export_jobs import ExportJob
from wagtail_policycomms.permissions import can_export

DBTaskResult.objects.all().delete()  # what the demo's loading enqueued: not ours to check
comment = PublicComment.objects.exclude(email="").order_by("pk").first()
assert comment is not None, "the demo has no comment with an email"
tasks.send_receipt_email.enqueue(comment.pk, "http://127.0.0.1:8000/receipt/ci-check/")

# Enough comments for the export to go to the worker: copies of the demo's comments.
first = PublicComment.objects.order_by("pk").first()
copies = []
for i in range(300):
    copy = PublicComment.objects.get(pk=first.pk)
    copy.pk = None
    copy.receipt_code = f"CI-{i:06d}"
    copy.email = f"ci-{i}@example.vn"  # one comment per person and text
    copies.append(copy)
PublicComment.objects.bulk_create(copies)

moderator = get_user_model().objects.get(username="kiemduyet")
if not moderator.email:
    moderator.email = "kiemduyet@example.vn"
    moderator.save(update_fields=["email"])
assert can_export(moderator), "the demo's moderator may not export"
# The demo's ALLOWED_HOSTS: the worker then runs the export with no host of a test client.
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(moderator)
queue = reverse("wagtailsnippets_wagtail_policycomms_publiccomment:list")
response = client.get(queue + "?export=xlsx&status=")
assert response.status_code == 302, f"the export answered {response.status_code}, not a job"
job = ExportJob.objects.get()
assert response["Location"].endswith(f"/{job.pk}/"), response["Location"]
queued = DBTaskResult.objects.count()
assert queued == 2, f"{queued} tasks in the queue, expected 2"
json.dump(
    {
        "comment": comment.pk,
        "receipt_code": comment.receipt_code,
        "comment_email": comment.email,
        "job": str(job.pk),
        "rows": PublicComment.objects.count(),
        "moderator_email": moderator.email,
    },
    open(sys.argv[1], "w"),
)
print(f"worker: {queued} tasks queued; job {job.pk} for {PublicComment.objects.count()} rows")
PY

step "manage.py db_worker --batch"
timeout 120 "${MANAGE[@]}" db_worker --batch --no-reload --no-startup-delay --interval 0.5 \
    || fail "db_worker exited with code $?"

step "check what the worker did"
"${PY[@]}" - "$WORKDIR/expected.json" <<'PY'
import email
import email.policy
import json
import os
import sys
from pathlib import Path

import django

django.setup()

import openpyxl
from django_tasks_db.models import DBTaskResult

from wagtail_policycomms.models import PublicComment
from wagtail_policycomms.models.comments import EmailStatus
from wagtail_policycomms.models.export_jobs import ExportJob, ExportJobStatus

expected = json.load(open(sys.argv[1]))
problems = []

left = DBTaskResult.objects.exclude(status="SUCCESSFUL").values_list("task_path", "status")
if left:
    problems.append(f"tasks not successful: {list(left)}")

# The file backend writes each message followed by a line of 79 dashes.
messages = []
for path in sorted(Path(os.environ["WORKER_MAIL_DIR"]).iterdir()):
    for raw in path.read_text().split("-" * 79):
        if raw.strip():
            messages.append(email.message_from_string(raw.lstrip(), policy=email.policy.default))


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


receipts = [
    m for m in messages
    if expected["comment_email"] in m["To"] and expected["receipt_code"] in text_of(m)
]
if not receipts:
    problems.append(f"no receipt email with {expected['receipt_code']} in {len(messages)} emails")
comment = PublicComment.objects.get(pk=expected["comment"])
if comment.email_status != EmailStatus.SENT:
    problems.append(f"the comment's email_status is {comment.email_status!r}, not sent")

job = ExportJob.objects.get(pk=expected["job"])
if job.status != ExportJobStatus.DONE:
    problems.append(f"the export job is {job.status} ({job.error})")
else:
    with job.file.open("rb") as file:
        sheet = openpyxl.load_workbook(file, read_only=True).active
        rows = sum(1 for _ in sheet.iter_rows()) - 1
    if rows != expected["rows"] or job.rows_done != expected["rows"]:
        problems.append(f"the XLSX has {rows} rows (job: {job.rows_done}), expected {expected['rows']}")
    else:
        print(f"worker: the XLSX opens with {rows} rows")

ready = [m for m in messages if expected["moderator_email"] in m["To"] and expected["job"] in text_of(m)]
if not ready:
    problems.append("no 'export ready' email to the moderator with the job's link")

if problems:
    print("worker: FAILED:\n  " + "\n  ".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"worker: OK: {len(messages)} emails written, receipt and export-ready among them")
PY
