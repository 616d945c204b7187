"""Page types: the consultation section, draft policies and consultation rounds.

Behaviour lives in the abstract ``Abstract*`` classes; the concrete page
types at the bottom only add relations that need a concrete model. A portal
that wants its own variant subclasses the abstract class.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.documents import get_document_model_string
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from ..blocks import DraftTextBlock
from ..compat import get_base_page_class
from ..conf import policycomms_settings
from ..panels import ConsultationStatusPanel
from .consultation_status import ConsultationStatus, status_at, status_q

Page = get_base_page_class()

COMMUNICATION_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


def has_text(html):
    """False for empty rich text, including an untouched editor's ``<p data-block-key="…"></p>``."""
    return bool(html and strip_tags(str(html)).strip())


class DocumentType(models.TextChoices):
    PROVINCIAL_COUNCIL_RESOLUTION = (
        "hdnd_resolution",
        _("Resolution of the Provincial People's Council"),
    )
    PROVINCIAL_COMMITTEE_DECISION = (
        "ubnd_decision",
        _("Decision of the Provincial People's Committee"),
    )
    CENTRAL = "central", _("Central-government document")
    OTHER = "other", _("Other")


class DocumentKind(models.TextChoices):
    DRAFT = "draft", _("Draft")
    MEMORANDUM = "memorandum", _("Explanatory memorandum")
    IMPACT_ASSESSMENT = "impact_assessment", _("Impact assessment report")
    SYNTHESIS_REPORT = "synthesis_report", _("Synthesis report")
    OTHER = "other", _("Other")


