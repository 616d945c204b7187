"""The report as a Word document (DOCX), the form it is signed and published in.

Named ``word`` rather than ``docx`` so the module is never mistaken for the
python-docx package it uses. Only layout lives here; the content comes from
``data.build_synthesis``.
"""

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ..formats import localtime
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
        run = paragraph.add_run(text)
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
        run = paragraph.add_run(line)
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
        merged = cells[0].merge(cells[3])
        _cell_lines(merged, [NO_COMMENTS], align=WD_ALIGN_PARAGRAPH.CENTER)
        return table
    for section in synthesis.sections:
        first_cell = None
        for row in section.rows:
            cells = table.add_row().cells
            for cell, width in zip(cells, TABLE_WIDTHS, strict=True):
                cell.width = width
            if first_cell is None:
                first_cell = cells[0]
                _cell_lines(first_cell, [section.heading], bold=True)
            last_cell = cells[0]
            _cell_lines(cells[1], row.authors)
            _cell_lines(cells[2], row.text.split("\n"))
            _cell_lines(cells[3], [str(answer) for answer in row.answers] or [""])
        if last_cell is not first_cell:
            first_cell.merge(last_cell)
    return table
