"""Consultation rounds (đợt lấy ý kiến) on a draft policy."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from ..conf import policycomms_settings
from ..panels import ConsultationStatusPanel
from .base import COMMUNICATION_FEATURES, Page, PolicyCommsPageMixin
from .consultation_status import ConsultationStatus, status_at, status_q


class ConsultationPageQuerySet(PageQuerySet):
    def with_status(self, status, moment=None):
        return self.filter(status_q(status, moment or timezone.now()))

    def children_of_paths(self, parent_paths, parent_depth):
        """Live consultations under any of the given draft pages, in one query."""
        query = models.Q()
        for path in parent_paths:
            query |= models.Q(path__startswith=path)
        if not parent_paths:
            return self.none()
        return self.filter(query, depth=parent_depth + 1)


ConsultationPageManager = PageManager.from_queryset(ConsultationPageQuerySet)


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


class AbstractConsultationPage(PolicyCommsPageMixin, Page):
    """One consultation round (đợt lấy ý kiến) on a draft policy."""

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

    def status_at(self, moment):
        return status_at(self.opens_at, self.closes_at, moment)

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

    def serve(self, request, *args, **kwargs):
        from ..views.public import never_cache_private, submit_comment

        if request.method == "POST":
            return submit_comment(request, self)
        return never_cache_private(super().serve(request, *args, **kwargs))

    def get_context(self, request, *args, comment_form=None, **kwargs):
        from ..forms import CommentForm
        from .site_settings import ConsultationSettings

        context = super().get_context(request, *args, **kwargs)
        status = self.status
        draft = self.draft_policy
        if comment_form is None and status == ConsultationStatus.OPEN:
            comment_on = request.GET.get("comment_on", "")
            comment_form = CommentForm(
                consultation=self, draft=draft, initial={"article": comment_on}
            )
        context.update(
            consultation_status=status,
            draft_policy=draft,
            comment_form=comment_form,
            consultation_settings=ConsultationSettings.for_request(request),
            **self.published_comments_context(request, draft),
        )
        return context

    def published_comments_context(self, request, draft):
        """One page of published comments, optionally on one article, and the counts."""
        from .comments import PUBLISHED, RECEIVED, PublicComment

        comments = (
            PublicComment.objects.published()
            .filter(consultation=self)
            .select_related("response", "response__answering_unit")
        )
        articles = {block.id: block for block in draft.articles}
        article_filter = request.GET.get("article", "")
        if article_filter in articles:
            comments = comments.on_article(article_filter)
        else:
            article_filter = ""
        paginator = Paginator(comments, policycomms_settings.COMMENTS_PAGE_SIZE)
        counts = PublicComment.objects.filter(consultation=self).aggregate(
            received=Count("pk", filter=RECEIVED), published=Count("pk", filter=PUBLISHED)
        )
        return {
            "comments_page": paginator.get_page(request.GET.get("cpage")),
            "comment_counts": counts,
            "comment_article_filter": article_filter,
            "commented_articles": draft.articles,
        }


# Wagtail derives a default template name for each concrete page class, so
# the template is named on the concrete class rather than the abstract one.


class ConsultationPage(AbstractConsultationPage):
    template = "wagtail_policycomms/pages/consultation_page.html"
    parent_page_types = ["wagtail_policycomms.DraftPolicyPage"]
    subpage_types = []
