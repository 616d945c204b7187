"""The portable archive: ``policycomms_export_all`` and ``policycomms_import_all``.

A round trip through the real commands: export, wipe the comment tables and the files,
import, export again: the second archive equals the first byte for byte (the manifest's
date aside). Restores are refused, with nothing written, into a database that has comments,
from a damaged archive, or when pages, units or staff accounts are missing. Exports read
in chunks: queries and memory stay flat whatever the number of comments.
"""

import hashlib
import json
import shutil
import subprocess
import tracemalloc
import zipfile
from datetime import UTC, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry, Page

from tests import factories
from wagtail_policycomms import moderation
from wagtail_policycomms.exports import archive
from wagtail_policycomms.exports.archive import export_archive, import_archive
from wagtail_policycomms.models import (
    CommentAttachment,
    CommentResponse,
    CommentTheme,
    PublicComment,
    ReceiptCounter,
)

DATA_FILES = [
    "answers.jsonl",
    "comments.jsonl",
    "attachments.jsonl",
    "themes.jsonl",
    "audit_log.jsonl",
    "page_audit_log.jsonl",
    "consultations.jsonl",
    "SHA256SUMS",
]


@pytest.fixture
def moderator(db):
    return factories.make_moderator("kiemduyet")


@pytest.fixture
def dossier(draft, consultation, moderator):
    """What a consultation accumulates: comments in every state, by a person and an
    organisation, on the draft and on an article, with files, themes, a published answer
    by a named staff member, moderation history and a synthesis report on the page."""
    revision = consultation.latest_revision
    comments = [
        factories.make_comment(
            consultation,
            body="Đề nghị giữ nguyên mức học phí năm học 2026–2027.\nXin cảm ơn.",
            status="pending",
            article_id="a1",
            article_heading="Điều 1. Phạm vi điều chỉnh",
            page_revision=revision,
            phone="0912 345 678",
            address="Số 5 phố Hiến, Hưng Yên",
            ip_address="203.113.1.9",
            submitted_at=timezone.now() - timedelta(days=2, microseconds=123_457),
        ),
        factories.make_comment(
            consultation,
            body="Doanh nghiệp nhỏ cần thời gian chuyển tiếp 12 tháng.",
            status="pending",
            commenter_type="business",
            organisation_name="Công ty TNHH Phố Hiến",
            publish_name=True,
        ),
        factories.make_comment(consultation, body="Quảng cáo dịch vụ.", status="pending"),
        factories.make_comment(consultation, body="=1+1 ô nhiễm", status="unverified"),
    ]
    factories.attach_file(comments[0], "gop-y.pdf")
    factories.attach_file(comments[0], "anh-chup.png", factories.png_bytes(), "image/png")
    factories.attach_file(comments[1], "y-kien.docx", factories.docx_bytes(), "application/msword")
    first_two = PublicComment.objects.filter(pk__in=[c.pk for c in comments[:2]])
    moderation.moderate(first_two, "approve", moderator)
    moderation.moderate(
        PublicComment.objects.filter(pk=comments[2].pk), "reject", moderator, reason="advertising"
    )
    response = moderation.answer(
        first_two,
        moderator,
        disposition="partly_accepted",
        text="Tiếp thu một phần; giữ nguyên Điều 1, giải trình: …",
        answering_unit=factories.make_unit("Phòng Quản lý Công nghệ"),
    )
    moderation.set_answer_published(response, moderator, True)
    factories.tag_comments(first_two, "Học phí", "Doanh nghiệp nhỏ")
    moderation.log_export(None, moderator, "synthesis", {"format": "docx", "rows": 2}, page=draft)
    return comments


def export(path):
    call_command("policycomms_export_all", str(path), stdout=StringIO(), stderr=StringIO())
    return path


