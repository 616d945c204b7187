"""The report as an XLSX workbook, for staff who work on it in a spreadsheet.

Named ``spreadsheet`` to match ``word``; only layout lives here, the content
comes from ``data.build_synthesis``. Cells are neutralised like comment exports
and cut to the length a cell can hold.
"""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ..exports import neutralise
from .data import COLUMN_HEADINGS

XLSX_CELL_LIMIT = 32767


def _fit(text):
    text = neutralise(text)
    if len(text) > XLSX_CELL_LIMIT:
        return text[: XLSX_CELL_LIMIT - 1] + "…"
    return text


def render_xlsx(synthesis, fileobj):
    """The same report as a workbook: a totals sheet, then the four-column table."""
    workbook = Workbook()
    overview = workbook.active
    overview.title = "Tổng quan"
    bold = Font(bold=True)
    for line in (synthesis.drafting_unit.upper(), synthesis.title, synthesis.draft_title):
        overview.append([_fit(line)])
        overview.cell(row=overview.max_row, column=1).font = bold
    for period in synthesis.periods:
        overview.append([_fit(f"{period.title}: từ ngày {period.opens} đến ngày {period.closes}")])
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
    overview.append(["Theo chủ thể góp ý"])
    overview.cell(row=overview.max_row, column=1).font = bold
    for label, count in totals.by_commenter_type:
        overview.append([label, count])
    overview.column_dimensions["A"].width = 60

    table = workbook.create_sheet("Bảng tổng hợp")
    table.append(list(COLUMN_HEADINGS))
    for cell in table[1]:
        cell.font = bold
    wrap = Alignment(wrap_text=True, vertical="top")
    for section in synthesis.sections:
        for row in section.rows:
            table.append(
                [
                    _fit(section.heading),
                    _fit("\n".join(row.authors)),
                    _fit(row.text),
                    _fit("\n".join(str(answer) for answer in row.answers)),
                ]
            )
            for cell in table[table.max_row]:
                cell.alignment = wrap
    for letter, width in zip("ABCD", (30, 30, 60, 50), strict=True):
        table.column_dimensions[letter].width = width
    table.freeze_panes = "A2"
    table.print_title_rows = "1:1"
    workbook.save(fileobj)
