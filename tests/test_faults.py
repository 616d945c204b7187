"""Faults: the database or the mail server failing while a comment is taken, and bad links.

The database fails for real: a second connection holds the write lock (SQLite's
``BEGIN IMMEDIATE``, PostgreSQL's ``LOCK TABLE`` with a short ``lock_timeout``), or
Django's documented ``connection.execute_wrapper`` hook raises the driver's
``OperationalError`` on a statement, as a dropped connection does. Mail fails through
Django's pluggable email backend: the small backends below refuse as an SMTP server
does. Nothing of the package is mocked.
"""

import contextlib
import re
import smtplib
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend
from freezegun import freeze_time
from wagtail.models import Site

from tests import factories
from tests.factories import soup_of
from wagtail_policycomms import tasks
from wagtail_policycomms.models import (
    CommentAttachment,
    ConsultationPage,
    ConsultationSettings,
    PublicComment,
)
from wagtail_policycomms.views.public import (
    RECEIPT_SALT,
    VERIFY_SALT,
    verification_path,
)

BODY = "Đề nghị giữ nguyên Điều 2; xin gửi kèm phụ lục số liệu của doanh nghiệp."
COMMENT_TABLE = '"wagtail_policycomms_publiccomment"'
ATTACHMENT_TABLE = '"wagtail_policycomms_commentattachment"'
QUEUE = "wagtailsnippets_wagtail_policycomms_publiccomment"
ON_SQLITE = connection.vendor == "sqlite"


def assert_nothing_stored(storage_dir):
    assert PublicComment.objects.count() == 0
    assert CommentAttachment.objects.count() == 0
    assert factories.stored_files(storage_dir) == []


def shown_text(response):
    """The comment text a failure page gives back: the bound form's, or the read-only copy."""
    soup = soup_of(response)
    field = soup.select_one("textarea[name=body]") or soup.select_one("#unavailable-text")
    return field.get_text().strip()


# --- The database fails for real ---------------------------------------------------------


#: Statements a test's own transaction needs, which a failing connection still lets through
#: here (the test goes on with its checks afterwards).
SAVEPOINTS = re.compile(r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b")


@contextlib.contextmanager
def failing_statements(fragment, *, then_everything=False):
    """Raise the driver's error on statements containing ``fragment``, as a connection lost
    mid-request does; with ``then_everything``, on every statement after the first too."""
    failed = []

    def wrapper(execute, sql, params, many, context):
        if fragment in sql or (then_everything and failed and not SAVEPOINTS.match(sql)):
            failed.append(sql)
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield failed


class WriteLock:
    """A second connection to the test database that keeps comments from being written.

    SQLite: the tests' in-memory database is shared between connections (shared cache,
    with table locks): a transaction that has read the comments table holds its lock,
    and an INSERT elsewhere fails with "database table is locked", as a file database
    answers "database is locked" while another process holds it. PostgreSQL:
    ``LOCK TABLE … IN EXCLUSIVE MODE``, with this test's ``lock_timeout`` short so the
    INSERT gives up quickly ("canceling statement due to lock timeout").
    """

    def __init__(self):
        self.other = connection.get_new_connection(connection.get_connection_params())
        if ON_SQLITE:
            self.other.execute("BEGIN")
            self.other.execute("SELECT count(*) FROM wagtail_policycomms_publiccomment").fetchall()
        else:
            with self.other.cursor() as cursor:
                cursor.execute("SET lock_timeout = '5s'")  # never hang the suite
                cursor.execute(f"LOCK TABLE {COMMENT_TABLE} IN EXCLUSIVE MODE")
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '200ms'")
        self.held = True

    def release(self):
        if self.held:
            self.other.rollback()
            self.held = False

    def close(self):
        self.release()
        self.other.close()
        if not ON_SQLITE:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")


@pytest.fixture
def write_lock(db):
    lock = WriteLock()
    yield lock
    lock.close()


@contextlib.contextmanager
def lock_failures(lock, release_after=None):
    """Count the statements refused because of the lock; release it after that many."""
    failures = []

    def wrapper(execute, sql, params, many, context):
        try:
            return execute(sql, params, many, context)
        except OperationalError as error:
            if "lock" not in str(error):
                raise
            failures.append(sql)
            if release_after is not None and len(failures) >= release_after:
                lock.release()
            raise

    with connection.execute_wrapper(wrapper):
        yield failures


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "We could not save your comment just now because of a technical problem"),
        ("vi", "Góp ý của bạn chưa được gửi"),
    ],
)
def test_database_error_while_storing_gives_the_text_back_and_stores_nothing(
    send, consultation, storage_dir, mailoutbox, language, message
):
    # The comment row and the file are written; the attachment's row fails.
    with failing_statements(f"INSERT INTO {ATTACHMENT_TABLE}") as failed:
        response = send(
            body=BODY,
            display_name="Trần Thị Bình",
            files=[factories.upload("số liệu.pdf", factories.pdf_bytes())],
            HTTP_ACCEPT_LANGUAGE=language,
        )
    assert len(failed) == 1  # a lost connection is not retried: only a lock is
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "private" in response["Cache-Control"]
    assert message in response.content.decode()
    assert shown_text(response) == BODY
    form = soup_of(response).select_one("#comment-form form")
    assert form.select_one("input[name=display_name]")["value"] == "Trần Thị Bình"
    assert_nothing_stored(storage_dir)
    assert mailoutbox == []

    # Sent again a moment later (with the fresh form token of the page), it is taken.
    assert send(body=BODY).status_code == 303
    assert PublicComment.objects.get().body == BODY


