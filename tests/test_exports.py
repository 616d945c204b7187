"""Comment exports: every matching comment, Vietnamese intact, formulas neutralised,
personal data only with the permission, refused without the export permission, audited.

Exports are the moderation queue's export buttons (``?export=csv|xlsx``): the queue's
own filters and search decide what is exported.
"""

import codecs
import csv
import io
import tracemalloc

import openpyxl
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry
from wagtail.snippets.views.snippets import IndexView

from tests import factories
from wagtail_policycomms import exports, moderation
from wagtail_policycomms.models import CommentStatus, PublicComment
from wagtail_policycomms.models.comments import CommentAttachment

EXPORT = "wagtail_policycomms.export_publiccomment"
PERSONAL = "wagtail_policycomms.view_personal_data"
VIEW = "wagtail_policycomms.view_publiccomment"
QUEUE = "wagtailsnippets_wagtail_policycomms_publiccomment:list"
ARTICLE_ID = "a1b2c3d4-0000-4000-8000-000000000001"
ARTICLE_HEADING = "Điều 1. Phạm vi điều chỉnh"


@pytest.fixture
def draft(index):
    return factories.make_draft(
        index,
        title="Dự thảo Nghị quyết quy định mức thu phí thẩm định",
        articles=[factories.article("Điều 1", "Phạm vi điều chỉnh", block_id=ARTICLE_ID)],
    )


@pytest.fixture
def consultation(draft):
    return factories.make_round_with_status(draft, "open", title="Lấy ý kiến lần 1")


@pytest.fixture
def exporter(db):
    return factories.make_staff("exporter", [VIEW, EXPORT])


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def export_url(export_format, **params):
    params.setdefault("status", "")  # every status (the queue alone opens on pending)
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse(QUEUE) + f"?export={export_format}&" + query


def content_of(response):
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def csv_rows(user, **params):
    raw = content_of(client_for(user).get(export_url("csv", **params)))
    assert raw.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def xlsx_rows(user, **params):
    response = client_for(user).get(export_url("xlsx", **params))
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    sheet = openpyxl.load_workbook(io.BytesIO(content_of(response))).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def by_column(rows):
    """Rows as dicts keyed by heading, from the heading row."""
    heading, *body = rows
    return [dict(zip(heading, row, strict=True)) for row in body]


def english(label):
    with translation.override("en"):
        return str(label)


# --- Content ----------------------------------------------------------------------------


def test_csv_has_a_bom_and_keeps_vietnamese(exporter, consultation):
    factories.make_comment(consultation, body="Đề nghị bổ sung quy định về miễn, giảm phí.")
    response = client_for(exporter).get(export_url("csv", consultation=consultation.pk))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="gop-y-')
    raw = content_of(response)
    assert raw[:3] == codecs.BOM_UTF8
    text = raw[3:].decode("utf-8")
    assert "Đề nghị bổ sung quy định về miễn, giảm phí." in text
    assert "Dự thảo Nghị quyết quy định mức thu phí thẩm định" in text
    assert "Lấy ý kiến lần 1" in text


