"""Emails to people who asked for them (docs/notifications.md), through the real stack.

Comments are sent through the public form and moderated through the admin; mail goes to
Django's ``mail.outbox``. Messages in Vietnamese are compared with what gettext gives in
Vietnamese, so the tests hold before and after the catalogue is compiled.
"""

import html
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext
from freezegun import freeze_time
from wagtail.models import ModelLogEntry

from tests import factories
from wagtail_policycomms import moderation
from wagtail_policycomms.models import (
    CommentStatus,
    ConsultationSettings,
    EmailOptOut,
    EmailStream,
    PublicComment,
    ReminderKind,
    SentReminder,
)
from wagtail_policycomms.models.consultations import ConsentPurpose
from wagtail_policycomms.notifications import comment_updates, optout
from wagtail_policycomms.permissions import MODERATORS, setup_groups

pytestmark = pytest.mark.django_db

DEPARTMENT = "SỞ KHOA HỌC VÀ CÔNG NGHỆ"  # DepartmentSettings' default agency name
ROOT = "http://localhost"  # the default site's root URL: links in emails are absolute
NS = "wagtailsnippets_wagtail_policycomms_publiccomment"

ALICE = {
    "display_name": "Trần Thị Bích",
    "email": "bich.tran@example.vn",
    "body": "Đề nghị bổ sung quy định về hỗ trợ doanh nghiệp khởi nghiệp sáng tạo.",
    "REMOTE_ADDR": "203.0.113.10",
}
BOB = {
    "display_name": "Lê Văn Cường",
    "email": "cuong.le@example.vn",
    "body": "Kiến nghị làm rõ thời hạn chuyển tiếp đối với các hợp đồng đang thực hiện.",
    "REMOTE_ADDR": "203.0.113.20",
}
CAROL = {
    "display_name": "Phạm Minh Dung",
    "email": "dung.pham@example.vn",
    "body": "Góp ý về Điều 2: cần nêu rõ đối tượng là hộ kinh doanh cá thể.",
    "REMOTE_ADDR": "203.0.113.30",
}


def vi(message):
    with translation.override("vi"):
        return gettext(message)


def html_of(message):
    (alternative,) = [content for content, kind in message.alternatives if kind == "text/html"]
    return alternative


def text_of(message):
    return "\n".join([message.subject, message.body, html.unescape(html_of(message))])


def assert_only_about(message, person, others):
    """The email goes to ``person`` alone and holds nothing of ``others``."""
    assert message.to == [person["email"]]
    assert not message.cc and not message.bcc
    everything = text_of(message) + str(message.extra_headers)
    for other in others:
        for value in (other["display_name"], other["email"], other["body"]):
            assert value not in everything
        comment = PublicComment.objects.get(email=other["email"])
        assert comment.receipt_code not in everything


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def moderator(db):
    return factories.make_moderator("kiemduyet")


def commenters_send(send, *people, updates=True):
    for person in people:
        response = send(**person, email_updates="on" if updates else None)
        assert response.status_code == 303, response.content[:500]  # to the receipt
    return {p["email"]: PublicComment.objects.get(email=p["email"]) for p in people}


def bulk_approve(client, comments, capture):
    query = [("id", c.pk) for c in comments]
    path = reverse("wagtail_bulk_action", args=["wagtail_policycomms", "publiccomment", "approve"])
    with capture(execute=True):
        response = client.post(
            path + "?" + urlencode(query),
            {"seen_statuses": sorted({c.status for c in comments})},
        )
    assert response.status_code == 302
    return response


# --- The form -------------------------------------------------------------------------------


def test_the_box_is_offered_never_preticked_and_explained(client, consultation):
    page = factories.soup_of(client.get(consultation.url))
    box = page.select_one("input[name=email_updates]")
    assert box is not None and box["type"] == "checkbox"
    assert not box.has_attr("checked")
    assert page.select_one(f"label[for={box['id']}]")
    notice = page.select_one("#privacy-notice").get_text(" ")
    assert vi(
        "If you tick the box below, we also use your email address to tell you when your "
        "comment is published and when it is answered; each of these emails has a link to "
        "stop them."
    ) in " ".join(notice.split())


