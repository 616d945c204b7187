"""The retention of commenters' personal data: which comments are due, and the purge.

Law 91/2025/QH15 on personal data protection: personal data is kept only as long as its
purpose needs. A comment's contact data serves receiving it, verifying the address,
sending the receipt and telling the person it was published or answered; all of that is
done once its consultation has closed. The comment itself stays: it is part of the
consultation's dossier (the synthesis report, the answers, the open data).

**When.** A comment is due when its consultation closed more than
``POLICYCOMMS_PERSONAL_DATA_RETENTION_DAYS`` (N) whole days ago, counted in local calendar
days on the department's clock (``conf.local_zone()``, Asia/Ho_Chi_Minh): a round that
closed on local day D (the local date of ``closes_at``) is purged by a run on or after
local day D + N + 1, from 00:00 local time. In SQL: ``closes_at`` before ``cutoff(now)``,
the local midnight that starts day ``today - N``. With N = 0, a round that closed
yesterday is purged today.

**What.** ``CONTACT_FIELDS`` (email, phone, address, IP address, user agent: every one of
``models.comments.PII_FIELDS`` but the name) are blanked. The name (``display_name``) is
blanked only when the person did not allow it to be published (``publish_name`` False):
a name they chose to publish is already public, on the consultation page, in the feeds,
the open data and the synthesis report, and is kept with the comment as they published
it. Kept as well: the text, the article, the commenter type and organisation name (an
organisation, not a person), the publish-name choice, the consent record (proof of the
legal basis), the receipt code, the status and the answer. Attachments are kept unless
``POLICYCOMMS_RETENTION_DELETE_ATTACHMENTS`` is True, which deletes their files from
storage and their rows.

**How.** Only comments that still hold something are updated, so a second run changes
nothing. The comments are updated ``batch_size`` at a time in key order, one UPDATE per
chunk of ids (``models.lookups.among``), each committed on its own, as
``moderation.moderate(..., batch_size=)`` does: a million comments run in bounded memory,
and an interrupted run is finished by the next. The status is never written (only
``moderation`` does that), so the cached counts (``models.counts``) are unaffected. A run
that changed something writes one audit entry (counts and the cutoff, never the data).
Unconfirmed email subscriptions past their confirmation window are deleted too, through
``notifications.subscriptions.purge_unconfirmed``.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks import task
from wagtail.log_actions import LogFormatter
from wagtail.models import ModelLogEntry

from ..conf import local_zone, policycomms_settings
from ..formats import format_datetime_attribute
from ..models import CommentAttachment, ConsultationPage, PublicComment, local_today
from ..models.comments import PII_FIELDS
from ..models.lookups import among
from ..moderation import EXPORT_OBJECT_ID
from ..notifications.subscriptions import purge_unconfirmed

#: Comments (and attachments) per UPDATE (DELETE): as ``moderation``'s batches.
BATCH_SIZE = 2000
#: The audit-log action of a run that changed something (``register_log_actions``).
LOG_ACTION = "wagtail_policycomms.purge_personal_data"
#: Blanked on every due comment: all personal data but the name (see the module's docstring).
CONTACT_FIELDS = tuple(name for name in PII_FIELDS if name != "display_name")


@dataclass(frozen=True)
class Outcome:
    """What a run changed (or, dry, would change)."""

    comments: int
    attachments: int
    subscriptions: int
    before: datetime  # the cutoff: consultations that closed before it were due
    dry_run: bool = False


def cutoff(now=None):
    """Consultations that closed before this instant are due: local midnight of ``today - N``."""
    days = policycomms_settings.PERSONAL_DATA_RETENTION_DAYS
    day = local_today(now) - timedelta(days=days)
    return datetime.combine(day, time.min, tzinfo=local_zone())


def due_consultation_ids(now=None):
    """The ids of consultations whose comments are due (live or not: a date is a date)."""
    before = cutoff(now)
    return list(ConsultationPage.objects.filter(closes_at__lt=before).values_list("pk", flat=True))


def holds_personal_data():
    """A comment that still holds something the purge removes."""
    condition = Q(publish_name=False) & ~Q(display_name="")
    for name in CONTACT_FIELDS:
        condition |= ~Q(**{name: ""})
    return condition


def due_comments(consultation_ids):
    """Comments of those consultations that still hold personal data."""
    if not consultation_ids:
        return PublicComment.objects.none()
    return PublicComment.objects.filter(holds_personal_data(), consultation_id__in=consultation_ids)


def due_attachments(consultation_ids):
    """Attachments of those consultations' comments (deleted only with the setting)."""
    if not consultation_ids:
        return CommentAttachment.objects.none()
    return CommentAttachment.objects.filter(comment__consultation_id__in=consultation_ids)


def blanked_values(*, keep_published_name=True):
    """The UPDATE values that remove a comment's personal data: every one of ``PII_FIELDS``
    blank, but the name kept where the person published it with consent when
    ``keep_published_name`` (the retention purge; a deletion request removes it too)."""
    values = dict.fromkeys(PII_FIELDS, "")
    if keep_published_name:
        values["display_name"] = Case(
            When(publish_name=False, then=Value("")), default=F("display_name")
        )
    return values


