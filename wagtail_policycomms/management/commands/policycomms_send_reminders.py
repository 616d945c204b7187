"""Email today's reminders: ``python manage.py policycomms_send_reminders`` (daily, from cron).

The logic is in ``wagtail_policycomms.reminders``. Each item is reminded at most once a
local day, so running it more often is harmless. Exits with an error when an email could
not be sent, so cron reports it; the next run retries those items.
"""

from django.core.management.base import BaseCommand, CommandError

from ...reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Email each unit its assignments due soon or overdue, its consultations closing soon "
        "and its closed consultations with unanswered comments, and the moderators their "
        "digest of new comments. At most once a day per item."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would be sent, to whom; send and record nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        outcome = send_reminders(dry_run=dry_run)
        write = self.stdout.write
        verb = "Would send" if dry_run else "Sent"
        for reminder in outcome.sent:
            write(
                f"{verb} {len(reminder.notices)} item(s) to {reminder.unit.name} "
                f"<{', '.join(reminder.recipients)}>"
            )
            for notice in reminder.notices:
                write(f"  {notice.kind}: {notice.obj}")
        for reminder in outcome.no_recipients:
            self.stderr.write(
                f"Not sent: {reminder.unit.name} has no email and no member with an email "
                f"({len(reminder.notices)} item(s)). Add them in the admin."
            )
        # Informational (stdout): plan items led "by role" are done per draft policy.
        for notice in outcome.no_unit:
            write(
                f"Skipped: {notice.kind} {notice.obj} has no responsible unit "
                "(no lead unit, no draft policy, no coordinating unit)."
            )
        for reminder, error in outcome.failed:
            self.stderr.write(f"Failed: email to {reminder.unit.name}: {error}")
        digest = outcome.digest
        if digest is not None and digest.error is not None:
            self.stderr.write(f"Failed: the moderators' digest: {digest.error}")
        elif digest is not None and digest.recipients:
            write(
                f"{verb} the moderators' digest ({len(digest.lines)} consultation(s)) to "
                f"{len(digest.recipients)} moderator(s) <{', '.join(digest.recipients)}>"
            )
        summary = (
            f"{verb} {len(outcome.sent)} email(s) about "
            f"{sum(len(r.notices) for r in outcome.sent)} item(s); "
            f"{outcome.already_sent} item(s) already reminded today."
        )
        failed = len(outcome.failed) + (1 if digest is not None and digest.error else 0)
        if failed:
            raise CommandError(
                f"{summary} {failed} email(s) failed; they will be retried on the next run."
            )
        self.stdout.write(self.style.SUCCESS(summary))
