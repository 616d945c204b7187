"""Attachments to public comments: checked by content, stored where nobody can browse them.

Neither the name nor the browser's type is trusted: the kind is read from the bytes and the
extension must agree. Files get a random name in a folder no web server serves.
"""

import contextlib
import hashlib
import math
import struct
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from django import forms
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.storage import FileSystemStorage, InvalidStorageError, storages
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import cached_property, lazy
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .conf import policycomms_settings
from .formats.text import clean_name

#: Every kind we can recognise, in the order they are listed to users.
KINDS = ("pdf", "doc", "docx", "xls", "xlsx", "odt", "jpg", "png")

#: MIME type to send when serving an attachment of each kind.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "jpg": "image/jpeg",
    "png": "image/png",
}

#: File name extensions (lowercase, without the dot) that claim each kind.
EXTENSIONS = {kind: (kind,) for kind in KINDS} | {"jpg": ("jpg", "jpeg")}

# What users call each kind when told what they may attach.
_LABELS = ["PDF", "Word", "Word", "Excel", "Excel", _("OpenDocument text"), "JPG", "PNG"]
_KIND_LABELS = dict(zip(KINDS, _LABELS, strict=True))
_KINDS_WITH_AN = {"odt", "xls", "xlsx"}  # "an ODT file", "an XLS file"

_HEAD_BYTES = 64 * 1024
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_STREAMS = {"WordDocument": "doc", "Workbook": "xls", "Book": "xls"}
_OLE_MAX_DIRECTORY_SECTORS = 64
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_MAX_NAME_LENGTH = 200
_MB = 1024 * 1024
_MISMATCH = _("“%(name)s” does not look like a %(expected)s file: its content is %(actual)s.")
_MISMATCH_AN = _("“%(name)s” does not look like an %(expected)s file: its content is %(actual)s.")


def allowed_kinds():
    """The kinds the ATTACHMENT_KINDS setting allows, in display order."""
    wanted = {
        str(kind).lower().replace("jpeg", "jpg") for kind in policycomms_settings.ATTACHMENT_KINDS
    }
    return [kind for kind in KINDS if kind in wanted]


def accept_attribute():
    """The file picker's ``accept`` value, so browsers offer only files we take."""
    return ",".join(f".{ext}" for kind in allowed_kinds() for ext in EXTENSIONS[kind])


def accepted_kinds_text():
    """The accepted kinds in words, e.g. "PDF, Word, Excel, OpenDocument text, JPG or PNG"."""
    labels = list(dict.fromkeys(_KIND_LABELS[kind] for kind in allowed_kinds()))
    return get_text_list([str(label) for label in labels])


# --- Recognising a file by its content ------------------------------------------------


def sniff_kind(uploaded_file):
    """The kind of a file judged from its bytes, or None; never raises, always rewinds."""
    try:
        uploaded_file.seek(0)
        head = uploaded_file.read(_HEAD_BYTES)
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(b"\xff\xd8\xff"):
            return "jpg"
        if head.startswith(_PNG_SIGNATURE):
            return "png"
        if head.startswith(_OLE_SIGNATURE):
            return _sniff_ole(uploaded_file, head)
        if head.startswith(b"PK\x03\x04"):
            return _sniff_zip(uploaded_file)
        return None
    except Exception:  # Garbage from the internet must not become a server error.
        return None
    finally:
        with contextlib.suppress(Exception):  # a file that cannot seek was refused above
            uploaded_file.seek(0)


def _sniff_zip(fileobj):
    """Tell DOCX, XLSX and ODT apart by member names: nothing is extracted."""
    fileobj.seek(0)
    with zipfile.ZipFile(fileobj) as archive:
        names = set(archive.namelist())
        if "mimetype" in names:
            # Read a few bytes at most: the declared size of a member is not trusted.
            with archive.open("mimetype") as member:
                if member.read(len(_ODT_MIMETYPE) + 1) == _ODT_MIMETYPE:
                    return "odt"
        if "[Content_Types].xml" not in names:
            return None
        is_docx = "word/document.xml" in names
        is_xlsx = "xl/workbook.xml" in names
        if is_docx != is_xlsx:
            return "docx" if is_docx else "xlsx"
    return None


def _sniff_ole(fileobj, head):
    """Tell DOC from XLS by the name of their main stream in the compound file."""
    for name in _ole_stream_names(fileobj, head):
        if name in _OLE_STREAMS:
            return _OLE_STREAMS[name]
    # Directory unreadable: fall back to looking for the UTF-16 names in the head.
    found = [
        (position, kind)
        for name, kind in _OLE_STREAMS.items()
        if (position := head.find(name.encode("utf-16-le") + b"\0\0")) >= 0
    ]
    return min(found)[1] if found else None


