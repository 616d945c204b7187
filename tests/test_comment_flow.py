"""A comment's way through the portal: stored once, receipted, emailed, verified, moderated.

Posts go through the test client to the consultation page; on-commit work (the
emails, through the immediate tasks backend) runs as after a real commit.
"""

import hashlib
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone
from freezegun import freeze_time

from tests import factories, shared_round
from tests.factories import soup_of
from wagtail_policycomms.models import (
    CommentAttachment,
    PublicComment,
    ReceiptCounter,
)
from wagtail_policycomms.models.comments import text_hash
from wagtail_policycomms.uploads import PrivateFileSystemStorage

# One open round built once for the module (tests/shared_round.py).
home, index, draft, consultation = (
    shared_round.home,
    shared_round.index,
    shared_round.draft,
    shared_round.consultation,
)

RECEIPT_PATH = re.compile(r"^/policycomms/receipt/[^/]+/$")


@pytest.fixture
def send(client, consultation, django_capture_on_commit_callbacks):
    """As conftest's ``send``, in the browser's default language (the flow's messages)."""

    def send(page=None, **overrides):
        return factories.post_comment(
            client, page or consultation, django_capture_on_commit_callbacks, **overrides
        )

    return send


def receipt_of(client, response):
    """Follow a 303 to the receipt page; return it and the code it shows."""
    assert response.status_code == 303
    assert RECEIPT_PATH.match(response["Location"])
    receipt = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert receipt.status_code == 200
    return receipt, soup_of(receipt).select_one(".pc-receipt-code").get_text()


# --- A valid comment ------------------------------------------------------------------


def test_comment_on_the_whole_draft_is_stored_as_sent(client, send, draft, consultation):
    before = timezone.now()
    response = send(
        body="  Ý kiến\r\nvề dự thảo: cần thêm thời gian chuyển tiếp.  \n",
        display_name=" Nguye\u0302\u0303n Văn An ",
        email="  An.Nguyen@Example.VN ",
        HTTP_USER_AGENT="Mozilla/5.0 (PolicyComms test)",
    )
    receipt, code = receipt_of(client, response)

    comment = PublicComment.objects.get()
    assert comment.consultation_id == consultation.pk
    assert comment.body == "Ý kiến\nvề dự thảo: cần thêm thời gian chuyển tiếp."
    assert comment.display_name == "Nguyễn Văn An"
    assert comment.email == "an.nguyen@example.vn"
    assert comment.article_id == ""
    assert comment.article_heading == ""
    assert comment.page_revision_id == draft.live_revision_id is not None
    assert comment.commenter_type == "individual"
    assert comment.status == "pending"
    assert before <= comment.consent_given_at == comment.submitted_at <= timezone.now()
    assert comment.consent_notice_version == "0"  # the built-in notice (models.privacy)
    assert comment.consent_purposes == ["receive_and_answer_comment", "publish_name"]
    assert comment.ip_address == "127.0.0.0/24"
    assert comment.user_agent == "Mozilla/5.0 (PolicyComms test)"
    assert comment.text_hash == text_hash(comment.body)
    year = timezone.localtime(comment.submitted_at).year
    assert comment.receipt_code == code == f"GY-{year}-000001"
    assert "The whole draft" in receipt.content.decode()


def test_comment_on_an_article_keeps_its_heading_and_the_revision_read(
    client, send, draft, consultation
):
    # A later revision of the draft: the comment records the one that is live.
    first_revision = draft.live_revision_id
    draft.save_revision().publish()
    draft.refresh_from_db()
    assert draft.live_revision_id != first_revision
    response = send(article="a2", publish_name=None)
    receipt, code = receipt_of(client, response)

    comment = PublicComment.objects.get()
    assert comment.article_id == "a2"
    assert comment.article_heading == "Điều 2. Đối tượng áp dụng"
    assert comment.page_revision_id == draft.live_revision_id
    assert comment.page_revision.object_id == str(draft.pk)
    assert comment.publish_name is False
    assert comment.consent_purposes == ["receive_and_answer_comment"]
    assert "Điều 2. Đối tượng áp dụng" in receipt.content.decode()


def test_receipt_codes_count_up(send, client):
    first = receipt_of(client, send(email="mot@example.vn"))[1]
    second = receipt_of(client, send(email="hai@example.vn"))[1]
    number = int(first.rsplit("-", 1)[1])
    assert re.fullmatch(r"GY-\d{4}-\d{6}", first)
    assert second == f"{first.rsplit('-', 1)[0]}-{number + 1:06d}"


def test_organisation_comment(send):
    response = send(commenter_type="organisation", organisation_name=" Hội Doanh nghiệp ")
    assert response.status_code == 303
    comment = PublicComment.objects.get()
    assert comment.commenter_type == "organisation"
    assert comment.organisation_name == "Hội Doanh nghiệp"


