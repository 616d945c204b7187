"""The reports' filters (django-filter FilterSets over no model: the figures come from
``data``, the FilterSets only read and validate the choices).

A missing parameter takes its default, written into the form's data so the form
shows what the report is about; a value that does not validate is shown back as
typed with the message next to its field.
"""

from datetime import date

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import AdminDateInput

from ..formats import DATE_INPUT_FORMATS, format_date
from ..models import CommunicationPlan
from .data import current_year

#: How the date fields show a date (as ``WAGTAIL_DATE_FORMAT``); they read every format of
#: ``formats.DATE_INPUT_FORMATS``. The defaults are written the same way, as if typed.
DATE_FORMAT = DATE_INPUT_FORMATS[0]
#: Decision 407/QĐ-TTg dates from 2022: no report is about an earlier year.
FIRST_YEAR = 2022


def year_choices():
    years = set(range(FIRST_YEAR, current_year() + 2))
    years |= set(CommunicationPlan.objects.values_list("year", flat=True))
    return [(str(year), str(year)) for year in sorted(years, reverse=True)]


def with_defaults(data, defaults):
    """The GET data with a default for each missing parameter (an empty one stays empty)."""
    data = data.copy()
    for name, value in defaults.items():
        if name not in data:
            data[name] = value
    return data


class ReportFilterSet(WagtailFilterSet):
    """django-filter needs a model; these FilterSets filter nothing, they read the choices."""

    class Meta:
        model = CommunicationPlan
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices read from the database once per request, not at each use of the field.
        for filter_ in self.filters.values():
            if callable(filter_.extra.get("choices")):
                filter_.extra["choices"] = list(filter_.extra["choices"]())

    def keep(self, queryset, name, value):
        return queryset


class ComplianceFilterSet(ReportFilterSet):
    year = django_filters.ChoiceFilter(
        label=_("Year"), choices=year_choices, empty_label=None, method="keep"
    )

    @staticmethod
    def defaults():
        return {"year": str(current_year())}


#: Dates a report period may span: from the year Decision 407 was issued to a far future.
EARLIEST, LATEST = date(FIRST_YEAR, 1, 1), date(2100, 12, 31)


class PeriodForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        for name in ("date_from", "date_to"):
            value = cleaned.get(name)
            if value and not EARLIEST <= value <= LATEST:
                self.add_error(
                    name,
                    _("Give a date between %(earliest)s and %(latest)s.")
                    % {
                        "earliest": format_date(EARLIEST),
                        "latest": format_date(LATEST),
                    },
                )
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


def date_filter(label):
    """A required dd/mm/yyyy date of a report's period (read by the form, not filtering)."""
    return django_filters.DateFilter(
        label=label,
        required=True,
        input_formats=DATE_INPUT_FORMATS,
        widget=AdminDateInput(format=DATE_FORMAT),
        method="keep",
    )


class PeriodFilterSet(ReportFilterSet):
    date_from = date_filter(_("From"))
    date_to = date_filter(_("To"))

    class Meta(ReportFilterSet.Meta):
        form = PeriodForm

    @staticmethod
    def defaults():
        from ..models import local_today

        today = local_today()
        return {
            "date_from": date(today.year, 1, 1).strftime(DATE_FORMAT),
            "date_to": today.strftime(DATE_FORMAT),
        }


class AssignmentsByUnitFilterSet(ReportFilterSet):
    plan = django_filters.ModelChoiceFilter(
        label=_("Plan"),
        queryset=CommunicationPlan.objects.order_by("-year", "title"),
        empty_label=_("All plans"),
        method="keep",
    )
    year = django_filters.ChoiceFilter(
        label=_("Year of the plan"),
        choices=lambda: [
            (str(y), str(y))
            for y in CommunicationPlan.objects.order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        ],
        empty_label=_("All years"),
        method="keep",
    )

    @staticmethod
    def defaults():
        return {}
