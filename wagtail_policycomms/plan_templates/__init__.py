"""Plans the department has issued, as data that ``policycomms_load_plan`` loads.

A plan is a dict: ``year``, ``number``, ``title``, ``issued_on``, ``summary`` and
``assignments``, each assignment a dict of ``Assignment`` fields plus unit names:

- ``lead_unit``: the exact name of the lead unit, or None when the plan names the lead by
  role (for example the drafting unit); ``lead_unit_text`` keeps the plan's wording.
- ``coordinating_units``: a list of exact unit names, or ``ALL_UNITS`` for "Các phòng, đơn
  vị" (every active unit when the plan is loaded, the lead unit left out).
- ``time_frame``: the plan's wording; the due date is derived from it (``due_date``).

Unit names are Vietnamese proper names: data, never translated. Add a plan by writing a
module like ``y2024`` and listing it in ``PLANS``.
"""

import re
from datetime import date

from . import y2024
from .names import ALL_UNITS

#: The plans that can be loaded, by year.
PLANS = {2024: y2024.PLAN}


def due_date(time_frame, year):
    """The due date that a plan's time frame implies, or None.

    "Năm 2024" means by the end of that year, so the due date is 31/12/2024 and the
    assignment can be overdue. A time frame with a condition ("Năm 2024, khi có hướng
    dẫn, yêu cầu của Sở Tư pháp", "khi có chính sách ban hành ...") is work done when
    asked: a fixed date would raise false "overdue" alarms, so there is no due date and
    the plan's wording is kept in ``time_frame`` for people to read.
    """
    if time_frame.strip().rstrip(".") == f"Năm {year}":
        return date(year, 12, 31)
    return None


def for_year(template, year):
    """The template as a starting point for another year's plan.

    The department issues a plan like this every year. "năm 2024" / "Năm 2024" becomes
    the new year in the title, the time frames (so the due dates follow), and the items'
    titles and descriptions; dates of other documents ("ngày 15/3/2024") are left alone.
    The summary says which plan it follows; number and issue date are for the
    coordinator to fill in, like the references to other documents they should check.
    """
    if year == template["year"]:
        return template
    pattern = re.compile(rf"\b([Nn]ăm) {template['year']}(?!\d)")

    def redate(text):
        return pattern.sub(rf"\g<1> {year}", text)

    return {
        **template,
        "year": year,
        "title": redate(template["title"]),
        "issued_on": None,
        "summary": (
            f"Lập theo mẫu {template['title']} (năm {template['year']}): rà soát các văn bản "
            f"căn cứ, số, ngày ban hành và nội dung từng nhiệm vụ trước khi sử dụng."
        ),
        "assignments": [
            {
                **spec,
                "title": redate(spec["title"]),
                "description": redate(spec["description"]),
                "time_frame": redate(spec["time_frame"]),
            }
            for spec in template["assignments"]
        ],
    }


__all__ = ["ALL_UNITS", "PLANS", "due_date", "for_year"]
