"""The admin side of the report: its page, downloads, and attaching it to the draft.

Kept apart from the content and the renderers because it needs requests,
permissions, page revisions and the Wagtail document library.
"""

import io

from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.documents import get_document_model
from wagtail.models import Collection

from .. import moderation
from ..exports import XLSX_CONTENT_TYPE
from ..formats.word import DOCX_CONTENT_TYPE
from ..models import ConsultationPage, DocumentKind, DraftPolicyDocument, DraftPolicyPage
from ..permissions import can_attach_synthesis, can_export, forbidden
from ..restricted import without_hidden
from .data import DOCUMENT_TITLE, approved_comments, build_synthesis, totals_lines
from .spreadsheet import render_xlsx
from .word import render_docx

# --- Attaching the report to the draft ------------------------------------------------------


def _set_synthesis_document(page, document):
    """Point the page's synthesis-report row at ``document``; one such row, added if missing."""
    rows, found = [], False
    for row in page.related_documents.all():
        if row.kind == DocumentKind.SYNTHESIS_REPORT:
            if found:
                continue
            row.document = document
            row.title = ""
            found = True
        rows.append(row)
    if not found:
        rows.append(DraftPolicyDocument(document=document, kind=DocumentKind.SYNTHESIS_REPORT))
    page.related_documents = rows


def attach_synthesis(draft, user):
    """Generate the DOCX for the whole draft, store it and publish it on the draft page.

    A new Wagtail document is stored each time (earlier ones stay in the library,
    referenced by earlier revisions); the draft keeps a single synthesis-report
    row. An editor's unpublished changes are not published with it: they are
    saved again, with the new report, as the latest draft revision.
    Returns the document.
    """
    synthesis = build_synthesis(draft)
    buffer = io.BytesIO()
    render_docx(synthesis, buffer)
    document = get_document_model()(
        title=DOCUMENT_TITLE.format(title=draft.title)[:255],
        collection=Collection.get_first_root_node(),
        uploaded_by_user=user,
    )
    filename = f"ban-tong-hop-y-kien-{slugify(draft.slug)[:60] or draft.pk}.docx"
    document.file.save(filename, ContentFile(buffer.getvalue()), save=False)
    document._set_document_file_metadata()
    document.save()
    with transaction.atomic():
        live = DraftPolicyPage.objects.select_for_update().get(pk=draft.pk)
        pending = live.get_latest_revision_as_object() if live.has_unpublished_changes else None
        _set_synthesis_document(live, document)
        live.save_revision(user=user, log_action=True).publish(user=user)
        if pending is not None:
            _set_synthesis_document(pending, document)
            pending.save_revision(user=user, log_action=True)
        moderation.log_export(
            approved_comments(draft),
            user,
            "synthesis",
            {"format": "docx", "scope": "draft", "page": draft.pk, "document": document.pk},
            page=draft,
        )
    return document


# --- Admin views ----------------------------------------------------------------------------


def synthesis_url(page):
    """The admin page of a draft's synthesis report (a consultation leads to its draft's)."""
    page = page.specific
    draft = page.draft_policy if isinstance(page, ConsultationPage) else page
    return reverse("wagtail_policycomms_admin:synthesis", args=[draft.pk])


def _file_stem(scope):
    stem = slugify(f"ban-tong-hop-y-kien-{scope.slug}")[:80]
    return stem or "ban-tong-hop-y-kien"


FORMATS = {"docx": (render_docx, DOCX_CONTENT_TYPE), "xlsx": (render_xlsx, XLSX_CONTENT_TYPE)}


def download_synthesis(request, scope, pk, export_format):
    """The report for a consultation (``scope="consultation"``) or a draft, as DOCX or XLSX."""
    if not can_export(request.user):
        return forbidden(request)
    if export_format not in FORMATS:
        raise Http404
    model = {"consultation": ConsultationPage, "draft": DraftPolicyPage}.get(scope)
    if model is None:
        raise Http404
    page = get_object_or_404(without_hidden(model.objects.all(), request.user), pk=pk)
    synthesis = build_synthesis(page, request.user)
    render, content_type = FORMATS[export_format]
    output = io.BytesIO()
    render(synthesis, output)
    moderation.log_export(
        approved_comments(page),
        request.user,
        "synthesis",
        {"format": export_format, "scope": scope, "page": page.pk},
        page=page,
    )
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        content_type=content_type,
        filename=f"{_file_stem(page)}.{export_format}",
    )


class SynthesisView(WagtailAdminTemplateMixin, TemplateView):
    """A draft's report: totals, downloads for the draft and each round, and attaching it."""

    template_name = "wagtail_policycomms/admin/synthesis.html"
    header_icon = "doc-full"

    def dispatch(self, request, pk):
        if not can_export(request.user):
            return forbidden(request)
        drafts = without_hidden(DraftPolicyPage.objects.all(), request.user)
        self.draft = get_object_or_404(drafts, pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Synthesis report")

    def get_page_subtitle(self):
        return self.draft.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailadmin_explore", args=[self.draft.pk]),
                "label": self.draft.title,
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        synthesis = build_synthesis(self.draft, self.request.user)
        current = (
            self.draft.related_documents.filter(kind=DocumentKind.SYNTHESIS_REPORT)
            .select_related("document")
            .first()
        )
        context.update(
            draft=self.draft,
            synthesis=synthesis,
            totals_lines=totals_lines(synthesis.totals),
            rounds=synthesis.consultations,
            can_attach=can_attach_synthesis(self.request.user, self.draft),
            current_report=current,
        )
        return context


@require_POST
def attach_synthesis_view(request, pk):
    draft = get_object_or_404(without_hidden(DraftPolicyPage.objects.all(), request.user), pk=pk)
    if not can_attach_synthesis(request.user, draft):
        return forbidden(request)
    document = attach_synthesis(draft, request.user)
    messages.success(
        request,
        _("The synthesis report “%(title)s” was attached to the draft and published.")
        % {"title": document.title},
    )
    return redirect(synthesis_url(draft))
