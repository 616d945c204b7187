"""Charts drawn on the server (formats.charts): accessible SVG, the same figures as a table,
days on the department's calendar, labels escaped; and where they are shown."""

from datetime import date, datetime
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests import factories
from wagtail_policycomms.formats.charts import bar_chart, counts_per_day, daily_chart
from wagtail_policycomms.models import CommentStatus, PublicComment

SVG = "{http://www.w3.org/2000/svg}"
UTC = ZoneInfo("UTC")
HOSTILE = '<script>alert("x")</script> & "Điều" <a href="https://evil.example">'


@pytest.fixture(autouse=True)
def vietnamese():
    """The figures are read as Vietnamese writes them ("1.234"), whatever language an
    earlier test in the same process left active."""
    with translation.override("vi"):
        yield


def parse(chart):
    return ElementTree.fromstring(str(chart.svg()))  # noqa: S314 (our own markup)


def bar_figures(svg):
    """{label: value} read from each bar's own title ("label: value")."""
    figures = {}
    for rect in svg.iter(f"{SVG}rect"):
        label, _sep, value = rect.find(f"{SVG}title").text.rpartition(": ")
        figures[label] = int(value.replace(".", ""))
    return figures


def table_figures(html):
    soup = BeautifulSoup(html, "html.parser")
    return {
        row.th.get_text(strip=True): int(row.td.get_text(strip=True).replace(".", ""))
        for row in soup.select(".pc-chart-table tbody tr")
    }


@pytest.mark.parametrize("kind", ["bar", "column"])
def test_svg_is_an_accessible_image(kind):
    rows = [(date(2026, 9, d), n) for d, n in ((1, 3), (2, 0), (3, 12))]
    chart = (
        daily_chart("c1", "Ý kiến mỗi ngày", rows)
        if kind == "column"
        else bar_chart("c1", "Theo loại", [("Cá nhân", 3), ("Doanh nghiệp", 12)], label_heading="x")
    )
    svg = parse(chart)
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find(f"{SVG}title").get("id") == "c1-title"
    assert svg.find(f"{SVG}title").text == chart.title
    desc = svg.find(f"{SVG}desc")
    assert desc.get("id") == "c1-desc"
    assert "15" in desc.text and "12" in desc.text  # the total and the highest
    # Nothing from elsewhere, nothing that runs; every bar outlined for paper.
    text = str(chart.svg())
    for forbidden in ("<script", "href", "http://www.w3.org/1999", "url(", "<image", "style="):
        assert forbidden not in text
    assert all(rect.get("stroke") == "#000000" for rect in svg.iter(f"{SVG}rect"))


def test_bar_figures_in_the_svg_and_the_table_equal_the_data():
    rows = [("Cá nhân", 7), ("Tổ chức", 0), ("Doanh nghiệp", 1234), ("Cơ quan", 2)]
    chart = bar_chart("types", "Theo loại người góp ý", rows, label_heading="Loại")
    assert bar_figures(parse(chart)) == dict(rows)
    html = render_to_string("wagtail_policycomms/includes/chart.html", {"chart": chart})
    assert table_figures(html) == dict(rows)


