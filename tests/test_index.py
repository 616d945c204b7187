"""The public list of draft policies: filters, search, pagination, ordering and query count.

A draft's status in the list is that of its current round (open if any round
is open, else upcoming if any, else closed; "none" without a round), and the
status filter must select exactly the drafts the list labels that way.
"""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests import factories
from tests.factories import soup_of
from wagtail_policycomms import moderation
from wagtail_policycomms.models import DraftPolicyPage, PublicComment, counts


def listed(response):
    """Titles of the drafts on the rendered page, in order."""
    assert response.status_code == 200
    return [row["page"].title for row in response.context["rows"]]


@pytest.fixture(scope="module")
def shared_catalogue(module_db):
    """Five drafts, one per listing status, with distinct units, fields and topics, in a
    section of their own: built once for the module (``module_db``)."""
    index = factories.make_index(factories.make_home())
    education, health = factories.make_sector("Giáo dục"), factories.make_sector("Y tế")
    science = factories.make_unit("Phòng Quản lý khoa học")
    technology = factories.make_unit("Phòng Quản lý công nghệ")

    def draft(title, unit, sector, topics, rounds):
        page = factories.make_draft(index, title, drafting_unit=unit, sector=sector, topics=topics)
        for status in rounds:
            factories.make_round_with_status(page, status)
        return page

    return {
        "index": index,
        "open": draft("Học phí năm học mới", science, education, ["hoc-phi"], ["closed", "open"]),
        "upcoming": draft(
            "Phí thẩm định công nghệ", technology, health, ["phi"], ["closed", "upcoming"]
        ),
        "closed": draft("Quỹ phát triển khoa học", science, health, ["quy"], ["closed", "closed"]),
        "none": draft("Hỗ trợ doanh nghiệp khởi nghiệp", technology, None, ["hoc-phi"], []),
        "open-and-upcoming": draft("Thư viện số", technology, education, [], ["upcoming", "open"]),
        "units": (science, technology),
        "sectors": (education, health),
    }


@pytest.fixture
def catalogue(shared_catalogue, db):
    return factories.fresh(shared_catalogue)


@pytest.fixture
def index(request, db):
    """The catalogue's section where a test uses the catalogue, else a new empty one."""
    if "catalogue" in request.fixturenames:
        return request.getfixturevalue("catalogue")["index"]
    return factories.make_index(request.getfixturevalue("home"))


def test_listing_shows_every_public_draft(client, index, catalogue):
    response = client.get(index.url)
    assert sorted(listed(response)) == sorted(
        catalogue[k].title for k in ("open", "upcoming", "closed", "none", "open-and-upcoming")
    )
    assert response.context["page_obj"].paginator.count == 5


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("open", {"open", "open-and-upcoming"}),
        ("upcoming", {"upcoming"}),
        ("closed", {"closed"}),
        ("none", {"none"}),
    ],
)
def test_status_filter_matches_the_status_shown(client, index, catalogue, status, expected):
    response = client.get(index.url, {"status": status})
    assert set(listed(response)) == {catalogue[k].title for k in expected}
    shown = {row["status"].value if row["status"] else "none" for row in response.context["rows"]}
    assert shown == {status}


def test_status_of_draft_without_open_round_is_its_next_round(client, index, catalogue):
    """Closed then upcoming: readers need the upcoming date, not the old one."""
    response = client.get(index.url)
    row = next(r for r in response.context["rows"] if r["page"] == catalogue["upcoming"])
    assert row["status"] == "upcoming"
    assert row["consultation"].opens_at > timezone.now()


def test_filter_by_field_unit_and_topic(client, index, catalogue):
    education, health = catalogue["sectors"]
    science, technology = catalogue["units"]
    assert set(listed(client.get(index.url, {"sector": health.pk}))) == {
        catalogue["upcoming"].title,
        catalogue["closed"].title,
    }
    assert set(listed(client.get(index.url, {"unit": science.pk}))) == {
        catalogue["open"].title,
        catalogue["closed"].title,
    }
    assert set(listed(client.get(index.url, {"topic": "hoc-phi"}))) == {
        catalogue["open"].title,
        catalogue["none"].title,
    }


