"""The plan's reports: every figure checked on the page, in the CSV and in the XLSX export,
against a fixture whose answers are worked out by hand below."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from freezegun import freeze_time
from wagtail.admin.menu import reports_menu

from tests.factories import (
    answer_comments,
    fresh,
    hanoi,
    log_communication,
    make_assignment,
    make_comment,
    make_consultation,
    make_draft,
    make_home,
    make_index,
    make_plan,
    make_staff,
    make_unit,
    soup_of,
)
from wagtail_policycomms.models import PublicComment
from wagtail_policycomms.reports import data

COMPLIANCE = "wagtail_policycomms_admin:report_compliance"
JUSTICE = "wagtail_policycomms_admin:report_justice"
ASSIGNMENTS = "wagtail_policycomms_admin:report_assignments"


def make_units():
    return {
        "A": make_unit("Phòng Quản lý Công nghệ và Đổi mới sáng tạo"),
        "B": make_unit("Thanh tra Sở"),
        "C": make_unit("Văn phòng Sở"),
        "D": make_unit("Phòng đã giải thể", is_active=False),
    }


@pytest.fixture
def units(db):
    return make_units()


def round_on(draft, opens_at, closes_at, unit):
    return make_consultation(draft, opens_at, closes_at, receiving_unit=unit)


def comments(consultation, n, *, submitted_at, **kwargs):
    made = [make_comment(consultation, submitted_at=submitted_at, **kwargs) for _ in range(n)]
    return PublicComment.objects.filter(pk__in=[c.pk for c in made])


def assign(plan, reference, status, due_on, **fields):
    return make_assignment(plan, reference=reference, status=status, due_on=due_on, **fields)


def build_world(index, units):
    """Drafts, rounds, comments, the communication log and assignments of 2023-2024.

    2024 compliance: D1, D2, D3, D4 in scope (D5 has no major impact, D6 is 2023);
    D1, D2, D4 communicated (D3 has no round): 3 of 4, 75%.
    """
    A, B, C = units["A"], units["B"], units["C"]
    d1 = make_draft(
        index, "Dự thảo 1 – hỗ trợ doanh nghiệp KH&CN", drafting_unit=A, major_social_impact=True
    )
    d2 = make_draft(
        index, "Dự thảo 2 – quỹ phát triển KH&CN", drafting_unit=B, major_social_impact=True
    )
    d3 = make_draft(
        index, "Dự thảo 3 – chưa xuất bản", drafting_unit=A, major_social_impact=True, live=False
    )
    d4 = make_draft(
        index, "Dự thảo 4 – đo lường chất lượng", drafting_unit=C, major_social_impact=True
    )
    d5 = make_draft(index, "Dự thảo 5 – không thuộc phạm vi", drafting_unit=A)
    d6 = make_draft(index, "Dự thảo 6 – năm 2023", drafting_unit=B, major_social_impact=True)

    r1 = round_on(d1, hanoi(2024, 3, 1, 8), hanoi(2024, 4, 1), A)
    r2 = round_on(d2, hanoi(2024, 6, 1, 8), hanoi(2024, 12, 1), B)
    r4 = round_on(d4, hanoi(2024, 12, 1, 8), hanoi(2025, 1, 15), C)
    round_on(d5, hanoi(2024, 5, 1, 8), hanoi(2024, 6, 1), A)
    r6 = round_on(d6, hanoi(2023, 5, 1, 8), hanoi(2023, 6, 1), B)

    log_communication(d1, "portal", date=date(2024, 3, 5))
    log_communication(d1, "newspaper", date=date(2024, 3, 10))
    log_communication(d1, "portal", date=date(2024, 4, 1))
    log_communication(d1, "portal", date=date(2024, 11, 15))  # after the period
    log_communication(d2, "radio_tv", date=date(2024, 6, 5))
    log_communication(d3, "conference", date=date(2024, 9, 1))
    log_communication(d4, "other", date=date(2024, 12, 31))  # after the period
    log_communication(d5, "social_network", date=date(2024, 7, 1))
    log_communication(d6, "portal", date=date(2023, 5, 2))

    in_d1 = hanoi(2024, 3, 15, 9)
    accepted = comments(r1, 2, submitted_at=in_d1, commenter_type="individual")
    explained = comments(r1, 1, submitted_at=in_d1, commenter_type="individual")
    comments(r1, 1, submitted_at=in_d1, commenter_type="business", status="pending")
    comments(r1, 1, submitted_at=in_d1, commenter_type="organisation", status="spam")
    comments(r1, 1, submitted_at=in_d1, commenter_type="individual", status="unverified")
    comments(r1, 1, submitted_at=in_d1, commenter_type="agency", status="rejected")
    answer_comments(accepted, disposition="accepted", unit=A, published=True)
    answer_comments(explained, disposition="explained", unit=A)

    in_d2 = hanoi(2024, 6, 10, 9)
    not_applicable = comments(r2, 2, submitted_at=in_d2, commenter_type="organisation")
    partly = comments(r2, 1, submitted_at=in_d2, commenter_type="business")
    comments(r2, 1, submitted_at=hanoi(2024, 11, 2, 9), commenter_type="individual")
    answer_comments(not_applicable, disposition="not_applicable", unit=B, published=True)
    answer_comments(partly, disposition="partly_accepted", unit=B)

    comments(r4, 1, submitted_at=hanoi(2024, 12, 5, 9), commenter_type="agency")
    comments(r6, 2, submitted_at=hanoi(2023, 5, 10, 9), commenter_type="individual")

    plan24 = make_plan(2024, number="35/KH-SKHCN", issued_on=date(2024, 3, 20))
    plan23 = make_plan(2023, number="12/KH-SKHCN", issued_on=date(2023, 2, 1))
    # Budget spent in 01/03-31/10/2024 (due or completed then): II.1 + II.3 + II.5 + III.1.
    # fmt: off
    assign(plan24, "II.1", "done", date(2024, 5, 31), lead_unit=A, coordinating_units=[B, C],
           completed_on=date(2024, 5, 20), budget_spent=Decimal(5_000_000))
    assign(plan24, "II.2", "in_progress", date(2024, 12, 31), lead_unit=B,
           coordinating_units=[A], budget_spent=Decimal(2_000_000))
    assign(plan24, "II.3", "done", date(2025, 1, 15), lead_unit=A,
           completed_on=date(2024, 10, 31), budget_spent=Decimal(1_500_000))
    assign(plan24, "II.4", "not_started", date(2024, 4, 30), lead_unit=C, coordinating_units=[A])
    assign(plan24, "II.5", "cancelled", date(2024, 6, 30), draft_policy=d2,
           budget_spent=Decimal(700_000))
    assign(plan23, "II.1", "done", date(2023, 12, 31), lead_unit=A,
           completed_on=date(2023, 12, 20), budget_spent=Decimal(9_000_000))
    assign(plan24, "III.1", "in_progress", date(2024, 9, 30), lead_unit_text="Các phòng, đơn vị",
           coordinating_units=[A, B], budget_spent=Decimal(300_000))
    # fmt: on
    return {"drafts": [d1, d2, d3, d4, d5, d6], "plans": [plan24, plan23]}


@pytest.fixture(scope="class")
def shared_world(class_db):
    """``build_world`` in a section of its own, built once for the tests of a class
    (``class_db``): the module's other tests count every draft, so they never see it."""
    return build_world(make_index(make_home()), make_units())


