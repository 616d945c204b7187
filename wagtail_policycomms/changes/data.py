"""Which versions of a draft the public may compare, and the comments beside a change.

A *version* is a revision of the draft page that was published: Wagtail's
``wagtail.publish`` log entry names it, and the live revision and the versions put to
rounds are published too. Any other revision (a draft saved and never published, a
revision of another page) is not a version: asking for it is a 404.

The version put to a round is ``ConsultationPage.draft_revision``, recorded when the
round is published (``models.drafts.record_draft_revision``); for a round published before it was
recorded, the revision most of the round's comments read (``PublicComment.page_revision``),
else the last version published before the round opened.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _
from wagtail.models import PageLogEntry, Revision

from ..conf import policycomms_settings
from ..formats import format_datetime
from ..models import ConsultationPage, Disposition, PublicComment


@dataclass
class Version:
    """A published revision of the draft, numbered from 1 in order of publication."""

    revision_id: int
    created_at: object
    rounds: list = field(default_factory=list)  # the rounds put to it, in order
    live: bool = False
    number: int = 0

    @property
    def label(self):
        label = _("Version %(number)s of %(date)s") % {
            "number": self.number,
            "date": format_datetime(self.created_at),
        }
        if self.rounds:
            titles = ", ".join(r.title for r in self.rounds)
            label = _("%(version)s, put to %(rounds)s") % {"version": label, "rounds": titles}
        if self.live:
            label = _("%(version)s (current)") % {"version": label}
        return label


def public_rounds(draft):
    return list(ConsultationPage.objects.live().public().child_of(draft).order_by("opens_at", "pk"))


def _published_revisions(draft, extra_ids):
    """(id, created_at) of every published revision of ``draft``, oldest first; one query."""
    published = PageLogEntry.objects.filter(
        page_id=draft.pk, action="wagtail.publish", revision__isnull=False
    ).values("revision_id")
    ids = {i for i in (draft.live_revision_id, *extra_ids) if i}
    return list(
        Revision.page_revisions.filter(object_id=str(draft.pk))
        .filter(Q(pk__in=published) | Q(pk__in=ids))
        .order_by("created_at", "pk")
        .values_list("pk", "created_at")
    )


def round_versions(draft, rounds):
    """``(versions, {round pk: revision id})``: the draft's published versions (oldest
    first) and the version put to each round. Two queries, three when a round's version
    was never recorded."""
    by_round = {r.pk: r.draft_revision_id for r in rounds if r.draft_revision_id}
    unknown = [r.pk for r in rounds if not r.draft_revision_id]
    if unknown:
        most_read = (
            PublicComment.objects.filter(consultation_id__in=unknown, page_revision__isnull=False)
            .order_by()
            .values_list("consultation_id", "page_revision_id")
            .annotate(n=Count("pk"))
        )
        best = {}
        for consultation_id, revision_id, n in most_read:
            if n > best.get(consultation_id, (0, None))[0]:
                best[consultation_id] = (n, revision_id)
        by_round.update({pk: revision_id for pk, (_n, revision_id) in best.items()})
    rows = _published_revisions(draft, by_round.values())
    for r in rounds:
        if r.pk not in by_round:  # the last version published before it opened
            before = [pk for pk, created_at in rows if created_at <= r.opens_at]
            if before or rows:
                by_round[r.pk] = before[-1] if before else rows[0][0]
    versions = {
        pk: Version(pk, created_at, live=pk == draft.live_revision_id, number=number)
        for number, (pk, created_at) in enumerate(rows, 1)
    }
    for r in rounds:
        version = versions.get(by_round.get(r.pk))
        if version is not None:
            version.rounds.append(r)
    return list(versions.values()), {pk: rid for pk, rid in by_round.items() if rid in versions}


def default_pair(versions, by_round, rounds):
    """(from, to) revision ids shown by default: the text put to one round and the text
    put to the next (the last two rounds on different texts); with one round, its text
    and the current one. None when there is nothing to compare."""
    texts = []
    for r in rounds:
        revision_id = by_round.get(r.pk)
        if revision_id and (not texts or texts[-1] != revision_id):
            texts.append(revision_id)
    if len(texts) >= 2:
        return texts[-2], texts[-1]
    current = next((v.revision_id for v in versions if v.live), None)
    if texts and current and texts[0] != current:
        return texts[0], current
    if len(versions) >= 2:
        return versions[-2].revision_id, versions[-1].revision_id
    return None


def previous_round_pair(consultation, versions, by_round, rounds):
    """(from, to) for "what changed since the previous round": the text put to the round
    before ``consultation`` and the text put to it; None when there is none."""
    to = by_round.get(consultation.pk)
    earlier = [
        by_round.get(r.pk)
        for r in rounds
        if r.opens_at < consultation.opens_at and by_round.get(r.pk) and by_round.get(r.pk) != to
    ]
    if not to or not earlier:
        return None
    return earlier[-1], to


def revisions_content(draft, revision_ids):
    """``{revision id: the draft as it was}`` (one query, no per-revision query)."""
    rows = Revision.page_revisions.filter(object_id=str(draft.pk), pk__in=revision_ids).only(
        "pk", "content"
    )
    return {row.pk: draft.with_content_json(row.content) for row in rows}


# --- The comments beside each changed article -------------------------------------------

#: The order comments are shown in: accepted answers first, then partly accepted, then
#: other published answers, then comments without a published answer.
_RANK = Case(
    When(response__is_published=True, response__disposition=Disposition.ACCEPTED, then=Value(0)),
    When(
        response__is_published=True,
        response__disposition=Disposition.PARTLY_ACCEPTED,
        then=Value(1),
    ),
    When(response__is_published=True, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


@dataclass
class ArticleComments:
    """An article's comments in the earlier round: how many, how many accepted, the
    first ``per_article`` (accepted first) with their answers."""

    total: int = 0
    accepted: int = 0
    comments: list = field(default_factory=list)

    @property
    def more(self):
        return self.total - len(self.comments)


def comments_by_article(rounds, article_ids, per_article=None):
    """``{article id: ArticleComments}`` of the published comments of ``rounds`` on
    ``article_ids``: two queries whatever the number of comments (the counts; then at
    most ``per_article`` comments per article, with their answers)."""
    if per_article is None:
        per_article = policycomms_settings.CHANGES_COMMENTS_PER_ARTICLE
    article_ids = [i for i in article_ids if i]
    result = {i: ArticleComments() for i in article_ids}
    if not rounds or not article_ids:
        return result
    base = PublicComment.objects.published().filter(
        consultation__in=[r.pk for r in rounds], article_id__in=article_ids
    )
    accepted = Q(response__is_published=True, response__disposition=Disposition.ACCEPTED)
    for article_id, total, n_accepted in (
        base.order_by()
        .values_list("article_id")
        .annotate(total=Count("pk"), accepted=Count("pk", filter=accepted))
    ):
        result[article_id].total = total
        result[article_id].accepted = n_accepted
    if per_article <= 0:
        return result
    sample = (
        base.select_related("response", "response__answering_unit")
        .annotate(
            rank=_RANK,
            place=Window(
                RowNumber(),
                partition_by=[F("article_id")],
                order_by=[_RANK.asc(), F("submitted_at").asc(), F("pk").asc()],
            ),
        )
        .filter(place__lte=per_article)
        .order_by("article_id", "place")
    )
    for comment in sample:
        result[comment.article_id].comments.append(comment)
    return result


def rounds_on(version_id, by_round, rounds):
    """The rounds put to the version ``version_id``."""
    return [r for r in rounds if by_round.get(r.pk) == version_id]
