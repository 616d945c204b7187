"""The open-data API (wagtail_policycomms.api) and the bulk downloads, through the real stack.

What is published: live pages, published comments, published answers, never a
personal-data field (``PII_FIELDS``), whoever asks; how far it reaches (every comment,
by following ``next``); what it costs (queries do not grow with the page); CORS.
"""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests import shared_section as shared_section_fixtures
from wagtail_policycomms import moderation
from wagtail_policycomms.api import downloads
from wagtail_policycomms.models import CommentStatus, PublicComment
from wagtail_policycomms.models.comments import PII_FIELDS

COMMENTS = "/api/v2/comments/"
CONSULTATIONS = "/api/v2/consultations/"
POLICIES = "/api/v2/policies/"


def get_json(client, url, expect=200, **params):
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == expect, response.content
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def ids(payload):
    return [item["id"] for item in payload["items"]]


def csv_url(consultation):
    return reverse("wagtail_policycomms:consultation_comments_csv", args=[consultation.pk])


def json_url(consultation):
    return reverse("wagtail_policycomms:consultation_comments_json", args=[consultation.pk])


# Pages under one home page and section built once for the module (tests/shared_section.py).
shared_section, home, index = (
    shared_section_fixtures.shared_section,
    shared_section_fixtures.home,
    shared_section_fixtures.index,
)


@pytest.fixture
def closed(draft):
    return factories.make_round_with_status(draft, "closed")


# --- Comments: what each one shows ------------------------------------------------------------


def test_a_comment_shows_its_public_fields_and_published_answer(client, consultation):
    moment = factories.hanoi(2026, 3, 9, 23, 30)
    comment = factories.make_comment(
        consultation,
        body="Đề nghị bổ sung đối tượng là hộ kinh doanh.",
        commenter_type="business",
        organisation_name="Công ty Cổ phần Phố Hiến",
        display_name="Trần Thị Bí Mật",
        publish_name=False,
        article_id="a2",
        article_heading="Điều 2. Đối tượng áp dụng",
        submitted_at=moment,
    )
    factories.answer_comments(
        PublicComment.objects.filter(pk=comment.pk),
        text="Tiếp thu, bổ sung hộ kinh doanh.",
        published=True,
    )

    item = get_json(client, f"{COMMENTS}{comment.pk}/")

    assert item["id"] == comment.pk
    assert item["consultation"] == {"id": consultation.pk, "title": consultation.title}
    assert item["article"] == {"id": "a2", "label": "Điều 2. Đối tượng áp dụng", "in_draft": True}
    assert item["commenter_type"] == "business"
    assert item["author"] == "Công ty Cổ phần Phố Hiến"
    assert item["submitted_at"] == "2026-03-09T23:30:00+07:00"
    assert item["text"] == "Đề nghị bổ sung đối tượng là hộ kinh doanh."
    assert item["answer"]["text"] == "Tiếp thu, bổ sung hộ kinh doanh."
    assert item["answer"]["disposition"] == "accepted"
    assert item["meta"]["detail_url"] == f"http://testserver{COMMENTS}{comment.pk}/"
    assert "Bí Mật" not in json.dumps(item, ensure_ascii=False)
    # The listing gives the same item.
    assert get_json(client, COMMENTS)["items"] == [item]


def test_the_article_reads_under_its_label_today(client, draft, consultation):
    comment = factories.make_comment(
        consultation, article_id="a1", article_heading="Điều 1. Tên cũ của điều"
    )
    gone = factories.make_comment(consultation, article_id="zz", article_heading="Điều 9. Đã bỏ")

    items = {item["id"]: item for item in get_json(client, COMMENTS)["items"]}

    assert items[comment.pk]["article"]["label"] == (
        "Điều 1. Phạm vi điều chỉnh (at the time of comment: Điều 1. Tên cũ của điều)"
    )
    assert items[gone.pk]["article"] == {
        "id": "zz",
        "label": "Điều 9. Đã bỏ (no longer in the draft)",
        "in_draft": False,
    }