@pytest.fixture
def world(shared_world, db):
    return fresh(shared_world)


# --- Reading the responses ------------------------------------------------------------------


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response):
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def as_text(rows):
    return [["" if v is None else str(v) for v in row] for row in rows]


def cells(tr, selector="td"):
    return [cell.get_text(" ", strip=True) for cell in tr.select(selector)]


# --- 1. Compliance --------------------------------------------------------------------------

# fmt: off
COMPLIANCE_2024 = [
    # title, unit, published, communicated, channels, received, approved, answered, %, published
    ["Dự thảo 1 – hỗ trợ doanh nghiệp KH&CN", "Phòng Quản lý Công nghệ và Đổi mới sáng tạo",
     "Yes", "Yes", "Chuyên trang trên Cổng thông tin điện tử, Báo Hưng Yên", 5, 3, 3, 100, 2],
    ["Dự thảo 2 – quỹ phát triển KH&CN", "Thanh tra Sở", "Yes", "Yes", "Đài Phát thanh - Truyền hình tỉnh",
     4, 4, 3, 75, 2],
    ["Dự thảo 3 – chưa xuất bản", "Phòng Quản lý Công nghệ và Đổi mới sáng tạo", "No", "No",
     "Hội nghị, hội thảo, tọa đàm hoặc diễn đàn", 0, 0, 0, None, 0],
    ["Dự thảo 4 – đo lường chất lượng", "Văn phòng Sở", "Yes", "Yes", "Khác", 1, 1, 0, 0, 0],
]
# fmt: on


