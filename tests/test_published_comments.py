"""Published comments on the consultation page, the draft's comment links, the index counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from tests import factories
from tests.factories import soup_of
from wagtail_policycomms.models import PublicComment


def get(client, url, language="en"):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response


def bodies(response):
    return [node.get_text() for node in soup_of(response).select(".pc-comment .pc-comment-body")]


def at(days_ago):
    return timezone.now() - timedelta(days=days_ago)


# --- What each comment shows ----------------------------------------------------------


def test_comments_show_newest_first_with_author_type_date_and_article(client, consultation):
    moment = factories.hanoi(2026, 3, 9, 23, 30)  # 16:30 UTC: the date is Hanoi's
    factories.make_comment(
        consultation,
        body="Cũ nhất",
        display_name="Lê Văn Cũ",
        publish_name=True,
        submitted_at=moment - timedelta(days=2),
    )
    factories.make_comment(
        consultation,
        body="Ở giữa",
        display_name="Ẩn Danh Thật",
        publish_name=False,
        article_id="a2",
        article_heading="Điều 2. Đối tượng áp dụng",
        submitted_at=moment,
    )
    factories.make_comment(
        consultation,
        body="Mới nhất\nhai dòng",
        commenter_type="business",
        organisation_name="Công ty Cổ phần Phố Hiến",
        display_name="Người đại diện",
        publish_name=False,
        submitted_at=moment + timedelta(days=1),
    )
    response = get(client, consultation.url)
    assert bodies(response) == ["Mới nhấthai dòng", "Ở giữa", "Cũ nhất"]
    newest, middle, oldest = soup_of(response).select(".pc-comment")
    assert '<div class="pc-comment-body">Mới nhất<br>hai dòng</div>' in response.content.decode()

    assert newest.select_one("strong").get_text() == "Công ty Cổ phần Phố Hiến"
    assert "(Business)" in newest.get_text()
    assert middle.select_one("strong").get_text() == "Anonymous"
    assert "Ẩn Danh Thật" not in response.content.decode()
    assert oldest.select_one("strong").get_text() == "Lê Văn Cũ"
    assert "(Individual)" in oldest.get_text()

    assert middle.select_one("time").get_text() == "09/03/2026"
    assert middle.select_one("time")["datetime"].startswith("2026-03-09T23:30:00+07:00")
    link = middle.select_one("header a")
    assert link.get_text() == "Điều 2. Đối tượng áp dụng"
    assert link["href"].endswith("#article-a2")
    assert oldest.select_one("header a") is None


def test_anonymous_is_in_the_readers_language(client, consultation):
    factories.make_comment(consultation, publish_name=False)
    author = soup_of(get(client, consultation.url, "vi")).select_one(".pc-comment strong")
    with translation.override("vi"):
        assert author.get_text() == gettext("Anonymous")  # "Ẩn danh" once translated
    author = soup_of(get(client, consultation.url, "en")).select_one(".pc-comment strong")
    assert author.get_text() == "Anonymous"


@pytest.mark.parametrize("status", ["pending", "rejected", "spam", "unverified"])
def test_only_approved_comments_are_shown(client, consultation, status):
    factories.make_comment(consultation, body="Đã duyệt, công khai.")
    factories.make_comment(consultation, body=f"Không công khai ({status}).", status=status)
    response = get(client, consultation.url)
    assert bodies(response) == ["Đã duyệt, công khai."]
    assert f"({status})" not in response.content.decode()


def test_comments_of_other_rounds_are_not_shown(client, draft, consultation):
    other = factories.make_round_with_status(draft, "closed")
    factories.make_comment(other, body="Ý kiến đợt trước.")
    factories.make_comment(consultation, body="Ý kiến đợt này.")
    assert bodies(get(client, consultation.url)) == ["Ý kiến đợt này."]
    assert get(client, consultation.url).context["comment_counts"] == {
        "received": 1,
        "published": 1,
    }


def test_counts_of_received_and_published(client, consultation):
    for status, count in {
        "approved": 3,
        "pending": 2,
        "rejected": 1,
        "spam": 4,
        "unverified": 5,
    }.items():
        for __ in range(count):
            factories.make_comment(consultation, status=status)
    response = get(client, consultation.url)
    # Received: everything that reached the department, not spam nor unverified.
    assert response.context["comment_counts"] == {"received": 6, "published": 3}
    text = " ".join(soup_of(response).select_one(".pc-comments .pc-count").get_text().split())
    assert text == "Comments received: 6. Published: 3."


def test_no_comment_yet(client, consultation):
    response = get(client, consultation.url)
    assert "No comment has been published yet." in response.content.decode()
    assert response.context["comment_counts"] == {"received": 0, "published": 0}


# --- Filtering and pages --------------------------------------------------------------


@pytest.fixture
def many(consultation):
    """Five comments on article 1, two on article 2, one on the whole draft; newest first."""
    specs = [("a1", n) for n in range(5)] + [("a2", 5), ("a2", 6), ("", 7)]
    for article, n in specs:
        factories.make_comment(
            consultation,
            body=f"Ý kiến {n} ({article or 'toàn văn'})",
            article_id=article,
            article_heading={
                "a1": "Điều 1. Phạm vi điều chỉnh",
                "a2": "Điều 2. Đối tượng áp dụng",
            }.get(article, ""),
            submitted_at=at(days_ago=10 - n),
        )


def test_filter_by_article(client, consultation, many):
    response = get(client, f"{consultation.url}?article=a2")
    assert bodies(response) == ["Ý kiến 6 (a2)", "Ý kiến 5 (a2)"]
    assert soup_of(response).select_one("#comment-article-filter option[selected]")["value"] == "a2"
    # Counts are of the whole round, whatever the filter.
    assert response.context["comment_counts"] == {"received": 8, "published": 8}


def test_unknown_article_filter_shows_everything(client, consultation, many):
    response = get(client, f"{consultation.url}?article=%3Cscript%3E")
    assert len(bodies(response)) == 8
    assert response.context["comment_article_filter"] == ""
    assert "<script>" not in response.content.decode()


@override_settings(POLICYCOMMS_COMMENTS_PAGE_SIZE=2)
def test_pages_keep_the_article_filter(client, consultation, many):
    first = get(client, f"{consultation.url}?article=a1")
    assert bodies(first) == ["Ý kiến 4 (a1)", "Ý kiến 3 (a1)"]
    next_link = soup_of(first).select_one(".pc-pagination a[rel=next]")["href"]
    assert next_link == "?article=a1&cpage=2#comments"

    second = get(client, consultation.url + next_link.split("#")[0])
    assert bodies(second) == ["Ý kiến 2 (a1)", "Ý kiến 1 (a1)"]
    pagination = soup_of(second).select_one(".pc-pagination")
    assert pagination.select_one("a[rel=prev]")["href"] == "?article=a1&cpage=1#comments"
    assert "Page 2 of 3" in pagination.get_text()

    last = get(client, f"{consultation.url}?article=a1&cpage=3")
    assert bodies(last) == ["Ý kiến 0 (a1)"]
    assert soup_of(last).select_one(".pc-pagination a[rel=next]") is None


@override_settings(POLICYCOMMS_COMMENTS_PAGE_SIZE=3)
def test_pages_without_a_filter(client, consultation, many):
    first = get(client, consultation.url)
    assert bodies(first) == ["Ý kiến 7 (toàn văn)", "Ý kiến 6 (a2)", "Ý kiến 5 (a2)"]
    assert soup_of(first).select_one(".pc-pagination a[rel=next]")["href"] == "?cpage=2#comments"
    # A page number out of range or not a number gives a page, not an error.
    assert bodies(get(client, f"{consultation.url}?cpage=99")) == ["Ý kiến 1 (a1)", "Ý kiến 0 (a1)"]
    assert len(bodies(get(client, f"{consultation.url}?cpage=abc"))) == 3


def test_query_count_does_not_grow_with_comments(client, consultation):
    PublicComment.objects.bulk_create(
        factories.build_comments(
            consultation, 5, article_id="a1", article_heading="Điều 1. Phạm vi điều chỉnh"
        )
    )
    get(client, consultation.url)  # warm caches (site root paths, settings)
    with CaptureQueriesContext(connection) as few:
        assert len(bodies(get(client, consultation.url))) == 5

    PublicComment.objects.bulk_create(
        factories.build_comments(
            consultation, 495, article_id="a1", article_heading="Điều 1. Phạm vi điều chỉnh"
        )
    )
    get(client, consultation.url)
    with CaptureQueriesContext(connection) as many:
        response = get(client, consultation.url)
    assert len(bodies(response)) == 20
    assert response.context["comment_counts"] == {"received": 500, "published": 500}
    assert len(many) == len(few), [query["sql"] for query in many]


# --- "Comment on this article" --------------------------------------------------------


def test_draft_links_each_article_to_the_open_round_form(client, draft, consultation):
    soup = soup_of(get(client, draft.url))
    links = [a["href"] for a in soup.select(".pc-article .pc-comment-link a")]
    assert links == [
        f"{consultation.url}?comment_on=a1#comment-form",
        f"{consultation.url}?comment_on=a2#comment-form",
    ]
    form = soup_of(get(client, links[1].split("#")[0])).select_one("#comment-form form")
    assert form.select_one("select[name=article] option[selected]")["value"] == "a2"


def test_unknown_comment_on_falls_back_to_the_whole_draft(client, consultation):
    form = soup_of(get(client, f"{consultation.url}?comment_on=zzz")).select_one("#comment-form")
    selected = [o["value"] for o in form.select("select[name=article] option[selected]")]
    assert selected in ([], [""])  # the browser then shows the first option, the whole draft
    assert "errorlist" not in str(form)


@pytest.mark.parametrize("status", ["upcoming", "closed"])
def test_no_comment_link_without_an_open_round(client, draft, status):
    factories.make_round_with_status(draft, status)
    soup = soup_of(get(client, draft.url))
    assert len(soup.select(".pc-article")) == 2
    assert soup.select(".pc-comment-link") == []
    assert "comment_on" not in str(soup)


def test_no_comment_link_without_any_round(client, draft):
    assert "comment_on" not in get(client, draft.url).content.decode()


# --- The index ------------------------------------------------------------------------


def published_count_of(card):
    for row in card.select(".pc-meta > div"):
        if row.select_one("dt").get_text() == "Published comments":
            return row.select_one("dd").get_text()
    raise AssertionError("no published-comments count on the card")


def test_index_shows_published_comments_per_draft(client, index, draft, consultation):
    earlier = factories.make_round_with_status(draft, "closed")
    quiet = factories.make_draft(index, "Dự thảo chưa có ý kiến")
    factories.make_round_with_status(quiet, "open")
    for __ in range(3):
        factories.make_comment(consultation)
    factories.make_comment(earlier)
    for status in ("pending", "rejected", "spam", "unverified"):
        factories.make_comment(consultation, status=status)

    cards = {
        card.select_one("h2").get_text(): card
        for card in soup_of(get(client, index.url)).select(".pc-card")
    }
    assert published_count_of(cards[draft.title]) == "4"  # both rounds of the draft
    assert published_count_of(cards["Dự thảo chưa có ý kiến"]) == "0"
