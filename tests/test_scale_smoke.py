"""The 10,000-comment smoke run (issue 10): every surface a contentious draft loads, at once.

`make bench` measures times at a million comments; this module runs in every CI job
(SQLite and PostgreSQL) and asserts what holds at any size without a clock: the pages
run the same queries with 10 comments or 10,000, an export adds one audit row and a
fixed number of queries per chunk while its memory stays flat, a campaign group is
moderated in committed batches. Nothing here is timed.

The data is what `bench/data.py` builds, at 1%: one consultation with 10,000 comments,
among them a 2,000-member identical campaign (pending), answers on about 5%, two
articles.
"""

import io
import tracemalloc

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests import factories
from wagtail_policycomms import moderation
from wagtail_policycomms.models import CommentStatus, PublicComment, counts
from wagtail_policycomms.views.pagination import cursor_of

pytestmark = [pytest.mark.django_db, pytest.mark.scale]

SIZE = 10_000
CAMPAIGN = 2_000
CAMPAIGN_TEXT = "Đề nghị giữ nguyên mức học phí năm học 2026-2027 cho học sinh vùng khó khăn."
A1 = "00000001-0000-4000-8000-000000000001"
A2 = "00000002-0000-4000-8000-000000000002"
QUEUE = "wagtailsnippets_wagtail_policycomms_publiccomment"
EXPORT = "wagtail_policycomms.export_publiccomment"


@pytest.fixture
def draft(index):
    return factories.make_draft(
        index,
        articles=[
            factories.article("Điều 1", "Phạm vi điều chỉnh", block_id=A1),
            factories.article("Điều 2", "Mức học phí", block_id=A2),
        ],
    )


@pytest.fixture
def consultation(draft):
    return factories.make_round_with_status(draft, "open")


