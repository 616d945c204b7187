"""The only place that changes a comment's status, and that links answers to comments.

Every change is one conditional UPDATE: it names the statuses it expects to find,
so when two moderators act on the same comment at once the second one changes
nothing and is told so, instead of overwriting the first. The UPDATE stamps the
rows it changed with a fresh ``last_action`` id, which is how they are logged to
Wagtail's audit log afterwards, in chunks, without holding their ids in memory:
a campaign group may have 100,000 members.

Everything about a moderation action is here: the transitions (``TRANSITIONS``),
the audit-log action names (``LOG_ACTIONS``), how each action reads to a moderator
(``ACTIONS``: button, question, messages) and how its audit entries read in
Wagtail's history (``register_log_actions``). The forms that confirm an action are
in ``forms``; the screens in ``views``.
"""

import uuid
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.log_actions import LogFormatter
from wagtail.models import ModelLogEntry, PageLogEntry

from .conf import policycomms_settings
from .formats import format_staff_datetime
from .models import (
    CommentResponse,
    CommentStatus,
    Disposition,
    ModerationMode,
    PublicComment,
    counts,
)
from .models.comments import PUBLISHED
from .models.lookups import among

LOG_CHUNK = 2000

#: Action code → (target status, statuses it may come from).
TRANSITIONS = {
    "approve": (
        CommentStatus.APPROVED,
        (CommentStatus.PENDING, CommentStatus.REJECTED, CommentStatus.SPAM),
    ),
    "reject": (
        CommentStatus.REJECTED,
        (CommentStatus.PENDING, CommentStatus.APPROVED, CommentStatus.SPAM),
    ),
    "spam": (
        CommentStatus.SPAM,
        (CommentStatus.PENDING, CommentStatus.APPROVED, CommentStatus.REJECTED),
    ),
    "pending": (
        CommentStatus.PENDING,
        (CommentStatus.APPROVED, CommentStatus.REJECTED, CommentStatus.SPAM),
    ),
}

#: Audit-log action names this package registers (``register_log_actions`` below).
LOG_ACTIONS = {
    "approve": "wagtail_policycomms.approve",
    "reject": "wagtail_policycomms.reject",
    "spam": "wagtail_policycomms.spam",
    "pending": "wagtail_policycomms.pending",
    "verify": "wagtail_policycomms.verify",
    "answer": "wagtail_policycomms.answer",
    "answer_publish": "wagtail_policycomms.answer_publish",
    "answer_unpublish": "wagtail_policycomms.answer_unpublish",
    "export": "wagtail_policycomms.export",
    "synthesis": "wagtail_policycomms.synthesis",
    # The public outcome page of a closed round, published or withdrawn (issue 15).
    "outcome_publish": "wagtail_policycomms.outcome_publish",
    "outcome_withdraw": "wagtail_policycomms.outcome_withdraw",
    # The commenter was emailed (they asked to be, ``notifications.comment_updates``).
    "notify_published": "wagtail_policycomms.notify_published",
    "notify_answered": "wagtail_policycomms.notify_answered",
    # A moderator took comments out of their near-duplicate campaign (issue 15).
    "campaign_split": "wagtail_policycomms.campaign_split",
}


class StatusConflict(Exception):
    """The comment was no longer in the expected status: someone else acted first."""

    def __init__(self, comment, expected):
        self.comment = comment
        self.expected = expected
        super().__init__(
            _(
                "Comment %(code)s has already been handled by someone else: it is now "
                "“%(status)s”. Nothing was changed."
            )
            % {"code": comment.receipt_code, "status": comment.get_status_display()}
        )


@dataclass(frozen=True)
class Outcome:
    """How many comments an action changed, and how many it left (already handled)."""

    changed: int
    skipped: int
    action_id: uuid.UUID


def rejection_reasons():
    return list(policycomms_settings.REJECTION_REASONS)


def reason_label(code):
    return dict(rejection_reasons()).get(code, code)


# --- New comments and email verification ------------------------------------------------


def initial_status(site_settings):
    """Status of a new comment, from the site's verification and moderation choices."""
    if site_settings.require_email_verification:
        return CommentStatus.UNVERIFIED
    return status_after_verification(site_settings)


def status_after_verification(site_settings):
    if site_settings.moderation_mode == ModerationMode.POST:
        return CommentStatus.APPROVED
    return CommentStatus.PENDING


