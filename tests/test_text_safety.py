"""Bad input never breaks an output (issue 11): text is cleaned once, where the public types
it (``formats.text.clean_input``), and every file is safe against any stored string.

Arbitrary Unicode (every category Python strings hold, control and format characters,
bidi overrides, noncharacters, the last code point) goes through the real comment form,
then rows stored as they could have been before the form cleaned its input go through the
queue's CSV and XLSX exports and the synthesis report's DOCX and XLSX: every download
answers 200, opens with csv, openpyxl or python-docx, and reads back the text expected.
"""

import csv
import io
import itertools
import unicodedata

import docx
import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests import factories
from wagtail_policycomms import synthesis
from wagtail_policycomms.formats.text import (
    FORMULA_PREFIXES,
    XLSX_CELL_LIMIT,
    clean_input,
    for_csv,
    for_xlsx,
    for_xml,
    is_blank,
)
from wagtail_policycomms.models import CommentStatus, PublicComment
from wagtail_policycomms.synthesis.data import DISPOSITIONS_VI

EXPORT = "wagtail_policycomms.export_publiccomment"
QUEUE = "wagtailsnippets_wagtail_policycomms_publiccomment:list"
SYNTHESIS = "wagtail_policycomms_admin:synthesis_download"
WHOLE_DRAFT = "Góp ý chung về toàn bộ dự thảo"

#: C0 and C1 control characters, NUL and DEL included.
CONTROLS = "".join(map(chr, [*range(0x00, 0x20), *range(0x7F, 0xA0)]))
#: Bidi embeddings, overrides and isolates: they turn the text around.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: Characters that draw nothing.
INVISIBLE = (
    " \t\n\u00a0\u3000\u2028\u2029\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u061c"
    "\u3164\u2800\u034f\ufe0f\U000e0001"
)
#: What breaks XML, files or screens, and text that must survive them unchanged.
AWKWARD = (
    CONTROLS
    + BIDI
    + INVISIBLE
    + "\ufffe\uffff\U0010ffff\U0010fffd\ue000\u0378"  # noncharacters, private use, unassigned
    + "e\u0301\u1100\u1161\u212b"  # decomposed text that NFC composes
    + "=+-@'\"<>&;,_x000D_ Đềnghịý😊"
)
NOT_STORED = CONTROLS.replace("\t", "").replace("\n", "") + BIDI

#: Any Python text without lone surrogates (Django's test client must encode it), with
#: the awkward characters far more often than chance would draw them.
hostile = st.text(
    st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from(AWKWARD)), max_size=40
)
#: Lone surrogates too: what only a str can hold.
any_str = st.text(
    st.one_of(
        st.characters(),
        st.sampled_from(AWKWARD),
        st.integers(0xD800, 0xDFFF).map(chr),
    ),
    max_size=40,
)

_emails = itertools.count(1)


def stored_line(text):
    """What a one-line field of the form stores of ``text``."""
    cleaned = clean_input(text, multiline=False).strip()
    return "" if is_blank(cleaned) else cleaned


# --- The rules, on their own ---------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(any_str)
@example("Dòng một\x0bdòng hai\r\nba\rbốn\x0cnăm\x85sáu")
@example("\x00\u202egnp.exe\u202c hồ sơ")
def test_clean_input_removes_only_controls_and_bidi_and_composes(text):
    cleaned = clean_input(text)
    assert not set(cleaned) & set(NOT_STORED)
    assert unicodedata.is_normalized("NFC", cleaned)
    assert clean_input(cleaned) == cleaned
    # Every other character is kept exactly, in order.
    kept = text.replace("\r\n", "\n")
    kept = "".join("\n" if c in "\r\x0b\x0c\x85" else c for c in kept)
    kept = "".join(c for c in kept if c not in NOT_STORED and not "\ud800" <= c <= "\udfff")
    assert cleaned == unicodedata.normalize("NFC", kept)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Dòng một\x0bdòng hai", "Dòng một\ndòng hai"),  # Word's line break
        ("a\r\nb\rc\x0cd", "a\nb\nc\nd"),
        ("Góp\x00 ý\x07\x1b[31m", "Góp ý[31m"),
        ("\u202eexe.fdp\u202c và \u2067ký\u2069", "exe.fdp và ký"),
        ("Go\u0301p y\u0301", "Góp ý"),  # NFC
        ("cột\tmột\u200bhai\u00ad😊", "cột\tmột\u200bhai\u00ad😊"),  # tab and the rest kept
    ],
)
def test_clean_input_examples(typed, stored):
    assert clean_input(typed) == stored


def test_one_line_input_turns_breaks_and_tabs_into_a_space():
    assert clean_input("Nguyễn\r\nVăn\x0b\tAn", multiline=False) == "Nguyễn Văn An"


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(INVISIBLE + CONTROLS + BIDI)), st.sampled_from("aĐ😊.1ý"))
def test_blank_is_text_with_nothing_visible(invisible, visible):
    assert is_blank(invisible)
    assert not is_blank(invisible + visible + invisible)


