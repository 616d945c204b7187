"""Group existing comments into near-duplicate campaigns:
``python manage.py policycomms_group_campaigns``.

New comments are grouped when they are submitted; this gives a signature and a
campaign to comments stored before (after an upgrade, an import, a bulk load), in
batches that each commit, with a progress bar. Running it again only reads comments
without a signature, so an interrupted run is finished by running it again.
``--rebuild`` forgets the campaigns first and groups every comment again (after
changing ``POLICYCOMMS_CAMPAIGN_SIMILARITY``); a moderator's decisions on those
campaigns, and members they split out, are forgotten with them. The rule is in
``wagtail_policycomms.campaigns.grouping``.

There is no ``--dry-run``: whether a comment joins a campaign depends on the
campaigns the earlier batches formed, which only exist once written.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from ...campaigns.grouping import BATCH_SIZE, regroup, threshold_setting
from ...models.consultations import ConsultationPage


class Progress:
    """A progress bar on a terminal; a line every 10% otherwise (logs, cron)."""

    width = 30

    def __init__(self, stream, tty):
        self.stream = stream
        self.tty = tty
        self.started = time.monotonic()
        self.last_tenth = -1

    def __call__(self, done, total):
        share = done / total if total else 1.0
        elapsed = time.monotonic() - self.started
        text = f"{done:,}/{total:,} comments ({share:.0%}, {elapsed:.0f} s)"
        if self.tty:
            filled = int(share * self.width)
            bar = "#" * filled + "-" * (self.width - filled)
            self.stream.write(f"\r[{bar}] {text}", ending="")
            self.stream.flush()
        elif int(share * 10) > self.last_tenth:
            self.last_tenth = int(share * 10)
            self.stream.write(text)

    def finish(self):
        if self.tty:
            self.stream.write("")


class Command(BaseCommand):
    help = (
        "Give existing comments a similarity signature and group near-duplicates into "
        "campaigns (POLICYCOMMS_CAMPAIGN_SIMILARITY), in batches that each commit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--consultation",
            type=int,
            action="append",
            help="Only this consultation (page id); may be given several times.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Comments per transaction (default {BATCH_SIZE}).",
        )
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Forget the existing campaigns and signatures first and group every comment "
            "again (moderators' decisions on those campaigns are lost).",
        )

    def handle(self, *args, consultation=None, batch_size=BATCH_SIZE, rebuild=False, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if consultation:
            missing = set(consultation) - set(
                ConsultationPage.objects.filter(pk__in=consultation).values_list("pk", flat=True)
            )
            if missing:
                raise CommandError(
                    f"No consultation with id {', '.join(map(str, sorted(missing)))}."
                )
        threshold = threshold_setting()
        if threshold is None:
            self.stdout.write("POLICYCOMMS_CAMPAIGN_SIMILARITY is None: grouping is off.")
            return
        progress = Progress(self.stdout, self.stdout.isatty())
        outcome = regroup(
            consultation,
            batch_size=batch_size,
            rebuild=rebuild,
            threshold=threshold,
            progress=progress,
        )
        progress.finish()
        self.stdout.write(
            f"Read {outcome.comments} comment(s) without a signature; {outcome.signed} signed "
            f"(the others are too short); {outcome.grouped} joined a campaign; "
            f"{outcome.campaigns} new campaign(s) (similarity {threshold:.2f})."
        )