def test_a_name_is_published_only_with_consent(client, consultation):
    factories.make_comment(consultation, display_name="Nguyễn Đồng Ý", publish_name=True)
    factories.make_comment(consultation, display_name="Lê Không Muốn", publish_name=False)

    authors = {item["author"] for item in get_json(client, COMMENTS)["items"]}

    assert authors == {"Nguyễn Đồng Ý", "Anonymous"}


@pytest.mark.parametrize(
    "status", [CommentStatus.PENDING, CommentStatus.REJECTED, CommentStatus.SPAM, "unverified"]
)
def test_unpublished_comments_never_appear(client, consultation, status):
    hidden = factories.make_comment(consultation, status=status, body="Ý kiến chưa công bố XYZ")
    shown = factories.make_comment(consultation)

    assert ids(get_json(client, COMMENTS)) == [shown.pk]
    get_json(client, f"{COMMENTS}{hidden.pk}/", expect=404)
    assert "XYZ" not in client.get(COMMENTS).content.decode()


def test_an_unpublished_answer_never_appears(client, consultation):
    comment = factories.make_comment(consultation)
    response = factories.answer_comments(
        PublicComment.objects.filter(pk=comment.pk), text="Bản nháp trả lời ABC"
    )

    assert get_json(client, f"{COMMENTS}{comment.pk}/")["answer"] is None

    moderation.set_answer_published(response, None, True)
    assert get_json(client, f"{COMMENTS}{comment.pk}/")["answer"]["text"] == "Bản nháp trả lời ABC"


def test_comments_of_an_unpublished_page_never_appear(client, index, draft):
    hidden_round = factories.make_round_with_status(draft, "open", live=False)
    hidden_draft = factories.make_draft(index, live=False)
    under_hidden_draft = factories.make_round_with_status(hidden_draft, "open")
    hidden = [
        factories.make_comment(hidden_round),
        factories.make_comment(under_hidden_draft),
    ]

    assert get_json(client, COMMENTS)["items"] == []
    for comment in hidden:
        get_json(client, f"{COMMENTS}{comment.pk}/", expect=404)
    for page in (hidden_round, under_hidden_draft):
        get_json(client, f"{CONSULTATIONS}{page.pk}/", expect=404)
    get_json(client, f"{POLICIES}{hidden_draft.pk}/", expect=404)
    assert ids(get_json(client, CONSULTATIONS)) == []
    assert ids(get_json(client, POLICIES)) == [draft.pk]


# --- Filters and pagination -------------------------------------------------------------------


def test_filters(client, draft, consultation):
    other = factories.make_round_with_status(draft, "closed")
    moment = factories.hanoi(2026, 5, 10, 8)
    on_a1 = factories.make_comment(consultation, article_id="a1", submitted_at=moment)
    business = factories.make_comment(
        consultation,
        commenter_type="business",
        organisation_name="Công ty A",
        submitted_at=moment + timedelta(days=1),
    )
    elsewhere = factories.make_comment(other, submitted_at=moment + timedelta(days=2))

    assert ids(get_json(client, COMMENTS, consultation=consultation.pk)) == [on_a1.pk, business.pk]
    assert ids(get_json(client, COMMENTS, consultation=other.pk)) == [elsewhere.pk]
    assert ids(get_json(client, COMMENTS, article="a1")) == [on_a1.pk]
    assert ids(get_json(client, COMMENTS, article="")) == [business.pk, elsewhere.pk]
    assert ids(get_json(client, COMMENTS, commenter_type="business")) == [business.pk]
    # Dates are the department's: 11/05 from midnight in Hanoi.
    assert ids(get_json(client, COMMENTS, submitted_after="2026-05-11")) == [
        business.pk,
        elsewhere.pk,
    ]
    assert ids(get_json(client, COMMENTS, submitted_before="2026-05-11")) == [on_a1.pk]
    assert ids(
        get_json(
            client,
            COMMENTS,
            submitted_after="2026-05-11T08:00:00+07:00",
            submitted_before="2026-05-12T08:00:00+07:00",
        )
    ) == [business.pk]

    for bad in (
        {"commenter_type": "robot"},
        {"consultation": "abc"},
        {"submitted_after": "11/05/2026"},
        {"limit": "0"},
        {"limit": "1001"},
        {"after": "-1"},
        {"email": "x"},
        {"fields": "email"},
    ):
        assert "message" in get_json(client, COMMENTS, expect=400, **bad)


