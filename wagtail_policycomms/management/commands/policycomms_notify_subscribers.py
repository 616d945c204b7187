"""Email subscribers about consultations that have opened:
``python manage.py policycomms_notify_subscribers`` (from cron, every 10 minutes).

The logic is in ``wagtail_policycomms.notifications.subscriptions.announce``: each
consultation open now that opened within ``POLICYCOMMS_SUBSCRIPTION_ANNOUNCE_DAYS`` is
announced at most once to each matching confirmed subscriber, so running it often is
harmless. Unconfirmed subscriptions older than the confirmation window are deleted.
Exits with an error when an email was refused, so cron reports it; the next run tries
those again.
"""

from django.core.management.base import BaseCommand, CommandError

from ...notifications.subscriptions import announce


class Command(BaseCommand):
    help = (
        "Email each confirmed subscriber, once, about the consultations that opened recently "
        "and match their subscription; delete unconfirmed subscriptions past their link's "
        "validity."
    )

    def handle(self, *args, **options):
        outcome = announce()
        for consultation, sent, failed in outcome.consultations:
            self.stdout.write(f"{consultation.title}: {sent} sent, {failed} failed")
        summary = (
            f"Sent {outcome.sent} announcement(s); "
            f"deleted {outcome.purged} unconfirmed subscription(s)."
        )
        if outcome.failed:
            raise CommandError(
                f"{summary} {outcome.failed} email(s) failed; they will be retried on the next run."
            )
        self.stdout.write(self.style.SUCCESS(summary))
