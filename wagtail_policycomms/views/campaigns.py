"""Campaigns of near-identical comments: their listing, one campaign's page, and actions on
a whole campaign (issue 15).

A campaign (``models.Campaign``) holds comments whose texts are nearly the same, as
decided by ``wagtail_policycomms.campaigns``; an exact duplicate group is another thing
(``views.groups``). The screens follow the duplicate groups':

- the listing: the largest campaigns of a consultation or draft first, with their size
  (``Campaign.size``, kept by the campaigns package, never counted per request), the
  representative's text and the members' statuses, counted in one grouped query for the
  page;
- a campaign's page: the representative text, then the members a page at a time, each
  with its differences from the representative (``formats.diff.diff_html``), and a
  form that splits the ticked members out of the campaign;
- approving, rejecting… every member at once: ONE call to ``moderation.moderate`` over
  the members (a campaign larger than ``MODERATION_BATCH_SIZE`` is handed to
  ``tasks.moderate_campaign``, which commits a batch at a time), after a confirmation,
  as for a duplicate group; answering every member at once: ``moderation.answer``
  through ``views.answers``' answer page.

Who may: every staff member who reads the queue sees the screens; moderators act;
answering is ``permissions.can_answer``. Refusals are ``permissions.forbidden()``.
The URLs are in ``admin_urls`` (``wagtail_policycomms_admin:campaigns``, …).
"""

from django.contrib.admin.utils import quote
from django.db.models import Count, F, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import Column, NumberColumn, TitleColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from .. import moderation, tasks
from ..filters import CampaignFilterSet, draft_title_of
from ..formats import format_count, format_staff_datetime
from ..formats.diff import changed, diff_html
from ..forms import ManyModerationForm
from ..models import Campaign, CommentStatus, PublicComment
from ..moderation import ACTIONS
from ..permissions import (
    can_answer,
    can_moderate,
    can_view_personal_data,
    comment_permission_policy,
    forbidden,
)
from ..restricted import without_hidden
from .answers import ManyAnswerView
from .comments import ModerationActionMixin
from .groups import WholeSelectionModerationMixin

TEMPLATES = "wagtail_policycomms/admin/campaigns/"
URLS = "wagtail_policycomms_admin:"
QUEUE_URL_NAME = "wagtailsnippets_wagtail_policycomms_publiccomment:list"
#: Members shown on a page of a campaign's page.
MEMBERS_PER_PAGE = 50
#: How much of the representative's text the listing shows.
EXCERPT_LENGTH = 140


def campaign_url(campaign_id, name="campaign", *args):
    return reverse(URLS + name, args=(campaign_id, *args))


def members_queryset(campaign_id):
    """Every member of a campaign: what a whole-campaign action acts on."""
    return PublicComment.objects.in_campaign(campaign_id)


def status_counts(campaign_ids):
    """``{campaign id: {status: count}}`` in one grouped query, whatever the campaigns' sizes."""
    counts = {pk: {} for pk in campaign_ids}
    rows = (
        PublicComment.objects.in_campaigns(campaign_ids)
        .with_campaign(size=False)
        .order_by()
        .values_list("campaign_id", "status")
        .annotate(n=Count("pk"))
    )
    for campaign_id, status, n in rows:
        counts[campaign_id][status] = n
    return counts


def breakdown(counts):
    """[(label, count)] of the statuses present, in the statuses' order."""
    return [(status.label, counts[status]) for status in CommentStatus if counts.get(status)]


def consultation_label_of(campaign):
    title = campaign.consultation_title
    return f"{campaign.policy_title} – {title}" if campaign.policy_title else title


def visible_campaigns(user):
    """The campaigns ``user`` may see: not those of a round ``restricted.without_hidden``
    hides from them."""
    return without_hidden(Campaign.objects.all(), user, "consultation_id")


def campaigns_with_labels(user):
    """``visible_campaigns`` with what every screen shows of them, joined in the same
    query."""
    return visible_campaigns(user).annotate(
        consultation_title=F("consultation__title"),
        policy_title=draft_title_of(OuterRef("consultation__path")),
        representative_body=F("representative__body"),
    )


class StaffOnlyMixin:
    """Every staff member who reads the queue; the others get ``forbidden()``."""

    def dispatch(self, request, *args, **kwargs):
        if not comment_permission_policy.user_has_permission(request.user, "view"):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def queue_breadcrumbs(self):
        return [
            {"url": reverse(QUEUE_URL_NAME), "label": gettext("Comments")},
            {"url": reverse(URLS + "campaigns"), "label": gettext("Campaigns")},
        ]


# --- The listing ----------------------------------------------------------------------------