@transaction.atomic
def verify_email(comment, site_settings):
    """Move an unverified comment into moderation (or publish it, in post-moderation).

    Returns False when it was already verified (a second click on the link).
    """
    action_id = uuid.uuid4()
    changed = PublicComment.objects.filter(pk=comment.pk, status=CommentStatus.UNVERIFIED).update(
        status=status_after_verification(site_settings),
        status_changed_at=timezone.now(),
        verified_at=timezone.now(),
        last_action=action_id,
    )
    if changed:
        counts.comments_changed([comment.consultation_id])
        _log(_stamped(action_id), LOG_ACTIONS["verify"], user=None, data={})
        comment.refresh_from_db(fields=["status", "status_changed_at", "verified_at"])
    return bool(changed)


# --- Moderation ---------------------------------------------------------------------------


def moderate(comments, action, user, *, reason="", note="", expected=None, batch_size=None):
    """Apply ``action`` ("approve", "reject", "spam", "pending") to a queryset of comments.

    ``expected`` narrows the statuses the comments may be found in (a single
    action passes the status the moderator saw). Comments already handled are
    skipped and counted; nothing is overwritten.

    Without ``batch_size`` the change is one transaction. With it, the comments are
    changed ``batch_size`` at a time in key order, each batch its own transaction
    that commits before the next starts, so a campaign group of 200,000 never holds
    its locks for more than one batch. An interrupted pass leaves whole batches done,
    and the same action run again finishes the rest: the comments it already changed
    are no longer in a status it acts on. Every batch carries the same action id, so
    the audit log shows one action.
    """
    to_status, allowed = TRANSITIONS[action]
    if expected is not None:
        allowed = [status for status in allowed if status in set(expected)]
    if action == "reject" and reason not in dict(rejection_reasons()):
        raise ValueError(f"Unknown rejection reason: {reason!r}")
    action_id = uuid.uuid4()
    now = timezone.now()
    values = {
        "status": to_status,
        "status_changed_at": now,
        "moderated_at": now,
        "moderated_by": user,
        "moderation_reason": reason if action == "reject" else "",
        "moderation_note": note,
        "last_action": action_id,
    }
    data = {"status": to_status.value}
    if action == "reject":
        data.update(reason=reason, reason_label=str(reason_label(reason)), note=note)

    to_notify = []  # published comments whose authors may want an email

    def apply(selection, stamped):
        """Change ``selection``; ``stamped`` reads back the rows this call changed."""
        changed = selection.filter(status__in=allowed).update(**values)
        if changed:
            counts.comments_changed(stamped)
            _log(stamped, LOG_ACTIONS[action], user=user, data=data, timestamp=now)
            if action == "approve":
                to_notify.extend(_notification_candidates(stamped))
        return changed

    stamped = _stamped(action_id)
    if not batch_size:
        with transaction.atomic():
            total = comments.count()
            changed = apply(comments, stamped)
            _notify_on_commit("published", to_notify)
        return Outcome(changed=changed, skipped=total - changed, action_id=action_id)

    total = comments.count()
    changed, last = 0, None
    try:
        while True:
            todo = comments.filter(status__in=allowed).order_by("pk")
            if last is not None:
                todo = todo.filter(pk__gt=last)
            ids = list(todo.values_list("pk", flat=True)[:batch_size])
            if not ids:
                break
            with transaction.atomic():
                batch = among(PublicComment.objects.all(), "pk", ids)
                changed += apply(batch, among(stamped, "pk", ids))
            last = ids[-1]
    finally:
        # One task for the whole action, also for the batches committed before a failure
        # (the task reads the comments afresh: one rolled back is not told).
        _notify_on_commit("published", to_notify)
    return Outcome(changed=changed, skipped=total - changed, action_id=action_id)


def moderate_one(comment, action, user, *, seen_status, reason="", note=""):
    """One comment, as the moderator saw it; raises StatusConflict if it changed meanwhile."""
    outcome = moderate(
        PublicComment.objects.filter(pk=comment.pk),
        action,
        user,
        reason=reason,
        note=note,
        expected=[seen_status],
    )
    comment.refresh_from_db()
    if not outcome.changed:
        raise StatusConflict(comment, seen_status)
    return outcome