@settings(max_examples=300, deadline=None)
@given(any_str)
@example("\ud800 lẻ \udfff \ufffe\uffff \x0b\x0c\x00\x1f \r\n \r")
def test_for_xml_gives_text_xml_holds_and_reads_back(text):
    written = for_xml(text)
    element = etree.Element("t")
    element.text = written  # lxml refuses any character XML cannot hold
    parsed = etree.fromstring(etree.tostring(element, encoding="utf-8"))
    assert (parsed.text or "") == written  # also: no CR, which XML would read as LF
    assert not set(written) & set(BIDI)
    assert for_xml(written) == written
    # Nothing else is taken out.
    others = text.replace("\r\n", "\n").replace("\r", "\n")
    assert written == "".join(
        c
        for c in others
        if c not in NOT_STORED.replace("\r", "")
        and not 0xD800 <= ord(c) <= 0xDFFF
        and c not in "\ufffe\uffff"
    )


@settings(max_examples=200, deadline=None)
@given(any_str)
def test_spreadsheet_cells_are_never_formulas_and_fit(text):
    written = for_xml(text)
    for cell in (for_csv(text), for_xlsx(text)):
        assert not cell.startswith(FORMULA_PREFIXES)
        quoted = written.startswith(FORMULA_PREFIXES)
        assert cell == ("'" + written if quoted else written)
    assert len(for_xlsx("=" + "ý" * 40000)) == XLSX_CELL_LIMIT
    assert for_csv(12) == 12


# --- The comment form --------------------------------------------------------------------------

BODY = "Đề nghị làm rõ phạm vi điều chỉnh"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(before=hostile, after=hostile, name=hostile, organisation=hostile, address=hostile)
@example(
    before="\x00\x0b\u202e\ufeff", after="\x85\r\n\x1f\uffff", name="\u200b",
    organisation="\u202eCông ty\x00", address="Số 5\r\nphố Hiến\x0c",
)  # fmt: skip
def test_any_typed_text_is_stored_cleaned(send, before, after, name, organisation, address):
    cache.clear()  # no rate limit across examples
    email = f"nguoi{next(_emails)}@example.vn"
    body = before + BODY + after
    response = send(
        email=email,
        body=body,
        display_name=name + "An" + name,
        organisation_name=organisation,
        phone=before[:10] + "0912" + after[:10],
        address=address,
    )
    assert response.status_code == 303, response.context["comment_form"].errors
    stored = PublicComment.objects.get(email=email)
    assert stored.body == clean_input(body).strip()
    assert stored.display_name == stored_line(name + "An" + name)
    assert stored.organisation_name == stored_line(organisation)
    assert stored.phone == stored_line(before[:10] + "0912" + after[:10])
    assert stored.address == stored_line(address)
    for value in (stored.body, stored.display_name, stored.organisation_name, stored.address):
        assert not set(value) & set(NOT_STORED)
    for value in (stored.display_name, stored.organisation_name, stored.address):
        assert "\n" not in value and "\t" not in value


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(st.sampled_from(INVISIBLE + CONTROLS + BIDI), min_size=1, max_size=30))
def test_a_body_with_nothing_visible_is_refused(send, invisible):
    cache.clear()
    response = send(email=f"nguoi{next(_emails)}@example.vn", body=invisible * 3)
    assert response.status_code == 200
    errors = response.context["comment_form"].errors.as_data()
    assert list(errors) == ["body"]
    assert errors["body"][0].code in ("required", "blank")
    assert not PublicComment.objects.exists()


def test_invisible_body_gets_a_clear_message_beside_the_field_and_is_kept(send):
    typed = "\u200b\u200d\ufeff\u00ad\u2060" * 3
    response = send(body=typed)
    assert response.status_code == 200
    soup = factories.soup_of(response)
    beside = soup.select_one(".pc-field--error:has([name=body]) .errorlist").get_text()
    assert "Your comment has no visible text. Please write your comment." in beside
    assert soup.select_one("textarea[name=body]").get_text().lstrip("\n") == typed
    assert not PublicComment.objects.exists()


# --- Every file, whatever is stored --------------------------------------------------------


def staff_client():
    client = Client()
    client.force_login(
        factories.make_staff(
            f"staff{next(_emails)}",
            [EXPORT, factories.VIEW_COMMENTS, factories.MODERATE, factories.VIEW_PERSONAL_DATA],
        )
    )
    return client


