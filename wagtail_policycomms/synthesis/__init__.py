"""The synthesis report: "BẢN TỔNG HỢP Ý KIẾN, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý".

After a consultation the drafting body publishes this report (DOMAIN.md §3): the
totals first, then a four-column table grouped by part of the draft, identical
comments merged with all their authors listed, each with its answer; a
signature block for the head of the drafting body.

The report is an official Vietnamese document, so its headings are written in
Vietnamese here, as the legal form has them; the admin screens stay translatable.

Public API:

- ``build_synthesis(scope)``: a ``Synthesis`` for a ConsultationPage or a
  DraftPolicyPage (all its rounds);
- ``approved_comments(scope)``: the comments in the table (for the audit log);
- ``render_docx(synthesis, fileobj)`` and ``render_xlsx(synthesis, fileobj)``;
- ``attach_synthesis(draft, user)``: store the DOCX as a Wagtail document, set it
  as the draft's synthesis report and publish the draft;
- ``synthesis_url(page)`` and ``get_admin_urls()`` for the admin views.

The code is split by concern: ``data`` (the content and the form's wording),
``word`` (DOCX), ``spreadsheet`` (XLSX) and ``views`` (admin pages, downloads,
attaching the report). Everything is re-exported here, so
``from wagtail_policycomms.synthesis import ...`` keeps working.
"""

from .data import (
    ANONYMOUS,
    COLUMN_HEADINGS,
    COMMENTER_TYPES_VI,
    DISPOSITIONS_VI,
    DOCUMENT_TITLE,
    GENERAL_SECTION,
    MOTTO,
    NO_COMMENTS,
    SIGNATURE_HINT,
    SIGNATURE_TITLE,
    TITLE,
    Answer,
    Period,
    Row,
    Section,
    Synthesis,
    Totals,
    approved_comments,
    build_synthesis,
    totals_lines,
)
from .spreadsheet import XLSX_CELL_LIMIT, render_xlsx
from .views import (
    FORMATS,
    SynthesisView,
    attach_synthesis,
    attach_synthesis_view,
    download_synthesis,
    get_admin_urls,
    synthesis_url,
)
from .word import FONT, TABLE_WIDTHS, render_docx

__all__ = [
    "ANONYMOUS",
    "COLUMN_HEADINGS",
    "COMMENTER_TYPES_VI",
    "DISPOSITIONS_VI",
    "DOCUMENT_TITLE",
    "FONT",
    "FORMATS",
    "GENERAL_SECTION",
    "MOTTO",
    "NO_COMMENTS",
    "SIGNATURE_HINT",
    "SIGNATURE_TITLE",
    "TABLE_WIDTHS",
    "TITLE",
    "XLSX_CELL_LIMIT",
    "Answer",
    "Period",
    "Row",
    "Section",
    "Synthesis",
    "SynthesisView",
    "Totals",
    "approved_comments",
    "attach_synthesis",
    "attach_synthesis_view",
    "build_synthesis",
    "download_synthesis",
    "get_admin_urls",
    "render_docx",
    "render_xlsx",
    "synthesis_url",
    "totals_lines",
]
