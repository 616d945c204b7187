"""What every Word document of the package shares: the page, the font, and the parts of an
official Vietnamese administrative document (Decree 30/2020/NĐ-CP, Appendix I).

The synthesis report (``synthesis.word``) and the report to the Department of Justice
(``reports.word``) are both written here in one layout: A4 portrait, Times New Roman,
margins of 20 mm top and bottom, 30 mm left and 15 mm right; the header (``official_header``:
governing body and agency on the left, the national motto on the right, each with its
rule, then the number and the place and date); the signature block (``signature_block``,
with "Nơi nhận:" on the left). Who issues the document (names, place, signer) is the
site's ``DepartmentSettings`` (Settings → Issuing agency).

Named ``word`` rather than ``docx`` so the module is never mistaken for the python-docx
package it uses. Every text written goes through ``formats.text.for_xml``.
"""

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt

from . import localtime
from .text import for_xml

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
#: Where the place is not known yet: the writer fills it in by hand.
NO_PLACE = "……"
#: A4 less the margins: the width of the text, of the header and of the signature block.
TEXT_WIDTH = Cm(21 - 3 - 1.5)
HEADER_WIDTHS = (Cm(7.0), Cm(9.5))
#: Narrow cell margins in the borderless tables, so the header's lines fit on one line each.
NARROW = Cm(0.05)
SIGNATURE_WIDTHS = (Cm(7.0), Cm(9.5))
#: The rule under the motto is as long as "Độc lập - Tự do - Hạnh phúc" (14 pt, bold).
MOTTO_RULE = Cm(6.2)
RECIPIENTS_HEADING = "Nơi nhận:"


def new_document(size=13):
    """An empty A4 portrait document: the decree's margins, Times New Roman ``size`` pt."""
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    set_font(document.styles["Normal"], size)
    return document


def set_font(style, size=13):
    style.font.name = FONT
    style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _run(paragraph, text, *, bold=False, italic=False, size=None):
    run = paragraph.add_run(for_xml(text))
    run.bold = bold
    run.italic = italic
    if size is not None:
        run.font.size = Pt(size)
    return run


def paragraph(
    container,
    text="",
    *,
    bold=False,
    italic=False,
    align=None,
    size=None,
    space_before=None,
    space_after=0,
    first_line_indent=None,
):
    """A paragraph of one run (none for empty text) in a document or a table cell."""
    made = container.add_paragraph()
    if text:
        _run(made, text, bold=bold, italic=italic, size=size)
    if align is not None:
        made.alignment = align
    fmt = made.paragraph_format
    fmt.space_after = Pt(space_after)
    if space_before is not None:
        fmt.space_before = Pt(space_before)
    if first_line_indent is not None:
        fmt.first_line_indent = first_line_indent
    return made


def cell_lines(cell, lines, *, bold=False, italic=False, align=None, size=None):
    """Fill a fresh cell with one paragraph per line (its first, empty paragraph first)."""
    for i, line in enumerate(lines):
        made = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        _run(made, line, bold=bold, italic=italic, size=size)
        if align is not None:
            made.alignment = align
        made.paragraph_format.space_after = Pt(0)


def repeat_as_header(row):
    """The row is repeated at the top of each page the table runs onto."""
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def fixed_table(container, rows, widths, *, style=None, cell_margin=None):
    """A table of fixed column ``widths``, set on the grid (LibreOffice) and the cells (Word);
    ``cell_margin`` (a length) replaces the default 0.19 cm left and right of each cell."""
    table = container.add_table(rows=rows, cols=len(widths))
    if style:
        table.style = style
    if cell_margin is not None:
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), str(Emu(cell_margin).twips))
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        table._tbl.tblPr.append(margins)  # after tblW, tblJc and tblLayout, as the schema wants
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    return table


