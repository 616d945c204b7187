"""The portal's section that lists draft policies, with filters."""

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from ..conf import policycomms_settings
from . import counts
from .base import COMMUNICATION_FEATURES, Page, PolicyCommsPageMixin
from .consultations import ConsultationPage, pick_current_round
from .drafts import DraftPolicyPage, DraftPolicyTopic


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
        """Each draft with its current round, status, topics and published comments: at most four
        queries, whatever the number of comments."""
        drafts = list(drafts)
        if not drafts:
            return []
        rounds = (
            ConsultationPage.objects.live()
            .public()
            .children_of_paths([d.path for d in drafts], drafts[0].depth)
        )
        rounds = list(rounds)
        rounds_by_parent = {}
        steplen = Page.steplen
        for consultation in rounds:
            rounds_by_parent.setdefault(consultation.path[:-steplen], []).append(consultation)
        # The cached counts of the consultation pages (``counts``): no comment is
        # read while they are cached, one grouped query for those that are not.
        published_by_round = {
            pk: figures["published"]
            for pk, figures in counts.consultation_counts([c.pk for c in rounds]).items()
        }
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
                    "published_comments": sum(
                        published_by_round.get(c.pk, 0)
                        for c in rounds_by_parent.get(draft.path, [])
                    ),
                }
            )
        return rows


# Wagtail derives a default template name for each concrete page class, so
# the template is named on the concrete class rather than the abstract one.


class PolicyIndexPage(AbstractPolicyIndexPage):
    template = "wagtail_policycomms/pages/policy_index_page.html"
    subpage_types = ["wagtail_policycomms.DraftPolicyPage"]