def test_filters_combine(client, index, catalogue):
    education, _ = catalogue["sectors"]
    _, technology = catalogue["units"]
    response = client.get(
        index.url, {"sector": education.pk, "unit": technology.pk, "status": "open"}
    )
    assert listed(response) == [catalogue["open-and-upcoming"].title]
    response = client.get(index.url, {"unit": technology.pk, "status": "closed"})
    assert listed(response) == []
    assert "pc-empty" in response.content.decode()


def test_search_box_uses_wagtail_search(client, index, catalogue):
    catalogue["closed"].summary = "Quy định về quỹ đổi mới sáng tạo"
    catalogue["closed"].save_revision().publish()
    assert listed(client.get(index.url, {"q": "sáng tạo"})) == [catalogue["closed"].title]
    assert listed(client.get(index.url, {"q": "Thư viện"})) == [
        catalogue["open-and-upcoming"].title
    ]
    # Topics are searched too: "hoc-phi" is on two drafts.
    assert set(listed(client.get(index.url, {"q": "hoc-phi"}))) == {
        catalogue["open"].title,
        catalogue["none"].title,
    }


def test_search_combines_with_filters(client, index, catalogue):
    response = client.get(index.url, {"q": "phí", "status": "upcoming"})
    assert listed(response) == [catalogue["upcoming"].title]


def test_choices_list_only_what_the_section_contains(client, index, catalogue):
    other_unit = factories.make_unit("Thanh tra Sở")
    form = client.get(index.url).context["filter_form"]
    assert set(form.fields["unit"].queryset) == set(catalogue["units"])
    assert other_unit not in form.fields["unit"].queryset
    assert [t.slug for t in form.fields["topic"].queryset] == ["hoc-phi", "phi", "quy"]


@pytest.mark.parametrize(
    "query",
    [
        {"unit": "999999"},
        {"unit": "abc"},
        {"sector": "999999"},
        {"status": "bogus"},
        {"topic": "nope"},
        {"q": "x" * 201},
    ],
    ids=lambda q: "&".join(f"{k}={v[:10]}" for k, v in q.items()),
)
def test_invalid_filter_value_is_reported_not_500(client, index, catalogue, query):
    response = client.get(index.url, query)
    assert response.status_code == 200
    [field] = query
    assert response.context["filter_form"].errors[field]
    assert f'id="id_{field}-error"' in response.content.decode()
    assert len(listed(response)) == 5


def test_invalid_value_does_not_drop_the_valid_filters(client, index, catalogue):
    """The form shows status "open" as chosen, so the results must be the open drafts."""
    response = client.get(index.url, {"status": "open", "unit": "999999"})
    assert set(listed(response)) == {catalogue["open"].title, catalogue["open-and-upcoming"].title}
    assert "unit" in response.context["filter_form"].errors