def downloaded(response):
    assert response.status_code == 200, response.status_code
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def export(client, consultation, export_format):
    url = f"{reverse(QUEUE)}?export={export_format}&status=&consultation={consultation.pk}"
    content = downloaded(client.get(url))
    if export_format == "csv":
        heading, *rows = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        heading, *rows = sheet.iter_rows(values_only=True)
    return {row[0]: dict(zip(heading, row, strict=True)) for row in rows}


def report(client, consultation, export_format):
    url = reverse(SYNTHESIS, args=["consultation", consultation.pk, export_format])
    content = downloaded(client.get(url))
    if export_format == "docx":
        document = docx.Document(io.BytesIO(content))
        table = next(
            t for t in document.tables if t.rows[0].cells[0].text == synthesis.COLUMN_HEADINGS[0]
        )
        rows = [tuple(cell.text for cell in row.cells) for row in table.rows[1:]]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Bảng tổng hợp"]
        rows = [tuple(v or "" for v in row) for row in list(sheet.iter_rows(values_only=True))[1:]]
    return rows


def storable(text):
    """PostgreSQL text cannot hold NUL, so no row stored before this change holds one."""
    return text.replace("\x00", "") if connection.vendor == "postgresql" else text


def assert_every_file_reads(client, consultation, comments, answer_text):
    """Every export and report answers 200, opens, and reads back each comment's text."""
    label = DISPOSITIONS_VI["accepted"]
    for export_format, cell, empty in (("csv", for_csv, ""), ("xlsx", for_xlsx, None)):
        rows = export(client, consultation, export_format)
        assert set(rows) == {c.receipt_code for c in comments}
        for comment in comments:
            row = rows[comment.receipt_code]
            for heading, value in (
                ("Comment", comment.body),
                ("Address", comment.address),
                ("Phone", comment.phone),
                ("Moderator's note", comment.moderation_note),
                ("Answer", answer_text),
            ):
                assert row[heading] == (cell(value) or empty), heading
    for export_format, cell in (("docx", for_xml), ("xlsx", for_xlsx)):
        rows = report(client, consultation, export_format)
        expected = {
            cell(comment.body): (cell(comment.display_name), cell(f"{label}: {answer_text}"))
            for comment in comments
        }
        assert {text: (authors, answers) for _h, authors, text, answers in rows} == expected
        assert rows[0][0] == WHOLE_DRAFT


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    bodies=st.lists(hostile, min_size=1, max_size=3),
    name=hostile,
    address=hostile,
    note=hostile,
    answer=hostile,
)
@example(
    bodies=[CONTROLS + BIDI + "\ufffe\uffff", "=1+1\x0b", "\r\n\r" + INVISIBLE],
    name="\u202eAn\x00", address="\x0c", note="@cmd\x1b", answer="\x0bTiếp thu\r",
)  # fmt: skip
def test_rows_stored_before_cleaning_export_and_report(
    consultation, bodies, name, address, note, answer
):
    """Rows as they could be stored before the form cleaned its input (here with
    ``bulk_create``, no form): every file still opens and shows their text, made safe."""
    unsaved = []
    for i, body in enumerate(bodies):  # "#i": no two texts merge into one row of the report
        unsaved += factories.build_comments(
            consultation,
            1,
            body=storable(f"{body} #{i}"),
            display_name=storable(f"{name} #{i}"),
            publish_name=True,
            address=storable(address),
            phone=storable(note[:50]),
            moderation_note=storable(note),
        )
    comments = PublicComment.objects.bulk_create(unsaved)
    answer_text = storable(f"{answer} .")
    factories.answer_comments(PublicComment.objects.all(), text=answer_text)
    try:
        assert_every_file_reads(staff_client(), consultation, comments, answer_text)
    finally:
        PublicComment.objects.all().delete()


def test_a_comment_with_every_control_character_is_approved_and_every_file_opens(send):
    """The issue's "done when": typed through the form, approved by a moderator in the
    admin, then every export and synthesis download answers 200 with a file that opens."""
    body = "=" + CONTROLS + BIDI + INVISIBLE + "\ufffe\uffff\U0010ffff Đề nghị bổ sung\u0301 😊"
    response = send(
        body=body,
        display_name="Nguyễn\x0bVăn\u202e An\x00",
        address="Số 5\r\nphố Hiến\x1b",
        phone="\x00\u202e0912 345 678",
    )
    assert response.status_code == 303
    comment = PublicComment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert comment.body == clean_input(body).strip()
    assert comment.display_name == "Nguyễn Văn An"

    client = staff_client()
    moderate = "wagtailsnippets_wagtail_policycomms_publiccomment:moderate"
    response = client.post(
        reverse(moderate, args=[comment.pk, "approve"]), {"seen_status": "pending"}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    factories.answer_comments(PublicComment.objects.all(), text="Tiếp thu\x0b, đã sửa.")
    assert_every_file_reads(client, comment.consultation, [comment], "Tiếp thu\x0b, đã sửa.")
