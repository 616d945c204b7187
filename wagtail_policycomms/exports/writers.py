"""The file formats: CSV (UTF-8 with a BOM, so Excel reads Vietnamese) and XLSX.

Separate from the rows (``columns``) so the formats can change without touching
what is exported, and from the views so a background task can write a file.
CSV is produced a line at a time, for a streaming response; XLSX uses openpyxl's
write-only mode. Every cell goes through ``neutralise()`` so spreadsheets never
run text as a formula.
"""

import csv

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .columns import export_columns, headings, iter_comment_rows, neutralise

BOM = "\ufeff"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _strip_control_characters(value):
    """XLSX cannot hold most control characters; openpyxl would refuse the whole file."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def safe_cell(sheet, value):
    """A write-only XLSX cell that is never a formula, whatever openpyxl guessed."""
    cell = WriteOnlyCell(sheet, value)
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


class _Echo:
    def write(self, value):
        return value


def iter_csv(queryset, *, with_personal_data, request=None):
    """CSV text, a line at a time, starting with a BOM: for a streaming response."""
    columns = export_columns(with_personal_data)
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(headings(columns))
    for row in iter_comment_rows(queryset, with_personal_data=with_personal_data, request=request):
        yield writer.writerow([neutralise(row[c.key]) for c in columns])


def write_csv(queryset, fileobj, *, with_personal_data, request=None):
    """Write the CSV (UTF-8 bytes, with a BOM) to a binary file object."""
    for line in iter_csv(queryset, with_personal_data=with_personal_data, request=request):
        fileobj.write(line.encode("utf-8"))


def write_xlsx(queryset, fileobj, *, with_personal_data, request=None):
    """Write an XLSX workbook to a binary file object; openpyxl's write-only mode keeps
    the rows on disk, not in memory."""
    columns = export_columns(with_personal_data)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Comments")[:31])
    sheet.append(headings(columns))
    for row in iter_comment_rows(queryset, with_personal_data=with_personal_data, request=request):
        sheet.append(
            [
                safe_cell(sheet, neutralise(_strip_control_characters(row[column.key])))
                for column in columns
            ]
        )
    workbook.save(fileobj)
