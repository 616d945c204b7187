"""The report as an XLSX workbook, for staff who work on it in a spreadsheet.

Named ``spreadsheet`` to match ``word``; only layout lives here, the content
comes from ``data.build_synthesis``. Cells are made safe like comment exports
(``formats.text.for_xlsx``: only what XML holds, never a formula, cut to the length
a cell can hold; and ``exports.safe_cell``).

The workbook is written in openpyxl's write-only mode, like the comment exports:
rows go to disk as they are appended, so a section of thousands of comments costs
the same per row as a short one (a normal worksheet's ``max_row`` scans every cell,
which made appending row by row quadratic). The section's heading is repeated on
each of its rows, never merged, so the sheet sorts and filters as a plain table.
"""

from copy import copy

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ..exports import safe_cell
from ..formats.text import for_xlsx
from .data import COLUMN_HEADINGS

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _cell(sheet, value, *, font=None, alignment=None):
    cell = safe_cell(sheet, for_xlsx(value))
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _styled_like(template):
    """A cell factory copying ``template``'s style: setting ``alignment`` on each cell
    looks the style up (hashing it) every time, a third of the time on a long table."""

    def cell(sheet, value):
        made = safe_cell(sheet, for_xlsx(value))
        made._style = copy(template._style)
        return made

    return cell


def render_xlsx(synthesis, fileobj):
    """The same report as a workbook: a totals sheet, then the four-column table."""
    workbook = Workbook(write_only=True)
    overview = workbook.create_sheet("Tổng quan")
    overview.column_dimensions["A"].width = 60  # column sizes go before the rows
    for line in (synthesis.drafting_unit.upper(), synthesis.title, synthesis.draft_title):
        overview.append([_cell(overview, line, font=BOLD)])
    for period in synthesis.periods:
        overview.append(
            [_cell(overview, f"{period.title}: từ ngày {period.opens} đến ngày {period.closes}")]
        )
    overview.append([])
    totals = synthesis.totals
    for label, value in (
        ("Tổng số ý kiến góp ý nhận được", totals.received),
        ("Số ý kiến được duyệt", totals.approved),
        ("Số ý kiến không được duyệt", totals.rejected),
        ("Số ý kiến chưa xử lý", totals.pending),
        ("Số ý kiến rác đã loại (không tính vào tổng số)", totals.spam),
    ):
        overview.append([label, value])
    overview.append([])
    overview.append([_cell(overview, "Theo chủ thể góp ý", font=BOLD)])
    for label, count in totals.by_commenter_type:
        overview.append([label, count])

    table = workbook.create_sheet("Bảng tổng hợp")
    for letter, width in zip("ABCD", (30, 30, 60, 50), strict=True):
        table.column_dimensions[letter].width = width
    table.freeze_panes = "A2"
    table.print_title_rows = "1:1"
    table.append([_cell(table, text, font=BOLD) for text in COLUMN_HEADINGS])
    wrapped = _styled_like(_cell(table, "", alignment=WRAP))
    for section in synthesis.sections:
        heading = section.heading
        for row in section.rows:
            table.append(
                [
                    wrapped(table, value)
                    for value in (
                        heading,
                        "\n".join(row.authors),
                        row.text,
                        "\n".join(str(answer) for answer in row.answers),
                    )
                ]
            )
    workbook.save(fileobj)
