"""The report to the Department of Justice as labelled lines, in sections.

One list of (item, value) lines per section, read by the report's page, its CSV and
XLSX files and its Word document (``word``), so every one of them shows the same figures
under the same labels. The labels are in the active language: the Word document asks
for them in Vietnamese.
"""

from django.utils.translation import gettext as _

from ..formats import format_date
from ..models import Disposition


class Section:
    def __init__(self, key, title, lines):
        self.key, self.title, self.lines = key, title, lines


def plan_text(plan):
    parts = [plan.number or _("(no number)")]
    if plan.issued_on:
        parts.append(format_date(plan.issued_on))
    return ", ".join(parts) + f" – {plan.title}"


def sections(report):
    """The report as sections of (item, value) lines: the page and the export alike."""
    period = report.period
    plans = [(_("Plan %(year)s") % {"year": p.year}, plan_text(p)) for p in report.plans]
    return [
        Section(
            "period",
            _("Reporting period"),
            [
                (_("From"), format_date(period.start)),
                (_("To"), format_date(period.end)),
                *(plans or [(_("Plan"), _("No plan recorded for these years"))]),
            ],
        ),
        Section(
            "channels",
            _("Communication activities by channel"),
            [
                *((str(label), n) for _v, label, n in report.channels),
                (_("Total"), report.activities_total),
            ],
        ),
        Section(
            "drafts",
            _("Draft policies"),
            [
                (_("Drafts handled"), report.drafts_handled),
                (_("Policies with a major social impact"), report.in_scope),
                (_("Of which communicated"), report.communicated),
                (_("Share communicated (%)"), report.communicated_percent),
                (_("Target (%)"), report.target),
            ],
        ),
        Section(
            "commenters",
            _("Comments received by commenter type"),
            [
                *((str(label), n) for _v, label, n in report.comments_by_type),
                (_("Total"), report.comments_total),
                (_("Of which published"), report.comments_published),
            ],
        ),
        Section(
            "answers",
            _("Answers to the comments received"),
            [
                (_("Accepted or partly accepted"), report.accepted),
                (str(Disposition.EXPLAINED.label), report.explained),
                (_("Not accepted or not applicable"), report.not_applicable),
                (_("Not yet answered"), report.not_answered),
            ],
        ),
        Section(
            "budget",
            _("Budget"),
            [(_("Budget spent (VND)"), report.budget_spent)],
        ),
    ]
