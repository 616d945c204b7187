"""Load the Vietnamese demo content: ``python example_site/manage.py policycomms_demo``.

The department's units, fields and one user per role, in the package's staff groups
(``policycomms_setup_groups``); a home page, the draft-policy section, draft policies,
their consultation rounds, citizens' comments and a few answers. Idempotent: everything is
found by a stable key (unit and field name, username, page slug under its parent) and
updated in place, so running it again adds nothing. Consultation dates are relative to
today, so each run also moves them to keep one round open, one upcoming and one closed.
Then it loads the 2024 communication plan (``policycomms_load_plan 2024``), gives the
drafting units the plan's items for each draft with a major social impact, and fills the
drafts' communication logs; those are created once and then left alone, so changes made
in the admin are kept. The content itself is in ``demo/data/``.
"""

from datetime import datetime, time, timedelta
from io import StringIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Page, Site

from wagtail_policycomms import moderation
from wagtail_policycomms.blocks import article_label
from wagtail_policycomms.campaigns import grouping as campaign_grouping
from wagtail_policycomms.models import (
    Assignment,
    AssignmentProgress,
    AssignmentStatus,
    CommunicationActivity,
    CommunicationPlan,
    ConsultationPage,
    ConsultationStatus,
    DraftPolicyPage,
    PolicyIndexPage,
    PublicComment,
    ReceiptCounter,
    Sector,
    Unit,
    local_today,
)
from wagtail_policycomms.permissions import setup_groups
from wagtail_policycomms.plan_templates import PLANS, for_year

from ... import data

PORTAL_URL = "http://127.0.0.1:8000"
# Consultations open at the start and close at the end of an office day, local time.
OPENING_TIME = time(8, 0)
CLOSING_TIME = time(17, 0)


