"""The portable archive of every comment: exported, verified, restored.

``export_archive`` writes every comment, attachment (the files themselves), answer, theme
and audit entry of the package to a directory or a ``.zip``:

- one JSON Lines file per model, in ``TABLES``: ``answers.jsonl``, ``comments.jsonl``,
  ``attachments.jsonl``, ``themes.jsonl``, ``audit_log.jsonl`` (Wagtail's
  ``ModelLogEntry`` rows of those models) and ``page_audit_log.jsonl`` (the package's own
  ``PageLogEntry`` rows: exports and synthesis reports of a page); and
  ``consultations.jsonl``, the consultation pages the rows belong to (id, URL path, title);
- the attachment files under ``attachments/``, by their storage name;
- ``SHA256SUMS`` (every file, in ``sha256sum -c`` format) and ``manifest.json``: format
  and package version, date, rows and SHA-256 of each JSON Lines file and of
  ``SHA256SUMS``, and the units and staff accounts the rows refer to. Each row of
  ``attachments.jsonl`` carries its file's path and SHA-256 in the archive, so a restore
  checks every file while holding no list of them.

Rows are read with ``values()`` and ``iterator(chunk_size=...)`` (joins give the names of
users, content types and tags: never a query per row) and written a chunk at a time, so
memory stays flat whatever the number of comments. Every table is read in one
transaction, on PostgreSQL a REPEATABLE READ snapshot: a comment sent during the export is
left out whole, never half (an attachment without its comment).

``import_archive`` restores an archive into a database without comments. It checks the
manifest and the SHA-256 of every file first, then the pages, units and staff accounts the
rows need, and writes everything in one transaction (the attachment files are removed again
if anything fails). Pages are matched **by page id**, the key every row holds: a restore
goes into the same site (a copy of its pages, or the site after the comment tables were
lost), where page ids are stable while URL paths change when pages move; a consultation
whose URL path differs is reported, a missing one refuses the restore. Comments, answers,
attachments and themes keep their ids (audit entries and answers refer to them); audit
entries get new ids in their original order. Staff accounts are matched by username.

Restoring then exporting again gives the same files, byte for byte; only the manifest's
date differs (tests/test_archive.py).
"""

import hashlib
import json
import os
import re
import shutil
import tempfile
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path, PurePosixPath

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import File
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models.functions import Greatest
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import ModelLogEntry, PageLogEntry, Revision

from .. import __version__
from ..conf import policycomms_settings
from ..models import (
    CommentAttachment,
    CommentResponse,
    CommentTheme,
    ConsultationPage,
    PublicComment,
    ReceiptCounter,
    Unit,
    counts,
)

FORMAT = "wagtail-policycomms-archive"
FORMAT_VERSION = 1
CHUNK_SIZE = 2000
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
CONSULTATIONS = "consultations.jsonl"
ATTACHMENT_FOLDER = "attachments"
#: Files are copied a block at a time: memory stays flat for large attachments.
BLOCK = 1024 * 1024
#: The models whose Wagtail audit entries (``ModelLogEntry``) belong in the archive.
LOGGED_MODELS = (PublicComment, CommentResponse, CommentAttachment, CommentTheme)
#: The package's own page audit entries; Wagtail's (created, published, moved) stay
#: with the pages, which the archive does not hold.
PAGE_ACTION_PREFIX = "wagtail_policycomms."


class ArchiveError(Exception):
    """Why an archive was not written or not restored; nothing was changed."""


# --- Rows as JSON ---------------------------------------------------------------------------