#: What follows ``w:pBdr`` in a paragraph's properties (WordprocessingML's order, which
#: Word enforces): the border goes before the first of these the paragraph has.
_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def rule(container, length, width):
    """A centred horizontal rule ``length`` long, in a block ``width`` wide: an empty
    paragraph one point high with a bottom border, indented on both sides."""
    made = container.add_paragraph()
    fmt = made.paragraph_format
    side = Emu(max(int(width) - int(length), 0) // 2)
    fmt.left_indent = fmt.right_indent = side
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(3)  # a Length: exactly three points
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "auto")):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    made._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_BORDER)
    return made


def vietnamese_date(moment, place=""):
    """ "Hưng Yên, ngày 05 tháng 3 năm 2026": the place and date line of the decree.

    ``moment`` is a date, or a datetime read on the department's clock. As the decree
    asks, a day below 10 and the months 1 and 2 are written with a leading zero
    (05/01, 05/02) and the other months without (tháng 3 … tháng 12).
    """
    local = localtime(moment)
    month = f"{local.month:02d}" if local.month < 3 else str(local.month)
    return f"{place or NO_PLACE}, ngày {local.day:02d} tháng {month} năm {local.year}"


def _agency_rule(agency, cell_width):
    """Between a third and a half of the agency's line (12 pt capitals, about 0.26 cm a letter)."""
    line = min(int(Cm(0.26 * len(agency))), int(cell_width) - int(Cm(0.4)))
    return Emu(max(int(line * 0.4), int(Cm(1.5))))


def official_header(document, department, date, *, document_type=None):
    """The header of an official document as a borderless two-column table.

    Left: the governing body (capitals), the agency (capitals, bold), a short rule, and
    with ``document_type`` ("BC" for a report) the number line "Số: …/BC-<abbreviation>".
    Right: the national motto with the rule under it, then the italic place and date.
    ``department`` is a ``DepartmentSettings`` (or anything with its fields).
    """
    header = fixed_table(document, 2, HEADER_WIDTHS, cell_margin=NARROW)
    (left, right), (number, when) = (row.cells for row in header.rows)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    agency = (department.agency_name or "").upper()
    parent = (department.parent_agency or "").upper()
    # 12 pt (the decree allows 12 to 13) keeps "SỞ KHOA HỌC VÀ CÔNG NGHỆ" and the motto's
    # first line on one line each.
    if parent:
        cell_lines(left, [parent], align=centre, size=12)
        paragraph(left, agency, bold=True, align=centre, size=12)
    else:
        cell_lines(left, [agency], bold=True, align=centre, size=12)
    rule(left, _agency_rule(agency, HEADER_WIDTHS[0]), HEADER_WIDTHS[0])
    cell_lines(right, [MOTTO[0]], bold=True, align=centre, size=12)
    paragraph(right, MOTTO[1], bold=True, align=centre, size=14)
    rule(right, MOTTO_RULE, HEADER_WIDTHS[1])
    if document_type:
        abbreviation = department.agency_abbreviation or ""
        reference = f"{document_type}-{abbreviation}" if abbreviation else document_type
        cell_lines(number, [f"Số: …/{reference}"], align=centre, size=13)
    cell_lines(when, [vietnamese_date(date, department.place)], italic=True, align=centre, size=14)
    for cell in (number, when):
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)
    return header


def signature_block(document, title_lines, name="", *, recipients=(), hint=None):
    """The closing block as a borderless two-column table.

    Left, with ``recipients``: "Nơi nhận:" (12 pt, bold italic) and one line each (11 pt).
    Right: the signer's title (capitals, bold), ``hint`` in italics if given, room for the
    signature and seal, then the signer's ``name`` (bold).
    """
    block = fixed_table(document, 1, SIGNATURE_WIDTHS, cell_margin=NARROW)
    left, right = block.rows[0].cells
    if recipients:
        cell_lines(left, [RECIPIENTS_HEADING], bold=True, italic=True, size=12)
        for line in recipients:
            paragraph(left, line, size=11)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    cell_lines(right, [line.upper() for line in title_lines], bold=True, align=centre, size=14)
    if hint:
        paragraph(right, hint, italic=True, align=centre)
    for _blank in range(4):
        paragraph(right)
    paragraph(right, name, bold=True, align=centre, size=14)
    return block
