"""What an export holds: the columns, one row per comment, and the cell values.

Kept apart from the file writers and the admin views so that a background task
can build rows without importing openpyxl or any admin module: this layer imports
only the models, ``moderation`` (labels of reasons), ``blocks`` and ``formats``.

Built for a million comments: a per-row query, a model instance per row or a
translation per row would each cost minutes at that size. So comments are read
as ``values_list`` rows of exactly the columns needed (answer joined), with
``.iterator()`` in chunks, and each chunk costs a constant number of queries:
its themes, its attachments, the size of its duplicate groups (one grouped
query, ``PublicComment.objects.group_sizes``), and the consultations, drafts and
moderators not met in an earlier chunk. Labels (statuses, commenter types,
dispositions, reasons) are translated once per export.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import moderation
from ..blocks import ArticleLabels, article_anchor
from ..models import (
    CommenterType,
    CommentStatus,
    CommentTheme,
    ConsultationPage,
    Disposition,
    DraftPolicyPage,
    PublicComment,
)
from ..models.comments import CommentAttachment
from ..models.lookups import among

#: Comments read from the database per query (and per query of their themes, groups…).
CHUNK_SIZE = 2000
#: Groups at least this large keep their size for the rest of the export instead of
#: being counted again in each chunk they appear in (a 200,000-member campaign spans
#: a hundred chunks). Smaller groups are cheap to count again; keeping every group
#: would hold one entry per comment of a million-comment export.
REMEMBERED_GROUP_SIZE = 50


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
    # Last of the general columns, so the columns before keep their places.
    Column("article_at_comment", gettext_lazy("Article at the time of comment")),
    # Near-identical comments (issue 15): the campaign's number and its size, read with
    # the row (``PublicCommentQuerySet.with_campaign``, joined), never counted per row.
    Column("campaign", gettext_lazy("Campaign")),
    Column("campaign_size", gettext_lazy("Comments in the campaign")),
    Column("email", gettext_lazy("Email"), personal=True),
    Column("phone", gettext_lazy("Phone"), personal=True),
    Column("address", gettext_lazy("Address"), personal=True),
    Column("ip_address", gettext_lazy("IP address"), personal=True),
    Column("user_agent", gettext_lazy("User agent"), personal=True),
    Column("attachments", gettext_lazy("Attachments"), personal=True),
)

#: The comment fields an export reads (``values_list``), the answer joined in the same query.
FIELDS = (
    "pk",
    "consultation_id",
    "text_hash",
    "receipt_code",
    "article_id",
    "article_heading",
    "page_revision_id",
    "commenter_type",
    "display_name",
    "organisation_name",
    "publish_name",
    "body",
    "submitted_at",
    "status",
    "moderation_reason",
    "moderation_note",
    "moderated_by_id",
    "response__disposition",
    "response__text",
    "response__is_published",
    "campaign_id",  # annotated by ``with_campaign`` (``prepare_queryset``)
    "campaign_size",
)
#: Read only for users allowed to see personal data.
PERSONAL_FIELDS = ("email", "phone", "address", "ip_address", "user_agent")


def export_columns(with_personal_data):
    return [c for c in COMMENT_EXPORT_COLUMNS if with_personal_data or not c.personal]


def headings(columns):
    return [capfirst(str(column.heading)) for column in columns]


# --- Cell values ----------------------------------------------------------------------------


def _person(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


class _Author:
    """The fields ``PublicComment.staff_author`` reads, taken from a row of values.

    The author rule stays in one place (the model's ``staff_author``,
    ``public_author`` and ``is_organisation``, borrowed here) without building a
    model instance per exported row.
    """

    __slots__ = ("commenter_type", "display_name", "organisation_name", "publish_name")

    is_organisation = PublicComment.is_organisation
    public_author = PublicComment.public_author
    staff_author = PublicComment.staff_author

    def __init__(self, row):
        self.commenter_type = row.commenter_type
        self.display_name = row.display_name
        self.organisation_name = row.organisation_name
        self.publish_name = row.publish_name


# --- Rows -----------------------------------------------------------------------------------


def as_queryset(comments):
    """A QuerySet for anything the listing produced (Wagtail search results included)."""
    if isinstance(comments, QuerySet):
        return comments
    return PublicComment.objects.filter(pk__in=[comment.pk for comment in comments])


def prepare_queryset(queryset, *, with_personal_data):
    """The export query: the listing's filters and order, ``-pk`` to break ties, values only.

    Prefetches and ``select_related`` of the listing are dropped: rows are values,
    and what they would fetch is read per chunk instead.
    """
    queryset = as_queryset(queryset).prefetch_related(None)
    if not queryset.ordered:
        queryset = queryset.order_by("-submitted_at", "-pk")
    elif queryset.query.order_by and not {"pk", "-pk", "id", "-id"} & set(
        map(str, queryset.query.order_by)
    ):
        queryset = queryset.order_by(*queryset.query.order_by, "-pk")
    fields = FIELDS + PERSONAL_FIELDS if with_personal_data else FIELDS
    return queryset.with_campaign().values_list(*fields, named=True)


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
    """Turns rows of comment values into export rows, a chunk at a time.

    Create it under the language the file is written in: labels are translated
    once, here. ``count`` is the number of rows built so far (the audit entry's
    row count).
    """

    def __init__(self, *, with_personal_data, request=None):
        self.with_personal_data = with_personal_data
        self.request = request
        self.user = getattr(request, "user", None)  # restricted articles: marked or hidden
        self.columns = export_columns(with_personal_data)
        self.count = 0
        self._places = {}  # consultation id -> (consultation title, draft title, draft url)
        self._articles = {}  # consultation id -> its draft's ArticleLabels
        # A comment's article as it reads today (blocks.comment_article_label), worded once.
        self.article_wordings = {
            "changed": _("%(current)s (at the time of comment: %(snapshot)s)"),
            "removed": _("%(snapshot)s (no longer in the draft)"),
        }
        self._people = {}  # user id -> name
        self._large_groups = {}  # (consultation id, text hash) -> size, for large groups
        self.status_labels = {value: str(label) for value, label in CommentStatus.choices}
        self.commenter_labels = {value: str(label) for value, label in CommenterType.choices}
        self.disposition_labels = {value: str(label) for value, label in Disposition.choices}
        self.reason_labels = {code: str(label) for code, label in moderation.rejection_reasons()}
        self.yes, self.no = _("Yes"), _("No")

    # Per chunk: a constant number of queries, whatever its rows.

    def load_places(self, consultation_ids):
        """Read the consultations and drafts not seen yet, in two queries."""
        missing = set(consultation_ids) - set(self._places)
        if not missing:
            return
        consultations = list(
            ConsultationPage.objects.filter(pk__in=missing).only("title", "path", "depth")
        )
        parent_paths = {c.path[: -ConsultationPage.steplen] for c in consultations}
        drafts = {d.path: d for d in DraftPolicyPage.objects.filter(path__in=parent_paths)}
        labels = {}  # draft path -> ArticleLabels: one reading of each draft's text
        for consultation in consultations:
            path = consultation.path[: -ConsultationPage.steplen]
            draft = drafts.get(path)
            if path not in labels:
                labels[path] = ArticleLabels.of_draft(
                    draft, **self.article_wordings, for_user=self.user
                )
            self._articles[consultation.pk] = labels[path]
            url = ""
            if draft is not None:
                url = draft.get_full_url(self.request) or draft.get_url(self.request) or ""
            self._places[consultation.pk] = (
                consultation.title,
                draft.title if draft else "",
                url,
            )

    def article_label(self, row):
        labels = self._articles.get(row.consultation_id)
        if labels is None:  # the consultation is gone: only the snapshot is known
            return row.article_heading
        return labels.label(row.article_id, row.article_heading)

    def article_snapshot(self, row):
        """The article as it read when the comment was sent; a restricted one hidden or
        marked (``ArticleLabels.snapshot``)."""
        labels = self._articles.get(row.consultation_id)
        if labels is None:
            return row.article_heading
        return labels.snapshot(row.article_id, row.article_heading)

    def load_people(self, user_ids):
        missing = {pk for pk in user_ids if pk is not None} - set(self._people)
        if missing:
            for user in get_user_model().objects.filter(pk__in=missing):
                self._people[user.pk] = _person(user)

    def group_sizes(self, chunk):
        pairs = {(row.consultation_id, row.text_hash) for row in chunk}
        sizes = {pair: self._large_groups[pair] for pair in pairs if pair in self._large_groups}
        counted = PublicComment.objects.group_sizes(pairs - set(sizes))
        for pair, size in counted.items():
            if size >= REMEMBERED_GROUP_SIZE:
                self._large_groups[pair] = size
        return {**counted, **sizes}

    def themes(self, pks):
        names = defaultdict(list)
        tagged = among(CommentTheme.objects.all(), "content_object_id", pks).values_list(
            "content_object_id", "tag__name"
        )
        for pk, name in tagged:
            names[pk].append(name)
        return {pk: ", ".join(sorted(found)) for pk, found in names.items()}

    def attachments(self, pks):
        names = defaultdict(list)
        files = (
            among(CommentAttachment.objects.all(), "comment_id", pks)
            .order_by("pk")
            .values_list("comment_id", "original_name")
        )
        for pk, name in files:
            names[pk].append(name)
        return {pk: ", ".join(found) for pk, found in names.items()}

    def rows(self, chunk):
        """One list of cell values per comment of ``chunk``, in the order of ``self.columns``."""
        self.load_places({row.consultation_id for row in chunk})
        self.load_people({row.moderated_by_id for row in chunk})
        pks = [row.pk for row in chunk]
        themes = self.themes(pks)
        sizes = self.group_sizes(chunk)
        attachments = self.attachments(pks) if self.with_personal_data else {}
        keys = [column.key for column in self.columns]
        for row in chunk:
            values = self.values(row, themes, sizes, attachments)
            self.count += 1
            yield [values[key] for key in keys]

    def values(self, row, themes, sizes, attachments):
        """The comment's export values, keyed by column."""
        consultation, draft, draft_url = self._places.get(row.consultation_id, ("", "", ""))
        answered = row.response__disposition is not None
        values = {
            "receipt_code": row.receipt_code,
            "consultation": consultation,
            "draft_policy": draft,
            "article_heading": self.article_label(row),
            "article_at_comment": self.article_snapshot(row),
            "article_link": (
                f"{draft_url}#{article_anchor(row.article_id)}" if row.article_id else ""
            ),
            "page_revision": row.page_revision_id or "",
            "commenter_type": self.commenter_labels.get(row.commenter_type, row.commenter_type),
            "author": str(_Author(row).staff_author(self.with_personal_data)),
            "body": row.body,
            "submitted_at": row.submitted_at,  # each writer writes it its way
            "status": self.status_labels.get(row.status, row.status),
            "moderation_reason": self.reason_labels.get(
                row.moderation_reason, row.moderation_reason
            ),
            "moderation_note": row.moderation_note,
            "moderated_by": self._people.get(row.moderated_by_id, ""),
            "disposition": (
                self.disposition_labels.get(row.response__disposition, row.response__disposition)
                if answered
                else ""
            ),
            "answer": row.response__text if answered else "",
            "answer_published": self.yes if row.response__is_published else self.no,
            "themes": themes.get(row.pk, ""),
            "duplicate_count": sizes.get((row.consultation_id, row.text_hash), 1),
            "campaign": row.campaign_id or "",
            "campaign_size": row.campaign_size or "",
        }
        if self.with_personal_data:
            values.update(
                email=row.email,
                phone=row.phone,
                address=row.address,
                ip_address=row.ip_address,
                user_agent=row.user_agent,
                attachments=attachments.get(row.pk, ""),
            )
        return values

    def iter_rows(self, queryset):
        """Cell values (lists, in column order) for every comment of ``queryset``, in order."""
        for chunk in _chunks(
            prepare_queryset(queryset, with_personal_data=self.with_personal_data)
        ):
            yield from self.rows(chunk)


def iter_comment_rows(queryset, *, with_personal_data, request=None):
    """One dict per comment (column key -> value), every comment of ``queryset``, in order.

    Values are written as stored: the writers make each cell safe (``formats.text``).
    """
    builder = CommentRowBuilder(with_personal_data=with_personal_data, request=request)
    keys = [column.key for column in builder.columns]
    for values in builder.iter_rows(queryset):
        yield dict(zip(keys, values, strict=True))
