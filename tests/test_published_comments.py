"""Published comments on the consultation page, the draft's comment links, the index counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import Site

from tests import factories, shared_round
from tests.factories import soup_of
from wagtail_policycomms import moderation
from wagtail_policycomms.models import CommentStatus, ConsultationSettings, PublicComment, counts
from wagtail_policycomms.models.comments import PUBLISHED, RECEIVED, counts_toward
from wagtail_policycomms.views.pagination import cursor_of

# One open round built once for the module (tests/shared_round.py).
home, index, draft, consultation = (
    shared_round.home,
    shared_round.index,
    shared_round.draft,
    shared_round.consultation,
)


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
    assert (
        '<div class="pc-comment-body" lang="vi">Mới nhất<br>hai dòng</div>'
        in response.content.decode()
    )

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
    # Counts are cached: bulk_create skips save(), so a bulk load says what it changed.
    counts.comments_changed([consultation.pk])
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


# --- At scale: cached counts, numbered then keyset pages ---------------------------------
# A consultation may hold 300,000 comments (issue 10): the page runs the same queries
# whatever the number, its counts are cached and kept right by the writers, and pages
# beyond POLICYCOMMS_COMMENTS_NUMBERED_PAGES continue from a cursor instead of an OFFSET.


def comment_queries(queries):
    return [q["sql"] for q in queries if "wagtail_policycomms_publiccomment" in q["sql"]]


def pagination_links(response):
    nav = soup_of(response).select_one(".pc-pagination")
    return {a.get_text(): a["href"] for a in nav.select("a")} if nav else {}


def follow(client, consultation, href):
    return get(client, consultation.url + href.split("#")[0])


@pytest.mark.parametrize("status", [choice.value for choice in CommentStatus])
def test_counts_toward_agrees_with_received_and_published(consultation, status):
    comment = factories.make_comment(consultation, status=status)
    in_db = (
        PublicComment.objects.filter(RECEIVED, pk=comment.pk).exists(),
        PublicComment.objects.filter(PUBLISHED, pk=comment.pk).exists(),
    )
    assert counts_toward(status) == in_db


def _cursor_after(consultation, rank):
    """The cursor of the ``rank``-th newest published comment (0 = newest)."""
    return cursor_of(PublicComment.objects.published().filter(consultation=consultation)[rank])


@override_settings(POLICYCOMMS_COMMENTS_PAGE_SIZE=2, POLICYCOMMS_COMMENTS_NUMBERED_PAGES=2)
def test_first_and_deep_pages_run_the_same_queries_with_5_or_500_comments(client, consultation):
    def measure(deep_rank):
        deep_url = f"{consultation.url}?before={_cursor_after(consultation, deep_rank)}"
        get(client, consultation.url)  # warm: site root paths, settings, the counts
        get(client, deep_url)
        with CaptureQueriesContext(connection) as first:
            first_page = get(client, consultation.url)
        with CaptureQueriesContext(connection) as deep:
            deep_page = get(client, deep_url)
        return first, first_page, deep, deep_page

    PublicComment.objects.bulk_create(factories.build_comments(consultation, 5))
    few_first, __, few_deep, few_deep_page = measure(deep_rank=2)
    assert len(bodies(few_deep_page)) == 2

    PublicComment.objects.bulk_create(factories.build_comments(consultation, 495))
    counts.comments_changed([consultation.pk])
    many_first, first_page, many_deep, deep_page = measure(deep_rank=400)
    assert first_page.context["comment_counts"] == {"received": 500, "published": 500}
    assert "Page 1 of 250" in soup_of(first_page).select_one(".pc-pagination").get_text()
    assert len(bodies(deep_page)) == 2

    assert len(many_first) == len(few_first), [q["sql"] for q in many_first]
    assert len(many_deep) == len(few_deep), [q["sql"] for q in many_deep]
    # Warm, the first page reads the comments it shows and nothing else of the table:
    # no COUNT, at any size.
    assert len(comment_queries(many_first)) == 1, comment_queries(many_first)
    assert "COUNT(" not in comment_queries(many_first)[0].upper()
    # A deep page seeks the cursor: no OFFSET.
    [deep_sql] = comment_queries(many_deep)
    assert "OFFSET" not in deep_sql.upper()


@override_settings(POLICYCOMMS_COMMENTS_PAGE_SIZE=2, POLICYCOMMS_COMMENTS_NUMBERED_PAGES=2)
def test_pages_beyond_the_numbered_ones_continue_from_the_last_comment(client, consultation, many):
    second = get(client, f"{consultation.url}?cpage=2")
    assert bodies(second) == ["Ý kiến 5 (a2)", "Ý kiến 4 (a1)"]
    assert "Page 2 of 4" in soup_of(second).select_one(".pc-pagination").get_text()
    next_link = soup_of(second).select_one(".pc-pagination a[rel=next]")["href"]
    assert next_link.startswith("?before=") and next_link.endswith("#comments")

    third = follow(client, consultation, next_link)
    assert bodies(third) == ["Ý kiến 3 (a1)", "Ý kiến 2 (a1)"]
    links = pagination_links(third)
    assert links["Newest comments"] == "?#comments"
    assert "Page" not in soup_of(third).select_one(".pc-pagination").get_text()

    last = follow(client, consultation, links["Older comments"])
    assert bodies(last) == ["Ý kiến 1 (a1)", "Ý kiến 0 (a1)"]
    assert "Older comments" not in pagination_links(last)

    back = follow(client, consultation, pagination_links(last)["Newer comments"])
    assert bodies(back) == bodies(third)
    newest = follow(client, consultation, pagination_links(back)["Newer comments"])
    assert bodies(newest) == ["Ý kiến 5 (a2)", "Ý kiến 4 (a1)"]
    # A page number beyond the numbered pages gives the last numbered page.
    assert bodies(get(client, f"{consultation.url}?cpage=4")) == bodies(second)


@override_settings(POLICYCOMMS_COMMENTS_PAGE_SIZE=2, POLICYCOMMS_COMMENTS_NUMBERED_PAGES=1)
def test_keyset_pages_keep_the_article_filter(client, consultation, many):
    first = get(client, f"{consultation.url}?article=a1")
    next_link = soup_of(first).select_one(".pc-pagination a[rel=next]")["href"]
    assert next_link.startswith("?article=a1&before=")
    second = follow(client, consultation, next_link)
    assert bodies(second) == ["Ý kiến 2 (a1)", "Ý kiến 1 (a1)"]
    links = pagination_links(second)
    assert links["Newest comments"] == "?article=a1#comments"
    assert links["Older comments"].startswith("?article=a1&before=")
    assert links["Newer comments"].startswith("?article=a1&after=")
    assert bodies(follow(client, consultation, links["Older comments"])) == ["Ý kiến 0 (a1)"]


@pytest.mark.parametrize(
    "query",
    [
        "before=abc",
        "before=1.2.3",
        "after=-5.1",
        "before=123456789012345678.1",  # too long to be a date
        "before=1%0A.1",
        "after=" + "9" * 40,
    ],
)
def test_a_bad_cursor_gives_the_first_page(client, consultation, many, query):
    response = get(client, f"{consultation.url}?{query}")
    assert len(bodies(response)) == 8
    assert response.context["comments_page"].number == 1


@override_settings(POLICYCOMMS_COMMENTS_PAGE_SIZE=2)
def test_counts_follow_a_new_comment_at_once(
    client, consultation, django_capture_on_commit_callbacks
):
    site = ConsultationSettings.for_site(Site.objects.get(is_default_site=True))
    site.moderation_mode = "post"  # published at once: every count changes
    site.save()
    factories.make_comment(consultation, article_id="a1")
    factories.make_comment(consultation, status="pending")
    assert get(client, consultation.url).context["comment_counts"] == {
        "received": 2,
        "published": 1,
    }
    on_article = get(client, f"{consultation.url}?article=a1")
    assert on_article.context["comments_page"].paginator.count == 1

    response = factories.post_comment(
        client, consultation, django_capture_on_commit_callbacks, article="a1"
    )
    assert response.status_code == 303
    with CaptureQueriesContext(connection) as queries:
        page = get(client, consultation.url)
    assert page.context["comment_counts"] == {"received": 3, "published": 2}
    assert "Comments received: 3. Published: 2." in " ".join(page.content.decode().split())
    assert not [sql for sql in comment_queries(queries) if "COUNT(" in sql.upper()]  # added
    on_article = get(client, f"{consultation.url}?article=a1")
    assert on_article.context["comments_page"].paginator.count == 2
    assert len(bodies(on_article)) == 2


def test_counts_follow_moderation_at_once(client, consultation):
    moderator = factories.make_moderator()
    pending = [
        factories.make_comment(consultation, status="pending", article_id="a1") for __ in range(3)
    ]
    factories.make_comment(consultation, article_id="a1")
    assert get(client, consultation.url).context["comment_counts"] == {
        "received": 4,
        "published": 1,
    }
    on_article = get(client, f"{consultation.url}?article=a1")
    assert on_article.context["comments_page"].paginator.count == 1

    moderation.moderate(
        PublicComment.objects.filter(pk__in=[c.pk for c in pending[:2]]), "approve", moderator
    )
    assert get(client, consultation.url).context["comment_counts"] == {
        "received": 4,
        "published": 3,
    }
    on_article = get(client, f"{consultation.url}?article=a1")
    assert on_article.context["comments_page"].paginator.count == 3
    assert len(bodies(on_article)) == 3

    moderation.moderate_one(pending[2], "spam", moderator, seen_status="pending")
    assert get(client, consultation.url).context["comment_counts"] == {
        "received": 3,
        "published": 3,
    }


def test_a_count_that_lags_never_hides_a_comment(client, consultation):
    """Bulk loads skip ``save()``: the counts lag until they expire, the list does not."""
    PublicComment.objects.bulk_create(factories.build_comments(consultation, 3))
    assert get(client, consultation.url).context["comment_counts"]["published"] == 3
    PublicComment.objects.bulk_create(factories.build_comments(consultation, 30))
    response = get(client, consultation.url)
    assert response.context["comment_counts"]["published"] == 3  # cached
    assert len(bodies(response)) == 20
    assert soup_of(response).select_one(".pc-pagination a[rel=next]")["href"] == "?cpage=2#comments"
    assert len(bodies(get(client, f"{consultation.url}?cpage=2"))) <= 20


@override_settings(POLICYCOMMS_COUNTS_CACHE_SECONDS=0)
def test_counts_without_a_cache(client, consultation):
    factories.make_comment(consultation)
    assert get(client, consultation.url).context["comment_counts"]["published"] == 1
    PublicComment.objects.bulk_create(factories.build_comments(consultation, 4))
    assert get(client, consultation.url).context["comment_counts"]["published"] == 5
