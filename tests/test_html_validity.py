"""Every public page state is valid HTML, as the Nu HTML checker (vnu.jar) reads it.

Each state is rendered through the Django test client and the demo portal's base
template, in Vietnamese and in English, written to a temporary folder and checked
in one ``java -jar vnu.jar`` call (the JVM starts once). Any error fails the test,
with every error of every page listed.

Needs ``POLICYCOMMS_VNU_JAR`` (the path of vnu.jar) and ``java``: ``.ci/html.sh``
installs the jar with npm and runs this module. Without it the module is skipped.
"""

import json
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests import factories
from wagtail_policycomms import moderation
from wagtail_policycomms.models import (
    Campaign,
    CommentStatus,
    DocumentKind,
    PublicComment,
)
from wagtail_policycomms.models.subscriptions import EmailStream, Subscription
from wagtail_policycomms.notifications.optout import unsubscribe_url
from wagtail_policycomms.notifications.subscriptions import confirm_path, unsubscribe_path
from wagtail_policycomms.views.pagination import cursor_of
from wagtail_policycomms.views.public import receipt_path, verification_path

VNU_JAR = os.environ.get("POLICYCOMMS_VNU_JAR", "")

pytestmark = pytest.mark.skipif(
    not VNU_JAR,
    reason="POLICYCOMMS_VNU_JAR is not set: run .ci/html.sh, which installs vnu.jar with npm",
)

LANGUAGES = ("vi", "en")


site_settings = factories.site_settings