class TestComplianceOfTheWorld:
    """The compliance report of ``world``, built once for these tests (``shared_world``)."""

    def test_compliance_page(self, editor_client, world):
        response = editor_client.get(reverse(COMPLIANCE), {"year": "2024"})
        assert response.status_code == 200
        soup = soup_of(response)
        summary = soup.select_one(".pc-compliance-summary-text").get_text(" ", strip=True)
        assert "3 of 4 policies communicated: 75% against a target of 100%." in summary
        assert "Below target." in summary
        rows = soup.select("table.pc-compliance-table tbody tr")
        assert [cells(tr) for tr in rows] == [
            [
                title + ("" if published == "Yes" else " not published"),
                unit,
                communicated,
                channels,
                str(received),
                str(approved),
                f"{answered}" + ("" if share is None else f" ({share}%)"),
                str(answers_published),
            ]
            for title, unit, published, communicated, channels, received, approved, answered, share, answers_published in COMPLIANCE_2024
        ]
        d1 = world["drafts"][0]
        assert rows[0].select_one("a")["href"] == reverse("wagtailadmin_pages:edit", args=[d1.pk])

    def test_compliance_exports(self, editor_client, world):
        headings = [
            "Draft policy",
            "Drafting unit",
            "Page published",
            "Communicated",
            "Channels used",
            "Comments received",
            "Comments approved",
            "Approved comments answered",
            "Share answered (%)",
            "Answers published",
        ]
        response = editor_client.get(reverse(COMPLIANCE), {"year": "2024", "export": "csv"})
        assert (
            response["Content-Disposition"]
            == 'attachment; filename="tuan-thu-truyen-thong-2024.csv"'
        )
        assert csv_rows(response) == as_text([headings, *COMPLIANCE_2024])
        response = editor_client.get(reverse(COMPLIANCE), {"year": "2024", "export": "xlsx"})
        assert xlsx_rows(response) == [headings, *COMPLIANCE_2024]

    def test_compliance_other_year(self, editor_client, world):
        response = editor_client.get(reverse(COMPLIANCE), {"year": "2023"})
        soup = soup_of(response)
        text = soup.select_one(".pc-compliance-summary-text").get_text(" ", strip=True)
        assert "1 of 1 policies communicated: 100% against a target of 100%." in text
        assert "Target met." in text
        assert [cells(tr)[0] for tr in soup.select("table.pc-compliance-table tbody tr")] == [
            "Dự thảo 6 – năm 2023"
        ]


def test_compliance_defaults_to_the_current_local_year(editor_client, index, units):
    # 31/12/2024 18:00 UTC is already 1 January 2025 in Hanoi.
    draft = make_draft(index, "Dự thảo đầu năm", drafting_unit=units["A"], major_social_impact=True)
    log_communication(draft, "portal", date=date(2025, 1, 1))
    with freeze_time("2024-12-31T18:00:00Z"):
        response = editor_client.get(reverse(COMPLIANCE))
    soup = soup_of(response)
    assert soup.select_one("select[name=year] option[selected]")["value"] == "2025"
    assert "0 of 1 policies communicated: 0%" in soup.select_one(
        ".pc-compliance-summary-text"
    ).get_text(" ", strip=True)


