"""A comment's article reads as it does in the draft today (issue 12, item 3).

Comments follow their article by block id. When the editor inserts an article above,
the comment on "Điều 2" is now on "Điều 3": every screen and file names it so, with
the label it had when the comment was sent ("at the time of comment: Điều 2"); an
article taken out of the draft keeps that label, said to be gone. One rule,
``blocks.comment_article_label``, through one map per draft (``blocks.ArticleLabels``),
so no screen or file reads anything per row.
"""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.factories import soup_of
from tests.test_pages import draft_form_data
from wagtail_policycomms import moderation
from wagtail_policycomms.blocks import ArticleLabels, comment_article_label
from wagtail_policycomms.models import PublicComment
from wagtail_policycomms.synthesis.data import build_synthesis

pytestmark = pytest.mark.django_db

QUEUE = "wagtailsnippets_wagtail_policycomms_publiccomment"
VIEW = "wagtail_policycomms.view_publiccomment"
EXPORT = "wagtail_policycomms.export_publiccomment"

SCOPE = "Điều 1. Phạm vi điều chỉnh"
SUBJECTS_THEN = "Điều 2. Đối tượng áp dụng"
SUBJECTS_NOW = "Điều 3. Đối tượng áp dụng"
IN_FORCE = "Điều 3. Hiệu lực thi hành"
#: The comment on article a2, everywhere, once the new article is in.
MOVED = f"{SUBJECTS_NOW} (at the time of comment: {SUBJECTS_THEN})"
#: The comment on article a3, which the new revision takes out.
GONE = f"{IN_FORCE} (no longer in the draft)"