@pytest.fixture
def pages(index, django_capture_on_commit_callbacks):
    """(name, url, method, data, expected status) of every public page state."""
    unit = factories.make_unit(
        "Phòng Quản lý khoa học", email="qlkh@sokhcn.hungyen.gov.vn", phone="0221 3862 555"
    )
    draft = factories.make_draft(
        index,
        "Dự thảo Nghị quyết quy định mức hỗ trợ đổi mới sáng tạo",
        drafting_unit=unit,
        sector=factories.make_sector("Khoa học và công nghệ"),
        topics=["doi-moi-sang-tao"],
        summary="Tóm tắt dự thảo.",
        need="<p>Cần thiết vì chưa có quy định.</p>",
        articles=[
            factories.article("Điều 1", "Phạm vi điều chỉnh", block_id="a1"),
            factories.article("Điều 2", "Đối tượng áp dụng", block_id="a2"),
        ],
    )
    factories.attach_document(draft, factories.make_document(), DocumentKind.DRAFT)
    now = timezone.now()
    closed = factories.make_round_with_status(
        draft, "closed", receiving_unit=unit, questions="<p>Mức hỗ trợ có phù hợp không?</p>"
    )
    opened = factories.make_round_with_status(
        draft, "open", receiving_unit=unit, audience="<p>Doanh nghiệp khoa học.</p>"
    )
    other_draft = factories.make_draft(index, "Dự thảo Quyết định về quỹ phát triển")
    upcoming = factories.make_round_with_status(other_draft, "upcoming", receiving_unit=unit)
    factories.make_draft(index, "Dự thảo chưa lấy ý kiến")

    # Published comments, answered, on the open round: three pages of two, the third
    # reached by a cursor (numbered pages stop at 1).
    comments = [
        factories.make_comment(
            opened,
            article_id="a1" if n % 2 else "",
            article_heading="Điều 1. Phạm vi điều chỉnh" if n % 2 else "",
            submitted_at=now - timedelta(hours=n, microseconds=123456),
        )
        for n in range(5)
    ]
    factories.answer_comments(
        PublicComment.objects.filter(pk=comments[0].pk), unit=unit, published=True
    )
    factories.make_comment(closed, body="Ý kiến về đợt đã kết thúc, xin được xem xét.")
    # The closed round's outcome page (issue 15), with a campaign and the synthesis report.
    campaign_text = factories.make_comment(closed, body="Đề nghị giữ nguyên mức hỗ trợ.")
    Campaign.objects.create(consultation=closed, representative=campaign_text, size=3)
    factories.attach_document(
        draft,
        factories.make_document("Báo cáo tổng hợp", "bao-cao.docx"),
        DocumentKind.SYNTHESIS_REPORT,
    )
    moderation.publish_outcome(closed, None)

    pending = factories.make_comment(opened, status=CommentStatus.PENDING)
    factories.attach_file(pending)
    approved = factories.make_comment(opened, body="Ý kiến đã công bố ngay.")
    unverified = factories.make_comment(
        opened, status=CommentStatus.UNVERIFIED, email="xac.minh@example.vn"
    )
    to_verify = factories.make_comment(
        opened, status=CommentStatus.UNVERIFIED, email="lan.hai@example.vn"
    )
    published = list(PublicComment.objects.published().filter(consultation=opened))
    bad_form = factories.comment_post_data(body="Ngắn", email="sai", consent=None)
    subscribe = reverse("wagtail_policycomms:subscribe")
    subscription = Subscription.objects.create(email="dang.ky@example.vn")
    optout = unsubscribe_url("nguoi.gop.y@example.vn", EmailStream.COMMENT_UPDATES)
    good_form = factories.comment_post_data()
    # "What changed and why" (issue 15): a draft revised between two rounds.
    revised = factories.make_draft(
        index,
        "Dự thảo Nghị quyết sửa đổi qua hai đợt",
        articles=[
            factories.article("Điều 1", "Phạm vi", "<p>Mức thu 10.000 đồng.</p>", block_id="r1"),
            factories.article("Điều 2", "Bỏ đi", "<p>Điều sẽ bỏ.</p>", block_id="r2"),
            factories.article("Điều 3", "Hiệu lực", "<p>Từ ngày ký.</p>", block_id="r3"),
        ],
    )
    first_round = factories.make_round_with_status(revised, "closed", receiving_unit=unit)
    on_r1 = factories.make_comment(first_round, article_id="r1", body="Đề nghị giảm mức thu.")
    answer = factories.answer_comments(
        PublicComment.objects.filter(pk=on_r1.pk), unit=unit, published=True
    )
    type(answer).objects.filter(pk=answer.pk).update(implemented_in_article="r1")
    revised.body = [
        factories.article("Điều 1", "Hiệu lực", "<p>Từ ngày ký.</p>", block_id="r3"),
        factories.article("Điều 2", "Phạm vi", "<p>Mức thu 5.000 đồng.</p>", block_id="r1"),
        factories.article("Điều 3", "Mới", "<p>Điều mới.</p>", block_id="r4"),
    ]
    revised.save_revision().publish()
    factories.make_round_with_status(revised, "open", receiving_unit=unit)

    return [
        ("changes", f"{revised.url}changes/", "get", None, 200),
        ("changes-bad-version", f"{revised.url}changes/?from=x&to=1", "get", None, 400),
        ("changes-one-version", f"{other_draft.url}changes/", "get", None, 200),
        ("index", index.url, "get", None, 200),
        ("index-filtered", f"{index.url}?q=zzz", "get", None, 200),
        ("draft", draft.url, "get", None, 200),
        ("draft-without-round", other_draft.url, "get", None, 200),
        ("open", opened.url, "get", None, 200),
        ("open-comment-on-article", f"{opened.url}?comment_on=a1", "get", None, 200),
        ("form-with-errors", opened.url, "post", bad_form, 200),
        ("upcoming", upcoming.url, "get", None, 200),
        ("closed", closed.url, "get", None, 200),
        ("refused-closed", closed.url, "post", good_form, 200),
        ("outcome", f"{closed.url}outcome/", "get", None, 200),
        ("comments-page-2", f"{opened.url}?cpage=2", "get", None, 200),
        ("comments-on-article", f"{opened.url}?article=a1", "get", None, 200),
        ("comments-keyset", f"{opened.url}?before={cursor_of(published[3])}", "get", None, 200),
        ("receipt-pending", receipt_path(pending), "get", None, 200),
        ("receipt-approved", receipt_path(approved), "get", None, 200),
        ("receipt-unverified", receipt_path(unverified), "get", None, 200),
        ("verify", verification_path(to_verify), "get", None, 200),
        ("verify-again", verification_path(to_verify), "get", None, 200),
        ("receipt-forged", "/policycomms/receipt/forged/", "get", None, 404),
        ("not-found", "/no-such-page/", "get", None, 404),
        # Subscriptions and unsubscribing (issue 13).
        ("subscribe", subscribe, "get", None, 200),
        ("subscribe-with-errors", subscribe, "post", {"email": "sai", "scope": "all"}, 200),
        ("subscription-sent", reverse("wagtail_policycomms:subscription_sent"), "get", None, 200),
        ("subscription-confirm", confirm_path(subscription), "get", None, 200),
        ("subscription-confirmed", confirm_path(subscription), "post", {}, 200),
        ("subscription-bad-link", confirm_path(subscription)[:-4] + "xx/", "get", None, 400),
        ("subscription-unsubscribe", unsubscribe_path(subscription), "get", None, 200),
        ("unsubscribe", optout, "get", None, 200),
        ("unsubscribed", optout, "post", {}, 200),
        ("unsubscribe-bad-link", "/policycomms/unsubscribe/x:y:z/", "get", None, 400),
        # The privacy notice (issue 14): the built-in version 0, and the data-subject form.
        ("privacy-notice", reverse("wagtail_policycomms:privacy_notice"), "get", None, 200),
        ("privacy-notice-0", "/policycomms/privacy/0/", "get", None, 200),
        ("data-request", "/policycomms/privacy/request/", "get", None, 200),
    ]


