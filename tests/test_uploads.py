"""Comment attachments: kinds recognised by content, clear refusals, private storage."""

import hashlib
import io
import random
import re
import struct
import unicodedata
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import override_settings
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from PIL import Image

from wagtail_policycomms import uploads
from wagtail_policycomms.uploads import (
    CONTENT_TYPES,
    MultipleFileField,
    PrivateFileSystemStorage,
    attachment_storage,
    attachment_upload_to,
    check_attachment_storage,
    clean_file_name,
    sniff_kind,
    validate_attachments,
)

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
FREE, END_OF_CHAIN, FAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


@pytest.fixture(autouse=True)
def english():
    """Messages are matched as written in English, whatever the translations say."""
    with translation.override("en"):
        yield


# --- Real small files -----------------------------------------------------------------


def pdf_bytes():
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def image_bytes(fmt):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, fmt)
    return buffer.getvalue()


def docx_bytes():
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Góp ý dự thảo")
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes():
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Góp ý"
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(members, mimetype=None):
    """A ZIP with an optional stored ``mimetype`` first, as OpenDocument requires."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype is not None:
            archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def odt_bytes(mimetype=ODT_MIMETYPE):
    return zip_bytes(
        {"content.xml": "<office:document-content/>", "META-INF/manifest.xml": "<manifest/>"},
        mimetype=mimetype,
    )


def ole_bytes(*streams, shift=9, first_directory_sector=1):
    """A minimal OLE2 compound file whose directory lists ``streams`` after the root."""
    sector_size = 1 << shift
    entries = [("Root Entry", 5), *((name, 2) for name in streams)]
    per_sector = sector_size // 128
    count = -(-len(entries) // per_sector)
    directory_sectors = list(range(first_directory_sector, first_directory_sector + count))
    fat = [FREE] * (sector_size // 4)
    fat[0] = FAT_SECTOR
    for current, following in zip(directory_sectors, directory_sectors[1:], strict=False):
        fat[current] = following
    fat[directory_sectors[-1]] = END_OF_CHAIN
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,
        3 if shift == 9 else 4,
        0xFFFE,
        shift,
        6,
        b"\0" * 6,
        0,
        1,  # one FAT sector
        first_directory_sector,
        0,
        4096,
        END_OF_CHAIN,
        0,
        END_OF_CHAIN,
        0,
    ) + struct.pack("<109I", 0, *[FREE] * 108)
    body = bytearray(sector_size * (directory_sectors[-1] + 1))
    body[0:sector_size] = struct.pack(f"<{len(fat)}I", *fat)
    for index, (name, kind) in enumerate(entries):
        encoded = name.encode("utf-16-le") + b"\0\0"
        entry = struct.pack(
            "<64sHBBIII16sI16sIQ",
            encoded,
            len(encoded),
            kind,
            1,
            FREE,
            FREE,
            FREE,
            b"\0" * 16,
            0,
            b"\0" * 16,
            END_OF_CHAIN,
            0,
        )
        sector = directory_sectors[index // per_sector]
        offset = sector * sector_size + (index % per_sector) * 128
        body[offset : offset + 128] = entry
    return header.ljust(sector_size, b"\0") + bytes(body)


def crude_ole_bytes(stream):
    """Only a signature and a UTF-16 stream name: the directory cannot be parsed."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 120 + stream.encode("utf-16-le") + b"\0\0"


def upload(name, content):
    return SimpleUploadedFile(name, content)


def messages(excinfo):
    return excinfo.value.messages


def codes(excinfo):
    return [error.code for error in excinfo.value.error_list]


