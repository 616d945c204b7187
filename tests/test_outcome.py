"""The public outcome page of a closed round ("Kết quả lấy ý kiến") and its publication."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import PageLogEntry, Revision

from tests import factories
from wagtail_policycomms import moderation
from wagtail_policycomms.models import (
    Campaign,
    CommentStatus,
    ConsultationPage,
    DocumentKind,
    PublicComment,
)

SECRET_HEADING = "Điều khoản mật về quốc phòng"


def restricted_article(number, heading, block_id):
    block = factories.article(number, heading, block_id=block_id)
    block["value"]["classification"] = "mat"
    return block


@pytest.fixture
def unit(db):
    return factories.make_unit("Phòng Pháp chế", email="phapche@example.vn")


@pytest.fixture
def draft(index, unit):
    return factories.make_draft(
        index,
        "Dự thảo Nghị quyết về hỗ trợ doanh nghiệp",
        drafting_unit=unit,
        articles=[
            factories.article("Điều 1", "Phạm vi điều chỉnh", block_id="a1"),
            factories.article("Điều 2", "Đối tượng áp dụng", block_id="a2"),
            restricted_article("Điều 3", SECRET_HEADING, "a3"),
        ],
    )


@pytest.fixture
def closed(draft, unit):
    return factories.make_consultation(
        draft,
        factories.hanoi(2025, 9, 1),
        factories.hanoi(2025, 9, 6),
        receiving_unit=unit,
        title="Lấy ý kiến đợt 1",
        outcome_summary="<p>Đã sửa Điều 1 theo ý kiến của doanh nghiệp.</p>",
    )


@pytest.fixture
def known(closed, unit):
    """Known counts: 6 received (4 published: 3 individuals, 1 business; 1 pending, 1
    rejected), 1 spam and 1 unverified (not received); 2 answers published (1 accepted,
    1 explained), 1 answer not published."""
    day1, day2 = factories.hanoi(2025, 9, 1, 9), factories.hanoi(2025, 9, 3, 23, 30)
    make = factories.make_comment
    published = [
        make(closed, article_id="a1", commenter_type="individual", submitted_at=day1),
        make(closed, article_id="a1", commenter_type="individual", submitted_at=day1),
        make(closed, article_id="", commenter_type="individual", submitted_at=day2),
        make(closed, article_id="a3", commenter_type="business", submitted_at=day2),
    ]
    make(closed, article_id="a2", status=CommentStatus.PENDING, submitted_at=day2)
    make(closed, article_id="a2", status=CommentStatus.REJECTED, submitted_at=day2)
    make(closed, status=CommentStatus.SPAM, submitted_at=day2)
    make(closed, status=CommentStatus.UNVERIFIED, submitted_at=day2)
    by_pk = PublicComment.objects.filter
    factories.answer_comments(
        by_pk(pk=published[0].pk), disposition="accepted", unit=unit, published=True
    )
    factories.answer_comments(
        by_pk(pk=published[1].pk), disposition="explained", unit=unit, published=True
    )
    factories.answer_comments(by_pk(pk=published[2].pk), disposition="accepted", unit=unit)
    return published


@pytest.fixture
def moderator(db):
    return factories.make_moderator()


def outcome_url(page):
    return f"{page.url}outcome/"


def cells(soup, section_class):
    """{row heading: [cell texts]} of the first table in the section."""
    table = soup.select_one(f".{section_class} table")
    return {
        row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
        for row in table.tbody.find_all("tr")
    }


def test_404_until_published(client, closed, moderator):
    assert client.get(outcome_url(closed)).status_code == 404
    assert "outcome/" not in client.get(closed.url).content.decode()
    moderation.publish_outcome(closed, moderator)
    assert client.get(outcome_url(closed)).status_code == 200
    page = client.get(closed.url).content.decode()
    assert f'href="{outcome_url(closed)}"' in page
    moderation.withdraw_outcome(closed, moderator)
    assert client.get(outcome_url(closed)).status_code == 404


def test_publishing_refused_for_an_open_round(draft, moderator):
    opened = factories.make_round_with_status(draft, "open")
    with pytest.raises(moderation.OutcomeRefused):
        moderation.publish_outcome(opened, moderator)
    opened.refresh_from_db()
    assert opened.outcome_published_at is None
    assert not PageLogEntry.objects.filter(action="wagtail_policycomms.outcome_publish").exists()


def test_admin_refuses_an_open_round_with_a_message(draft, moderator):
    opened = factories.make_round_with_status(draft, "open")
    client = Client()
    client.force_login(moderator)
    response = client.post(
        reverse("wagtail_policycomms_admin:outcome_publish", args=[opened.pk]), follow=True
    )
    assert "can be published only once it has closed" in response.content.decode()
    opened.refresh_from_db()
    assert opened.outcome_published_at is None


def test_publish_and_withdraw_through_the_admin_are_audited(closed, moderator):
    client = Client()
    client.force_login(moderator)
    screen = client.get(reverse("wagtail_policycomms_admin:outcome", args=[closed.pk]))
    assert screen.status_code == 200
    assert "Publish the outcome page" in screen.content.decode()
    client.post(reverse("wagtail_policycomms_admin:outcome_publish", args=[closed.pk]))
    closed.refresh_from_db()
    assert closed.outcome_published_at is not None
    assert closed.outcome_published_by == moderator
    entry = PageLogEntry.objects.get(action="wagtail_policycomms.outcome_publish")
    assert (entry.page_id, entry.user_id) == (closed.pk, moderator.pk)
    with translation.override("en"):
        assert entry.message == "Outcome page published"
    assert entry.message == "Đã công bố trang kết quả"  # the default language of the tests
    # Publishing again changes nothing and logs nothing.
    client.post(reverse("wagtail_policycomms_admin:outcome_publish", args=[closed.pk]))
    assert PageLogEntry.objects.filter(action="wagtail_policycomms.outcome_publish").count() == 1

    client.post(reverse("wagtail_policycomms_admin:outcome_withdraw", args=[closed.pk]))
    closed.refresh_from_db()
    assert closed.outcome_published_at is None
    assert PageLogEntry.objects.filter(
        action="wagtail_policycomms.outcome_withdraw", user=moderator, page=closed
    ).exists()


def test_only_moderators(closed):
    client = Client()
    client.force_login(factories.make_moderator(moderate=False))
    url = reverse("wagtail_policycomms_admin:outcome_publish", args=[closed.pk])
    assert client.post(url).status_code == 403
    closed.refresh_from_db()
    assert closed.outcome_published_at is None


def test_an_editor_publishing_a_later_revision_keeps_the_outcome_up(closed, moderator):
    revision = ConsultationPage.objects.get(pk=closed.pk).save_revision()  # saved before
    moderation.publish_outcome(closed, moderator)
    Revision.objects.get(pk=revision.pk).publish()  # later, in the editor's request
    closed.refresh_from_db()
    assert closed.outcome_published_at is not None


def test_figures_against_the_fixture(client, closed, known, draft, moderator):
    factories.attach_document(
        draft, factories.make_document("Báo cáo tổng hợp", "bc.docx"), DocumentKind.SYNTHESIS_REPORT
    )
    moderation.publish_outcome(closed, moderator)
    response = client.get(outcome_url(closed))
    soup = factories.soup_of(response)
    assert soup.select_one(".pc-outcome-received").get_text(strip=True) == "6"
    assert soup.select_one(".pc-outcome-published").get_text(strip=True) == "4"
    # Two of the four published comments have a published answer.
    assert soup.select_one(".pc-outcome-answered").get_text(strip=True) == "2 (50%)"

    by_type = cells(soup, "pc-outcome-by-type")
    assert list(by_type.values()) == [["5", "3"], ["0", "0"], ["1", "1"], ["0", "0"]]

    by_article = cells(soup, "pc-outcome-by-article")
    assert list(by_article.values()) == [["1", "1"], ["2", "2"], ["2", "0"]]
    assert by_article["Điều 1. Phạm vi điều chỉnh"] == ["2", "2"]

    answers = list(cells(soup, "pc-outcome-answers").values())
    assert answers == [["1"], ["0"], ["1"], ["0"]]

    text = response.content.decode()
    assert "Đã sửa Điều 1 theo ý kiến của doanh nghiệp." in text
    assert soup.select_one(".pc-synthesis-link")["href"].endswith(".docx")
    assert soup.select_one(".pc-changes-link")["href"] == f"{draft.url}changes/"


def test_restricted_article_never_appears(client, closed, known, moderator):
    moderation.publish_outcome(closed, moderator)
    text = client.get(outcome_url(closed)).content.decode()
    assert SECRET_HEADING not in text
    assert "Điều 3" not in text


def test_campaigns_largest_first_with_a_published_excerpt(client, closed, known, moderator):
    pending = factories.make_comment(closed, status=CommentStatus.PENDING, body="Chưa duyệt.")
    Campaign.objects.create(consultation=closed, representative=known[0], size=5)
    Campaign.objects.create(consultation=closed, representative=pending, size=9)
    Campaign.objects.create(consultation=closed, representative=known[1], size=1)
    moderation.publish_outcome(closed, moderator)
    soup = factories.soup_of(client.get(outcome_url(closed)))
    items = soup.select(".pc-campaigns li")
    assert [li.strong.get_text().split()[0] for li in items] == ["9", "5"]
    assert "Chưa duyệt." not in str(soup)  # an unpublished text is never shown
    assert known[0].body in items[1].get_text()


def test_queries_fixed(client, closed, moderator, django_assert_max_num_queries):
    """The same queries with 10 comments as with 100 (grouped aggregates, no query per row)."""
    moderation.publish_outcome(closed, moderator)
    submitted = closed.opens_at + timedelta(hours=30)
    found = []
    for count in (10, 90):
        comments = factories.build_comments(closed, count, submitted_at=submitted)
        for n, comment in enumerate(comments):
            comment.article_id = ("", "a1", "a2", "a3", "gone")[n % 5]
            comment.commenter_type = ("individual", "business")[n % 2]
        PublicComment.objects.bulk_create(comments)
        client.get(outcome_url(closed))  # the site's and settings' caches
        with django_assert_max_num_queries(25) as queries:
            response = client.get(outcome_url(closed))
        assert response.status_code == 200
        found.append(len(queries))
    assert found[0] == found[1]
    soup = factories.soup_of(response)
    assert soup.select_one(".pc-outcome-received").get_text(strip=True) == "100"


def test_the_demo_closed_round_has_its_outcome_page(db, client):
    from io import StringIO

    from django.core.management import call_command

    from wagtail_policycomms.models import ConsultationStatus

    call_command("policycomms_demo", stdout=StringIO(), stderr=StringIO())
    closed = [c for c in ConsultationPage.objects.live() if c.status == ConsultationStatus.CLOSED]
    assert closed
    for consultation in closed:
        assert consultation.outcome_published_at is not None
        response = client.get(outcome_url(consultation))
        assert response.status_code == 200, consultation.url_path
        soup = factories.soup_of(response)
        assert len(soup.select("figure.pc-chart svg[role=img]")) == 3
        assert (
            f'href="{outcome_url(consultation)}"' in client.get(consultation.url).content.decode()
        )


def test_the_editor_has_an_outcome_button_for_moderators(closed, draft, editor_client):
    edit = editor_client.get(reverse("wagtailadmin_pages:edit", args=[closed.pk]))
    assert reverse("wagtail_policycomms_admin:outcome", args=[closed.pk]) in edit.content.decode()
    # Not on a draft policy page.
    other = editor_client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk]))
    assert "/policycomms/outcome/" not in other.content.decode()