class BreakdownColumn(Column):
    cell_template_name = "wagtail_policycomms/admin/comments/breakdown_cell.html"


class CampaignPaginator(WagtailPaginator):
    """Counts campaigns, not comments, under the listing."""

    verbose_name = _("campaign")
    verbose_name_plural = _("campaigns")


class CampaignIndexView(StaffOnlyMixin, BaseListingView):
    """The largest campaigns first, for a consultation, a draft's rounds or all."""

    model = Campaign
    page_title = _("Campaigns")
    header_icon = "group"
    template_name = "wagtailadmin/generic/listing.html"
    filterset_class = CampaignFilterSet
    default_ordering = "-size"
    paginate_by = 20
    index_url_name = URLS + "campaigns"
    index_results_url_name = URLS + "campaigns_results"
    verbose_name_plural = _("campaigns")
    paginator_class = CampaignPaginator

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(QUEUE_URL_NAME), "label": gettext("Comments")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_base_queryset(self):
        return campaigns_with_labels(self.request.user)

    def order_queryset(self, queryset):
        return queryset.order_by(self.ordering, "-pk")

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                gettext("Comments in a campaign"),
                url=reverse(QUEUE_URL_NAME) + "?" + urlencode({"campaign": "any", "status": ""}),
                icon_name="list-ul",
            )
        ]

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "text",
                label=_("Representative comment"),
                get_url=lambda campaign: campaign_url(campaign.pk),
            ),
            Column("consultation_label", label=_("Consultation")),
            NumberColumn("size", label=_("Comments in the campaign"), sort_key="size"),
            BreakdownColumn("breakdown", label=_("Status")),
            Column("formed", label=_("Formed"), sort_key="created_at"),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaigns = list(context["object_list"])
        counts = status_counts([campaign.pk for campaign in campaigns])
        for campaign in campaigns:
            campaign.text = Truncator(campaign.representative_body or "").chars(EXCERPT_LENGTH)
            campaign.consultation_label = consultation_label_of(campaign)
            campaign.breakdown = breakdown(counts[campaign.pk])
            campaign.formed = format_staff_datetime(campaign.created_at)
        return context


# --- One campaign -----------------------------------------------------------------------------