ACCEPTED = [
    ("Dự thảo.pdf", pdf_bytes, "pdf"),
    ("bản cũ.doc", lambda: ole_bytes("1Table", "WordDocument"), "doc"),
    ("góp ý.docx", docx_bytes, "docx"),
    ("bảng cũ.xls", lambda: ole_bytes("Workbook"), "xls"),
    ("bảng.xlsx", xlsx_bytes, "xlsx"),
    ("văn bản.odt", odt_bytes, "odt"),
    ("ảnh.jpg", lambda: image_bytes("JPEG"), "jpg"),
    ("ảnh.JPEG", lambda: image_bytes("JPEG"), "jpg"),
    ("sơ đồ.png", lambda: image_bytes("PNG"), "png"),
]


# --- Recognising content --------------------------------------------------------------


@pytest.mark.parametrize(("name", "build", "kind"), ACCEPTED)
def test_each_allowed_kind_is_accepted(name, build, kind):
    content = build()
    [cleaned] = validate_attachments([upload(name, content)])
    assert cleaned.kind == kind
    assert cleaned.content_type == CONTENT_TYPES[kind]
    assert cleaned.original_name == name
    assert cleaned.size == len(content)


def test_content_types_are_the_registered_ones():
    assert CONTENT_TYPES["docx"].endswith("wordprocessingml.document")
    assert CONTENT_TYPES["xlsx"].endswith("spreadsheetml.sheet")
    assert CONTENT_TYPES["jpg"] == "image/jpeg"
    assert set(CONTENT_TYPES) == set(uploads.KINDS)


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (ole_bytes("Book"), "xls"),  # Excel 5/95 names its stream "Book"
        (ole_bytes("A", "B", "C", "D", "E", "WordDocument"), "doc"),  # second directory sector
        (ole_bytes("WordDocument", shift=12, first_directory_sector=20), "doc"),  # beyond 64 KB
        (crude_ole_bytes("WordDocument"), "doc"),
        (crude_ole_bytes("Workbook"), "xls"),
        (ole_bytes("Contents", "PowerPoint Document"), None),
        (odt_bytes(b"application/vnd.oasis.opendocument.spreadsheet"), None),
        (zip_bytes({"[Content_Types].xml": "<Types/>"}), None),
        (zip_bytes({"word/document.xml": "<w:document/>"}), None),  # no content types
        (
            zip_bytes(
                {"[Content_Types].xml": "<Types/>", "word/document.xml": "", "xl/workbook.xml": ""}
            ),
            None,  # claims to be both: trust neither
        ),
    ],
)
def test_sniff_kind_reads_containers(content, kind):
    assert sniff_kind(upload("x", content)) == kind


def test_ole_directory_beyond_the_head_is_found():
    content = ole_bytes("WordDocument", shift=12, first_directory_sector=20)
    assert len(content) > 64 * 1024
    assert "WordDocument".encode("utf-16-le") not in content[: 64 * 1024]


def test_sniffing_rewinds_the_file():
    uploaded = upload("a.docx", docx_bytes())
    uploaded.read(10)
    assert sniff_kind(uploaded) == "docx"
    assert uploaded.tell() == 0


class Unreadable(io.BytesIO):
    def read(self, *args):
        raise OSError("disk on fire")


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"%PD",
        random.Random(407).randbytes(4096),
        b"PK\x03\x04" + b"\0" * 100,
        docx_bytes()[:2000],  # a truncated download
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 600,
        ole_bytes("WordDocument")[:600],
    ],
)
def test_garbage_is_none_without_exception(content):
    uploaded = upload("x.docx", content)
    assert sniff_kind(uploaded) is None
    assert uploaded.tell() == 0


def test_unreadable_file_is_none():
    assert sniff_kind(Unreadable(b"%PDF-1.4")) is None


# --- Refusals -------------------------------------------------------------------------


def test_png_renamed_pdf_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_attachments([upload("x.pdf", image_bytes("PNG"))])
    assert messages(excinfo) == ["“x.pdf” does not look like a PDF file: its content is PNG."]
    assert codes(excinfo) == ["kind_mismatch"]


def test_docx_that_is_really_xlsx_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_attachments([upload("bảng.docx", xlsx_bytes())])
    assert messages(excinfo) == ["“bảng.docx” does not look like a DOCX file: its content is XLSX."]