def test_year_boundary_in_hanoi(index, units):
    """A log row dated 31/12/2024 is 2024; a round opening 01/01/2025 00:30 Hanoi (still
    2024 in UTC) is 2025."""
    late_log = make_draft(
        index, "Nhật ký cuối năm", drafting_unit=units["A"], major_social_impact=True
    )
    log_communication(late_log, "portal", date=date(2024, 12, 31))
    early_round = make_draft(
        index, "Lấy ý kiến đầu năm", drafting_unit=units["A"], major_social_impact=True
    )
    opening = hanoi(2025, 1, 1, 0, 30)
    assert opening.isoformat() == "2025-01-01T00:30:00+07:00"
    round_on(early_round, opening, hanoi(2025, 2, 1), units["A"])
    assert set(data.drafts_in_year(2024)) == {late_log}
    assert set(data.drafts_in_year(2025)) == {early_round}


def test_first_published_fallback_and_aliases(index, units):
    """Without rounds or log rows, the year of first publication; aliases never count."""
    with freeze_time("2024-06-01T03:00:00Z"):
        plain = make_draft(index, "Chỉ xuất bản", drafting_unit=units["A"])
    with_round = make_draft(index, "Có đợt lấy ý kiến 2023", drafting_unit=units["A"])
    round_on(with_round, hanoi(2023, 3, 1), hanoi(2023, 4, 1), units["A"])
    alias = plain.create_alias(update_slug="ban-sao")
    assert alias.alias_of_id == plain.pk
    assert list(data.drafts_in_year(2024)) == [plain]
    assert list(data.drafts_in_year(2023)) == [with_round]


# --- 2. The periodic report to the Department of Justice ------------------------------------

PERIOD = {"date_from": "01/03/2024", "date_to": "31/10/2024"}

JUSTICE_LINES = [
    ["Reporting period", "From", "01/03/2024"],
    ["Reporting period", "To", "31/10/2024"],
    [
        "Reporting period",
        "Plan 2024",
        "35/KH-SKHCN, 20/03/2024 – Kế hoạch truyền thông chính sách 2024",
    ],
    ["Communication activities by channel", "Chuyên trang trên Cổng thông tin điện tử", 2],
    ["Communication activities by channel", "Bản tin khoa học và công nghệ", 0],
    ["Communication activities by channel", "Đài Phát thanh - Truyền hình tỉnh", 1],
    ["Communication activities by channel", "Báo Hưng Yên", 1],
    ["Communication activities by channel", "Hội nghị, hội thảo, tọa đàm hoặc diễn đàn", 1],
    [
        "Communication activities by channel",
        "Phỏng vấn hoặc đối thoại (trực tiếp hoặc trực tuyến)",
        0,
    ],
    ["Communication activities by channel", "Họp báo", 0],
    [
        "Communication activities by channel",
        "Truyền thanh cơ sở, bảng tin hoặc màn hình tại khu dân cư",
        0,
    ],
    ["Communication activities by channel", "Mạng xã hội", 1],
    ["Communication activities by channel", "Khác", 0],
    ["Communication activities by channel", "Total", 6],
    ["Draft policies", "Drafts handled", 4],
    ["Draft policies", "Policies with a major social impact", 3],
    ["Draft policies", "Of which communicated", 2],
    ["Draft policies", "Share communicated (%)", 66],
    ["Draft policies", "Target (%)", 100],
    ["Comments received by commenter type", "Individual", 3],
    ["Comments received by commenter type", "Organisation", 2],
    ["Comments received by commenter type", "Business", 2],
    ["Comments received by commenter type", "Agency", 1],
    ["Comments received by commenter type", "Total", 8],
    ["Comments received by commenter type", "Of which published", 6],
    ["Answers to the comments received", "Accepted or partly accepted", 3],
    ["Answers to the comments received", "Explained, kept as drafted", 1],
    ["Answers to the comments received", "Not accepted or not applicable", 2],
    ["Answers to the comments received", "Not yet answered", 2],
    ["Budget", "Budget spent (VND)", 7_500_000],
]


