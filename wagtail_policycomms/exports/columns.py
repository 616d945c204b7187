"""What an export holds: the columns, one row per comment, and the cell values.

Kept apart from the file writers and the admin views so that a background task
can build rows without importing openpyxl or any admin module: this layer imports
only the models, ``moderation`` (labels of reasons), ``blocks`` and ``formats``.
Comments are read with ``.iterator()`` in chunks (themes and attachments
prefetched per chunk, the size of each comment's duplicate group computed in the
same query), so memory stays flat however many rows there are.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import moderation
from ..blocks import article_anchor
from ..formats import format_staff_datetime
from ..models import CommentTheme, ConsultationPage, DraftPolicyPage, PublicComment
from ..models.comments import CommentAttachment

#: Comments read from the database per query (and per prefetch of their themes).
CHUNK_SIZE = 2000
#: What a spreadsheet may take for the start of a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    personal: bool = False


#: Every export column, in order. Personal-data columns (last) are exported only
#: to users with the ``view_personal_data`` permission.
COMMENT_EXPORT_COLUMNS = (
    Column("receipt_code", gettext_lazy("Receipt code")),
    Column("consultation", gettext_lazy("Consultation")),
    Column("draft_policy", gettext_lazy("Draft policy")),
    Column("article_heading", gettext_lazy("Article")),
    Column("article_link", gettext_lazy("Link to the article")),
    Column("page_revision", gettext_lazy("Draft revision read")),
    Column("commenter_type", gettext_lazy("Commenter type")),
    Column("author", gettext_lazy("Name or organisation")),
    Column("body", gettext_lazy("Comment")),
    Column("submitted_at", gettext_lazy("Submitted")),
    Column("status", gettext_lazy("Status")),
    Column("moderation_reason", gettext_lazy("Reason")),
    Column("moderation_note", gettext_lazy("Moderator's note")),
    Column("moderated_by", gettext_lazy("Moderator")),
    Column("disposition", gettext_lazy("Answer disposition")),
    Column("answer", gettext_lazy("Answer")),
    Column("answer_published", gettext_lazy("Answer published")),
    Column("themes", gettext_lazy("Themes")),
    Column("duplicate_count", gettext_lazy("Comments with the same text")),
    Column("email", gettext_lazy("Email"), personal=True),
    Column("phone", gettext_lazy("Phone"), personal=True),
    Column("address", gettext_lazy("Address"), personal=True),
    Column("ip_address", gettext_lazy("IP address"), personal=True),
    Column("user_agent", gettext_lazy("User agent"), personal=True),
    Column("attachments", gettext_lazy("Attachments"), personal=True),
)


def export_columns(with_personal_data):
    return [c for c in COMMENT_EXPORT_COLUMNS if with_personal_data or not c.personal]


def headings(columns):
    return [capfirst(str(column.heading)) for column in columns]


# --- Cell values ----------------------------------------------------------------------------


def neutralise(value):
    """Text a spreadsheet could read as a formula gets a leading single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _person(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# --- Rows -----------------------------------------------------------------------------------


def as_queryset(comments):
    """A QuerySet for anything the listing produced (Wagtail search results included)."""
    if isinstance(comments, QuerySet):
        return comments
    return PublicComment.objects.filter(pk__in=[comment.pk for comment in comments])


def prepare_queryset(queryset, *, with_personal_data):
    """The export query: answer and moderator joined, group size annotated, themes prefetched."""
    queryset = (
        as_queryset(queryset)
        .with_group_size()
        .select_related("response", "moderated_by")
        .prefetch_related(
            Prefetch("tagged_themes", queryset=CommentTheme.objects.select_related("tag"))
        )
    )
    if with_personal_data:
        queryset = queryset.prefetch_related(
            Prefetch(
                "attachments", queryset=CommentAttachment.objects.only("comment", "original_name")
            )
        )
    if not queryset.ordered:
        queryset = queryset.order_by("-submitted_at", "-pk")
    return queryset


def _chunks(queryset):
    chunk = []
    for item in queryset.iterator(chunk_size=CHUNK_SIZE):
        chunk.append(item)
        if len(chunk) >= CHUNK_SIZE:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class CommentRowBuilder:
    """Turns comments into export rows; consultations and drafts are looked up once each."""

    def __init__(self, *, with_personal_data, request=None):
        self.with_personal_data = with_personal_data
        self.request = request
        self.columns = export_columns(with_personal_data)
        self._places = {}  # consultation id -> (consultation title, draft title, draft url)

    def load_places(self, comments):
        """Read the consultations and drafts of a chunk in two queries."""
        missing = {c.consultation_id for c in comments} - set(self._places)
        if not missing:
            return
        consultations = list(
            ConsultationPage.objects.filter(pk__in=missing).only("title", "path", "depth")
        )
        parent_paths = {c.path[: -ConsultationPage.steplen] for c in consultations}
        drafts = {d.path: d for d in DraftPolicyPage.objects.filter(path__in=parent_paths)}
        for consultation in consultations:
            draft = drafts.get(consultation.path[: -ConsultationPage.steplen])
            url = ""
            if draft is not None:
                url = draft.get_full_url(self.request) or draft.get_url(self.request) or ""
            self._places[consultation.pk] = (
                consultation.title,
                draft.title if draft else "",
                url,
            )

    def author(self, comment):
        return str(comment.staff_author(self.with_personal_data))

    def row(self, comment):
        """An ordered dict of the comment's export values, keyed like ``self.columns``."""
        if comment.consultation_id not in self._places:
            self.load_places([comment])
        consultation, draft, draft_url = self._places[comment.consultation_id]
        response = comment.response
        group_size = getattr(comment, "group_size", None)
        if group_size is None:
            group_size = PublicComment.objects.duplicates_of(comment).count()
        values = {
            "receipt_code": comment.receipt_code,
            "consultation": consultation,
            "draft_policy": draft,
            "article_heading": comment.article_heading,
            "article_link": (
                f"{draft_url}#{article_anchor(comment.article_id)}" if comment.article_id else ""
            ),
            "page_revision": comment.page_revision_id or "",
            "commenter_type": comment.get_commenter_type_display(),
            "author": self.author(comment),
            "body": comment.body,
            "submitted_at": format_staff_datetime(comment.submitted_at),
            "status": comment.get_status_display(),
            "moderation_reason": (
                str(moderation.reason_label(comment.moderation_reason))
                if comment.moderation_reason
                else ""
            ),
            "moderation_note": comment.moderation_note,
            "moderated_by": _person(comment.moderated_by),
            "disposition": response.get_disposition_display() if response else "",
            "answer": response.text if response else "",
            "answer_published": _("Yes") if response and response.is_published else _("No"),
            "themes": ", ".join(sorted(t.tag.name for t in comment.tagged_themes.all())),
            "duplicate_count": group_size,
        }
        if self.with_personal_data:
            values.update(
                email=comment.email,
                phone=comment.phone,
                address=comment.address,
                ip_address=comment.ip_address,
                user_agent=comment.user_agent,
                attachments=", ".join(a.original_name for a in comment.attachments.all()),
            )
        return {column.key: values[column.key] for column in self.columns}


def iter_comment_rows(queryset, *, with_personal_data, request=None):
    """One dict per comment (column key -> value), every comment of ``queryset``, in order.

    Values are not neutralised: writers call ``neutralise()`` on each cell.
    """
    builder = CommentRowBuilder(with_personal_data=with_personal_data, request=request)
    for chunk in _chunks(prepare_queryset(queryset, with_personal_data=with_personal_data)):
        builder.load_places(chunk)
        for comment in chunk:
            yield builder.row(comment)
