"""The report as a Word document (DOCX), the form it is signed and published in.

Named ``word`` rather than ``docx`` so the module is never mistaken for the
python-docx package it uses. Only layout lives here; the content comes from
``data.build_synthesis``, the official header and signature block (shared with the
report to the Department of Justice) from ``formats.word``, and who issues the report
from the site's ``DepartmentSettings``.
"""

import re

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm
from lxml.etree import SubElement
from wagtail.models import Site

from ..formats.text import for_xml
from ..formats.word import (
    cell_lines,
    fixed_table,
    new_document,
    official_header,
    paragraph,
    repeat_as_header,
    signature_block,
)
from ..models import DepartmentSettings
from .data import (
    COLUMN_HEADINGS,
    NO_COMMENTS,
    SIGNATURE_HINT,
    SIGNATURE_TITLE,
    totals_lines,
)

TABLE_WIDTHS = (Cm(3.4), Cm(3.4), Cm(5.2), Cm(4.5))
#: Where the signer writes their name by hand.
SIGNER_NAME = "……………………………"


def department_of(synthesis):
    """The issuing agency of the draft's site (``DepartmentSettings``; one query or two)."""
    site = synthesis.draft.get_site() if synthesis.draft is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    return DepartmentSettings.for_site(site)


def render_docx(synthesis, fileobj, department=None):
    """Write the report as a DOCX: A4, Times New Roman 13, the official header of
    ``department`` (``DepartmentSettings``, by default the draft's site's), the table."""
    department = department or department_of(synthesis)
    document = new_document(size=13)
    official_header(document, department, synthesis.generated_at)

    center = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(document, synthesis.title, bold=True, align=center, space_before=12)
    paragraph(document, synthesis.draft_title, bold=True, align=center)
    paragraph(
        document,
        f"(Đơn vị chủ trì soạn thảo: {synthesis.drafting_unit})",
        italic=True,
        align=center,
        space_after=6,
    )
    for period in synthesis.periods:
        paragraph(
            document,
            f"({period.title}: từ ngày {period.opens} đến ngày {period.closes})",
            italic=True,
            align=center,
        )

    paragraph(document, "I. KẾT QUẢ LẤY Ý KIẾN", bold=True, space_before=12, space_after=6)
    for line in totals_lines(synthesis.totals):
        paragraph(document, line, space_after=3)

    paragraph(
        document,
        "II. NỘI DUNG TỔNG HỢP, TIẾP THU, GIẢI TRÌNH",
        bold=True,
        space_before=12,
        space_after=6,
    )
    _add_table(document, synthesis)

    signature_block(document, [SIGNATURE_TITLE], SIGNER_NAME, hint=SIGNATURE_HINT)
    document.save(fileobj)


def _add_table(document, synthesis):
    """The four-column table: a heading row repeated on each page, then one row per
    merged comment, the first column of each section merged vertically.

    The rows are written as WordprocessingML directly (``_append_row``), not through
    python-docx's ``table.add_row().cells`` and ``cell.merge``: those recompute the
    table's grid on every call (quadratic over a section) and ``merge`` recurses once
    per row, which raised ``RecursionError`` past about 940 rows. The XML is the same
    as python-docx wrote: ``w:vMerge="restart"`` on the section's first cell and a bare
    ``w:vMerge`` (continue) with an empty paragraph below it.
    """
    table = fixed_table(document, 1, TABLE_WIDTHS, style="Table Grid")
    heading = table.rows[0]
    repeat_as_header(heading)
    for cell, text in zip(heading.cells, COLUMN_HEADINGS, strict=True):
        cell_lines(cell, [text], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    if not synthesis.sections:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[3])  # one row, across: cheap
        cell_lines(merged, [NO_COMMENTS], align=WD_ALIGN_PARAGRAPH.CENTER)
        return table
    widths = [str(width.twips) for width in TABLE_WIDTHS]
    tbl = table._tbl
    for section in synthesis.sections:
        merged = len(section.rows) > 1
        for i, row in enumerate(section.rows):
            if i == 0:
                first = (section.heading,), "restart" if merged else None
            else:
                first = (), "continue"
            _append_row(
                tbl,
                widths,
                first,
                row.authors,
                for_xml(row.text).split("\n"),
                [str(answer) for answer in row.answers] or [""],
            )
    return table


# --- Table rows as XML ------------------------------------------------------------------

_TAGS = {
    name: qn(f"w:{name}")
    for name in ("tr", "tc", "tcPr", "tcW", "vMerge", "p", "r", "rPr", "b", "t", "tab", "br")
}
_W, _VAL, _TYPE = qn("w:w"), qn("w:val"), qn("w:type")
_SPACE = qn("xml:space")
#: What python-docx's ``run.text`` turns into elements of their own.
_RUN_BREAKS = re.compile(r"([\t\r\n])")


def _append_run(paragraph, text, bold):
    """A run as python-docx's ``paragraph.add_run(text)`` with ``run.bold = bold`` writes it.

    The text goes through ``for_xml``: one control character (Word's vertical tab in
    pasted text, a row stored before the form cleaned its input) would make lxml
    refuse the whole document.
    """
    tags = _TAGS
    run = SubElement(paragraph, tags["r"])
    properties = SubElement(run, tags["rPr"])
    weight = SubElement(properties, tags["b"])
    if not bold:
        weight.set(_VAL, "0")
    for piece in _RUN_BREAKS.split(for_xml(text)):
        if piece == "\t":
            SubElement(run, tags["tab"])
        elif piece in ("\r", "\n"):
            SubElement(run, tags["br"])
        elif piece:
            element = SubElement(run, tags["t"])
            element.text = piece
            if len(piece.strip()) < len(piece):
                element.set(_SPACE, "preserve")


def _append_cell(tr, width, lines, *, bold=False, merge=None):
    tags = _TAGS
    tc = SubElement(tr, tags["tc"])
    properties = SubElement(tc, tags["tcPr"])
    SubElement(properties, tags["tcW"], {_TYPE: "dxa", _W: width})
    if merge == "restart":
        SubElement(properties, tags["vMerge"], {_VAL: "restart"})
    elif merge == "continue":
        SubElement(properties, tags["vMerge"])
    if not lines:
        SubElement(tc, tags["p"])  # a cell holds at least one paragraph
    for line in lines:
        _append_run(SubElement(tc, tags["p"]), line, bold)


def _append_row(tbl, widths, first, authors, text_lines, answer_lines):
    """Append one ``w:tr`` of the comments table: ``first`` is (lines, vMerge) of column 1."""
    tr = SubElement(tbl, _TAGS["tr"])
    first_lines, merge = first
    _append_cell(tr, widths[0], first_lines, bold=True, merge=merge)
    _append_cell(tr, widths[1], authors)
    _append_cell(tr, widths[2], text_lines)
    _append_cell(tr, widths[3], answer_lines)