class TestJusticeOfTheWorld:
    """The report to the Department of Justice on ``world``, built once for these tests."""

    def test_justice_page(self, editor_client, world):
        response = editor_client.get(reverse(JUSTICE), PERIOD)
        assert response.status_code == 200
        soup = soup_of(response)
        shown = [
            [section.select_one("h2").get_text(strip=True), *cells(tr, "th, td")]
            for section in soup.select("section.pc-report-section")
            for tr in section.select("tr")
        ]
        expected = as_text(JUSTICE_LINES)
        expected[-1][-1] = "7,500,000"  # grouped on the page, a plain number in the files
        assert shown == expected

    def test_justice_exports(self, editor_client, world):
        response = editor_client.get(reverse(JUSTICE), {**PERIOD, "export": "csv"})
        assert (
            'filename="bao-cao-so-tu-phap-20240301-20241031.csv"' in response["Content-Disposition"]
        )
        assert csv_rows(response) == as_text([["Section", "Item", "Value"], *JUSTICE_LINES])
        response = editor_client.get(reverse(JUSTICE), {**PERIOD, "export": "xlsx"})
        assert xlsx_rows(response) == [["Section", "Item", "Value"], *JUSTICE_LINES]

    def test_justice_in_vietnamese(self, world):
        coordinator = make_staff(
            "thanhtra", ["wagtail_policycomms.view_communicationplan"], language="vi"
        )
        client = Client()
        client.force_login(coordinator)
        response = client.get(reverse(JUSTICE), {**PERIOD, "export": "csv"})
        assert response.status_code == 200
        rows = csv_rows(response)
        assert len(rows) == len(JUSTICE_LINES) + 1
        assert rows[-1][-1] == "7500000"

    def test_justice_defaults_to_the_year_so_far(self, editor_client, world):
        with freeze_time("2024-10-31T20:00:00Z"):  # 1 November 2024 in Hanoi
            response = editor_client.get(reverse(JUSTICE))
        soup = soup_of(response)
        assert soup.select_one("input[name=date_from]")["value"] == "01/01/2024"
        assert soup.select_one("input[name=date_to]")["value"] == "01/11/2024"
        period = soup.select_one("#pc-section-period").get_text(" ", strip=True)
        assert "01/01/2024" in period and "01/11/2024" in period

    def test_justice_refuses_an_end_before_the_start(self, editor_client, world):
        response = editor_client.get(
            reverse(JUSTICE), {"date_from": "31/10/2024", "date_to": "01/03/2024"}
        )
        assert response.status_code == 200
        soup = soup_of(response)
        assert soup.select_one("input[name=date_from]")["value"] == "31/10/2024"
        assert soup.select_one("input[name=date_to]")["value"] == "01/03/2024"
        field = soup.select_one("input[name=date_to]").find_parent(class_="pc-report-filter")
        assert "The end date is before the start date." in field.get_text(" ", strip=True)
        assert not soup.select("section.pc-report-section")
        response = editor_client.get(
            reverse(JUSTICE), {"date_from": "31/10/2024", "date_to": "01/03/2024", "export": "csv"}
        )
        assert response.status_code == 400

    def test_justice_refuses_a_date_it_cannot_read(self, editor_client, world):
        response = editor_client.get(reverse(JUSTICE), {"date_from": "32/13/2024", "date_to": ""})
        soup = soup_of(response)
        assert soup.select_one("input[name=date_from]")["value"] == "32/13/2024"
        field = soup.select_one("input[name=date_from]").find_parent(class_="pc-report-filter")
        assert field.select_one(".error-message").get_text(strip=True) == "Enter a valid date."
        assert not soup.select("section.pc-report-section")

    @pytest.mark.parametrize("export", [None, "csv", "xlsx"])
    def test_justice_refuses_dates_out_of_range(self, editor_client, world, export):
        """Year 1 or 9999 is a typo, not a period: said at the field, never a crash."""
        params = {"date_from": "01/01/0001", "date_to": "31/12/9999"}
        if export:
            params["export"] = export
        response = editor_client.get(reverse(JUSTICE), params)
        if export:
            assert response.status_code == 400
            return
        soup = soup_of(response)
        for name in ("date_from", "date_to"):
            field = soup.select_one(f"input[name={name}]").find_parent(class_="pc-report-filter")
            assert "Give a date between 01/01/2022 and 31/12/2100." in field.get_text(
                " ", strip=True
            )
        assert soup.select_one("input[name=date_to]")["value"] == "31/12/9999"
        assert not soup.select("section.pc-report-section")