def _chunks(queryset, batch_size):
    """Lists of ``(pk, ...)`` in key order, ``batch_size`` at a time, read afresh each time."""
    last = None
    while True:
        todo = queryset.order_by("pk")
        if last is not None:
            todo = todo.filter(pk__gt=last)
        rows = list(todo[:batch_size])
        if not rows:
            return
        yield rows
        if len(rows) < batch_size:
            return
        last = rows[-1][0]


def _purge_comments(consultation_ids, batch_size):
    values = blanked_values()
    changed = 0
    ids = due_comments(consultation_ids).values_list("pk")
    for rows in _chunks(ids, batch_size):
        # One statement, committed on its own (no transaction around the loop): an
        # interrupted run leaves whole chunks done, and the next run does the rest.
        chunk = among(
            PublicComment.objects.filter(holds_personal_data()), "pk", [r[0] for r in rows]
        )
        changed += chunk.update(**values)
    return changed


def _delete_attachments(consultation_ids, batch_size):
    """Files first, then their rows: a row whose file is gone is retried by the next run."""
    storage = CommentAttachment._meta.get_field("file").storage
    deleted = 0
    rows_of = due_attachments(consultation_ids).values_list("pk", "file")
    for rows in _chunks(rows_of, batch_size):
        for _pk, name in rows:
            if name:
                storage.delete(name)
        chunk = among(CommentAttachment.objects.all(), "pk", [r[0] for r in rows])
        deleted += chunk.delete()[0]
    return deleted


def _unconfirmed_subscriptions(now, dry_run):
    """``purge_unconfirmed``, its deletion rolled back on a dry run (only the count is kept)."""
    if not dry_run:
        return purge_unconfirmed(now)
    with transaction.atomic():
        count = purge_unconfirmed(now)
        transaction.set_rollback(True)
    return count


def purge_personal_data(now=None, *, dry_run=False, batch_size=None):
    """Remove the personal data of the comments now due; returns an ``Outcome``.

    ``dry_run`` counts what a run would change and changes nothing, nor logs.
    """
    now = now or timezone.now()
    batch_size = batch_size or BATCH_SIZE
    before = cutoff(now)
    consultation_ids = due_consultation_ids(now)
    with_attachments = bool(policycomms_settings.RETENTION_DELETE_ATTACHMENTS)
    if dry_run:
        comments = due_comments(consultation_ids).count()
        attachments = due_attachments(consultation_ids).count() if with_attachments else 0
    else:
        comments = _purge_comments(consultation_ids, batch_size)
        attachments = _delete_attachments(consultation_ids, batch_size) if with_attachments else 0
    subscriptions = _unconfirmed_subscriptions(now, dry_run)
    if not dry_run and (comments or attachments):
        log_purge(comments=comments, attachments=attachments, before=before, timestamp=now)
    return Outcome(comments, attachments, subscriptions, before, dry_run)


@task()
def purge_personal_data_task():
    """``purge_personal_data`` for a portal whose periodic scheduler enqueues tasks, not cron."""
    outcome = purge_personal_data()
    return {
        "comments": outcome.comments,
        "attachments": outcome.attachments,
        "subscriptions": outcome.subscriptions,
    }


# --- The audit entry ------------------------------------------------------------------------


def log_purge(*, comments, attachments, before, timestamp=None):
    """One entry per run, on the comment model as an export's (``moderation.log_export``):
    counts and the cutoff only, no user (cron or the worker ran it)."""
    entry = ModelLogEntry(
        content_type=ContentType.objects.get_for_model(PublicComment),
        object_id=EXPORT_OBJECT_ID,
        label=str(capfirst(PublicComment._meta.verbose_name_plural)),
        action=LOG_ACTION,
        data={
            "comments": comments,
            "attachments": attachments,
            "before": format_datetime_attribute(before),
        },
        timestamp=timestamp or timezone.now(),
        uuid=uuid.uuid4(),
        user=None,
    )
    ModelLogEntry.objects.bulk_create([entry])
    return entry


class PurgeFormatter(LogFormatter):
    label = _("Remove personal data (retention)")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        comments = data.get("comments") or 0
        message = ngettext(
            "Personal data of %(count)d comment removed (retention)",
            "Personal data of %(count)d comments removed (retention)",
            comments,
        ) % {"count": comments}
        attachments = data.get("attachments") or 0
        if attachments:
            message = ngettext(
                "%(message)s; %(count)d attachment deleted",
                "%(message)s; %(count)d attachments deleted",
                attachments,
            ) % {"message": message, "count": attachments}
        return message


def register_log_actions(actions):
    """Registered with the ``register_log_actions`` hook in ``wagtail_hooks.py``."""
    actions.register_action(LOG_ACTION)(PurgeFormatter)
