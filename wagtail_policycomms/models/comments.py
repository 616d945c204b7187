"""Public comments (ý kiến góp ý) on a consultation, their attachments and receipt codes.

Named ``PublicComment`` because Wagtail core already has an editors' ``Comment``.
Status changes go through ``wagtail_policycomms.moderation`` only.
"""

import hashlib
import re
import unicodedata

from django.conf import settings
from django.db import IntegrityError, ProgrammingError, connections, models, router, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from ..conf import local_zone, policycomms_settings
from ..uploads import attachment_storage, attachment_upload_to
from .lookups import among

#: Fields holding commenters' personal data. Public pages, feeds, the API and
#: exports without the personal-data permission leave them out; the retention
#: purge blanks them. The name is shown only when the person chose to publish it
#: (see ``PublicComment.public_author``).
PII_FIELDS = ("display_name", "email", "phone", "address", "ip_address", "user_agent")
#: The columns a public output (feeds, the open-data API and downloads) reads of a
#: published comment and its answer: never one of ``PII_FIELDS`` but the name, which only
#: ``public_author`` uses, and only with the person's consent. ``queryset.only(*these)``.
PUBLIC_COMMENT_FIELDS = (
    "id",
    "consultation_id",
    "article_id",
    "article_heading",
    "commenter_type",
    "display_name",
    "organisation_name",
    "publish_name",
    "submitted_at",
    "body",
    "status",
    "response_id",
    "response__text",
    "response__disposition",
    "response__is_published",
    "response__published_at",
    "response__answering_unit__id",
    "response__answering_unit__name",
)


class EmailStatus(models.TextChoices):
    """Whether the last email to the commenter (verification or receipt) left us.

    Delivery, not moderation: written by ``tasks`` only, never with ``status``.
    """

    NOT_SENT = "", _("Not sent yet")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not delivered")


class CommenterType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    ORGANISATION = "organisation", _("Organisation")
    BUSINESS = "business", _("Business")
    AGENCY = "agency", _("Agency")


class CommentStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Awaiting email verification")
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")


def normalise_text(text):
    """The form a comment is stored in: NFC, trimmed, Windows line breaks unified."""
    return unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").strip()


def text_hash(text):
    """Hash of the text with case and spacing folded: identical campaign comments collide."""
    folded = re.sub(r"\s+", " ", normalise_text(text)).casefold()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


#: What the public may see: the single definition, used everywhere (also in
#: aggregates, hence a Q object).
PUBLISHED = Q(status=CommentStatus.APPROVED)
#: Comments that reached the department: email verified (if asked) and not spam.
RECEIVED = ~Q(status__in=[CommentStatus.UNVERIFIED, CommentStatus.SPAM])
#: Published comments still waiting for the drafting unit's answer.
AWAITING_ANSWER = PUBLISHED & Q(response__isnull=True)


def counts_toward(status):
    """``(received, published)``: whether a comment in ``status`` counts as each.

    The same rule as ``RECEIVED`` and ``PUBLISHED``, for one comment in Python:
    ``counts.comment_added`` adds a new comment to the cached counts without a query.
    tests/test_published_comments.py checks that both agree for every status.
    """
    return (
        status not in (CommentStatus.UNVERIFIED, CommentStatus.SPAM),
        status == CommentStatus.APPROVED,
    )


#: The lookup from a comment to its campaign (``PublicCommentQuerySet.in_campaign``,
#: ``with_campaign``): through its signature, where grouping records membership.
CAMPAIGN_MEMBERSHIP = "campaign_signature__campaign"


class PublicCommentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(PUBLISHED)

    def received(self):
        return self.filter(RECEIVED)

    def on_article(self, article_id):
        return self.filter(article_id=article_id)

    def with_answer_state(self, state):
        from .responses import AnswerState

        if state == AnswerState.NONE:
            return self.filter(response__isnull=True)
        if state == AnswerState.DRAFT:
            return self.filter(response__isnull=False, response__is_published=False)
        if state == AnswerState.PUBLISHED:
            return self.filter(response__is_published=True)
        return self

    # A near-duplicate campaign's members (``models.campaigns``): the campaign is recorded
    # on the comment's signature (``CommentSignature.campaign``), a narrow table, so that
    # grouping never writes the comments table. Every reader goes through these.

    def in_campaign(self, campaign):
        """The members of ``campaign`` (a ``Campaign`` or its id), on the signature's
        ``campaign`` index."""
        return self.filter(**{CAMPAIGN_MEMBERSHIP: campaign})

    def in_campaigns(self, campaigns):
        """The members of any of ``campaigns`` (ids, or a queryset of campaigns)."""
        return self.filter(**{f"{CAMPAIGN_MEMBERSHIP}__in": campaigns})

    def in_any_campaign(self, flag=True):
        """Comments in a campaign (``flag`` true) or in none (false: with no signature,
        or a signature in no campaign)."""
        return self.filter(**{f"{CAMPAIGN_MEMBERSHIP}__isnull": not flag})

    def with_campaign(self, size=True):
        """Annotate ``campaign_id`` and, with ``size``, ``campaign_size`` (None outside a
        campaign), joined in the same query: a listing, an export or a report reads them
        with each row, never a query per row. Idempotent."""
        annotations = {}
        if "campaign_id" not in self.query.annotations:
            annotations["campaign_id"] = F(f"{CAMPAIGN_MEMBERSHIP}_id")
        if size and "campaign_size" not in self.query.annotations:
            annotations["campaign_size"] = F(f"{CAMPAIGN_MEMBERSHIP}__size")
        return self.annotate(**annotations) if annotations else self

    def with_group_size(self):
        """Annotate ``group_size``: how many comments share the text and consultation.

        One correlated subquery, not a query per row; idempotent.
        """
        if "group_size" in self.query.annotations:
            return self
        size = (
            PublicComment.objects.filter(
                consultation_id=OuterRef("consultation_id"), text_hash=OuterRef("text_hash")
            )
            .order_by()
            .values("consultation_id")
            .annotate(n=Count("*"))  # COUNT(*): index-only on pc_comment_text_hash
            .values("n")[:1]
        )
        return self.annotate(
            group_size=Coalesce(Subquery(size, output_field=models.IntegerField()), 1)
        )

    def group_sizes(self, pairs):
        """``{(consultation_id, text_hash): size}`` for the given groups, in one grouped query.

        The same size as ``with_group_size`` (the whole group, whatever ``self`` is
        filtered on), for readers that go through many rows in chunks (exports): one
        query per chunk over the ``pc_comment_text_hash`` index instead of a
        correlated subquery per row. May hold a few more groups than asked for.
        """
        pairs = set(pairs)
        if not pairs:
            return {}
        candidates = among(PublicComment.objects.all(), "text_hash", {h for _c, h in pairs})
        rows = (
            among(candidates, "consultation_id", {c for c, _h in pairs})
            .order_by()
            .values_list("consultation_id", "text_hash")
            .annotate(n=Count("*"))  # COUNT(*), as with_group_size: index-only
        )
        return {(consultation, digest): n for consultation, digest, n in rows}

    def duplicates_of(self, comment):
        """The comment's group: same normalised text on the same consultation."""
        return self.filter(consultation_id=comment.consultation_id, text_hash=comment.text_hash)

    def already_submitted(self, consultation, email, body):
        """The comment this email already sent with this text on the consultation, or None.

        "This text" is compared by ``text_hash`` (case and spacing folded), as in the
        ``pc_comment_once_per_email`` constraint: a resend gets the original receipt
        instead of a second row.
        """
        return self.filter(
            consultation=consultation, email=email, text_hash=text_hash(body)
        ).first()


