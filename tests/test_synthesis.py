"""The synthesis report: its content from the database, the DOCX and XLSX read back with
python-docx and openpyxl, permissions, the audit log, and attaching it to the draft page.

The views are reached at their real admin URLs (``wagtail_policycomms_admin:*``).
"""

import io
from datetime import timedelta

import docx
import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx.oxml.ns import qn
from docx.shared import Pt
from wagtail.documents import get_document_model
from wagtail.models import ModelLogEntry, PageLogEntry

from tests import factories
from wagtail_policycomms import synthesis
from wagtail_policycomms.models import (
    CommentStatus,
    DocumentKind,
    DraftPolicyDocument,
    DraftPolicyPage,
    PublicComment,
)
from wagtail_policycomms.models.comments import text_hash

EXPORT = "wagtail_policycomms.export_publiccomment"
A1, A2, A3 = (f"0000000{n}-0000-4000-8000-00000000000{n}" for n in (1, 2, 3))
H1, H2 = "Điều 1. Phạm vi điều chỉnh", "Điều 2. Mức thu phí"
CAMPAIGN = "Đề nghị giảm mức thu phí thẩm định cho hộ kinh doanh cá thể."
SILENT = "Đề nghị quy định rõ thời hạn nộp phí."
GENERAL = "Dự thảo cần đánh giá tác động đến doanh nghiệp nhỏ và vừa."


@pytest.fixture
def draft(index):
    unit = factories.make_unit("Sở Tài chính tỉnh Hưng Yên")
    return factories.make_draft(
        index,
        title="Dự thảo Nghị quyết quy định mức thu phí thẩm định",
        drafting_unit=unit,
        articles=[
            factories.article("Điều 1", "Phạm vi điều chỉnh", block_id=A1),
            factories.article("Điều 2", "Mức thu phí", block_id=A2),
            factories.article("Điều 3", "Hiệu lực thi hành", block_id=A3),
        ],
    )


@pytest.fixture
def consultation(draft):
    return factories.make_consultation(
        draft, factories.hanoi(2026, 3, 1, 8), factories.hanoi(2026, 4, 1), title="Đợt 1"
    )


def comment(consultation, body, article=None, **kwargs):
    if article:
        kwargs.update(article_id=article, article_heading={A1: H1, A2: H2}[article])
    kwargs.setdefault("submitted_at", timezone.now() - timedelta(days=30))
    return factories.make_comment(consultation, body=body, **kwargs)


@pytest.fixture
def comments(consultation, draft):
    """Known comments: a campaign of three on article 2, three anonymous people on
    article 1, two whole-draft comments answered differently, and some left out."""
    made = {
        "business": comment(consultation, CAMPAIGN, A2, commenter_type="business",
                            organisation_name="Công ty TNHH Phố Hiến", publish_name=False),
        "named": comment(consultation, "  " + CAMPAIGN.upper() + "  ", A2, publish_name=True,
                         display_name="Nguyễn Văn An"),
        "anonymous": comment(consultation, CAMPAIGN, A2, display_name="Lê Thị Kín"),
        "general_a": comment(consultation, GENERAL, commenter_type="agency",
                             organisation_name="Sở Kế hoạch và Đầu tư"),
        "general_b": comment(consultation, GENERAL, display_name="Phạm Văn Ẩn"),
        "rejected": comment(consultation, "Ý kiến bị từ chối.", A1, status=CommentStatus.REJECTED),
        "pending": comment(consultation, "Ý kiến đang chờ duyệt.", A2, status=CommentStatus.PENDING),
        "spam": comment(consultation, "Quảng cáo.", status=CommentStatus.SPAM),
        "unverified": comment(consultation, "Chưa xác thực.", status=CommentStatus.UNVERIFIED),
    }  # fmt: skip
    for n in range(3):
        made[f"silent{n}"] = comment(consultation, SILENT, A1, display_name=f"Người thứ {n}")
    campaign = PublicComment.objects.filter(pk__in=[made[k].pk for k in ("business", "named")])
    factories.answer_comments(campaign, text="Đã điều chỉnh mức thu tại khoản 2.")
    factories.answer_comments(
        PublicComment.objects.filter(pk=made["anonymous"].pk),
        disposition="partly_accepted",
        text="Tiếp thu đối với hộ kinh doanh.",
    )
    factories.answer_comments(
        PublicComment.objects.filter(pk=made["general_a"].pk),
        disposition="explained",
        text="Báo cáo đánh giá tác động đã nêu.",
    )
    factories.answer_comments(
        PublicComment.objects.filter(pk=made["general_b"].pk),
        disposition="partly_accepted",
        text="Sẽ bổ sung số liệu.",
    )
    other_draft = factories.make_draft(draft.get_parent(), title="Dự thảo khác")
    comment(factories.make_round_with_status(other_draft, "closed"), "Ý kiến dự thảo khác.")
    return made


