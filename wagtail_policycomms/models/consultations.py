"""Consultation rounds (đợt lấy ý kiến) on a draft policy."""

import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connections,
    models,
    router,
    transaction,
)
from django.db.models import Exists, OuterRef
from django.db.models.functions import Substr
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, re_path
from wagtail.fields import RichTextField
from wagtail.models import PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from ..blocks import ArticleLabels, article_label
from ..conf import policycomms_settings
from ..panels import ConsultationStatusPanel
from .base import COMMUNICATION_FEATURES, Page, PolicyCommsPageMixin
from .consultation_status import ConsultationStatus, status_at, status_q


class ConsultationPageQuerySet(PageQuerySet):
    def with_status(self, status, moment=None):
        return self.filter(status_q(status, moment or timezone.now()))

    def readable(self):
        """The rounds the public can read: live, under no view restriction, and their draft
        policy (the parent page) live too. One EXISTS on the parent's path, no query per
        row. Every public listing of rounds outside Wagtail's own page serving (feeds,
        calendars, the open-data API and downloads) starts here."""
        from .drafts import DraftPolicyPage

        steplen = self.model.steplen
        parent = DraftPolicyPage.objects.live().filter(
            classification="",  # restricted as a whole: never public (``restricted``)
            depth=OuterRef("depth") - 1,
            path=Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * steplen),
        )
        return self.live().public().filter(Exists(parent))

    def children_of_paths(self, parent_paths, parent_depth):
        """Live consultations under any of the given draft pages, in one query."""
        query = models.Q()
        for path in parent_paths:
            query |= models.Q(path__startswith=path)
        if not parent_paths:
            return self.none()
        return self.filter(query, depth=parent_depth + 1)


ConsultationPageManager = PageManager.from_queryset(ConsultationPageQuerySet)


def drafts_of(consultations, drafts=None):
    """``{consultation pk: its draft policy page}`` for a list of rounds, in one query.

    ``drafts`` is the queryset to read them from (default: with the field and drafting
    unit joined); a round whose parent is not in it maps to None.
    """
    from .drafts import DraftPolicyPage

    if drafts is None:
        drafts = DraftPolicyPage.objects.select_related("sector", "drafting_unit")
    steplen = ConsultationPage.steplen
    paths = {c.pk: c.path[:-steplen] for c in consultations}
    by_path = {draft.path: draft for draft in drafts.filter(path__in=set(paths.values()))}
    return {pk: by_path.get(path) for pk, path in paths.items()}


class ConsentPurpose(models.TextChoices):
    """What a commenter consents to, stored as codes in ``PublicComment.consent_purposes``."""

    RECEIVE_AND_ANSWER = "receive_and_answer_comment", _("Receive and answer the comment")
    PUBLISH_NAME = "publish_name", _("Publish the name with the comment")
    # Asked for on the form, never pre-ticked: "your comment was published / answered".
    EMAIL_UPDATES = "email_updates", _("Email me when the comment is published and answered")


#: What a commenter consents to by sending the form (PUBLISH_NAME is added if ticked).
CONSENT_PURPOSES = [ConsentPurpose.RECEIVE_AND_ANSWER.value]

#: The database could not be used (unreachable, connection lost, locked past the retries):
#: the comment POST answers "please try again" (``render_comment_failure``), not a 500.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
#: Seconds a browser or proxy is told to wait before sending a failed comment again.
RETRY_AFTER_SECONDS = 30
#: PostgreSQL's SQLSTATEs for a lock that may be free on the next try: serialization
#: failure, deadlock, lock timeout.
RETRYABLE_SQLSTATES = {"40001", "40P01", "55P03"}


def is_lock_error(error, connection):
    """Whether ``error`` is a lock another transaction held, which a new try may get."""
    if connection.vendor == "sqlite":
        return "locked" in str(error)  # "database is locked", "database table is locked"
    cause = error.__cause__
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return code in RETRYABLE_SQLSTATES


def pick_current_round(consultations, moment):
    """The round a reader cares about now: open, else the next upcoming, else the last one."""
    by_status = {status: [] for status in ConsultationStatus}
    for consultation in consultations:
        by_status[consultation.status_at(moment)].append(consultation)
    if by_status[ConsultationStatus.OPEN]:
        return max(by_status[ConsultationStatus.OPEN], key=lambda c: c.opens_at)
    if by_status[ConsultationStatus.UPCOMING]:
        return min(by_status[ConsultationStatus.UPCOMING], key=lambda c: c.opens_at)
    if by_status[ConsultationStatus.CLOSED]:
        return max(by_status[ConsultationStatus.CLOSED], key=lambda c: c.closes_at)
    return None