def grow(consultation, total):
    """Bring ``consultation`` to ``total`` comments shaped like the benchmark's data."""
    have = PublicComment.objects.filter(consultation=consultation).count()
    missing = total - have
    campaign = min(missing // 5, CAMPAIGN)
    distinct = missing - campaign
    on_article = distinct // 2
    PublicComment.objects.bulk_create(
        factories.build_comments(consultation, campaign, body=CAMPAIGN_TEXT, status="pending")
        + factories.build_comments(
            consultation, on_article, article_id=A2, article_heading="Điều 2. Mức học phí"
        )
        + factories.build_comments(consultation, distinct - on_article),
        batch_size=1000,
    )
    approved = PublicComment.objects.filter(consultation=consultation, status="approved")
    answered = approved.order_by("pk").values_list("pk", flat=True)[: max(1, missing // 20)]
    factories.answer_comments(PublicComment.objects.filter(pk__in=list(answered)), published=True)
    counts.comments_changed([consultation.pk])  # a bulk load skips save()
    ModelLogEntry.objects.all().delete()
    assert PublicComment.objects.filter(consultation=consultation).count() == total


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def queries_of(client, url, params=None, *, language="en"):
    """The queries of a warm request (the first one fills Wagtail's and our caches)."""
    client.get(url, params or {}, HTTP_ACCEPT_LANGUAGE=language)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response
    return [query["sql"] for query in queries.captured_queries], response


def test_public_page_first_and_deep_pages_run_the_same_queries_with_10_or_10000(
    client, consultation
):
    def measure(rank):
        published = PublicComment.objects.published().filter(consultation=consultation)
        deep_url = f"{consultation.url}?before={cursor_of(published[rank])}"
        first, page = queries_of(client, consultation.url)
        deep, deep_page = queries_of(client, deep_url)
        return first, deep, page, deep_page

    grow(consultation, 10)
    few_first, few_deep, *_ = measure(rank=5)
    grow(consultation, SIZE)
    many_first, many_deep, page, deep_page = measure(rank=7_000)
    assert page.context["comment_counts"] == {"received": SIZE, "published": SIZE - CAMPAIGN}
    assert len(many_first) == len(few_first), many_first
    assert len(many_deep) == len(few_deep), many_deep
    assert not any("OFFSET" in sql.upper() for sql in many_deep if "publiccomment" in sql)
    assert len(deep_page.context["comments_page"].object_list) == 20


def test_queue_pending_list_search_and_article_filter_run_the_same_queries(consultation):
    client = client_for(factories.make_moderator("moderator"))
    url = reverse(f"{QUEUE}:list")
    cases = [
        {"status": "pending"},
        {"q": "học phí"},
        {"consultation": consultation.pk, "article": A2, "status": ""},
    ]
    grow(consultation, 10)
    few = [queries_of(client, url, params)[0] for params in cases]
    grow(consultation, SIZE)
    for params, before in zip(cases, few, strict=True):
        after, response = queries_of(client, url, params)
        assert len(after) == len(before), (params, after)
        assert len(response.context["object_list"]) == 20, params  # a full first page


def test_index_page_and_dashboard_run_the_same_queries_with_10_or_10000(index, consultation):
    moderator = client_for(factories.make_moderator("moderator"))
    public = Client()
    grow(consultation, 10)
    few_index, _ = queries_of(public, index.url)
    few_dashboard, _ = queries_of(moderator, reverse("wagtailadmin_home"))
    grow(consultation, SIZE)
    many_index, response = queries_of(public, index.url)
    many_dashboard, _ = queries_of(moderator, reverse("wagtailadmin_home"))
    assert len(many_index) == len(few_index), many_index
    assert len(many_dashboard) == len(few_dashboard), many_dashboard
    [row] = [row for row in response.context["rows"] if row.get("published_comments")]
    assert row["published_comments"] == SIZE - CAMPAIGN


def export(client, export_format):
    """Stream one export of the whole queue: (content, CSV lines, queries, peak traced memory).

    The CSV is only counted as it streams, as a download would write it to disk; the
    XLSX, a zip, is kept to be opened.
    """
    url = reverse(f"{QUEUE}:list")
    content, lines = bytearray(), 0
    with CaptureQueriesContext(connection) as queries:
        tracemalloc.start()
        try:
            response = client.get(url, {"export": export_format, "status": ""})
            assert response.status_code == 200
            for block in response.streaming_content:
                if export_format == "csv":
                    lines += block.count(b"\r\n")
                else:
                    content += block
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return bytes(content), lines, [query["sql"] for query in queries.captured_queries], peak


def test_exports_of_10000_comments_one_audit_row_fixed_queries_flat_memory(consultation):
    """CSV: a fixed number of queries per 2,000-row chunk and a flat peak (measured on
    SQLite: about 6 MB, the same at 2,000 and 20,000 rows). XLSX: openpyxl's write-only
    mode spills rows to a temporary file; the peak holds a chunk, not the sheet."""
    exporter = client_for(
        factories.make_staff("exporter", ["wagtail_policycomms.view_publiccomment", EXPORT])
    )
    grow(consultation, 2_000)
    _, lines, small_queries, _ = export(exporter, "csv")
    assert lines == 2_000 + 1
    grow(consultation, SIZE)
    cache.clear()
    _, lines, queries, csv_peak = export(exporter, "csv")
    assert lines == SIZE + 1
    chunks = SIZE // 2_000
    # Each further chunk of 2,000 rows costs the same few queries (rows, themes, answers,
    # attachments, group sizes); the size of the table adds none.
    per_chunk = (len(queries) - len(small_queries)) / (chunks - 1)
    assert per_chunk <= 3, queries  # 2 on SQLite
    assert csv_peak < 10_000_000, csv_peak  # 6.1 MB on SQLite, as at 2,000 rows

    xlsx, _, _, xlsx_peak = export(exporter, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == SIZE + 1
    assert xlsx_peak < 12_000_000, xlsx_peak  # 5.7 MB on SQLite; the sheet in memory is more

    entries = ModelLogEntry.objects.filter(action=moderation.LOG_ACTIONS["export"])
    assert entries.count() == 2  # one per export, never one per comment
    assert sorted(entry.data["rows"] for entry in entries) == [SIZE, SIZE]
    assert not any(sql.startswith("UPDATE") and "publiccomment" in sql for sql in queries)


def test_the_campaign_group_is_approved_in_committed_batches(consultation, settings):
    settings.POLICYCOMMS_MODERATION_BATCH_SIZE = 500
    grow(consultation, SIZE)
    client = client_for(factories.make_moderator("moderator"))
    member = PublicComment.objects.filter(body=CAMPAIGN_TEXT).first()
    url = reverse(f"{QUEUE}:group_moderate", args=[member.pk, "approve"])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"seen_statuses": ["pending"]})
    assert response.status_code == 302
    group = PublicComment.objects.filter(text_hash=member.text_hash)
    assert group.count() == CAMPAIGN
    assert set(group.values_list("status", flat=True)) == {CommentStatus.APPROVED}
    updates = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "wagtail_policy')
    ]
    assert len(updates) == CAMPAIGN // 500
    entries = ModelLogEntry.objects.filter(action=moderation.LOG_ACTIONS["approve"])
    assert entries.count() == CAMPAIGN  # the comment's own history, written in chunks
    assert entries.values("uuid").distinct().count() == 1


def test_a_comment_sent_writes_nothing_to_wagtails_reference_index(send, consultation):
    """Comments are out of the reference index: no task, no rows, at any number of them."""
    from wagtail.models import ReferenceIndex

    before = ReferenceIndex.objects.count()
    with CaptureQueriesContext(connection) as queries:
        send()
    assert PublicComment.objects.filter(consultation=consultation).count() == 1
    assert ReferenceIndex.objects.count() == before
    assert not [
        q["sql"] for q in queries.captured_queries if "wagtailcore_referenceindex" in q["sql"]
    ]