class CampaignMixin:
    """The campaign named in the URL, with its labels (one query); 404 when it is gone."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.campaign = get_object_or_404(
            campaigns_with_labels(request.user).select_related("representative"),
            pk=kwargs["campaign_pk"],
        )

    @cached_property
    def counts(self):
        return status_counts([self.campaign.pk])[self.campaign.pk]


class CampaignView(StaffOnlyMixin, CampaignMixin, WagtailAdminTemplateMixin, TemplateView):
    """The representative text, the members with their differences, the actions."""

    template_name = TEMPLATES + "campaign.html"
    header_icon = "group"

    def get_page_title(self):
        return gettext("Campaign %(id)s") % {"id": self.campaign.pk}

    def get_page_subtitle(self):
        return consultation_label_of(self.campaign)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            *self.queue_breadcrumbs(),
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def can_moderate(self):
        return can_moderate(self.request.user)

    def action_links(self):
        """Approve, reject, … every member; answer every member."""
        next_url = self.request.get_full_path()
        query = "?" + urlencode({"next": next_url})
        links = []
        if self.can_moderate:
            links = [
                (action.label, campaign_url(self.campaign.pk, "campaign_moderate", code) + query)
                for code, action in ACTIONS.items()
            ]
        # Moderators answer any campaign; the drafting unit's staff their own (one query).
        if self.can_moderate or can_answer(self.request.user, self.campaign.consultation):
            links.append(
                (
                    gettext("Answer the whole campaign"),
                    campaign_url(self.campaign.pk, "campaign_answer") + query,
                )
            )
        return links

    def members_page(self):
        """A page of members (a count and a page of rows), each with its differences."""
        members = members_queryset(self.campaign.pk).order_by("submitted_at", "pk")
        paginator = WagtailPaginator(members, MEMBERS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        representative = self.campaign.representative
        base = representative.body if representative else ""
        for member in page.object_list:
            member.is_representative = representative is not None and (
                member.pk == representative.pk
            )
            member.differs = not member.is_representative and changed(base, member.body)
            member.differences = diff_html(base, member.body) if member.differs else ""
            member.inspect_url = reverse(
                PublicComment.snippet_viewset.get_url_name("inspect"), args=(quote(member.pk),)
            )
        return paginator, page

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator, page = self.members_page()
        context.update(
            campaign=self.campaign,
            representative=self.campaign.representative,
            breakdown=breakdown(self.counts),
            action_links=self.action_links(),
            can_moderate=self.can_moderate,
            can_see_personal_data=can_view_personal_data(self.request.user),
            paginator=paginator,
            page_obj=page,
            members=page.object_list,
            split_url=campaign_url(self.campaign.pk, "campaign_split"),
            members_url=reverse(QUEUE_URL_NAME)
            + "?"
            + urlencode({"campaign": self.campaign.pk, "status": ""}),
        )
        return context


class CampaignModerateView(
    CampaignMixin, WholeSelectionModerationMixin, ModerationActionMixin, FormView
):
    """Confirm an action on every member (GET), then apply it in one call (POST)."""

    template_name = TEMPLATES + "moderate.html"
    form_class = ManyModerationForm
    header_icon = "group"
    # Refused with ``forbidden()`` below, not with Wagtail's redirect.
    permission_required = None

    def dispatch(self, request, *args, **kwargs):
        if not can_moderate(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    @property
    def members(self):
        return members_queryset(self.campaign.pk)

    @cached_property
    def size(self):
        return sum(self.counts.values())

    def get_page_title(self):
        return gettext("%(action)s: the whole campaign") % {"action": self.action.label}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(QUEUE_URL_NAME), "label": gettext("Comments")},
            {"url": reverse(URLS + "campaigns"), "label": gettext("Campaigns")},
            {
                "url": campaign_url(self.campaign.pk),
                "label": gettext("Campaign %(id)s") % {"id": self.campaign.pk},
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_success_url(self):
        return get_valid_next_url_from_request(self.request) or campaign_url(self.campaign.pk)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["initial"] = {"seen_statuses": list(self.counts)}
        return kwargs

    moderation_task = tasks.moderate_campaign

    @property
    def selection_size(self):
        return self.size

    def task_target(self):
        return self.campaign.pk

    def background_message(self):
        return gettext(
            "The %(count)s comments of this campaign are being handled in the "
            "background, %(batch)s at a time; the campaign's counts show the "
            "progress. If the work stops part-way, choose the same action again: it "
            "carries on with the comments not yet handled."
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action=self.action,
            campaign=self.campaign,
            representative=self.campaign.representative,
            size=self.size,
            breakdown=breakdown(self.counts),
            cancel_url=self.get_success_url(),
        )
        return context


class CampaignAnswerView(ManyAnswerView):
    """One answer for every member (``moderation.answer``), as for a duplicate group."""

    submit_button_label = _("Save answer for the whole campaign")

    def load(self, campaign_pk):
        self.campaign = get_object_or_404(
            visible_campaigns(self.request.user).select_related("consultation", "representative"),
            pk=campaign_pk,
        )
        self.consultation = self.campaign.consultation
        self.comments = members_queryset(self.campaign.pk)
        first = self.campaign.representative or self.comments.order_by("submitted_at", "pk").first()
        if first is None:
            raise Http404
        self.comment = first
        self.load_shared_answer()

    def get_page_title(self):
        return gettext("Answer campaign %(id)s") % {"id": self.campaign.pk}

    def get_success_url(self):
        return get_valid_next_url_from_request(self.request) or campaign_url(self.campaign.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["group_heading"] = ngettext(
            "Campaign %(id)s: %(count)s near-identical comment",
            "Campaign %(id)s: %(count)s near-identical comments",
            self.group_size,
        ) % {"id": self.campaign.pk, "count": format_count(self.group_size)}
        return context


class CampaignSplitView(View):
    """POST only: take the ticked members out of the campaign (``moderation``)."""

    http_method_names = ["post"]

    def post(self, request, campaign_pk):
        if not can_moderate(request.user):
            return forbidden(request)
        campaign = get_object_or_404(visible_campaigns(request.user), pk=campaign_pk)
        ids = [int(pk) for pk in request.POST.getlist("member") if pk.isdigit()]
        if not ids:
            messages.warning(request, gettext("Tick the comments to split out of the campaign."))
            return redirect(campaign_url(campaign.pk))
        selected = members_queryset(campaign.pk).filter(pk__in=ids)
        removed = moderation.split_from_campaign(selected, request.user).get(campaign.pk, 0)
        messages.success(
            request,
            ngettext(
                "%(count)d comment split out of campaign %(id)s.",
                "%(count)d comments split out of campaign %(id)s.",
                removed,
            )
            % {"count": removed, "id": campaign.pk},
        )
        if Campaign.objects.filter(pk=campaign.pk).exists():
            return redirect(get_valid_next_url_from_request(request) or campaign_url(campaign.pk))
        messages.info(
            request,
            gettext("Campaign %(id)s had fewer than two comments left and was removed.")
            % {"id": campaign.pk},
        )
        return redirect(reverse(URLS + "campaigns"))
