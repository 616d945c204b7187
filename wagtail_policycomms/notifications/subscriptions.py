"""Email subscriptions to new consultations: signed links, the double opt-in, announcements.

- ``subscribe`` stores an unconfirmed subscription (or reuses the same one) and
  ``send_confirmation`` emails its link; ``confirm`` and ``unsubscribe`` are what the
  views do with a valid link.
- ``announce`` (the command ``policycomms_notify_subscribers``, or the task
  ``announce_task``) emails each matching confirmed subscriber once per consultation
  that is open now and opened within ``POLICYCOMMS_SUBSCRIPTION_ANNOUNCE_DAYS``.

At most once per consultation and subscriber: a chunk's ``SubscriptionNotice`` rows
are inserted, and committed, before its emails are sent, under a lock on the
consultation's row, so two runs at once never both send. A process that dies between
the commit and the send leaves those subscribers without this announcement
(at most once rather than at least once: a duplicate cannot be taken back, and the
consultation is on the portal and in its feeds anyway). An email the server refuses
is logged and its notice deleted, so the next run tries it again.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from ..conf import policycomms_settings
from ..models import ConsultationPage, DraftPolicyTopic
from ..models.consultation_status import ConsultationStatus, status_q
from ..models.subscriptions import Subscription, SubscriptionNotice
from . import tokens
from .mail import build_email, default_site, department, public_url, send_email

logger = logging.getLogger(__name__)

CONFIRM_PURPOSE = "subscribe-confirm"
UNSUBSCRIBE_PURPOSE = "subscribe-unsubscribe"

#: Subscribers read, told and emailed per round trip (one SMTP connection each).
CHUNK_SIZE = 500


# --- Signed links -----------------------------------------------------------------------


def confirm_path(subscription):
    token = tokens.make(CONFIRM_PURPOSE, subscription.pk)
    return reverse("wagtail_policycomms:subscription_confirm", args=[token])


def unsubscribe_path(subscription):
    token = tokens.make(UNSUBSCRIBE_PURPOSE, subscription.pk)
    return reverse("wagtail_policycomms:subscription_unsubscribe", args=[token])


def read_subscription_id(purpose, token, max_age_hours=None):
    """The subscription id a link was signed for; ``tokens.InvalidToken`` (or
    ``ExpiredToken``) otherwise, also for a genuine signature over something else."""
    value = tokens.read(purpose, token, max_age_hours)
    if type(value) is not int:  # not bool, str, None
        raise tokens.InvalidToken
    return value


# --- Subscribing, confirming, unsubscribing --------------------------------------------------


def subscribe(email, sector=None, topic=None, language="vi"):
    """The subscription to send a confirmation link for (the same scope is never stored twice).

    An identical subscription, confirmed or not, is reused: its owner gets the link
    again and nobody else learns whether the address was subscribed. An unconfirmed
    one starts its confirmation window again.
    """
    same = Subscription.objects.filter(email=email, sector=sector, topic=topic)
    existing = same.order_by("-confirmed_at", "pk").first()  # a confirmed one first
    if existing is None:
        return Subscription.objects.create(
            email=email, sector=sector, topic=topic, language=language
        )
    if not existing.is_confirmed:
        now = timezone.now()
        Subscription.objects.filter(pk=existing.pk).update(created_at=now, language=language)
        existing.created_at, existing.language = now, language
    return existing


def confirm(subscription_id):
    """Confirm a subscription; returns it, or None when it no longer exists."""
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is not None and not subscription.is_confirmed:
        now = timezone.now()
        Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
            confirmed_at=now
        )
        subscription.confirmed_at = now
    return subscription


def unsubscribe(subscription_id):
    """Delete the subscription (and its notices): we keep no address of someone who left."""
    Subscription.objects.filter(pk=subscription_id).delete()


def purge_unconfirmed(now=None):
    """Delete subscriptions never confirmed within the confirmation window; returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=policycomms_settings.SUBSCRIPTION_CONFIRM_HOURS)
    deleted, __ = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    return deleted


@task()
def send_confirmation(subscription_id, confirm_url, manage_url, language="vi"):
    """Email the confirmation link (from the subscribe view, once the row is stored)."""
    subscription = Subscription.objects.select_related("sector", "topic").get(pk=subscription_id)
    send_email(
        "subscription_confirm",
        subscription.email,
        {
            "subscription": subscription,
            "confirm_url": confirm_url,
            "manage_url": manage_url,
            "max_age_hours": policycomms_settings.SUBSCRIPTION_CONFIRM_HOURS,
        },
        language=language,
    )
    return True


