"""Staff in Wagtail's admin: the moderation queue, answers, exports and the synthesis report."""

import io
import re

import docx
import openpyxl
import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import log_in, screenshot, t
from wagtail_policycomms.models import CommentStatus, PublicComment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COMMENT = "Đề nghị bổ sung mức hỗ trợ cho doanh nghiệp nhỏ và vừa tại các huyện khó khăn."
ANSWER = "Tiếp thu: bổ sung khoản 3 Điều 4 về mức hỗ trợ cho doanh nghiệp nhỏ và vừa."


def sidebar_link(page, label):
    """A menu item of Wagtail's sidebar (a link or a submenu's button), not the content's."""
    return page.locator("aside, nav").get_by_text(label, exact=True).first


def open_queue(page):
    """The "Góp ý" menu item: the moderation queue."""
    sidebar_link(page, t("Comments")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("Comments"))


def find_in_queue(page, code, *, status=None):
    """Search the queue for a receipt code and open the comment; ``status`` (a label of the
    Status filter) first widens the queue, which opens on comments awaiting moderation."""
    if status:
        page.get_by_role("button", name=t("Show filters")).click()
        page.locator("[aria-controls='drilldown-id_status']").click()
        page.locator("#drilldown-id_status").get_by_label(status, exact=True).check()
        page.keyboard.press("Escape")
    search = page.locator("#id_q")  # the listing's search, not the sidebar's
    search.fill(code)
    search.press("Enter")
    # The results are swapped in, then the address shows the search: only then is the row
    # on the page the search's (and not the listing's before it).
    page.wait_for_url(re.compile(rf"[?&]q={re.escape(code)}"))
    expect(page.locator("td.title")).to_have_count(1)
    page.get_by_role("link", name=code, exact=True).click()
    expect(page.get_by_text(code).first).to_be_visible()


def log_out(page):
    page.context.clear_cookies()


def test_moderate_answer_and_publish(page, portal):
    consultation = portal.open
    comment = factories.make_comment(
        consultation,
        status=CommentStatus.PENDING,
        body=COMMENT,
        display_name="Phạm Thị Lan",
        publish_name=True,
    )
    code = comment.receipt_code

    # The moderator finds the comment in the queue and approves it.
    log_in(page, "kiemduyet", portal.password)
    open_queue(page)
    screenshot(page, "moderation-queue")
    find_in_queue(page, code)
    page.get_by_role("link", name=t("Approve"), exact=True).first.click()
    expect(
        page.get_by_text(t("Approve this comment? It will be published on the consultation page."))
    ).to_be_visible()
    page.get_by_role("button", name=t("Approve"), exact=True).click()
    expect(page.locator(".messages")).to_be_visible()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    log_out(page)

    # The drafting unit's editor answers it.
    log_in(page, "bientap", portal.password)
    open_queue(page)
    find_in_queue(page, code, status=t("Approved"))
    page.get_by_role("link", name=t("Answer"), exact=True).first.click()
    page.get_by_label(t("Accepted"), exact=True).check()
    page.get_by_role("textbox", name=t("Answer")).fill(ANSWER)
    page.get_by_role("button", name=t("Save")).first.click()
    expect(page.locator(".messages")).to_be_visible()
    comment.refresh_from_db()
    assert comment.response.text == ANSWER
    assert not comment.response.is_published
    log_out(page)

    # The moderator publishes the answer.
    log_in(page, "kiemduyet", portal.password)
    open_queue(page)
    find_in_queue(page, code, status=t("Approved"))
    page.get_by_role("link", name=t("Answer"), exact=True).first.click()
    page.get_by_role("button", name=t("Publish the answer")).click()
    expect(page.locator(".messages")).to_be_visible()
    comment.refresh_from_db()
    assert comment.response.is_published

    # The public page shows the comment and its answer.
    page.goto(consultation.get_url())
    published = page.locator(".pc-comment", has_text=COMMENT)
    expect(published).to_be_visible()
    expect(published).to_contain_text("Phạm Thị Lan")
    expect(published).to_contain_text(ANSWER)
    published.scroll_into_view_if_needed()
    screenshot(page, "published-comments")


def test_queue_search_finds_a_comment_on_an_article(page, portal):
    """The queue's search finds a comment whatever it is on: the whole draft or an article."""
    article = portal.open.draft_policy.articles[0]
    comment = factories.make_comment(
        portal.open, status=CommentStatus.PENDING, body=COMMENT, article_id=article.id
    )
    log_in(page, "kiemduyet", portal.password)
    open_queue(page)
    find_in_queue(page, comment.receipt_code)
    expect(page.get_by_text(COMMENT)).to_be_visible()


def header_action(page, label):
    """A button of the header's "⋯" (Actions) menu of a Wagtail view."""
    page.get_by_role("button", name=t("Actions"), exact=True).first.click()
    return page.get_by_role("link", name=label)


def download(page, link):
    """Click ``link``, wait for the file; return its name and bytes."""
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    with open(path, "rb") as file:
        return info.value.suggested_filename, file.read()


def test_moderator_downloads_the_export_and_the_synthesis(page, portal):
    consultation = portal.open
    draft = consultation.draft_policy
    log_in(page, "kiemduyet", portal.password)

    # The queue's export: the queue as it opens (comments awaiting moderation), whole.
    open_queue(page)
    name, content = download(page, header_action(page, t("Download XLSX")))
    assert name.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    pending = set(
        PublicComment.objects.filter(status=CommentStatus.PENDING).values_list(
            "receipt_code", flat=True
        )
    )
    assert pending
    assert {row[0] for row in rows[1:]} == pending

    # The synthesis report of the draft, from the page's own header in the admin.
    page.goto(f"/admin/pages/{draft.pk}/edit/")
    header_action(page, t("Synthesis report")).click()
    name, content = download(page, page.get_by_role("link", name="DOCX").first)
    assert name.endswith(".docx")
    document = docx.Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(cell.text for table in document.tables for cell in table._cells)
    approved = PublicComment.objects.filter(
        consultation__in=[consultation], status=CommentStatus.APPROVED
    ).first()
    assert approved is not None
    assert approved.body[:40] in text


def test_coordinator_downloads_the_justice_report(page, portal):
    log_in(page, "dieuphoi", portal.password)
    sidebar_link(page, t("Reports")).click()
    sidebar_link(page, t("Report to the Department of Justice")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        t("Periodic report to the Department of Justice")
    )
    screenshot(page, "justice-report")

    name, content = download(page, header_action(page, t("Download XLSX")))
    assert name.endswith(".xlsx")
    rows = list(
        openpyxl.load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(
            values_only=True
        )
    )
    assert len(rows) > 1
    page.keyboard.press("Escape")
    name, content = download(page, header_action(page, t("Download CSV")))
    assert name.endswith(".csv")
    assert content.decode("utf-8-sig").count("\n") == len(rows)

    # The Word version of the same report.
    page.keyboard.press("Escape")
    name, content = download(page, header_action(page, t("Download Word (.docx)")))
    assert name.endswith(".docx")
    document = docx.Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.strip()
