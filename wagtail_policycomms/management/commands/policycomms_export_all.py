"""Write every comment, attachment, answer, theme and audit entry to a portable archive:
``python manage.py policycomms_export_all /backups/gop-y-2026-05-01.zip`` (or a directory).

The logic is in ``wagtail_policycomms.exports.archive``; docs/archive.md says what the
archive holds and how to restore it with ``policycomms_import_all``.
"""

from django.core.management.base import BaseCommand, CommandError

from ...exports.archive import CHUNK_SIZE, ArchiveError, export_archive


class Command(BaseCommand):
    help = (
        "Export every comment, attachment file, answer, theme and audit entry to a .zip "
        "file or a new directory of JSON Lines files, with SHA-256 checksums. The archive "
        "holds personal data: keep it as you keep the database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "destination", help="A .zip file, or a directory, that does not exist yet."
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=CHUNK_SIZE,
            help=f"Rows read and written at a time (default {CHUNK_SIZE}).",
        )

    def handle(self, *args, destination, chunk_size, **options):
        try:
            result = export_archive(destination, chunk_size=chunk_size)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        for warning in result.warnings:
            self.stderr.write(f"Warning: {warning}")
        for name, described in result.manifest["files"].items():
            if "rows" in described:
                self.stdout.write(f"{name}: {described['rows']} row(s)")
        attachments = result.manifest["attachments"]
        self.stdout.write(
            f"attachments: {attachments['files']} file(s), {attachments['bytes']} bytes"
        )
        self.stdout.write(self.style.SUCCESS(f"Archive written to {result.path}"))
