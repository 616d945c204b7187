"""What readers see on the three public page types, rendered through the demo portal.

Requests ask for English (the site default is Vietnamese) so labels can be
matched as written in the code; dates are frozen so statuses are known.
"""

import pytest
from django.urls import reverse
from freezegun import freeze_time
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from tests import factories
from wagtail_policycomms.models import ConsultationPage, DocumentKind, DraftPolicyPage

NOW = "2026-11-15 03:00:00"  # 10:00 in Hanoi


def get(client, page, **params):
    response = client.get(page.url, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response, WagtailTestUtils.get_soup(response.content)


def text_of(node):
    return " ".join(node.get_text(" ").split())


@pytest.fixture
def unit(db):
    return factories.make_unit(
        "Phòng Quản lý khoa học",
        address="Số 8 Đường Chùa Chuông, TP Hưng Yên",
        email="qlkh@sokhcn.hungyen.gov.vn",
        phone="0221 3862 555",
    )


@pytest.fixture
def draft(index, unit):
    with freeze_time(NOW):
        draft = factories.make_draft(
            index,
            "Dự thảo Nghị quyết quy định mức hỗ trợ <b>đổi mới</b> sáng tạo",
            drafting_unit=unit,
            sector=factories.make_sector("Khoa học và công nghệ"),
            document_type="hdnd_resolution",
            topics=["doi-moi-sang-tao"],
            need="<p>Cần thiết vì chưa có quy định.</p>",
            changes="<p>Bổ sung mức hỗ trợ mới.</p>",
            articles=[
                factories.article("Điều 1", "Phạm vi điều chỉnh", block_id="a1"),
                factories.article("Điều 2", "Đối tượng áp dụng", block_id="a2"),
            ],
        )
        factories.make_consultation(
            draft,
            factories.hanoi(2026, 11, 1, 8),
            factories.hanoi(2026, 12, 1, 0),
            receiving_unit=unit,
            title="Lấy ý kiến <i>đợt 1</i>",
            questions="<p>Mức hỗ trợ có phù hợp không?</p>",
        )
    return draft


# --- The index ------------------------------------------------------------------------


@freeze_time(NOW)
def test_index_card_shows_the_draft_and_its_round(client, index, draft):
    response, soup = get(client, index)
    [card] = soup.select(".pc-card")
    text = text_of(card)
    assert draft.title in text
    assert "Resolution of the Provincial People's Council" in text
    assert "Phòng Quản lý khoa học" in text
    assert "Khoa học và công nghệ" in text
    assert "From 08:00 01/11/2026 to 00:00 01/12/2026" in text
    assert card.select_one(".pc-status--open").get_text() == "Open for comments"
    assert card.find("a", href=draft.url)
    assert "1 draft policy" in text_of(soup.select_one(".pc-count"))


@freeze_time(NOW)
def test_index_draft_without_round(client, index, unit):
    factories.make_draft(index, "Dự thảo chưa lấy ý kiến", drafting_unit=unit)
    _, soup = get(client, index)
    card = soup.select_one(".pc-card")
    assert card.select_one(".pc-status--none").get_text() == "No consultation yet"


@freeze_time(NOW)
def test_titles_are_escaped_everywhere(client, index, draft):
    consultation = ConsultationPage.objects.get()
    for page in (index, draft, consultation):
        html = get(client, page)[0].content.decode()
        assert "<b>đổi mới</b>" not in html
        assert "&lt;b&gt;đổi mới&lt;/b&gt;" in html
    assert "<i>đợt 1</i>" not in get(client, draft)[0].content.decode()


# --- The draft page -------------------------------------------------------------------


@freeze_time(NOW)
def test_draft_page_shows_only_filled_sections(client, draft):
    _, soup = get(client, draft)
    headings = [text_of(h) for h in soup.select("section.pc-section > h2")]
    assert "The need for the policy" in headings
    assert "What is new, amended or abolished" in headings
    for empty in ("Purpose and viewpoints", "Scope and people affected", "Contentious issues"):
        assert empty not in headings
    assert soup.find(id="need")
    assert not soup.find(id="purpose")
    assert [a["href"] for a in soup.select(".pc-toc a")] == ["#need", "#changes", "#draft-text"]


@freeze_time(NOW)
def test_articles_have_stable_anchors(client, draft):
    _, soup = get(client, draft)
    articles = soup.select("article.pc-article")
    assert [a["id"] for a in articles] == ["article-a1", "article-a2"]
    for article, block_id in zip(articles, ("a1", "a2"), strict=True):
        assert article.find("a", href=f"#article-{block_id}")
    assert "Điều 2. Đối tượng áp dụng" in text_of(articles[1])


@freeze_time(NOW)
def test_draft_page_lists_its_rounds_with_status(client, draft, unit):
    factories.make_consultation(
        draft,
        factories.hanoi(2026, 12, 10),
        factories.hanoi(2027, 1, 10),
        receiving_unit=unit,
        title="Lấy ý kiến đợt 2",
    )
    factories.make_consultation(
        draft,
        factories.hanoi(2026, 1, 1),
        factories.hanoi(2026, 2, 1),
        receiving_unit=unit,
        title="Đợt chưa xuất bản",
        live=False,
    )
    _, soup = get(client, draft)
    rounds = soup.select(".pc-rounds li")
    assert [text_of(r.a) for r in rounds] == ["Lấy ý kiến <i>đợt 1</i>", "Lấy ý kiến đợt 2"]
    assert rounds[0].select_one(".pc-status--open")
    assert rounds[1].select_one(".pc-status--upcoming")
    assert "pc-current" in rounds[0]["class"]


def test_related_documents_with_their_kind(client, draft):
    memo = factories.make_document("Tờ trình", "to-trinh.pdf")
    report = factories.make_document("Báo cáo đánh giá tác động", "bao-cao.docx")
    factories.attach_document(draft, memo, DocumentKind.MEMORANDUM)
    factories.attach_document(draft, report, DocumentKind.IMPACT_ASSESSMENT, title="Báo cáo ĐGTĐ")
    _, soup = get(client, draft)
    items = soup.select(".pc-documents li")
    assert [text_of(i) for i in items] == [
        "Tờ trình (Explanatory memorandum, PDF)",
        "Báo cáo ĐGTĐ (Impact assessment report, DOCX)",
    ]
    assert items[0].a["href"] == memo.url
    assert items[1].a["href"] == report.url


def test_draft_saved_from_empty_editors_shows_no_empty_sections(client, index, unit, editor):
    """An untouched rich text editor posts an empty paragraph; that is not a filled section."""
    client.force_login(editor)
    data = nested_form_data(
        {
            "title": "Dự thảo không có phần truyền thông",
            "slug": "khong-truyen-thong",
            "drafting_unit": str(unit.pk),
            "document_type": "other",
            "body": {"count": "0"},
            "related_documents": inline_formset([]),
            "communication_log": inline_formset([]),
            **{name: rich_text("") for name in DraftPolicyPage.communication_sections},
            "need": rich_text("<p>Chỉ có phần này.</p>"),
        }
    )
    url = reverse(
        "wagtailadmin_pages:add", args=["wagtail_policycomms", "draftpolicypage", index.pk]
    )
    assert client.post(url, {**data, "action-publish": "action-publish"}).status_code == 302
    client.logout()
    _, soup = get(client, DraftPolicyPage.objects.get(slug="khong-truyen-thong"))
    assert [text_of(h) for h in soup.select("section.pc-section > h2")] == [
        "Consultation",
        "The need for the policy",
    ]


# --- The consultation page ------------------------------------------------------------


@freeze_time(NOW)
def test_consultation_page_says_where_to_send_comments(client, draft):
    consultation = ConsultationPage.objects.get()
    response, soup = get(client, consultation)
    text = text_of(soup.select_one(".pc-consultation"))
    assert "From 08:00 01/11/2026 to 00:00 01/12/2026" in text
    assert soup.select_one(".pc-status--open").get_text() == "Open for comments"
    contact = soup.select_one("address.pc-contact")
    assert "Số 8 Đường Chùa Chuông, TP Hưng Yên" in text_of(contact)
    assert contact.find("a", href="mailto:qlkh@sokhcn.hungyen.gov.vn")
    assert contact.find("a", href="tel:02213862555").get_text() == "0221 3862 555"
    assert "Mức hỗ trợ có phù hợp không?" in text
    assert soup.select_one(".pc-breadcrumb a")["href"] == draft.url


@freeze_time(NOW)
def test_consultation_page_hides_empty_sections(client, draft, unit):
    consultation = factories.make_consultation(
        draft,
        factories.hanoi(2026, 11, 1),
        factories.hanoi(2026, 12, 1),
        receiving_unit=unit,
        audience='<p data-block-key="x1"></p>',
        questions="",
    )
    _, soup = get(client, consultation)
    headings = [text_of(h) for h in soup.select("section.pc-section > h2")]
    assert "How to comment" in headings
    assert "Who is asked" not in headings
    assert "Questions for comment" not in headings


@freeze_time("2027-01-01 00:00:00")
def test_closed_consultation_page(client, draft):
    _, soup = get(client, ConsultationPage.objects.get())
    assert soup.select_one(".pc-status--closed").get_text() == "Closed"