def test_mismatch_message_uses_an_before_vowel_sounds():
    with pytest.raises(ValidationError) as excinfo:
        validate_attachments([upload("bảng.xlsx", docx_bytes())])
    assert messages(excinfo) == [
        "“bảng.xlsx” does not look like an XLSX file: its content is DOCX."
    ]


def test_exe_is_refused_by_extension():
    with pytest.raises(ValidationError) as excinfo:
        validate_attachments([upload("setup.exe", b"MZ\x90\x00" + b"\0" * 60)])
    assert messages(excinfo) == [
        "“setup.exe” cannot be attached: only PDF, Word, Excel, OpenDocument text, JPG or PNG "
        "files are accepted."
    ]
    assert codes(excinfo) == ["kind_not_allowed"]


@pytest.mark.parametrize(
    "content",
    [
        b"Just some notes, not a Word document.\n",
        zip_bytes({"[Content_Types].xml": "<Types/>", "other.xml": "<x/>"}),
        b"MZ\x90\x00" + b"\0" * 60,
    ],
    ids=["text", "zip-without-word-document", "exe"],
)
def test_unrecognised_content_renamed_docx_is_refused(content):
    with pytest.raises(ValidationError) as excinfo:
        validate_attachments([upload("notes.docx", content)])
    assert messages(excinfo) == [
        "“notes.docx” is not a PDF, Word, Excel, OpenDocument text, JPG or PNG file."
    ]
    assert codes(excinfo) == ["unrecognised_content"]


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_attachments([upload("trống.pdf", b"")])
    assert messages(excinfo) == ["“trống.pdf” is empty."]


@override_settings(POLICYCOMMS_MAX_ATTACHMENT_MB=1)
def test_oversized_file_is_refused():
    big = pdf_bytes().ljust(int(1.1 * 1024 * 1024), b"\0")
    with pytest.raises(ValidationError) as excinfo:
        validate_attachments([upload("lớn.pdf", big)])
    assert messages(excinfo) == ["“lớn.pdf” is 1.1 MB; the limit is 1 MB per file."]
    with pytest.raises(ValidationError) as excinfo:
        validate_attachments([upload("lớn.pdf", pdf_bytes().ljust(1024 * 1024 + 1, b"\0"))])
    # Rounded up, so a refused file never seems to be within the limit.
    assert messages(excinfo) == ["“lớn.pdf” is 1.1 MB; the limit is 1 MB per file."]
    at_limit = pdf_bytes().ljust(1024 * 1024, b"\0")
    assert validate_attachments([upload("vừa.pdf", at_limit)])[0].size == 1024 * 1024


def test_too_many_files_are_refused():
    files = [upload(f"{n}.pdf", pdf_bytes()) for n in range(4)]
    with pytest.raises(ValidationError) as excinfo:
        validate_attachments(files)
    assert messages(excinfo) == ["You can attach at most 3 files."]
    assert len(validate_attachments(files[:3])) == 3


@override_settings(POLICYCOMMS_MAX_ATTACHMENTS=1)
def test_too_many_message_is_singular_for_one():
    with pytest.raises(ValidationError) as excinfo:
        validate_attachments([upload("a.pdf", pdf_bytes()), upload("b.pdf", pdf_bytes())])
    assert messages(excinfo) == ["You can attach at most 1 file."]


@override_settings(POLICYCOMMS_ATTACHMENT_KINDS=["pdf", "docx"])
def test_narrowed_kinds_refuse_png():
    with pytest.raises(ValidationError) as excinfo:
        validate_attachments([upload("ảnh.png", image_bytes("PNG"))])
    assert messages(excinfo) == [
        "“ảnh.png” cannot be attached: only PDF or Word files are accepted."
    ]
    assert validate_attachments([upload("a.pdf", pdf_bytes())])[0].kind == "pdf"