EXPECTED_ROWS = [
    (H1, ["Ẩn danh (3 cá nhân)"], SILENT, [""]),
    (
        H2,
        ["Công ty TNHH Phố Hiến", "Nguyễn Văn An", "Ẩn danh"],
        CAMPAIGN,
        [
            "Tiếp thu, điều chỉnh: Đã điều chỉnh mức thu tại khoản 2.",
            "Tiếp thu một phần: Tiếp thu đối với hộ kinh doanh.",
        ],
    ),
    (
        "Góp ý chung về toàn bộ dự thảo",
        ["Sở Kế hoạch và Đầu tư", "Ẩn danh"],
        GENERAL,
        [
            "Giữ nguyên như dự thảo, giải trình: Báo cáo đánh giá tác động đã nêu.",
            "Tiếp thu một phần: Sẽ bổ sung số liệu.",
        ],
    ),
]


def exporter_client(*perms):
    client = Client()
    client.force_login(factories.make_staff("reporter", [EXPORT, *perms]))
    return client


def download(client, scope, page, export_format):
    url = reverse(
        "wagtail_policycomms_admin:synthesis_download", args=[scope, page.pk, export_format]
    )
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def docx_rows(content):
    document = docx.Document(io.BytesIO(content))
    table = next(
        t for t in document.tables if t.rows[0].cells[0].text == synthesis.COLUMN_HEADINGS[0]
    )
    return document, table, [
        (cells[0].text, cells[1].text.split("\n"), cells[2].text, cells[3].text.split("\n"))
        for cells in (row.cells for row in table.rows[1:])
    ]  # fmt: skip


# --- The data ---------------------------------------------------------------------------


def test_synthesis_of_a_consultation(consultation, comments):
    report = synthesis.build_synthesis(consultation)
    assert report.title == "BẢN TỔNG HỢP Ý KIẾN, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý"
    assert report.draft_title == "Dự thảo Nghị quyết quy định mức thu phí thẩm định"
    assert report.drafting_unit == "Sở Tài chính tỉnh Hưng Yên"
    assert [(p.title, p.opens, p.closes) for p in report.periods] == [
        ("Đợt 1", "01/03/2026", "31/03/2026")
    ]
    totals = report.totals
    # Received: approved 8, rejected 1, pending 1; spam and unverified are not received.
    assert (totals.received, totals.approved, totals.rejected, totals.pending, totals.spam) == (
        10,
        8,
        1,
        1,
        1,
    )
    assert dict(totals.by_commenter_type) == {
        "Cá nhân": 8,
        "Tổ chức": 0,
        "Doanh nghiệp": 1,
        "Cơ quan, đơn vị": 1,
    }
    assert [s.heading for s in report.sections] == [H1, H2, "Góp ý chung về toàn bộ dự thảo"]
    rows = [
        (s.heading, r.authors, r.text, [str(a) for a in r.answers] or [""])
        for s in report.sections
        for r in s.rows
    ]
    assert rows == EXPECTED_ROWS
    campaign = report.sections[1].rows[0]
    assert campaign.comment_count == 3
    assert set(campaign.receipt_codes) == {
        comments[k].receipt_code for k in ("business", "named", "anonymous")
    }


def test_draft_synthesis_covers_every_round(draft, consultation, comments):
    second = factories.make_consultation(
        draft, factories.hanoi(2026, 5, 1), factories.hanoi(2026, 5, 21, 17), title="Đợt 2"
    )
    comment(second, "Ý kiến đợt 2 về hiệu lực.", publish_name=True, display_name="Đỗ Minh")
    report = synthesis.build_synthesis(draft)
    assert [(p.title, p.closes) for p in report.periods] == [
        ("Đợt 1", "31/03/2026"),
        ("Đợt 2", "21/05/2026"),
    ]
    assert report.totals.received == 11
    general = report.sections[-1]
    assert [r.text for r in general.rows] == [GENERAL, "Ý kiến đợt 2 về hiệu lực."]
    assert general.rows[1].authors == ["Đỗ Minh"]

    # Two rows in one group: the article cell spans both (merged vertically) in the DOCX.
    _document, table, rows = docx_rows(download(exporter_client(), "draft", draft, "docx"))
    assert [(r[0], r[2]) for r in rows[-2:]] == [
        ("Góp ý chung về toàn bộ dự thảo", GENERAL),
        ("Góp ý chung về toàn bộ dự thảo", "Ý kiến đợt 2 về hiệu lực."),
    ]
    assert table.rows[-1]._tr.tc_lst[0].vMerge == "continue"