class AbstractConsultationPage(PolicyCommsPageMixin, RoutablePageMixin, Page):
    """One consultation round (đợt lấy ý kiến) on a draft policy.

    Its sub-URL ``outcome/`` is the round's public outcome page, once a moderator
    publishes it (``outcome_route``).
    """

    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(
        _("closes at"),
        help_text=_(
            "Comments are accepted from the opening time until, but not including, this time."
        ),
    )
    audience = RichTextField(
        _("who is asked"),
        blank=True,
        features=COMMUNICATION_FEATURES,
        help_text=_("Agencies, organisations, businesses and people whose comments are sought."),
    )
    questions = RichTextField(
        _("questions put to them"),
        blank=True,
        features=COMMUNICATION_FEATURES,
    )
    how_to_comment = RichTextField(
        _("how to comment"),
        blank=True,
        features=COMMUNICATION_FEATURES,
        help_text=_("Other ways to send comments (post, email, meetings) besides the web form."),
    )
    receiving_unit = models.ForeignKey(
        "wagtail_policycomms.Unit",
        verbose_name=_("receiving unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Its address, email and phone are shown on the page, as the law requires."),
    )

    #: The version of the draft put to this round: the draft's live revision when the
    #: round was first published. "What changed and why" compares one round's text
    #: with the next round's by default.
    draft_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("draft version put to this round"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    #: The public outcome page ("Kết quả lấy ý kiến") of a closed round: shown only once
    #: a moderator publishes it (``moderation``), which records who and when.
    outcome_summary = RichTextField(
        _("what we did"),
        blank=True,
        features=COMMUNICATION_FEATURES,
        help_text=_("A short account of what the comments changed, shown on the outcome page."),
    )
    outcome_published_at = models.DateTimeField(
        _("outcome published at"), null=True, blank=True, editable=False
    )
    outcome_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outcome published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                ConsultationStatusPanel(),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
            ],
            heading=_("Consultation period"),
        ),
        FieldPanel("audience"),
        FieldPanel("questions"),
        FieldPanel("how_to_comment"),
        FieldPanel("receiving_unit"),
        MultiFieldPanel(
            [FieldPanel("outcome_summary")],
            heading=_("Outcome of the consultation"),
            help_text=_(
                "Shown on the outcome page (“Kết quả lấy ý kiến”) once a moderator "
                "publishes it, after the round has closed."
            ),
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("audience"),
        index.SearchField("questions"),
        index.FilterField("opens_at"),
        index.FilterField("closes_at"),
    ]

    objects = ConsultationPageManager()

    class Meta:
        abstract = True
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def with_content_json(self, content):
        """A revision's content never changes the draft version recorded for the round
        (``draft_revision``, set by ``models.drafts.record_draft_revision``)."""
        obj = super().with_content_json(content)
        obj.draft_revision_id = self.draft_revision_id
        # Nor the outcome page's publication: only ``moderation`` writes it, with an
        # UPDATE, so an editor publishing a revision saved before keeps the page up.
        obj.outcome_published_at = self.outcome_published_at
        obj.outcome_published_by_id = self.outcome_published_by_id
        return obj

    def permissions_for_user(self, user):
        """Wagtail's tester; a round under a draft restricted as a whole is out of reach of
        staff who may not view restricted content (``restricted.RestrictedRoundPermissionTester``)."""
        from ..restricted import RestrictedRoundPermissionTester

        return RestrictedRoundPermissionTester(user, self)

    def status_at(self, moment):
        return status_at(self.opens_at, self.closes_at, moment)

    # --- The outcome page ---------------------------------------------------------------

    @property
    def outcome_is_public(self):
        """The outcome page is served: published by a moderator, and the round closed."""
        return bool(self.outcome_published_at) and self.status == ConsultationStatus.CLOSED

    def outcome_url(self, request=None):
        url = self.get_url(request)
        return f"{url}{self.reverse_subpage('outcome').lstrip('/')}" if url else None

    @re_path(r"^outcome/$", name="outcome")
    def outcome_route(self, request):
        """The public outcome page ("Kết quả lấy ý kiến"): 404 until it is published.

        Its figures come from ``views.outcome.outcome_figures``, a fixed number of
        grouped queries whatever the number of comments.
        """
        from ..views.outcome import outcome_figures

        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if not self.outcome_is_public:
            raise Http404
        draft = self.draft_policy
        # The page's own context (base template), not the comment form's.
        context = PolicyCommsPageMixin.get_context(self, request)
        context.update(
            draft_policy=draft,
            outcome=outcome_figures(self, draft),
        )
        return TemplateResponse(
            request, "wagtail_policycomms/pages/consultation_outcome.html", context
        )

    @property
    def status(self):
        return self.status_at(timezone.now())

    @property
    def duration(self):
        return self.closes_at - self.opens_at

    @property
    def is_shorter_than_minimum(self):
        """True when the period is below ``POLICYCOMMS_MIN_CONSULTATION_DAYS``: warned, not refused."""
        if not (self.opens_at and self.closes_at):
            return False
        return self.duration < timedelta(days=policycomms_settings.MIN_CONSULTATION_DAYS)

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The closing time must be after the opening time.")
        unit = self.receiving_unit if self.receiving_unit_id else None
        if unit is not None and not unit.has_contact_details:
            errors["receiving_unit"] = _(
                "This unit has no address or email. Add them to the unit first: "
                "the consultation page must show where to send comments."
            )
        if errors:
            raise ValidationError(errors)

    @cached_property
    def draft_policy(self):
        return self.get_parent().specific

    @property
    def drafting_unit_id(self):
        """The unit drafting the policy, which answers this round's comments (None if none)."""
        return getattr(self.draft_policy, "drafting_unit_id", None)

    # --- Taking a comment ---------------------------------------------------------------
    # The comment form posts to the page itself. As in Wagtail's ``FormMixin``
    # (get_form, process_form_submission, render_landing_page), each step of a POST
    # is a method, so a portal overrides one step without rewriting ``serve``
    # (docs/extending.md). The checks between the steps (period, duplicates, rate
    # limits) stay in ``serve``: they are the rules every portal keeps. The steps:
    # get_comment_form → process_comment_submission (through store_comment, which
    # tries again while the database is locked) → render_comment_receipt; a refusal
    # goes to render_comment_refusal, a database failure to render_comment_failure.

    #: Tries of the storing transaction when the database says it is locked (SQLite
    #: lets one writer in at a time; a PostgreSQL deadlock or lock timeout): a
    #: concurrent post usually finishes within the short backoff.
    comment_store_attempts = 3
    #: Seconds before the second try, doubled before each next one.
    comment_store_backoff = 0.05

    def serve(self, request, *args, **kwargs):
        """GET: the page and a blank form. POST: take a comment, then redirect (PRG).

        When the database fails (locked past the retries, unreachable), nothing is
        stored and ``render_comment_failure`` asks the person to send again, with
        their text.
        """
        from .. import antispam
        from ..views.public import logger, never_cache_private
        from .comments import PublicComment

        view = args[0] if args else kwargs.get("view")
        if view is not None and getattr(view, "__name__", "") != "index_route":
            return super().serve(request, *args, **kwargs)  # a sub-URL: ``outcome/``
        if request.method != "POST":
            return never_cache_private(super().serve(request, *args, **kwargs))

        form = None
        try:
            form = self.get_comment_form(request, request.POST, request.FILES)
            now = timezone.now()
            if self.status_at(now) != ConsultationStatus.OPEN:
                return self.render_comment_refusal(request, form, closed=True)
            if not form.is_valid():
                return self.render_comment_refusal(request, form)

            data = form.cleaned_data
            comment = PublicComment.objects.already_submitted(self, data["email"], data["body"])
            # The same person sending the same text again gets the original receipt.
            if comment is None:
                if not form.within_rate_limits(request):
                    return self.render_comment_refusal(request, form)

                # The comment is stored as sent at the moment the period was checked.
                form.submitted_at = now
                try:
                    comment = self.store_comment(request, form)
                except IntegrityError:
                    # A double click raced the duplicate check: the first one won.
                    comment = PublicComment.objects.already_submitted(
                        self, data["email"], data["body"]
                    )
                    if comment is None:
                        raise
                # One rendered form sends one comment (the same comment again still
                # gets its receipt above).
                antispam.mark_form_token_used(form)
        except DATABASE_UNAVAILABLE:
            logger.warning("Comment not stored on %s: database unavailable", self.pk, exc_info=True)
            return self.render_comment_failure(request, form)
        return self.render_comment_receipt(request, comment)

    def serve_preview(self, request, mode_name):
        """Wagtail's own preview, through ``serve`` (``RoutablePageMixin``'s skips it)."""
        return Page.serve_preview(self, request, mode_name)

    def store_comment(self, request, form):
        """``process_comment_submission``, tried again while the database is locked.

        Each try is a whole transaction rolled back on failure (no row, no file), so
        trying again is safe; only a lock is retried, and only when the failed try
        left the connection usable (not inside a broken outer transaction, as with
        ATOMIC_REQUESTS). Anything else, or the last try, is raised.
        """
        from .comments import PublicComment

        connection = connections[router.db_for_write(PublicComment)]
        attempt = 1
        while True:
            try:
                return self.process_comment_submission(request, form)
            except OperationalError as error:
                if (
                    attempt >= self.comment_store_attempts
                    or not is_lock_error(error, connection)
                    or connection.needs_rollback
                ):
                    raise
            time.sleep(self.comment_store_backoff * 2 ** (attempt - 1))
            attempt += 1

    def get_comment_form(self, request, data=None, files=None, **kwargs):
        """The comment form: blank for the page (``get_context``), bound on a POST (``serve``).

        Override to use a subclass of ``CommentForm`` (another field, another check);
        ``kwargs`` go to the form, such as ``initial``.
        """
        from ..forms import CommentForm

        return CommentForm(data, files, consultation=self, draft=self.draft_policy, **kwargs)

    def process_comment_submission(self, request, form):
        """Store a valid comment and return it.

        One transaction: the comment, its receipt number and its attachments, or
        nothing (files already written are deleted). The receipt, or the email
        verification, is sent after the commit. Override to do more with the stored
        comment: call ``super()`` and, for work outside the database, use
        ``transaction.on_commit``.
        """
        from .. import antispam, moderation, tasks
        from ..campaigns import grouping as campaign_grouping
        from ..views.public import receipt_path, verification_path
        from .comments import CommentAttachment, CommentStatus, PublicComment, ReceiptCounter
        from .site_settings import ConsultationSettings

        now = getattr(form, "submitted_at", None) or timezone.now()
        draft = self.draft_policy
        site_settings = ConsultationSettings.for_request(request)
        ip = antispam.client_ip(request)
        data = form.cleaned_data
        article = form.chosen_article
        stored_files = []
        try:
            with transaction.atomic():
                comment = PublicComment.objects.create(
                    consultation=self,
                    article_id=article.id if article else "",
                    article_heading=article_label(article) if article else "",
                    page_revision_id=draft.live_revision_id,
                    commenter_type=data["commenter_type"],
                    display_name=data["display_name"],
                    organisation_name=data["organisation_name"],
                    email=data["email"],
                    phone=data["phone"],
                    address=data["address"],
                    body=data["body"],
                    publish_name=data["publish_name"],
                    consent_given_at=now,
                    consent_notice_version=str(site_settings.privacy_notice_number),
                    consent_purposes=CONSENT_PURPOSES
                    + ([ConsentPurpose.PUBLISH_NAME.value] if data["publish_name"] else [])
                    + ([ConsentPurpose.EMAIL_UPDATES.value] if data.get("email_updates") else []),
                    status=moderation.initial_status(site_settings),
                    receipt_code=ReceiptCounter.next_code(now),
                    submitted_at=now,
                    ip_address=antispam.ip_for_storage(ip),
                    user_agent=request.META.get("HTTP_USER_AGENT", "")[:400],
                )
                for attachment in form.cleaned_attachments:
                    stored = CommentAttachment.from_cleaned(comment, attachment)
                    stored_files.append(stored.file)
                campaign_grouping.assign(comment)  # a near-duplicate campaign, if any
                if comment.status == CommentStatus.UNVERIFIED:
                    email_task = tasks.send_verification_email
                    url = request.build_absolute_uri(verification_path(comment))
                else:
                    email_task = tasks.send_receipt_email
                    url = request.build_absolute_uri(receipt_path(comment))
                transaction.on_commit(lambda: tasks.queue_email(email_task, comment, url))
        except Exception:
            for file in stored_files:
                file.delete(save=False)
            raise
        return comment

    def render_comment_refusal(self, request, form, closed=False):
        """The page again with the person's text and a clear message; nothing is stored.

        ``closed`` is true when the period is over (or not begun) rather than the
        form refused.
        """
        from ..views.public import logger, never_cache_private

        if form.spam_reason:
            logger.info("Comment refused as abuse (%s) on %s", form.spam_reason, self.pk)
        form.refresh_tokens()
        context = self.get_context(request, comment_form=form)
        context["comment_refused_closed"] = closed
        response = TemplateResponse(request, self.get_template(request), context)
        return never_cache_private(response)

    def render_comment_failure(self, request, form):
        """The database failed while taking the comment: nothing was stored; try again.

        The page again, as for a refusal, with the person's text and a message to
        send it again in a moment, status 503 (with ``Retry-After``). The page is
        rendered here, not lazily: if it needs the database that just failed, a
        small page without it shows the text instead (``comments/unavailable.html``).
        ``form`` is None when the database failed before the form was built.
        """
        from ..views.public import never_cache_private

        files_sent = any(request.FILES.getlist("attachments"))
        message = _(
            "We could not save your comment just now because of a technical problem; "
            "nothing was stored. Your text is kept below: please send it again in a few minutes."
        )
        if files_sent:
            message = format_lazy("{} {}", message, _("Please attach your files again."))
        response = None
        if form is not None:
            form.add_error(None, ValidationError(message, code="unavailable"))
            try:
                response = self.render_comment_refusal(request, form)
                response.status_code = 503
                response.render()
            except DatabaseError:
                response = None
        if response is None:
            text = form.data.get("body", "") if form is not None else request.POST.get("body", "")
            response = HttpResponse(
                # No request: context processors (the user, the site's settings) may
                # need the database.
                render_to_string(
                    "wagtail_policycomms/comments/unavailable.html",
                    {"message": message, "text": text, "page_url": request.path},
                ),
                status=503,
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return never_cache_private(response)

    def render_comment_receipt(self, request, comment):
        """Where a stored (or resent) comment goes: a 303 to its signed receipt page.

        Post/Redirect/Get, so reloading the receipt never posts the comment again.
        Override to show another page; the receipt link is ``receipt_path(comment)``
        in ``wagtail_policycomms.views.public``.
        """
        from ..views.public import receipt_path

        return HttpResponseRedirect(receipt_path(comment), status=303)

    def get_context(self, request, *args, comment_form=None, **kwargs):
        from .site_settings import ConsultationSettings

        context = super().get_context(request, *args, **kwargs)
        status = self.status
        draft = self.draft_policy
        if comment_form is None and status == ConsultationStatus.OPEN:
            comment_on = request.GET.get("comment_on", "")
            comment_form = self.get_comment_form(request, initial={"article": comment_on})
        context.update(
            consultation_status=status,
            draft_policy=draft,
            comment_form=comment_form,
            consultation_settings=ConsultationSettings.for_request(request),
            outcome_url=self.outcome_url(request) if self.outcome_is_public else None,
            **self.published_comments_context(request, draft),
        )
        return context

    def published_comments_context(self, request, draft):
        """One page of published comments, optionally on one article, and the counts.

        The same handful of queries with 5 comments or 300,000: the counts are cached
        (``counts``) and given to the paginator, which does not count again; the
        first ``COMMENTS_NUMBERED_PAGES`` pages are numbered (an OFFSET of at most
        that many pages over the ``pc_comment_published`` index), deeper pages are
        keyset pages (``?before=`` / ``?after=`` a comment's cursor), a seek in the
        same index at any depth (``pagination``).
        """
        from ..views.pagination import CountedPaginator, page_of
        from . import counts
        from .comments import PublicComment

        comments = (
            PublicComment.objects.published()
            .filter(consultation=self)
            .select_related("response", "response__answering_unit")
        )
        articles = {block.id: block for block in draft.public_articles}
        article_filter = request.GET.get("article", "")
        comment_counts = counts.consultation_counts([self.pk])[self.pk]
        if article_filter in articles:
            comments = comments.on_article(article_filter)
            listed = counts.published_count(self.pk, article_filter)
        else:
            article_filter = ""
            listed = comment_counts["published"]
        paginator = CountedPaginator(comments, policycomms_settings.COMMENTS_PAGE_SIZE, listed)
        comments_page = page_of(
            comments,
            paginator,
            request.GET,
            page_param="cpage",
            numbered_pages=policycomms_settings.COMMENTS_NUMBERED_PAGES,
        )
        # Each comment's article as it reads today (blocks.ArticleLabels): no query.
        # A restricted article reads as such (``restricted``), never by its heading.
        labels = ArticleLabels(draft.articles)
        for comment in comments_page.object_list:
            comment.article_label = labels.label(comment.article_id, comment.article_heading)
            comment.article_in_draft = comment.article_id in labels
        return {
            "comments_page": comments_page,
            "comment_counts": comment_counts,
            "comment_article_filter": article_filter,
            "commented_articles": draft.public_articles,
        }


# Wagtail derives a default template name for each concrete page class, so
# the template is named on the concrete class rather than the abstract one.


class ConsultationPage(AbstractConsultationPage):
    template = "wagtail_policycomms/pages/consultation_page.html"
    parent_page_types = ["wagtail_policycomms.DraftPolicyPage"]
    subpage_types = []