@pytest.mark.parametrize(("page", "number"), [("abc", 1), ("9999", 3), ("-1", 3), ("0", 3)])
@override_settings(POLICYCOMMS_INDEX_PAGE_SIZE=2)
def test_bad_page_number_falls_back(client, index, catalogue, page, number):
    response = client.get(index.url, {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == number
    assert listed(response)


@override_settings(POLICYCOMMS_INDEX_PAGE_SIZE=2)
def test_pagination_keeps_the_filters(client, index):
    science, other = factories.make_unit(), factories.make_unit()
    for n in range(5):
        factories.make_draft(index, f"Dự thảo khoa học {n}", drafting_unit=science)
    factories.make_draft(index, "Dự thảo khác", drafting_unit=other)

    response = client.get(index.url, {"unit": science.pk})
    assert response.context["page_obj"].paginator.num_pages == 3
    next_href = soup_of(response).find("a", rel="next")["href"]
    assert parse_qs(urlsplit(next_href).query) == {"unit": [str(science.pk)], "page": ["2"]}

    seen = listed(response)
    while next_href:
        response = client.get(index.url + next_href)
        seen += listed(response)
        link = soup_of(response).find("a", rel="next")
        next_href = link["href"] if link else None
    assert sorted(seen) == [f"Dự thảo khoa học {n}" for n in range(5)]
    prev_href = soup_of(response).find("a", rel="prev")["href"]
    assert parse_qs(urlsplit(prev_href).query) == {"unit": [str(science.pk)], "page": ["2"]}


def test_newest_first(client, index):
    """By first publication, not by creation order: a draft published later comes first."""
    drafts = [factories.make_draft(index, title) for title in ("A", "B", "C")]
    base = timezone.now() - timedelta(days=30)
    for draft, days in zip(drafts, (5, 20, 1), strict=True):
        DraftPolicyPage.objects.filter(pk=draft.pk).update(
            first_published_at=base + timedelta(days=days)
        )
    assert listed(client.get(index.url)) == ["B", "A", "C"]


def test_unpublished_and_private_drafts_are_not_listed(client, index):
    factories.make_draft(index, "Công khai")
    factories.make_draft(index, "Chưa xuất bản", live=False)
    private = factories.make_draft(index, "Nội bộ")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    other_index = factories.make_index(index.get_parent(), title="Chuyên mục khác")
    factories.make_draft(other_index, "Ở chuyên mục khác")

    response = client.get(index.url)
    assert listed(response) == ["Công khai"]
    html = response.content.decode()
    assert "Chưa xuất bản" not in html
    assert "Nội bộ" not in html
    # Nor do they leak through search or the filter choices.
    assert listed(client.get(index.url, {"q": "Nội bộ"})) == []


def _render_index_with(client, index, count):
    unit, sector = factories.make_unit(), factories.make_sector()
    for n in range(count):
        draft = factories.make_draft(
            index,
            f"Dự thảo {n}",
            drafting_unit=unit,
            sector=sector,
            topics=[f"chu-de-{n}", "chung"],
        )
        factories.make_round_with_status(draft, ("open", "upcoming", "closed")[n % 3])
        factories.make_round_with_status(draft, "closed")
    client.get(index.url)  # Warm Wagtail's per-site caches (site root paths).
    with CaptureQueriesContext(connection) as queries:
        response = client.get(index.url, {"status": ""})
    assert len(listed(response)) == count
    return len(queries)


@override_settings(POLICYCOMMS_INDEX_PAGE_SIZE=20)
def test_query_count_does_not_grow_with_the_page(client, home):
    few = _render_index_with(client, factories.make_index(home, slug="few"), 3)
    many = _render_index_with(client, factories.make_index(home, slug="many"), 12)
    assert few == many


def test_published_counts_do_not_read_the_comments_once_cached(client, index):
    """The counts come from the cache the consultation pages share: at any number of
    comments the warm index runs the same queries, none of them on the comments."""
    draft = factories.make_draft(index, "Dự thảo được góp ý nhiều")
    consultation = factories.make_round_with_status(draft, "open")

    def render():
        client.get(index.url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(index.url)
        [row] = response.context["rows"]
        return queries, row["published_comments"]

    PublicComment.objects.bulk_create(factories.build_comments(consultation, 3))
    few, published = render()
    assert published == 3
    PublicComment.objects.bulk_create(factories.build_comments(consultation, 300))
    counts.comments_changed([consultation.pk])  # a bulk load skips save()
    many, published = render()
    assert published == 303
    assert len(many) == len(few)
    assert not [q["sql"] for q in many if "wagtail_policycomms_publiccomment" in q["sql"]]


def test_published_counts_follow_moderation(client, index):
    draft = factories.make_draft(index, "Dự thảo")
    consultation = factories.make_round_with_status(draft, "open")
    comment = factories.make_comment(consultation, status="pending")
    factories.make_comment(consultation)
    assert client.get(index.url).context["rows"][0]["published_comments"] == 1
    moderation.moderate(
        PublicComment.objects.filter(pk=comment.pk), "approve", factories.make_moderator()
    )
    assert client.get(index.url).context["rows"][0]["published_comments"] == 2
