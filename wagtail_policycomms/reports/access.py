"""Who may see the plan's reports.

The reports cover every unit, so they follow the plan-level permission, not the
assignment one: drafting units' editors may view (and update) their own unit's
assignments (``view_assignment``), which must not open the whole department's
figures to them.

- The periodic report to the Department of Justice and "assignments by unit" need
  ``view_communicationplan``: the coordinators (Thanh tra Sở), and whoever else may
  read the plan (the Information Centre's group, leadership if granted). They show
  nothing those users cannot already list in the plan's admin.
- The compliance report (no personal data) is open as well to anyone who may export
  comments (the moderators of the Information Centre, who post the content).
- Superusers have every permission.
"""

from ..permissions import EXPORT as EXPORT_COMMENTS
from ..permissions import VIEW_PLAN as VIEW_PLANS


def can_view_plan_reports(user):
    """The periodic report and assignments by unit."""
    return bool(user.is_active and user.has_perm(VIEW_PLANS))


def can_view_compliance_report(user):
    return bool(user.is_active and (user.has_perm(VIEW_PLANS) or user.has_perm(EXPORT_COMMENTS)))
