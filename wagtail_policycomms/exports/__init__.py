"""Exports of public comments as CSV (UTF-8 with a BOM, so Excel reads Vietnamese) and XLSX.

Every matching comment is exported, never a top N, each with its status, article
and answer. Built for a million comments: memory stays flat and the number of
queries depends on the number of chunks only. Comments are read as values with
``.iterator()`` in chunks; per chunk, one query each for the themes, the
attachments and the sizes of the duplicate groups; labels are translated once
per export. CSV is streamed (headings first, before any query) and XLSX is
written to a temporary file that spills to disk. Each export writes one audit
entry (``moderation.log_export``), never one per comment.

Cells whose text starts with ``= + - @``, a tab or a carriage return are
prefixed with a single quote so spreadsheets never run them as formulas; that rule,
and what a file can hold, are ``formats.text``'s (``for_csv``, ``for_xlsx``).

The code is split by concern: ``columns`` (what is exported, row by row; no admin
imports), ``writers`` (CSV and XLSX files) and
``views`` (``CommentExportMixin``, the moderation queue's export buttons, which
export the queue as filtered and searched). The names other code uses are
re-exported here:

- ``COMMENT_EXPORT_COLUMNS``, ``export_columns(with_personal_data)`` and
  ``iter_comment_rows(queryset, *, with_personal_data)``: one dict per comment;
  ``CommentRowBuilder``: the rows as lists, a chunk at a time, and their ``count``;
- ``write_csv(queryset, fileobj, ...)`` / ``write_xlsx(queryset, fileobj, ...)``:
  for a background task writing to a file (they return the row count);
- ``neutralise`` (from ``formats.text``) and ``safe_cell``: formula-safe cells;
- ``CommentExportMixin``: for a Wagtail index view of comments.
"""

from ..formats.text import neutralise
from .columns import (
    COMMENT_EXPORT_COLUMNS,
    CommentRowBuilder,
    export_columns,
    iter_comment_rows,
)
from .views import CommentExportMixin
from .writers import BOM, XLSX_CONTENT_TYPE, iter_csv, safe_cell, write_csv, write_xlsx

__all__ = [
    "BOM",
    "COMMENT_EXPORT_COLUMNS",
    "XLSX_CONTENT_TYPE",
    "CommentExportMixin",
    "CommentRowBuilder",
    "export_columns",
    "iter_comment_rows",
    "iter_csv",
    "neutralise",
    "safe_cell",
    "write_csv",
    "write_xlsx",
]
