"""A citizen on the public pages: finding an open consultation, commenting, the receipt."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import labelled, minimal_pdf, screenshot, t
from wagtail_policycomms.models import PublicComment
from wagtail_policycomms.models.consultations import ConsentPurpose

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COMMENT = (
    "Đề nghị quy định rõ thời hạn giải quyết hồ sơ đề nghị hỗ trợ, "
    "tối đa 15 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ."
)


def test_citizen_comments_on_an_article_with_an_attachment(page, portal, tmp_path):
    consultation = portal.open
    draft = consultation.draft_policy
    article = draft.articles[1]

    # The index page, filtered to open consultations, leads to the draft.
    page.goto(portal.index.get_url())
    screenshot(page, "screenshot")
    page.get_by_label(t("Status"), exact=True).select_option("open")
    page.get_by_role("button", name=t("Filter"), exact=True).click()
    page.get_by_role("link", name=draft.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(draft.title)
    screenshot(page, "draft-policy")

    # "Comment on this article" opens the consultation's form on that article.
    page.locator(".pc-comment-link a").nth(1).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(consultation.title)
    expect(page.get_by_label(t("Comment on"))).to_have_value(article.id)

    attachment = tmp_path / "gop-y.pdf"
    attachment.write_bytes(minimal_pdf())
    page.get_by_label(
        t("Your name"),
    ).fill("Trần Thị Bích")
    labelled(page, "Email").fill("bich.tran@example.vn")
    page.get_by_label(t("Email me when my comment is published and when it is answered")).check()
    page.get_by_label(
        t("Your comment"),
    ).fill(COMMENT)
    page.get_by_label(t("Attachments (optional)")).set_input_files(str(attachment))
    page.get_by_label(t("Publish my name with my comment")).check()
    page.locator("#id_consent").check()
    page.get_by_role("button", name=t("Send comment")).click()

    # The receipt: its code is the stored comment's, with the article and the file.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Thank you: your comment has been received")
    )
    code = page.locator(".pc-receipt-code").inner_text()
    assert re.fullmatch(r"\S+", code)
    screenshot(page, "receipt")
    comment = PublicComment.objects.get(receipt_code=code)
    assert comment.body == COMMENT
    assert comment.article_id == article.id
    assert comment.consultation_id == consultation.pk
    assert [a.original_name for a in comment.attachments.all()] == ["gop-y.pdf"]
    assert ConsentPurpose.EMAIL_UPDATES in comment.consent_purposes
    expect(page.get_by_text(article.value["heading"])).to_be_visible()


def tab_to(page, locator, *, limit=40):
    """Press Tab until ``locator`` has the focus, as a keyboard user does (fails past ``limit``)."""
    for _ in range(limit):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} was not reached with {limit} presses of Tab")


def test_comment_form_errors_then_completed_with_the_keyboard(page, portal):
    consultation = portal.open
    page.goto(consultation.get_url())
    body = page.get_by_label(t("Your comment"))
    body.fill("Ngắn")  # under the minimum length
    page.get_by_role("button", name=t("Send comment")).click()

    # The errors are announced (an alert naming each field) and the focus is on the summary.
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text(t("Your comment was not sent yet"))
    email = labelled(page, "Email")
    consent = page.locator("#id_consent")
    for field in (email, body, consent):
        expect(field).to_have_attribute("aria-invalid", "true")
    expect(summary.get_by_role("link", name=re.compile(t("Email")))).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile(t("Your comment")))).to_be_visible()
    expect(body).to_have_value("Ngắn")  # what the person wrote is kept
    screenshot(page, "comment-form-errors")
    expect(summary).to_be_focused()

    # Completed with the keyboard only: Tab, typing, Space for the box, Enter to send.
    tab_to(page, email)
    page.keyboard.type("hoa.le@example.vn")
    tab_to(page, body)
    page.keyboard.press("End")
    page.keyboard.type(": đề nghị bổ sung quy định về hồ sơ điện tử.")
    tab_to(page, consent)
    page.keyboard.press("Space")
    expect(consent).to_be_checked()
    tab_to(page, page.get_by_role("button", name=t("Send comment")))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Thank you: your comment has been received")
    )
    code = page.locator(".pc-receipt-code").inner_text()
    comment = PublicComment.objects.get(receipt_code=code)
    assert comment.email == "hoa.le@example.vn"
    assert comment.body == "Ngắn: đề nghị bổ sung quy định về hồ sơ điện tử."