# --- DOCX and XLSX ----------------------------------------------------------------------


def test_docx_table_matches_the_database(consultation, comments):
    content = download(exporter_client(), "consultation", consultation, "docx")
    document, table, rows = docx_rows(content)
    assert rows == EXPECTED_ROWS

    approved = PublicComment.objects.filter(consultation=consultation, status="approved")
    assert approved.count() == 8
    for stored in approved:  # each approved comment is in the row of its article and text
        heading = stored.article_heading or "Góp ý chung về toàn bộ dự thảo"
        assert [r for r in rows if r[0] == heading and text_hash(r[2]) == stored.text_hash]
    left_out = PublicComment.objects.filter(consultation=consultation).exclude(status="approved")
    text = "\n".join(p.text for p in document.paragraphs) + str(rows)
    for stored in left_out:
        assert stored.body not in text
    for secret in ("Lê Thị Kín", "Phạm Văn Ẩn", "Người thứ 0"):
        assert secret not in text

    paragraphs = [p.text for p in document.paragraphs]
    assert "BẢN TỔNG HỢP Ý KIẾN, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý" in paragraphs
    assert "Dự thảo Nghị quyết quy định mức thu phí thẩm định" in paragraphs
    assert "1. Tổng số ý kiến góp ý nhận được: 10, trong đó:" in paragraphs
    # The header names the issuing agency (the site's DepartmentSettings, here its
    # defaults; tests/test_justice_docx.py changes them), the body the drafting unit.
    header, signature = document.tables[0], document.tables[-1]
    header_lines = [cell.text.split("\n") for cell in header.rows[0].cells]
    assert header_lines[0] == ["UBND TỈNH HƯNG YÊN", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", ""]  # "": rule
    assert header_lines[1] == [*synthesis.MOTTO, ""]
    assert "(Đơn vị chủ trì soạn thảo: Sở Tài chính tỉnh Hưng Yên)" in paragraphs
    assert "THỦ TRƯỞNG ĐƠN VỊ CHỦ TRÌ SOẠN THẢO" in signature.rows[0].cells[1].text
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(13))
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
    assert round(table.rows[1].cells[1].width.cm, 1) == 3.4


def test_xlsx_has_the_same_table_and_the_totals(draft, consultation, comments):
    content = download(exporter_client(), "consultation", consultation, "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Tổng quan", "Bảng tổng hợp"]
    heading, *rows = workbook["Bảng tổng hợp"].iter_rows(values_only=True)
    assert heading == synthesis.COLUMN_HEADINGS
    assert [(a, b.split("\n"), c, (d or "").split("\n")) for a, b, c, d in rows] == EXPECTED_ROWS
    totals = {row[0]: row[1] for row in workbook["Tổng quan"].iter_rows(values_only=True) if row}
    assert totals["Tổng số ý kiến góp ý nhận được"] == 10
    assert totals["Số ý kiến được duyệt"] == 8
    assert totals["Doanh nghiệp"] == 1
    assert totals["Dự thảo Nghị quyết quy định mức thu phí thẩm định"] is None