@pytest.mark.parametrize(
    ("name", "build", "content_type"),
    [
        ("Góp ý của tôi.pdf", factories.pdf_bytes, "application/pdf"),
        ("ảnh chụp.PNG", factories.png_bytes, "image/png"),
        (
            "bản góp ý.docx",
            factories.docx_bytes,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_attachment_is_stored_privately(client, send, storage_dir, name, build, content_type):
    content = build()
    response = send(files=[factories.upload(name, content, "text/plain")])
    receipt, __ = receipt_of(client, response)

    attachment = CommentAttachment.objects.get()
    assert attachment.comment == PublicComment.objects.get()
    assert attachment.original_name == name
    assert attachment.content_type == content_type  # from the content, not the browser
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    # Stored under a random name in the private folder, which has no URL.
    assert factories.stored_files(storage_dir) == [attachment.file.name]
    assert name not in attachment.file.name
    assert isinstance(attachment.file.storage, PrivateFileSystemStorage)
    assert Path(attachment.file.path) == storage_dir / attachment.file.name
    with pytest.raises(ValueError, match="no public URL"):
        attachment.file.url  # noqa: B018
    with attachment.file.open("rb") as stored:
        assert stored.read() == content
    assert name in receipt.content.decode()


def test_three_attachments_are_accepted(send, storage_dir):
    files = [factories.upload(f"phụ lục {n}.pdf", factories.pdf_bytes()) for n in range(3)]
    assert send(files=files).status_code == 303
    assert CommentAttachment.objects.count() == 3
    assert len(factories.stored_files(storage_dir)) == 3


def test_a_failure_while_storing_leaves_no_row_no_file_and_no_used_number(
    client, send, storage_dir, monkeypatch
):
    store = CommentAttachment.from_cleaned
    stored = []

    def fail_on_the_second_file(comment, cleaned):
        if stored:
            raise OSError("No space left on device")
        stored.append(store(comment, cleaned))
        return stored[-1]

    monkeypatch.setattr(CommentAttachment, "from_cleaned", fail_on_the_second_file)
    files = [factories.upload(f"phụ lục {n}.pdf", factories.pdf_bytes()) for n in range(2)]
    with pytest.raises(OSError, match="No space left"):
        send(files=files)
    assert len(stored) == 1  # the first file had been written
    assert PublicComment.objects.count() == 0
    assert CommentAttachment.objects.count() == 0
    assert factories.stored_files(storage_dir) == []

    monkeypatch.undo()
    __, code = receipt_of(client, send())
    assert code.endswith("-000001")  # the refused comment gave its number back


def test_receipt_email_carries_the_code(client, send, mailoutbox, consultation):
    response = send(body="Ý kiến 👍🏽 về Điều 1, xin cảm ơn.", email="An@Example.vn")
    __, code = receipt_of(client, response)
    [message] = mailoutbox
    assert message.to == ["an@example.vn"]
    assert code in message.subject
    assert code in message.body
    assert "Ý kiến 👍🏽 về Điều 1, xin cảm ơn." in message.body
    assert f"http://testserver{response['Location']}" in message.body


def test_receipt_link_is_signed_and_private(client, send):
    response = send()
    receipt = client.get(response["Location"])
    assert "private" in receipt["Cache-Control"]
    assert "no-cache" in receipt["Cache-Control"]
    forged = response["Location"].replace("/receipt/", "/receipt/x")
    assert client.get(forged).status_code == 404
    with freeze_time(timezone.now() + timedelta(hours=24, minutes=1)):
        expired = client.get(response["Location"])
    assert expired.status_code == 410


# --- Only once ------------------------------------------------------------------------


def test_duplicate_is_stored_once_and_gets_the_original_receipt(client, send, mailoutbox):
    first = send(email="an.nguyen@example.vn", body="Đề nghị giữ nguyên Điều 1 như dự thảo.")
    __, code = receipt_of(client, first)
    again = send(
        email="AN.Nguyen@Example.vn",
        body="  ĐỀ NGHỊ  giữ nguyên\r\nđiều 1   như dự thảo.\n",
        form_token=factories.form_token(timedelta(minutes=5)),
    )
    __, code_again = receipt_of(client, again)

    assert code_again == code
    assert PublicComment.objects.count() == 1
    assert len(mailoutbox) == 1
    assert ReceiptCounter.next_code() == code[:-6] + "000002"  # the duplicate took no number


def test_same_text_from_another_person_or_a_new_text_is_a_new_comment(client, send):
    responses = [
        send(email="a@example.vn", body="Đề nghị giữ nguyên Điều 1 như dự thảo."),
        send(email="b@example.vn", body="Đề nghị giữ nguyên Điều 1 như dự thảo."),
        send(email="a@example.vn", body="Đề nghị sửa Điều 2 cho rõ hơn."),
    ]
    assert [response.status_code for response in responses] == [303, 303, 303]
    assert len({response["Location"] for response in responses}) == 3
    assert PublicComment.objects.count() == 3


@override_settings(POLICYCOMMS_RATE_LIMIT_IP=None, POLICYCOMMS_RATE_LIMIT_EMAIL="2/h")
def test_sending_the_same_comment_again_does_not_use_up_the_rate_limit(client, send):
    codes = {receipt_of(client, send(body="Xin gửi lại ý kiến này.", email="a@example.vn"))[1]}
    for __ in range(3):  # double clicks, the back button, a retry after a timeout
        codes.add(receipt_of(client, send(body="Xin gửi lại ý kiến này.", email="A@example.vn"))[1])
    assert len(codes) == 1
    assert send(body="Một ý kiến khác hẳn.", email="a@example.vn").status_code == 303
    assert PublicComment.objects.count() == 2


# --- Email verification and moderation ------------------------------------------------


site_settings = factories.site_settings


def verification_link(message):
    [link] = re.findall(r"http://testserver(/policycomms/verify/[^/\s]+/)", message.body)
    return link


@pytest.mark.parametrize(("mode", "status"), [("pre", "pending"), ("post", "approved")])
def test_moderation_mode_sets_the_new_status(client, send, consultation, mode, status):
    site_settings(moderation_mode=mode)
    assert send(body="Bình luận công khai ngay hay chờ duyệt?").status_code == 303
    assert PublicComment.objects.get().status == status
    page = client.get(consultation.url)
    shown = "Bình luận công khai ngay hay chờ duyệt?" in page.content.decode()
    assert shown is (mode == "post")
    assert page.context["comment_counts"] == {"received": 1, "published": int(mode == "post")}


@pytest.mark.parametrize(("mode", "status"), [("pre", "pending"), ("post", "approved")])
def test_verification_flow(client, send, mailoutbox, consultation, mode, status):
    site_settings(require_email_verification=True, moderation_mode=mode)
    response = send(email="xac.minh@example.vn", body="Ý kiến cần xác minh email trước.")
    receipt, code = receipt_of(client, response)

    comment = PublicComment.objects.get()
    assert comment.status == "unverified"
    assert "Please confirm your email address" in receipt.content.decode()
    assert "xac.minh@example.vn" in receipt.content.decode()
    [message] = mailoutbox
    assert message.to == ["xac.minh@example.vn"]
    assert code in message.subject
    page = client.get(consultation.url)
    assert page.context["comment_counts"] == {"received": 0, "published": 0}
    assert "Ý kiến cần xác minh email trước." not in page.content.decode()

    link = verification_link(message)
    with freeze_time(timezone.now() + timedelta(hours=71, minutes=59)):
        verified = client.get(link, HTTP_ACCEPT_LANGUAGE="en")
    assert verified.status_code == 200
    assert "Thank you: your email address is confirmed" in verified.content.decode()
    assert code in verified.content.decode()
    comment.refresh_from_db()
    assert comment.status == status
    assert comment.verified_at is not None
    page = client.get(consultation.url)
    assert page.context["comment_counts"] == {"received": 1, "published": int(mode == "post")}
    assert ("Ý kiến cần xác minh email trước." in page.content.decode()) is (mode == "post")


def test_verification_sends_the_receipt_once(
    client, send, mailoutbox, django_capture_on_commit_callbacks
):
    site_settings(require_email_verification=True)
    assert send().status_code == 303
    link = verification_link(mailoutbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(link, HTTP_ACCEPT_LANGUAGE="en")
    comment = PublicComment.objects.get()
    assert len(mailoutbox) == 2
    assert comment.receipt_code in mailoutbox[1].subject
    assert "/policycomms/receipt/" in mailoutbox[1].body

    # A moderator approves it; clicking the link again changes nothing and sends nothing.
    PublicComment.objects.filter(pk=comment.pk).update(status="approved")
    with django_capture_on_commit_callbacks(execute=True):
        again = client.get(link, HTTP_ACCEPT_LANGUAGE="en")
    assert (first.status_code, again.status_code) == (200, 200)
    assert "Your email address was already confirmed" in again.content.decode()
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert len(mailoutbox) == 2


def test_expired_verification_link(client, send, mailoutbox):
    site_settings(require_email_verification=True)
    assert send().status_code == 303
    link = verification_link(mailoutbox[0])
    with freeze_time(timezone.now() + timedelta(hours=72, seconds=5)):
        response = client.get(link, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 410
    assert "This verification link has expired" in response.content.decode()
    assert "72 hours" in response.content.decode()
    assert PublicComment.objects.get().status == "unverified"


def test_forged_verification_link(client, send, mailoutbox):
    site_settings(require_email_verification=True)
    assert send().status_code == 303
    link = verification_link(mailoutbox[0])
    assert client.get(link[:-3] + "xx/").status_code == 404
    assert PublicComment.objects.get().status == "unverified"