def _json_value(value):
    """Times in UTC at full precision (DjangoJSONEncoder cuts them to milliseconds)."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(UTC)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _line(row):
    """One row, one line: keys sorted, so the same data always gives the same bytes."""
    text = json.dumps(
        row, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_json_value
    )
    return text + "\n"


@dataclass(frozen=True)
class Column:
    """One key of a row: the model field, the ``values()`` lookups that read it, and how it
    is written: ``value`` (as stored; other foreign keys by id), ``user`` (username),
    ``content_type`` (``app_label.model``), ``tag`` and ``tag_slug``."""

    key: str
    field: models.Field
    lookups: tuple
    kind: str = "value"


def _columns(model, keep_pk):
    user_model = get_user_model()
    columns = []
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key and not keep_pk:
            continue
        name = model_field.name
        target = model_field.related_model if model_field.is_relation else None
        if target is user_model:
            lookup = f"{name}__{user_model.USERNAME_FIELD}"
            columns.append(Column(name, model_field, (lookup,), "user"))
        elif target is ContentType:
            lookups = (f"{name}__app_label", f"{name}__model")
            columns.append(Column(name, model_field, lookups, "content_type"))
        elif target is Tag:
            columns.append(Column(name, model_field, (f"{name}__name",), "tag"))
            columns.append(Column("tag_slug", model_field, (f"{name}__slug",), "tag_slug"))
        else:
            columns.append(Column(model_field.attname, model_field, (model_field.attname,)))
    return columns


@dataclass(frozen=True)
class Table:
    """One JSON Lines file: a model, which of its rows, in a stable order."""

    file: str
    model: type
    #: Audit entries share Wagtail's tables with other entries: they get new ids.
    keep_pk: bool = True

    @property
    def columns(self):
        return _columns(self.model, self.keep_pk)

    def queryset(self):
        if self.model is ModelLogEntry:
            types = ContentType.objects.get_for_models(*LOGGED_MODELS).values()
            rows = ModelLogEntry.objects.filter(content_type__in=list(types))
        elif self.model is PageLogEntry:
            rows = PageLogEntry.objects.filter(action__startswith=PAGE_ACTION_PREFIX)
        else:
            rows = self.model._default_manager.all()
        return rows.order_by(*(("pk",) if self.keep_pk else ("timestamp", "pk")))

    def rows(self, chunk_size):
        """The rows as dicts ready for JSON, read ``chunk_size`` at a time.

        Close the generator when stopping early: that closes the query's cursor (a
        server-side cursor on PostgreSQL) while its transaction is still open.
        """
        columns = self.columns
        lookups = [lookup for column in columns for lookup in column.lookups]
        values_iterator = self.queryset().values(*lookups).iterator(chunk_size=chunk_size)
        try:
            for values in values_iterator:
                row = {}
                for column in columns:
                    if column.kind == "content_type":
                        app_label, model = (values[lookup] for lookup in column.lookups)
                        row[column.key] = f"{app_label}.{model}" if app_label else None
                    else:
                        row[column.key] = values[column.lookups[0]]
                yield row
        finally:
            values_iterator.close()


#: In the order a restore writes them (answers before the comments that point to them).
TABLES = (
    Table("answers.jsonl", CommentResponse),
    Table("comments.jsonl", PublicComment),
    Table("attachments.jsonl", CommentAttachment),
    Table("themes.jsonl", CommentTheme),
    Table("audit_log.jsonl", ModelLogEntry, keep_pk=False),
    Table("page_audit_log.jsonl", PageLogEntry, keep_pk=False),
)
#: Every file the manifest gives a checksum of.
DATA_FILES = (*(table.file for table in TABLES), CONSULTATIONS, CHECKSUMS)


def _attachment_storage():
    return CommentAttachment._meta.get_field("file").storage


def _archive_path(storage_name):
    return f"{ATTACHMENT_FOLDER}/{storage_name}"


# --- Writing an archive ---------------------------------------------------------------------


class _HashingWriter:
    """A file being written, counted and hashed as it goes."""

    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data):
        self.digest.update(data)
        self.size += len(data)
        self.raw.write(data)

    def close(self):
        self.raw.close()
        return {"bytes": self.size, "sha256": self.digest.hexdigest()}


class _DirectorySink:
    def __init__(self, root):
        self.root = Path(root)

    def open(self, name, *, alone=False):
        path = self.root.joinpath(*PurePosixPath(name).parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.open("xb")

    def close(self):
        pass


class _ZipSink:
    """A zip takes one entry at a time: files written ``alone`` (an attachment, copied in
    one go) go straight in; the others (a JSON Lines file, written while attachments are
    copied; ``SHA256SUMS``, open throughout) are spooled to a temporary file on disk and
    added when closed."""

    def __init__(self, path, moment):
        self.zip = zipfile.ZipFile(path, "x", compression=zipfile.ZIP_DEFLATED, allowZip64=True)
        self.date_time = timezone.localtime(moment).timetuple()[:6]

    def entry(self, name):
        info = zipfile.ZipInfo(name, date_time=self.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        return self.zip.open(info, "w", force_zip64=True)

    def open(self, name, *, alone=False):
        return self.entry(name) if alone else _SpooledEntry(self, name)

    def close(self):
        self.zip.close()


class _SpooledEntry:
    def __init__(self, sink, name):
        self.sink = sink
        self.name = name
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()

    def write(self, data):
        self.file.write(data)

    def close(self):
        self.file.seek(0)
        with self.sink.entry(self.name) as entry:
            shutil.copyfileobj(self.file, entry, BLOCK)
        self.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@dataclass
class ExportResult:
    path: Path
    manifest: dict
    warnings: list = field(default_factory=list)


def export_archive(destination, *, chunk_size=CHUNK_SIZE, log=True):
    """Write the archive to ``destination``: a ``.zip`` file, else a directory.

    Overwrites nothing: the zip must not exist, the directory must not exist or be
    empty. The archive is built beside it and moved into place once complete, so an
    export that fails leaves nothing behind. With ``log``, one audit entry records the
    export (``moderation.log_export``), written after the snapshot.
    """
    destination = Path(destination)
    as_zip = destination.suffix.lower() == ".zip"
    if as_zip and destination.exists():
        raise ArchiveError(f"{destination} already exists: choose a new file name.")
    if (
        not as_zip
        and destination.exists()
        and (not destination.is_dir() or any(destination.iterdir()))
    ):
        raise ArchiveError(f"{destination} exists and is not an empty directory.")
    if not destination.parent.is_dir():
        raise ArchiveError(f"The folder {destination.parent} does not exist.")

    moment = timezone.now()
    partial = destination.with_name(f".{destination.name}.{uuid.uuid4().hex}.partial")
    try:
        if as_zip:
            sink = _ZipSink(partial, moment)
        else:
            partial.mkdir()
            sink = _DirectorySink(partial)
        try:
            with transaction.atomic():
                _read_from_one_snapshot()
                exporter = _Exporter(sink, chunk_size)
                manifest = exporter.write(moment)
        finally:
            sink.close()
        if not as_zip and destination.exists():
            destination.rmdir()
        os.replace(partial, destination)
    except BaseException:
        if partial.is_dir():
            shutil.rmtree(partial)
        elif partial.exists():
            partial.unlink()
        raise
    if log:
        from ..moderation import log_export

        rows = manifest["files"]["comments.jsonl"]["rows"]
        log_export(
            None,
            None,
            "export",
            {"format": "archive", "rows": rows, "personal_data": True, "complete": True},
        )
    return ExportResult(destination, manifest, exporter.warnings)


def _read_from_one_snapshot():
    """On PostgreSQL, make the transaction the export just opened a REPEATABLE READ
    snapshot (SQLite's read transaction is one already). Inside an outer transaction
    (tests, a caller's own), the export reads as that one does."""
    if connection.vendor != "postgresql" or len(connection.atomic_blocks) > 1:
        return
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


class _Exporter:
    """Writes the files of one archive into a sink, table by table."""

    def __init__(self, sink, chunk_size):
        self.sink = sink
        self.chunk_size = chunk_size
        self.storage = _attachment_storage()
        self.warnings = []
        self.consultations = set()
        self.units = set()
        self.users = set()
        self.attachment_bytes = 0

    def write(self, moment):
        self.sums = _HashingWriter(self.sink.open(CHECKSUMS))
        files = {}
        for table in TABLES:
            files[table.file] = self._write_table(table)
        files[CONSULTATIONS] = self._write_consultations()
        files[CHECKSUMS] = self.sums.close()
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "package_version": __version__,
            "created_at": _json_value(moment),
            "pages_matched_by": "id",
            "files": files,
            "attachments": {
                "files": files["attachments.jsonl"]["rows"],
                "bytes": self.attachment_bytes,
            },
            "requires": {"units": sorted(self.units), "users": sorted(self.users)},
        }
        with self.sink.open(MANIFEST) as raw:
            text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
            raw.write((text + "\n").encode())
        return manifest

    def _checksum(self, name, digest):
        self.sums.write(f"{digest}  {name}\n".encode())

    def _write_lines(self, name, rows):
        out = _HashingWriter(self.sink.open(name))
        count = 0
        chunk = []
        for row in rows:
            chunk.append(_line(row))
            count += 1
            if len(chunk) >= self.chunk_size:
                out.write("".join(chunk).encode())
                chunk = []
        out.write("".join(chunk).encode())
        described = {"rows": count, **out.close()}
        self._checksum(name, described["sha256"])
        return described

    def _write_table(self, table):
        source = table.rows(self.chunk_size)
        try:
            rows = self._referenced(table, source)
            if table.model is CommentAttachment:
                rows = (self._with_file(row) for row in rows)
            return self._write_lines(table.file, rows)
        finally:
            source.close()

    def _referenced(self, table, rows):
        """Note the pages, units and staff accounts the rows point to, for the manifest and
        for checking a target database before a restore."""
        kinds = [(column.key, column.kind, column.field.related_model) for column in table.columns]
        for row in rows:
            for key, kind, target in kinds:
                value = row[key]
                if value is None:
                    continue
                if kind == "user":
                    self.users.add(value)
                elif target is ConsultationPage:
                    self.consultations.add(value)
                elif target is Unit:
                    self.units.add(value)
            yield row

    def _with_file(self, row):
        """Copy an attachment's file into the archive; the row says where, and its hash."""
        name = row["file"]
        path = _archive_path(name)
        try:
            source = self.storage.open(name, "rb")
        except (FileNotFoundError, OSError) as error:
            raise ArchiveError(
                f"Attachment {row['id']} ({row['original_name']}): its file {name} cannot be "
                f"read from storage ({error}). Nothing was written."
            ) from error
        out = _HashingWriter(self.sink.open(path, alone=True))
        with source:
            while block := source.read(BLOCK):
                out.write(block)
        described = out.close()
        self._checksum(path, described["sha256"])
        self.attachment_bytes += described["bytes"]
        if described["sha256"] != row["sha256"]:
            self.warnings.append(
                f"Attachment {row['id']} ({row['original_name']}): the stored file differs "
                "from the one received (SHA-256); archived as stored."
            )
        return {**row, "archive_path": path, "archive_sha256": described["sha256"]}

    def _write_consultations(self):
        pages = (
            ConsultationPage.objects.filter(pk__in=sorted(self.consultations))
            .order_by("pk")
            .values_list("pk", "url_path", "title")
        )
        rows = (
            {"id": pk, "url_path": url_path, "title": title}
            for pk, url_path, title in pages.iterator(chunk_size=self.chunk_size)
        )
        return self._write_lines(CONSULTATIONS, rows)


# --- Reading an archive ---------------------------------------------------------------------


class _DirectorySource:
    def __init__(self, root):
        self.root = Path(root).resolve()

    def open(self, name):
        path = self.root.joinpath(*PurePosixPath(name).parts).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ArchiveError(f"The archive has no file {name}.")
        return path.open("rb")

    def close(self):
        pass


class _ZipSource:
    """Entries are read in place, by name: nothing is extracted, no path can escape."""

    def __init__(self, path):
        try:
            self.zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile as error:
            raise ArchiveError(f"{path} is not a zip archive ({error}).") from error

    def open(self, name):
        try:
            return self.zip.open(name)
        except KeyError:
            raise ArchiveError(f"The archive has no file {name}.") from None

    def close(self):
        self.zip.close()


def _open_source(source):
    source = Path(source)
    if source.is_dir():
        return _DirectorySource(source)
    if source.is_file():
        return _ZipSource(source)
    raise ArchiveError(f"{source} does not exist.")


def _sha256(stream):
    """``(hex digest, bytes, lines)`` of a stream, read a block at a time."""
    digest = hashlib.sha256()
    size = lines = 0
    with stream:
        while block := stream.read(BLOCK):
            digest.update(block)
            size += len(block)
            lines += block.count(b"\n")
    return digest.hexdigest(), size, lines


def _rows(archive, name):
    with archive.open(name) as stream:
        for number, line in enumerate(stream, start=1):
            try:
                yield json.loads(line)
            except ValueError as error:
                raise ArchiveError(f"{name}, line {number}: not valid JSON ({error}).") from None


def read_manifest(archive):
    try:
        with archive.open(MANIFEST) as stream:
            manifest = json.load(stream)
    except ValueError as error:
        raise ArchiveError(f"{MANIFEST} is not valid JSON ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"This is not a {FORMAT} ({MANIFEST} does not say so).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(
            f"The archive is in format version {manifest.get('format_version')}; this "
            f"version of the package reads version {FORMAT_VERSION}."
        )
    missing = [name for name in DATA_FILES if name not in manifest.get("files", {})]
    if missing:
        raise ArchiveError(f"{MANIFEST} lists no checksum for {', '.join(missing)}.")
    return manifest


def verify_archive(archive, manifest):
    """Every file against its SHA-256: the data files against the manifest, each attachment
    against its row (whose file is checked first). Raises ArchiveError at the first
    difference. Streams: memory stays flat whatever the archive's size."""
    for name in DATA_FILES:
        expected = manifest["files"][name]
        digest, size, lines = _sha256(archive.open(name))
        if digest != expected["sha256"] or size != expected["bytes"]:
            raise ArchiveError(
                f"{name} does not match its checksum in {MANIFEST}: the archive is damaged "
                "or was changed. Nothing was imported."
            )
        if "rows" in expected and lines != expected["rows"]:
            raise ArchiveError(
                f"{name} has {lines} rows, {MANIFEST} says {expected['rows']}: the archive "
                "is damaged or was changed. Nothing was imported."
            )
    for row in _rows(archive, "attachments.jsonl"):
        path = row.get("archive_path")
        if path != _archive_path(row.get("file")):
            raise ArchiveError(f"Attachment {row.get('id')}: unexpected archive path {path!r}.")
        digest, _size, _lines = _sha256(archive.open(path))
        if digest != row.get("archive_sha256"):
            raise ArchiveError(
                f"{path} does not match its checksum: the archive is damaged or was changed. "
                "Nothing was imported."
            )


# --- Restoring ------------------------------------------------------------------------------


@dataclass
class ImportResult:
    counts: dict
    warnings: list = field(default_factory=list)


def existing_comment_data():
    """What the database already holds of what an archive restores: ``{label: count}``."""
    found = {
        "comments": PublicComment.objects.count(),
        "answers": CommentResponse.objects.count(),
        "attachments": CommentAttachment.objects.count(),
        "themes": CommentTheme.objects.count(),
        "audit entries": sum(table.queryset().count() for table in TABLES if not table.keep_pk),
    }
    return {label: count for label, count in found.items() if count}


def import_archive(source, *, chunk_size=CHUNK_SIZE, missing_users="refuse", check_only=False):
    """Restore the archive at ``source`` (a directory or a zip) into this database.

    Refused, with nothing changed, when the database already holds comments, answers or
    their audit entries, when a file does not match its checksum, when a consultation
    page or a unit the rows need does not exist (matched by id), or when a staff account
    does not (matched by username; ``missing_users="empty"`` records those rows without
    the person instead). Everything is written in one transaction. With ``check_only``,
    every check is made and nothing is written.
    """
    archive = _open_source(source)
    try:
        manifest = read_manifest(archive)
        verify_archive(archive, manifest)
        found = existing_comment_data()
        if found:
            held = ", ".join(f"{count} {label}" for label, count in found.items())
            raise ArchiveError(
                f"This database already holds {held}. An archive is restored only into a "
                "database without comments; nothing was imported."
            )
        importer = _Importer(archive, manifest, chunk_size, missing_users)
        importer.check_target()
        if check_only:
            rows = {table.file: manifest["files"][table.file]["rows"] for table in TABLES}
            return ImportResult(rows, importer.warnings)
        return importer.run()
    finally:
        archive.close()


class _Importer:
    def __init__(self, archive, manifest, chunk_size, missing_users):
        if missing_users not in ("refuse", "empty"):
            raise ValueError(f"missing_users must be 'refuse' or 'empty', not {missing_users!r}")
        self.archive = archive
        self.manifest = manifest
        self.chunk_size = chunk_size
        self.missing_users = missing_users
        self.warnings = []
        self.users = {}
        self.tags = {}
        self.saved_files = []
        self.receipts = {}
        self.consultations = set()
        self.revisions_missing = 0

    def check_target(self):
        """The pages, units and staff accounts the rows need, before anything is written."""
        missing, moved = [], []
        for chunk in _chunks(_rows(self.archive, CONSULTATIONS), self.chunk_size):
            found = dict(
                ConsultationPage.objects.filter(pk__in=[row["id"] for row in chunk]).values_list(
                    "pk", "url_path"
                )
            )
            for row in chunk:
                if row["id"] not in found:
                    missing.append(f"{row['id']} ({row['url_path']})")
                elif found[row["id"]] != row["url_path"]:
                    moved.append(f"{row['id']}: {row['url_path']} → {found[row['id']]}")
        if missing:
            raise ArchiveError(
                "These consultation pages do not exist in this site (matched by page id): "
                f"{'; '.join(missing)}. Restore the pages first; nothing was imported."
            )
        for line in moved:
            self.warnings.append(f"Consultation page {line} (moved since the export).")

        units = self.manifest["requires"]["units"]
        present = set(Unit.objects.filter(pk__in=units).values_list("pk", flat=True))
        if absent := [str(pk) for pk in units if pk not in present]:
            raise ArchiveError(
                f"These units (by id) do not exist in this site: {', '.join(absent)}. "
                "Nothing was imported."
            )

        user_model = get_user_model()
        usernames = self.manifest["requires"]["users"]
        self.users = dict(
            user_model._default_manager.filter(
                **{f"{user_model.USERNAME_FIELD}__in": usernames}
            ).values_list(user_model.USERNAME_FIELD, "pk")
        )
        if absent := [name for name in usernames if name not in self.users]:
            if self.missing_users == "refuse":
                raise ArchiveError(
                    f"These staff accounts do not exist in this site: {', '.join(absent)}. "
                    "Create them, or import with missing users left empty; nothing was "
                    "imported."
                )
            self.warnings.append(
                f"Recorded without the person (no such account): {', '.join(absent)}."
            )

    def run(self):
        counts_by_file = {}
        try:
            with transaction.atomic():
                for table in TABLES:
                    counts_by_file[table.file] = self._restore(table)
                self._after_restore()
            if self.revisions_missing:
                self.warnings.append(
                    f"{self.revisions_missing} comment(s) refer to a draft revision that does "
                    'not exist here; their "draft revision read" was left empty.'
                )
        except BaseException:
            storage = _attachment_storage()
            for name in self.saved_files:
                storage.delete(name)
            raise
        counts.comments_changed(sorted(self.consultations))
        counts.answers_changed()
        return ImportResult(counts_by_file, self.warnings)

    def _restore(self, table):
        columns = table.columns
        model = table.model
        # bulk_create stamps auto_now fields with the time of the restore: they are set
        # back to the archived times afterwards, in one UPDATE per chunk.
        stamped = [
            f.attname
            for f in model._meta.concrete_fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        restored = 0
        for chunk in _chunks(_rows(self.archive, table.file), self.chunk_size):
            objects = [model(**self._decode(columns, row)) for row in chunk]
            if model is PublicComment:
                self._check_revisions(objects)
                self._note_comments(objects)
            elif model is CommentAttachment:
                self._save_files(objects, chunk)
            elif model is CommentResponse:
                self.consultations.update(obj.consultation_id for obj in objects)
            times = [{name: getattr(obj, name) for name in stamped} for obj in objects]
            model.objects.bulk_create(objects, batch_size=self.chunk_size)
            if stamped:
                for obj, values in zip(objects, times, strict=True):
                    for name, value in values.items():
                        setattr(obj, name, value)
                model.objects.bulk_update(objects, stamped, batch_size=self.chunk_size)
            restored += len(objects)
        expected = self.manifest["files"][table.file]["rows"]
        if restored != expected:
            raise ArchiveError(f"{table.file}: {restored} rows read, the manifest says {expected}.")
        return restored

    def _decode(self, columns, row):
        values = {}
        for column in columns:
            if column.key not in row or column.kind == "tag_slug":
                continue
            value = row[column.key]
            attname = column.field.attname
            if value is None:
                values[attname] = None
            elif column.kind == "user":
                values[attname] = self.users.get(value)
            elif column.kind == "content_type":
                values[attname] = ContentType.objects.get_by_natural_key(*value.split(".", 1)).pk
            elif column.kind == "tag":
                values[attname] = self._tag(value, row.get("tag_slug"))
            else:
                values[attname] = column.field.to_python(value)
        return values

    def _tag(self, name, slug):
        """The theme's tag by name: the existing one, else created with the archived slug."""
        if name not in self.tags:
            tag = Tag.objects.filter(name=name).first()
            if tag is None:
                slug_free = slug and not Tag.objects.filter(slug=slug).exists()
                tag = Tag.objects.create(name=name, slug=slug if slug_free else "")
            self.tags[name] = tag.pk
        return self.tags[name]

    def _check_revisions(self, comments):
        """ "The draft revision read" may be missing from a site rebuilt since: left empty."""
        wanted = {c.page_revision_id for c in comments if c.page_revision_id is not None}
        if not wanted:
            return
        present = set(Revision.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        for comment in comments:
            if comment.page_revision_id is not None and comment.page_revision_id not in present:
                self.revisions_missing += 1
                comment.page_revision_id = None

    def _note_comments(self, comments):
        """The consultations whose cached counts to forget, and the highest receipt number of
        each year, so new comments never get a restored comment's code."""
        pattern = re.compile(rf"^{re.escape(policycomms_settings.RECEIPT_PREFIX)}-(\d{{4}})-(\d+)$")
        for comment in comments:
            self.consultations.add(comment.consultation_id)
            if match := pattern.match(comment.receipt_code):
                year, number = int(match[1]), int(match[2])
                self.receipts[year] = max(self.receipts.get(year, 0), number)

    def _save_files(self, attachments, rows):
        """Each attachment's file into the attachment storage under its archived name (the
        storage picks another if taken, and the row follows)."""
        storage = _attachment_storage()
        for attachment, row in zip(attachments, rows, strict=True):
            with self.archive.open(row["archive_path"]) as stream:
                saved = storage.save(attachment.file.name, File(stream))
            self.saved_files.append(saved)
            attachment.file.name = saved

    def _after_restore(self):
        """Sequences past the restored ids (PostgreSQL), receipt counters past the restored
        codes."""
        kept = [table.model for table in TABLES if table.keep_pk]
        statements = connection.ops.sequence_reset_sql(no_style(), kept)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        for year, number in sorted(self.receipts.items()):
            ReceiptCounter.objects.get_or_create(year=year)
            ReceiptCounter.objects.filter(year=year).update(
                last_number=Greatest("last_number", number)
            )
            if connection.vendor == "postgresql":
                _advance_receipt_sequence(year, number)


def _advance_receipt_sequence(year, number):
    """A year's receipt sequence, if it exists, past ``number`` (``ReceiptCounter.next_code``
    creates a missing one from the row just advanced)."""
    name = ReceiptCounter.SEQUENCE_NAME % year
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [name])
        if cursor.fetchone()[0] is None:
            return
        cursor.execute(
            "SELECT setval(%s::regclass,"
            " GREATEST(%s, COALESCE(pg_sequence_last_value(%s::regclass), 0)))",
            [name, number, name],
        )


def _chunks(rows, size):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
