"""The report as an XLSX workbook, for staff who work on it in a spreadsheet.

Named ``spreadsheet`` to match ``word``; only layout lives here, the content
comes from ``data.build_synthesis``. Cells are made safe like comment exports
(``formats.text.for_xlsx``: only what XML holds, never a formula, cut to the length
a cell can hold) and laid out like every XLSX of the package (``formats.xlsx``: column
widths, wrapped text, the frozen and repeated heading row, A4 landscape).

The workbook is written in openpyxl's write-only mode, like the comment exports:
rows go to disk as they are appended, so a section of thousands of comments costs
the same per row as a short one (a normal worksheet's ``max_row`` scans every cell,
which made appending row by row quadratic). The section's heading is repeated on
each of its rows, never merged, so the sheet sorts and filters as a plain table.
"""

from openpyxl import Workbook

from ..formats import xlsx
from .data import COLUMN_HEADINGS

#: The totals sheet: labels, then counts.
OVERVIEW_COLUMNS = (xlsx.LONG_TEXT, xlsx.NUMBER)
#: The table: article, who commented, the comment, the drafting body's answer.
TABLE_COLUMNS = (
    xlsx.ColumnSpec(30, wrap=True),
    xlsx.ColumnSpec(30, wrap=True),
    xlsx.LONG_TEXT,
    xlsx.ColumnSpec(50, wrap=True),
)


def render_xlsx(synthesis, fileobj):
    """The same report as a workbook: a totals sheet, then the four-column table."""
    workbook = Workbook(write_only=True)
    overview = workbook.create_sheet("Tổng quan")
    summary = xlsx.SheetLayout(overview, OVERVIEW_COLUMNS, header_rows=0)
    for line in (synthesis.drafting_unit.upper(), synthesis.title, synthesis.draft_title):
        summary.append_heading([line])
    for period in synthesis.periods:
        summary.append([f"{period.title}: từ ngày {period.opens} đến ngày {period.closes}"])
    summary.append_blank()
    totals = synthesis.totals
    for label, value in (
        ("Tổng số ý kiến góp ý nhận được", totals.received),
        ("Số ý kiến được duyệt", totals.approved),
        ("Số ý kiến không được duyệt", totals.rejected),
        ("Số ý kiến chưa xử lý", totals.pending),
        ("Số ý kiến rác đã loại (không tính vào tổng số)", totals.spam),
    ):
        summary.append([label, value])
    summary.append_blank()
    summary.append_heading(["Theo chủ thể góp ý"])
    for label, count in totals.by_commenter_type:
        summary.append([label, count])

    table = workbook.create_sheet("Bảng tổng hợp")
    layout = xlsx.SheetLayout(table, TABLE_COLUMNS)
    layout.append_heading(COLUMN_HEADINGS)
    for section in synthesis.sections:
        heading = section.heading
        for row in section.rows:
            layout.append(
                (
                    heading,
                    "\n".join(row.authors),
                    row.text,
                    "\n".join(str(answer) for answer in row.answers),
                )
            )
    workbook.save(fileobj)