def render_all(client, pages, folder):
    """Write each state in each language to ``folder``; return {file name: state}."""
    files = {}
    for language in LANGUAGES:
        for name, url, method, data, status in pages:
            if method == "post":
                response = client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)
            else:
                response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == status, (name, language, response.status_code)
            html = response.content.decode()
            path = folder / f"{language}-{name}.html"
            path.write_text(html, encoding="utf-8")
            files[path.name] = f"{name} ({language})"
    # Pages rendered without a request: the portal's 500 page (Django gives it an empty
    # context) and the package's page for when the database fails while taking a comment.
    without_request = {
        "server-error": ("500.html", {}),
        "database-unavailable": (
            "wagtail_policycomms/comments/unavailable.html",
            {"message": "Không lưu được góp ý.", "text": "Ý kiến <b>của tôi</b>", "page_url": "/"},
        ),
    }
    for name, (template, context) in without_request.items():
        path = folder / f"{name}.html"
        path.write_text(render_to_string(template, context), encoding="utf-8")
        files[path.name] = name
    return files


def test_every_public_page_state_is_valid_html(client, pages, tmp_path):
    java = shutil.which("java")
    assert java, "java is needed to run vnu.jar"
    assert Path(VNU_JAR).is_file(), f"POLICYCOMMS_VNU_JAR={VNU_JAR} is not a file"
    site_settings(moderation_mode="pre")
    folder = tmp_path / "html"
    folder.mkdir()
    with override_settings(POLICYCOMMS_COMMENTS_PAGE_SIZE=2, POLICYCOMMS_COMMENTS_NUMBERED_PAGES=1):
        files = render_all(client, pages, folder)

    result = subprocess.run(  # noqa: S603 (the jar CI installed, on files we wrote)
        [java, "-jar", VNU_JAR, "--errors-only", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # vnu writes its JSON report to stderr; its exit code is 1 when there are errors.
    report = json.loads(result.stderr or result.stdout)
    errors = [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]
    lines = []
    for message in errors:
        page = files.get(Path(message.get("url", "")).name, message.get("url", "?"))
        where = f"line {message.get('lastLine', '?')}"
        lines.append(f"{page}, {where}: {message['message']} «{message.get('extract', '')}»")
    assert not lines, f"{len(lines)} HTML errors:\n" + "\n".join(lines)
    assert len(files) == len(LANGUAGES) * len(pages) + 2
