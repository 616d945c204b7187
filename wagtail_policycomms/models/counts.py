"""Cheap comment counts: cached in Django's cache, kept right by the code that changes them.

What is counted is decided in ``models.comments`` (``RECEIVED``, ``PUBLISHED``,
``AWAITING_ANSWER``); this module only decides how often it is counted.

Why cached counts rather than counter columns maintained on every write:

- A counter row per consultation would be updated by every submission and held
  locked until the submission commits: a campaign's submissions would queue behind
  one row, which is what the receipt counter did (issue 10). A cache ``incr`` takes
  no database lock.
- A counter on the consultation page itself would be overwritten by Wagtail: page
  revisions store every field, and publishing a revision writes them back.
- Counters must be right after every writer, including bulk loads, the retention
  purge, deletions in the admin and SQL run by hand. A cache is right after them
  within ``POLICYCOMMS_COUNTS_CACHE_SECONDS`` (recounted once then); a counter
  would stay wrong until someone noticed.

How the counts stay right:

- Each consultation's counts live under a *generation* token
  (``policycomms:counts:<id>`` → token; ``policycomms:counts:<id>:<token>:published``
  …). ``comments_changed`` gives the consultations a new token, which forgets all
  their counts at once (also the per-article ones, whose keys are not known);
  ``moderation`` calls it for every status change, now and again on commit (so a
  page counted between the UPDATE and the commit is forgotten too).
- A new comment adds itself (``comment_added``, on commit, from
  ``PublicComment.save``) with ``cache.incr``, atomic in Redis and Memcached, so a
  campaign does not make every page view recount. When the count is not cached (or
  expired), the consultation gets a new token, so a page counted while the comment
  was being committed is not kept.
- The dashboard's figures (``pending_count``, ``awaiting_answer_counts``) are
  site-wide; status changes and answers delete them.

Several server processes need a shared cache (Redis, Memcached, database), as for
the rate limits: with a per-process cache, the processes that did not handle a
moderation keep showing the old counts for up to ``COUNTS_CACHE_SECONDS``.
``COUNTS_CACHE_SECONDS = 0`` counts on every request.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Value
from django.db.models.query import QuerySet
from django.utils import timezone

from ..conf import policycomms_settings

PREFIX = "policycomms:counts"
PENDING_KEY = f"{PREFIX}:pending"
AWAITING_KEY = f"{PREFIX}:awaiting"


def _ttl():
    return policycomms_settings.COUNTS_CACHE_SECONDS or 0


def _generation_key(consultation_id):
    return f"{PREFIX}:{consultation_id}"


def _generations(consultation_ids):
    """``{id: token}``: the current generation of each consultation's counts, made if missing."""
    keys = {_generation_key(pk): pk for pk in consultation_ids}
    tokens = {keys[key]: token for key, token in cache.get_many(list(keys)).items()}
    missing = {key: uuid.uuid4().hex for key, pk in keys.items() if pk not in tokens}
    if missing:
        # Outlives the counts stored under it: a token that expires first only
        # costs a recount.
        cache.set_many(missing, timeout=_ttl() * 2)
        tokens.update({keys[key]: token for key, token in missing.items()})
    return tokens


def _count_key(consultation_id, token, name):
    return f"{PREFIX}:{consultation_id}:{token}:{name}"


def _article_name(article_id):
    return f"published:{article_id}"


# --- Reading ----------------------------------------------------------------------------------


def _cached(key, count):
    """``count()`` kept under ``key`` for ``COUNTS_CACHE_SECONDS`` (counted every time at 0)."""
    if _ttl() <= 0:
        return count()
    value = cache.get(key)
    if value is None:
        value = count()
        cache.set(key, value, timeout=_ttl())
    return value


def consultation_counts(consultation_ids):
    """``{id: {"received": n, "published": n}}`` for each consultation, counted if not cached.

    Two cache reads and, for the consultations whose counts are not cached, one
    grouped query over the ``pc_comment_queue`` index.
    """
    ids = list(dict.fromkeys(consultation_ids))
    if not ids:
        return {}
    if _ttl() <= 0:
        return _count(ids)
    tokens = _generations(ids)
    keys = {
        pk: {name: _count_key(pk, tokens[pk], name) for name in ("received", "published")}
        for pk in ids
    }
    found = cache.get_many([key for pair in keys.values() for key in pair.values()])
    result, missing = {}, []
    for pk, pair in keys.items():
        if all(key in found for key in pair.values()):
            result[pk] = {name: found[key] for name, key in pair.items()}
        else:
            missing.append(pk)
    if missing:
        counted = _count(missing)
        cache.set_many(
            {keys[pk][name]: counted[pk][name] for pk in missing for name in keys[pk]},
            timeout=_ttl(),
        )
        result.update(counted)
    return result


