"""Bulk downloads of one consultation's published comments and answers: CSV and JSON.

Open data once the consultation has closed (its status by ``models.consultation_status``);
before, a 409 says when the file will be available. Only what the API publishes
(``data``: published comments, published answers, the public author, no personal
data). Streamed: the first bytes leave before any comment is read, comments are read
with ``.iterator()`` in chunks, so memory stays flat with a million comments, and
each chunk costs one query (answers and units joined).

CSV: UTF-8 with a BOM (``exports.BOM``, so Excel reads Vietnamese), one row per
comment, machine-readable column names (the JSON's), every cell through
``formats.text.for_csv_row`` (never a formula). JSON: ``{"consultation": {…},
"comments": [ … ]}``, each comment as the API's ``comments`` endpoint gives it.
"""

import json

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..blocks import ArticleLabels
from ..exports.columns import CHUNK_SIZE
from ..exports.writers import CSV_BLOCK_CHARS, stream_csv
from ..formats import format_datetime
from ..models import ConsultationStatus
from . import data
from .cors import allow_any_origin

#: The CSV's columns, in order: the names of the JSON fields they come from.
CSV_COLUMNS = (
    "id",
    "consultation_id",
    "article_id",
    "article_label",
    "commenter_type",
    "commenter_type_label",
    "author",
    "submitted_at",
    "text",
    "answer_disposition",
    "answer_disposition_label",
    "answer_text",
    "answer_unit",
    "answer_published_at",
)


def csv_row(record):
    article = record["article"] or {}
    answer = record["answer"] or {}
    return [
        record["id"],
        record["consultation"]["id"],
        article.get("id", ""),
        article.get("label", ""),
        record["commenter_type"],
        record["commenter_type_label"],
        record["author"],
        record["submitted_at"],
        record["text"],
        answer.get("disposition", ""),
        answer.get("disposition_label", ""),
        answer.get("text", ""),
        (answer.get("answering_unit") or {}).get("name", ""),
        answer.get("published_at") or "",
    ]


def _public_consultation(pk):
    """The public consultation ``pk`` and its draft; a 404 for any other page."""
    consultation = data.public_consultations().filter(pk=pk).first()
    if consultation is None:
        raise Http404
    return consultation


def _not_yet(consultation):
    """409 before the consultation closes: the file does not exist yet."""
    message = _(
        "The comments of this consultation can be downloaded once it has closed, on %(date)s."
    ) % {"date": format_datetime(consultation.closes_at)}
    return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")


def _records(consultation, request):
    """Each published comment of the consultation, as the API gives it, a chunk at a time."""
    draft = data.drafts_of([consultation])[consultation.pk]
    article_labels = ArticleLabels.of_draft(draft)
    labels = data.Labels()
    comments = data.published_comments().filter(consultation=consultation).order_by("pk")
    for comment in comments.iterator(chunk_size=CHUNK_SIZE):
        yield data.comment_record(comment, article_labels, labels, consultation.title)


def _download(request, pk, fmt):
    consultation = _public_consultation(pk)
    if consultation.status_at(timezone.now()) != ConsultationStatus.CLOSED:
        return _not_yet(consultation)
    if fmt == "csv":
        content, content_type = _iter_csv(consultation, request), "text/csv; charset=utf-8"
    else:
        content = _iter_json(consultation, request)
        content_type = "application/json; charset=utf-8"
    response = StreamingHttpResponse(content, content_type=content_type)
    filename = f"gop-y-{consultation.slug or consultation.pk}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _iter_csv(consultation, request):
    return stream_csv(CSV_COLUMNS, (csv_row(record) for record in _records(consultation, request)))


def _iter_json(consultation, request):
    draft = data.drafts_of([consultation])[consultation.pk]
    head = data.consultation_record(consultation, draft, request, data.Labels())
    opening = json.dumps({"consultation": head}, ensure_ascii=False)
    yield opening[:-1] + ', "comments": ['
    block, size, first = [], 0, True
    for record in _records(consultation, request):
        text = ("" if first else ",") + "\n" + json.dumps(record, ensure_ascii=False)
        first = False
        block.append(text)
        size += len(text)
        if size >= CSV_BLOCK_CHARS:
            yield "".join(block)
            block, size = [], 0
    block.append("\n]}\n")
    yield "".join(block)


@allow_any_origin
@require_safe
def comments_csv(request, pk):
    """A closed consultation's published comments and answers as CSV."""
    return _download(request, pk, "csv")


@allow_any_origin
@require_safe
def comments_json(request, pk):
    """A closed consultation's published comments and answers as JSON."""
    return _download(request, pk, "json")