def test_the_failure_message_asks_for_the_files_again(send, consultation):
    with failing_statements(f"INSERT INTO {COMMENT_TABLE}"):
        with_files = send(files=[factories.upload("a.pdf", factories.pdf_bytes())])
        without = send()
    assert "Please attach your files again." in with_files.content.decode()
    assert "Please attach your files again." not in without.content.decode()
    assert "because of a technical problem" in without.content.decode()


def test_a_database_gone_for_good_still_answers_with_the_text(send, consultation, storage_dir):
    # The attachment's INSERT fails (the comment row and the file are written) and so
    # does every query after it, the page's own included.
    with failing_statements(f"INSERT INTO {ATTACHMENT_TABLE}", then_everything=True) as failed:
        response = send(
            body=BODY,
            files=[factories.upload("số liệu.pdf", factories.pdf_bytes())],
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert len(failed) > 1  # the page was tried, and could not be rendered
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert 'class="pc pc-unavailable"' in page
    assert "because of a technical problem" in page
    assert "Please attach your files again." in page
    assert shown_text(response) == BODY
    assert f'href="{consultation.url}#comment-form"' in page
    assert_nothing_stored(storage_dir)


def test_a_lock_held_by_another_writer_is_retried_and_the_comment_stored(
    send, consultation, write_lock, storage_dir
):
    with lock_failures(write_lock, release_after=1) as failures:
        response = send(body=BODY, files=[factories.upload("số liệu.pdf", factories.pdf_bytes())])
    assert len(failures) == 1  # the first try met the lock, the second one got in
    assert response.status_code == 303
    comment = PublicComment.objects.get()
    assert comment.body == BODY
    assert comment.attachments.count() == 1
    assert len(factories.stored_files(storage_dir)) == 1  # the file of the try that stored it


def test_a_lock_held_throughout_asks_to_try_again_and_stores_nothing(
    send, consultation, write_lock, storage_dir, mailoutbox
):
    with lock_failures(write_lock) as failures:
        response = send(
            body=BODY,
            files=[factories.upload("số liệu.pdf", factories.pdf_bytes())],
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert len(failures) == ConsultationPage.comment_store_attempts == 3
    assert response.status_code == 503
    assert "because of a technical problem" in response.content.decode()
    assert shown_text(response) == BODY
    write_lock.release()
    assert_nothing_stored(storage_dir)
    assert mailoutbox == []


# --- Emails that do not leave -------------------------------------------------------------

SENT_TO_SERVER = []


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message, as smtplib reports it."""

    def send_messages(self, email_messages):
        SENT_TO_SERVER.extend(email_messages)
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FlakyBackend(LocmemBackend):
    """Refuses the first message it is given, then delivers (to ``mail.outbox``)."""

    def send_messages(self, email_messages):
        SENT_TO_SERVER.extend(email_messages)
        if len(SENT_TO_SERVER) == 1:
            raise smtplib.SMTPDataError(451, b"4.3.0 Temporary failure, try again later")
        return super().send_messages(email_messages)


class RefusingQueueBackend(ImmediateBackend):
    """A task queue that went down once the comment was written: it refuses the emails.

    (Wagtail's own reference-index task, enqueued on every save, still runs: were the
    queue down already then, the save itself would fail, in Wagtail's signal handler.)
    """

    def enqueue(self, task, args, kwargs):
        if task.module_path.startswith("wagtail_policycomms.tasks."):
            raise ConnectionError("Connection refused")
        return super().enqueue(task, args, kwargs)


@pytest.fixture
def mail_server(settings):
    """Choose the email backend: "refusing", "flaky" or "working" (locmem)."""
    SENT_TO_SERVER.clear()
    backends = {
        "refusing": "tests.test_faults.RefusingBackend",
        "flaky": "tests.test_faults.FlakyBackend",
        "working": "django.core.mail.backends.locmem.EmailBackend",
    }

    def use(name):
        factories.use_email_backend(settings, backends[name])

    return use


def require_verification():
    settings = ConsultationSettings.for_site(Site.objects.get(is_default_site=True))
    settings.require_email_verification = True
    settings.save()


def receipt_page(client, response):
    assert response.status_code == 303
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    return page.content.decode()


def test_a_delivered_receipt_is_recorded(client, send, mail_server, mailoutbox):
    mail_server("working")
    page = receipt_page(client, send())
    comment = PublicComment.objects.get()
    assert (comment.email_status, comment.email_attempts) == ("sent", 1)
    assert comment.email_status_at is not None
    assert len(mailoutbox) == 1
    assert "A copy has been sent to your email address." in page
    assert "could not send" not in page


def test_a_refused_receipt_is_tried_again_then_recorded_and_the_receipt_says_so(
    client, send, mail_server, mailoutbox
):
    mail_server("refusing")
    page = receipt_page(client, send())
    comment = PublicComment.objects.get()
    assert len(SENT_TO_SERVER) == tasks.EMAIL_ATTEMPTS == 3
    assert (comment.email_status, comment.email_attempts) == ("failed", 3)
    assert comment.status == "pending"  # delivery is not moderation
    assert mailoutbox == []
    assert "We could not send a copy to your email address." in page
    assert "A copy has been sent" not in page
    assert comment.receipt_code in page


def test_a_flaky_mail_server_is_tried_again(client, send, mail_server, mailoutbox):
    mail_server("flaky")
    page = receipt_page(client, send())
    comment = PublicComment.objects.get()
    assert (comment.email_status, comment.email_attempts) == ("sent", 2)
    assert len(SENT_TO_SERVER) == 2
    assert len(mailoutbox) == 1
    assert "A copy has been sent to your email address." in page


class EmailJobs:
    """The email tasks a DummyBackend holds (Wagtail's reference-index tasks left out)."""

    def __init__(self, backend):
        self.backend = backend

    def _jobs(self):
        return [
            job
            for job in self.backend.results
            if job.task.module_path.startswith("wagtail_policycomms.tasks.")
        ]

    def __iter__(self):
        return iter(self._jobs())

    def __len__(self):
        return len(self._jobs())

    def __getitem__(self, index):
        return self._jobs()[index]


def test_on_a_worker_the_retries_wait(client, send, settings, mail_server):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    mail_server("refusing")
    page = receipt_page(client, send())
    queue = EmailJobs(task_backends["default"])
    [first] = queue
    comment = PublicComment.objects.get()
    assert (comment.email_status, comment.email_attempts) == ("", 0)
    assert "A copy is being sent to your email address." in page  # not sent yet

    for attempt, delay in [(1, 60), (2, 600)]:
        before = timezone.now()
        job = queue[-1]
        assert job.task.call(*job.args, **job.kwargs) is False
        comment.refresh_from_db()
        assert (comment.email_status, comment.email_attempts) == ("", attempt)
        retry = queue[-1]
        assert retry.kwargs == {"attempt": attempt + 1}
        assert retry.task.run_after >= before + timedelta(seconds=delay)
    job = queue[-1]
    job.task.call(*job.args, **job.kwargs)
    comment.refresh_from_db()
    assert (comment.email_status, comment.email_attempts) == ("failed", 3)
    assert len(queue) == 3  # no fourth attempt
    assert len(SENT_TO_SERVER) == 3
    # The receipt link the email carries (signed when the comment was sent: compare what
    # it opens, not its time stamp, which may be a second older than a fresh one).
    comment_id, link = first.args
    assert comment_id == comment.pk
    assert link.startswith("http://testserver/policycomms/receipt/")
    assert (
        comment.receipt_code in client.get(link.removeprefix("http://testserver")).content.decode()
    )


def test_a_task_queue_that_is_down_does_not_fail_the_comment(client, send, settings):
    settings.TASKS = {"default": {"BACKEND": "tests.test_faults.RefusingQueueBackend"}}
    page = receipt_page(client, send())
    comment = PublicComment.objects.get()
    assert comment.email_status == "failed"
    assert "We could not send a copy to your email address." in page


def test_moderators_find_and_see_undelivered_emails(client, send, mail_server, consultation):
    mail_server("working")
    assert send(email="nhan.duoc@example.vn").status_code == 303
    mail_server("refusing")
    assert send(email="khong.nhan@example.vn").status_code == 303
    delivered = PublicComment.objects.get(email="nhan.duoc@example.vn")
    undelivered = PublicComment.objects.get(email="khong.nhan@example.vn")
    factories.make_comment(consultation, status="pending")  # never emailed

    moderator = Client()
    moderator.force_login(factories.make_moderator("moderator"))

    def listed(**params):
        response = moderator.get(reverse(f"{QUEUE}:list"), {"status": "", **params})
        assert response.status_code == 200
        return {comment.pk for comment in response.context["object_list"]}

    assert listed(email_not_delivered="true") == {undelivered.pk}
    assert undelivered.pk not in listed(email_not_delivered="false")
    assert delivered.pk in listed(email_not_delivered="false")
    assert len(listed()) == 3
    filters = moderator.get(reverse(f"{QUEUE}:list")).content.decode()
    assert "Email not delivered" in filters

    inspect = moderator.get(reverse(f"{QUEUE}:inspect", args=[undelivered.pk]))
    delivery = soup_of(inspect).select_one(".pc-email-delivery").get_text(" ", strip=True)
    assert "Not delivered" in delivery
    assert "3 attempts" in delivery
    inspect = moderator.get(reverse(f"{QUEUE}:inspect", args=[delivered.pk]))
    assert "Sent" in soup_of(inspect).select_one(".pc-email-delivery").get_text()


# --- Asking for the verification link again ------------------------------------------------


def verification_link(message):
    [link] = re.findall(r"http://testserver(/policycomms/verify/[^/\s]+/)", message.body)
    return link


def resend_url(receipt_location):
    return receipt_location + "resend-verification/"


def test_the_verification_link_can_be_asked_again_after_a_failure(
    client, send, mail_server, mailoutbox, django_capture_on_commit_callbacks
):
    require_verification()
    mail_server("refusing")
    response = send(email="xac.minh@example.vn")
    page = receipt_page(client, response)
    comment = PublicComment.objects.get()
    assert (comment.status, comment.email_status) == ("unverified", "failed")
    assert "We could not send the confirmation link to xac.minh@example.vn." in page
    assert "We have sent a link" not in page
    [button] = soup_of(client.get(response["Location"])).select("form.pc-resend")
    assert button["action"] == resend_url(response["Location"])
    assert button["method"] == "post"

    mail_server("working")
    resent = client.post(resend_url(response["Location"]), HTTP_ACCEPT_LANGUAGE="en")
    assert resent.status_code == 303
    assert resent["Location"] == response["Location"] + "?resent=1"
    page = client.get(resent["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "We have sent the link again to xac.minh@example.vn." in page
    comment.refresh_from_db()
    assert (comment.email_status, comment.email_attempts) == ("sent", 1)
    [message] = mailoutbox
    assert message.to == ["xac.minh@example.vn"]

    with django_capture_on_commit_callbacks(execute=True):
        verified = client.get(verification_link(message), HTTP_ACCEPT_LANGUAGE="en")
    assert "Thank you: your email address is confirmed" in verified.content.decode()
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert len(mailoutbox) == 2  # the receipt, after verification

    # Confirmed: asking again sends nothing, and the receipt page no longer offers it.
    again = client.post(resend_url(response["Location"]))
    assert again.status_code == 303
    assert again["Location"] == response["Location"]
    assert len(mailoutbox) == 2
    assert not soup_of(client.get(response["Location"])).select("form.pc-resend")


def test_asking_again_on_a_worker_forgets_the_old_failure(client, send, settings, mail_server):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    require_verification()
    mail_server("refusing")
    response = send()
    queue = EmailJobs(task_backends["default"])
    for __ in range(tasks.EMAIL_ATTEMPTS):
        job = queue[-1]
        job.task.call(*job.args, **job.kwargs)
    assert PublicComment.objects.get().email_status == "failed"

    resent = client.post(resend_url(response["Location"]))
    assert len(queue) == tasks.EMAIL_ATTEMPTS + 1  # queued for the worker, not sent yet
    comment = PublicComment.objects.get()
    assert (comment.email_status, comment.email_attempts) == ("", 0)
    page = client.get(resent["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "We are sending a link to an.nguyen@example.vn." in page  # not "sent": queued
    assert "We could not send" not in page


def test_asking_again_is_rate_limited(client, send, mailoutbox):
    require_verification()
    response = send()
    assert len(mailoutbox) == 1
    for __ in range(3):
        assert client.post(resend_url(response["Location"])).status_code == 303
    assert len(mailoutbox) == 4
    refused = client.post(resend_url(response["Location"]), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "The link has been sent several times already." in refused.content.decode()
    assert len(mailoutbox) == 4


def test_asking_again_needs_a_valid_receipt_link(client, send):
    require_verification()
    response = send()
    url = resend_url(response["Location"])
    assert client.get(url).status_code == 405
    forged = url.replace("/receipt/", "/receipt/x")
    assert client.post(forged).status_code == 404
    with freeze_time(timezone.now() + timedelta(hours=24, minutes=1)):
        assert client.post(url).status_code == 410


# --- Signed links with a strange payload, or dated in the future ----------------------------


class FutureSigner(signing.TimestampSigner):
    """Signs with our key and salt, dated ``ahead`` seconds from now."""

    def __init__(self, ahead, **kwargs):
        super().__init__(**kwargs)
        self.ahead = ahead

    def timestamp(self):
        return signing.b62_encode(int(time.time()) + self.ahead)


def receipt_link(payload, ahead=None):
    if ahead is None:
        token = signing.dumps(payload, salt=RECEIPT_SALT, compress=True)
    else:
        token = FutureSigner(ahead, salt=RECEIPT_SALT).sign_object(payload, compress=True)
    return reverse("wagtail_policycomms:receipt", args=[token])


def verify_link(payload, ahead=None):
    if ahead is None:
        token = signing.dumps(payload, salt=VERIFY_SALT)
    else:
        token = FutureSigner(ahead, salt=VERIFY_SALT).sign_object(payload)
    return reverse("wagtail_policycomms:verify", args=[token])


STRANGE_IDS = ["abc", "1", "", None, 1.5, True, [1], {"pk": 1}, 10**30]


@pytest.mark.parametrize("comment_id", STRANGE_IDS)
def test_a_signed_link_with_a_strange_id_is_not_found(client, consultation, comment_id):
    comment = factories.make_comment(consultation, status="unverified")
    token = verification_path(comment).split("/")[-2]  # a real token, for its "h"
    h = signing.loads(token, salt=VERIFY_SALT)["h"]
    assert client.get(receipt_link({"c": comment_id})).status_code == 404
    assert client.get(verify_link({"c": comment_id, "h": h})).status_code == 404
    assert PublicComment.objects.get().status == "unverified"


@pytest.mark.parametrize("payload", [{}, [1], "1", 1, None])
def test_a_signed_link_of_another_shape_is_not_found(client, home, payload):
    assert client.get(receipt_link(payload)).status_code == 404
    assert client.get(verify_link(payload)).status_code == 404


def test_a_link_dated_in_the_future_is_not_accepted(client, consultation):
    comment = factories.make_comment(consultation, status="unverified")
    h = signing.loads(verification_path(comment).split("/")[-2], salt=VERIFY_SALT)["h"]
    # A day ahead would never expire: refused, as forged.
    assert client.get(receipt_link({"c": comment.pk}, ahead=86400)).status_code == 404
    assert client.get(verify_link({"c": comment.pk, "h": h}, ahead=86400)).status_code == 404
    assert PublicComment.objects.get().status == "unverified"
    # Another server's clock a few seconds ahead is tolerated.
    assert client.get(receipt_link({"c": comment.pk}, ahead=20)).status_code == 200
    assert client.get(receipt_link({"c": comment.pk})).status_code == 200