class Command(BaseCommand):
    help = (
        "Load the demo content of Sở Khoa học và Công nghệ tỉnh Hưng Yên (units, users, "
        "draft policies, consultations). Safe to run again: it updates instead of duplicating."
    )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        self.now = timezone.now()
        with transaction.atomic():
            sectors = {name: Sector.objects.get_or_create(name=name)[0] for name in data.SECTORS}
            units = {spec["name"]: self.load_unit(spec) for spec in data.UNITS}
            users = [self.load_user(spec, units) for spec in data.USERS]
            # The superuser is the author of the demo pages and their revisions.
            self.actor = next(user for user in users if user.is_superuser)
            home = self.load_home_page()
            index = self.upsert_page(home, PolicyIndexPage, data.INDEX_PAGE)
            # After the index page: the groups get their page permissions on it.
            self.load_groups(users)
            drafts = [self.load_draft(index, spec, units, sectors) for spec in data.DRAFTS]
            self.load_comments(index)
            self.load_answers(index, users)
            self.publish_outcomes(index, users)
            plan = self.load_plan()
            self.close_past_plan(plan)
            current = self.load_current_plan(plan)
            self.load_draft_assignments(current, index, units)
            self.load_communication_logs(index)
        self.print_summary(index, drafts, plan, current)

    # --- Units and users ---------------------------------------------------------------

    def load_unit(self, spec):
        fields = {key: value for key, value in spec.items() if key != "name"}
        unit, _ = Unit.objects.update_or_create(
            name=spec["name"], defaults={**fields, "is_active": True}
        )
        return unit

    def load_user(self, spec, units):
        user_model = get_user_model()
        user, _ = user_model.objects.get_or_create(username=spec["username"])
        user.first_name = spec["first_name"]
        user.last_name = spec["last_name"]
        user.email = spec["email"]
        user.is_active = True
        user.is_superuser = spec["superuser"]
        user.is_staff = spec["superuser"]  # only the superuser uses Django's own admin
        user.set_password(data.DEMO_PASSWORD)  # reset on every run
        user.save()
        if spec["unit"]:
            units[spec["unit"]].members.add(user)
        return user

    def load_groups(self, users):
        """The package's staff groups (policycomms_setup_groups), each demo user in theirs."""
        done = setup_groups()
        if self.verbosity >= 2:
            for line in done:
                self.stdout.write(f"  {line}")
        groups = {group.name: group for group in Group.objects.all()}
        for user, spec in zip(users, data.USERS, strict=True):
            user.groups.set([groups[name] for name in spec["groups"]])

    # --- Pages ---------------------------------------------------------------------------

    def load_home_page(self):
        """Make the default site's root a HomePage, replacing Wagtail's welcome page.

        Wagtail creates a plain "Welcome to your new Wagtail site!" page with slug "home"
        as the site root. Like the home migration of ``wagtail start``, replace it; it is
        deleted only when it is a plain page without children.
        """
        HomePage = apps.get_model("home", "HomePage")  # the demo portal's own page type
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        root = Page.get_first_root_node()
        current = site.root_page.specific if site else None
        if isinstance(current, HomePage):
            return self.upsert_page(current.get_parent(), HomePage, data.HOME_PAGE)

        welcome = None
        if (
            current is not None
            and type(current) is Page
            and current.depth == 2
            and not current.get_children().exists()
        ):
            welcome = current
            # Free the slug "home" for the new page; the old page is deleted below.
            Page.objects.filter(pk=welcome.pk).update(slug=f"{welcome.slug}-replaced")

        home = self.upsert_page(root, HomePage, data.HOME_PAGE)
        if site is None:
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
        else:
            site.root_page = home
            site.save()
        if welcome is not None:
            welcome.refresh_from_db()
            welcome.delete()
            self.report("deleted", welcome, f"Wagtail's welcome page {welcome.title!r}")
        return home

    def load_draft(self, index, spec, units, sectors):
        fields = {
            "title": spec["title"],
            "document_type": spec["document_type"],
            "drafting_unit": units[spec["drafting_unit"]],
            "sector": sectors[spec["sector"]],
            "major_social_impact": spec["major_social_impact"],
            "summary": spec["summary"],
            **{name: spec[name] for name in DraftPolicyPage.communication_sections},
        }
        on_create = {
            # The draft text is written only when the page is created: comments are
            # anchored to the articles' block ids, which must not change on a re-run.
            "body": [
                {"type": "article", "value": {"number": number, "heading": heading, "body": body}}
                for number, heading, body in spec["articles"]
            ],
            "first_published_at": self.now - timedelta(days=spec["published_days_ago"]),
        }
        draft = self.upsert_page(
            index,
            DraftPolicyPage,
            {"slug": spec["slug"], **fields},
            topics=spec["topics"],
            on_create=on_create,
        )
        rounds = [self.load_consultation(draft, r, units) for r in spec["consultations"]]
        if spec.get("revision"):
            draft = self.load_revision(draft, spec, rounds)
        return draft

    def load_revision(self, draft, spec, rounds):
        """Publish the revised text (``spec["revision"]``) once: each article keeps the block
        id of the article it was (by its number before), so "What changed and why" matches
        them; then the rounds put to it are published again, which records their version
        (``models.drafts.record_draft_revision``, while they have not opened)."""
        revised = spec["revision"]
        wanted = [(number, heading) for number, heading, _body, _was in revised]
        published = False
        if [(b.value["number"], b.value["heading"]) for b in draft.articles] != wanted:
            ids = {block.value["number"]: block.id for block in draft.articles}
            draft.body = [
                {
                    "type": "article",
                    **({"id": ids[was]} if was in ids else {}),
                    "value": {"number": number, "heading": heading, "body": body},
                }
                for number, heading, body, was in revised
            ]
            self.publish(draft)
            draft = DraftPolicyPage.objects.get(pk=draft.pk)
            self.report("updated", draft, "revised text")
            published = True
        for consultation, round_spec in zip(rounds, spec["consultations"], strict=True):
            if round_spec.get("on_revision") and (published or not consultation.draft_revision_id):
                self.publish(consultation)
        return draft

    def load_consultation(self, draft, spec, units):
        fields = {
            "slug": spec["slug"],
            "title": spec["title"],
            "opens_at": self.local_time(spec["opens_in_days"], OPENING_TIME),
            "closes_at": self.local_time(spec["closes_in_days"], CLOSING_TIME),
            "audience": spec["audience"],
            "questions": spec["questions"],
            "how_to_comment": spec["how_to_comment"],
            "receiving_unit": units[spec["receiving_unit"]],
        }
        return self.upsert_page(draft, ConsultationPage, fields)

    # --- Comments ------------------------------------------------------------------------

    def load_comments(self, index):
        """Citizens' comments, found again by consultation, email and text on a re-run."""
        created = 0
        for spec in data.COMMENTS:
            draft_slug, round_slug = spec["round"]
            draft = DraftPolicyPage.objects.child_of(index).get(slug=draft_slug)
            consultation = ConsultationPage.objects.child_of(draft).get(slug=round_slug)
            # The article as numbered in the text put to the round (its recorded version).
            text = draft
            if consultation.draft_revision_id:
                text = draft.with_content_json(consultation.draft_revision.content)
            article = next((b for b in text.articles if b.value["number"] == spec["article"]), None)
            submitted_at = consultation.opens_at + timedelta(
                days=spec["days_after_opening"], hours=2
            )
            if PublicComment.objects.already_submitted(consultation, spec["email"], spec["body"]):
                continue
            comment = PublicComment.objects.create(
                consultation=consultation,
                article_id=article.id if article else "",
                article_heading=article_label(article) if article else "",
                page_revision_id=consultation.draft_revision_id or draft.live_revision_id,
                commenter_type=spec["commenter_type"],
                display_name=spec["display_name"],
                organisation_name=spec.get("organisation_name", ""),
                email=spec["email"],
                body=spec["body"],
                publish_name=spec["publish_name"],
                consent_given_at=submitted_at,
                consent_notice_version="2026-01",
                consent_purposes=["receive_and_answer_comment"],
                status=spec["status"],
                receipt_code=ReceiptCounter.next_code(submitted_at),
                submitted_at=submitted_at,
            )
            campaign_grouping.assign(comment)  # as a submission does: near-duplicate campaigns
            created += 1
        if self.verbosity >= 2 or created:
            self.stdout.write(f"  comments: {created} created")

    def load_answers(self, index, users):
        """The drafting editor's answers; the moderator publishes some. An answered
        comment is left alone on a re-run, so changes made in the demo are kept."""
        by_name = {user.username: user for user in users}
        editor, moderator = by_name["bientap"], by_name["kiemduyet"]
        created = 0
        for spec in data.ANSWERS:
            draft_slug, round_slug = spec["round"]
            draft = DraftPolicyPage.objects.child_of(index).get(slug=draft_slug)
            consultation = ConsultationPage.objects.child_of(draft).get(slug=round_slug)
            comments = PublicComment.objects.filter(consultation=consultation, email=spec["email"])
            if not comments.exists() or comments.filter(response__isnull=False).exists():
                continue
            # The article of the draft's text today (the revised one) that carries it out.
            implemented = next(
                (b.id for b in draft.articles if b.value["number"] == spec.get("implemented_in")),
                "",
            )
            response = moderation.answer(
                comments,
                editor,
                disposition=spec["disposition"],
                text=spec["text"],
                answering_unit=draft.drafting_unit,
                implemented_in_article=implemented,
            )
            if spec["published"]:
                moderation.set_answer_published(response, moderator, True)
            created += 1
        if self.verbosity >= 2 or created:
            self.stdout.write(f"  answers: {created} created")

    def publish_outcomes(self, index, users):
        """The closed rounds get their outcome page ("Kết quả lấy ý kiến"): a short "what we
        did" if the editor wrote none, then published by the moderator (audited)."""
        moderator = next(user for user in users if user.username == "kiemduyet")
        closed = [
            c
            for c in ConsultationPage.objects.live().descendant_of(index)
            if c.status == ConsultationStatus.CLOSED
        ]
        for consultation in closed:
            if not consultation.outcome_summary:
                consultation.outcome_summary = (
                    "<p>Ban soạn thảo đã nghiên cứu, tiếp thu các ý kiến hợp lý và chỉnh lý "
                    "dự thảo; các ý kiến không tiếp thu đều được giải trình công khai trong "
                    "báo cáo tổng hợp.</p>"
                )
                self.publish(consultation)
                consultation = ConsultationPage.objects.get(pk=consultation.pk)
            if moderation.publish_outcome(consultation, moderator):
                self.report("published", consultation, "outcome page")

    # --- The plan, assignments per draft and communication logs ----------------------------------

    def load_plan(self):
        """The package's plan for the year, through its own command (idempotent too)."""
        out = self.stdout if self.verbosity >= 1 else StringIO()
        call_command(
            "policycomms_load_plan", str(data.PLAN_YEAR), stdout=out, verbosity=self.verbosity
        )
        template = PLANS[data.PLAN_YEAR]
        return CommunicationPlan.objects.get(year=template["year"], title=template["title"])

    def close_past_plan(self, plan):
        """A past year's plan has been carried out: its dated items, untouched since the
        load, are marked done on their due date (once; a later run finds them done)."""
        if plan.year >= local_today(self.now).year:
            return
        untouched = plan.assignments.filter(
            draft_policy__isnull=True, status=AssignmentStatus.NOT_STARTED, due_on__isnull=False
        )
        for assignment in untouched:
            assignment.status = AssignmentStatus.DONE
            assignment.completed_on = assignment.due_on
            assignment.progress_notes.add(
                AssignmentProgress(
                    date=assignment.due_on, note="Đã hoàn thành trong năm (dữ liệu demo)."
                )
            )
            assignment.save()
            assignment.save_revision(user=self.actor, log_action=True)

    def load_current_plan(self, template_plan):
        """This year's plan, started from the 2024 one (``--as-year``): the demo's drafts
        are consulted on this year, so their assignments belong to this year's plan."""
        year = local_today(self.now).year
        if year == template_plan.year:
            return template_plan
        out = self.stdout if self.verbosity >= 1 else StringIO()
        call_command(
            "policycomms_load_plan",
            str(template_plan.year),
            "--as-year",
            str(year),
            stdout=out,
            verbosity=self.verbosity,
        )
        template = for_year(PLANS[template_plan.year], year)
        return CommunicationPlan.objects.get(year=year, title=template["title"])

    def load_draft_assignments(self, plan, index, units):
        """Items II.2.1, II.2.2 and II.3 per major-impact draft, led by its drafting unit,
        worded as the plan's own items.

        Created once: an existing one (same plan, item and draft) is left as the
        coordinator or the unit has changed it.
        """
        today = local_today(self.now)
        items = {a.reference: a for a in plan.assignments.filter(draft_policy__isnull=True)}
        created = 0
        for slug, specs in data.DRAFT_ASSIGNMENTS.items():
            draft = DraftPolicyPage.objects.child_of(index).get(slug=slug)
            for spec in specs:
                reference = spec["reference"]
                if Assignment.objects.filter(
                    plan=plan, reference=reference, draft_policy=draft
                ).exists():
                    continue
                item = items[reference]
                completed = spec.get("completed_days_ago")
                assignment = Assignment(
                    plan=plan,
                    reference=reference,
                    category=item.category,
                    title=item.title,
                    description=f"Thực hiện mục {reference} của Kế hoạch đối với dự thảo "
                    f"“{draft.title}”.",
                    lead_unit=draft.drafting_unit,
                    lead_unit_text=item.lead_unit_text,
                    draft_policy=draft,
                    starts_on=today + timedelta(days=spec["starts_in_days"]),
                    due_on=today + timedelta(days=spec["due_in_days"]),
                    status=spec["status"],
                    completed_on=today - timedelta(days=completed) if completed else None,
                    budget_estimated=spec.get("budget_estimated"),
                    budget_spent=spec.get("budget_spent"),
                    funding_source=item.funding_source,
                )
                assignment.coordinating_units.set([units[n] for n in spec["coordinating_units"]])
                for days_ago, note in spec["progress"]:
                    assignment.progress_notes.add(
                        AssignmentProgress(date=today - timedelta(days=days_ago), note=note)
                    )
                assignment.save()
                assignment.save_revision(user=self.actor, log_action="wagtail.create")
                created += 1
        if self.verbosity >= 2 or created:
            self.stdout.write(f"  assignments per draft policy: {created} created")

    def load_communication_logs(self, index):
        """Rows of the drafts' communication logs, found again by channel and title."""
        today = local_today(self.now)
        for slug, rows in data.COMMUNICATION_LOG.items():
            draft = DraftPolicyPage.objects.child_of(index).get(slug=slug)
            existing = set(
                CommunicationActivity.objects.filter(page=draft).values_list("channel", "title")
            )
            missing = [row for row in rows if (row["channel"], row["title"]) not in existing]
            for row in missing:
                draft.communication_log.add(
                    CommunicationActivity(
                        channel=row["channel"],
                        date=today - timedelta(days=row["days_ago"]),
                        title=row["title"],
                        url=row["url"],
                        audience=row["audience"],
                    )
                )
            if missing:
                # Published with the page, so the log is in the page's history too.
                self.publish(draft)
                self.report("updated", draft, f"communication log: {len(missing)} added")

    def local_time(self, days_from_today, at):
        day = timezone.localdate(self.now) + timedelta(days=days_from_today)
        return timezone.make_aware(datetime.combine(day, at))

    def upsert_page(self, parent, model, fields, *, topics=None, on_create=None):
        """The child of ``parent`` with ``fields["slug"]``, created or updated in place.

        An existing page gets a new published revision only when a field differs, so
        re-running the command on the same day leaves the pages' history alone.
        """
        slug = fields["slug"]
        existing = parent.get_children().filter(slug=slug).first()
        if existing is None:
            page = model(owner=self.actor, **fields, **(on_create or {}))
            if topics is not None:
                page.topics.add(*topics)
            parent.add_child(instance=page)
            self.publish(page)
            self.report("created", page)
            return page

        page = existing.specific
        if not isinstance(page, model):
            raise CommandError(
                f"The page at {existing.url_path} is a {type(page).__name__}, not a "
                f"{model.__name__}. Move or delete it, then run the command again."
            )
        changed = [name for name, value in fields.items() if getattr(page, name) != value]
        for name in changed:
            setattr(page, name, fields[name])
        if topics is not None and sorted(t.name for t in page.topics.all()) != sorted(topics):
            page.topics.set(topics)
            changed.append("topics")
        if not page.live:
            changed.append("live")
        if changed:
            self.publish(page)
            self.report("updated", page, ", ".join(changed))
        else:
            self.report("unchanged", page)
        return page

    def publish(self, page):
        page.save_revision(user=self.actor, log_action=True).publish(user=self.actor)

    # --- Output --------------------------------------------------------------------------

    def report(self, action, page, detail=""):
        if self.verbosity >= 1:
            suffix = f" ({detail})" if detail else ""
            self.stdout.write(f"  {action:<9} {type(page).__name__} {page.url_path}{suffix}")

    @staticmethod
    def url_or_none(model, name):
        """An admin URL by name (a model's viewset URL when ``model`` is given), if registered."""
        try:
            if model is not None:
                name = model.snippet_viewset.get_url_name(name)
            return reverse(name)
        except (AttributeError, NoReverseMatch):
            return None

    @staticmethod
    def admin_link(path):
        return f"{PORTAL_URL}{path}" if path else f"{PORTAL_URL}/admin/ (see the menu)"

    def print_summary(self, index, drafts, plan, current):
        write = self.stdout.write
        rounds = list(ConsultationPage.objects.live().descendant_of(index))
        by_status = dict.fromkeys(ConsultationStatus, 0)
        for consultation in rounds:
            by_status[consultation.status] += 1
        write("")
        write(self.style.SUCCESS("Demo content loaded."))
        write(
            f"  {Unit.objects.count()} units, {Sector.objects.count()} fields, "
            f"{len(drafts)} draft policies, {PublicComment.objects.count()} comments, "
            f"{len(rounds)} consultations ("
            + ", ".join(f"{by_status[s]} {s.value}" for s in ConsultationStatus)
            + ")"
        )
        write("")
        write(f"  Portal:         {PORTAL_URL}/")
        write(f"  Draft policies: {PORTAL_URL}{index.get_url()}")
        write(f"  Admin:          {PORTAL_URL}/admin/")
        major = [d for d in drafts if d.major_social_impact]
        write(
            f"  Plan {plan.number} ({plan.year}): {plan.assignments.count()} assignments, "
            f"{len(major)} draft policies with a major social impact."
        )
        write(f"  Plan:           {self.admin_link(AdminURLFinder().get_edit_url(plan))}")
        if current != plan:
            write(
                f"  This year's plan ({current.year}, demo): {current.assignments.count()} "
                f"assignments  {self.admin_link(AdminURLFinder().get_edit_url(current))}"
            )
        write(f"  Assignments:    {self.admin_link(self.url_or_none(Assignment, 'list'))}")
        write(
            "  Compliance:     "
            + self.admin_link(self.url_or_none(None, "wagtail_policycomms_admin:report_compliance"))
            + "  (admin menu: Reports)"
        )
        write("")
        rows = [("Username", "Password", "Role")]
        rows += [(spec["username"], data.DEMO_PASSWORD, spec["role"]) for spec in data.USERS]
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        for number, (username, password, role) in enumerate(rows):
            write(f"  {username:<{widths[0]}}  {password:<{widths[1]}}  {role}")
            if number == 0:
                write(f"  {'-' * widths[0]}  {'-' * widths[1]}  {'-' * len(role)}")
        write("")
        write("Serve it with: python example_site/manage.py runserver 127.0.0.1:8000")