# --- 3. Assignments by unit -----------------------------------------------------------------

# fmt: off
HEADINGS = [
    "Unit", "Led: not started", "Led: in progress", "Led: done", "Led: cancelled", "Led: overdue",
    "Led: total", "Coordinated: total",
]
NO_UNIT = "No unit linked (lead named in the plan's words)"
ALL_PLANS = [
    ["Phòng Quản lý Công nghệ và Đổi mới sáng tạo", 0, 0, 3, 0, 0, 3, 3],
    ["Thanh tra Sở", 0, 1, 0, 1, 1, 2, 2],
    ["Văn phòng Sở", 1, 0, 0, 0, 1, 1, 1],
    [NO_UNIT, 0, 1, 0, 0, 1, 1, 0],
]
# fmt: on


class TestAssignmentsOfTheWorld:
    """Assignments by unit in ``world``, built once for these tests."""

    @freeze_time("2025-01-10T03:00:00Z")
    def test_assignments_by_unit_page_and_exports(self, editor_client, world):
        response = editor_client.get(reverse(ASSIGNMENTS))
        assert response.status_code == 200
        rows = soup_of(response).select("table.pc-assignments-by-unit tbody tr")
        assert [cells(tr, "th, td") for tr in rows] == as_text(ALL_PLANS)
        assert xlsx_rows(editor_client.get(reverse(ASSIGNMENTS), {"export": "xlsx"})) == [
            HEADINGS,
            *ALL_PLANS,
        ]
        assert csv_rows(editor_client.get(reverse(ASSIGNMENTS), {"export": "csv"})) == as_text(
            [HEADINGS, *ALL_PLANS]
        )

    @freeze_time("2025-01-10T03:00:00Z")
    def test_assignments_by_unit_filtered(self, editor_client, world):
        plan24, plan23 = world["plans"]
        response = editor_client.get(reverse(ASSIGNMENTS), {"plan": plan23.pk, "export": "xlsx"})
        assert xlsx_rows(response) == [
            HEADINGS,
            ["Phòng Quản lý Công nghệ và Đổi mới sáng tạo", 0, 0, 1, 0, 0, 1, 0],
            ["Thanh tra Sở", 0, 0, 0, 0, 0, 0, 0],
            ["Văn phòng Sở", 0, 0, 0, 0, 0, 0, 0],
        ]
        response = editor_client.get(reverse(ASSIGNMENTS), {"year": "2024", "export": "xlsx"})
        assert xlsx_rows(response) == [
            HEADINGS,
            ["Phòng Quản lý Công nghệ và Đổi mới sáng tạo", 0, 0, 2, 0, 0, 2, 3],
            *ALL_PLANS[1:],
        ]


# --- Formula safety -------------------------------------------------------------------------


def test_exports_never_hold_formulas(editor_client, index, units):
    draft = make_draft(
        index, '=HYPERLINK("http://x")', drafting_unit=units["A"], major_social_impact=True
    )
    log_communication(draft, "portal", date=date(2024, 5, 1))
    response = editor_client.get(reverse(COMPLIANCE), {"year": "2024", "export": "xlsx"})
    assert xlsx_rows(response)[1][0] == '\'=HYPERLINK("http://x")'
    response = editor_client.get(reverse(COMPLIANCE), {"year": "2024", "export": "csv"})
    assert csv_rows(response)[1][0] == '\'=HYPERLINK("http://x")'