def split_from_campaign(comments, user):
    """Take the comments of a queryset out of their campaigns, audited.

    Through ``campaigns.membership.detach`` (sizes lowered with ``F()``, a new
    representative where the old one left, a campaign of fewer than two deleted). Like
    every moderation action: the comments taken out are stamped with one action id and
    each gets an audit entry, all sharing that id (one action in Wagtail's history).
    Comments in no campaign are left alone. Returns ``{campaign id: members taken out}``.
    """
    from .campaigns import membership

    action_id = uuid.uuid4()
    with transaction.atomic():
        removed = membership.detach(comments, last_action=action_id)
        if removed:
            _log(
                _stamped(action_id),
                LOG_ACTIONS["campaign_split"],
                user=user,
                data={"campaigns": sorted(removed)},
            )
    return removed


# --- Answers ------------------------------------------------------------------------------


def answer(
    comments,
    user,
    *,
    disposition,
    text,
    answering_unit,
    response=None,
    implemented_in_article=None,
):
    """Record one answer for comments of one consultation, replacing any earlier one.

    ``implemented_in_article``: the block id of the revised draft's article that carries
    the answer out ("" for none; None leaves an existing answer's as it is).
    Returns the CommentResponse. The comments keep their moderation status.
    """
    consultation_ids = set(
        comments.order_by().values_list("consultation_id", flat=True).distinct()[:2]
    )
    if len(consultation_ids) != 1:
        raise ValueError("An answer covers comments of exactly one consultation.")
    action_id = uuid.uuid4()
    with transaction.atomic():
        if response is None:
            response = CommentResponse.objects.create(
                consultation_id=consultation_ids.pop(),
                disposition=disposition,
                text=text,
                answering_unit=answering_unit,
                created_by=user,
                implemented_in_article=implemented_in_article or "",
            )
        else:
            response.disposition = disposition
            response.text = text
            response.answering_unit = answering_unit
            if implemented_in_article is not None:
                response.implemented_in_article = implemented_in_article
            response.save()
        comments.update(response=response, last_action=action_id)
        counts.answers_changed()
        if response.is_published:  # comments added to an answer already public
            _notify_on_commit(
                "answered",
                _notification_candidates(_stamped(action_id).filter(PUBLISHED)),
                response.pk,
            )
        _log(
            _stamped(action_id),
            LOG_ACTIONS["answer"],
            user=user,
            data={
                "response": response.pk,
                "disposition": disposition,
                "unit": answering_unit.name,
            },
        )
    return response


def set_answer_published(response, user, published):
    """Moderators publish answers; a published answer shows under its comments."""
    action_id = uuid.uuid4()
    with transaction.atomic():
        CommentResponse.objects.filter(pk=response.pk).update(
            is_published=published, published_at=timezone.now() if published else None
        )
        PublicComment.objects.filter(response=response).update(last_action=action_id)
        _log(
            _stamped(action_id),
            LOG_ACTIONS["answer_publish" if published else "answer_unpublish"],
            user=user,
            data={"response": response.pk},
        )
        if published:
            _notify_on_commit(
                "answered",
                _notification_candidates(_stamped(action_id).filter(PUBLISHED)),
                response.pk,
            )
    response.refresh_from_db()
    return response


# --- The outcome page of a closed round ------------------------------------------------------


class OutcomeRefused(Exception):
    """The outcome page cannot be published: the round is not closed."""


def publish_outcome(consultation, user):
    """Publish the round's outcome page ("Kết quả lấy ý kiến"), audited on the page.

    Only a closed round has an outcome: an open or upcoming round raises
    ``OutcomeRefused`` with a message for the moderator. The only writer of
    ``outcome_published_at`` / ``_by``: one UPDATE (no page revision, which an editor's
    later publication would not carry back, see ``with_content_json``). Publishing an
    outcome already published changes nothing and returns False.
    """
    from .models import ConsultationPage, ConsultationStatus

    now = timezone.now()
    if consultation.status_at(now) != ConsultationStatus.CLOSED:
        raise OutcomeRefused(
            _(
                "The outcome of a consultation can be published only once it has closed: "
                "this one closes on %(date)s."
            )
            % {"date": format_staff_datetime(consultation.closes_at)}
        )
    with transaction.atomic():
        changed = ConsultationPage.objects.filter(
            pk=consultation.pk, outcome_published_at__isnull=True
        ).update(outcome_published_at=now, outcome_published_by=user)
        if changed:
            PageLogEntry.objects.log_action(
                consultation, LOG_ACTIONS["outcome_publish"], user=user, uuid=uuid.uuid4()
            )
    consultation.outcome_published_at = ConsultationPage.objects.values_list(
        "outcome_published_at", flat=True
    ).get(pk=consultation.pk)
    return bool(changed)