def test_every_problem_is_reported_at_once():
    files = [
        upload("trống.pdf", b""),
        upload("x.pdf", image_bytes("PNG")),
        upload("setup.exe", b"MZ"),
        upload("ok.pdf", pdf_bytes()),
    ]
    with pytest.raises(ValidationError) as excinfo:
        validate_attachments(files)
    assert codes(excinfo) == ["too_many", "empty", "kind_mismatch", "kind_not_allowed"]
    assert all("“" in message for message in messages(excinfo)[1:])


def test_no_files_is_fine():
    assert validate_attachments([]) == []
    assert validate_attachments(None) == []


# --- Names and hashes -----------------------------------------------------------------


def test_vietnamese_name_is_kept_and_normalised():
    decomposed = unicodedata.normalize("NFD", "Góp ý dự thảo.pdf")
    [cleaned] = validate_attachments([upload(decomposed, pdf_bytes())])
    assert cleaned.original_name == "Góp ý dự thảo.pdf"
    assert unicodedata.is_normalized("NFC", cleaned.original_name)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\An\\Góp ý.docx", "Góp ý.docx"),
        ("bad\x00name\r\n.pdf", "badname.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # right-to-left override trick
        ("   ", "attachment"),
    ],
)
def test_file_names_are_sanitised(raw, clean):
    assert clean_file_name(raw) == clean


def test_long_names_are_cut_keeping_the_extension():
    cleaned = clean_file_name("ý" * 300 + ".docx")
    assert len(cleaned) == 200
    assert cleaned.endswith("ý.docx")


def test_sha256_matches_hashlib_and_file_is_rewound():
    content = docx_bytes()
    uploaded = upload("a.docx", content)
    [cleaned] = validate_attachments([uploaded])
    assert cleaned.sha256 == hashlib.sha256(content).hexdigest()
    assert cleaned.file is uploaded
    assert uploaded.tell() == 0
    assert uploaded.read() == content


# --- Form field -----------------------------------------------------------------------


class AttachmentForm(forms.Form):
    attachments = MultipleFileField(required=False)


def test_field_returns_every_file_as_a_list():
    files = MultiValueDict(
        {"attachments": [upload("a.pdf", pdf_bytes()), upload("b.png", image_bytes("PNG"))]}
    )
    form = AttachmentForm(data={}, files=files)
    assert form.is_valid(), form.errors
    assert [f.name for f in form.cleaned_data["attachments"]] == ["a.pdf", "b.png"]


def test_field_without_files_gives_an_empty_list():
    form = AttachmentForm(data={}, files=MultiValueDict())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["attachments"] == []


def test_field_lets_empty_files_through_for_validate_attachments_to_name():
    files = MultiValueDict({"attachments": [upload("trống.pdf", b"")]})
    form = AttachmentForm(data={}, files=files)
    assert form.is_valid(), form.errors
    assert [f.name for f in form.cleaned_data["attachments"]] == ["trống.pdf"]


def test_field_clean_of_nothing_is_an_empty_list():
    assert MultipleFileField(required=False).clean(None) == []
    assert MultipleFileField(required=False).clean([]) == []


def test_widget_is_multiple_and_accepts_the_allowed_extensions():
    html = str(AttachmentForm()["attachments"])
    assert " multiple" in html
    assert 'accept=".pdf,.doc,.docx,.xls,.xlsx,.odt,.jpg,.jpeg,.png"' in html
    with override_settings(POLICYCOMMS_ATTACHMENT_KINDS=["pdf", "jpg"]):
        assert 'accept=".pdf,.jpg,.jpeg"' in str(AttachmentForm()["attachments"])


# --- Storage --------------------------------------------------------------------------


def test_default_storage_is_a_private_folder_beside_media(tmp_path):
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        storage = attachment_storage()
        assert Path(storage.location) == tmp_path.resolve() / "policycomms_private"
    assert isinstance(storage, PrivateFileSystemStorage)
    assert storage.base_url is None
    with pytest.raises(ValueError, match="no public URL"):
        storage.url("policycomms/attachments/x.pdf")


