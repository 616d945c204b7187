"""The moderators' panel on the Wagtail dashboard (``construct_homepage_panels`` hook).

Pending comments, consultations closing within a week, and closed consultations
whose approved comments still have no answer. A fixed number of queries,
whatever the number of comments and consultations.
"""

from datetime import timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from .answers import queue_url
from .models import CommentStatus, ConsultationPage, ConsultationStatus, PublicComment
from .models.base import Page
from .permissions import is_moderator

#: Consultations listed per table; the rest are counted.
LIMIT = 10
CLOSING_WITHIN = timedelta(days=7)


def add_moderation_panel(request, panels):
    if is_moderator(request.user):
        panels.append(ModerationPanel())


class ModerationPanel(Component):
    name = "policycomms_moderation"
    template_name = "wagtail_policycomms/admin/dashboard/moderation_panel.html"
    order = 90  # before Wagtail's own panels: this is the moderators' work list

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        now = timezone.now()
        pending = PublicComment.objects.filter(status=CommentStatus.PENDING).count()
        closing = list(
            ConsultationPage.objects.live()
            .with_status(ConsultationStatus.OPEN, now)
            .filter(closes_at__lte=now + CLOSING_WITHIN)
            .order_by("closes_at", "pk")
            .values("pk", "title", "path", "closes_at")[: LIMIT + 1]
        )
        unanswered = list(
            PublicComment.objects.filter(
                status=CommentStatus.APPROVED,
                response__isnull=True,
                consultation__closes_at__lte=now,
            )
            .values(
                "consultation_id",
                "consultation__title",
                "consultation__path",
                "consultation__closes_at",
            )
            .annotate(count=Count("pk"))
            .order_by("consultation__closes_at", "consultation_id")[: LIMIT + 1]
        )
        rows_closing = [
            {"pk": c["pk"], "title": c["title"], "path": c["path"], "closes_at": c["closes_at"]}
            for c in closing[:LIMIT]
        ]
        rows_unanswered = [
            {
                "pk": row["consultation_id"],
                "title": row["consultation__title"],
                "path": row["consultation__path"],
                "closes_at": row["consultation__closes_at"],
                "count": row["count"],
            }
            for row in unanswered[:LIMIT]
        ]
        self.add_drafts(rows_closing + rows_unanswered)
        context.update(
            pending_count=pending,
            queue_url=queue_url(),
            closing=rows_closing,
            closing_more=len(closing) > LIMIT,
            unanswered=rows_unanswered,
            unanswered_more=len(unanswered) > LIMIT,
            closing_days=CLOSING_WITHIN.days,
        )
        return context

    @staticmethod
    def add_drafts(rows):
        """Each consultation's draft policy title (rounds are often named alike), one query."""
        parent_paths = {row["path"][: -Page.steplen] for row in rows}
        titles = dict(
            Page.objects.filter(path__in=parent_paths).values_list("path", "title")
            if parent_paths
            else []
        )
        for row in rows:
            row["draft_title"] = titles.get(row["path"][: -Page.steplen], "")
            row["edit_url"] = reverse("wagtailadmin_pages:edit", args=[row["pk"]])