class PublicComment(models.Model):
    consultation = models.ForeignKey(
        "wagtail_policycomms.ConsultationPage",
        verbose_name=_("consultation"),
        on_delete=models.PROTECT,
        related_name="public_comments",
    )
    article_id = models.CharField(
        _("article"),
        max_length=64,
        blank=True,
        help_text=_("Block id of the article commented on; empty for the whole draft."),
    )
    article_heading = models.CharField(
        _("article heading when submitted"), max_length=600, blank=True
    )
    page_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("draft revision read"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    commenter_type = models.CharField(
        _("commenter type"),
        max_length=20,
        choices=CommenterType.choices,
        default=CommenterType.INDIVIDUAL,
    )
    display_name = models.CharField(_("name"), max_length=200, blank=True)
    organisation_name = models.CharField(_("organisation name"), max_length=255, blank=True)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    body = models.TextField(_("comment"))
    publish_name = models.BooleanField(_("publish my name"), default=False)

    consent_given_at = models.DateTimeField(_("consent given at"))
    consent_notice_version = models.CharField(_("privacy notice version"), max_length=50)
    consent_purposes = models.JSONField(_("consent purposes"), default=list, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True)
    receipt_code = models.CharField(_("receipt code"), max_length=32, unique=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    text_hash = models.CharField(_("text hash"), max_length=64, editable=False)
    ip_address = models.CharField(_("IP address"), max_length=64, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=400, blank=True)

    # Email delivery: written only by wagtail_policycomms.tasks, for the last email
    # (verification or receipt) sent to the commenter. "failed" once every attempt
    # was refused by the mail server; the receipt page then offers to send it again.
    email_status = models.CharField(
        _("email delivery"),
        max_length=10,
        choices=EmailStatus.choices,
        default=EmailStatus.NOT_SENT,
        blank=True,
    )
    email_attempts = models.PositiveSmallIntegerField(_("email attempts"), default=0)
    email_status_at = models.DateTimeField(_("email delivery recorded at"), null=True, blank=True)

    # Moderation: written only by wagtail_policycomms.moderation.
    moderation_reason = models.CharField(_("reason"), max_length=50, blank=True)
    moderation_note = models.TextField(_("moderator's note"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    #: Stamped by each moderation UPDATE, so the rows it changed can be logged
    #: without holding their ids in memory (a group may have 100,000 members).
    last_action = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    response = models.ForeignKey(
        "wagtail_policycomms.CommentResponse",
        verbose_name=_("answer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    themes = TaggableManager(
        through="wagtail_policycomms.CommentTheme",
        verbose_name=_("themes"),
        blank=True,
        help_text=_("Themes for analysis, such as the part of the draft or the interest raised."),
    )

    objects = PublicCommentQuerySet.as_manager()

    #: Out of Wagtail's reference index. Every save of a tracked model enqueues an index
    #: update (with the immediate backend, several queries inside the citizen's POST,
    #: and a 500 if the task queue is down), and a consultation with 300,000 comments
    #: would gain 300,000 "usage" rows. Nothing links to a comment, and what a comment
    #: points at is its own data: the consultation's comments are counted by
    #: ``models.counts`` and protect the page themselves (``on_delete=PROTECT``).
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("public comment")
        verbose_name_plural = _("public comments")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(
                fields=["consultation", "status", "-submitted_at"], name="pc_comment_queue"
            ),
            models.Index(fields=["status", "-submitted_at"], name="pc_comment_status"),
            models.Index(fields=["consultation", "text_hash"], name="pc_comment_text_hash"),
            models.Index(fields=["consultation", "article_id"], name="pc_comment_article"),
            models.Index(fields=["submitted_at"], name="pc_comment_submitted"),
            # The public page's list, newest first, read in index order (numbered
            # pages skip at most COMMENTS_NUMBERED_PAGES pages; deeper pages seek a
            # (submitted_at, id) cursor) and its counts, index-only.
            models.Index(
                fields=["consultation", "-submitted_at", "-id"],
                condition=Q(status=CommentStatus.APPROVED),
                name="pc_comment_published",
            ),
            models.Index(
                fields=["consultation", "article_id", "-submitted_at", "-id"],
                condition=Q(status=CommentStatus.APPROVED),
                name="pc_comment_published_article",
            ),
            # The open-data API's pages of one consultation's published comments, by id.
            models.Index(
                fields=["consultation", "id"],
                condition=Q(status=CommentStatus.APPROVED),
                name="pc_comment_published_id",
            ),
            # The dashboard: published comments waiting for an answer, per consultation.
            models.Index(
                fields=["consultation"],
                condition=Q(status=CommentStatus.APPROVED, response__isnull=True),
                name="pc_comment_awaiting",
            ),
            # The queue's "Email not delivered" filter: a handful of rows among millions.
            models.Index(
                fields=["-submitted_at"],
                condition=Q(email_status=EmailStatus.FAILED),
                name="pc_comment_email_failed",
            ),
        ]
        constraints = [
            # The same person sending the same text twice is stored once. Blank
            # emails (after the retention purge) do not count.
            models.UniqueConstraint(
                fields=["consultation", "email", "text_hash"],
                condition=~Q(email=""),
                name="pc_comment_once_per_email",
            ),
        ]
        permissions = [
            ("view_personal_data", _("Can see commenters' personal data and attachments")),
            ("moderate_publiccomment", _("Can moderate comments and publish answers")),
            ("answer_publiccomment", _("Can answer comments on the own unit's drafts")),
            ("export_publiccomment", _("Can export comments and synthesis reports")),
        ]

    def __str__(self):
        return self.receipt_code

    def save(self, *args, **kwargs):
        from . import counts

        adding = self._state.adding
        self.text_hash = text_hash(self.body)
        super().save(*args, **kwargs)
        if adding:
            # The cached counts (``counts``) take the comment once it is committed.
            # ``bulk_create`` skips this: a bulk load is counted within
            # POLICYCOMMS_COUNTS_CACHE_SECONDS, or at once after counts.comments_changed().
            added = (self.consultation_id, self.status, self.article_id)
            transaction.on_commit(lambda: counts.comment_added(*added))

    @property
    def answer_state(self):
        from .responses import AnswerState

        if self.response_id is None:
            return AnswerState.NONE
        return AnswerState.PUBLISHED if self.response.is_published else AnswerState.DRAFT

    @property
    def excerpt(self):
        return self.body if len(self.body) <= 120 else self.body[:119] + "…"

    @property
    def is_organisation(self):
        return self.commenter_type != CommenterType.INDIVIDUAL

    @property
    def public_author(self):
        """The name shown publicly: the person's only with consent, else 'Anonymous'."""
        if self.is_organisation:
            if self.publish_name and self.display_name:
                return f"{self.display_name} ({self.organisation_name})"
            return self.organisation_name
        if self.publish_name and self.display_name:
            return self.display_name
        return _("Anonymous")

    def staff_author(self, with_personal_data):
        """The author on staff screens and exports (queue, inspect page, CSV/XLSX).

        With the personal-data permission, "Name (Organisation)", or whichever of the two
        was given; without it, or when neither was, ``public_author``.
        """
        if with_personal_data:
            parts = [part for part in (self.display_name, self.organisation_name) if part]
            if len(parts) == 2:
                return f"{parts[0]} ({parts[1]})"
            if parts:
                return parts[0]
        return self.public_author


class CommentTheme(TaggedItemBase):
    content_object = models.ForeignKey(
        PublicComment, on_delete=models.CASCADE, related_name="tagged_themes"
    )

    class Meta:
        verbose_name = _("comment theme")
        verbose_name_plural = _("comment themes")


class ReceiptCounter(models.Model):
    """Receipt numbers of a year; receipt codes restart at 1 each year, unique, gaps tolerated.

    Where the numbers come from depends on the database (``next_code``):

    - PostgreSQL: a sequence per year, ``wagtail_policycomms_receipt_<year>``,
      created on the year's first receipt and started after this row's
      ``last_number`` (codes issued before the sequence are never issued again).
      ``nextval()`` takes no row lock and is not transactional, so concurrent
      submissions do not queue behind each other until commit; a comment that is
      rolled back leaves a gap in the numbers. The row is no longer updated then.
      The year's first receipt creates the sequence in its own transaction: a
      submission at that very moment waits for that commit, once a year.
    - Other databases (SQLite): this row, incremented by one UPDATE inside the
      comment's transaction, so a refused comment gives its number back. SQLite
      lets one writer in at a time anyway, so a separate connection would buy nothing.
    """

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("receipt counter")
        verbose_name_plural = _("receipt counters")

    def __str__(self):
        return f"{self.year}: {self.last_number}"

    #: The PostgreSQL sequence of a year: ``SEQUENCE_NAME % year``.
    SEQUENCE_NAME = "wagtail_policycomms_receipt_%d"

    @classmethod
    def next_code(cls, moment=None):
        """A new receipt code such as GY-2026-000123, unique under concurrent submissions.

        Callers run inside the transaction that stores the comment. The year is
        the department's (POLICYCOMMS_TIME_ZONE), not the server's.
        """
        year = timezone.localtime(moment or timezone.now(), local_zone()).year
        alias = router.db_for_write(cls)
        if connections[alias].vendor == "postgresql":
            number = cls._next_from_sequence(year, alias)
        else:
            number = cls._next_from_row(year, alias)
        return f"{policycomms_settings.RECEIPT_PREFIX}-{year}-{number:06d}"

    @classmethod
    def _next_from_row(cls, year, alias):
        """One conditional UPDATE: the database serialises it until the caller commits."""
        counters = cls.objects.using(alias)
        with transaction.atomic(using=alias):
            if not counters.filter(year=year).update(last_number=F("last_number") + 1):
                try:
                    with transaction.atomic(using=alias):
                        counters.create(year=year, last_number=1)
                except IntegrityError:
                    counters.filter(year=year).update(last_number=F("last_number") + 1)
            return counters.get(year=year).last_number

    @classmethod
    def _next_from_sequence(cls, year, alias):
        """``nextval()`` of the year's sequence, created on first use (PostgreSQL)."""
        name = cls.SEQUENCE_NAME % year
        with connections[alias].cursor() as cursor:
            # to_regclass: NULL, not an error that would abort the caller's transaction.
            cursor.execute("SELECT nextval(to_regclass(%s))", [name])
            number = cursor.fetchone()[0]
            if number is None:
                last = cls.objects.using(alias).filter(year=year).values_list("last_number")
                start = (last.first() or (0,))[0] + 1
                try:
                    # A savepoint: a submission creating the same sequence at the same
                    # moment makes this one fail (unique violation in the catalog) once
                    # it commits; the sequence is there to use then.
                    with transaction.atomic(using=alias):
                        cursor.execute(
                            f"CREATE SEQUENCE IF NOT EXISTS {connections[alias].ops.quote_name(name)}"
                            f" START WITH {int(start)} MINVALUE 1"
                        )
                except (IntegrityError, ProgrammingError):
                    pass
                cursor.execute("SELECT nextval(to_regclass(%s))", [name])
                number = cursor.fetchone()[0]
        return number


class CommentAttachment(models.Model):
    """A file sent with a comment. Personal data: only staff with the permission fetch it."""

    comment = models.ForeignKey(
        PublicComment,
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(
        _("file"), storage=attachment_storage, upload_to=attachment_upload_to, max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name

    @classmethod
    def from_cleaned(cls, comment, cleaned):
        """Store a file that passed ``uploads.validate_attachments``.

        The file is written first, then its row: if the row fails (the database went
        away), the file just written is deleted, since the caller never got it back to
        clean up.
        """
        attachment = cls(
            comment=comment,
            original_name=cleaned.original_name,
            content_type=cleaned.content_type,
            size=cleaned.size,
            sha256=cleaned.sha256,
        )
        attachment.file.save(cleaned.original_name, cleaned.file, save=False)
        try:
            attachment.save()
        except BaseException:
            attachment.file.delete(save=False)
            raise
        return attachment
