"""The plan's dashboard panels: the user's units' assignments and this year's compliance."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from tests.factories import (
    hanoi,
    log_communication,
    make_assignment,
    make_consultation,
    make_draft,
    make_plan,
    make_staff,
    make_unit,
    soup_of,
)
from wagtail_policycomms.views.dashboard import assignment_edit_url

#: 10:00 on 10 January 2025 in Hanoi.
NOW = "2025-01-10T03:00:00Z"
UNITS_PANEL = "#policycomms-unit-assignments-section"
COMPLIANCE_PANEL = "#policycomms-compliance-section"


def words(node):
    return " ".join(node.get_text().split())


def dashboard(user):
    client = Client()
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return soup_of(response)


@pytest.fixture
def units(db):
    return {
        "A": make_unit("Phòng Quản lý Công nghệ và Đổi mới sáng tạo"),
        "B": make_unit("Thanh tra Sở"),
        "C": make_unit("Văn phòng Sở"),
    }


@pytest.fixture
def member(units):
    """A drafting editor of unit A: their own unit's assignments, not the plan's reports."""
    user = make_staff(
        "bientap",
        ["wagtail_policycomms.view_publiccomment", "wagtail_policycomms.view_assignment"],
    )
    units["A"].members.add(user)
    return user


@pytest.fixture
def assignments(index, units):
    A, B, C = units["A"], units["B"], units["C"]
    plan = make_plan(2025)
    draft = make_draft(index, "Dự thảo của phòng A", drafting_unit=A)
    return {
        "overdue": make_assignment(
            plan, title="Quá hạn", lead_unit=A, status="in_progress", due_on=date(2025, 1, 7)
        ),
        "today": make_assignment(
            plan, title="Hạn hôm nay", lead_unit=B, coordinating_units=[A], due_on=date(2025, 1, 10)
        ),
        "soon": make_assignment(
            plan, title="Sắp đến hạn", draft_policy=draft, due_on=date(2025, 1, 24)
        ),
        # Not listed: too late, done, another unit's, no due date.
        "later": make_assignment(plan, title="Còn xa", lead_unit=A, due_on=date(2025, 1, 25)),
        "done": make_assignment(
            plan, title="Đã xong", lead_unit=A, status="done", due_on=date(2025, 1, 5)
        ),
        "other": make_assignment(plan, title="Của phòng C", lead_unit=C, due_on=date(2025, 1, 8)),
        "undated": make_assignment(plan, title="Không hạn", lead_unit=A),
    }


@freeze_time(NOW)
def test_member_sees_their_units_overdue_and_due_soon(member, units, assignments):
    panel = dashboard(member).select_one(UNITS_PANEL)
    assert "1 assignment is overdue. 2 are due within 14 days." in words(panel)
    rows = panel.select("table.pc-dashboard-assignments tbody tr")
    assert [[words(td) for td in tr.select("td")] for tr in rows] == [
        [
            "Quá hạn",
            "Lead (Phòng Quản lý Công nghệ và Đổi mới sáng tạo)",
            "07/01/2025",
            "Overdue 3 days",
        ],
        ["Hạn hôm nay", "Coordinating (Thanh tra Sở)", "10/01/2025", "Due today"],
        [
            "Sắp đến hạn Dự thảo của phòng A",  # the draft tells same-named items apart
            "Lead (Phòng Quản lý Công nghệ và Đổi mới sáng tạo)",
            "24/01/2025",
            "Due in 14 days",
        ],
    ]
    assert rows[0].select_one(".pc-due-text strong")  # overdue stands out, in words too
    for tr, key in zip(rows, ["overdue", "today", "soon"], strict=True):
        url = assignment_edit_url(assignments[key].pk)
        link = tr.select_one(".pc-title a")
        if url is None:  # the assignment admin is not registered
            assert link is None
        else:
            assert link["href"] == url and str(assignments[key].pk) in url


@freeze_time(NOW)
def test_no_units_no_panel_and_no_compliance_without_permission(db, member, assignments):
    outsider = make_staff("khach", ["wagtail_policycomms.view_publiccomment"])
    soup = dashboard(outsider)
    assert soup.select_one(UNITS_PANEL) is None
    assert soup.select_one(COMPLIANCE_PANEL) is None
    assert dashboard(member).select_one(COMPLIANCE_PANEL) is None


@freeze_time(NOW)
def test_nothing_due(member):
    panel = dashboard(member).select_one(UNITS_PANEL)
    assert "0 assignments are overdue. 0 are due within 14 days." in words(panel)
    assert "Nothing overdue or due soon." in words(panel)


@freeze_time(NOW)
def test_rows_are_limited_and_queries_fixed(member, units, django_assert_max_num_queries):
    plan = make_plan(2025)
    for n in range(2):
        make_assignment(plan, title=f"Việc {n}", lead_unit=units["A"], due_on=date(2025, 1, 2))
    dashboard(member)  # warm caches
    client = Client()
    client.force_login(member)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("wagtailadmin_home"))
    for n in range(2, 14):
        make_assignment(
            plan,
            title=f"Việc {n}",
            lead_unit=units["A"],
            due_on=date(2025, 1, 2),
            coordinating_units=[units["B"], units["C"]],
        )
    with django_assert_max_num_queries(40) as many:
        response = client.get(reverse("wagtailadmin_home"))
    assert len(many.captured_queries) == len(few.captured_queries)
    panel = soup_of(response).select_one(UNITS_PANEL)
    assert len(panel.select("table.pc-dashboard-assignments tbody tr")) == 10
    assert "14 assignments are overdue." in words(panel)
    assert "More assignments are due; only the earliest are listed." in words(panel)


@freeze_time("2024-12-31T18:00:00Z")  # already 1 January 2025 in Hanoi
def test_compliance_panel_for_coordinators(index, units):
    coordinator = make_staff("thanhtra", ["wagtail_policycomms.view_communicationplan"])
    done = make_draft(index, "Đã truyền thông", drafting_unit=units["A"], major_social_impact=True)
    make_consultation(done, hanoi(2025, 1, 1, 0, 30), hanoi(2025, 2, 1), receiving_unit=units["A"])
    log_communication(done, "portal", date=date(2025, 1, 1))
    waiting = make_draft(
        index, "Chưa truyền thông", drafting_unit=units["B"], major_social_impact=True
    )
    log_communication(waiting, "portal", date=date(2025, 1, 1))
    last_year = make_draft(index, "Năm trước", drafting_unit=units["B"], major_social_impact=True)
    log_communication(last_year, "portal", date=date(2024, 12, 31))

    soup = dashboard(coordinator)
    panel = soup.select_one(COMPLIANCE_PANEL)
    assert "1 of 2 policies communicated: 50% against a target of 100%. Below target." in words(
        panel
    )
    link = panel.select_one("a.pc-compliance-report-link")
    assert link["href"] == reverse("wagtail_policycomms_admin:report_compliance") + "?year=2025"
    assert soup.select_one(UNITS_PANEL) is None  # a coordinator in no unit


@freeze_time(NOW)
def test_moderators_see_the_compliance_panel(db):
    moderator = make_staff("kiemduyet", ["wagtail_policycomms.export_publiccomment"])
    panel = dashboard(moderator).select_one(COMPLIANCE_PANEL)
    assert "No policy with a major social impact belongs to 2025." in words(panel)
