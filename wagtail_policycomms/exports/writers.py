"""The file formats: CSV (UTF-8 with a BOM, so Excel reads Vietnamese) and XLSX.

Separate from the rows (``columns``) so the formats can change without touching
what is exported, and from the views so a background task can write a file.
CSV is produced for a streaming response: the BOM and headings first, before any
comment is read, then blocks of about ``CSV_BLOCK_CHARS`` (one write per block,
not per line, for the server). XLSX uses openpyxl's write-only mode, which
keeps the rows on disk. Every cell goes through ``formats.text`` (``for_csv_row``,
``for_xlsx``): spreadsheets never run text as a formula, and no character a
comment was stored with (before the form cleaned its input) breaks a file.
"""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ..formats.text import for_csv_row, for_xlsx
from .columns import CommentRowBuilder, headings

BOM = "\ufeff"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Characters of CSV gathered before they are handed to the response.
CSV_BLOCK_CHARS = 64 * 1024


def safe_cell(sheet, value):
    """A write-only XLSX cell that is never a formula, whatever openpyxl guessed."""
    cell = WriteOnlyCell(sheet, value)
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def _builder(builder, with_personal_data, request):
    if builder is not None:
        return builder
    return CommentRowBuilder(with_personal_data=with_personal_data, request=request)


def iter_csv(queryset, *, with_personal_data=False, request=None, builder=None):
    """CSV text for a streaming response: first the BOM and the heading line alone (no
    query is run before it is sent), then blocks of rows.

    Pass a ``CommentRowBuilder`` as ``builder`` to read its ``count`` of rows afterwards.
    """
    builder = _builder(builder, with_personal_data, request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings(builder.columns))
    yield BOM + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for values in builder.iter_rows(queryset):
        writer.writerow(for_csv_row(values))
        if buffer.tell() >= CSV_BLOCK_CHARS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def write_csv(queryset, fileobj, *, with_personal_data, request=None):
    """Write the CSV (UTF-8 bytes, with a BOM) to a binary file object; returns the row count."""
    builder = _builder(None, with_personal_data, request)
    for block in iter_csv(queryset, builder=builder):
        fileobj.write(block.encode("utf-8"))
    return builder.count


def _xlsx_cell(sheet, value):
    value = for_xlsx(value)
    if value == "":
        return None  # an empty cell: openpyxl skips it instead of writing an empty string
    # Plain values share openpyxl's one reusable cell; only text that openpyxl would
    # take for a formula (none is left after for_xlsx) needs a cell of its own.
    if isinstance(value, str) and value.startswith("="):
        return safe_cell(sheet, value)
    return value


def write_xlsx(queryset, fileobj, *, with_personal_data=False, request=None, builder=None):
    """Write an XLSX workbook to a binary file object; returns the row count. openpyxl's
    write-only mode keeps the rows on disk, not in memory."""
    builder = _builder(builder, with_personal_data, request)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Comments")[:31])
    sheet.append(headings(builder.columns))
    for values in builder.iter_rows(queryset):
        sheet.append([_xlsx_cell(sheet, value) for value in values])
    workbook.save(fileobj)
    return builder.count
