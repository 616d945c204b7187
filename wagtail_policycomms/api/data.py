"""What the open-data API and the bulk downloads publish, and nothing else.

No Django REST framework here: the bulk downloads (``downloads``) use these functions
without the API being mounted.

What the public may see is decided elsewhere and only read here:

- pages: live, public (no view restriction) consultations whose draft policy is
  live too (``public_consultations``, ``public_drafts``);
- comments: ``PublicComment.objects.published()`` on those consultations
  (``published_comments``), read with ``.only()`` the fields below: no personal-data
  field (``models.comments.PII_FIELDS``) leaves the database except what
  ``PublicComment.public_author`` shows (a name only with the person's consent);
- answers: only a published one (``CommentResponse.is_published``);
- a consultation's status: ``models.consultation_status``; an article's label:
  ``blocks.article_label`` and, for a comment, ``blocks.ArticleLabels``.

Every function here works on a page of rows with a constant number of queries.
"""

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from ..blocks import article_label, article_labels_for
from ..formats import format_datetime_attribute
from ..models import (
    CommenterType,
    ConsultationPage,
    ConsultationStatus,
    Disposition,
    DraftPolicyPage,
    PublicComment,
)
from ..models.comments import PUBLIC_COMMENT_FIELDS
from ..models.consultations import drafts_of as consultation_drafts_of

#: What a public output reads of a comment (``models.comments.PUBLIC_COMMENT_FIELDS``).
COMMENT_FIELDS = PUBLIC_COMMENT_FIELDS


def public_drafts():
    """Draft policies the public can read: live, not under a view restriction, not
    restricted as a whole (``restricted``)."""
    return DraftPolicyPage.objects.live().public().filter(classification="")


def public_consultations():
    """Consultations the public can read (``ConsultationPageQuerySet.readable``)."""
    return ConsultationPage.objects.readable()


def published_comments():
    """Published comments on public consultations, with their answers joined; only the
    fields of ``COMMENT_FIELDS`` are read."""
    return (
        PublicComment.objects.published()
        .filter(consultation__in=public_consultations().values("pk"))
        .select_related("response", "response__answering_unit")
        .only(*COMMENT_FIELDS)
    )


def iso(value):
    """ISO 8601 on the local clock, to the second, with the offset; None for no value."""
    return format_datetime_attribute(value) or None


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # the API or the package's URLs are not mounted
        return None


def absolute(request, url):
    return request.build_absolute_uri(url) if (request is not None and url) else url


class Labels:
    """The labels of the codes (commenter types, dispositions, statuses), translated once
    per request or file in the active language, not once per row."""

    def __init__(self):
        self.commenter_types = {value: str(label) for value, label in CommenterType.choices}
        self.dispositions = {value: str(label) for value, label in Disposition.choices}
        self.statuses = {value: str(label) for value, label in ConsultationStatus.choices}


# --- Comments ------------------------------------------------------------------------------


def answer_record(comment, labels):
    """The comment's published answer, or None (no answer, or not published)."""
    response = comment.response if comment.response_id else None
    if response is None or not response.is_published:
        return None
    unit = response.answering_unit
    return {
        "id": response.pk,
        "disposition": response.disposition,
        "disposition_label": labels.dispositions.get(response.disposition, response.disposition),
        "text": response.text,
        "answering_unit": {"id": unit.pk, "name": unit.name},
        "published_at": iso(response.published_at),
    }


def comment_record(comment, article_labels, labels, consultation_title=None):
    """One published comment as the API and the bulk JSON give it.

    ``article_labels`` is the ``blocks.ArticleLabels`` of the comment's draft.
    """
    article = None
    if comment.article_id:
        article = {
            "id": comment.article_id,
            "label": article_labels.label(comment.article_id, comment.article_heading),
            "in_draft": comment.article_id in article_labels,
        }
    return {
        "id": comment.pk,
        "consultation": {"id": comment.consultation_id, "title": consultation_title},
        "article": article,
        "commenter_type": comment.commenter_type,
        "commenter_type_label": labels.commenter_types.get(
            comment.commenter_type, comment.commenter_type
        ),
        "author": str(comment.public_author),
        "submitted_at": iso(comment.submitted_at),
        "text": comment.body,
        "answer": answer_record(comment, labels),
    }


