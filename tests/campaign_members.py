"""Campaign membership written directly by a test (not by the grouping engine, which has
its own tests): what ``PublicComment.objects.filter(...).update(campaign=...)`` was
before membership moved to the comment's signature (``CommentSignature.campaign``)."""

from django.db.models import QuerySet

from wagtail_policycomms.campaigns import signature
from wagtail_policycomms.models import CommentSignature, PublicComment

#: The signature stored for a text too short for one (a test's member may be short).
_PLACEHOLDER = bytes(signature.BINS * 4)


def put_in_campaign(comments, campaign):
    """Record ``campaign`` (a ``Campaign``, its id, or None) as the campaign of
    ``comments`` (a queryset, comments or ids), writing their signatures where they have
    none."""
    if isinstance(comments, QuerySet):
        ids = set(comments.values_list("pk", flat=True))
    else:
        ids = {getattr(comment, "pk", comment) for comment in comments}
    existing = set(CommentSignature.objects.filter(pk__in=ids).values_list("pk", flat=True))
    CommentSignature.objects.filter(pk__in=existing).update(campaign=campaign)
    rows = []
    for pk, body in PublicComment.objects.filter(pk__in=ids - existing).values_list("pk", "body"):
        sig = signature.minhash(body)
        minhash = _PLACEHOLDER if sig is None else signature.to_bytes(sig)
        rows.append(CommentSignature(comment_id=pk, minhash=minhash, campaign=campaign))
    CommentSignature.objects.bulk_create(rows)