def test_hostile_labels_are_escaped():
    chart = bar_chart("h", HOSTILE, [(HOSTILE, 2)], label_heading=HOSTILE)
    svg = parse(chart)  # still well-formed XML
    assert svg.find(f"{SVG}title").text == HOSTILE
    assert bar_figures(svg) == {HOSTILE: 2}
    assert [
        element.tag for element in svg.iter() if "script" in element.tag or element.tag == "a"
    ] == []
    html = render_to_string("wagtail_policycomms/includes/chart.html", {"chart": chart})
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_days_on_the_local_calendar_at_the_boundary(db, index, settings):
    """Asia/Ho_Chi_Minh is UTC+7: 16:59 UTC is 23:59 local, 17:00 UTC the next local day."""
    settings.TIME_ZONE = "UTC"  # the server's clock is not the department's
    draft = factories.make_draft(index)
    round_ = factories.make_consultation(
        draft, factories.hanoi(2025, 9, 1), factories.hanoi(2025, 9, 4)
    )
    at = [
        datetime(2025, 8, 31, 17, 0, tzinfo=UTC),  # 1 Sept 00:00 local
        datetime(2025, 9, 1, 16, 59, tzinfo=UTC),  # 1 Sept 23:59 local
        datetime(2025, 9, 1, 17, 0, tzinfo=UTC),  # 2 Sept 00:00 local
        datetime(2025, 9, 3, 16, 59, 59, tzinfo=UTC),  # 3 Sept 23:59:59 local
        datetime(2025, 9, 3, 17, 0, tzinfo=UTC),  # 4 Sept: after the last day asked
        datetime(2025, 8, 31, 16, 59, tzinfo=UTC),  # 31 Aug: before the first
    ]
    for moment in at:
        factories.make_comment(round_, submitted_at=moment)
    comments = PublicComment.objects.filter(consultation=round_)
    days = counts_per_day(comments, "submitted_at", date(2025, 9, 1), date(2025, 9, 3))
    assert days == [(date(2025, 9, 1), 2), (date(2025, 9, 2), 1), (date(2025, 9, 3), 1)]

    chart = daily_chart("d", "Mỗi ngày", days)
    assert bar_figures(parse(chart)) == {"01/09/2025": 2, "02/09/2025": 1, "03/09/2025": 1}
    assert [text.text for text in parse(chart).iter(f"{SVG}text")][-3:] == [
        "01/09",
        "02/09",
        "03/09",
    ]
    html = render_to_string("wagtail_policycomms/includes/chart.html", {"chart": chart})
    assert table_figures(html) == {"01/09/2025": 2, "02/09/2025": 1, "03/09/2025": 1}


def test_one_query_per_day_chart(db, index, django_assert_num_queries):
    draft = factories.make_draft(index)
    round_ = factories.make_consultation(
        draft, factories.hanoi(2025, 9, 1), factories.hanoi(2025, 9, 30)
    )
    PublicComment.objects.bulk_create(
        factories.build_comments(round_, 50, submitted_at=factories.hanoi(2025, 9, 10, 8))
    )
    with django_assert_num_queries(1):
        days = counts_per_day(
            PublicComment.objects.all(), "submitted_at", date(2025, 9, 1), date(2025, 9, 30)
        )
    assert len(days) == 30
    assert dict(days)[date(2025, 9, 10)] == 50


def test_dashboard_chart_counts_received_comments(db, index):
    draft = factories.make_draft(index)
    round_ = factories.make_round_with_status(draft, "open")
    factories.make_comment(round_, commenter_type="business")
    factories.make_comment(round_, commenter_type="individual", status=CommentStatus.PENDING)
    factories.make_comment(round_, status=CommentStatus.SPAM)  # not received
    client = Client()
    client.force_login(factories.make_moderator())
    soup = factories.soup_of(client.get(reverse("wagtailadmin_home")))
    figure = soup.select_one("figure#pc-dashboard-types")
    assert figure is not None
    rows = {
        row.th.get_text(strip=True): row.td.get_text(strip=True)
        for row in figure.select(".pc-chart-table tbody tr")
    }
    assert list(rows.values()) == ["1", "0", "1", "0"]
    days = soup.select_one("figure#pc-dashboard-days")
    cells = [row.td.get_text(strip=True) for row in days.select(".pc-chart-table tbody tr")]
    assert len(cells) == 30
    assert cells[-1] == "2"  # today's two received comments


def test_compliance_report_chart(db, index):
    from wagtail_policycomms.reports import data

    year = data.current_year()
    draft = factories.make_draft(index, major_social_impact=True)
    round_ = factories.make_round_with_status(draft, "open")
    factories.make_comment(round_)
    factories.make_comment(round_, status=CommentStatus.PENDING)
    client = Client()
    client.force_login(factories.make_superuser())
    response = client.get(reverse("wagtail_policycomms_admin:report_compliance") + f"?year={year}")
    figure = factories.soup_of(response).select_one("figure#pc-compliance-comments")
    values = [row.td.get_text(strip=True) for row in figure.select(".pc-chart-table tbody tr")]
    assert values == ["2", "1", "0", "0"]
