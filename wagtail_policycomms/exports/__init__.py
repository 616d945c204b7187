"""Exports of public comments as CSV (UTF-8 with a BOM, so Excel reads Vietnamese) and XLSX.

Every matching comment is exported, never a top N, each with its status, article
and answer. Memory stays flat however many rows there are: comments are read
with ``.iterator()`` in chunks (themes and attachments prefetched per chunk, the
size of each comment's duplicate group computed in the same query), CSV is
streamed and XLSX is written to a temporary file that spills to disk.

Cells whose text starts with ``= + - @``, a tab or a carriage return are
prefixed with a single quote so spreadsheets never run them as formulas.

Public API:

- ``COMMENT_EXPORT_COLUMNS`` and ``export_columns(with_personal_data)``;
- ``iter_comment_rows(queryset, *, with_personal_data)``: one dict per comment;
- ``write_csv(queryset, fileobj, ...)`` / ``write_xlsx(queryset, fileobj, ...)``:
  for a background task writing to a file;
- ``CommentExportMixin``: for the moderation queue's index view (a Wagtail
  ``SpreadsheetExportMixin`` whose output follows the rules above);
- ``CommentExportView`` at ``get_admin_urls()``:
  ``policycomms/comments/export/<csv|xlsx>/``, filtered by the queue's GET
  parameters (``CommentExportFilterForm``).

The code is split by concern: ``columns`` (what is exported, row by row, and
``neutralise``), ``writers`` (CSV and XLSX files) and ``views`` (the admin
mixin, view, filter form and URLs). Everything is re-exported here, so
``from wagtail_policycomms.exports import ...`` keeps working.
"""

from .columns import (
    CHUNK_SIZE,
    COMMENT_EXPORT_COLUMNS,
    EXPORT_PERMISSION,
    FORMULA_PREFIXES,
    PERSONAL_DATA_PERMISSION,
    Column,
    CommentRowBuilder,
    annotate_group_size,
    as_queryset,
    can_export,
    can_see_personal_data,
    export_columns,
    headings,
    iter_comment_rows,
    local_datetime,
    neutralise,
    prepare_queryset,
)
from .views import (
    DATE_INPUTS,
    SPOOL_MAX_BYTES,
    CommentExportFilterForm,
    CommentExportMixin,
    CommentExportView,
    export_filename,
    forbidden,
    get_admin_urls,
    invalid_filters,
)
from .writers import BOM, XLSX_CONTENT_TYPE, iter_csv, write_csv, write_xlsx

__all__ = [
    "BOM",
    "CHUNK_SIZE",
    "COMMENT_EXPORT_COLUMNS",
    "DATE_INPUTS",
    "EXPORT_PERMISSION",
    "FORMULA_PREFIXES",
    "PERSONAL_DATA_PERMISSION",
    "SPOOL_MAX_BYTES",
    "XLSX_CONTENT_TYPE",
    "Column",
    "CommentExportFilterForm",
    "CommentExportMixin",
    "CommentExportView",
    "CommentRowBuilder",
    "annotate_group_size",
    "as_queryset",
    "can_export",
    "can_see_personal_data",
    "export_columns",
    "export_filename",
    "forbidden",
    "get_admin_urls",
    "headings",
    "invalid_filters",
    "iter_comment_rows",
    "iter_csv",
    "local_datetime",
    "neutralise",
    "prepare_queryset",
    "write_csv",
    "write_xlsx",
]
