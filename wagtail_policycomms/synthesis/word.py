"""The report as a Word document (DOCX), the form it is signed and published in.

Named ``word`` rather than ``docx`` so the module is never mistaken for the
python-docx package it uses. Only layout lives here; the content comes from
``data.build_synthesis``.
"""

import re

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from lxml.etree import SubElement

from ..formats import localtime
from ..formats.text import for_xml
from .data import (
    COLUMN_HEADINGS,
    MOTTO,
    NO_COMMENTS,
    SIGNATURE_HINT,
    SIGNATURE_TITLE,
    totals_lines,
)

FONT = "Times New Roman"
TABLE_WIDTHS = (Cm(3.4), Cm(3.4), Cm(5.2), Cm(4.5))


def _set_font(style, size=13):
    style.font.name = FONT
    style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _paragraph(container, text="", *, bold=False, italic=False, align=None, space_after=0):
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(for_xml(text))
        run.bold = bold
        run.italic = italic
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def _cell_lines(cell, lines, *, bold=False, align=None):
    """Fill a fresh cell with one paragraph per line."""
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        paragraph = first if i == 0 else cell.add_paragraph()
        run = paragraph.add_run(for_xml(line))
        run.bold = bold
        if align is not None:
            paragraph.alignment = align


def _repeat_as_header(row):
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _vietnamese_date(moment):
    local = localtime(moment)
    return f"……, ngày {local:%d} tháng {local:%m} năm {local:%Y}"


def render_docx(synthesis, fileobj):
    """Write the report as a DOCX: A4, Times New Roman 13, the national motto, the table."""
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    _set_font(document.styles["Normal"])

    header = document.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = header.rows[0].cells
    _cell_lines(left, [synthesis.drafting_unit.upper()], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_lines(right, list(MOTTO), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(
        document,
        _vietnamese_date(synthesis.generated_at),
        italic=True,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        space_after=12,
    )

    _paragraph(document, synthesis.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(
        document,
        synthesis.draft_title,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=6,
    )
    for period in synthesis.periods:
        _paragraph(
            document,
            f"({period.title}: từ ngày {period.opens} đến ngày {period.closes})",
            italic=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
        )

    _paragraph(
        document, "I. KẾT QUẢ LẤY Ý KIẾN", bold=True, space_after=6
    ).paragraph_format.space_before = Pt(12)
    for line in totals_lines(synthesis.totals):
        _paragraph(document, line, space_after=3)

    _paragraph(
        document, "II. NỘI DUNG TỔNG HỢP, TIẾP THU, GIẢI TRÌNH", bold=True, space_after=6
    ).paragraph_format.space_before = Pt(12)
    _add_table(document, synthesis)

    signature = document.add_table(rows=1, cols=2)
    _sign_left, sign_right = signature.rows[0].cells
    _cell_lines(sign_right, [SIGNATURE_TITLE], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    hint = sign_right.add_paragraph()
    hint.add_run(SIGNATURE_HINT).italic = True
    hint.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for _blank in range(4):
        sign_right.add_paragraph()
    sign_right.add_paragraph("……………………………").alignment = WD_ALIGN_PARAGRAPH.CENTER
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
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, TABLE_WIDTHS, strict=True):
        column.width = width  # the grid, which LibreOffice reads; Word reads the cells'
    heading = table.rows[0]
    _repeat_as_header(heading)
    for cell, text, width in zip(heading.cells, COLUMN_HEADINGS, TABLE_WIDTHS, strict=True):
        cell.width = width
        _cell_lines(cell, [text], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    if not synthesis.sections:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[3])  # one row, across: cheap
        _cell_lines(merged, [NO_COMMENTS], align=WD_ALIGN_PARAGRAPH.CENTER)
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