def test_ticked_without_an_email_is_refused_next_to_the_box_keeping_the_text(send):
    response = send(email="", email_updates="on", body=ALICE["body"])
    assert response.status_code == 200
    assert not PublicComment.objects.exists()
    form = response.context["comment_form"]
    assert "email_updates" in form.errors
    page = factories.soup_of(response)
    box = page.select_one("input[name=email_updates]")
    assert box.has_attr("checked")  # as the person left it
    assert ALICE["body"] in page.select_one("textarea[name=body]").get_text()
    with translation.override("en"):
        expected = gettext("To be told by email, please give your email address above.")
    assert expected in page.select_one("#id_email_updates_error").get_text()


def test_the_purpose_is_stored_only_when_ticked(send):
    stored = commenters_send(send, ALICE) | commenters_send(send, BOB, updates=False)
    assert ConsentPurpose.EMAIL_UPDATES in stored[ALICE["email"]].consent_purposes
    assert ConsentPurpose.EMAIL_UPDATES not in stored[BOB["email"]].consent_purposes
    assert ConsentPurpose.RECEIVE_AND_ANSWER in stored[BOB["email"]].consent_purposes


# --- Receipts and verification: transactional, HTML, the department --------------------------


def test_receipt_has_an_html_alternative_naming_the_department_and_no_unsubscribe(send):
    send(**ALICE)
    (receipt,) = mail.outbox
    assert receipt.to == [ALICE["email"]]
    assert DEPARTMENT in receipt.body
    page = html_of(receipt)
    assert DEPARTMENT in page
    assert re.search(r'<html lang="en"', page)  # the commenter's language (the form's)
    assert ALICE["body"] in html.unescape(page)
    assert "List-Unsubscribe" not in receipt.extra_headers
    assert "List-Unsubscribe-Post" not in receipt.extra_headers
    assert "/unsubscribe/" not in receipt.body + page


def test_verification_has_an_html_alternative_and_no_unsubscribe(send, home):
    settings = ConsultationSettings.for_site(home.get_site())
    settings.require_email_verification = True
    settings.save()
    send(**ALICE, HTTP_ACCEPT_LANGUAGE="vi")
    (verification,) = mail.outbox
    page = html_of(verification)
    assert '<html lang="vi"' in page
    assert DEPARTMENT in page and DEPARTMENT in verification.body
    link = re.search(r"http://testserver/\S+/verify/\S+/", verification.body).group(0)
    assert f'href="{link}"' in page
    assert "List-Unsubscribe" not in verification.extra_headers


# --- Published and answered -----------------------------------------------------------------


