"""Who joins which campaign: ``assign`` (one new comment) and ``regroup`` (existing ones).

The only writer of a comment joining a campaign, of a new campaign and of the
increments of ``Campaign.size`` (a member split out by a moderator is
``campaigns.membership``'s business). Membership is recorded on the comment's
signature (``CommentSignature.campaign``), written in the same row as the signature:
joining a campaign never updates the comments table.

The rule, the same in both:

1. The comment's signature (``signature.minhash``) and its band keys. A text too short
   for a signature joins no campaign (identical short texts are a duplicate group).
2. Its candidates: the comments sharing at least one band key, in one indexed query on
   ``CampaignBandKey`` (never a scan of the consultation's comments). Only some comments
   are indexed: those in no campaign, and a campaign's representative and its first
   ``INDEXED_MEMBERS`` members. A later copy is found through any of them, and a
   campaign of 200,000 copies costs a lookup no more rows than one of 11.
3. A band collision is only a candidate. Each candidate is confirmed on the whole
   signature against the **representative** of its campaign (or itself, if in none):
   the estimated Jaccard similarity must be at least ``POLICYCOMMS_CAMPAIGN_SIMILARITY``.
   Comparing with the representative, not with whichever member collided, is what keeps
   a chain of small edits from walking one letter into another: every member is close
   to the same text.
4. The best confirmed candidate wins (the highest similarity; at equal similarity a
   campaign before a lone comment, then the campaign whose representative, or the lone
   comment, came first): the comment joins its campaign, or, if it was in none, the two
   form a new campaign whose representative is the earlier comment.
"""

from collections import defaultdict
from dataclasses import dataclass
from itertools import chain, repeat
from operator import neg

from django.db import connections, router, transaction
from django.db.models import Exists, F, OuterRef

from ..conf import policycomms_settings
from ..models.campaigns import Campaign, CampaignBandKey, CommentSignature
from ..models.comments import PublicComment
from ..models.lookups import among
from . import signature

#: A campaign's members (besides its representative) whose band keys are indexed.
INDEXED_MEMBERS = 10
#: Most band-key rows read by one submission's lookup: bounds its time whatever the
#: consultation's size (in the measurements a lookup reads 2 to 5).
MAX_CANDIDATE_ROWS = 200
#: Comments per transaction of ``regroup``.
BATCH_SIZE = 1000
#: Texts whose signatures ``regroup`` remembers (a campaign's identical copies).
_REMEMBERED = 1000

#: What a submission reads of each colliding comment's signature (``_candidate``'s arguments).
_CANDIDATE_FIELDS = (
    "comment_id",
    "campaign_id",
    "campaign__size",
    "minhash",
    "campaign__representative__campaign_signature__minhash",
    "campaign__representative_id",
)


def threshold_setting():
    """``POLICYCOMMS_CAMPAIGN_SIMILARITY``, or None when grouping is off."""
    value = policycomms_settings.CAMPAIGN_SIMILARITY
    return None if value is None else float(value)


@dataclass
class _Candidate:
    comment_id: int
    campaign_id: int | None
    size: int
    signature: tuple
    #: The signature it is confirmed against: its campaign's representative's, or its own.
    reference: tuple
    #: What breaks a tie of similarity: its campaign's representative, or itself.
    order: int


def _candidate(comment_id, campaign_id, size, minhash, representative_minhash, representative_id):
    own = signature.from_bytes(minhash)
    reference, order = own, comment_id
    if campaign_id is not None and representative_minhash is not None:
        reference = signature.from_bytes(representative_minhash)
        order = representative_id
    return _Candidate(comment_id, campaign_id, size or 1, own, reference, order)


def _best(sig, candidates, threshold):
    """The confirmed candidate with the highest similarity (at equal similarity a
    campaign before a lone comment, then the earliest representative or lone comment),
    or None. A campaign's members share one reference, compared once."""
    best, best_rank, seen = None, None, set()
    for candidate in candidates:
        if candidate.campaign_id is not None:
            if candidate.campaign_id in seen:
                continue
            seen.add(candidate.campaign_id)
        score = signature.similarity(sig, candidate.reference)
        if score < threshold:
            continue
        rank = (score, candidate.campaign_id is not None, -candidate.order)
        if best_rank is None or rank > best_rank:
            best, best_rank = candidate, rank
    return best