# --- Permissions ----------------------------------------------------------------------------


def menu_names(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return {item.name for item in reports_menu.menu_items_for_request(request)}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


NAMES = {
    COMPLIANCE: "policycomms-compliance",
    JUSTICE: "policycomms-justice",
    ASSIGNMENTS: "policycomms-assignments-by-unit",
}


def assert_access(user, allowed):
    client = client_for(user)
    for url_name, menu_name in NAMES.items():
        expected = 200 if url_name in allowed else 403
        assert client.get(reverse(url_name)).status_code == expected, url_name
        assert client.get(reverse(url_name), {"export": "csv"}).status_code == expected, url_name
        assert (menu_name in menu_names(user)) == (url_name in allowed), url_name


@pytest.mark.parametrize(
    ("perms", "allowed"),
    [
        (
            [
                "wagtail_policycomms.view_publiccomment",
                "wagtail_policycomms.answer_publiccomment",
                "wagtail_policycomms.view_assignment",
                "wagtail_policycomms.change_assignment",
            ],
            set(),
        ),
        (
            ["wagtail_policycomms.view_communicationplan", "wagtail_policycomms.view_assignment"],
            {COMPLIANCE, JUSTICE, ASSIGNMENTS},
        ),
        (["wagtail_policycomms.export_publiccomment"], {COMPLIANCE}),
    ],
    ids=["own-unit-assignments-only", "plan-reader", "comment-exporter"],
)
def test_who_sees_which_report(db, home, perms, allowed):
    assert_access(make_staff(None, perms), allowed)


def test_the_department_groups(index):
    """With the groups as policycomms_setup_groups creates them."""
    from django.contrib.auth.models import Group

    from wagtail_policycomms.permissions import COORDINATORS, DRAFTING_EDITORS, setup_groups

    setup_groups()
    editor, coordinator = make_staff("bientap"), make_staff("thanhtra")
    editor.groups.add(Group.objects.get(name=DRAFTING_EDITORS))
    coordinator.groups.add(Group.objects.get(name=COORDINATORS))
    assert_access(editor, set())
    assert_access(coordinator, {COMPLIANCE, JUSTICE, ASSIGNMENTS})


# --- Query counts ---------------------------------------------------------------------------


def busy_drafts(index, unit, count):
    for n in range(count):
        draft = make_draft(index, f"Dự thảo tải {n}", drafting_unit=unit, major_social_impact=True)
        consultation = round_on(draft, hanoi(2024, 4, 1), hanoi(2024, 5, 1), unit)
        log_communication(draft, "portal", date=date(2024, 4, 2))
        log_communication(draft, "bulletin", date=date(2024, 4, 3))
        approved = comments(consultation, 2, submitted_at=hanoi(2024, 4, 5))
        answer_comments(approved, disposition="accepted", unit=unit, published=True)
        make_assignment(make_plan(2024), lead_unit=unit, due_on=date(2024, 6, 1))


@pytest.mark.parametrize("url_name", [COMPLIANCE, JUSTICE, ASSIGNMENTS])
def test_queries_do_not_grow_with_drafts(
    editor_client, index, units, url_name, django_assert_max_num_queries
):
    params = {"year": "2024", "date_from": "01/01/2024", "date_to": "31/12/2024"}
    busy_drafts(index, units["A"], 3)
    editor_client.get(reverse(url_name), params)  # warm caches (content types, site)
    with django_assert_max_num_queries(15) as small:
        assert editor_client.get(reverse(url_name), params).status_code == 200
    busy_drafts(index, units["B"], 9)
    with django_assert_max_num_queries(15) as large:
        response = editor_client.get(reverse(url_name), params)
    assert len(large.captured_queries) == len(small.captured_queries)
    if url_name == COMPLIANCE:
        assert len(soup_of(response).select("table.pc-compliance-table tbody tr")) == 12
    if url_name == JUSTICE:
        assert "Drafts handled 12" in soup_of(response).get_text(" ", strip=True)
