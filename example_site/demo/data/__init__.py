"""Vietnamese content of the demo: the department, its units and users, and the drafts.

Pure data: the ``policycomms_demo`` command loads it. Each draft module defines
``DRAFT``; its consultation rounds give their dates in days relative to the day the
command runs, so their statuses are right whenever the demo is (re)loaded.
"""

from . import draft_quality, draft_science_tasks, draft_startups, draft_technology
from .answers import ANSWERS
from .comments import COMMENTS
from .organisation import DEMO_PASSWORD, HOME_PAGE, INDEX_PAGE, SECTORS, UNITS, USERS
from .plan import COMMUNICATION_LOG, DRAFT_ASSIGNMENTS, PLAN_YEAR

# In the order they are created.
DRAFTS = [
    draft_science_tasks.DRAFT,
    draft_startups.DRAFT,
    draft_technology.DRAFT,
    draft_quality.DRAFT,
]

__all__ = [
    "ANSWERS",
    "COMMENTS",
    "COMMUNICATION_LOG",
    "DEMO_PASSWORD",
    "DRAFT_ASSIGNMENTS",
    "DRAFTS",
    "HOME_PAGE",
    "INDEX_PAGE",
    "PLAN_YEAR",
    "SECTORS",
    "UNITS",
    "USERS",
]
