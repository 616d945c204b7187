"""Citizens' email subscriptions to new consultations (issue 13).

A subscription is stored unconfirmed and becomes active when the person follows the
link of the confirmation email (double opt-in). Unsubscribing deletes the row: we keep
no address of someone who asked us to forget it. ``SubscriptionNotice`` records which
opening a subscriber has been told about, one row per consultation and subscriber, so
that the announcement goes out at most once however often the cron command runs.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Subscription(models.Model):
    """An email address that wants to hear of new consultations: all, or a field or topic."""

    email = models.EmailField(_("email"), max_length=254)
    # Neither set: every new consultation. Either set: only the draft policies filed under it.
    sector = models.ForeignKey(
        "wagtail_policycomms.Sector",
        verbose_name=_("field (sector)"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    topic = models.ForeignKey(
        "taggit.Tag",
        verbose_name=_("topic"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # The language the person used to subscribe, for the emails they get.
    language = models.CharField(_("language"), max_length=10, default="vi")
    created_at = models.DateTimeField(_("subscribed at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The privacy notice the person was shown when subscribing (as a comment's consent).
    consent_notice_version = models.CharField(
        _("privacy notice version"), max_length=50, blank=True
    )

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        indexes = [models.Index(fields=["email"], name="policycomms_subscr_email")]

    def __str__(self):
        return self.email

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class SubscriptionNotice(models.Model):
    """A subscriber was told that a consultation opened: at most once each."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="notices")
    consultation = models.ForeignKey(
        "wagtail_policycomms.ConsultationPage", on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("subscription notice")
        verbose_name_plural = _("subscription notices")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "consultation"], name="policycomms_notice_once"
            )
        ]

    def __str__(self):
        return f"{self.subscription_id} {self.consultation_id}"


class EmailStream(models.TextChoices):
    """The kinds of non-transactional email one can stop with one click (``EmailOptOut``).

    Announcements of new consultations are stopped by deleting the subscription itself
    (``notifications.subscriptions``); unit reminders go to a unit's shared address and
    its members at once and are part of the plan's duties, so they have no opt-out.
    """

    COMMENT_UPDATES = "comment_updates", _("My comment was published or answered")
    MODERATOR_DIGEST = "moderator_digest", _("Daily digest of new comments")


class EmailOptOut(models.Model):
    """An address that asked, by the one-click link, for no more of one kind of email.

    Receipts and verification links are transactional (the person just asked for
    them) and are always sent.
    """

    email = models.EmailField(_("email"), max_length=254)
    stream = models.CharField(_("emails"), max_length=30, choices=EmailStream.choices)
    created_at = models.DateTimeField(_("unsubscribed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unsubscribed address")
        verbose_name_plural = _("unsubscribed addresses")
        constraints = [
            models.UniqueConstraint(fields=["email", "stream"], name="policycomms_optout_once")
        ]

    def __str__(self):
        return f"{self.email} ({self.stream})"