def test_keyset_pages_reach_every_comment(client, consultation):
    PublicComment.objects.bulk_create(factories.build_comments(consultation, 25))
    factories.make_comment(consultation, status=CommentStatus.PENDING)
    expected = list(PublicComment.objects.published().order_by("pk").values_list("pk", flat=True))

    seen, url, pages = [], f"{COMMENTS}?limit=10", 0
    while url:
        payload = get_json(client, url)
        seen += ids(payload)
        url, pages = payload["meta"]["next"], pages + 1
        assert payload["meta"]["limit"] == 10

    assert seen == expected
    assert pages == 3
    # The next link keeps the filters.
    first = get_json(client, COMMENTS, consultation=consultation.pk, limit=10)
    assert f"consultation={consultation.pk}" in first["meta"]["next"]
    assert f"after={expected[9]}" in first["meta"]["next"]


def test_the_page_size_has_a_maximum_but_the_total_none(client, consultation):
    PublicComment.objects.bulk_create(factories.build_comments(consultation, 1005))

    first = get_json(client, COMMENTS, limit=1000)
    second = get_json(client, first["meta"]["next"])

    assert len(first["items"]) == 1000
    assert len(second["items"]) == 5
    assert second["meta"]["next"] is None


def test_fields_narrow_an_item(client, consultation):
    comment = factories.make_comment(consultation)

    assert get_json(client, COMMENTS, fields="_,id,text")["items"] == [
        {"id": comment.pk, "text": comment.body}
    ]
    assert "answer" not in get_json(client, f"{COMMENTS}{comment.pk}/", fields="-answer")


def test_query_count_does_not_grow_with_the_page(
    client, draft, consultation, django_assert_max_num_queries
):
    other = factories.make_round_with_status(draft, "closed")
    factories.make_comment(consultation, article_id="a1")
    client.get(COMMENTS)  # the site's root paths, the counts: cached once
    with CaptureQueriesContext(connection) as one:
        assert len(get_json(client, COMMENTS)["items"]) == 1

    comments = factories.build_comments(consultation, 15, article_id="a2") + (
        factories.build_comments(other, 14)
    )
    PublicComment.objects.bulk_create(comments)
    answered = PublicComment.objects.filter(consultation=other)
    factories.answer_comments(answered, published=True)
    with django_assert_max_num_queries(len(one)):
        assert len(get_json(client, COMMENTS)["items"]) == 30


def test_page_endpoints_do_not_query_per_row(client, index, django_assert_max_num_queries):
    def make(n):
        for i in range(n):
            d = factories.make_draft(
                index,
                articles=[factories.article("Điều 1", "Phạm vi", block_id=f"x{i}")],
                topics=["đất đai", "thuế"],
                sector=factories.make_sector(),
            )
            factories.make_round_with_status(d, "open")

    make(1)
    client.get(CONSULTATIONS)
    client.get(POLICIES)
    counted = {}
    for url in (CONSULTATIONS, POLICIES):
        with CaptureQueriesContext(connection) as queries:
            get_json(client, url)
        counted[url] = len(queries)
    make(9)
    for url in (CONSULTATIONS, POLICIES):
        client.get(url)  # the new consultations' cached counts, as for the first one
        with django_assert_max_num_queries(counted[url]):
            assert len(get_json(client, url)["items"]) == 10


