"""Charts drawn on the server as accessible SVG, with the same figures as a table.

One chart is a ``Chart``: a title, a description, and rows of (label, value). Its
``svg()`` is inline SVG markup (a safe string) that:

- is announced as one image (``role="img"``), named by its ``<title>`` and described
  by its ``<desc>`` (``aria-labelledby`` both), each bar also titled with its figure;
- escapes every label (the headings of articles are editors' text);
- holds no script, no link and no resource from anywhere: it prints and reads offline;
- does not rely on colour or on background printing: each bar has a solid outline and
  its figure written beside it, in black.

The same figures are written as a table beside the chart by the template include
``wagtail_policycomms/includes/chart.html`` (figure, caption, table).

``counts_per_day`` counts rows per day on the department's calendar
(``conf.local_zone()``) in one grouped query, on SQLite and PostgreSQL alike.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..conf import local_zone
from . import format_count, format_date

#: Width of the drawing, in SVG units; it scales to its container (CSS ``max-width``).
WIDTH = 640
#: Labels longer than this are cut in the drawing (with "…"); the table has them whole.
LABEL_CHARS = 70
#: Bars: solid fill for the screen, black outline and black figures for paper.
BAR_FILL = "#2b5d8c"
OUTLINE = "#000000"
TEXT = "#000000"


@dataclass
class Chart:
    """A chart and its figures. ``rows`` are (label, value); ``table_labels`` the labels
    written in the table when they differ from the drawing's (days: dd/mm/yyyy in the
    table, dd/mm under the columns). ``kind`` is "bar" (horizontal bars, one per
    label) or "column" (a column per day)."""

    id: str
    title: str
    rows: list
    label_heading: str
    value_heading: str
    description: str = ""
    kind: str = "bar"
    table_labels: list = field(default=None)

    @property
    def total(self):
        return sum(value for _label, value in self.rows)

    @property
    def table_rows(self):
        labels = self.table_labels or [label for label, _value in self.rows]
        return [
            {"label": label, "value": value, "value_text": format_count(value)}
            for label, (_l, value) in zip(labels, self.rows, strict=True)
        ]

    def get_description(self):
        if self.description:
            return self.description
        if not self.rows or not self.total:
            return _("No figures to show.")
        labels = self.table_labels or [label for label, _value in self.rows]
        best = max(range(len(self.rows)), key=lambda i: self.rows[i][1])
        return _("Total: %(total)s. Highest: %(label)s (%(value)s).") % {
            "total": format_count(self.total),
            "label": labels[best],
            "value": format_count(self.rows[best][1]),
        }

    def svg(self):
        body, height = self._columns() if self.kind == "column" else self._bars()
        # Every part is built by format_html, which escapes the labels and the title.
        return mark_safe(  # noqa: S308
            format_html(
                '<svg xmlns="http://www.w3.org/2000/svg" class="pc-chart-svg" role="img" '
                'aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {w} {h}" '
                'width="{w}" height="{h}" focusable="false">'
                '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>',
                id=self.id,
                w=WIDTH,
                h=height,
                title=self.title,
                desc=self.get_description(),
            )
            + body
            + "</svg>"
        )

    # --- Drawing ---------------------------------------------------------------------------

    def _bars(self):
        """One bar per row: its label above, the bar, its figure after the bar."""
        row_height, top = 42, 8
        largest = max([value for _label, value in self.rows] + [1])
        room = WIDTH - 80  # leaves space for the figure after the longest bar
        parts = []
        labels = self.table_labels or [label for label, _value in self.rows]
        for i, (label, value) in enumerate(self.rows):
            y = top + i * row_height
            width = round(room * value / largest, 1) if value else 0
            parts.append(
                format_html(
                    '<text x="0" y="{ty}" font-size="13" fill="{text}" font-family="sans-serif">{label}</text>'
                    '<rect x="0" y="{by}" width="{bw}" height="16" fill="{fill}" '
                    'stroke="{outline}" stroke-width="1"><title>{full}: {value}</title></rect>'
                    '<text x="{vx}" y="{vy}" font-size="13" fill="{text}" font-family="sans-serif">{value}</text>',
                    ty=y + 12,
                    by=y + 17,
                    bw=width,
                    vx=width + 6,
                    vy=y + 30,
                    label=_cut(str(label)),
                    full=labels[i],
                    value=format_count(value),
                    fill=BAR_FILL,
                    outline=OUTLINE,
                    text=TEXT,
                )
            )
        height = top + max(len(self.rows), 1) * row_height
        return "".join(parts), height

    def _columns(self):
        """A column per day over a baseline, the largest figure marked on the axis; every
        column titled with its day and figure; dd/mm under every few columns."""
        left, top, plot, bottom = 44, 12, 180, 40
        count = max(len(self.rows), 1)
        step = (WIDTH - left - 4) / count
        largest = max([value for _label, value in self.rows] + [1])
        every = max(1, math.ceil(count / 10))
        labels = self.table_labels or [label for label, _value in self.rows]
        baseline = top + plot
        parts = [
            format_html(
                '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="{o}" stroke-width="1"/>'
                '<line x1="{l}" y1="{t}" x2="{l}" y2="{b}" stroke="{o}" stroke-width="1"/>'
                '<text x="{tx}" y="{ty}" font-size="12" text-anchor="end" fill="{text}" '
                'font-family="sans-serif">{largest}</text>'
                '<text x="{tx}" y="{by}" font-size="12" text-anchor="end" fill="{text}" '
                'font-family="sans-serif">0</text>',
                l=left,
                r=WIDTH - 2,
                t=top,
                b=baseline,
                tx=left - 4,
                ty=top + 4,
                by=baseline,
                o=OUTLINE,
                text=TEXT,
                largest=format_count(largest),
            )
        ]
        for i, (label, value) in enumerate(self.rows):
            x = round(left + i * step + step * 0.15, 1)
            width = round(step * 0.7, 1)
            height = round(plot * value / largest, 1)
            parts.append(
                format_html(
                    '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" '
                    'stroke="{o}" stroke-width="1"><title>{full}: {value}</title></rect>',
                    x=x,
                    y=round(baseline - height, 1),
                    w=width,
                    h=height,
                    fill=BAR_FILL,
                    o=OUTLINE,
                    full=labels[i],
                    value=format_count(value),
                )
            )
            if i % every == 0:
                parts.append(
                    format_html(
                        '<text x="{x}" y="{y}" font-size="11" text-anchor="middle" '
                        'fill="{text}" font-family="sans-serif">{label}</text>',
                        x=round(x + width / 2, 1),
                        y=baseline + 16,
                        text=TEXT,
                        label=_cut(str(label)),
                    )
                )
        return "".join(parts), top + plot + bottom


def _cut(label):
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


# --- Figures ---------------------------------------------------------------------------------


def local_days(start, end):
    """Every date from ``start`` to ``end`` (dates, both included)."""
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def local_bounds(start, end):
    """``(since, until)``: the first moment of local day ``start`` and of the day after
    ``end``, to filter ``since <= moment < until``."""
    zone = local_zone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def counts_per_day(queryset, field_name, start, end):
    """``[(date, count)]`` for every day from ``start`` to ``end`` (local dates, both
    included, days without rows at 0): ``queryset``'s rows by the local date of
    ``field_name``. One grouped query; the day is taken on the department's clock in the
    database (``TruncDate`` with ``local_zone()``), whatever the server's time zone."""
    zone = local_zone()
    since, until = local_bounds(start, end)
    rows = (
        queryset.filter(**{f"{field_name}__gte": since, f"{field_name}__lt": until})
        .annotate(pc_day=TruncDate(field_name, tzinfo=zone))
        .values("pc_day")
        .annotate(pc_count=Count("pk"))
        .order_by()
    )
    found = {row["pc_day"]: row["pc_count"] for row in rows}
    return [(day, found.get(day, 0)) for day in local_days(start, end)]


def daily_chart(chart_id, title, days, *, value_heading=None, description=""):
    """A column chart of ``days`` (``counts_per_day``): dd/mm under the columns, dd/mm/yyyy
    in the table."""
    return Chart(
        id=chart_id,
        title=title,
        rows=[(day.strftime("%d/%m"), value) for day, value in days],
        table_labels=[format_date(day) for day, _value in days],
        label_heading=_("Day"),
        value_heading=value_heading or _("Comments"),
        description=description,
        kind="column",
    )


def bar_chart(chart_id, title, rows, *, label_heading, value_heading=None, description=""):
    """A horizontal bar chart of ``rows``, (label, value) in the order given."""
    return Chart(
        id=chart_id,
        title=title,
        rows=[(str(label), value) for label, value in rows],
        label_heading=label_heading,
        value_heading=value_heading or _("Comments"),
        description=description,
    )