def test_formula_like_comment_is_neutralised_in_the_xlsx(consultation):
    comment(consultation, '=HYPERLINK("http://x")', A1)
    content = download(exporter_client(), "consultation", consultation, "xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(content))["Bảng tổng hợp"].iter_rows())
    assert rows[1][2].value == '\'=HYPERLINK("http://x")'
    assert rows[1][2].data_type == "s"


def test_download_needs_the_export_permission_and_is_audited(
    draft, consultation, comments, editor_client
):
    refused = Client()
    refused.force_login(factories.make_staff("moderator", []))
    url = reverse("wagtail_policycomms_admin:synthesis_download", args=["draft", draft.pk, "docx"])
    assert refused.get(url).status_code == 403
    assert not ModelLogEntry.objects.filter(action="wagtail_policycomms.synthesis").exists()

    stamps = dict(PublicComment.objects.values_list("pk", "last_action"))
    reporter = exporter_client()
    download(reporter, "draft", draft, "docx")
    # The issue changed the rule: one entry per report, on the page it covers, never one
    # per comment in it (and no UPDATE of the comments).
    approved = PublicComment.objects.filter(status="approved", consultation=consultation)
    assert not ModelLogEntry.objects.filter(action="wagtail_policycomms.synthesis").exists()
    entries = PageLogEntry.objects.filter(action="wagtail_policycomms.synthesis")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.page_id == draft.pk
    assert entry.user.username == "reporter"
    assert entry.data == {
        "format": "docx",
        "scope": "draft",
        "page": draft.pk,
        "rows": approved.count(),
    }
    assert dict(PublicComment.objects.values_list("pk", "last_action")) == stamps
    download(reporter, "consultation", consultation, "xlsx")
    entry = PageLogEntry.objects.filter(action="wagtail_policycomms.synthesis").latest("pk")
    assert entry.page_id == consultation.pk
    assert entry.data["format"] == "xlsx"
    for url in (
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_pages:history", args=[draft.pk]),
    ):
        response = editor_client.get(url)
        assert response.status_code == 200
        assert f"Synthesis report generated as DOCX, {approved.count()} comments" in (
            response.content.decode()
        )


def test_synthesis_page_shows_totals_and_downloads(editor_client, draft, consultation, comments):
    response = editor_client.get(reverse("wagtail_policycomms_admin:synthesis", args=[draft.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1. Tổng số ý kiến góp ý nhận được: 10, trong đó:" in html
    assert reverse("wagtail_policycomms_admin:synthesis_download", args=["consultation", consultation.pk, "docx"]) in html  # fmt: skip
    assert reverse("wagtail_policycomms_admin:synthesis_attach", args=[draft.pk]) in html


# --- Attaching the report to the draft page ----------------------------------------------


def synthesis_rows(draft):
    return DraftPolicyDocument.objects.filter(page=draft, kind=DocumentKind.SYNTHESIS_REPORT)


def test_attach_publishes_the_report_on_the_draft_page(
    client, editor, editor_client, draft, consultation, comments
):
    memorandum = factories.make_document("Tờ trình", "to-trinh.pdf")
    factories.attach_document(draft, memorandum, DocumentKind.MEMORANDUM)
    url = reverse("wagtail_policycomms_admin:synthesis_attach", args=[draft.pk])

    response = editor_client.post(url)
    assert response.status_code == 302
    title = "Bản tổng hợp, tiếp thu, giải trình ý kiến – " + draft.title
    first = get_document_model().objects.get(title=title)
    assert first.file.name.endswith(".docx")
    _document, _table, rows = docx_rows(first.file.read())
    assert rows == EXPECTED_ROWS
    assert [row.document for row in synthesis_rows(draft)] == [first]
    draft.refresh_from_db()
    assert draft.live_revision.user == editor
    assert not draft.has_unpublished_changes

    page = client.get(draft.url).content.decode()
    assert title in page
    assert first.url in page
    assert "Tờ trình" in page

    editor_client.post(url)  # once more: still one synthesis row, now the new document
    second = get_document_model().objects.filter(title=title).latest("pk")
    assert second != first
    assert [row.document for row in synthesis_rows(draft)] == [second]
    assert DraftPolicyDocument.objects.filter(page=draft, kind=DocumentKind.MEMORANDUM).count() == 1
    assert second.url in client.get(draft.url).content.decode()
    entries = PageLogEntry.objects.filter(action="wagtail_policycomms.synthesis", page=draft)
    assert entries.count() == 2  # one per report attached, in the draft's history
    assert entries.latest("pk").data["rows"] == 8
    assert not ModelLogEntry.objects.filter(action="wagtail_policycomms.synthesis").exists()


def test_attach_keeps_an_editors_unpublished_changes_unpublished(
    editor_client, draft, consultation
):
    pending = draft.get_latest_revision_as_object()
    pending.summary = "Tóm tắt mới, chưa xuất bản."
    pending.save_revision()
    editor_client.post(reverse("wagtail_policycomms_admin:synthesis_attach", args=[draft.pk]))
    live = DraftPolicyPage.objects.get(pk=draft.pk)
    assert live.summary == ""
    assert synthesis_rows(live).count() == 1
    latest = live.get_latest_revision_as_object()
    assert latest.summary == "Tóm tắt mới, chưa xuất bản."
    assert [r.kind for r in latest.related_documents.all()] == [DocumentKind.SYNTHESIS_REPORT]
    assert live.has_unpublished_changes


def test_attach_needs_publish_permission_on_the_draft(draft, consultation, comments):
    client = exporter_client()  # may export, may not publish pages
    response = client.post(reverse("wagtail_policycomms_admin:synthesis_attach", args=[draft.pk]))
    assert response.status_code == 403
    assert not synthesis_rows(draft).exists()
    assert not get_document_model().objects.exists()
    page = client.get(
        reverse("wagtail_policycomms_admin:synthesis", args=[draft.pk])
    ).content.decode()
    assert reverse("wagtail_policycomms_admin:synthesis_attach", args=[draft.pk]) not in page