def test_every_matching_comment_is_exported_with_status_article_and_answer(
    exporter, consultation, draft
):
    statuses = [CommentStatus.APPROVED, CommentStatus.PENDING, CommentStatus.REJECTED]
    comments = factories.build_comments(consultation, 250)
    for i, comment in enumerate(comments):
        comment.status = statuses[i % 3]
        if i % 2:
            comment.article_id, comment.article_heading = ARTICLE_ID, ARTICLE_HEADING
    PublicComment.objects.bulk_create(comments)
    answered = PublicComment.objects.filter(consultation=consultation, article_id=ARTICLE_ID)
    factories.answer_comments(
        answered, disposition="partly_accepted", text="Tiếp thu một phần.", published=True
    )
    other = factories.make_round_with_status(draft, "closed")
    factories.make_comment(other, body="Ý kiến của một đợt khác, không thuộc bộ lọc.")

    xlsx_sheet = xlsx_rows(exporter, consultation=consultation.pk)
    for rows in (csv_rows(exporter, consultation=consultation.pk), xlsx_sheet):
        exported = by_column(rows)
        assert len(exported) == 250
        stored = {
            c.receipt_code: c for c in PublicComment.objects.filter(consultation=consultation)
        }
        assert {row["Receipt code"] for row in exported} == set(stored)
        for row in exported:
            comment = stored[row["Receipt code"]]
            assert row["Status"] == english(CommentStatus(comment.status).label)
            assert row["Consultation"] == "Lấy ý kiến lần 1"
            assert row["Draft policy"] == draft.title
            submitted = timezone.localtime(comment.submitted_at)
            if rows is xlsx_sheet:  # a date cell on the local clock, to the second
                assert row["Submitted"] == submitted.replace(tzinfo=None, microsecond=0)
            else:
                assert row["Submitted"] == submitted.strftime("%d/%m/%Y %H:%M")
            if comment.article_id:
                assert row["Article"] == ARTICLE_HEADING
                assert row["Link to the article"] == f"{draft.full_url}#article-{ARTICLE_ID}"
                assert row["Answer disposition"] == "Partly accepted"
                assert row["Answer"] == "Tiếp thu một phần."
                assert row["Answer published"] == "Yes"
            else:
                assert row["Article"] in ("", None)
                assert row["Answer"] in ("", None)
                assert row["Answer published"] == "No"


def test_moderation_themes_and_duplicate_groups_are_exported(exporter, consultation, editor):
    from wagtail_policycomms import moderation

    campaign = [factories.make_comment(consultation, body="Giữ nguyên mức phí cũ.") for _ in "abc"]
    lone = factories.make_comment(consultation, body="Một ý kiến riêng.", status="pending")
    moderation.moderate(
        PublicComment.objects.filter(pk=lone.pk),
        "reject",
        editor,
        reason="off_topic",
        note="Lạc đề",
    )
    factories.tag_comments(campaign[:1], "Mức phí", "Doanh nghiệp")

    rows = {row["Receipt code"]: row for row in by_column(csv_rows(exporter))}
    assert rows[campaign[0].receipt_code]["Themes"] == "Doanh nghiệp, Mức phí"
    assert all(rows[c.receipt_code]["Comments with the same text"] == "3" for c in campaign)
    assert rows[lone.receipt_code]["Comments with the same text"] == "1"
    assert rows[lone.receipt_code]["Reason"] == "Not about the draft"
    assert rows[lone.receipt_code]["Moderator's note"] == "Lạc đề"
    assert rows[lone.receipt_code]["Moderator"] == "editor"
    grouped = by_column(csv_rows(exporter, duplicates="grouped"))
    assert sorted(row["Receipt code"] for row in grouped) == sorted(
        c.receipt_code for c in campaign
    )


FORMULAS = ["=SUM(1,2)", "+84912345678 gọi lại", "-1+2", "@cmd|' /C calc'!A0", "\tTab đầu"]


