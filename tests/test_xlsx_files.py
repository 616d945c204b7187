"""Every XLSX file the admin hands out opens readable and prints on A4: downloaded through
the real views (comment export, synthesis, each report, assignments), opened with openpyxl.

Each sheet with a table has a width on every column (narrow for codes, numbers and dates,
wide for comments and answers), wrapped text, a frozen heading row repeated on every
printed page, A4 landscape fitted to the width; dates are date cells shown dd/mm/yyyy.
"""

import io
from datetime import datetime

import openpyxl
import pytest
from django.test import Client
from openpyxl.utils import get_column_letter

from tests import factories
from tests.office_downloads import (
    COMMENT_START,
    DUE_ON,
    STARTS_ON,
    SUBMITTED_LOCAL,
    make_world,
    xlsx_downloads,
)
from wagtail_policycomms.formats import xlsx


@pytest.fixture
def download(index):
    """The XLSX file of that name, downloaded by an editor."""
    world = make_world(index)
    client = Client()
    client.force_login(factories.make_superuser())

    def get(name):
        (found,) = xlsx_downloads(client, world, names={name})
        return found

    return get


def workbook(download):
    return openpyxl.load_workbook(io.BytesIO(download.content))


def columns_by_heading(sheet):
    """Heading text -> (letter, the cells below it)."""
    heading, *rows = list(sheet.iter_rows())
    return {
        cell.value: (get_column_letter(index), [row[index - 1] for row in rows])
        for index, cell in enumerate(heading, 1)
    }


def width(sheet, letter):
    dimension = sheet.column_dimensions[letter]
    assert dimension.customWidth, f"column {letter} has the default width"
    return dimension.width


def assert_table_layout(sheet):
    """Widths on every column, the heading row bold, wrapped, frozen, repeated; A4 landscape."""
    assert sheet.max_column >= 2
    for index in range(1, sheet.max_column + 1):
        assert width(sheet, get_column_letter(index)) >= 8
    heading = next(sheet.iter_rows(max_row=1))
    assert all(cell.font.bold and cell.alignment.wrap_text for cell in heading)
    assert sheet.freeze_panes == "A2"
    assert sheet.print_title_rows == "$1:$1"
    assert_print_setup(sheet)


def assert_print_setup(sheet):
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert int(sheet.page_setup.fitToWidth) == 1
    assert int(sheet.page_setup.fitToHeight) == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage


def test_comment_export(download):
    sheet = workbook(download("comments")).active
    assert_table_layout(sheet)
    columns = columns_by_heading(sheet)
    comment_letter, comments = columns["Comment"]
    assert width(sheet, comment_letter) >= 50
    assert width(sheet, columns["Answer"][0]) >= 50
    assert width(sheet, columns["Receipt code"][0]) <= 20
    long = next(cell for cell in comments if cell.value.startswith(COMMENT_START))
    assert long.alignment.wrap_text
    assert long.alignment.vertical == "top"
    # As tall as its lines: LibreOffice would otherwise run the text over the next rows.
    assert sheet.row_dimensions[long.row].height >= 3 * xlsx.LINE_HEIGHT
    assert all(cell.alignment.wrap_text for cell in columns["Answer"][1] if cell.value)

    submitted_letter, submitted = columns["Submitted"]
    assert width(sheet, submitted_letter) <= 20
    assert width(sheet, submitted_letter) >= len("20/05/2024 08:05")
    for cell in submitted:
        assert cell.is_date
        assert cell.number_format == "dd/mm/yyyy hh:mm"
        assert cell.value == SUBMITTED_LOCAL  # on the department's clock, not UTC


def test_synthesis(download):
    book = workbook(download("synthesis"))
    table = book["Bảng tổng hợp"]
    assert_table_layout(table)
    assert width(table, "C") >= 50  # the comments
    body = list(table.iter_rows(min_row=2))
    assert any(str(row[2].value).startswith(COMMENT_START) for row in body)
    assert all(cell.alignment.wrap_text for row in body for cell in row if cell.value)

    overview = book["Tổng quan"]
    assert width(overview, "A") >= 50
    assert_print_setup(overview)


@pytest.mark.parametrize("report", ["compliance", "justice", "assignments_by_unit"])
def test_reports(download, report):
    sheet = workbook(download(f"report-{report}")).active
    assert_table_layout(sheet)
    first = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert first and all(cell.alignment.wrap_text for cell in first if cell.value)
    numbers = [
        (cell.column_letter, cell)
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if isinstance(cell.value, int)
    ]
    assert numbers
    for letter, _cell in numbers:  # a column of counts only is narrow
        column = [row[0] for row in sheet.iter_cols(min_row=2) if row[0].column_letter == letter]
        if all(isinstance(c.value, int) for c in column):
            assert width(sheet, letter) <= 20


def test_justice_report_columns_fit_their_text(download):
    sheet = workbook(download("report-justice")).active
    for index in range(1, sheet.max_column + 1):
        letter = get_column_letter(index)
        longest = max(len(str(cell.value or "")) for (cell,) in sheet.iter_rows(
            min_col=index, max_col=index, min_row=2))  # fmt: skip
        assert width(sheet, letter) >= min(longest, 60), letter


def test_assignment_export(download):
    sheet = workbook(download("assignments")).active
    assert_table_layout(sheet)
    columns = columns_by_heading(sheet)
    title_letter, titles = columns["Title"]
    assert width(sheet, title_letter) >= 30
    assert all(cell.alignment.wrap_text for cell in titles)
    for heading, expected in (("Start date", STARTS_ON), ("Due date or time frame", DUE_ON)):
        letter, cells = columns[heading]
        assert width(sheet, letter) >= len("dd/mm/yyyy")
        dated = [cell for cell in cells if cell.is_date]
        assert [cell.value for cell in dated] == [datetime(expected.year, expected.month,
                                                           expected.day)]  # fmt: skip
        assert dated[0].number_format == "dd/mm/yyyy"
    assert "Khi có dự thảo" in [cell.value for cell in columns["Due date or time frame"][1]]


def test_aware_datetimes_are_written_on_the_local_clock():
    """The helper every writer uses: openpyxl refuses aware datetimes; UTC would be 7 hours off."""
    from tests.office_downloads import SUBMITTED_AT

    assert xlsx.cell_value(SUBMITTED_AT) == SUBMITTED_LOCAL
    assert xlsx.date_value(SUBMITTED_AT) == SUBMITTED_LOCAL
    assert xlsx.date_value("Không phải ngày") == "Không phải ngày"


def test_a_laid_out_write_only_sheet_takes_rows_of_cells_and_rows_of_values():
    """SheetLayout's short cut for rows of cells leaves plain rows to openpyxl."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("x")
    layout = xlsx.SheetLayout(sheet, [xlsx.TEXT, xlsx.DATETIME])
    layout.append_heading(["Nội dung", "Ngày"])
    layout.append(["=1+1", datetime(2026, 12, 1, 8, 30)])
    layout.append([None, None])
    sheet.append(["plain", 7])  # not cells: openpyxl's own conversion
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    rows = list(openpyxl.load_workbook(buffer).active.iter_rows(values_only=True))
    assert rows[0] == ("Nội dung", "Ngày")
    assert rows[1][0] == "'=1+1"  # text, never a formula
    assert rows[1][1].strftime("%d/%m/%Y") == "01/12/2026"
    assert rows[-1] == ("plain", 7)
