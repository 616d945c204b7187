"""Public forms: the filters of the draft-policy index."""

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from .models import ConsultationPage, ConsultationStatus, DraftPolicyTopic, Sector, Unit

NO_CONSULTATION = "none"


class PolicyIndexFilterForm(forms.Form):
    """Filters for a PolicyIndexPage. Choices list only what the section contains."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False)
    sector = forms.ModelChoiceField(
        label=_("Field"), queryset=Sector.objects.none(), required=False, empty_label=_("All")
    )
    unit = forms.ModelChoiceField(
        label=_("Drafting unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All")
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Tag.objects.none(),
        required=False,
        empty_label=_("All"),
        to_field_name="slug",
    )

    def __init__(self, *args, index_page, **kwargs):
        super().__init__(*args, **kwargs)
        self.index_page = index_page
        drafts = index_page.draft_policies().order_by()
        self.fields["status"].choices = [
            ("", _("All")),
            *ConsultationStatus.choices,
            (NO_CONSULTATION, _("No consultation yet")),
        ]
        self.fields["sector"].queryset = Sector.objects.filter(pk__in=drafts.values("sector"))
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=drafts.values("drafting_unit"))
        self.fields["topic"].queryset = Tag.objects.filter(
            pk__in=DraftPolicyTopic.objects.filter(content_object__in=drafts).values("tag")
        ).order_by("name")

    def filter(self, drafts, now):
        if not self.is_bound:
            return drafts
        # A field with an invalid value (an unknown unit, a bogus status) shows its
        # error and is left out of cleaned_data; the valid filters still apply, so
        # the results match what the form shows as chosen.
        self.is_valid()
        data = self.cleaned_data
        if data.get("sector"):
            drafts = drafts.filter(sector=data["sector"])
        if data.get("unit"):
            drafts = drafts.filter(drafting_unit=data["unit"])
        if data.get("topic"):
            drafts = drafts.filter(tagged_topics__tag=data["topic"])
        if data.get("status"):
            drafts = self.filter_status(drafts, data["status"], now)
        if data.get("q", "").strip():
            # Wagtail search gives the matching ids; the filters above stay in the ORM.
            matches = self.index_page.draft_policies().order_by().search(data["q"].strip())
            drafts = drafts.filter(pk__in=[page.pk for page in matches])
        return drafts

    @staticmethod
    def filter_status(drafts, status, now):
        """Match the status that the listing shows: that of the draft's current round."""
        rounds = (
            ConsultationPage.objects.live()
            .public()
            .filter(path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1)
        )

        def has(status_value):
            return Exists(rounds.with_status(status_value, now))

        has_open = has(ConsultationStatus.OPEN)
        has_upcoming = has(ConsultationStatus.UPCOMING)
        if status == ConsultationStatus.OPEN:
            return drafts.filter(has_open)
        if status == ConsultationStatus.UPCOMING:
            return drafts.filter(has_upcoming).exclude(has_open)
        if status == ConsultationStatus.CLOSED:
            return (
                drafts.filter(has(ConsultationStatus.CLOSED))
                .exclude(has_open)
                .exclude(has_upcoming)
            )
        return drafts.exclude(Exists(rounds))

    def query_string_without_page(self):
        """The current filters, to keep them in pagination links."""
        if not self.is_bound:
            return ""
        pairs = [(k, v) for k, v in self.data.items() if k != "page" and v]
        return urlencode(pairs)