def comment_records(comments, labels=None, known_labels=None):
    """``comment_record`` for a page of comments (model instances from
    ``published_comments``): their consultations and drafts in two queries."""
    labels = labels or Labels()
    comments = list(comments)
    consultations = {
        page.pk: page
        for page in ConsultationPage.objects.filter(
            pk__in={c.consultation_id for c in comments}
        ).only("id", "path", "title")
    }
    article_labels = article_labels_for(consultations.values(), known_labels)
    return [
        comment_record(
            comment,
            article_labels[comment.consultation_id],
            labels,
            consultations[comment.consultation_id].title,
        )
        for comment in comments
    ]


# --- Pages ---------------------------------------------------------------------------------


def articles_record(draft):
    """The draft's public articles today (``restricted``): block id, number, heading, label."""
    return [
        {
            "id": block.id,
            "number": block.value["number"],
            "heading": block.value["heading"],
            "label": article_label(block),
        }
        for block in draft.public_articles
    ]


def _unit(unit):
    return {"id": unit.pk, "name": unit.name} if unit is not None else None


def draft_record(draft, request, *, consultations=()):
    """A draft policy: ``draft`` with its ``drafting_unit``, ``sector`` and ``topics``
    fetched (``drafts_queryset``)."""
    return {
        "id": draft.pk,
        "meta": {
            "type": "wagtail_policycomms.DraftPolicyPage",
            "detail_url": absolute(request, _url("policycomms_api:policies:detail", draft.pk)),
            "html_url": draft.get_full_url(request),
        },
        "title": draft.title,
        "slug": draft.slug,
        "document_type": draft.document_type,
        "document_type_label": str(draft.get_document_type_display()),
        "drafting_unit": _unit(draft.drafting_unit),
        "field": _unit(draft.sector),
        "topics": sorted(tag.name for tag in draft.topics.all()),
        "summary": draft.summary,
        "first_published_at": iso(draft.first_published_at),
        "last_published_at": iso(draft.last_published_at),
        "consultations": [
            {
                "id": c.pk,
                "title": c.title,
                "detail_url": absolute(request, _url("policycomms_api:consultations:detail", c.pk)),
            }
            for c in consultations
        ],
        "articles": articles_record(draft),
    }


def drafts_queryset(queryset):
    return queryset.select_related("drafting_unit", "sector").prefetch_related("topics")


def drafts_of(consultations):
    """``{consultation id: its draft}`` in one query (two with the topics), with what
    ``consultation_record`` shows of the draft."""
    return consultation_drafts_of(consultations, drafts_queryset(DraftPolicyPage.objects.all()))


def download_urls(consultation, request, status):
    """The bulk downloads of a closed consultation; None before it closes."""
    if status != ConsultationStatus.CLOSED:
        return None
    return {
        fmt: absolute(
            request, _url(f"wagtail_policycomms:consultation_comments_{fmt}", consultation.pk)
        )
        for fmt in ("csv", "json")
    }


def _comments_url(consultation, request):
    listing = _url("policycomms_api:comments:listing")
    return absolute(request, f"{listing}?consultation={consultation.pk}") if listing else None


def consultation_record(consultation, draft, request, labels, comment_counts=None, now=None):
    """A consultation round, with its draft's unit, field, topics and articles."""
    status = consultation.status_at(now or timezone.now())
    counts = (comment_counts or {}).get(consultation.pk) or {}
    return {
        "id": consultation.pk,
        "meta": {
            "type": "wagtail_policycomms.ConsultationPage",
            "detail_url": absolute(
                request, _url("policycomms_api:consultations:detail", consultation.pk)
            ),
            "html_url": consultation.get_full_url(request),
        },
        "title": consultation.title,
        "slug": consultation.slug,
        "status": str(status),
        "status_label": labels.statuses[status],
        "opens_at": iso(consultation.opens_at),
        "closes_at": iso(consultation.closes_at),
        "draft_policy": None
        if draft is None
        else {
            "id": draft.pk,
            "title": draft.title,
            "detail_url": absolute(request, _url("policycomms_api:policies:detail", draft.pk)),
        },
        "drafting_unit": _unit(draft.drafting_unit) if draft else None,
        "field": _unit(draft.sector) if draft else None,
        "topics": sorted(tag.name for tag in draft.topics.all()) if draft else [],
        "published_comments": counts.get("published", 0),
        "comments_url": _comments_url(consultation, request),
        "downloads": download_urls(consultation, request, status),
        "articles": articles_record(draft) if draft else [],
    }