def withdraw_outcome(consultation, user):
    """Take the outcome page down (it answers 404 again), audited; False if it was not up."""
    from .models import ConsultationPage

    with transaction.atomic():
        changed = ConsultationPage.objects.filter(
            pk=consultation.pk, outcome_published_at__isnull=False
        ).update(outcome_published_at=None, outcome_published_by=None)
        if changed:
            PageLogEntry.objects.log_action(
                consultation, LOG_ACTIONS["outcome_withdraw"], user=user, uuid=uuid.uuid4()
            )
    consultation.outcome_published_at = None
    return bool(changed)


# --- Emails to commenters who asked for them -------------------------------------------------


def _notification_candidates(comments):
    from .notifications import comment_updates

    return comment_updates.candidates(comments)


def _notify_on_commit(event, comment_ids, response_id=None):
    """One task per action (``notifications.comment_updates``), once the change is committed."""
    if not comment_ids:
        return
    from .notifications import comment_updates

    ids = list(comment_ids)
    transaction.on_commit(lambda: comment_updates.notify(event, ids, response_id))


def already_notified(event, comment_ids, response_id=None):
    """The ids among ``comment_ids`` whose author was already emailed about ``event``.

    For an answer, about that answer (``response_id``): a new answer is a new event.
    One query for the whole list (a chunk of the sending task).
    """
    rows = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(PublicComment),
        action=LOG_ACTIONS[f"notify_{event}"],
        object_id__in=[str(pk) for pk in comment_ids],
    ).values_list("object_id", "data")
    return {
        int(object_id)
        for object_id, data in rows
        if response_id is None or (data or {}).get("response") == response_id
    }


def record_notified(event, comments, response_id=None):
    """An audit entry per comment whose author was just emailed about ``event``."""
    content_type = ContentType.objects.get_for_model(PublicComment)
    action_id, now = uuid.uuid4(), timezone.now()
    data = {} if response_id is None else {"response": response_id}
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                object_id=str(comment.pk),
                label=comment.receipt_code,
                action=LOG_ACTIONS[f"notify_{event}"],
                data=data,
                timestamp=now,
                uuid=action_id,
                user=None,
            )
            for comment in comments
        ],
        batch_size=LOG_CHUNK,
    )


#: ``object_id`` of the audit entries of exports not about one page (the queue's
#: exports): no comment has the primary key 0, so the entry names none, yet Wagtail's
#: site history can look it up (``in_bulk`` needs a number) and lists it under the
#: comment model, unlinked.
EXPORT_OBJECT_ID = "0"


def log_export(comments, user, what, data=None, *, page=None):
    """One audit entry per export or report: who took comments out of the system, when.

    Never one per comment and no UPDATE of the comments: an export of a million
    comments writes one row. ``data`` says what was taken (format, filters or scope,
    personal data or not, ``rows``); without ``rows``, the ``comments`` queryset is
    counted (one COUNT). With ``page`` (a synthesis of a consultation or draft), the
    entry is the page's, in its history and the site history; otherwise it is a
    comment-model entry with ``EXPORT_OBJECT_ID``. Returns the entry, for
    ``finish_export``.
    """
    data = dict(data or {})
    if "rows" not in data and comments is not None:
        data["rows"] = comments.order_by().count()
    if page is not None:
        return PageLogEntry.objects.log_action(
            page, LOG_ACTIONS[what], user=user, data=data, uuid=uuid.uuid4()
        )
    entry = ModelLogEntry(
        content_type=ContentType.objects.get_for_model(PublicComment),
        object_id=EXPORT_OBJECT_ID,
        label=str(capfirst(PublicComment._meta.verbose_name_plural)),
        action=LOG_ACTIONS[what],
        data=data,
        timestamp=timezone.now(),
        uuid=uuid.uuid4(),
        user=user,
    )
    ModelLogEntry.objects.bulk_create([entry])
    return entry


