"""Restore an archive written by ``policycomms_export_all`` into a database without comments:
``python manage.py policycomms_import_all /backups/gop-y-2026-05-01.zip``.

The logic is in ``wagtail_policycomms.exports.archive``: checksums first, then the pages
(matched by page id), units and staff accounts, then everything in one transaction.
See docs/archive.md.
"""

from django.core.management.base import BaseCommand, CommandError

from ...exports.archive import CHUNK_SIZE, ArchiveError, import_archive


class Command(BaseCommand):
    help = (
        "Restore comments, attachment files, answers, themes and audit entries from an "
        "archive of policycomms_export_all. The pages must already exist (matched by page "
        "id); refused if the database already has comments."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="The archive: a .zip file or a directory.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Verify the checksums and the target database; import nothing.",
        )
        parser.add_argument(
            "--missing-users",
            choices=["refuse", "empty"],
            default="refuse",
            help=(
                "A staff account named in the archive does not exist here: refuse the "
                "restore (default), or leave the person empty on those rows."
            ),
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=CHUNK_SIZE,
            help=f"Rows read and written at a time (default {CHUNK_SIZE}).",
        )

    def handle(self, *args, source, check, missing_users, chunk_size, **options):
        try:
            result = import_archive(
                source, chunk_size=chunk_size, missing_users=missing_users, check_only=check
            )
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        for warning in result.warnings:
            self.stderr.write(f"Warning: {warning}")
        verb = "would restore" if check else "restored"
        for name, rows in result.counts.items():
            self.stdout.write(f"{name}: {rows} row(s) {verb}")
        if check:
            self.stdout.write(self.style.SUCCESS("The archive is intact and can be restored here."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Archive {source} restored."))