def test_storage_made_at_import_follows_later_settings(tmp_path):
    storage = attachment_storage()  # as a model field does when its module is imported
    with override_settings(POLICYCOMMS_ATTACHMENT_ROOT=str(tmp_path / "private")):
        assert Path(storage.location) == tmp_path.resolve() / "private"
        name = storage.save("policycomms/attachments/a.pdf", io.BytesIO(pdf_bytes()))
        assert (tmp_path / "private" / name).read_bytes() == pdf_bytes()
    assert Path(storage.location) != tmp_path.resolve() / "private"


@override_settings(POLICYCOMMS_ATTACHMENT_STORAGE="default")
def test_storage_alias_is_used():
    assert attachment_storage() is storages["default"]


def test_upload_path_is_random_and_never_the_citizens_name():
    first = attachment_upload_to(None, "Góp ý của tôi.PDF")
    second = attachment_upload_to(None, "Góp ý của tôi.PDF")
    pattern = r"policycomms/attachments/\d{4}/\d{2}/[0-9a-f]{32}\.pdf"
    assert re.fullmatch(pattern, first)
    assert first != second
    assert re.fullmatch(
        r"policycomms/attachments/\d{4}/\d{2}/[0-9a-f]{32}", attachment_upload_to(None, "x.sh")
    )


def test_field_with_callable_storage_deconstructs_to_the_callable():
    field = models.FileField(storage=attachment_storage, upload_to=attachment_upload_to)
    _name, _path, _args, kwargs = field.deconstruct()
    assert kwargs["storage"] is attachment_storage
    assert kwargs["upload_to"] is attachment_upload_to


# --- System check ---------------------------------------------------------------------


def test_check_errors_when_folder_is_inside_media_root(tmp_path):
    with override_settings(
        MEDIA_ROOT=str(tmp_path / "media"),
        POLICYCOMMS_ATTACHMENT_ROOT=str(tmp_path / "media" / "private"),
    ):
        problems = check_attachment_storage(None)
    assert [problem.id for problem in problems] == ["wagtail_policycomms.E102"]
    assert "MEDIA_ROOT" in problems[0].msg


def test_check_errors_when_folder_is_inside_static_root(tmp_path):
    with override_settings(
        STATIC_ROOT=str(tmp_path / "static"),
        POLICYCOMMS_ATTACHMENT_ROOT=str(tmp_path / "static"),
    ):
        problems = check_attachment_storage(None)
    assert [problem.id for problem in problems] == ["wagtail_policycomms.E102"]
    assert "STATIC_ROOT" in problems[0].msg


@pytest.mark.parametrize("root", ["private", None])
def test_check_is_silent_for_a_folder_beside_media(tmp_path, root):
    with override_settings(
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
        POLICYCOMMS_ATTACHMENT_ROOT=str(tmp_path / root) if root else None,
    ):
        assert check_attachment_storage(None) == []


@override_settings(POLICYCOMMS_ATTACHMENT_STORAGE="default")
def test_check_warns_when_storage_has_a_url():
    problems = check_attachment_storage(None)
    assert [problem.id for problem in problems] == ["wagtail_policycomms.W101"]


@override_settings(POLICYCOMMS_ATTACHMENT_STORAGE="nowhere")
def test_check_errors_on_unknown_storage_alias():
    problems = check_attachment_storage(None)
    assert [problem.id for problem in problems] == ["wagtail_policycomms.E101"]


@override_settings(MEDIA_ROOT="", POLICYCOMMS_ATTACHMENT_ROOT=None)
def test_check_errors_when_no_folder_can_be_chosen():
    storage = attachment_storage()  # must not raise: models import it at start-up
    with pytest.raises(ImproperlyConfigured):
        storage.location  # noqa: B018
    problems = check_attachment_storage(None)
    assert [problem.id for problem in problems] == ["wagtail_policycomms.E101"]
    assert "POLICYCOMMS_ATTACHMENT_ROOT" in problems[0].msg
