"""RSS and Atom feeds (views/feeds.py): the open and upcoming consultations, all or of one
field, and one consultation's published comments with their published answers.

Every feed is fetched through the real URLs and read by ``feedparser``; the pages'
``<link rel="alternate">`` tags are followed with the test client.
"""

import html
from datetime import timedelta
from urllib.parse import urlsplit

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests import factories
from tests.factories import soup_of
from wagtail_policycomms.models import CommentStatus, PublicComment
from wagtail_policycomms.views.feeds import FEED_ITEMS

RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"


def consultations_urls(sector=None):
    if sector is None:
        return [
            reverse("wagtail_policycomms:consultations_rss"),
            reverse("wagtail_policycomms:consultations_atom"),
        ]
    return [
        reverse("wagtail_policycomms:field_consultations_rss", args=[sector.pk]),
        reverse("wagtail_policycomms:field_consultations_atom", args=[sector.pk]),
    ]


def comments_urls(consultation):
    return [
        reverse("wagtail_policycomms:comments_rss", args=[consultation.pk]),
        reverse("wagtail_policycomms:comments_atom", args=[consultation.pk]),
    ]


def read(client, url, language="en"):
    """The feed at ``url``, checked as well-formed RSS 2.0 or Atom 1.0 by feedparser."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, (url, parsed.get("bozo_exception"))
    if url.endswith(".rss"):
        assert response["Content-Type"] == RSS
        assert parsed.version == "rss20"
    else:
        assert response["Content-Type"] == ATOM
        assert parsed.version == "atom10"
    assert parsed.feed.title
    assert urlsplit(parsed.feed.link).scheme in ("http", "https")
    for entry in parsed.entries:
        assert urlsplit(entry.link).scheme in ("http", "https"), entry.link
        assert urlsplit(entry.link).netloc
    return parsed


def path_of(link):
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def make_private(page):
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")


# --- The consultations feeds ------------------------------------------------------------------


def test_consultation_feeds_list_live_public_open_and_upcoming_rounds(client, index, draft):
    open_round = factories.make_round_with_status(draft, "open", title="Đợt đang mở")
    upcoming = factories.make_round_with_status(draft, "upcoming", title="Đợt sắp mở")
    factories.make_round_with_status(draft, "closed", title="Đợt đã đóng")
    factories.make_round_with_status(draft, "open", title="Đợt chưa xuất bản", live=False)
    private = factories.make_round_with_status(draft, "open", title="Đợt riêng tư")
    make_private(private)
    hidden_draft = factories.make_draft(index, title="Dự thảo chưa xuất bản", live=False)
    factories.make_round_with_status(hidden_draft, "open", title="Đợt dưới dự thảo ẩn")

    for url in consultations_urls():
        parsed = read(client, url)
        titles = [entry.title for entry in parsed.entries]
        # Those closing soonest first.
        assert titles == [f"{draft.title}: Đợt đang mở", f"{draft.title}: Đợt sắp mở"]
        links = [entry.link for entry in parsed.entries]
        assert [path_of(link) for link in links] == [open_round.url, upcoming.url]
        for link in links:
            assert client.get(path_of(link)).status_code == 200
        # The status is the one rule's (models.consultation_status).
        assert "Open for comments" in parsed.entries[0].summary
        assert "Upcoming" in parsed.entries[1].summary
    # Private and unpublished rounds appear in no feed or calendar.
    for url in [*consultations_urls(), reverse("wagtail_policycomms:consultations_calendar")]:
        body = client.get(url).content.decode()
        for hidden in ("Đợt đã đóng", "Đợt chưa xuất bản", "Đợt riêng tư", "Đợt dưới dự thảo"):
            assert hidden not in body, (url, hidden)


def test_a_fields_feed_lists_only_the_drafts_of_that_field(client, index):
    health, education = factories.make_sector("Y tế"), factories.make_sector("Giáo dục")
    health_draft = factories.make_draft(index, title="Dự thảo về y tế", sector=health)
    school_draft = factories.make_draft(index, title="Dự thảo về trường học", sector=education)
    factories.make_round_with_status(health_draft, "open", title="Đợt y tế")
    factories.make_round_with_status(school_draft, "upcoming", title="Đợt trường học")

    for url in consultations_urls(health):
        parsed = read(client, url)
        assert [entry.title for entry in parsed.entries] == ["Dự thảo về y tế: Đợt y tế"]
        assert "Y tế" in parsed.feed.title
    for url in consultations_urls(education):
        parsed = read(client, url)
        assert [entry.title for entry in parsed.entries] == [
            "Dự thảo về trường học: Đợt trường học"
        ]
    for url in consultations_urls():
        assert len(read(client, url).entries) == 2
    missing = reverse("wagtail_policycomms:field_consultations_rss", args=[education.pk + 100])
    assert client.get(missing).status_code == 404


def test_consultation_feeds_hold_at_most_the_cap(client, draft, settings):
    now = timezone.now()
    for n in range(FEED_ITEMS + 2):
        factories.make_consultation(
            draft, now - timedelta(days=1), now + timedelta(days=10, hours=n), title=f"Đợt {n}"
        )
    entries = read(client, consultations_urls()[0]).entries
    assert len(entries) == FEED_ITEMS
    # The ones closing soonest are kept.
    assert entries[0].title.endswith(": Đợt 0")
    assert entries[-1].title.endswith(f": Đợt {FEED_ITEMS - 1}")


def test_consultation_feeds_read_a_fixed_number_of_queries(client, index):
    def count_queries():
        url = consultations_urls()[0]
        client.get(url)  # warm Wagtail's cached site root paths
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        return response, len(queries)

    draft = factories.make_draft(index, sector=factories.make_sector())
    factories.make_round_with_status(draft, "open")
    response, one = count_queries()
    assert len(feedparser.parse(response.content).entries) == 1
    for _n in range(9):
        other = factories.make_draft(index, sector=factories.make_sector())
        factories.make_round_with_status(other, "upcoming")
    response, ten = count_queries()
    assert len(feedparser.parse(response.content).entries) == 10
    assert ten == one


# --- One consultation's comments ----------------------------------------------------------------


def test_comment_feeds_hold_published_comments_with_article_and_published_answer(
    client, consultation
):
    named = factories.make_comment(
        consultation,
        body="Ý kiến có tên công khai",
        display_name="Trần Thị Bình",
        publish_name=True,
        article_id="a1",
        article_heading="Điều 1. Phạm vi điều chỉnh",
        submitted_at=timezone.now() - timedelta(hours=2),
    )
    answered = factories.make_comment(consultation, body="Ý kiến đã được trả lời công khai")
    factories.answer_comments(
        PublicComment.objects.filter(pk=answered.pk),
        text="Nội dung tiếp thu đã công bố",
        published=True,
    )
    draft_answer = factories.make_comment(consultation, body="Ý kiến có câu trả lời chưa công bố")
    factories.answer_comments(
        PublicComment.objects.filter(pk=draft_answer.pk), text="Trả lời nháp chưa công bố"
    )
    for status in (CommentStatus.PENDING, CommentStatus.REJECTED, CommentStatus.SPAM):
        factories.make_comment(consultation, body=f"Ý kiến ở trạng thái {status}", status=status)
    factories.make_comment(consultation, body="Ý kiến chưa xác minh", status="unverified")

    for url in comments_urls(consultation):
        parsed = read(client, url)
        summaries = [entry.summary for entry in parsed.entries]
        assert len(parsed.entries) == 3
        joined = " ".join(summaries)
        assert "Ý kiến có tên công khai" in joined
        assert "Nội dung tiếp thu đã công bố" in joined
        assert "Ý kiến có câu trả lời chưa công bố" in joined
        assert "Trả lời nháp chưa công bố" not in joined
        assert "trạng thái" not in joined and "chưa xác minh" not in joined
        by_link = {
            f"{path_of(entry.link)}#{urlsplit(entry.link).fragment}": entry
            for entry in parsed.entries
        }
        entry = by_link[f"{consultation.url}#comment-{named.pk}"]
        assert entry.title == "Comment from Trần Thị Bình on Điều 1. Phạm vi điều chỉnh"
        assert entry.author == "Trần Thị Bình"
        assert "Điều 1. Phạm vi điều chỉnh" in entry.summary
        anonymous = by_link[f"{consultation.url}#comment-{answered.pk}"]
        assert anonymous.title == "Comment from Anonymous"
        assert client.get(path_of(parsed.feed.link)).status_code == 200


def test_comment_feeds_read_the_same_queries_for_1_and_30_comments(
    client, consultation, django_assert_max_num_queries
):
    def count_queries():
        url = comments_urls(consultation)[1]
        client.get(url)  # warm Wagtail's cached site root paths
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        return response, len(queries)

    answered = factories.make_comment(consultation, article_id="a2", article_heading="Điều 2")
    factories.answer_comments(PublicComment.objects.filter(pk=answered.pk), published=True)
    response, one = count_queries()
    assert len(feedparser.parse(response.content).entries) == 1
    comments = factories.make_duplicates(consultation, 29, body="Ý kiến chiến dịch giống nhau")
    factories.answer_comments(
        PublicComment.objects.filter(pk__in=[c.pk for c in comments]), published=True
    )
    response, thirty = count_queries()
    assert len(feedparser.parse(response.content).entries) == 30
    assert thirty == one
    with django_assert_max_num_queries(one) as queries:
        client.get(comments_urls(consultation)[0])
    # No column of personal data is even read (the name only, for public_author).
    table = PublicComment._meta.db_table
    for name in ("email", "phone", "address", "ip_address", "user_agent"):
        column = f'"{table}"."{name}"'
        assert not any(column in query["sql"] for query in queries.captured_queries), name


def test_comment_feeds_carry_no_personal_data(client, consultation):
    secrets = {
        "email": "bi.mat.rieng@example.vn",
        "phone": "0987 654 321",
        "address": "Số 99 ngõ Bí Mật, Hưng Yên",
        "ip_address": "203.0.113.77",
        "user_agent": "SecretBrowser/9.9",
        "display_name": "Họ Tên Không Đồng Ý",
    }
    factories.make_comment(consultation, publish_name=False, **secrets)
    organisation = factories.make_comment(
        consultation,
        commenter_type="business",
        organisation_name="Công ty TNHH Công Khai",
        publish_name=False,
        display_name="Người Đại Diện Ẩn",
        email="dai.dien@example.vn",
        phone="0911 222 333",
        address="Số 7 phố Kín",
    )
    urls = [
        *comments_urls(consultation),
        *consultations_urls(),
        reverse("wagtail_policycomms:consultation_calendar", args=[consultation.pk]),
        reverse("wagtail_policycomms:consultations_calendar"),
    ]
    hidden = [*secrets.values(), "Người Đại Diện Ẩn", "dai.dien@example.vn", "0911 222 333"]
    hidden.append("Số 7 phố Kín")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        for value in hidden:
            assert value not in body, (url, value)
    # The organisation's name is public (public_author).
    entries = read(client, comments_urls(consultation)[0]).entries
    assert {entry.author for entry in entries} == {"Anonymous", organisation.organisation_name}


def test_comment_feeds_of_a_page_not_live_or_private_are_404(client, draft):
    unpublished = factories.make_round_with_status(draft, "open", live=False)
    factories.make_comment(unpublished, body="Ý kiến trên trang chưa xuất bản")
    private = factories.make_round_with_status(draft, "open")
    make_private(private)
    withdrawn = factories.make_round_with_status(draft, "open")
    withdrawn.unpublish()
    for page in (unpublished, private, withdrawn):
        for url in [
            *comments_urls(page),
            reverse("wagtail_policycomms:consultation_calendar", args=[page.pk]),
        ]:
            assert client.get(url).status_code == 404, url
    assert client.get(comments_urls(draft)[0]).status_code == 404  # not a consultation
    assert client.get("/policycomms/consultations/999999/comments.rss").status_code == 404


# --- Hostile text ---------------------------------------------------------------------------------

HOSTILE = 'Lấy ý kiến <script>alert("x")</script> ]]> &amp; a,b;c\\d \x01\x0b\x1f\r\nhết'
#: What survives: XML cannot hold the control characters; CRLF is a newline.
HOSTILE_READ = 'Lấy ý kiến <script>alert("x")</script> ]]> &amp; a,b;c\\d \nhết'


def test_hostile_titles_and_text_do_not_break_the_feeds(client, index):
    draft = factories.make_draft(index, title="Dự thảo ]]> <b>đậm</b>", summary=HOSTILE)
    consultation = factories.make_round_with_status(draft, "open", title=HOSTILE)
    comment = factories.make_comment(
        consultation,
        body=HOSTILE,
        article_id="gone",
        article_heading=HOSTILE,
        display_name=HOSTILE,
        publish_name=True,
    )
    factories.answer_comments(
        PublicComment.objects.filter(pk=comment.pk), text=HOSTILE, published=True
    )
    atom = read(client, consultations_urls()[1])
    assert atom.entries[0].title == f"Dự thảo ]]> <b>đậm</b>: {HOSTILE_READ}"
    # RSS titles are escaped once more (Django's convention, #6533): a reader that takes
    # them for HTML shows the text, never markup.
    rss = read(client, consultations_urls()[0])
    assert html.unescape(rss.entries[0].title) == atom.entries[0].title
    for url in comments_urls(consultation):
        parsed = read(client, url)
        assert "]]>" in parsed.feed.title
        (entry,) = parsed.entries
        assert entry.author == HOSTILE_READ
        title = html.unescape(entry.title) if url.endswith(".rss") else entry.title
        assert title == f"Comment from {HOSTILE_READ} on {HOSTILE_READ} (no longer in the draft)"
        assert "hết" in entry.summary
        assert "<script" not in entry.summary  # escaped text, not markup
    # The pages' head and links survive the same title.
    response = client.get(consultation.url)
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


# --- The pages advertise their feeds ------------------------------------------------------------


def alternates(response):
    head = soup_of(response).head
    return {
        (link["type"], link["href"]): link.get("title", "")
        for link in head.select('link[rel="alternate"]')
    }


@pytest.mark.parametrize("language", ["en", "vi"])
def test_pages_advertise_their_feeds_and_the_links_work(client, index, language):
    sector = factories.make_sector("Khoa học")
    draft = factories.make_draft(index, sector=sector)
    consultation = factories.make_round_with_status(draft, "open")
    factories.make_comment(consultation)
    expected = {
        index.url: {
            ("application/rss+xml", consultations_urls()[0]),
            ("application/atom+xml", consultations_urls()[1]),
            ("text/calendar", reverse("wagtail_policycomms:consultations_calendar")),
        },
        draft.url: {
            ("application/rss+xml", consultations_urls()[0]),
            ("application/atom+xml", consultations_urls()[1]),
            ("application/rss+xml", consultations_urls(sector)[0]),
            ("application/atom+xml", consultations_urls(sector)[1]),
            ("text/calendar", reverse("wagtail_policycomms:consultations_calendar")),
        },
        consultation.url: {
            ("application/rss+xml", comments_urls(consultation)[0]),
            ("application/atom+xml", comments_urls(consultation)[1]),
        },
    }
    for page_url, feeds in expected.items():
        response = client.get(page_url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        found = alternates(response)
        assert feeds <= set(found), page_url
        for _type, href in feeds:
            assert found[(_type, href)]  # a title for the reader's list
            feed = client.get(href)
            assert feed.status_code == 200
            assert feed["Content-Type"].startswith(_type)
        # Visible links in the page's body, to the same feeds.
        body = soup_of(response).body
        visible = {
            (a.get("type"), a["href"]): a.get_text(strip=True) for a in body.select("a[type]")
        }
        rss_links = [text for (kind, _h), text in visible.items() if kind == feeds_type("rss")]
        atom_links = [text for (kind, _h), text in visible.items() if kind == feeds_type("atom")]
        assert "RSS" in rss_links and "Atom" in atom_links
        for (kind, href), _text in visible.items():
            if kind in ("application/rss+xml", "application/atom+xml", "text/calendar"):
                assert client.get(href).status_code == 200, href

    # "Add to calendar" on the draft's rounds and on the consultation page.
    ics = reverse("wagtail_policycomms:consultation_calendar", args=[consultation.pk])
    for page_url in (draft.url, consultation.url):
        links = soup_of(client.get(page_url)).select(f'a[href="{ics}"]')
        assert links
        assert client.get(ics)["Content-Type"] == "text/calendar; charset=utf-8"


def feeds_type(kind):
    return {"rss": "application/rss+xml", "atom": "application/atom+xml"}[kind]


def test_a_filtered_index_advertises_its_fields_feed(client, index):
    sector = factories.make_sector("Nông nghiệp")
    draft = factories.make_draft(index, sector=sector)
    factories.make_round_with_status(draft, "open")
    response = client.get(f"{index.url}?sector={sector.pk}")
    found = alternates(response)
    assert ("application/rss+xml", consultations_urls(sector)[0]) in found
    assert "Nông nghiệp" in found[("application/rss+xml", consultations_urls(sector)[0])]
