"""The file formats: CSV (UTF-8 with a BOM, so Excel reads Vietnamese) and XLSX.

Separate from the rows (``columns``) so the formats can change without touching
what is exported, and from the views so a background task can write a file.
CSV is produced for a streaming response: the BOM and headings first, before any
comment is read, then blocks of about ``CSV_BLOCK_CHARS`` (one write per block,
not per line, for the server). XLSX uses openpyxl's write-only mode, which
keeps the rows on disk, and the layout of ``formats.xlsx`` (column widths from
``XLSX_COLUMNS``, wrapped comment and answer text, a frozen heading row, the date of
submission as a date cell, A4 landscape print setup). Every cell goes through
``formats.text`` (``for_csv_row``, ``for_xlsx``): spreadsheets never run text as a
formula, and no character a comment was stored with (before the form cleaned its
input) breaks a file.
"""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from ..formats import format_staff_datetime, xlsx
from ..formats.text import for_csv_row
from ..formats.xlsx import XLSX_CONTENT_TYPE, safe_cell  # noqa: F401 (exports re-exports them)
from .columns import CommentRowBuilder, headings

BOM = "\ufeff"
#: Characters of CSV gathered before they are handed to the response.
CSV_BLOCK_CHARS = 64 * 1024

#: The XLSX layout of each export column (``formats.xlsx``); a column not listed is ``TEXT``.
XLSX_COLUMNS = {
    "receipt_code": xlsx.CODE,
    "consultation": xlsx.TEXT,
    "draft_policy": xlsx.TEXT,
    "article_heading": xlsx.SHORT_TEXT,
    "article_link": xlsx.TEXT,
    "page_revision": xlsx.NUMBER,
    "commenter_type": xlsx.SHORT_TEXT,
    "author": xlsx.SHORT_TEXT,
    "body": xlsx.LONG_TEXT,
    "submitted_at": xlsx.DATETIME,
    "status": xlsx.SHORT_TEXT,
    "moderation_reason": xlsx.SHORT_TEXT,
    "moderation_note": xlsx.TEXT,
    "moderated_by": xlsx.SHORT_TEXT,
    "disposition": xlsx.SHORT_TEXT,
    "answer": xlsx.LONG_TEXT,
    "answer_published": xlsx.NUMBER,
    "themes": xlsx.SHORT_TEXT,
    "duplicate_count": xlsx.NUMBER,
    "campaign": xlsx.NUMBER,
    "campaign_size": xlsx.NUMBER,
    "email": xlsx.SHORT_TEXT,
    "phone": xlsx.CODE,
    "address": xlsx.TEXT,
    "ip_address": xlsx.CODE,
    "user_agent": xlsx.TEXT,
    "attachments": xlsx.TEXT,
}
#: Columns whose values are datetimes (their XLSX layout says so): dd/mm/yyyy HH:MM text in
#: a CSV (``format_staff_datetime``), date cells on the local clock in an XLSX.
DATETIME_COLUMNS = frozenset(key for key, spec in XLSX_COLUMNS.items() if spec is xlsx.DATETIME)


def _datetime_indexes(builder):
    return [i for i, column in enumerate(builder.columns) if column.key in DATETIME_COLUMNS]


def _builder(builder, with_personal_data, request):
    if builder is not None:
        return builder
    return CommentRowBuilder(with_personal_data=with_personal_data, request=request)


def stream_csv(heading, rows):
    """CSV text for a streaming response: first the BOM and the ``heading`` line alone (sent
    before ``rows`` runs a query), then blocks of about ``CSV_BLOCK_CHARS`` of ``rows``, each
    cell made safe for a spreadsheet (``for_csv_row``). Memory stays at one block."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(heading)
    yield BOM + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for values in rows:
        writer.writerow(for_csv_row(values))
        if buffer.tell() >= CSV_BLOCK_CHARS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def iter_csv(queryset, *, with_personal_data=False, request=None, builder=None):
    """The queue's CSV for a streaming response (``stream_csv``).

    Pass a ``CommentRowBuilder`` as ``builder`` to read its ``count`` of rows afterwards.
    """
    builder = _builder(builder, with_personal_data, request)
    dates = _datetime_indexes(builder)

    def rows():
        for values in builder.iter_rows(queryset):
            for index in dates:
                values[index] = format_staff_datetime(values[index])
            yield values

    yield from stream_csv(headings(builder.columns), rows())


def write_csv(queryset, fileobj, *, with_personal_data, request=None):
    """Write the CSV (UTF-8 bytes, with a BOM) to a binary file object; returns the row count."""
    builder = _builder(None, with_personal_data, request)
    for block in iter_csv(queryset, builder=builder):
        fileobj.write(block.encode("utf-8"))
    return builder.count


def write_xlsx(queryset, fileobj, *, with_personal_data=False, request=None, builder=None):
    """Write an XLSX workbook to a binary file object; returns the row count. openpyxl's
    write-only mode keeps the rows on disk, not in memory."""
    builder = _builder(builder, with_personal_data, request)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Comments")[:31])
    keys = [column.key for column in builder.columns]
    layout = xlsx.SheetLayout(sheet, [XLSX_COLUMNS.get(key, xlsx.TEXT) for key in keys])
    dates = _datetime_indexes(builder)
    layout.append_heading(headings(builder.columns))
    for values in builder.iter_rows(queryset):
        for index in dates:
            values[index] = xlsx.date_value(values[index])
        layout.append(values)
    workbook.save(fileobj)
    return builder.count