def finish_export(entry, *, rows, complete):
    """Record on an export's entry how many rows were written and whether it ran to the end.

    For a streamed export, logged when it starts (``log_export``) and finished here.
    """
    entry.data = {**entry.data, "rows": rows, "complete": complete}
    type(entry).objects.filter(pk=entry.pk).update(data=entry.data)


# --- Audit log ----------------------------------------------------------------------------


def _stamped(action_id):
    """The comments one action changed: its UPDATE stamped them with its id."""
    return PublicComment.objects.filter(last_action=action_id)


def _log(rows, action, *, user, data, timestamp=None):
    """One audit entry per comment in ``rows`` (those an action changed), written in chunks.

    All of one action's entries share its id (``last_action``), which is how Wagtail's
    history groups them.
    """
    content_type = ContentType.objects.get_for_model(PublicComment)
    timestamp = timestamp or timezone.now()
    rows = rows.values_list("pk", "receipt_code", "last_action").order_by()
    batch = []
    for pk, code, action_id in rows.iterator(chunk_size=LOG_CHUNK):
        batch.append(
            ModelLogEntry(
                content_type=content_type,
                object_id=str(pk),
                label=code,
                action=action,
                data=data,
                timestamp=timestamp,
                uuid=action_id,
                user=user,
            )
        )
        if len(batch) >= LOG_CHUNK:
            ModelLogEntry.objects.bulk_create(batch)
            batch = []
    if batch:
        ModelLogEntry.objects.bulk_create(batch)


# --- How each action reads to a moderator (buttons, questions, messages) --------------------


@dataclass(frozen=True)
class ModerationAction:
    code: str
    label: Promise  # button text
    icon: str
    #: Confirmation question for one comment and message after a change.
    question: Promise
    done_one: Promise

    @property
    def to_status(self):
        return TRANSITIONS[self.code][0]

    def allowed_from(self, status):
        return status in TRANSITIONS[self.code][1]

    def done_many(self, changed, skipped):
        """'N comments approved; M skipped because they had already been handled.'"""
        message = DONE_MANY[self.code](changed) % {"count": changed}
        if skipped:
            message += " " + ngettext(
                "%(count)d skipped because someone else had already handled it "
                "or it was already in that status.",
                "%(count)d skipped because someone else had already handled them "
                "or they were already in that status.",
                skipped,
            ) % {"count": skipped}
        return message


ACTIONS = {
    action.code: action
    for action in (
        ModerationAction(
            "approve",
            _("Approve"),
            "check",
            _("Approve this comment? It will be published on the consultation page."),
            _("Comment %(code)s approved."),
        ),
        ModerationAction(
            "reject",
            _("Reject"),
            "cross",
            _("Reject this comment? It will not be published."),
            _("Comment %(code)s rejected."),
        ),
        ModerationAction(
            "spam",
            _("Mark as spam"),
            "warning",
            _("Mark this comment as spam? It will not be published or counted."),
            _("Comment %(code)s marked as spam."),
        ),
        ModerationAction(
            "pending",
            _("Return to pending"),
            "rotate",
            _("Return this comment to the queue of pending comments?"),
            _("Comment %(code)s returned to pending."),
        ),
    )
}

DONE_MANY = {
    "approve": lambda n: ngettext("%(count)d comment approved.", "%(count)d comments approved.", n),
    "reject": lambda n: ngettext("%(count)d comment rejected.", "%(count)d comments rejected.", n),
    "spam": lambda n: ngettext(
        "%(count)d comment marked as spam.", "%(count)d comments marked as spam.", n
    ),
    "pending": lambda n: ngettext(
        "%(count)d comment returned to pending.", "%(count)d comments returned to pending.", n
    ),
}


def actions_for_status(status):
    """The actions a comment in ``status`` can take (an unverified comment takes none)."""
    return [action for action in ACTIONS.values() if action.allowed_from(status)]


# --- How the audit log reads (Wagtail's history views and site history) -----------------------
#
# ``LOG_ACTIONS`` names the actions; each gets a label (the filter choice: "Approve comment")
# and a past-tense message ("Comment approved"). ``register_log_actions`` is registered with
# the ``register_log_actions`` hook in ``wagtail_hooks.py``.


