"""Leaving a campaign: the one place that takes comments out of their campaigns.

``detach`` is used by ``moderation.split_from_campaign`` (a moderator splits members
out of a campaign) and may be used by the regrouping of ``campaigns.grouping``. It
keeps ``Campaign.size`` right without recounting: the UPDATE that takes members out
of a campaign returns how many it took, and the size is lowered by that number with
``F()``. Its cost grows with the number of campaigns touched, never with the number
of comments: one UPDATE of the members' signatures (where membership is recorded,
``CommentSignature.campaign``), one of the comments when they are stamped, and one of
the campaign per campaign, and a campaign that lost its representative gets a new one
in one more statement.

A campaign left with fewer than two members is no campaign: it is deleted, and its
last member (if any) becomes an ordinary comment again.
"""

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Greatest

from ..models import Campaign, CommentSignature, PublicComment
from ..models.comments import CAMPAIGN_MEMBERSHIP

#: A campaign needs at least this many members to be kept.
SMALLEST_CAMPAIGN = 2


def detach(comments, **stamp):
    """Take the comments of the queryset ``comments`` out of their campaigns.

    ``stamp`` are more values the same UPDATE writes on the comments taken out
    (``moderation.split_from_campaign`` stamps them with its action id to log them).

    Returns ``{campaign id: members taken out}`` for the campaigns touched (an empty
    dict when none of the comments was in a campaign). Campaigns are locked while
    their members leave, so a comment joining at the same time (``campaigns.grouping``,
    which also changes the size with ``F()``) waits instead of being miscounted.
    """
    selected = Subquery(comments.order_by().values("pk"))
    with transaction.atomic():
        touched = list(
            CommentSignature.objects.filter(comment__in=selected, campaign__isnull=False)
            .order_by()
            .values_list("campaign_id", flat=True)
            .distinct()
        )
        if not touched:
            return {}
        # Locked in key order, so two detaches over the same campaigns cannot deadlock.
        campaigns = dict(
            Campaign.objects.select_for_update()
            .filter(pk__in=touched)
            .order_by("pk")
            .values_list("pk", "representative_id")
        )
        removed = {}
        for campaign_id in campaigns:
            leaving = CommentSignature.objects.filter(campaign_id=campaign_id, comment__in=selected)
            if stamp:  # while they are still members, so only those leaving are stamped
                PublicComment.objects.filter(
                    pk__in=Subquery(leaving.order_by().values("comment_id"))
                ).update(**stamp)
            left = leaving.update(campaign=None)
            if left:
                # Never below zero, should the size have drifted from the members.
                Campaign.objects.filter(pk=campaign_id).update(size=Greatest(F("size") - left, 0))
                removed[campaign_id] = left
        _tidy(campaigns)
    return removed


def _tidy(campaigns):
    """Delete the campaigns too small to be one; give the others a representative that
    is still a member. ``campaigns`` is ``{campaign id: representative id before}``."""
    ids = list(campaigns)
    small = Campaign.objects.filter(pk__in=ids, size__lt=SMALLEST_CAMPAIGN)
    # The last member of a campaign that is no more is an ordinary comment again.
    CommentSignature.objects.filter(campaign__in=small).update(campaign=None)
    small.delete()
    # The earliest remaining member stands for a campaign whose representative left:
    # one UPDATE with a correlated subquery, whatever the number of campaigns.
    first_member = (
        PublicComment.objects.in_campaign(OuterRef("pk"))
        .order_by("submitted_at", "pk")
        .values("pk")[:1]
    )
    Campaign.objects.filter(pk__in=ids).exclude(
        **{f"representative__{CAMPAIGN_MEMBERSHIP}": F("pk")}
    ).update(representative=Subquery(first_member))
