"""Report tables as files: CSV (UTF-8 with a BOM, so Excel reads Vietnamese) and XLSX.

The reports are small (one row per draft, per unit or per figure), so each file is
built in memory in one go, while the user's admin language is still active. Every
text cell goes through ``formats.text.for_xlsx``, so a title starting with "=" never
runs as a formula and no stored character can break the file; numbers stay numbers.
The XLSX is laid out by ``formats.xlsx`` (columns sized from what they hold, wrapped
text, the frozen and repeated heading row, A4 landscape).
"""

import csv
import io

from django.http import HttpResponse

from ..exports.writers import BOM
from ..formats import xlsx
from ..formats.xlsx import XLSX_CONTENT_TYPE


def cell_value(value):
    """Text for text, numbers for numbers; whole-number Decimals (VND) become ints."""
    value = xlsx.cell_value(value)
    return "" if value is None else value


def csv_response(filename, headings, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([cell_value(h) for h in headings])
    for row in rows:
        writer.writerow([cell_value(value) for value in row])
    response = HttpResponse(BOM + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename, sheet_title, headings, rows):
    headings = [cell_value(h) for h in headings]
    rows = [[xlsx.cell_value(value) for value in row] for row in rows]
    response = HttpResponse(
        xlsx.workbook_bytes(sheet_title, headings, rows), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
