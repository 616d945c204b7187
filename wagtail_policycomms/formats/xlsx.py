"""How every XLSX file of the package looks: one layout for the comment exports, the
synthesis workbook, the reports and the assignment export.

A sheet opens readable in Excel and LibreOffice and prints on A4: each column has a
width chosen for what it holds (``ColumnSpec``: narrow for codes, numbers and dates,
wide with wrapped text for comments and answers), the heading row is bold, wraps, stays
in view while scrolling (frozen) and is repeated at the top of every printed page, and
pages are landscape, fitted to the paper's width.

Dates and times are real date cells, not text, so they sort and filter: naive values on
the department's clock (``conf.local_zone()``; openpyxl refuses aware datetimes), shown
as dd/mm/yyyy or dd/mm/yyyy hh:mm. Every text cell goes through ``text.for_xlsx``
(formula-safe, XML-legal, cell-sized).

Works with openpyxl's write-only sheets, which keep a large export's rows on disk:
``SheetLayout(sheet, columns)`` is set up before the first row, then ``append_heading``
and ``append`` write each row (a column's style is copied from one template cell, never
looked up per cell; a row of wrapped text gets the height of its lines). ``SpreadsheetLayoutMixin`` gives the same layout to
the files Wagtail's ``SpreadsheetExportMixin`` writes.
"""

import datetime
import io
from copy import copy
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties

from . import localtime
from .text import for_xlsx

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: Number formats of date cells: dd/mm/yyyy, as everywhere in the package.
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
#: A4 in ``page_setup.paperSize`` (the OOXML paper code).
PAPER_A4 = 9


@dataclass(frozen=True)
class ColumnSpec:
    """A column's width (in characters, as Excel counts them), whether its text wraps,
    and the number format of its cells (dates)."""

    width: float
    wrap: bool = False
    number_format: str | None = None


#: Receipt codes, IP addresses, phone numbers.
CODE = ColumnSpec(17)
#: Counts, amounts, yes/no.
NUMBER = ColumnSpec(12)
DATE = ColumnSpec(12, number_format=DATE_FORMAT)
DATETIME = ColumnSpec(17, number_format=DATETIME_FORMAT)
#: Labels and names: a status, a commenter type, a moderator.
SHORT_TEXT = ColumnSpec(20, wrap=True)
#: Titles, notes, themes.
TEXT = ColumnSpec(32, wrap=True)
#: A comment's or an answer's text.
LONG_TEXT = ColumnSpec(60, wrap=True)

#: Points per line of text (11-point type), for the height of a row whose text wraps.
LINE_HEIGHT = 15
#: Characters of ordinary text per unit of column width (a unit is the width of "0").
CHARS_PER_WIDTH = 1.1
#: The tallest row a spreadsheet allows, in points.
MAX_ROW_HEIGHT = 409

HEADING_FONT = Font(bold=True)
HEADING_FILL = PatternFill("solid", fgColor="DDE4EE")


# --- Values --------------------------------------------------------------------------------


def date_value(value):
    """A date or datetime as an XLSX cell holds it: a datetime naive, on the department's
    clock (to the second); a date as it is."""
    if isinstance(value, datetime.datetime):
        return localtime(value).replace(tzinfo=None, microsecond=0)
    return value


