"""Delete expired export files: ``python manage.py policycomms_expire_exports`` (hourly, cron).

A file written by the tasks worker (``exports.jobs``) holds comments, and personal data for
those allowed to see it: it is kept ``POLICYCOMMS_EXPORT_FILE_HOURS`` and then deleted, and
its job is marked expired (its page says so). Jobs left queued or running for a day (a
worker stopped mid-job) are marked failed. Running it more often is harmless.
"""

from django.core.management.base import BaseCommand

from ...exports.jobs import expire_jobs


class Command(BaseCommand):
    help = "Delete the files of large exports past their expiry and mark those jobs expired."

    def handle(self, *args, **options):
        expired = expire_jobs()
        self.stdout.write(f"Expired {expired} export file(s).")