def queue_confirmation(subscription, confirm_url, manage_url):
    """Enqueue the confirmation email; a queue or mail server that is down is logged, the
    person is still told to check their email (and can send the form again)."""
    try:
        send_confirmation.enqueue(subscription.pk, confirm_url, manage_url, subscription.language)
    except Exception:
        logger.exception("Could not send the confirmation of subscription %s", subscription.pk)


# --- Announcements ---------------------------------------------------------------------------


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    purged: int = 0
    consultations: list = field(default_factory=list)


def consultations_to_announce(now):
    """Live, public consultations open at ``now`` that opened within the announce window."""
    since = now - timedelta(days=policycomms_settings.SUBSCRIPTION_ANNOUNCE_DAYS)
    return (
        ConsultationPage.objects.live()
        .public()
        .filter(status_q(ConsultationStatus.OPEN, now), opens_at__gte=since)
        .order_by("opens_at", "pk")
    )


def matching_q(draft, topic_ids):
    """Subscribers of every consultation, of the draft's field or of one of its topics."""
    q = Q(sector__isnull=True, topic__isnull=True)
    if draft.sector_id:
        q |= Q(sector_id=draft.sector_id)
    if topic_ids:
        q |= Q(topic_id__in=topic_ids)
    return q


def announce(now=None, chunk_size=CHUNK_SIZE):
    """Purge unconfirmed subscriptions, then announce each consultation to its subscribers."""
    now = now or timezone.now()
    outcome = Outcome(purged=purge_unconfirmed(now))
    consultations = list(consultations_to_announce(now))
    if not consultations:
        return outcome
    site = default_site()
    dept = department(site)
    for consultation in consultations:
        draft = consultation.draft_policy
        topic_ids = list(
            DraftPolicyTopic.objects.filter(content_object_id=draft.pk).values_list(
                "tag_id", flat=True
            )
        )
        context = {
            "consultation": consultation,
            "draft": draft,
            "page_url": public_url(consultation.url, site),
            "department": dept,
        }
        match = matching_q(draft, topic_ids)
        sent, failed = _announce_one(consultation, match, context, site, chunk_size)
        outcome.sent += sent
        outcome.failed += failed
        if sent or failed:
            outcome.consultations.append((consultation, sent, failed))
    return outcome


def _claim_chunk(consultation, match, after, chunk_size):
    """The next chunk of subscribers not yet told, each now recorded as told (committed)."""
    with transaction.atomic():
        # Two runs at once: the second waits here until the first has recorded its chunk.
        list(ConsultationPage.objects.select_for_update().filter(pk=consultation.pk).values("pk"))
        told = SubscriptionNotice.objects.filter(consultation=consultation).values(
            "subscription_id"
        )
        chunk = list(
            Subscription.objects.filter(match, confirmed_at__isnull=False, pk__gt=after)
            .exclude(pk__in=told)
            .order_by("pk")
            .select_related("sector", "topic")[:chunk_size]
        )
        SubscriptionNotice.objects.bulk_create(
            [SubscriptionNotice(subscription=s, consultation=consultation) for s in chunk],
            ignore_conflicts=True,  # a notice recorded meanwhile all the same stays one row
        )
    return chunk


def _announce_one(consultation, match, context, site, chunk_size):
    sent = failed = 0
    after = 0
    while True:
        chunk = _claim_chunk(consultation, match, after, chunk_size)
        if not chunk:
            return sent, failed
        after = chunk[-1].pk
        messages = [
            (
                subscription,
                build_email(
                    "consultation_opened",
                    subscription.email,
                    {**context, "subscription": subscription},
                    unsubscribe_url=public_url(unsubscribe_path(subscription), site),
                    language=subscription.language,
                ),
            )
            for subscription in chunk
        ]
        refused = _send_chunk(messages)
        if refused:
            SubscriptionNotice.objects.filter(
                consultation=consultation, subscription_id__in=refused
            ).delete()
        sent += len(chunk) - len(refused)
        failed += len(refused)
        if len(chunk) < chunk_size:  # the last chunk: no need to ask for another
            return sent, failed


def _send_chunk(messages):
    """Send over one connection; the ids of subscriptions whose email was refused."""
    refused = []
    try:
        connection = get_connection()
        connection.open()
    except Exception:
        logger.exception("Could not connect to the mail server to announce a consultation")
        return [subscription.pk for subscription, __ in messages]
    try:
        for subscription, message in messages:
            try:
                message.connection = connection
                if not connection.send_messages([message]):
                    raise RuntimeError("the mail server took nothing")
            except Exception:
                logger.exception("Announcement to subscription %s not sent", subscription.pk)
                refused.append(subscription.pk)
    finally:
        connection.close()
    return refused


@task()
def announce_task():
    """``announce`` for a portal whose periodic scheduler enqueues tasks instead of cron."""
    outcome = announce()
    return {"sent": outcome.sent, "failed": outcome.failed, "purged": outcome.purged}
