"""Report tables as files: CSV (UTF-8 with a BOM, so Excel reads Vietnamese) and XLSX.

The reports are small (one row per draft, per unit or per figure), so each file is
built in memory in one go, while the user's admin language is still active. Every
text cell goes through ``formats.text.for_xlsx``, so a title starting with "=" never
runs as a formula and no stored character can break the file; numbers stay numbers.
"""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook

from ..exports.writers import BOM, XLSX_CONTENT_TYPE, safe_cell
from ..formats.text import for_xlsx


def cell_value(value):
    """Text for text, numbers for numbers; whole-number Decimals (VND) become ints."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (int, float)):
        return value
    return for_xlsx(str(value))


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
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(sheet_title)[:31])
    for row in [headings, *rows]:
        sheet.append([safe_cell(sheet, cell_value(value)) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(output.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
