"""Draft policies: metadata, the content the plan requires, the draft text, documents."""

from django.db import models
from django.http import Http404
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
    ObjectList,
    TabbedInterface,
    TitleFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents import get_document_model_string
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index
from wagtail.signals import page_published

from ..blocks import DraftTextBlock
from ..restricted import (
    CLASSIFICATION_HELP,
    PUBLIC_DOCUMENTS,
    Classification,
    RestrictedPagePermissionTester,
    is_restricted,
    public_articles,
    unpublish_if_restricted,
)
from .base import COMMUNICATION_FEATURES, Page, PolicyCommsPageMixin, has_text
from .channels import Channel, ChannelField, channel_labels  # noqa: F401 (Channel re-exported)
from .consultation_status import ConsultationStatus
from .consultations import ConsultationPage, pick_current_round


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


class AbstractDraftPolicyPage(RoutablePageMixin, PolicyCommsPageMixin, Page):
    """A draft policy: metadata, the content the plan requires, and the draft text.

    Its one sub-URL, ``changes/``, is "What changed and why" (``changes``): routed by
    Wagtail's ``RoutablePageMixin`` before ``PolicyCommsPageMixin``'s one-query routing
    to a round (a round cannot be given the slug ``changes``).
    """

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
    # A draft restricted as a whole is never published (``restricted``).
    classification = models.CharField(
        _("security classification"),
        max_length=16,
        choices=Classification.choices,
        blank=True,
        default="",
        help_text=CLASSIFICATION_HELP,
    )

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
        # TitleFieldPanel: the slug (and the tab title) follow the title as it is typed.
        TitleFieldPanel("title"),
        FieldRowPanel([FieldPanel("document_type"), FieldPanel("drafting_unit")]),
        FieldRowPanel([FieldPanel("sector"), FieldPanel("topics")]),
        FieldPanel("major_social_impact"),
        FieldPanel("summary"),
        FieldPanel("classification"),
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
    communication_log_panels = [
        HelpPanel(
            content=_(
                "Every communication activity about this policy: articles, broadcasts, "
                "conferences, dialogues, posts. The compliance report counts a policy as "
                "communicated when it has at least one activity here and a published consultation "
                "round that has opened."
            )
        ),
        InlinePanel("communication_log", label=_("Communication activity")),
    ]

    # A subclass that changes one of the lists above rebuilds this too.
    edit_handler = TabbedInterface(
        [
            ObjectList(metadata_panels, heading=_("Policy")),
            ObjectList(communication_panels, heading=_("Communication content")),
            ObjectList(draft_text_panels, heading=_("Draft text")),
            ObjectList(documents_panels, heading=_("Documents")),
            ObjectList(communication_log_panels, heading=_("Communication log")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        # The public text only: a restricted article is never indexed.
        index.SearchField("public_body_text"),
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
        permissions = [
            ("view_restricted_content", _("Can view restricted content (state secrets)")),
        ]

    @property
    def articles(self):
        """Every article, restricted ones included: staff outputs. The public reads
        ``public_articles``."""
        return [block for block in self.body if block.block_type == "article"]

    @property
    def public_articles(self):
        return public_articles(self.articles)

    def permissions_for_user(self, user):
        """Wagtail's tester; a draft holding restricted content is out of reach of staff
        who may not view it (``restricted.RestrictedPagePermissionTester``)."""
        return RestrictedPagePermissionTester(user, self)

    def public_body_text(self):
        """The public articles' text, for the search index."""
        return "\n".join(
            " ".join(
                (
                    block.value["number"],
                    block.value["heading"],
                    strip_tags(block.value["body"].source),
                )
            )
            for block in self.public_articles
        )

    def filled_communication_sections(self):
        """(field name, heading, html) for each non-empty communication section."""
        sections = []
        for name in self.communication_sections:
            value = getattr(self, name)
            if has_text(value):
                sections.append((name, self._meta.get_field(name).verbose_name, value))
        return sections

    def route(self, request, path_components):
        # A draft restricted as a whole is never live; nor is any round under it served.
        if path_components and is_restricted(self):
            raise Http404
        return super().route(request, path_components)

    @path("changes/", name="changes")
    def serve_changes(self, request):
        """The page "What changed and why": two published versions of the text, by article."""
        from ..changes.views import serve_changes

        return serve_changes(self, request)

    def consultation_rounds(self):
        return ConsultationPage.objects.live().public().child_of(self).order_by("opens_at")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        rounds = list(self.consultation_rounds())
        now = timezone.now()
        context["consultations"] = [(c, c.status_at(now)) for c in rounds]
        # "What changed since the previous round", beside each round put to a new text.
        from ..changes.data import previous_round_pair, round_versions

        versions, by_round = round_versions(self, rounds) if rounds else ([], {})
        for consultation in rounds:
            pair = previous_round_pair(consultation, versions, by_round, rounds)
            consultation.changes_query = "?from={}&to={}".format(*pair) if pair else ""
        context["has_versions"] = len(versions) > 1
        current = pick_current_round(rounds, now)
        context["current_consultation"] = current
        context["open_consultation"] = (
            current if current and current.status_at(now) == ConsultationStatus.OPEN else None
        )
        context["related_documents"] = self.related_documents.filter(
            PUBLIC_DOCUMENTS
        ).select_related("document")
        return context


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
# the template is named on the concrete class rather than the abstract one.


class DraftPolicyPage(AbstractDraftPolicyPage):
    topics = ClusterTaggableManager(
        through=DraftPolicyTopic,
        verbose_name=_("topics"),
        blank=True,
    )

    template = "wagtail_policycomms/pages/draft_policy_page.html"
    parent_page_types = ["wagtail_policycomms.PolicyIndexPage"]
    subpage_types = ["wagtail_policycomms.ConsultationPage"]


# However it was published (workflow approval, scheduled, bulk), a restricted draft goes down.
page_published.connect(
    unpublish_if_restricted, sender=DraftPolicyPage, dispatch_uid="policycomms_restricted"
)


def record_draft_revision(sender, instance, **kwargs):
    """``page_published`` of a round: the draft's live revision is the version put to it
    ("What changed and why", ``changes``).

    Recorded at the round's first publication, and again at each publication before it
    opens (the text the public reads when it opens); once open, the version is kept.
    """
    if instance.draft_revision_id and instance.opens_at <= timezone.now():
        return
    revision_id = (
        DraftPolicyPage.objects.filter(path=instance.path[: -instance.steplen])
        .values_list("live_revision_id", flat=True)
        .first()
    )
    if revision_id and revision_id != instance.draft_revision_id:
        ConsultationPage.objects.filter(pk=instance.pk).update(draft_revision_id=revision_id)
        instance.draft_revision_id = revision_id


page_published.connect(
    record_draft_revision, sender=ConsultationPage, dispatch_uid="policycomms_draft_revision"
)


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

    # Blank: public. A restricted document is not listed nor served (``restricted``).
    classification = models.CharField(
        _("security classification"),
        max_length=16,
        choices=Classification.choices,
        blank=True,
        default="",
        help_text=CLASSIFICATION_HELP,
    )

    panels = [
        FieldPanel("document"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("title")]),
        FieldPanel("classification"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("related document")
        verbose_name_plural = _("related documents")

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        return self.title or self.document.title


class CommunicationActivity(Orderable):
    """One row of a draft policy's communication log: where, when, what, whom it reached."""

    page = ParentalKey(
        "wagtail_policycomms.DraftPolicyPage",
        related_name="communication_log",
        on_delete=models.CASCADE,
    )
    # The code of a CommunicationChannel (models.channels): the portal names its channels.
    channel = ChannelField(_("channel"), max_length=20)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=500)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("evidence document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    audience = models.PositiveIntegerField(
        _("audience reached"),
        null=True,
        blank=True,
        help_text=_("Optional: readers, listeners or participants, if known."),
    )

    panels = [
        FieldRowPanel([FieldPanel("channel"), FieldPanel("date")]),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("url"), FieldPanel("document")]),
        FieldPanel("audience"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("communication activity")
        verbose_name_plural = _("communication log")

    def __str__(self):
        return f"{self.channel_label}: {self.title}"

    @property
    def channel_label(self):
        """The channel's name (one query: for one row; lists use ``channel_labels()``)."""
        return channel_labels().get(self.channel, self.channel)