@pytest.fixture
def draft(index):
    return factories.make_draft(
        index,
        articles=[
            factories.article("Điều 1", "Phạm vi điều chỉnh", block_id="a1"),
            factories.article("Điều 2", "Đối tượng áp dụng", block_id="a2"),
            factories.article("Điều 3", "Hiệu lực thi hành", block_id="a3"),
        ],
    )


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def revise(editor_client, draft, articles):
    """Publish a new revision of ``draft`` through Wagtail's page editor, as an editor does:
    ``articles`` as (block id or None for a new one, number, heading)."""
    data = draft_form_data(draft.drafting_unit, articles, title=draft.title, slug=draft.slug)
    response = editor_client.post(
        reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        {**data, "action-publish": "action-publish"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()


@pytest.fixture
def comments(send, draft, editor, editor_client):
    """Comments sent on Điều 2 (a2) and Điều 3 (a3) through the public form and approved;
    then a new article is inserted at the top and Điều 3 is taken out."""
    for article in ("a2", "a3"):
        assert send(article=article, body=f"Ý kiến về điều {article}.").status_code == 303
    stored = {c.article_id: c for c in PublicComment.objects.all()}
    assert stored["a2"].article_heading == SUBJECTS_THEN  # the snapshot, as sent
    moderation.moderate(PublicComment.objects.all(), "approve", editor)
    revise(
        editor_client,
        draft,
        [(None, "Điều 1", "Giải thích từ ngữ"), ("a1", "Điều 2", "Phạm vi điều chỉnh"),
         ("a2", "Điều 3", "Đối tượng áp dụng")],
    )  # fmt: skip
    assert [(a.id, a.value["number"]) for a in draft.articles][1:] == [
        ("a1", "Điều 2"),
        ("a2", "Điều 3"),
    ]
    return stored


def test_the_rule():
    # The wordings are the active language's: English here, whatever an earlier test left.
    with translation.override("en"):
        current = {"a2": SUBJECTS_NOW}
        assert comment_article_label("", "", current) == ""
        assert comment_article_label("a2", SUBJECTS_NOW, current) == SUBJECTS_NOW
        assert comment_article_label("a2", "", current) == SUBJECTS_NOW
        assert comment_article_label("a2", SUBJECTS_THEN, current) == MOVED
        assert comment_article_label("a3", IN_FORCE, current) == GONE
        assert comment_article_label("a9", "", current) == "a9 (no longer in the draft)"
        assert comment_article_label("a2", SUBJECTS_THEN, None) == SUBJECTS_THEN  # draft unknown
        labels = ArticleLabels(None)
        assert "a2" not in labels and labels.label("a2", SUBJECTS_THEN) == SUBJECTS_THEN


def test_the_public_list_names_the_article_as_it_is_now(client, comments, consultation):
    response = client.get(consultation.url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    shown = {
        node.select_one(".pc-comment-body").get_text(): node.select_one("header")
        for node in soup_of(response).select(".pc-comment")
    }
    moved = shown["Ý kiến về điều a2."]
    assert moved.select_one("a").get_text() == MOVED
    assert moved.select_one("a")["href"].endswith("#article-a2")
    gone = shown["Ý kiến về điều a3."]
    assert gone.select_one("a") is None  # no anchor left to link to
    assert GONE in gone.get_text()
    # The filter offers the article under its label today.
    options = [o.get_text() for o in soup_of(response).select("#comment-article-filter option")]
    assert SUBJECTS_NOW in options and SUBJECTS_THEN not in options


def queue_cells(response):
    """{receipt code: the row's text} of the queue's table."""
    rows = {}
    for row in soup_of(response).select("table tbody tr"):
        text = " ".join(row.get_text(" ").split())
        for code in PublicComment.objects.values_list("receipt_code", flat=True):
            if code in text:
                rows[code] = text
    return rows


def test_the_queue_inspect_and_answer_pages_name_it_as_it_is_now(
    comments, consultation, editor_client
):
    moderator = client_for(factories.make_moderator("moderator"))
    response = moderator.get(reverse(f"{QUEUE}:list"), {"status": ""})
    assert response.status_code == 200
    rows = queue_cells(response)
    assert MOVED in rows[comments["a2"].receipt_code]
    assert GONE in rows[comments["a3"].receipt_code]

    # The queue's article filter: the draft's articles as they are now.
    response = moderator.get(reverse(f"{QUEUE}:list"), {"consultation": consultation.pk})
    choices = dict(response.context["filters"].form.fields["article"].choices)
    assert choices["a2"] == SUBJECTS_NOW and "a3" not in choices

    for comment, label in ((comments["a2"], MOVED), (comments["a3"], GONE)):
        inspect = moderator.get(reverse(f"{QUEUE}:inspect", args=[comment.pk]))
        assert inspect.status_code == 200
        facts = " ".join(soup_of(inspect).select_one("#comment-heading").parent.get_text().split())
        assert f"Article {label} ({comment.article_id})" in facts

        answer = editor_client.get(
            reverse("wagtail_policycomms_admin:answer_comment", args=[comment.pk])
        )
        assert answer.status_code == 200
        assert label in answer.content.decode()


def exported(export_format, **params):
    exporter = client_for(factories.make_staff("exporter", [VIEW, EXPORT]))
    url = reverse(f"{QUEUE}:list")
    response = exporter.get(url, {"export": export_format, "status": "", **params})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    if export_format == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = [["" if c.value is None else c.value for c in row] for row in sheet.iter_rows()]
    heading, *body = rows
    return [dict(zip(heading, row, strict=True)) for row in body]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_exports_name_it_as_it_is_now_with_the_label_at_the_time(comments, export_format):
    rows = {row["Receipt code"]: row for row in exported(export_format)}
    moved, gone = rows[comments["a2"].receipt_code], rows[comments["a3"].receipt_code]
    assert moved["Article"] == MOVED
    assert moved["Article at the time of comment"] == SUBJECTS_THEN
    assert moved["Link to the article"].endswith("#article-a2")
    assert gone["Article"] == GONE
    assert gone["Article at the time of comment"] == IN_FORCE


def test_the_synthesis_sections_are_the_articles_as_they_are_now(comments, consultation):
    report = build_synthesis(consultation)
    assert [(s.article_id, s.heading) for s in report.sections] == [
        ("a2", SUBJECTS_NOW),
        # The report is Vietnamese whatever the admin's language.
        ("a3", f"{IN_FORCE} (không còn trong dự thảo)"),
    ]


# --- No query per row -----------------------------------------------------------------------


def test_queue_and_export_read_each_draft_once_whatever_the_rows(index):
    """Comments on two drafts: the page's drafts are one query, with 2 comments or a full
    page; an export reads them once, with 2 rows or 60."""
    drafts = [
        factories.make_draft(
            index,
            articles=[
                factories.article("Điều 1", "Phạm vi", block_id=f"d{n}-a1"),
                factories.article("Điều 2", "Đối tượng", block_id=f"d{n}-a2"),
            ],
        )
        for n in (1, 2)
    ]
    rounds = [factories.make_round_with_status(d, "open") for d in drafts]

    def grow(count):
        for n, consultation in enumerate(rounds, start=1):
            PublicComment.objects.bulk_create(
                factories.build_comments(
                    consultation, count, article_id=f"d{n}-a2", article_heading="Điều 1. Cũ"
                )
            )

    moderator = client_for(factories.make_moderator("moderator"))
    exporter = client_for(factories.make_staff("exporter", [VIEW, EXPORT]))
    url = reverse(f"{QUEUE}:list")

    def measure():
        moderator.get(url, {"status": ""})  # warm Wagtail's caches
        with CaptureQueriesContext(connection) as listing:
            page = moderator.get(url, {"status": ""})
        with CaptureQueriesContext(connection) as export:
            response = exporter.get(url, {"export": "csv", "status": ""})
            rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        return listing, export, page, rows

    grow(1)
    few_listing, few_export, _, rows = measure()
    assert len(rows) == 1 + 2
    grow(30)
    many_listing, many_export, page, rows = measure()
    assert len(rows) == 1 + 62
    assert len(page.context["object_list"]) == 20
    assert len(many_listing) == len(few_listing), [q["sql"] for q in many_listing]
    assert len(many_export) == len(few_export), [q["sql"] for q in many_export]
    assert {row[3] for row in rows[1:]} == {
        "Điều 2. Đối tượng (at the time of comment: Điều 1. Cũ)"
    }