def _count(ids):
    from .comments import PUBLISHED, RECEIVED, PublicComment

    counted = {pk: {"received": 0, "published": 0} for pk in ids}
    rows = (
        PublicComment.objects.filter(consultation_id__in=ids)
        .order_by()
        .values("consultation_id")
        # COUNT(1), not COUNT(id): the count reads only the pc_comment_queue index.
        .annotate(
            received=Count(Value(1), filter=RECEIVED), published=Count(Value(1), filter=PUBLISHED)
        )
    )
    for row in rows:
        counted[row["consultation_id"]] = {
            "received": row["received"],
            "published": row["published"],
        }
    return counted


def published_count(consultation_id, article_id):
    """Published comments of one consultation on one article (``pc_comment_published_article``)."""
    from .comments import PublicComment

    def count():
        return (
            PublicComment.objects.published()
            .filter(consultation_id=consultation_id)
            .on_article(article_id)
            .count()
        )

    if _ttl() <= 0:
        return count()
    token = _generations([consultation_id])[consultation_id]
    return _cached(_count_key(consultation_id, token, _article_name(article_id)), count)


def pending_count():
    """Comments waiting for moderation, site-wide (the dashboard's figure)."""
    from .comments import CommentStatus, PublicComment

    def count():
        return PublicComment.objects.filter(status=CommentStatus.PENDING).count()

    return _cached(PENDING_KEY, count)


def awaiting_answer_counts():
    """``{consultation id: n}``: published comments without an answer, in closed consultations.

    "Closed" is as of the count: a consultation that closed since is listed once the
    figures are recounted (within ``COUNTS_CACHE_SECONDS``). One grouped query over
    the ``pc_comment_awaiting`` index.
    """
    from .comments import AWAITING_ANSWER, PublicComment

    def count():
        return dict(
            PublicComment.objects.filter(
                AWAITING_ANSWER, consultation__closes_at__lte=timezone.now()
            )
            .order_by()
            .values_list("consultation_id")
            .annotate(n=Count("*"))  # not COUNT(id): index-only over pc_comment_awaiting
        )

    return _cached(AWAITING_KEY, count)


def site_figures(name, count):
    """A site-wide figure ``count()`` (the moderators' charts, ``views.dashboard``), kept
    under ``name`` for ``COUNTS_CACHE_SECONDS``. Not forgotten by moderation: right
    within that time, so a warm dashboard reads no comment."""
    return _cached(f"{PREFIX}:site:{name}", count)


# --- Writing: called by the code that changes comments ---------------------------------------


def comments_changed(consultations):
    """Forget the counts of these consultations (ids, or a queryset of the changed comments).

    Called by ``moderation`` for every status change. Forgets now and again when the
    transaction commits: in between, a page may count the old statuses.
    """
    if _ttl() <= 0:
        return
    if isinstance(consultations, QuerySet):
        consultations = consultations.order_by().values_list("consultation_id", flat=True)
        consultations = consultations.distinct()
    ids = list(consultations)

    def forget():
        cache.set_many({_generation_key(pk): uuid.uuid4().hex for pk in ids}, timeout=_ttl() * 2)
        cache.delete_many([PENDING_KEY, AWAITING_KEY])

    forget()
    transaction.on_commit(forget)


def answers_changed():
    """Forget which comments await an answer (``moderation.answer``)."""
    if _ttl() <= 0:
        return
    cache.delete(AWAITING_KEY)
    transaction.on_commit(lambda: cache.delete(AWAITING_KEY))


def comment_added(consultation_id, status, article_id=""):
    """Add a new comment to the cached counts; ``PublicComment.save`` calls it on commit."""
    from .comments import CommentStatus, counts_toward

    if _ttl() <= 0:
        return
    received, published = counts_toward(status)
    if status == CommentStatus.PENDING:
        _incr(PENDING_KEY)
    if not (received or published):
        return
    token = cache.get(_generation_key(consultation_id))
    names = [name for name, counts in (("received", received), ("published", published)) if counts]
    if token is None or not all(_incr(_count_key(consultation_id, token, n)) for n in names):
        # Not cached, or expired: a page counting right now may have missed this
        # comment, so what it stores is forgotten.
        comments_changed([consultation_id])
        return
    if published and article_id:
        # Counted only when someone filters by the article: absent is normal.
        _incr(_count_key(consultation_id, token, _article_name(article_id)))


def _incr(key):
    try:
        cache.incr(key)
    except ValueError:  # not in the cache
        return False
    return True