class PolicyCommsPageMixin:
    """Gives our public templates the portal's base template to extend."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["policycomms_base_template"] = policycomms_settings.BASE_TEMPLATE
        return context


# --- Consultation rounds -------------------------------------------------------------


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

    @property
    def draft_policy(self):
        return self.get_parent().specific

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["consultation_status"] = self.status
        context["draft_policy"] = self.draft_policy
        return context


# --- Draft policies ------------------------------------------------------------------


class AbstractDraftPolicyPage(PolicyCommsPageMixin, Page):
    """A draft policy: metadata, the content the plan requires, and the draft text."""

    document_type = models.CharField(
        _("document type"), max_length=32, choices=DocumentType.choices, default=DocumentType.OTHER
    )
    drafting_unit = models.ForeignKey(
        "wagtail_policycomms.Unit",
        verbose_name=_("drafting unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sector = models.ForeignKey(
        "wagtail_policycomms.Sector",
        verbose_name=_("field"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    major_social_impact = models.BooleanField(
        _("major social impact (Decision 407 scope)"),
        default=False,
        help_text=_(
            "Tick when the policy needs a proposal stage, directly changes rights or obligations, "
            "is hard or contested, or affects the whole province or country."
        ),
    )
    summary = models.TextField(_("summary"), blank=True)

    need = RichTextField(_("the need for the policy"), blank=True, features=COMMUNICATION_FEATURES)
    purpose = RichTextField(
        _("purpose and viewpoints"), blank=True, features=COMMUNICATION_FEATURES
    )
    scope = RichTextField(
        _("scope and people affected"), blank=True, features=COMMUNICATION_FEATURES
    )
    basic_content = RichTextField(_("basic content"), blank=True, features=COMMUNICATION_FEATURES)
    changes = RichTextField(
        _("what is new, amended or abolished"),
        blank=True,
        features=COMMUNICATION_FEATURES,
        help_text=_(
            "Compared with current rules on the rights, interests and obligations of citizens, "
            "organisations and businesses."
        ),
    )
    contentious_issues = RichTextField(
        _("contentious issues"),
        blank=True,
        features=COMMUNICATION_FEATURES,
        help_text=_("Hard issues on which opinions differ; the plan asks to stress them."),
    )
    other_content = RichTextField(_("other content"), blank=True, features=COMMUNICATION_FEATURES)

    body = StreamField(DraftTextBlock(), verbose_name=_("draft text"), blank=True)

    #: The communication sections in reading order, with their headings.
    communication_sections = (
        "need",
        "purpose",
        "scope",
        "basic_content",
        "changes",
        "contentious_issues",
        "other_content",
    )

    metadata_panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("document_type"), FieldPanel("drafting_unit")]),
        FieldRowPanel([FieldPanel("sector"), FieldPanel("topics")]),
        FieldPanel("major_social_impact"),
        FieldPanel("summary"),
    ]
    communication_panels = [
        HelpPanel(
            content=_(
                "The content Decision 407/QĐ-TTg asks to communicate. Leave a section empty to hide it."
            )
        ),
        *(FieldPanel(name) for name in communication_sections),
    ]
    draft_text_panels = [
        HelpPanel(
            content=_(
                "One block per article. Keep articles in place when revising: comments are "
                "attached to each article and follow it across versions."
            )
        ),
        FieldPanel("body"),
    ]
    documents_panels = [InlinePanel("related_documents", label=_("Related document"))]

    # A subclass that changes one of the lists above rebuilds this too.
    edit_handler = TabbedInterface(
        [
            ObjectList(metadata_panels, heading=_("Policy")),
            ObjectList(communication_panels, heading=_("Communication content")),
            ObjectList(draft_text_panels, heading=_("Draft text")),
            ObjectList(documents_panels, heading=_("Documents")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        *(index.SearchField(name) for name in communication_sections),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.RelatedFields("drafting_unit", [index.SearchField("name")]),
        index.FilterField("document_type"),
        index.FilterField("drafting_unit"),
        index.FilterField("sector"),
        index.FilterField("major_social_impact"),
    ]

    class Meta:
        abstract = True
        verbose_name = _("draft policy")
        verbose_name_plural = _("draft policies")

    @property
    def articles(self):
        return [block for block in self.body if block.block_type == "article"]

    def filled_communication_sections(self):
        """(field name, heading, html) for each non-empty communication section."""
        sections = []
        for name in self.communication_sections:
            value = getattr(self, name)
            if has_text(value):
                sections.append((name, self._meta.get_field(name).verbose_name, value))
        return sections

    def consultation_rounds(self):
        return ConsultationPage.objects.live().public().child_of(self).order_by("opens_at")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        rounds = list(self.consultation_rounds())
        now = timezone.now()
        context["consultations"] = [(c, c.status_at(now)) for c in rounds]
        context["current_consultation"] = pick_current_round(rounds, now)
        context["related_documents"] = self.related_documents.select_related("document")
        return context


# --- The section listing draft policies ----------------------------------------------


class AbstractPolicyIndexPage(PolicyCommsPageMixin, Page):
    """The portal's "Dự thảo chính sách / Lấy ý kiến" section."""

    intro = RichTextField(_("introduction"), blank=True, features=COMMUNICATION_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        abstract = True
        verbose_name = _("draft policy index")
        verbose_name_plural = _("draft policy indexes")

    def draft_policies(self):
        """Live, public draft policies in this section, newest first."""
        return (
            DraftPolicyPage.objects.live()
            .public()
            .child_of(self)
            .select_related("drafting_unit", "sector")
            .order_by("-first_published_at", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        from ..forms import PolicyIndexFilterForm

        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        form = PolicyIndexFilterForm(request.GET or None, index_page=self)
        drafts = form.filter(self.draft_policies(), now)
        paginator = Paginator(drafts, policycomms_settings.INDEX_PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get("page"))
        context.update(
            filter_form=form,
            page_obj=page_obj,
            rows=self.listing_rows(page_obj.object_list, now),
            query_string=form.query_string_without_page(),
        )
        return context

    @staticmethod
    def listing_rows(drafts, now):
        """Each draft with its current round and that round's status; two queries in all."""
        drafts = list(drafts)
        if not drafts:
            return []
        rounds = (
            ConsultationPage.objects.live()
            .public()
            .children_of_paths([d.path for d in drafts], drafts[0].depth)
        )
        rounds_by_parent = {}
        steplen = Page.steplen
        for consultation in rounds:
            rounds_by_parent.setdefault(consultation.path[:-steplen], []).append(consultation)
        # Topics for the whole page in one query.
        topics_by_draft = {}
        for item in DraftPolicyTopic.objects.filter(content_object__in=drafts).select_related(
            "tag"
        ):
            topics_by_draft.setdefault(item.content_object_id, []).append(item.tag)
        rows = []
        for draft in drafts:
            current = pick_current_round(rounds_by_parent.get(draft.path, []), now)
            rows.append(
                {
                    "page": draft,
                    "consultation": current,
                    "status": current.status_at(now) if current else None,
                    "topics": sorted(topics_by_draft.get(draft.pk, []), key=lambda t: t.name),
                }
            )
        return rows


# --- Concrete models -----------------------------------------------------------------


class DraftPolicyTopic(TaggedItemBase):
    content_object = ParentalKey(
        "wagtail_policycomms.DraftPolicyPage",
        related_name="tagged_topics",
        on_delete=models.CASCADE,
    )

    class Meta:
        verbose_name = _("draft policy topic")
        verbose_name_plural = _("draft policy topics")


# Wagtail derives a default template name for each concrete page class, so
# the template is named here rather than on the abstract classes.


class PolicyIndexPage(AbstractPolicyIndexPage):
    template = "wagtail_policycomms/pages/policy_index_page.html"
    subpage_types = ["wagtail_policycomms.DraftPolicyPage"]


class DraftPolicyPage(AbstractDraftPolicyPage):
    topics = ClusterTaggableManager(
        through=DraftPolicyTopic,
        verbose_name=_("topics"),
        blank=True,
    )

    template = "wagtail_policycomms/pages/draft_policy_page.html"
    parent_page_types = ["wagtail_policycomms.PolicyIndexPage"]
    subpage_types = ["wagtail_policycomms.ConsultationPage"]


class ConsultationPage(AbstractConsultationPage):
    template = "wagtail_policycomms/pages/consultation_page.html"
    parent_page_types = ["wagtail_policycomms.DraftPolicyPage"]
    subpage_types = []


class DraftPolicyDocument(Orderable):
    """A document published with the draft: the draft itself, the memorandum, reports."""

    page = ParentalKey(
        "wagtail_policycomms.DraftPolicyPage",
        related_name="related_documents",
        on_delete=models.CASCADE,
    )
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(
        _("kind"), max_length=32, choices=DocumentKind.choices, default=DocumentKind.DRAFT
    )
    title = models.CharField(
        _("title"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty to use the document's own title."),
    )

    panels = [FieldPanel("document"), FieldRowPanel([FieldPanel("kind"), FieldPanel("title")])]

    class Meta(Orderable.Meta):
        verbose_name = _("related document")
        verbose_name_plural = _("related documents")

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        return self.title or self.document.title