# --- Pages ------------------------------------------------------------------------------------


def test_consultations_show_status_dates_unit_field_topics_articles(client, index):
    unit = factories.make_unit("Sở Tư pháp tỉnh Hưng Yên")
    sector = factories.make_sector("Tư pháp")
    draft = factories.make_draft(
        index,
        drafting_unit=unit,
        sector=sector,
        topics=["thuế", "đất đai"],
        articles=[factories.article("Điều 1", "Phạm vi điều chỉnh", block_id="a1")],
    )
    rounds = {
        status: factories.make_round_with_status(draft, status)
        for status in ("upcoming", "open", "closed")
    }

    payload = get_json(client, CONSULTATIONS)
    by_id = {item["id"]: item for item in payload["items"]}

    assert payload["meta"]["total_count"] == 3
    for status, page in rounds.items():
        item = by_id[page.pk]
        assert item["status"] == status
        assert item["opens_at"] == page.opens_at.astimezone(
            timezone.get_fixed_timezone(420)
        ).isoformat(timespec="seconds")
        assert item["drafting_unit"] == {"id": unit.pk, "name": "Sở Tư pháp tỉnh Hưng Yên"}
        assert item["field"] == {"id": sector.pk, "name": "Tư pháp"}
        assert item["topics"] == ["thuế", "đất đai"]
        assert item["articles"] == [
            {
                "id": "a1",
                "number": "Điều 1",
                "heading": "Phạm vi điều chỉnh",
                "label": "Điều 1. Phạm vi điều chỉnh",
            }
        ]
        assert item["draft_policy"]["id"] == draft.pk
    assert by_id[rounds["closed"].pk]["downloads"]["csv"].endswith(csv_url(rounds["closed"]))
    assert by_id[rounds["open"].pk]["downloads"] is None
    for status, page in rounds.items():
        assert ids(get_json(client, CONSULTATIONS, status=status)) == [page.pk]
    assert ids(get_json(client, CONSULTATIONS, drafting_unit=unit.pk)) == sorted(
        p.pk for p in rounds.values()
    )
    assert ids(get_json(client, CONSULTATIONS, drafting_unit=unit.pk + 1000)) == []
    assert len(ids(get_json(client, CONSULTATIONS, topic="thuế"))) == 3
    get_json(client, f"{CONSULTATIONS}?status=soon", expect=400)

    policy = get_json(client, f"{POLICIES}{draft.pk}/")
    assert policy["drafting_unit"]["name"] == "Sở Tư pháp tỉnh Hưng Yên"
    assert [c["id"] for c in policy["consultations"]] == [
        rounds["closed"].pk,
        rounds["open"].pk,
        rounds["upcoming"].pk,
    ]
    assert ids(get_json(client, POLICIES, field=sector.pk)) == [draft.pk]
    assert ids(get_json(client, POLICIES, topic="không có")) == []


def test_page_listings_paginate_by_offset(client, index):
    drafts = [factories.make_draft(index) for _ in range(3)]

    first = get_json(client, POLICIES, limit=2)
    second = get_json(client, first["meta"]["next"])

    assert ids(first) + ids(second) == [d.pk for d in drafts]
    assert second["meta"]["next"] is None
    get_json(client, POLICIES, expect=400, limit=101)


# --- Personal data: never, whoever asks ---------------------------------------------------------

SEEDED = {
    "display_name": "Hoàng Văn Riêngtư",
    "email": "rieng.tu.987@example.vn",
    "phone": "0987 654 321",
    "address": "Số 77 ngõ Bí Mật, Hưng Yên",
    "ip_address": "203.0.113.77",
    "user_agent": "AgentBiMat/9.9",
}


def _fingerprints(value):
    """How a seeded value could appear in a body: as is, JSON-escaped, URL-encoded."""
    from urllib.parse import quote, quote_plus

    return {value, json.dumps(value)[1:-1], quote(value), quote_plus(value)}


