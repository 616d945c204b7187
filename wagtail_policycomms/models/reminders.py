"""What ``policycomms_send_reminders`` has sent, so an item is reminded at most once a day."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    ASSIGNMENT_DUE = "assignment_due", _("Assignment due soon")
    ASSIGNMENT_OVERDUE = "assignment_overdue", _("Assignment overdue")
    CONSULTATION_CLOSING = "consultation_closing", _("Consultation closing soon")
    UNANSWERED = "unanswered", _("Comments not answered")
    MODERATOR_DIGEST = "moderator_digest", _("Daily digest of new comments")


class SentReminder(models.Model):
    """One reminder about one item on one (local) day.

    The row is inserted before the email is sent: the unique constraint makes a
    second run the same day (or a concurrent one) skip the item.
    """

    kind = models.CharField(_("reminder type"), max_length=30, choices=ReminderKind.choices)
    # "assignment:12", "consultation:34": the item reminded about.
    item = models.CharField(_("item"), max_length=100)
    day = models.DateField(_("day"))
    recipients = models.TextField(_("recipients"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "item", "day"], name="policycomms_reminder_once_a_day"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.item} {self.day}"
