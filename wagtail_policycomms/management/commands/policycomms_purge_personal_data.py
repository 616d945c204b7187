"""Remove commenters' personal data once it is no longer needed:
``python manage.py policycomms_purge_personal_data`` (daily, from cron).

The rule and the purge are in ``wagtail_policycomms.privacy.retention``: comments of
consultations that closed more than ``POLICYCOMMS_PERSONAL_DATA_RETENTION_DAYS`` whole
local days ago lose their contact data (and, with
``POLICYCOMMS_RETENTION_DELETE_ATTACHMENTS``, their attachments); their text and answer
stay. Unconfirmed email subscriptions past their confirmation window are deleted too.
Running it more often is harmless: a second run changes nothing. ``--dry-run`` only counts.
"""

from django.core.management.base import BaseCommand, CommandError

from ...conf import policycomms_settings
from ...formats import format_staff_datetime
from ...privacy.retention import BATCH_SIZE, purge_personal_data


class Command(BaseCommand):
    help = (
        "Remove the personal data (email, phone, address, IP address, browser, unpublished "
        "name) of comments on consultations closed longer ago than "
        "POLICYCOMMS_PERSONAL_DATA_RETENTION_DAYS, keeping their text and answers; delete "
        "unconfirmed subscriptions past their confirmation window."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be removed; change nothing and write no audit entry.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Comments per UPDATE (default {BATCH_SIZE}).",
        )

    def handle(self, *args, dry_run=False, batch_size=BATCH_SIZE, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        outcome = purge_personal_data(dry_run=dry_run, batch_size=batch_size)
        verb = "Would remove" if dry_run else "Removed"
        delete = "would delete" if dry_run else "deleted"
        days = policycomms_settings.PERSONAL_DATA_RETENTION_DAYS
        lines = [
            f"{verb} the personal data of {outcome.comments} comment(s) on consultations "
            f"closed before {format_staff_datetime(outcome.before)} "
            f"({policycomms_settings.TIME_ZONE}; retention {days} day(s)).",
        ]
        if policycomms_settings.RETENTION_DELETE_ATTACHMENTS:
            lines.append(f"{delete.capitalize()} {outcome.attachments} attachment(s).")
        else:
            lines.append("Attachments kept (POLICYCOMMS_RETENTION_DELETE_ATTACHMENTS is off).")
        lines.append(f"{delete.capitalize()} {outcome.subscriptions} unconfirmed subscription(s).")
        if dry_run:
            lines.append("Dry run: nothing was changed.")
        for line in lines:
            self.stdout.write(line)
