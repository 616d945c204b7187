"""Create or update the staff groups: ``python manage.py policycomms_setup_groups``.

Also the review before publishing: the workflow "Duyệt dự thảo chính sách", whose
reviewers are ``POLICYCOMMS_REVIEWER_GROUP``, on each PolicyIndexPage.

Safe to run again: declared permissions are added once, never duplicated, and the
workflow is found again by its name. Run it again after adding a PolicyIndexPage, so
the groups get their page permissions and the section its workflow.
"""

from django.core.management.base import BaseCommand, CommandError

from ...permissions import setup_groups


class Command(BaseCommand):
    help = (
        "Create or update the groups of drafting editors, moderators (Information Centre) and "
        "coordinators (Department Inspectorate) with their permissions, and the review workflow "
        "of the draft-policy section (reviewers: POLICYCOMMS_REVIEWER_GROUP). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--strict",
            action="store_true",
            help=(
                "Also remove permissions of these groups that are not declared by the package, "
                "other reviewers of the review task, and other workflows on the sections."
            ),
        )

    def handle(self, *args, **options):
        try:
            done = setup_groups(strict=options["strict"])
        except LookupError as error:
            raise CommandError(str(error)) from error
        for line in done:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Groups are set up."))