@pytest.mark.parametrize("logged_in", [False, True])
def test_no_personal_data_in_any_endpoint(client, editor, draft, logged_in):
    assert set(SEEDED) == set(PII_FIELDS)
    consultation = factories.make_round_with_status(draft, "closed")
    comment = factories.make_comment(consultation, publish_name=False, article_id="a1", **SEEDED)
    factories.answer_comments(PublicComment.objects.filter(pk=comment.pk), published=True)
    if logged_in:
        client.force_login(editor)  # a superuser, who may see personal data in the admin

    urls = []
    for base, pk in (
        (COMMENTS, comment.pk),
        (CONSULTATIONS, consultation.pk),
        (POLICIES, draft.pk),
    ):
        for suffix in ("", f"{pk}/"):
            urls.append(base + suffix)
            urls.append(base + suffix + "?fields=*")
            urls.append(base + suffix + "?fields=" + ",".join(PII_FIELDS))
            for name in PII_FIELDS:
                urls.append(f"{base}{suffix}?fields={name}")
                urls.append(f"{base}{suffix}?fields=_,{name}")
                urls.append(f"{base}{suffix}?{name}={SEEDED[name]}")
    urls += [csv_url(consultation), json_url(consultation), "/api/v2/openapi.json"]

    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 400), url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8")
        for field, value in SEEDED.items():
            for fingerprint in _fingerprints(value):
                assert fingerprint not in text, (url, field)
    # The comment itself was served (the test can fail).
    assert comment.body in client.get(f"{COMMENTS}{comment.pk}/").content.decode()


# --- CORS ---------------------------------------------------------------------------------------


def test_cors_on_every_response_and_preflight(client, consultation):
    comment = factories.make_comment(consultation)
    for url in (
        COMMENTS,
        f"{COMMENTS}{comment.pk}/",
        f"{COMMENTS}999999/",
        f"{COMMENTS}?limit=x",
        CONSULTATIONS,
        POLICIES,
        "/api/v2/openapi.json",
        csv_url(consultation),
    ):
        assert client.get(url)["Access-Control-Allow-Origin"] == "*", url
        preflight = client.options(
            url,
            HTTP_ORIGIN="https://data.example.org",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="accept",
        )
        assert preflight.status_code in (200, 204), url
        assert preflight["Access-Control-Allow-Origin"] == "*"
        assert "GET" in preflight["Access-Control-Allow-Methods"]
        assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert client.post(COMMENTS).status_code == 405
    assert "Access-Control-Allow-Credentials" not in client.get(COMMENTS)


def test_openapi_description_is_served(client):
    description = get_json(client, "/api/v2/openapi.json")
    assert description["openapi"].startswith("3.")
    assert description["servers"] == [{"url": "http://testserver/api/v2"}]
    assert "/comments/" in description["paths"]


# --- Bulk downloads -----------------------------------------------------------------------------


def _bulk_fixture(consultation):
    factories.make_comment(
        consultation,
        body="Đề nghị giữ nguyên Điều 1, bổ sung “hộ kinh doanh”.",
        display_name="Phạm Thị Đồng Ý",
        publish_name=True,
        article_id="a1",
        article_heading="Điều 1. Phạm vi điều chỉnh",
        submitted_at=factories.hanoi(2026, 1, 5, 9),
    )
    formula = factories.make_comment(
        consultation, body='=HYPERLINK("http://evil.example","bấm")', publish_name=False
    )
    factories.answer_comments(
        PublicComment.objects.filter(pk=formula.pk), text="Không tiếp thu.", published=True
    )
    factories.make_comment(consultation, status=CommentStatus.PENDING, body="Chưa duyệt QQQ")
    return formula