def test_formula_like_cells_are_neutralised_in_csv_and_xlsx(exporter, consultation):
    for body in FORMULAS:
        factories.make_comment(consultation, body=body)
    factories.make_comment(consultation, body="Bình thường, không phải công thức.")

    for rows in (csv_rows(exporter), xlsx_rows(exporter)):
        bodies = {row["Comment"] for row in by_column(rows)}
        assert bodies == {"'" + body for body in FORMULAS} | {"Bình thường, không phải công thức."}

    response = client_for(exporter).get(export_url("xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(content_of(response))).active
    cells = [row[8] for row in sheet.iter_rows(min_row=2)]
    formula = next(cell for cell in cells if "SUM" in cell.value)
    assert formula.data_type == "s"
    assert formula.value == "'=SUM(1,2)"


# --- Personal data ----------------------------------------------------------------------

SECRETS = {
    "display_name": "Trần Thị Kín Đáo",
    "email": "kin.dao@example.vn",
    "phone": "0987 654 321",
    "address": "Số 9 ngõ Vắng, Hưng Yên",
    "ip_address": "203.113.7.0",
    "user_agent": "Mozilla/5.0 (BíMật)",
}
PERSONAL_HEADINGS = ["Email", "Phone", "Address", "IP address", "User agent", "Attachments"]


@pytest.fixture
def private_comment(consultation):
    comment = factories.make_comment(consultation, publish_name=False, **SECRETS)
    attachment = CommentAttachment(
        comment=comment,
        original_name="ho-so-ca-nhan-kin-dao.pdf",
        content_type="application/pdf",
        size=len(factories.pdf_bytes()),
        sha256="0" * 64,
    )
    attachment.file.save("x.pdf", ContentFile(factories.pdf_bytes()), save=False)
    attachment.save()
    return comment


def test_personal_data_is_left_out_without_the_permission(exporter, private_comment):
    for rows in (csv_rows(exporter), xlsx_rows(exporter)):
        assert not set(PERSONAL_HEADINGS) & set(rows[0])
        assert by_column(rows)[0]["Name or organisation"] == "Anonymous"
        text = "\n".join(str(value) for row in rows for value in row if value is not None)
        for secret in [*SECRETS.values(), "ho-so-ca-nhan-kin-dao.pdf"]:
            assert secret not in text
    # Searching by a hidden name would reveal it: names are searched only with the permission.
    assert len(csv_rows(exporter, q="Kín Đáo")) == 1


def test_personal_data_is_exported_with_the_permission(private_comment):
    user = factories.make_staff("dpo", [VIEW, EXPORT, PERSONAL])
    for rows in (csv_rows(user), xlsx_rows(user)):
        assert rows[0][-6:] == PERSONAL_HEADINGS
        row = by_column(rows)[0]
        assert row["Name or organisation"] == "Trần Thị Kín Đáo"
        assert row["Email"] == "kin.dao@example.vn"
        assert row["Phone"] == "0987 654 321"
        assert row["IP address"] == "203.113.7.0"
        assert row["Attachments"] == "ho-so-ca-nhan-kin-dao.pdf"
    assert len(csv_rows(user, q="Kín Đáo")) == 2


# --- Permission, audit, queries ---------------------------------------------------------


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_export_is_refused_without_the_export_permission(consultation, export_format):
    factories.make_comment(consultation)
    moderator = factories.make_staff("moderator", [VIEW, PERSONAL])
    response = client_for(moderator).get(export_url(export_format))
    assert response.status_code == 403
    assert not ModelLogEntry.objects.filter(action="wagtail_policycomms.export").exists()
    anonymous = Client().get(export_url(export_format))
    assert anonymous.status_code == 302  # to the admin login


def only_export_entry():
    """The one audit entry of the export just made (there must be exactly one)."""
    entries = ModelLogEntry.objects.filter(action="wagtail_policycomms.export")
    assert entries.count() == 1
    return entries.get()


def test_an_export_writes_one_audit_entry_not_one_per_comment(exporter, consultation, draft):
    # The issue changed the rule: one entry per export (who, when, format, filters,
    # personal data, rows), never one per exported comment, and no UPDATE of the comments.
    exported = [factories.make_comment(consultation) for _ in range(4)]
    factories.make_comment(factories.make_round_with_status(draft, "closed"))
    before = timezone.now()
    content_of(client_for(exporter).get(export_url("xlsx", consultation=consultation.pk)))

    entry = only_export_entry()
    assert entry.user == exporter
    assert entry.timestamp >= before
    assert entry.data["format"] == "xlsx"
    assert entry.data["filters"] == {"consultation": str(consultation.pk), "status": ""}
    assert entry.data["rows"] == 4
    assert entry.data["personal_data"] is False
    assert entry.data["complete"] is True
    assert entry.content_type.model_class() is PublicComment
    assert entry.object_id == moderation.EXPORT_OBJECT_ID
    assert not PublicComment.objects.filter(last_action__isnull=False).exists()
    assert not ModelLogEntry.objects.filter(object_id__in=[str(c.pk) for c in exported]).exists()


def test_a_csv_export_is_audited_once_with_its_row_count_and_personal_data(consultation):
    PublicComment.objects.bulk_create(factories.build_comments(consultation, 7))
    user = factories.make_staff("dpo", [VIEW, EXPORT, PERSONAL])
    assert len(csv_rows(user, q="Ý kiến")) == 8
    entry = only_export_entry()
    assert entry.user == user
    assert entry.data == {
        "format": "csv",
        "filters": {"q": "Ý kiến", "status": ""},
        "personal_data": True,
        "rows": 7,
        "complete": True,
    }
    with translation.override("en"):
        assert entry.message == "7 comments exported as CSV, with personal data"


def test_exports_show_in_the_site_history(exporter, consultation, editor_client):
    factories.make_comment(consultation)
    content_of(client_for(exporter).get(export_url("csv")))
    content_of(client_for(exporter).get(export_url("xlsx")))
    response = editor_client.get(reverse("wagtailadmin_reports:site_history"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 comment exported as CSV" in html
    assert "1 comment exported as XLSX" in html
    filtered = editor_client.get(
        reverse("wagtailadmin_reports:site_history"),
        {"action": "wagtail_policycomms.export"},
    )
    assert filtered.status_code == 200
    assert "1 comment exported as CSV" in filtered.content.decode()


def test_the_csv_headings_are_sent_before_any_query_and_the_entry_when_rows_start(
    exporter, consultation
):
    PublicComment.objects.bulk_create(factories.build_comments(consultation, 3))
    response = client_for(exporter).get(export_url("csv"))
    content = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        first = next(content)
    assert len(queries) == 0
    heading = [str(c.heading) for c in exports.export_columns(False)]
    assert first == (exports.BOM + ",".join(heading) + "\r\n").encode("utf-8")
    assert not ModelLogEntry.objects.filter(action="wagtail_policycomms.export").exists()
    rest = b"".join(content)
    assert rest.count(b"\r\n") == 3
    assert only_export_entry().data["rows"] == 3


def test_an_interrupted_csv_export_is_audited_as_incomplete(exporter, consultation):
    PublicComment.objects.bulk_create(
        factories.build_comments(consultation, 3000, body="Ý kiến dài " * 30)
    )
    request = RequestFactory().get("/", {"export": "csv"})
    request.user = exporter
    response = QueueIndexView.as_view()(request)
    content = iter(response.streaming_content)
    next(content)  # headings
    assert next(content).count(b"\r\n") < 3000  # a first block of rows, not all of them
    # What the server does when the client goes away; the database connection is kept
    # open (as the test client does around a streamed response) for the test's transaction.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    entry = only_export_entry()
    assert entry.data["complete"] is False
    assert 0 < entry.data["rows"] < 3000
    with translation.override("en"):
        assert entry.message.startswith("Export as CSV interrupted after ")


def test_invalid_filter_is_refused_rather_than_exporting_everything(exporter, consultation):
    factories.make_comment(consultation)
    for bad in ({"consultation": "abc"}, {"status": "published"}, {"submitted_from": "hôm qua"}):
        response = client_for(exporter).get(export_url("csv", **bad))
        assert response.status_code == 400


def export_queries(user, consultation, count, **kwargs):
    """Every query of a CSV export of ``count`` comments, the audit entry included.

    The first two comments always share their text: the queue's filter form lists the
    consultation's duplicate groups (one more query when there is any), which is the
    listing's cost, not the export's."""
    PublicComment.objects.filter(consultation=consultation).delete()
    comments = factories.build_comments(consultation, count, **kwargs)
    comments[1].body, comments[1].text_hash = comments[0].body, comments[0].text_hash
    PublicComment.objects.bulk_create(comments)
    comments = PublicComment.objects.filter(consultation=consultation)
    factories.answer_comments(
        comments.filter(pk__in=list(comments.values_list("pk", flat=True)[: count // 2]))
    )
    factories.tag_comments(list(comments), "Mức phí")
    ModelLogEntry.objects.all().delete()
    client = client_for(user)
    cache.clear()  # Wagtail caches the site root paths: measure every run cold
    with CaptureQueriesContext(connection) as queries:
        rows = content_of(client.get(export_url("csv", consultation=consultation.pk)))
    assert rows.decode("utf-8-sig").count("\r\n") == count + 1
    assert only_export_entry().data["rows"] == count
    return [q["sql"] for q in queries]


def test_csv_query_count_does_not_grow_with_the_rows_or_the_groups(consultation):
    user = factories.make_staff("dpo", [VIEW, EXPORT, PERSONAL])
    few = export_queries(user, consultation, 5)
    many = export_queries(user, consultation, 300)
    one_group = export_queries(user, consultation, 300, body="Giữ nguyên mức phí cũ.")
    assert len(many) == len(few), many
    assert len(one_group) == len(few), one_group
    assert sum("INSERT INTO" in sql for sql in many) == 1  # the one audit entry
    assert not any("UPDATE" in sql and "publiccomment" in sql for sql in many)


def test_group_size_is_the_whole_group_when_the_export_is_filtered(exporter, consultation):
    campaign = [factories.make_comment(consultation, body="Giữ nguyên mức phí cũ.") for _ in "ab"]
    pending = factories.make_comment(consultation, body="Giữ nguyên mức phí cũ.", status="pending")
    rows = by_column(csv_rows(exporter, status="pending"))
    assert [row["Receipt code"] for row in rows] == [pending.receipt_code]
    assert rows[0]["Comments with the same text"] == "3"
    assert len(campaign) == 2


@pytest.mark.scale
def test_csv_memory_stays_flat_while_streaming_20000_rows(exporter, consultation):
    """Streaming holds one chunk (2,000 rows of values, their cells, a 64 KB block), never
    the export. Measured with tracemalloc while the rows stream (SQLite): a peak of 5.1 MB
    for 5,000 rows and 5.2 MB for 20,000, flat; the bound adds room for drivers and
    allocators. Holding the rows would fail it: the 20,000-row file alone is 4.6 MB of
    bytes (twice that as str), its rows as values or model instances tens of MB."""
    PublicComment.objects.bulk_create(factories.build_comments(consultation, 20_000))
    response = client_for(exporter).get(export_url("csv"))
    tracemalloc.start()
    try:
        size = lines = 0
        for block in response.streaming_content:
            size += len(block)
            lines += block.count(b"\r\n")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert lines == 20_001
    assert size > 4_000_000
    assert peak < 8_000_000, peak


# --- The mixin on a Wagtail listing -------------------------------------------------------


class QueueIndexView(exports.CommentExportMixin, IndexView):
    """How the moderation queue uses the mixin: first, on a snippet IndexView."""

    model = PublicComment
    index_url_name = "wagtailadmin_home"
    index_results_url_name = "wagtailadmin_home"


def test_mixin_exports_the_whole_listing_of_a_snippet_index_view(consultation):
    PublicComment.objects.bulk_create(factories.build_comments(consultation, 30))
    request = RequestFactory().get("/", {"export": "csv"})
    request.user = factories.make_staff("exporter", [VIEW, EXPORT])
    response = QueueIndexView.as_view(paginate_by=10)(request)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith(exports.BOM)
    assert len(list(csv.reader(io.StringIO(text)))) == 31
    entry = only_export_entry()  # one entry for the export (it was one per comment)
    assert entry.data["rows"] == 30
    assert entry.user == request.user

    request.user = factories.make_staff("viewer", [VIEW])
    assert QueueIndexView.as_view()(request).status_code == 403
