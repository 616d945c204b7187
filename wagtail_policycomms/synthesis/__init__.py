"""The synthesis report: "BẢN TỔNG HỢP Ý KIẾN, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý".

After a consultation the drafting body publishes a report of the comments it
received and how it took each into account (tiếp thu) or explained why not (giải
trình), as Decision 407/QĐ-TTg and the law on legal documents ask: the totals
first, then a four-column table grouped by part of the draft, identical comments
merged with all their authors listed, each with its answer; a signature block for
the head of the drafting body.

The report is an official Vietnamese document, so its headings are written in
Vietnamese here, as the legal form has them; the admin screens stay translatable.

The code is split by concern: ``data`` (the content and the form's wording),
``word`` (DOCX), ``spreadsheet`` (XLSX) and ``views`` (admin page, downloads,
attaching the report; their URLs are in ``admin_urls``). The names other code uses
are re-exported here:

- ``build_synthesis(scope)``: a ``Synthesis`` for a ConsultationPage or a
  DraftPolicyPage (all its rounds); ``approved_comments(scope)``: the comments in
  the table (for the audit log);
- ``render_docx(synthesis, fileobj)`` and ``render_xlsx(synthesis, fileobj)``;
- ``attach_synthesis(draft, user)``: store the DOCX as a Wagtail document, set it
  as the draft's synthesis report and publish the draft;
- ``synthesis_url(page)``: the report's admin page for a draft or a consultation;
- ``COLUMN_HEADINGS`` and ``MOTTO``: the legal form's wording.
"""

from .data import COLUMN_HEADINGS, MOTTO, Synthesis, approved_comments, build_synthesis
from .spreadsheet import render_xlsx
from .views import attach_synthesis, synthesis_url
from .word import render_docx

__all__ = [
    "COLUMN_HEADINGS",
    "MOTTO",
    "Synthesis",
    "approved_comments",
    "attach_synthesis",
    "build_synthesis",
    "render_docx",
    "render_xlsx",
    "synthesis_url",
]