def test_bulk_csv_of_a_closed_consultation(client, closed):
    formula = _bulk_fixture(closed)

    response = client.get(csv_url(closed))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert len(rows) == 2
    first, second = rows
    assert first["text"] == "Đề nghị giữ nguyên Điều 1, bổ sung “hộ kinh doanh”."
    assert first["author"] == "Phạm Thị Đồng Ý"
    assert first["article_label"] == "Điều 1. Phạm vi điều chỉnh"
    assert first["submitted_at"] == "2026-01-05T09:00:00+07:00"
    assert second["id"] == str(formula.pk)
    assert second["text"] == '\'=HYPERLINK("http://evil.example","bấm")'
    assert second["answer_text"] == "Không tiếp thu."
    assert "QQQ" not in text


def test_bulk_json_of_a_closed_consultation(client, closed):
    formula = _bulk_fixture(closed)

    response = client.get(json_url(closed), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.streaming
    payload = json.loads(b"".join(response.streaming_content).decode("utf-8"))
    assert payload["consultation"]["id"] == closed.pk
    assert payload["consultation"]["status"] == "closed"
    texts = [item["text"] for item in payload["comments"]]
    assert texts == [
        "Đề nghị giữ nguyên Điều 1, bổ sung “hộ kinh doanh”.",
        '=HYPERLINK("http://evil.example","bấm")',  # JSON is data, not a spreadsheet
    ]
    assert payload["comments"][1]["id"] == formula.pk
    assert payload["comments"][1]["answer"]["text"] == "Không tiếp thu."
    # The same item as the API's, without the API's links.
    item = get_json(client, f"{COMMENTS}{formula.pk}/")
    assert payload["comments"][1] == {name: value for name, value in item.items() if name != "meta"}


def test_bulk_csv_starts_before_any_comment_is_read(client, closed):
    factories.make_comment(closed)
    response = client.get(csv_url(closed))
    content = iter(response.streaming_content)

    with CaptureQueriesContext(connection) as queries:
        first = next(content).decode("utf-8")

    assert first == "\ufeff" + ",".join(downloads.CSV_COLUMNS) + "\r\n"
    assert not any("publiccomment" in query["sql"] for query in queries)
    assert len(b"".join(content).decode("utf-8").splitlines()) == 1


def test_bulk_download_of_an_empty_closed_consultation(client, closed):
    assert json.loads(b"".join(client.get(json_url(closed)).streaming_content))["comments"] == []
    text = b"".join(client.get(csv_url(closed)).streaming_content).decode("utf-8")
    assert len(list(csv.reader(io.StringIO(text[1:])))) == 1


@pytest.mark.parametrize("status", ["open", "upcoming"])
def test_bulk_download_refused_before_closing(client, draft, status):
    page = factories.make_round_with_status(draft, status)
    factories.make_comment(page)
    for url in (csv_url(page), json_url(page)):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 409
        assert "once it has closed" in response.content.decode()
        assert response["Access-Control-Allow-Origin"] == "*"


def test_bulk_download_of_an_unpublished_consultation_is_a_404(client, draft):
    page = factories.make_round_with_status(draft, "closed", live=False)
    assert client.get(csv_url(page)).status_code == 404
    assert client.get(json_url(page)).status_code == 404


def test_bulk_download_queries_do_not_grow_with_comments(client, closed):
    factories.make_comment(closed)
    with CaptureQueriesContext(connection) as one:
        b"".join(client.get(json_url(closed)).streaming_content)
    comments = factories.build_comments(closed, 40, article_id="a1")
    PublicComment.objects.bulk_create(comments)
    factories.answer_comments(PublicComment.objects.filter(consultation=closed), published=True)
    with CaptureQueriesContext(connection) as many:
        b"".join(client.get(json_url(closed)).streaming_content)
    assert len(many) <= len(one)


def test_the_consultation_page_links_the_downloads_once_closed(client, draft, closed):
    assert csv_url(closed) in client.get(closed.url).content.decode()
    assert json_url(closed) in client.get(closed.url).content.decode()
    open_round = factories.make_round_with_status(draft, "open", now=timezone.now())
    assert csv_url(open_round) not in client.get(open_round.url).content.decode()
