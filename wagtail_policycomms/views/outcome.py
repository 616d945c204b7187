"""The outcome of a closed round ("Kết quả lấy ý kiến"): its figures, and the moderators'
screen that publishes or withdraws its public page.

- ``outcome_figures``: everything the public outcome page shows (served by
  ``AbstractConsultationPage.outcome_route``), in a fixed number of grouped queries
  whatever the number of comments; restricted articles never appear.
- ``OutcomeView`` (GET), ``publish_outcome_view`` / ``withdraw_outcome_view`` (POST):
  moderators (``permissions.can_moderate``) see the figures and publish or withdraw the
  page through ``moderation``, which audits it.
- ``outcome_header_buttons`` / ``outcome_listing_buttons``: the "Outcome page" button
  on a consultation in the page editor and the page listing (``wagtail_hooks``).
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button

from .. import moderation
from ..blocks import article_anchor, article_label
from ..formats import localtime
from ..formats.charts import bar_chart, counts_per_day, daily_chart
from ..models import (
    CommenterType,
    ConsultationPage,
    ConsultationStatus,
    DocumentKind,
    PublicComment,
)
from ..models.comments import PUBLISHED, RECEIVED, counts_toward
from ..models.responses import Disposition
from ..permissions import can_moderate, forbidden
from ..restricted import PUBLIC_DOCUMENTS, is_restricted, without_hidden

#: Campaigns listed on the outcome page, largest first; the rest are summed.
CAMPAIGN_LIMIT = 20
#: Characters of a campaign's representative comment shown.
EXCERPT_CHARS = 300


@dataclass
class OutcomeFigures:
    received: int = 0
    published: int = 0
    answered: int = 0
    by_type: list = field(default_factory=list)
    by_article: list = field(default_factory=list)
    dispositions: list = field(default_factory=list)
    campaigns: list = field(default_factory=list)
    campaigns_more: int = 0
    charts: list = field(default_factory=list)
    synthesis_report: object = None
    changes_url: str = ""

    @property
    def answered_percent(self):
        return self.answered * 100 // self.published if self.published else None


def _last_day(consultation):
    """The last local day of the period (``closes_at`` is not included)."""
    from datetime import timedelta

    return localtime(consultation.closes_at - timedelta(microseconds=1)).date()


def outcome_figures(consultation, draft, *, chart_prefix="pc-outcome"):
    """The figures of the outcome page of ``consultation`` (of ``draft``).

    Six queries whatever the number of comments: by commenter type, by article, by
    answer, by day (each one grouped query), the campaigns, the synthesis report.
    """
    comments = PublicComment.objects.filter(consultation=consultation).order_by()
    received = comments.filter(RECEIVED)
    figures = OutcomeFigures()

    by_type = {
        row["commenter_type"]: row
        for row in received.values("commenter_type").annotate(
            received=Count("pk"), published=Count("pk", filter=PUBLISHED)
        )
    }
    for code, label in CommenterType.choices:
        row = by_type.get(code, {"received": 0, "published": 0})
        figures.by_type.append(
            {"label": str(label), "received": row["received"], "published": row["published"]}
        )
    figures.received = sum(row["received"] for row in by_type.values())
    figures.published = sum(row["published"] for row in by_type.values())

    # By article: the whole draft, each public article in the draft's order, and the
    # articles since removed from the draft together. A restricted article is left out.
    by_article = {
        row["article_id"]: row
        for row in received.values("article_id").annotate(
            received=Count("pk"), published=Count("pk", filter=PUBLISHED)
        )
    }
    restricted = {block.id for block in draft.articles if is_restricted(block)}
    public = [block for block in draft.articles if block.id not in restricted]
    empty = {"received": 0, "published": 0}
    whole = by_article.get("", empty)
    figures.by_article.append({"label": _("Whole draft"), "anchor": "", **_pair(whole)})
    for block in public:
        figures.by_article.append(
            {
                "label": article_label(block),
                "anchor": article_anchor(block.id),
                **_pair(by_article.get(block.id, empty)),
            }
        )
    known = {"", *restricted, *(block.id for block in public)}
    gone = [row for article_id, row in by_article.items() if article_id not in known]
    if gone:
        figures.by_article.append(
            {
                "label": _("Articles no longer in the draft"),
                "anchor": "",
                "received": sum(row["received"] for row in gone),
                "published": sum(row["published"] for row in gone),
            }
        )

    # Answers the public can read: published answers to published comments.
    answered = dict(
        comments.filter(PUBLISHED, response__is_published=True)
        .values_list("response__disposition")
        .annotate(n=Count("pk"))
    )
    figures.answered = sum(answered.values())
    figures.dispositions = [
        {"label": str(label), "count": answered.get(code, 0)} for code, label in Disposition.choices
    ]

    campaigns = list(
        consultation.campaigns.filter(size__gte=2)
        .select_related("representative")
        .order_by("-size", "pk")[: CAMPAIGN_LIMIT + 1]
    )
    figures.campaigns_more = max(len(campaigns) - CAMPAIGN_LIMIT, 0)
    for campaign in campaigns[:CAMPAIGN_LIMIT]:
        representative = campaign.representative
        # Only a published comment's text is public.
        shown = representative is not None and counts_toward(representative.status)[1]
        figures.campaigns.append(
            {
                "size": campaign.size,
                "text": (
                    ngettext(
                        "%(count)s comment with nearly the same text",
                        "%(count)s comments with nearly the same text",
                        campaign.size,
                    )
                    % {"count": campaign.size}
                ),
                "excerpt": Truncator(representative.body).chars(EXCERPT_CHARS) if shown else "",
            }
        )

    figures.synthesis_report = (
        draft.related_documents.filter(PUBLIC_DOCUMENTS, kind=DocumentKind.SYNTHESIS_REPORT)
        .select_related("document")
        .first()
    )
    draft_url = draft.url
    figures.changes_url = f"{draft_url}changes/" if draft_url else ""

    first_day = localtime(consultation.opens_at).date()
    days = counts_per_day(received, "submitted_at", first_day, _last_day(consultation))
    figures.charts = [
        daily_chart(f"{chart_prefix}-days", _("Comments received per day"), days),
        bar_chart(
            f"{chart_prefix}-articles",
            _("Comments received per article"),
            [(row["label"], row["received"]) for row in figures.by_article],
            label_heading=_("Article"),
        ),
        bar_chart(
            f"{chart_prefix}-types",
            _("Comments received per commenter type"),
            [(row["label"], row["received"]) for row in figures.by_type],
            label_heading=_("Commenter type"),
        ),
    ]
    return figures


def _pair(row):
    return {"received": row["received"], "published": row["published"]}


# --- The moderators' screen -----------------------------------------------------------------


def outcome_admin_url(consultation_pk):
    return reverse("wagtail_policycomms_admin:outcome", args=[consultation_pk])


class OutcomeView(WagtailAdminTemplateMixin, TemplateView):
    """A round's outcome: its figures as the public will read them, and publishing or
    withdrawing its page."""

    template_name = "wagtail_policycomms/admin/outcome.html"
    header_icon = "tasks"

    def dispatch(self, request, pk):
        if not can_moderate(request.user):
            return forbidden(request)
        self.consultation = get_object_or_404(
            without_hidden(ConsultationPage.objects.all(), request.user), pk=pk
        )
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Outcome page")

    def get_page_subtitle(self):
        return self.consultation.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailadmin_pages:edit", args=[self.consultation.pk]),
                "label": self.consultation.title,
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consultation = self.consultation
        draft = consultation.draft_policy
        closed = consultation.status == ConsultationStatus.CLOSED
        context.update(
            consultation=consultation,
            closed=closed,
            published=bool(consultation.outcome_published_at),
            public_url=consultation.outcome_url(self.request)
            if consultation.outcome_is_public
            else None,
            outcome=outcome_figures(consultation, draft, chart_prefix="pc-admin-outcome"),
            edit_url=reverse("wagtailadmin_pages:edit", args=[consultation.pk]),
        )
        return context


@require_POST
def publish_outcome_view(request, pk):
    if not can_moderate(request.user):
        return forbidden(request)
    consultation = get_object_or_404(
        without_hidden(ConsultationPage.objects.all(), request.user), pk=pk
    )
    try:
        changed = moderation.publish_outcome(consultation, request.user)
    except moderation.OutcomeRefused as refusal:
        messages.error(request, str(refusal))
    else:
        if changed:
            messages.success(
                request, _("The outcome page was published: the public can read it now.")
            )
        else:
            messages.info(request, _("The outcome page was already published."))
    return redirect(outcome_admin_url(pk))


@require_POST
def withdraw_outcome_view(request, pk):
    if not can_moderate(request.user):
        return forbidden(request)
    consultation = get_object_or_404(
        without_hidden(ConsultationPage.objects.all(), request.user), pk=pk
    )
    if moderation.withdraw_outcome(consultation, request.user):
        messages.success(
            request, _("The outcome page was withdrawn: the public no longer sees it.")
        )
    else:
        messages.info(request, _("The outcome page was not published."))
    return redirect(outcome_admin_url(pk))


# --- Buttons in the page editor and listing (registered by wagtail_hooks) --------------------


def outcome_button(page, user):
    """ "Outcome page" on a consultation, for moderators."""
    if issubclass(page.specific_class or type(page), ConsultationPage) and can_moderate(user):
        return Button(
            _("Outcome page"), url=outcome_admin_url(page.pk), icon_name="tasks", priority=61
        )
    return None


def outcome_header_buttons(page, user, view_name=None, next_url=None):
    """``register_page_header_buttons``."""
    button = outcome_button(page, user)
    if button:
        yield button


def outcome_listing_buttons(page, user, next_url=None):
    """``register_page_listing_more_buttons``."""
    button = outcome_button(page, user)
    if button:
        yield button