def test_published_and_answered_go_to_each_commenter_who_asked_and_to_nobody_else(
    send, moderator, django_capture_on_commit_callbacks
):
    stored = commenters_send(send, ALICE, BOB) | commenters_send(send, CAROL, updates=False)
    mail.outbox.clear()
    client = client_for(moderator)

    bulk_approve(client, stored.values(), django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([ALICE["email"], BOB["email"]])
    for message in mail.outbox:
        person = ALICE if message.to == [ALICE["email"]] else BOB
        others = [BOB if person is ALICE else ALICE, CAROL]
        assert_only_about(message, person, others)
        comment = stored[person["email"]]
        with translation.override("vi"):
            subject = gettext("Your comment has been published (%(code)s)")
        assert message.subject == subject % {"code": comment.receipt_code}
        assert '<html lang="vi"' in html_of(message)
        assert DEPARTMENT in html_of(message) and DEPARTMENT in message.body
        assert comment.consultation.title in message.body
        # One click: the header, its POST companion, and the link in both bodies.
        link = message.extra_headers["List-Unsubscribe"].strip("<>")
        assert link.startswith(ROOT + "/policycomms/unsubscribe/")  # absolute: the site's
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert link in message.body and link in html.unescape(html_of(message))
        assert optout.read_token(link.rstrip("/").rsplit("/", 1)[1]) == (
            person["email"],
            EmailStream.COMMENT_UPDATES,
        )

    mail.outbox.clear()
    answer_text = "Ban soạn thảo tiếp thu và bổ sung khoản 3 Điều 2 theo ý kiến góp ý."
    response = factories.answer_comments(
        PublicComment.objects.filter(pk__in=[c.pk for c in stored.values()]), text=answer_text
    )
    assert not mail.outbox  # a draft answer is not told
    publish = reverse("wagtail_policycomms_admin:publish_answer", args=[response.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(publish).status_code == 302

    assert sorted(m.to[0] for m in mail.outbox) == sorted([ALICE["email"], BOB["email"]])
    for message in mail.outbox:
        person = ALICE if message.to == [ALICE["email"]] else BOB
        assert_only_about(message, person, [BOB if person is ALICE else ALICE, CAROL])
        assert answer_text in message.body and answer_text in html.unescape(html_of(message))
        assert "List-Unsubscribe" in message.extra_headers


def test_never_twice_for_the_same_event(send, moderator, django_capture_on_commit_callbacks):
    """Recorded in the comment's audit log: approved again, or an answer published again,
    tells nobody twice; a new answer is news."""
    comment = commenters_send(send, ALICE)[ALICE["email"]]
    client = client_for(moderator)
    bulk_approve(client, [comment], django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2  # the receipt, then "published"
    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate(PublicComment.objects.filter(pk=comment.pk), "pending", moderator)
    comment.refresh_from_db()
    bulk_approve(client, [comment], django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    entries = [
        e.action
        for e in ModelLogEntry.objects.filter(object_id=str(comment.pk))
        if e.action.startswith("wagtail_policycomms.notify")
    ]
    assert entries == [moderation.LOG_ACTIONS["notify_published"]]

    comments = PublicComment.objects.filter(pk=comment.pk)
    with django_capture_on_commit_callbacks(execute=True):
        answer = factories.answer_comments(comments, text="Trả lời thứ nhất.", published=True)
    assert len(mail.outbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        moderation.set_answer_published(answer, moderator, False)
        moderation.set_answer_published(answer, moderator, True)
    assert len(mail.outbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        factories.answer_comments(comments, text="Trả lời mới, thay thế.", published=True)
    assert len(mail.outbox) == 4
    assert "Trả lời mới, thay thế." in mail.outbox[-1].body


def test_nothing_is_sent_to_who_did_not_tick(send, moderator, django_capture_on_commit_callbacks):
    comment = commenters_send(send, ALICE, updates=False)[ALICE["email"]]
    mail.outbox.clear()
    bulk_approve(client_for(moderator), [comment], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        factories.answer_comments(PublicComment.objects.filter(pk=comment.pk), published=True)
    assert mail.outbox == []


def dummy_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    return default_task_backend


def bulk_publish(consultation, moderator, size, capture):
    comments = factories.make_duplicates(
        consultation,
        size,
        status=CommentStatus.PENDING,
        body=f"Chiến dịch {size} người, đề nghị giữ nguyên dự thảo.",
        consent_purposes=[ConsentPurpose.RECEIVE_AND_ANSWER, ConsentPurpose.EMAIL_UPDATES],
    )
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        moderation.moderate(
            PublicComment.objects.filter(pk__in=[c.pk for c in comments]), "approve", moderator
        )
    return comments, queries


def run_queued(backend):
    (queued,) = backend.results
    backend.clear()
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as queries:
        sent = queued.task.call(*queued.args, **queued.kwargs)
    return queued, sent, len(queries)


def test_a_bulk_publish_is_one_task_sending_over_one_batch_whatever_its_size(
    consultation, moderator, settings, django_capture_on_commit_callbacks
):
    backend = dummy_tasks(settings)
    bulk_publish(consultation, moderator, 2, django_capture_on_commit_callbacks)  # warm caches
    run_queued(backend)
    outcomes = {}
    for size in (5, 60):
        comments, _ = bulk_publish(
            consultation, moderator, size, django_capture_on_commit_callbacks
        )
        queued, sent, queries = run_queued(backend)  # exactly one task for the action
        assert queued.args[0] == comment_updates.PUBLISHED
        assert sorted(queued.args[1]) == sorted(c.pk for c in comments)
        assert sent == size == len(mail.outbox)
        assert sorted(m.to[0] for m in mail.outbox) == sorted(c.email for c in comments)
        outcomes[size] = queries
    assert outcomes[5] == outcomes[60]


def test_the_task_sends_a_chunk_over_one_connection(
    consultation, moderator, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail.backends.locmem import EmailBackend

    opened = []
    real_open = EmailBackend.open

    def counting_open(self):
        opened.append(self)
        return real_open(self)

    monkeypatch.setattr(EmailBackend, "open", counting_open)
    monkeypatch.setattr(comment_updates, "CHUNK", 10)
    bulk_publish(consultation, moderator, 25, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 25
    assert len(opened) == 3  # 10 + 10 + 5: one connection per chunk, not per email


# --- Unsubscribe ------------------------------------------------------------------------------


def test_unsubscribe_page_then_button(client):
    link = optout.unsubscribe_url(ALICE["email"], EmailStream.COMMENT_UPDATES)
    path = link.removeprefix(ROOT)
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    assert not EmailOptOut.objects.exists()  # a link scanner's GET changes nothing
    form = factories.soup_of(page).select_one(f'form[method=post][action="{path}"]')
    assert form.select_one("button[type=submit]")
    assert ALICE["email"] in page.content.decode()

    csrf_client = Client(enforce_csrf_checks=True)
    done = csrf_client.post(path, {"csrfmiddlewaretoken": "x"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert done.status_code == 200
    assert vi("You have unsubscribed") in done.content.decode()
    assert list(EmailOptOut.objects.values_list("email", "stream")) == [
        (ALICE["email"], EmailStream.COMMENT_UPDATES)
    ]
    assert client.post(path).status_code == 200  # again: still one row
    assert EmailOptOut.objects.count() == 1


def test_one_click_post_by_a_mail_client_without_csrf(client):
    link = optout.unsubscribe_url("Bich.Tran@Example.vn", EmailStream.MODERATOR_DIGEST)
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(
        link.removeprefix(ROOT),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert EmailOptOut.objects.filter(
        email="bich.tran@example.vn", stream=EmailStream.MODERATOR_DIGEST
    ).exists()


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb"),
        lambda token: "x" + token,
        lambda token: "not-a-token",
        # Signed by us, for another purpose: refused all the same.
        lambda token: __import__(
            "wagtail_policycomms.notifications.tokens", fromlist=["make"]
        ).make("subscribe", {"e": "a@example.vn", "s": "comment_updates"}),
        # Signed for unsubscribing, with a stream that does not exist.
        lambda token: __import__(
            "wagtail_policycomms.notifications.tokens", fromlist=["make"]
        ).make("unsubscribe", {"e": "a@example.vn", "s": "everything"}),
    ],
)
def test_a_tampered_link_is_a_clear_page_in_vietnamese_not_an_error(client, mangle):
    token = optout.unsubscribe_token(ALICE["email"], EmailStream.COMMENT_UPDATES)
    path = reverse("wagtail_policycomms:unsubscribe", args=[mangle(token)])
    for response in (client.get(path, HTTP_ACCEPT_LANGUAGE="vi"), client.post(path)):
        assert response.status_code == 400
        assert vi("Invalid link") in response.content.decode()
    assert not EmailOptOut.objects.exists()


def test_after_unsubscribing_no_more_updates(
    client, send, moderator, django_capture_on_commit_callbacks
):
    stored = commenters_send(send, ALICE, BOB)
    mail.outbox.clear()
    link = optout.unsubscribe_url(ALICE["email"].upper(), EmailStream.COMMENT_UPDATES)
    client.post(link.removeprefix(ROOT))
    bulk_approve(client_for(moderator), stored.values(), django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[BOB["email"]]]
    # Receipts are transactional: still sent.
    send(**CAROL | {"email": ALICE["email"], "REMOTE_ADDR": "203.0.113.99"})
    assert mail.outbox[-1].to == [ALICE["email"]]


# --- The moderators' daily digest ----------------------------------------------------------

#: 07:00 on 10/03/2026 in Hanoi.
MORNING = factories.hanoi(2026, 3, 10, 7, 0)


def remind():
    out = StringIO()
    call_command("policycomms_send_reminders", stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def moderators(index):
    setup_groups()
    first = factories.make_member(MODERATORS, "kiemduyet1", language="vi")
    second = factories.make_member(MODERATORS, "kiemduyet2", language="vi")
    gone = factories.make_member(MODERATORS, "nghiviec", language="vi")
    gone.is_active = False  # left the Centre: never emailed
    gone.save()
    factories.make_user("khongphaikiemduyet")  # not a moderator: never emailed
    return [first, second]


def new_comments(consultation, count, status=CommentStatus.PENDING):
    return factories.make_duplicates(
        consultation, count, status=status, body=f"Ý kiến bí mật số {count} của công dân."
    )


def counts_for(message, consultation):
    """(new, awaiting moderation) on the consultation's line of a digest."""
    lines = message.body.splitlines()
    line = lines.index(f"- {consultation.title}")
    return [int(n) for n in re.findall(r"\d+", lines[line + 1])]


def test_one_digest_per_moderator_with_counts_only(moderators, consultation, draft):
    other = factories.make_round_with_status(draft, "open")
    with freeze_time(MORNING):
        comments = new_comments(consultation, 30)
        new_comments(other, 2, status=CommentStatus.APPROVED)
        output = remind()

    assert sorted(m.to for m in mail.outbox) == [[u.email] for u in moderators]
    assert "Sent the moderators' digest (2 consultation(s)) to 2 moderator(s)" in output
    for message in mail.outbox:
        everything = text_of(message)
        with translation.override("vi"):
            subject = translation.ngettext(
                "Comments on %(day)s: %(counter)s new comment",
                "Comments on %(day)s: %(counter)s new comments",
                32,
            ) % {"day": "10/03/2026", "counter": 32}
        assert message.subject == subject
        assert '<html lang="vi"' in html_of(message) and DEPARTMENT in html_of(message)
        assert consultation.title in message.body and other.title in message.body
        assert counts_for(message, consultation) == [30, 30]  # new, awaiting moderation
        assert counts_for(message, other) == [2, 0]
        lines = message.body.splitlines()
        line = lines.index(f"- {consultation.title}")
        queue = f"http://testserver{reverse(f'{NS}:list')}?consultation={consultation.pk}"
        assert lines[line + 2].strip() == f"{queue}&status=pending"
        assert html.escape(lines[line + 2].strip()) in html_of(message)
        # Counts only: no comment, no commenter.
        for comment in comments[:3]:
            for value in (comment.body, comment.display_name, comment.email, comment.receipt_code):
                assert value not in everything
        link = message.extra_headers["List-Unsubscribe"].strip("<>")
        assert optout.read_token(link.rstrip("/").rsplit("/", 1)[1]) == (
            message.to[0],
            EmailStream.MODERATOR_DIGEST,
        )
    assert SentReminder.objects.filter(kind=ReminderKind.MODERATOR_DIGEST).count() == 1


def test_once_a_day_and_only_when_something_is_new(moderators, consultation):
    with freeze_time(MORNING):
        new_comments(consultation, 3)
        remind()
        assert len(mail.outbox) == 2
        assert counts_for(mail.outbox[-1], consultation) == [3, 3]
    with freeze_time(MORNING + timedelta(hours=3)):
        new_comments(consultation, 4)
        remind()  # the same day: nothing more
        assert len(mail.outbox) == 2
    with freeze_time(MORNING + timedelta(days=1)):
        remind()  # the 4 that came after the first digest
        assert len(mail.outbox) == 4
        assert counts_for(mail.outbox[-1], consultation) == [4, 7]
    with freeze_time(MORNING + timedelta(days=2)):
        remind()  # nothing new: nothing, even with comments still awaiting moderation
        assert len(mail.outbox) == 4
        assert not SentReminder.objects.filter(day=(MORNING + timedelta(days=2)).date()).exists()


def test_the_digest_is_counted_with_the_same_queries_for_3_or_300_comments(
    moderators, consultation
):
    from wagtail_policycomms.reminders import send_moderator_digest

    queries = []
    for day, size in enumerate((2, 3, 300)):  # the first warms the caches
        with freeze_time(MORNING + timedelta(days=day)):
            new_comments(consultation, size)
            with CaptureQueriesContext(connection) as captured:
                outcome = send_moderator_digest()
            assert outcome.lines[0].new == size
            queries.append(len(captured))
    assert queries[1] == queries[2]


def test_an_unsubscribed_moderator_gets_no_digest(moderators, consultation, client):
    client.post(
        optout.unsubscribe_url(moderators[0].email, EmailStream.MODERATOR_DIGEST).removeprefix(
            "http://testserver"
        )
    )
    with freeze_time(MORNING):
        new_comments(consultation, 2)
        remind()
    assert [m.to for m in mail.outbox] == [[moderators[1].email]]


def test_a_comment_added_to_an_answer_already_published_is_told(
    send, moderator, django_capture_on_commit_callbacks
):
    stored = commenters_send(send, ALICE, BOB)
    bulk_approve(client_for(moderator), stored.values(), django_capture_on_commit_callbacks)
    alice, bob = stored[ALICE["email"]], stored[BOB["email"]]
    with django_capture_on_commit_callbacks(execute=True):
        answer = factories.answer_comments(
            PublicComment.objects.filter(pk=alice.pk), text="Trả lời chung.", published=True
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.answer(
            PublicComment.objects.filter(pk__in=[alice.pk, bob.pk]),
            moderator,
            disposition=answer.disposition,
            text=answer.text,
            answering_unit=answer.answering_unit,
            response=answer,
        )
    assert [m.to for m in mail.outbox] == [[BOB["email"]]]  # Alice was already told
    assert "Trả lời chung." in mail.outbox[0].body


def test_unit_reminders_have_an_html_part_naming_the_department(index):
    unit = factories.make_unit("Phòng Quản lý Khoa học", email="qlkh@sokhcn.hungyen.gov.vn")
    draft = factories.make_draft(index, drafting_unit=unit)
    with freeze_time(MORNING):
        consultation = factories.make_consultation(
            draft, MORNING - timedelta(days=20), MORNING + timedelta(days=1)
        )
        remind()
    (message,) = mail.outbox
    assert message.to == ["qlkh@sokhcn.hungyen.gov.vn"]
    assert DEPARTMENT in message.body
    page = html_of(message)
    assert '<html lang="vi"' in page and DEPARTMENT in page
    assert html.escape(consultation.title) in page
    assert "List-Unsubscribe" not in message.extra_headers  # a unit's work, not a list


def test_a_group_approved_in_batches_is_still_one_task(
    consultation, moderator, settings, django_capture_on_commit_callbacks
):
    backend = dummy_tasks(settings)
    comments = factories.make_duplicates(
        consultation,
        20,
        status=CommentStatus.PENDING,
        body="Chiến dịch duyệt theo lô.",
        consent_purposes=[ConsentPurpose.RECEIVE_AND_ANSWER, ConsentPurpose.EMAIL_UPDATES],
    )
    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate(
            PublicComment.objects.filter(pk__in=[c.pk for c in comments]),
            "approve",
            moderator,
            batch_size=7,
        )
    queued, sent, _ = run_queued(backend)
    assert sorted(queued.args[1]) == sorted(c.pk for c in comments)
    assert sent == 20 == len(mail.outbox)