def cell_value(value):
    """What a cell holds: text made safe (``for_xlsx``), dates naive on the local clock,
    whole-number Decimals (VND) as ints, numbers as numbers; None and "" are no cell."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return for_xlsx(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return date_value(value)
    if isinstance(value, (int, float)):
        return value
    return for_xlsx(str(value))


def safe_cell(sheet, value):
    """A write-only cell that is never a formula, whatever openpyxl guessed."""
    cell = WriteOnlyCell(sheet, value)
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def _template(sheet, *, wrap, number_format=None, heading=False):
    cell = WriteOnlyCell(sheet)
    cell.alignment = Alignment(wrap_text=wrap, vertical="top")
    if number_format:
        cell.number_format = number_format
    if heading:
        cell.font = HEADING_FONT
        cell.fill = HEADING_FILL
    return cell._style


# --- Sheets --------------------------------------------------------------------------------


def set_up_sheet(sheet, columns, *, header_rows=1):
    """Column widths, the frozen and repeated heading rows, and the print setup (A4
    landscape, fitted to the page's width, gridlines). On a write-only sheet, call it
    before the first row."""
    for index, spec in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = spec.width
    if header_rows:
        sheet.freeze_panes = f"A{header_rows + 1}"
        sheet.print_title_rows = f"1:{header_rows}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.gridLines = True


def text_lines(text, width):
    """How many lines ``text`` takes wrapped in a column ``width`` wide (an estimate that
    errs on the tall side)."""
    per_line = max(1, int(width * CHARS_PER_WIDTH))
    return sum(-(-len(part) // per_line) or 1 for part in text.split("\n"))


class _CellsToRow:
    """A write-only sheet's row conversion for rows that are already cells.

    openpyxl's ``_values_to_row`` first tries each value as a plain value, which for a
    cell fails with a formatted ``ValueError`` before the cell is taken as it is: about
    a third of the time of a large export (``make bench``). Rows of cells, which is all
    ``SheetLayout`` writes, skip that; any other row goes the original way.
    """

    def __init__(self, original):
        self.original = original

    def __call__(self, values, row_idx):
        if not all(value is None or isinstance(value, Cell) for value in values):
            return self.original(values, row_idx)
        return self._cells(values, row_idx)

    @staticmethod
    def _cells(values, row_idx):
        for col_idx, cell in enumerate(values, 1):
            if cell is None:
                continue
            cell.column = col_idx
            cell.row = row_idx
            if cell.hyperlink is not None:
                cell.hyperlink.ref = cell.coordinate
            yield cell


class SheetLayout:
    """A sheet set up with ``set_up_sheet``, and its rows.

    ``append(values)`` and ``append_heading(values)`` write a row: each value (through
    ``cell_value``) with the style of its column, headings bold and wrapped. Dates in a
    column without a date format get dd/mm/yyyy or dd/mm/yyyy hh:mm. A row whose wrapped
    text needs more than one line is given the height of its lines: LibreOffice does not
    work row heights out when it opens a file, so text would run over the next rows.
    (``row`` and ``heading_row`` give the cells alone.)
    """

    def __init__(self, sheet, columns, *, header_rows=1):
        self.sheet = sheet
        self.columns = list(columns)
        self.rows_written = 0
        if isinstance(sheet, WriteOnlyWorksheet):
            sheet._values_to_row = _CellsToRow(sheet._values_to_row)
        set_up_sheet(sheet, self.columns, header_rows=header_rows)
        self._heading = _template(sheet, wrap=True, heading=True)
        self._styles = [
            _template(sheet, wrap=spec.wrap, number_format=spec.number_format)
            for spec in self.columns
        ]
        self._fallback = _template(sheet, wrap=True)
        self._date_styles = {
            (wrap, fmt): _template(sheet, wrap=wrap, number_format=fmt)
            for wrap in (False, True)
            for fmt in (DATE_FORMAT, DATETIME_FORMAT)
        }

    def _cell(self, value, style):
        cell = safe_cell(self.sheet, value)
        cell._style = copy(style)
        return cell

    def _write(self, cells, *, heading=False):
        self.rows_written += 1
        index = self.rows_written
        lines = 1
        for cell, spec in zip(cells, self.columns, strict=False):
            if cell is not None and isinstance(cell.value, str) and (heading or spec.wrap):
                lines = max(lines, text_lines(cell.value, spec.width))
        if lines > 1:
            self.sheet.row_dimensions[index].height = min(lines * LINE_HEIGHT, MAX_ROW_HEIGHT)
        self.sheet.append(cells)
        if lines > 1 and isinstance(self.sheet, WriteOnlyWorksheet):
            # Written to disk: a large export keeps no row's dimensions in memory.
            del self.sheet.row_dimensions[index]

    def append(self, values):
        self._write(self.row(values))

    def append_heading(self, values):
        self._write(self.heading_row(values), heading=True)

    def append_blank(self):
        self._write([])

    def heading_row(self, values):
        return [self._cell(cell_value(value), self._heading) for value in values]

    def row(self, values):
        cells = []
        for index, value in enumerate(values):
            value = cell_value(value)
            if value is None:
                cells.append(None)
                continue
            spec = self.columns[index] if index < len(self.columns) else None
            style = self._styles[index] if spec is not None else self._fallback
            if isinstance(value, datetime.date) and not (spec and spec.number_format):
                fmt = DATETIME_FORMAT if isinstance(value, datetime.datetime) else DATE_FORMAT
                style = self._date_styles[(bool(spec and spec.wrap), fmt)]
            cells.append(self._cell(value, style))
        return cells


def _longest_line(value):
    if isinstance(value, str):
        return max((len(line) for line in value.split("\n")), default=0)
    return len(str(value))


def fit_columns(headings, rows, *, widest=60):
    """Column specs for a small table held in memory (the reports), from what it holds:
    numbers and dates narrow, text as wide as its longest line up to ``widest``, wrapped."""
    specs = []
    for index, heading in enumerate(headings):
        values = [row[index] for row in rows if index < len(row)]
        values = [v for v in values if v is not None and v != ""]
        heading_width = min(_longest_line(str(heading)), 24)
        if values and all(isinstance(v, datetime.datetime) for v in values):
            specs.append(DATETIME)
        elif values and all(isinstance(v, datetime.date) for v in values):
            specs.append(DATE)
        elif all(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) for v in values):
            longest = max((len(f"{v:,}") for v in values), default=0)
            specs.append(ColumnSpec(max(NUMBER.width, longest + 2, min(heading_width, 16))))
        else:
            longest = max((_longest_line(cell_value(v) or "") for v in values), default=0)
            specs.append(ColumnSpec(min(max(longest, heading_width, 10) + 2, widest), wrap=True))
    return specs


def workbook_bytes(sheet_title, headings, rows, columns=None):
    """A one-sheet workbook (heading row, then ``rows``) as bytes, laid out by ``columns``
    (``fit_columns`` when not given)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(sheet_title)[:31])
    layout = SheetLayout(sheet, columns or fit_columns(headings, rows))
    layout.append_heading(headings)
    for row in rows:
        layout.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- Wagtail's spreadsheet exports ---------------------------------------------------------


class SpreadsheetLayoutMixin:
    """For a view with Wagtail's ``SpreadsheetExportMixin`` (put it first): its XLSX has the
    package's layout. ``xlsx_columns`` maps a ``list_export`` field to its ``ColumnSpec``
    (``TEXT`` otherwise). Dates and datetimes are date cells on the local clock (Wagtail
    would write aware datetimes in UTC); other values go through the view's
    ``preprocess_field_value`` as Wagtail does."""

    xlsx_columns = {}

    def get_xlsx_sheet_title(self):
        return str(self.get_filename())[:31]

    def xlsx_value(self, field, value):
        if isinstance(value, (datetime.date, datetime.time)):
            return value
        return self.preprocess_field_value(field, value, self.FORMAT_XLSX)

    def write_xlsx(self, queryset, output):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=self.get_xlsx_sheet_title())
        layout = SheetLayout(sheet, [self.xlsx_columns.get(f, TEXT) for f in self.list_export])
        layout.append_heading([self.get_heading(queryset, f) for f in self.list_export])
        for item in queryset:
            row = self.to_row_dict(item)
            layout.append([self.xlsx_value(f, v) for f, v in row.items()])
        workbook.save(output)
