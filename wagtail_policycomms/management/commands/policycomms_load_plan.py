"""Load an issued plan and its assignments: ``python manage.py policycomms_load_plan 2024``.

The plan's content is data in ``wagtail_policycomms.plan_templates``. Idempotent: the plan
is found by (year, title) and each assignment of the plan itself (no draft policy) by its
reference ("II.2.1"), which a unique constraint guards. A second run creates only what is
missing and never overwrites what the coordinator has changed since (status, progress,
dates, budget, units, number): ``--update`` refreshes only the wording taken from the
plan (the plan's summary, each assignment's activity, title, description and lead unit as
written). Every assignment created gets a first revision, so its history starts here.
Everything runs in one transaction: an error leaves nothing half-loaded.

``--as-year 2026`` loads the template as the starting point of another year's plan
(see ``plan_templates.for_year``), just as idempotently.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ...models import Assignment, CommunicationPlan, Unit
from ...plan_templates import ALL_UNITS, PLANS, due_date, for_year

#: Fields ``--update`` refreshes from the template: wording only, never the tracking.
WORDING_FIELDS = ("category", "title", "description", "lead_unit_text")


class Command(BaseCommand):
    help = (
        "Load the department's communication plan for a year, with every assignment, "
        "as a template for the coordinator. Safe to run again: it only adds what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="Year of the plan, for example 2024.")
        parser.add_argument(
            "--no-create-units",
            action="store_true",
            help="Stop with an error if a unit named in the plan does not exist, "
            "instead of creating it.",
        )
        parser.add_argument(
            "--as-year",
            type=int,
            metavar="YEAR",
            help="Load the plan as the starting point of another year's plan: its year in "
            "the title, time frames and items becomes YEAR, and so do the due dates.",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Also refresh the wording (titles, descriptions, summary) of what is "
            "already there from the template. Status, dates, budget and units are kept.",
        )

    def handle(self, *args, year, no_create_units, update, as_year=None, **options):
        template = PLANS.get(year)
        if template is None:
            available = ", ".join(str(y) for y in sorted(PLANS))
            raise CommandError(f"No plan for {year}. Available years: {available}.")
        if as_year is not None:
            if not 2000 <= as_year <= 2100:
                raise CommandError(f"--as-year {as_year}: give a year between 2000 and 2100.")
            template = for_year(template, as_year)
        self.update = update
        self.verbosity = options["verbosity"]
        self.changed = False
        self.counts = {"created": 0, "already there": 0, "updated": 0}
        with transaction.atomic():
            units = self.resolve_units(template, create=not no_create_units)
            plan = self.load_plan(template)
            for spec in template["assignments"]:
                self.load_assignment(plan, spec, units, template["year"])
        self.print_summary(plan)

    # --- Units ---------------------------------------------------------------------------

    def resolve_units(self, template, *, create):
        """The units the plan names, by exact name; a missing one is created or refused."""
        names = set()
        for spec in template["assignments"]:
            if spec["lead_unit"]:
                names.add(spec["lead_unit"])
            if spec["coordinating_units"] != ALL_UNITS:
                names.update(spec["coordinating_units"])
        units = {unit.name: unit for unit in Unit.objects.filter(name__in=names)}
        missing = sorted(names - set(units))
        if missing and not create:
            raise CommandError(
                "These units named in the plan do not exist: "
                + "; ".join(f'"{name}"' for name in missing)
                + ". Create them (with these exact names) or run without --no-create-units."
            )
        for name in missing:
            units[name], _ = Unit.objects.get_or_create(name=name)
            self.changed = True
            self.stdout.write(
                f'  Created unit "{name}": add its email, address and members in the admin.'
            )
        return units

    # --- The plan and its assignments -------------------------------------------------------

    def load_plan(self, template):
        plan = CommunicationPlan.objects.filter(
            year=template["year"], title=template["title"]
        ).first()
        if plan is None:
            plan = CommunicationPlan.objects.create(
                year=template["year"],
                title=template["title"],
                number=template["number"],
                issued_on=template["issued_on"],
                summary=template["summary"],
            )
            plan.save_revision(log_action="wagtail.create")
            self.changed = True
            self.stdout.write(f"  Created plan {plan}")
        elif self.update and plan.summary != template["summary"]:
            plan.summary = template["summary"]
            plan.save()
            plan.save_revision(log_action=True)
            self.changed = True
            self.stdout.write(f"  Updated the summary of plan {plan}")
        return plan

    def load_assignment(self, plan, spec, units, year):
        existing = Assignment.objects.filter(
            plan=plan, reference=spec["reference"], draft_policy__isnull=True
        ).first()
        if existing is not None:
            self.refresh_wording(existing, spec)
            return

        lead_unit = units[spec["lead_unit"]] if spec["lead_unit"] else None
        if spec["coordinating_units"] == ALL_UNITS:
            coordinating = list(Unit.objects.active().exclude(pk=getattr(lead_unit, "pk", None)))
        else:
            coordinating = [units[name] for name in spec["coordinating_units"]]
        assignment = Assignment(
            plan=plan,
            reference=spec["reference"],
            lead_unit=lead_unit,
            due_on=due_date(spec["time_frame"], year),
            time_frame=spec["time_frame"],
            funding_source=spec["funding_source"],
            **{name: spec[name] for name in WORDING_FIELDS},
        )
        # A ParentalManyToManyField is held in memory and written by save().
        assignment.coordinating_units.set(coordinating)
        assignment.save()
        assignment.save_revision(log_action="wagtail.create")
        self.counts["created"] += 1
        if self.verbosity >= 2:
            self.stdout.write(f"  Created assignment {assignment}")

    def refresh_wording(self, assignment, spec):
        changed = [name for name in WORDING_FIELDS if getattr(assignment, name) != spec[name]]
        if not (self.update and changed):
            self.counts["already there"] += 1
            return
        for name in changed:
            setattr(assignment, name, spec[name])
        assignment.save()
        assignment.save_revision(log_action=True)
        self.counts["updated"] += 1
        self.stdout.write(f"  Updated assignment {assignment} ({', '.join(changed)})")

    # --- Output ----------------------------------------------------------------------------

    def print_summary(self, plan):
        counts = self.counts
        line = f"Assignments: created {counts['created']}, already there {counts['already there']}"
        if self.update:
            line += f", updated {counts['updated']}"
        self.stdout.write(line + ".")
        if self.changed or counts["created"] or counts["updated"]:
            self.stdout.write(self.style.SUCCESS(f"Plan {plan} loaded."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Nothing changed: plan {plan} is already there."))