def assign(comment, threshold=None):
    """Give a newly stored ``comment`` its signature and, if it is a near-duplicate of
    earlier comments, its campaign. Returns the campaign's id or None.

    Called by ``process_comment_submission`` inside the submission's transaction (it
    opens none of its own there): a handful of queries whatever the consultation's size.
    Once per comment: a second call on the same comment fails (its signature exists).
    """
    if threshold is None:
        threshold = threshold_setting()
    if threshold is None or comment.pk is None:
        return None
    sig = signature.minhash(comment.body)
    if sig is None:
        return None
    keys = signature.band_keys(comment.consultation_id, sig)
    with transaction.atomic(savepoint=False):
        # Two indexed lookups, not one join from the band keys: the colliding comments'
        # ids by key, then their signatures and campaigns by primary key. The join's plan
        # depended on the tables' statistics; with none (a table filled in the same
        # transaction) PostgreSQL chose one that took a second a submission.
        found = CampaignBandKey.objects.filter(key__in=keys).values_list("comment_id", flat=True)
        rows = CommentSignature.objects.filter(pk__in=list(found[:MAX_CANDIDATE_ROWS])).values_list(
            *_CANDIDATE_FIELDS
        )
        candidates = {}
        for row in rows:
            if row[0] != comment.pk and row[0] not in candidates:
                candidates[row[0]] = _candidate(*row)
        chosen = _best(sig, candidates.values(), threshold)
        campaign_id, size = (None, 1) if chosen is None else _join(comment, chosen)
        # The signature and the membership in one row (a second call on the same
        # comment fails here: its signature exists).
        CommentSignature.objects.create(
            comment_id=comment.pk, minhash=signature.to_bytes(sig), campaign_id=campaign_id
        )
        if size <= INDEXED_MEMBERS + 1:
            CampaignBandKey.objects.bulk_create(
                [CampaignBandKey(key=key, comment_id=comment.pk) for key in keys]
            )
    return campaign_id


def _join(comment, chosen):
    """The campaign ``comment`` joins, ``chosen``'s (formed, with ``chosen`` in it, if
    ``chosen`` is in none): ``(campaign id, its size now)``. The caller records the
    comment's own membership with its signature."""
    campaign_id, size = chosen.campaign_id, chosen.size
    if campaign_id is None:
        # Lock the lone comment's signature: two copies submitted at once must form one
        # campaign, not two (the second waits, then finds the campaign the first formed).
        current = list(
            CommentSignature.objects.select_for_update(of=("self",))
            .filter(pk=chosen.comment_id)
            .values_list("campaign_id", "campaign__size")
        )
        if not current:
            return None, 1
        campaign_id, size = current[0]
        if campaign_id is None:
            campaign = Campaign.objects.create(
                consultation_id=comment.consultation_id,
                representative_id=chosen.comment_id,
                size=2,
            )
            CommentSignature.objects.filter(pk=chosen.comment_id).update(campaign=campaign)
            return campaign.pk, 2
    if not Campaign.objects.filter(pk=campaign_id).update(size=F("size") + 1):
        return None, 1  # removed since it was read (a moderator split it up): in none
    return campaign_id, (size or 1) + 1


@dataclass
class RegroupOutcome:
    comments: int = 0  # read
    signed: int = 0  # given a signature (the others are too short)
    grouped: int = 0  # joined a campaign (a new campaign counts its two first members)
    campaigns: int = 0  # formed


def regroup(
    consultations=None, *, batch_size=BATCH_SIZE, rebuild=False, threshold=None, progress=None
):
    """Group existing comments that have no signature yet (nothing when
    ``POLICYCOMMS_CAMPAIGN_SIMILARITY`` is None), ``batch_size`` per
    transaction, in the order they arrived: the same rule as ``assign``, with the
    candidates of a whole batch read in a few single-table queries, its signatures
    written with their memberships in one COPY and the campaigns' sizes in one UPDATE on
    PostgreSQL (never an UPDATE of the comments table).

    ``consultations``: ids (or pages) to limit it to; ``rebuild``: first forget the
    campaigns, signatures and band keys of those comments (a moderator's decisions on
    those campaigns are forgotten with them). ``progress(done, total)`` is called after
    each batch. Memory is one batch's texts and signatures and its candidates, and the
    signatures of at most ``_REMEMBERED`` texts, whatever the number of comments.
    Running it again only reads comments without a signature
    (those too short for one).
    """
    if threshold is None:
        threshold = threshold_setting()
    outcome = RegroupOutcome()
    if threshold is None:
        return outcome  # grouping is off
    scope = PublicComment.objects.all()
    if consultations is not None:
        scope = scope.filter(consultation__in=consultations)
    if rebuild:
        _forget(scope, consultations)
    todo = scope.filter(campaign_signature__isnull=True)
    total = todo.count()
    last = 0
    computed = {}  # the signatures of texts seen lately (``_signatures``)
    while True:
        # The comments after ``last`` without a signature, the signatures' side bounded
        # by ``last`` too: PostgreSQL does not carry the range across the join, and its
        # anti-join read every signature written so far again at each batch (a batch's
        # read took 20 ms instead of 3 at 100,000 comments, regroup's cost growing with
        # the square of their number).
        signed = CommentSignature.objects.filter(comment=OuterRef("pk"), comment__gt=last)
        rows = list(
            scope.filter(~Exists(signed), pk__gt=last)
            .order_by("pk")
            .values_list("pk", "consultation_id", "body")[:batch_size]
        )
        if not rows:
            break
        with transaction.atomic():
            _group_batch(rows, threshold, outcome, computed)
        last = rows[-1][0]
        outcome.comments += len(rows)
        if progress is not None:
            progress(min(outcome.comments, total), total)
    return outcome