def restore(path, *args):
    out, err = StringIO(), StringIO()
    call_command("policycomms_import_all", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def archive_files(path):
    """``{name: bytes}`` of every file of an archive, a directory or a zip."""
    path = Path(path)
    if path.is_dir():
        return {
            str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()
        }
    with zipfile.ZipFile(path) as zipped:
        return {name: zipped.read(name) for name in zipped.namelist()}


def rows_of(files, name):
    return [json.loads(line) for line in files[name].decode().splitlines()]


def wipe():
    """Lose every comment table and file, as a restore starts from (the pages stay)."""
    storage = CommentAttachment._meta.get_field("file").storage
    for name in CommentAttachment.objects.values_list("file", flat=True):
        storage.delete(name)
    for table in archive.TABLES:
        table.queryset().delete()
    ReceiptCounter.objects.all().delete()
    if connection.vendor == "postgresql":
        year = timezone.localtime().year
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SEQUENCE IF EXISTS wagtail_policycomms_receipt_{year}")
    cache.clear()
    assert not archive.existing_comment_data()


def without_date(manifest_bytes):
    manifest = json.loads(manifest_bytes)
    assert manifest.pop("created_at")
    return manifest


# --- The round trip -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["archive", "archive.zip"])
def test_round_trip_gives_the_same_archive_byte_for_byte(
    tmp_path, client, storage_dir, dossier, consultation, name
):
    first = archive_files(export(tmp_path / name))
    stored = {
        a.file.name: a.file.open("rb").read() for a in CommentAttachment.objects.order_by("pk")
    }
    before = {
        "comments": PublicComment.objects.count(),
        "answers": CommentResponse.objects.count(),
        "attachments": CommentAttachment.objects.count(),
        "themes": CommentTheme.objects.count(),
    }
    assert before == {"comments": 4, "answers": 1, "attachments": 3, "themes": 4}

    wipe()
    assert factories.stored_files(storage_dir) == []
    out, err = restore(tmp_path / name)
    assert err == ""
    assert "comments.jsonl: 4 row(s) restored" in out

    second = archive_files(export(tmp_path / f"second-{name}"))
    assert set(second) == set(first)
    for file_name in first:
        if file_name != "manifest.json":
            assert second[file_name] == first[file_name], file_name
    assert without_date(second["manifest.json"]) == without_date(first["manifest.json"])

    # The rows, the files and what the public sees are back.
    assert {
        "comments": PublicComment.objects.count(),
        "answers": CommentResponse.objects.count(),
        "attachments": CommentAttachment.objects.count(),
        "themes": CommentTheme.objects.count(),
    } == before
    for attachment in CommentAttachment.objects.all():
        assert attachment.file.open("rb").read() == stored[attachment.file.name]
    page = client.get(consultation.url).content.decode()
    assert "Doanh nghiệp nhỏ cần thời gian chuyển tiếp 12 tháng." in page
    assert "Tiếp thu một phần; giữ nguyên Điều 1, giải trình: …" in page
    assert "Quảng cáo dịch vụ." not in page


def test_the_archive_holds_every_row_file_and_checksum(tmp_path, dossier, moderator, draft):
    files = archive_files(export(tmp_path / "archive"))
    manifest = json.loads(files["manifest.json"])
    assert manifest["format"] == "wagtail-policycomms-archive"
    assert manifest["package_version"] == "0.1.0"
    assert manifest["pages_matched_by"] == "id"
    assert manifest["requires"]["users"] == ["kiemduyet"]
    rows = {name: d.get("rows") for name, d in manifest["files"].items()}
    assert rows == {
        "answers.jsonl": 1,
        "comments.jsonl": 4,
        "attachments.jsonl": 3,
        "themes.jsonl": 4,
        # approve ×2, reject ×1, answer ×2, answer published ×2
        "audit_log.jsonl": 7,
        "page_audit_log.jsonl": 1,
        "consultations.jsonl": 1,
        "SHA256SUMS": None,
    }
    for name in DATA_FILES:
        assert manifest["files"][name]["sha256"] == hashlib.sha256(files[name]).hexdigest()

    # SHA256SUMS covers every file but itself and the manifest, in sha256sum's format.
    sums = dict(reversed(line.split("  ", 1)) for line in files["SHA256SUMS"].decode().splitlines())
    assert set(sums) == set(files) - {"SHA256SUMS", "manifest.json"}
    for name, digest in sums.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest
    if shutil.which("sha256sum"):
        checked = subprocess.run(
            ["sha256sum", "--check", "--quiet", "SHA256SUMS"],  # noqa: S607
            cwd=tmp_path / "archive",
            capture_output=True,
            check=False,
        )
        assert checked.returncode == 0, checked.stdout

    (comment,) = [r for r in rows_of(files, "comments.jsonl") if r["id"] == dossier[0].pk]
    assert comment["body"] == "Đề nghị giữ nguyên mức học phí năm học 2026–2027.\nXin cảm ơn."
    assert comment["phone"] == "0912 345 678"
    assert comment["moderated_by"] == "kiemduyet"
    assert comment["submitted_at"].endswith("+00:00")
    # Full precision, where Django's own JSON encoder would keep milliseconds.
    assert comment["submitted_at"] == dossier[0].submitted_at.astimezone(UTC).isoformat()
    assert dossier[0].submitted_at.microsecond % 1000
    (answer,) = rows_of(files, "answers.jsonl")
    assert answer["created_by"] == "kiemduyet" and answer["is_published"] is True
    themes = {(r["content_object_id"], r["tag"]) for r in rows_of(files, "themes.jsonl")}
    assert (dossier[0].pk, "Học phí") in themes
    attachments = rows_of(files, "attachments.jsonl")
    for row in attachments:
        assert files[row["archive_path"]] and row["archive_sha256"] == row["sha256"]
    (entry,) = rows_of(files, "page_audit_log.jsonl")
    assert entry["page_id"] == draft.pk and entry["action"] == "wagtail_policycomms.synthesis"

    # The export itself is audited: one entry, after the snapshot (not in the archive).
    logged = ModelLogEntry.objects.filter(action="wagtail_policycomms.export").get()
    assert logged.data == {"format": "archive", "rows": 4, "personal_data": True, "complete": True}


def test_new_comments_after_a_restore_get_new_receipt_codes(tmp_path, send, dossier):
    """The receipt counter of the restored year moves past the restored codes, even in a
    database whose counter (or PostgreSQL sequence) starts again from zero."""
    export(tmp_path / "archive")
    wipe()
    restore(tmp_path / "archive")
    highest = max(c.receipt_code for c in dossier)
    response = send(body="Một góp ý mới sau khi khôi phục dữ liệu.", email="moi@example.vn")
    assert response.status_code == 303
    newest = PublicComment.objects.get(email="moi@example.vn")
    assert newest.receipt_code > highest
    assert PublicComment.objects.count() == 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_export_on_its_own_reads_one_read_only_snapshot(tmp_path, consultation):
    """Outside any transaction (the command), the export opens its own: on PostgreSQL a
    REPEATABLE READ, READ ONLY snapshot, which nothing of the export writes to."""
    factories.make_comment(consultation)
    assert not connection.in_atomic_block
    result = export_archive(tmp_path / "archive.zip")
    assert result.manifest["files"]["comments.jsonl"]["rows"] == 1
    assert ModelLogEntry.objects.filter(action="wagtail_policycomms.export").count() == 1


# --- Refusals -------------------------------------------------------------------------------


def test_a_database_with_comments_is_not_restored_into(tmp_path, dossier):
    export(tmp_path / "archive")
    with pytest.raises(CommandError, match="already holds 4 comments, 1 answers"):
        restore(tmp_path / "archive")
    assert PublicComment.objects.count() == 4


@pytest.mark.parametrize("damaged", ["comments.jsonl", "attachment", "manifest.json"])
def test_a_damaged_archive_is_refused_and_nothing_is_written(
    tmp_path, storage_dir, dossier, damaged
):
    path = export(tmp_path / "archive")
    wipe()
    if damaged == "attachment":
        target = next((path / "attachments").rglob("*.pdf"))
    else:
        target = path / damaged
    content = bytearray(target.read_bytes())
    content[len(content) // 2] ^= 0x01
    target.write_bytes(bytes(content))
    with pytest.raises(CommandError, match="damaged or was changed|not valid JSON"):
        restore(path)
    assert not archive.existing_comment_data()
    assert factories.stored_files(storage_dir) == []


def test_a_zip_with_a_changed_entry_is_refused(tmp_path, dossier):
    original = export(tmp_path / "archive.zip")
    wipe()
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(changed, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "comments.jsonl":
                data = data.replace("Quảng cáo".encode(), "Quảng bá".encode())
            target.writestr(info, data)
    with pytest.raises(CommandError, match="comments.jsonl does not match its checksum"):
        restore(changed)
    assert not archive.existing_comment_data()


def test_missing_pages_refuse_the_restore_and_moved_pages_are_reported(
    tmp_path, home, index, draft, consultation, dossier
):
    path = export(tmp_path / "archive")
    wipe()
    other = factories.make_index(home, title="Dự thảo năm 2027", slug="du-thao-2027")
    Page.objects.get(pk=draft.pk).move(other, pos="last-child")
    out, err = restore(path, "--check")
    assert "moved since the export" in err
    assert not archive.existing_comment_data()

    out, err = restore(path)
    assert f"Consultation page {consultation.pk}: {consultation.url_path}" in err
    assert PublicComment.objects.count() == 4

    wipe()
    Page.objects.get(pk=consultation.pk).delete()
    with pytest.raises(CommandError, match=f"consultation pages do not exist.*{consultation.pk}"):
        restore(path)
    assert not archive.existing_comment_data()


def test_missing_staff_accounts_refuse_the_restore_unless_left_empty(
    tmp_path, storage_dir, dossier, moderator
):
    path = export(tmp_path / "archive")
    wipe()
    moderator.delete()
    with pytest.raises(CommandError, match="staff accounts do not exist in this site: kiemduyet"):
        restore(path)
    assert not archive.existing_comment_data()
    assert factories.stored_files(storage_dir) == []

    out, err = restore(path, "--missing-users", "empty")
    assert "Recorded without the person (no such account): kiemduyet" in err
    assert PublicComment.objects.filter(status="approved", moderated_by=None).count() == 2
    assert CommentResponse.objects.get().created_by is None


def test_export_overwrites_nothing(tmp_path, storage_dir, dossier):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("giữ lại")
    with pytest.raises(CommandError, match="not an empty directory"):
        export(tmp_path / "full")
    assert (tmp_path / "full" / "notes.txt").read_text() == "giữ lại"
    export(tmp_path / "a.zip")
    with pytest.raises(CommandError, match="already exists"):
        export(tmp_path / "a.zip")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.zip", "full", storage_dir.name]


def test_an_unreadable_attachment_stops_the_export_and_leaves_nothing(
    tmp_path, storage_dir, dossier
):
    attachment = CommentAttachment.objects.first()
    attachment.file.storage.delete(attachment.file.name)
    with pytest.raises(CommandError, match=f"Attachment {attachment.pk} .*cannot be read"):
        export(tmp_path / "archive.zip")
    assert sorted(p.name for p in tmp_path.iterdir()) == [storage_dir.name]


# --- Scale ----------------------------------------------------------------------------------


def test_queries_do_not_grow_with_the_number_of_comments(tmp_path, consultation, moderator):
    """Export: one query per table (joins give usernames, content types and tags); import:
    a few per chunk. Measured with 6 and then 60 comments, each with a file, a theme and
    an audit entry: a query per row would add 54 or more."""

    def add(count):
        comments = PublicComment.objects.bulk_create(factories.build_comments(consultation, count))
        for comment in comments:
            factories.attach_file(comment)
        factories.tag_comments(comments, "Học phí")
        moderation.moderate(
            PublicComment.objects.filter(pk__in=[c.pk for c in comments]),
            "reject",
            moderator,
            reason="other",
        )

    def measure(count):
        add(count)
        with CaptureQueriesContext(connection) as exporting:
            export_archive(tmp_path / f"{count}", log=False)
        wipe()
        with CaptureQueriesContext(connection) as importing:
            import_archive(tmp_path / f"{count}", chunk_size=1000)
        wipe()
        return len(exporting), len(importing)

    small, large = measure(6), measure(60)
    assert large[0] == small[0]
    # SQLite binds at most 999 parameters a query, so Django splits the INSERT of 60
    # comments (30 columns each) in two; PostgreSQL takes a chunk in one.
    assert large[1] - small[1] <= (0 if connection.vendor == "postgresql" else 2)


def test_export_memory_stays_flat(tmp_path, consultation):
    """Rows go out a chunk at a time: the peak for 10,000 comments is that of 2,000, not
    five times it (measured on SQLite, chunks of 500: 3.8 MB for both). Holding the rows
    would fail it: 10,000 comments are over 10 MB as dicts."""

    def peak(path):
        tracemalloc.start()
        try:
            export_archive(path, chunk_size=500, log=False)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    PublicComment.objects.bulk_create(factories.build_comments(consultation, 2_000))
    small = peak(tmp_path / "small")
    PublicComment.objects.bulk_create(factories.build_comments(consultation, 8_000))
    large = peak(tmp_path / "large")
    assert (tmp_path / "large" / "comments.jsonl").stat().st_size > 4 * (
        tmp_path / "small" / "comments.jsonl"
    ).stat().st_size
    assert large < small * 1.5, (small, large)