#: Action code → (label, message) for the actions whose message needs no data.
SIMPLE = {
    "approve": (_("Approve comment"), _("Comment approved")),
    "spam": (_("Mark comment as spam"), _("Comment marked as spam")),
    "pending": (_("Return comment to pending"), _("Comment returned to pending")),
    "verify": (_("Verify commenter's email"), _("Commenter's email verified")),
    "answer_publish": (_("Publish answer"), _("Answer published")),
    "answer_unpublish": (_("Unpublish answer"), _("Answer unpublished")),
    "notify_published": (
        _("Email the commenter: comment published"),
        _("Commenter emailed: comment published"),
    ),
    "notify_answered": (
        _("Email the commenter: comment answered"),
        _("Commenter emailed: comment answered"),
    ),
    "outcome_publish": (_("Publish the outcome page"), _("Outcome page published")),
    "outcome_withdraw": (_("Withdraw the outcome page"), _("Outcome page withdrawn")),
    "campaign_split": (
        _("Split comment out of its campaign"),
        _("Comment split out of its campaign"),
    ),
}


class NoteFormatter(LogFormatter):
    """The moderator's note, when there is one, shows as the entry's comment."""

    message = ""

    def format_comment(self, log_entry):
        return (log_entry.data or {}).get("note", "")


class RejectFormatter(NoteFormatter):
    label = _("Reject comment")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        code = data.get("reason", "")
        # The configured label in the reader's language; the label stored when the
        # comment was rejected if the reason has since been removed from the settings.
        label = reason_label(code) if code else ""
        if label == code:
            label = data.get("reason_label") or code
        if not label:
            return _("Comment rejected")
        return _("Comment rejected: %(reason)s") % {"reason": label}


class AnswerFormatter(LogFormatter):
    label = _("Answer comment")

    def format_message(self, log_entry):
        disposition = (log_entry.data or {}).get("disposition")
        if disposition in Disposition.values:
            return _("Answer recorded: %(disposition)s") % {
                "disposition": Disposition(disposition).label
            }
        return _("Answer recorded")


class ExportFormatter(LogFormatter):
    """One entry per export: how many comments, in which format, with personal data or not.

    Entries written before exports were logged once (one per exported comment, no
    ``rows``) keep their old message.
    """

    label = _("Export comments")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        if data.get("report"):
            # The plan's reports hold counts, not comments.
            return _("Report “%(report)s” downloaded as %(format)s") % {
                "report": data.get("title") or data["report"],
                "format": str(data.get("format", "")).upper(),
            }
        if "rows" not in data:
            return _("Comment exported")
        values = {"count": data["rows"] or 0, "format": str(data.get("format", "")).upper()}
        if data["rows"] is None:
            message = _("Export of comments as %(format)s started; its end was not recorded")
        elif data.get("complete") is False:
            message = ngettext(
                "Export as %(format)s interrupted after %(count)d comment",
                "Export as %(format)s interrupted after %(count)d comments",
                values["count"],
            )
        else:
            message = ngettext(
                "%(count)d comment exported as %(format)s",
                "%(count)d comments exported as %(format)s",
                values["count"],
            )
        message = message % values
        if data.get("personal_data"):
            message = _("%(message)s, with personal data") % {"message": message}
        return message


class SynthesisFormatter(LogFormatter):
    """One entry per synthesis report downloaded or attached, on its page when it has one."""

    label = _("Generate synthesis report")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        if "rows" not in data:
            return _("Comment included in a synthesis report")
        return ngettext(
            "Synthesis report generated as %(format)s, %(count)d comment",
            "Synthesis report generated as %(format)s, %(count)d comments",
            data["rows"] or 0,
        ) % {"count": data["rows"] or 0, "format": str(data.get("format", "")).upper()}


def register_log_actions(actions):
    for code, (label, message) in SIMPLE.items():
        formatter = type(
            f"{code.title().replace('_', '')}Formatter",
            (NoteFormatter,),
            {"label": label, "message": message},
        )
        actions.register_action(LOG_ACTIONS[code])(formatter)
    actions.register_action(LOG_ACTIONS["reject"])(RejectFormatter)
    actions.register_action(LOG_ACTIONS["answer"])(AnswerFormatter)
    actions.register_action(LOG_ACTIONS["export"])(ExportFormatter)
    actions.register_action(LOG_ACTIONS["synthesis"])(SynthesisFormatter)