def _ole_stream_names(fileobj, head):
    """Stream names of an OLE2 directory, following at most a few sectors of its chain."""
    shift = struct.unpack_from("<H", head, 30)[0]
    if shift not in (9, 12):
        return []
    sector_size = 1 << shift
    fat_sectors = struct.unpack_from("<109I", head, 76)  # the header's DIFAT
    sector = struct.unpack_from("<I", head, 48)[0]  # first directory sector
    names = []
    for _unused in range(_OLE_MAX_DIRECTORY_SECTORS):
        if sector >= 0xFFFFFFFA:  # end of chain, free or special sector
            break
        fileobj.seek((sector + 1) * sector_size)
        data = fileobj.read(sector_size)
        for offset in range(0, len(data) - 127, 128):
            length = struct.unpack_from("<H", data, offset + 64)[0]
            if data[offset + 66] == 2 and 2 <= length <= 64:  # a stream
                names.append(data[offset : offset + length - 2].decode("utf-16-le", "replace"))
        fat_index, slot = divmod(sector, sector_size // 4)
        if fat_index >= len(fat_sectors):
            break
        fileobj.seek((fat_sectors[fat_index] + 1) * sector_size + slot * 4)
        raw = fileobj.read(4)
        if len(raw) < 4:
            break
        sector = struct.unpack("<I", raw)[0]
    return names


# --- Form field -----------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    """A file picker that takes several files and offers only the accepted kinds."""

    allow_multiple_selected = True

    def __init__(self, attrs=None):
        attrs = dict(attrs or {})
        # Lazy, so the setting is read when the form is rendered, not when it is defined.
        attrs.setdefault("accept", lazy(accept_attribute, str)())
        super().__init__(attrs)


class MultipleFileField(forms.FileField):
    """Django's documented multiple-file field; ``clean`` returns a list of files.

    Empty files are let through so that ``validate_attachments`` can refuse them with
    the file's name; call it from the form's ``clean_<field>``.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_file_clean = super().clean
        if isinstance(data, list | tuple):
            result = [single_file_clean(item, initial) for item in data]
        else:
            result = [single_file_clean(data, initial)]
        return [item for item in result if item]


# --- Validation -----------------------------------------------------------------------


@dataclass(frozen=True)
class CleanedAttachment:
    """An uploaded file that passed every check, with what the model needs to keep."""

    file: object
    original_name: str
    kind: str
    content_type: str
    size: int
    sha256: str


def clean_file_name(name):
    """The name to show: no folders, one line of visible text (``formats.text.clean_name``),
    at most 200 characters."""
    name = PurePath(str(name or "").replace("\\", "/")).name
    name = clean_name(name).strip()
    if len(name) > _MAX_NAME_LENGTH:
        suffix = PurePath(name).suffix[:16]
        name = name[: _MAX_NAME_LENGTH - len(suffix)] + suffix
    return name or str(_("attachment"))


def kind_from_name(name):
    """The kind a file name's extension claims, or None."""
    extension = PurePath(name).suffix.lower().lstrip(".")
    return next((kind for kind in KINDS if extension in EXTENSIONS[kind]), None)


def file_sha256(uploaded_file):
    """SHA-256 in hex, read chunk by chunk so large files do not fill memory."""
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


def validate_attachments(files):
    """Check the files of one comment and describe every problem, naming the file."""
    files = [item for item in (files or []) if item]
    errors = []
    max_files = policycomms_settings.MAX_ATTACHMENTS
    if len(files) > max_files:
        message = ngettext_lazy(
            "You can attach at most %(max)s file.", "You can attach at most %(max)s files.", "max"
        )
        errors.append(ValidationError(message, code="too_many", params={"max": max_files}))
    checked = []
    for uploaded in files:
        name = clean_file_name(uploaded.name)
        kind, error = _check_one(uploaded, name)
        if error:
            errors.append(error)
        else:
            checked.append((uploaded, name, kind))
    if errors:
        raise ValidationError(errors)
    return [
        CleanedAttachment(
            file=uploaded,
            original_name=name,
            kind=kind,
            content_type=CONTENT_TYPES[kind],
            size=uploaded.size,
            sha256=file_sha256(uploaded),
        )
        for uploaded, name, kind in checked
    ]


def _check_one(uploaded, name):
    """(kind, None) for an acceptable file, else (None, the ValidationError)."""
    max_mb = policycomms_settings.MAX_ATTACHMENT_MB
    if not uploaded.size:
        message = _("“%(name)s” is empty.")
        return None, ValidationError(message, code="empty", params={"name": name})
    if uploaded.size > max_mb * _MB:
        message = _("“%(name)s” is %(size)s MB; the limit is %(max)s MB per file.")
        size = number_format(math.ceil(uploaded.size * 10 / _MB) / 10, 1)
        params = {"name": name, "size": size, "max": max_mb}
        return None, ValidationError(message, code="too_large", params=params)
    allowed = allowed_kinds()
    claimed = kind_from_name(name)
    params = {"name": name, "kinds": accepted_kinds_text()}
    if claimed not in allowed:
        message = _("“%(name)s” cannot be attached: only %(kinds)s files are accepted.")
        return None, ValidationError(message, code="kind_not_allowed", params=params)
    actual = sniff_kind(uploaded)
    if actual is None:
        message = _("“%(name)s” is not a %(kinds)s file.")
        return None, ValidationError(message, code="unrecognised_content", params=params)
    if actual != claimed:
        message = _MISMATCH_AN if claimed in _KINDS_WITH_AN else _MISMATCH
        params = {"name": name, "expected": claimed.upper(), "actual": actual.upper()}
        return None, ValidationError(message, code="kind_mismatch", params=params)
    return actual, None


# --- Storage --------------------------------------------------------------------------


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder with no URL: attachments are only handed out by a permission-checked view.

    Without a location it follows the settings (read when first used, again when they
    change), so a model field built at import time still obeys ``override_settings``.
    """

    @cached_property
    def base_location(self):
        return str(self._location or attachment_root())

    @property
    def base_url(self):
        return None

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "POLICYCOMMS_ATTACHMENT_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Policy consultation attachments have no public URL.")


def attachment_root():
    """The private attachment folder: ATTACHMENT_ROOT, or "policycomms_private" beside MEDIA_ROOT."""
    if policycomms_settings.ATTACHMENT_ROOT:
        return Path(policycomms_settings.ATTACHMENT_ROOT).resolve()
    if not settings.MEDIA_ROOT:
        raise ImproperlyConfigured(
            "Set POLICYCOMMS_ATTACHMENT_ROOT (or MEDIA_ROOT) to store comment attachments."
        )
    return Path(settings.MEDIA_ROOT).resolve().parent / "policycomms_private"


def attachment_storage():
    """Storage for attachments; pass the function itself as ``storage=`` to keep migrations stable."""
    alias = policycomms_settings.ATTACHMENT_STORAGE
    if alias:
        return storages[alias]
    return PrivateFileSystemStorage()


def attachment_upload_to(instance, filename):
    """A random path by month: the citizen's file name never reaches the file system."""
    name = clean_file_name(filename)
    extension = PurePath(name).suffix.lower() if kind_from_name(name) else ""
    now = timezone.now()
    return f"policycomms/attachments/{now:%Y}/{now:%m}/{uuid.uuid4().hex}{extension}"


def check_attachment_storage(app_configs, **kwargs):
    """Attachments must not land where the web server serves files (registered in apps.py)."""
    try:
        storage = attachment_storage()
        folder = (
            Path(storage.location).resolve() if isinstance(storage, FileSystemStorage) else None
        )
    except (ImproperlyConfigured, InvalidStorageError) as error:
        return [checks.Error(str(error), id="wagtail_policycomms.E101")]
    problems = []
    if folder:
        served = {"MEDIA_ROOT": settings.MEDIA_ROOT, "STATIC_ROOT": settings.STATIC_ROOT}
        for setting, root in served.items():
            if root and folder.is_relative_to(Path(root).resolve()):
                problems.append(
                    checks.Error(
                        f"The comment attachment folder {folder} is inside {setting}, "
                        "so the web server may serve citizens' files to anyone.",
                        hint="Set POLICYCOMMS_ATTACHMENT_ROOT to a folder outside "
                        "MEDIA_ROOT and STATIC_ROOT.",
                        id="wagtail_policycomms.E102",
                    )
                )
    if getattr(storage, "base_url", None):
        problems.append(
            checks.Warning(
                f"The comment attachment storage has a public URL ({storage.base_url}).",
                hint="Use a storage without base_url, such as the default private folder "
                "(POLICYCOMMS_ATTACHMENT_STORAGE = None).",
                id="wagtail_policycomms.W101",
            )
        )
    return problems