def _forget(scope, consultations):
    CampaignBandKey.objects.filter(comment__in=scope).delete()
    CommentSignature.objects.filter(comment__in=scope).delete()  # and the memberships
    campaigns = Campaign.objects.all()
    if consultations is not None:
        campaigns = campaigns.filter(consultation__in=consultations)
    campaigns.delete()


def _insert(model, columns, rows):
    """Insert plain rows: COPY on PostgreSQL, one executemany elsewhere. A batch writes
    sixteen band keys per comment; model instances would cost more than the grouping."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    names = ", ".join(qn(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy"):
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def _signatures(rows, computed):
    """Each row's signature and band keys (``{pk: sig}``, ``{pk: keys}``, without the
    texts too short for one). A campaign's identical copies are computed once:
    ``computed`` maps (consultation, text) to the result, and is emptied when it holds
    ``_REMEMBERED`` texts, so memory stays flat."""
    sigs, keys_of = {}, {}
    minhash, band_keys = signature.minhash, signature.band_keys
    for pk, consultation_id, body in rows:
        known = computed.get((consultation_id, body))
        if known is None:
            if len(computed) >= _REMEMBERED:
                computed.clear()
            sig = minhash(body)
            known = computed[consultation_id, body] = (
                sig,
                None if sig is None else band_keys(consultation_id, sig),
            )
        if known[0] is not None:
            sigs[pk], keys_of[pk] = known
    return sigs, keys_of


def _signatures_of(comment_ids, campaign_of=None):
    """``{comment id: signature}`` of those of ``comment_ids`` that have one; their
    campaigns (those in one) are added to the dict ``campaign_of`` if given."""
    rows = among(CommentSignature.objects.all(), "comment", comment_ids).values_list(
        "comment_id", "minhash", "campaign_id"
    )
    found = {}
    for pk, minhash, campaign_id in rows:
        found[pk] = signature.from_bytes(minhash)
        if campaign_id is not None and campaign_of is not None:
            campaign_of[pk] = campaign_id
    return found


def _group_batch(rows, threshold, outcome, computed):
    sigs, keys_of = _signatures(rows, computed)
    if not sigs:
        return
    outcome.signed += len(sigs)
    # The earlier comments these may join: key -> comment ids, and each
    # candidate's campaign state, kept up to date as this batch changes it.
    index = defaultdict(list)
    own, campaign_of = {}, {}
    campaigns = {}  # id -> [size, representative's signature or None, representative's id]
    consultation_of = {pk: consultation_id for pk, consultation_id, _body in rows}
    # The keys' comment ids (index only: a campaign's indexed members appear under most
    # keys), then each distinct candidate's signature, campaign and the campaign's size
    # and representative's signature, once each: single-table lookups by primary key,
    # whose plan does not depend on the tables' statistics (a join of the five tables
    # could take minutes on tables never analysed, as in a first run after a load).
    all_keys = {key for keys in keys_of.values() for key in keys}
    keyed = among(CampaignBandKey.objects.all(), "key", all_keys).values_list("key", "comment_id")
    for key, comment_id in keyed:
        index[key].append(comment_id)
    found_ids = {comment_id for ids in index.values() for comment_id in ids}
    own.update(_signatures_of(found_ids, campaign_of))
    found_campaigns = among(Campaign.objects.all(), "pk", set(campaign_of.values()))
    representative_of = {}
    for campaign_id, size, representative_id in found_campaigns.values_list(
        "pk", "size", "representative_id"
    ):
        campaigns[campaign_id] = [size or 1, None, representative_id]
        representative_of[campaign_id] = representative_id
    missing = {rep for rep in representative_of.values() if rep is not None and rep not in own}
    reps = {**_signatures_of(missing), **own} if missing else own
    for campaign_id, representative_id in representative_of.items():
        campaigns[campaign_id][1] = reps.get(representative_id)
    if len(own) < len(found_ids):  # a band key without a signature (never written so)
        index = defaultdict(list, {key: [c for c in ids if c in own] for key, ids in index.items()})
    similarity = signature.similarity
    ids_of, group_of, nothing = index.get, campaign_of.get, repeat(())
    new_keys, members = [], defaultdict(list)
    for pk, sig in sigs.items():
        # The comments sharing a key (in C: 16 keys a comment, a few ids a key), then
        # each one's group, also in C: its campaign's id, or its own id negated if it is
        # in none. A campaign's members, most of what is found, are compared once.
        found = set(chain.from_iterable(map(ids_of, keys_of[pk], nothing)))
        # ``_best``, inline (no candidate objects): the highest similarity, a campaign
        # before a lone comment, then the earliest representative or lone comment.
        chosen, chosen_campaign, best_rank = None, None, None
        for group in set(map(group_of, found, map(neg, found))):
            if group > 0:
                _size, reference, c = campaigns[group]
                if reference is None or c is None:
                    # Its representative has no signature (none is written so): its
                    # earliest member found stands for it.
                    c = min(m for m in found if group_of(m) == group)
                    reference = own[c]
            else:
                c = -group
                reference = own[c]
            score = similarity(sig, reference)
            if score < threshold:
                continue
            rank = (score, group > 0, -c)
            if best_rank is None or rank > best_rank:
                chosen, chosen_campaign, best_rank = c, (group if group > 0 else None), rank
        size = 1
        if chosen is not None:
            campaign_id = chosen_campaign
            if campaign_id is None:
                campaign = Campaign.objects.create(
                    consultation_id=consultation_of[pk],
                    representative_id=chosen,
                    size=0,
                )
                campaign_id = campaign.pk
                campaigns[campaign_id] = [1, own[chosen], chosen]
                campaign_of[chosen] = campaign_id
                members[campaign_id].append(chosen)
                outcome.campaigns += 1
                outcome.grouped += 1
            campaigns[campaign_id][0] += 1
            size = campaigns[campaign_id][0]
            campaign_of[pk] = campaign_id
            members[campaign_id].append(pk)
            outcome.grouped += 1
        own[pk] = sig
        if size <= INDEXED_MEMBERS + 1:
            for key in keys_of[pk]:
                index[key].append(pk)
                new_keys.append((key, pk))
    # The batch's signatures with their memberships in one COPY: no UPDATE of the
    # comments table. Only comments of earlier batches that formed a campaign with one
    # of these (their signature row exists) are updated, on the narrow signatures table.
    _insert(
        CommentSignature,
        ("comment", "minhash", "campaign"),
        [(pk, signature.to_bytes(sig), campaign_of.get(pk)) for pk, sig in sigs.items()],
    )
    _insert(CampaignBandKey, ("key", "comment"), new_keys)
    earlier = defaultdict(list)
    for campaign_id, ids in members.items():
        for pk in ids:
            if pk not in sigs:
                earlier[campaign_id].append(pk)
    _add_members(members, earlier)


def _add_members(members, earlier):
    """Write a batch's joinings: each campaign's size (``members``: campaign id -> the
    comments that joined it) and the membership of the comments of earlier batches that
    joined (``earlier``, the same shape; this batch's own are written with their
    signatures). On PostgreSQL, one UPDATE of the campaigns for the whole batch, the ids
    as array parameters (not one statement per campaign); elsewhere, a statement per
    campaign. A campaign removed meanwhile (a moderator split it up; its row is gone, so
    no size was written) keeps no members: they are in no campaign."""
    for campaign_id, ids in earlier.items():
        CommentSignature.objects.filter(pk__in=ids).update(campaign_id=campaign_id)
    if not members:
        return
    connection = connections[router.db_for_write(Campaign)]
    if connection.vendor != "postgresql":
        updated = {
            campaign_id
            for campaign_id, ids in members.items()
            if Campaign.objects.filter(pk=campaign_id).update(size=F("size") + len(ids))
        }
    else:
        qn = connection.ops.quote_name
        campaigns = Campaign._meta
        campaign_table = qn(campaigns.db_table)
        size = qn(campaigns.get_field("size").column)
        pk = f"{campaign_table}.{qn(campaigns.pk.column)}"
        # Only quoted names of our own tables and columns go into the SQL; values are
        # parameters.
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {campaign_table} SET {size} = {size} + m.joined "  # noqa: S608
                "FROM unnest(%s::bigint[], %s::int[]) AS m(id, joined) "
                f"WHERE {pk} = m.id RETURNING {pk}",
                [list(members), [len(ids) for ids in members.values()]],
            )
            updated = {row[0] for row in cursor.fetchall()}
    gone = set(members) - updated
    if gone:
        CommentSignature.objects.filter(campaign__in=gone).update(campaign=None)
