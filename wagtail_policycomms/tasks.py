"""Background work through Django's tasks API (the django_tasks backport Wagtail uses).

Immediate by default; a portal with a worker sets ``TASKS`` to a real backend.
Tasks take ids, not objects, and read the comment afresh.

Emails record their delivery on the comment (``email_status``, ``email_attempts``,
``email_status_at``; never ``status``, which only ``moderation`` writes). django_tasks
0.12 has no retries of its own, so a refused email is enqueued again with the next
attempt number, up to ``EMAIL_ATTEMPTS``: on a backend that runs tasks later (a
worker: ``supports_defer``) after ``EMAIL_RETRY_DELAYS``, so an SMTP server that is
down for minutes is ridden out without holding a worker; on the immediate backend at
once, since sleeping there would hold the citizen's request. After the last attempt
the email is recorded as "failed": the queue's "Email not delivered" filter lists it
and the receipt page offers to send the verification link again.
"""

import logging
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from . import moderation
from .conf import policycomms_settings
from .models import PublicComment
from .models.comments import CommentStatus, EmailStatus
from .notifications.mail import build_email

logger = logging.getLogger(__name__)

#: How many times an email is tried before it is recorded as not delivered.
EMAIL_ATTEMPTS = 3
#: Seconds to wait before the 2nd, 3rd, … attempt, on a backend that supports it.
EMAIL_RETRY_DELAYS = (60, 600)


def _send(comment, template, context):
    """Receipts and verification links: transactional, so no unsubscribe link (``notifications``)."""
    context = {"comment": comment, "consultation": comment.consultation, **context}
    build_email(template, [comment.email], context).send()


def record_delivery(comment_id, email_status, attempts):
    """The outcome of an email on its comment: one UPDATE of the delivery fields only."""
    PublicComment.objects.filter(pk=comment_id).update(
        email_status=email_status, email_attempts=attempts, email_status_at=timezone.now()
    )


def _retry(email_task, attempt, args):
    """Enqueue attempt ``attempt + 1``; later on a worker, at once on the immediate backend."""
    if email_task.get_backend().supports_defer:
        delay = EMAIL_RETRY_DELAYS[min(attempt, len(EMAIL_RETRY_DELAYS)) - 1]
        email_task = email_task.using(run_after=timezone.now() + timedelta(seconds=delay))
    email_task.enqueue(*args, attempt=attempt + 1)


def _deliver(email_task, comment, attempt, template, context, args):
    """Send one email; record it as sent, retry it, or record it as not delivered.

    Returns True when the mail server took it. Whatever the email backend raises
    (an SMTP refusal, a connection timeout, a provider's API error) means the mail
    did not leave: it is logged, not raised, so the comment's request never fails
    for it.
    """
    try:
        _send(comment, template, context)
    except Exception:
        logger.warning(
            "The %s email of comment %s failed (attempt %s of %s)",
            template,
            comment.pk,
            attempt,
            EMAIL_ATTEMPTS,
            exc_info=True,
        )
        if attempt < EMAIL_ATTEMPTS:
            # Recorded before enqueuing: the immediate backend runs the retry at once
            # and records its own outcome after this one.
            record_delivery(comment.pk, EmailStatus.NOT_SENT, attempt)
            try:
                _retry(email_task, attempt, args)
                return False
            except Exception:
                logger.exception("Could not enqueue a retry of comment %s's email", comment.pk)
        record_delivery(comment.pk, EmailStatus.FAILED, attempt)
        return False
    record_delivery(comment.pk, EmailStatus.SENT, attempt)
    return True


@task()
def send_receipt_email(comment_id, receipt_url, attempt=1):
    comment = PublicComment.objects.select_related("consultation").get(pk=comment_id)
    if not comment.email:
        return False
    return _deliver(
        send_receipt_email,
        comment,
        attempt,
        "receipt",
        {"receipt_url": receipt_url},
        (comment_id, receipt_url),
    )


@task()
def send_verification_email(comment_id, verify_url, attempt=1):
    comment = PublicComment.objects.select_related("consultation").get(pk=comment_id)
    if not comment.email or comment.status != CommentStatus.UNVERIFIED:
        return False  # confirmed meanwhile (a retry comes later): nothing to confirm
    return _deliver(
        send_verification_email,
        comment,
        attempt,
        "verification",
        {
            "verify_url": verify_url,
            "max_age_hours": policycomms_settings.VERIFICATION_MAX_AGE_HOURS,
        },
        (comment_id, verify_url),
    )


def queue_email(email_task, comment, url):
    """Enqueue an email task for ``comment``; call it on commit, once the comment is stored.

    A new email starts "not sent yet" (the outcome of an earlier one, such as a
    verification link that was refused, no longer holds). A task queue that is down
    (the worker's database, Redis) must not turn a stored comment into an error page:
    the email is recorded as not delivered instead, and the receipt page says so.
    """
    if comment.email_status or comment.email_attempts:
        record_delivery(comment.pk, EmailStatus.NOT_SENT, 0)
    try:
        email_task.enqueue(comment.pk, url)
    except Exception:
        logger.exception("Could not enqueue the email of comment %s", comment.pk)
        record_delivery(comment.pk, EmailStatus.FAILED, 0)


@task()
def moderate_group(comment_id, action, user_id, *, expected=None, reason="", note=""):
    """Moderate every member of a duplicate group, a batch at a time (``moderation.moderate``).

    A campaign group may have 200,000 members: each batch commits on its own, so
    the queue stays usable meanwhile and the group's counts show the progress.
    Returns what changed, for the immediate backend's message.
    """
    representative = PublicComment.objects.get(pk=comment_id)
    outcome = moderation.moderate(
        PublicComment.objects.duplicates_of(representative),
        action,
        get_user_model().objects.get(pk=user_id),
        expected=expected,
        reason=reason,
        note=note,
        batch_size=policycomms_settings.MODERATION_BATCH_SIZE,
    )
    return {"changed": outcome.changed, "skipped": outcome.skipped}


@task()
def moderate_campaign(campaign_id, action, user_id, *, expected=None, reason="", note=""):
    """Moderate every member of a near-duplicate campaign, a batch at a time, as
    ``moderate_group`` does for a duplicate group (``views.campaigns``)."""
    outcome = moderation.moderate(
        PublicComment.objects.in_campaign(campaign_id),
        action,
        get_user_model().objects.get(pk=user_id),
        expected=expected,
        reason=reason,
        note=note,
        batch_size=policycomms_settings.MODERATION_BATCH_SIZE,
    )
    return {"changed": outcome.changed, "skipped": outcome.skipped}
