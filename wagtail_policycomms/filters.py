"""Every filter and search of the admin listings.

- The moderation queue (``PublicCommentFilterSet`` and ``search_comments``): the ONE
  definition of what the queue shows, used by the listing, its CSV/XLSX exports
  (``exports.CommentExportMixin`` exports the queue as filtered and searched) and
  the bulk actions (``filtered_comments``). "Select all in listing" sends the
  listing's query string to the bulk action, so a bulk action never reaches
  comments the moderator did not see in the filtered queue.
- The duplicate groups view (``CommentGroupFilterSet``).
- The plan's assignments (``AssignmentFilterSet``); "overdue" through
  ``models.plans.overdue_q``, the one rule.
"""

import re
from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery
from django.db.models.functions import Left, Length
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.widgets import BooleanRadioSelect

from .blocks import ArticleLabels
from .conf import local_zone
from .models import (
    AnswerState,
    Assignment,
    AssignmentCategory,
    AssignmentStatus,
    Campaign,
    CommentAttachment,
    CommenterType,
    CommentStatus,
    CommentTheme,
    CommunicationPlan,
    ConsultationPage,
    DraftPolicyPage,
    PublicComment,
    Unit,
)
from .models.comments import EmailStatus
from .models.plans import local_today, overdue_q
from .permissions import can_view_personal_data
from .restricted import without_hidden

#: The queue opens on comments waiting for a moderator.
DEFAULT_STATUS = CommentStatus.PENDING
#: Value of the article filter for comments on the whole draft (article_id = "").
WHOLE_DRAFT = "-"
#: How many of the largest duplicate groups the group filter offers.
GROUP_CHOICES = 20
#: Values of the queue's campaign filter besides a campaign's id.
IN_CAMPAIGN, NO_CAMPAIGN = "any", "none"
#: Choices of the assignments' "due within" filter, in days.
DUE_WITHIN_CHOICES = (7, 14, 30)
#: Treebeard's path step: a page's parent has the path minus its last step.
PATH_STEP = 4


# --- Annotations --------------------------------------------------------------------------


def draft_title_of(path_ref):
    """Title of the draft policy page above a consultation, as a subquery (no query per row)."""
    return Subquery(
        DraftPolicyPage.objects.filter(path=Left(path_ref, Length(path_ref) - PATH_STEP)).values(
            "title"
        )[:1]
    )


def request_user(request):
    """The request's user; an anonymous one when a filter set is built without a request."""
    return getattr(request, "user", None) or AnonymousUser()


def visible_drafts(request):
    """The drafts the draft filters offer: not those ``restricted.without_hidden`` hides."""
    return without_hidden(DraftPolicyPage.objects.order_by("title"), request_user(request))


def consultations_with_draft_title(request=None):
    """Rounds with their draft's title, as the consultation filters offer them: not those
    ``restricted.without_hidden`` hides from the request's user."""
    rounds = without_hidden(ConsultationPage.objects.all(), request_user(request))
    return rounds.annotate(policy_title=draft_title_of(OuterRef("path"))).order_by(
        "policy_title", "title"
    )


def consultation_label(consultation):
    draft_title = getattr(consultation, "policy_title", None)
    return f"{draft_title} – {consultation.title}" if draft_title else consultation.title


#: What a receipt code looks like, whole or its beginning: GY-2026-000123, gy-2026-0001.
RECEIPT_CODE_LIKE = re.compile(r"^[A-Za-z]+-\d[\d-]*$")


def search_comments(queryset, query, user):
    """Database search over the text, names and receipt code.

    The text fields are matched as a case-insensitive substring (``icontains``, an
    ILIKE on PostgreSQL), as before. On PostgreSQL migration 0006 gives each of them a
    trigram (``pg_trgm``) GIN index on exactly the expression Django writes,
    ``UPPER(column::text)``, so the match is an index scan instead of reading a
    million rows. Full-text search (``SearchVector``) was not chosen: PostgreSQL has
    no Vietnamese configuration, it matches whole words only, and it would change
    what a moderator's search finds; the trigram index keeps today's meaning.

    A receipt code is matched by its beginning, and only when the query looks like a
    code (``RECEIPT_CODE_LIKE``): that uses the code's unique index, and a query such
    as "2026" no longer matches every code of the year.

    Names are searched only for staff allowed to see them: a match would otherwise
    reveal the name of a commenter who chose not to publish it.
    """
    if not query:
        return queryset
    fields = ["body", "organisation_name"]
    if can_view_personal_data(user):
        fields.append("display_name")
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": query})
    if RECEIPT_CODE_LIKE.match(query):
        # Case-sensitive, so the unique code's pattern index serves it: codes are
        # issued in capitals, and a code typed as stored is matched as well.
        condition |= Q(receipt_code__startswith=query.upper()) | Q(receipt_code__startswith=query)
    return queryset.filter(condition)


def group_rows(queryset):
    """One row per duplicate group of ``queryset``: consultation, text hash, size, statuses."""
    counts = {
        f"count_{status.value}": Count("pk", filter=Q(status=status)) for status in CommentStatus
    }
    return (
        queryset.order_by()
        .values("consultation", "consultation__title", "text_hash")
        .annotate(size=Count("pk"), representative=Min("pk"), first=Min("submitted_at"), **counts)
    )


def group_label(body, size):
    return ngettext(
        "“%(text)s” (a group of %(size)d comment)",
        "“%(text)s” (a group of %(size)d comments)",
        size,
    ) % {"text": Truncator(body).chars(60), "size": size}


# --- Form fields --------------------------------------------------------------------------


class LenientChoiceField(forms.ChoiceField):
    """Offers a few choices but accepts any value: a stale or unlisted choice (an article of
    another consultation, a small group) must not invalidate the whole filter form.

    "All" comes first: a select with no empty option sends its first choice with every
    search the browser makes (a search of the queue found only comments on the whole
    draft, or in the largest group)."""

    def __init__(self, *, choices=(), **kwargs):
        super().__init__(choices=[("", _("All")), *choices], **kwargs)

    def valid_value(self, value):
        return bool(value)


class ConsultationChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return consultation_label(obj)


class ConsultationFilter(django_filters.ModelChoiceFilter):
    field_class = ConsultationChoiceField


class LenientChoiceFilter(django_filters.ChoiceFilter):
    field_class = LenientChoiceField


# --- The queue's filters ------------------------------------------------------------------


class CommentScopeFilterSet(WagtailFilterSet):
    """Comments of one draft policy (all its rounds) or of one consultation, and the defaults
    a listing opens on (``defaults``: a parameter absent from the query string)."""

    draft = django_filters.ModelChoiceFilter(
        label=_("Draft policy"),
        queryset=visible_drafts,
        method="filter_draft",
    )
    consultation = ConsultationFilter(
        label=_("Consultation"), queryset=consultations_with_draft_title
    )

    defaults = {}

    class Meta:
        model = PublicComment
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        missing = {k: v for k, v in self.defaults.items() if data is not None and k not in data}
        if missing:
            data = data.copy()
            data.update(missing)
        super().__init__(data, *args, **kwargs)

    def filter_draft(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(consultation__in=ConsultationPage.objects.descendant_of(value))


class PublicCommentFilterSet(CommentScopeFilterSet):
    #: No status asked for: the queue of pending comments, shown as chosen in the form.
    defaults = {"status": DEFAULT_STATUS}

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=CommentStatus.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
        initial=DEFAULT_STATUS,
    )
    article = LenientChoiceFilter(label=_("Article"), method="filter_article", choices=[])
    commenter_type = django_filters.ChoiceFilter(
        label=_("Commenter type"),
        choices=CommenterType.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    submitted = django_filters.DateFromToRangeFilter(
        label=_("Submitted"), method="filter_submitted", widget=DateRangePickerWidget
    )
    has_attachment = django_filters.BooleanFilter(
        label=_("Has attachment"), method="filter_has_attachment", widget=BooleanRadioSelect
    )
    email_not_delivered = django_filters.BooleanFilter(
        label=_("Email not delivered"),
        method="filter_email_not_delivered",
        widget=BooleanRadioSelect,
        help_text=_(
            "Comments whose verification or receipt email the mail server refused, "
            "after every attempt."
        ),
    )
    answer_state = django_filters.ChoiceFilter(
        label=_("Answer"),
        choices=AnswerState.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
        method="filter_answer_state",
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=lambda request: Tag.objects.filter(
            pk__in=CommentTheme.objects.values("tag_id")
        ).order_by("name"),
        method="filter_theme",
    )
    duplicates = django_filters.ChoiceFilter(
        label=_("Duplicates"),
        choices=[("grouped", _("In a duplicate group")), ("unique", _("Not duplicated"))],
        empty_label=_("All"),
        widget=forms.RadioSelect,
        method="filter_duplicates",
    )
    group = LenientChoiceFilter(
        label=_("Duplicate group"),
        method="filter_group",
        choices=[],
        help_text=_(
            "Choose a consultation or draft policy first to list its largest groups, "
            "or open a group from the duplicate groups page."
        ),
    )
    campaign = LenientChoiceFilter(
        label=_("Campaign"),
        method="filter_campaign",
        choices=[],
        help_text=_(
            "Near-identical comments grouped as one campaign. Open a campaign from the "
            "campaigns page to list its members."
        ),
    )

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["article"].extra["choices"] = self.article_choices()
        self.filters["group"].extra["choices"] = self.group_choices()
        self.filters["campaign"].extra["choices"] = self.campaign_choices()

    def campaign_choices(self):
        """In one, in none, and the campaign asked for under its number (no query)."""
        choices = [(IN_CAMPAIGN, _("In a campaign")), (NO_CAMPAIGN, _("Not in a campaign"))]
        asked = self._chosen("campaign")
        if asked and asked.isdigit():
            choices.append((asked, _("Campaign %(id)s") % {"id": asked}))
        return choices

    def _chosen(self, name):
        return (self.data or {}).get(name) or None

    def _scope(self):
        """Comments of the chosen consultation or draft: what the group list offers."""
        comments = without_hidden(
            PublicComment.objects.order_by(), request_user(self.request), "consultation_id"
        )
        consultation, draft = self._chosen("consultation"), self._chosen("draft")
        if consultation and consultation.isdigit():
            comments = comments.filter(consultation_id=consultation)
        elif draft and draft.isdigit():
            comments = self.filter_draft(
                comments, "draft", DraftPolicyPage.objects.filter(pk=draft).first()
            )
        return comments

    def _chosen_draft(self):
        """The draft policy chosen, itself or through one of its consultations (one query)."""
        consultation, draft = self._chosen("consultation"), self._chosen("draft")
        if consultation and consultation.isdigit():
            parent_path = ConsultationPage.objects.filter(pk=consultation).values(
                parent=Left("path", Length("path") - PATH_STEP)
            )[:1]
            return visible_drafts(self.request).filter(path=Subquery(parent_path)).first()
        if draft and draft.isdigit():
            return visible_drafts(self.request).filter(pk=draft).first()
        return None

    def article_choices(self):
        """The chosen draft's articles, in the draft's order, named as everywhere else
        (``blocks.article_label``): read from the draft's own blocks, never from the
        comments (a DISTINCT over a million comments cost half a second a page).

        With no draft chosen, only the article asked for is offered, under its id, so
        the form shows it; ``LenientChoiceField`` accepts any other value. Restricted
        articles are offered, marked, only to staff who may view restricted content
        (``blocks.ArticleLabels``)."""
        choices = [(WHOLE_DRAFT, _("Whole draft"))]
        draft = self._chosen_draft()
        if draft is not None:
            user = getattr(self.request, "user", None)
            choices += ArticleLabels(draft.articles, for_user=user).choices()
        asked = self._chosen("article")
        if asked and asked not in dict(choices):
            choices.append((asked, asked))
        return choices

    def group_choices(self):
        """The largest groups of the chosen consultation or draft (grouping the whole
        database on every page load would cost too much), and the group asked for.

        Two bounded queries: the sizes, counted on the ``pc_comment_text_hash`` index
        (consultation, text_hash) alone; then one member and its text per group, each
        an index lookup of its own, all in one statement."""
        rows = []
        if self._chosen("consultation") or self._chosen("draft"):
            rows = list(
                self._scope()
                .values("consultation_id", "text_hash")
                .annotate(size=Count("*"))
                .filter(size__gte=2)
                .order_by("-size", "consultation_id", "text_hash")[:GROUP_CHOICES]
            )
        chosen = self._chosen("group")
        member = (
            chosen
            and chosen.isdigit()
            and without_hidden(
                PublicComment.objects.filter(pk=chosen),
                request_user(self.request),
                "consultation_id",
            )
            .values("pk", "consultation_id", "text_hash")
            .first()
        )
        if member:
            # Offered under the id asked for, which may be any member of the group.
            for row in rows:
                if (row["consultation_id"], row["text_hash"]) == (
                    member["consultation_id"],
                    member["text_hash"],
                ):
                    row["representative"] = member["pk"]
                    break
            else:
                size = PublicComment.objects.filter(
                    consultation_id=member["consultation_id"], text_hash=member["text_hash"]
                ).count()
                rows.append({**member, "representative": member["pk"], "size": size})
        if not rows:
            return []
        one_member = Q()
        for row in rows:
            if "representative" in row:
                one_member |= Q(pk=row["representative"])
            else:
                first = PublicComment.objects.filter(
                    consultation_id=row["consultation_id"], text_hash=row["text_hash"]
                ).order_by()
                one_member |= Q(pk=Subquery(first.values("pk")[:1]))
        members = {
            (consultation, digest): (pk, body)
            for pk, consultation, digest, body in PublicComment.objects.filter(
                one_member
            ).values_list("pk", "consultation_id", "text_hash", "body")
        }
        choices = []
        for row in rows:
            pk, body = members.get((row["consultation_id"], row["text_hash"]), (None, ""))
            pk = row.get("representative", pk)
            if pk is not None:
                choices.append((str(pk), group_label(body, row["size"])))
        return choices

    # Filter methods. Each builds on indexed columns or a correlated subquery, never a
    # per-row query.

    def filter_article(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(article_id="" if value == WHOLE_DRAFT else value)

    def filter_submitted(self, queryset, name, value):
        """Whole days on the consultation's wall clock (Asia/Ho_Chi_Minh), whatever the server's."""
        zone = local_zone()
        if value and value.start:
            day = timezone.localtime(value.start).date()
            queryset = queryset.filter(submitted_at__gte=datetime.combine(day, time.min, zone))
        if value and value.stop:
            day = timezone.localtime(value.stop).date() + timedelta(days=1)
            queryset = queryset.filter(submitted_at__lt=datetime.combine(day, time.min, zone))
        return queryset

    def filter_has_attachment(self, queryset, name, value):
        if value is None:
            return queryset
        has_file = Exists(CommentAttachment.objects.filter(comment=OuterRef("pk")))
        return queryset.filter(has_file if value else ~has_file)

    def filter_email_not_delivered(self, queryset, name, value):
        """On the partial ``pc_comment_email_failed`` index: the few undelivered among many."""
        if value is None:
            return queryset
        failed = Q(email_status=EmailStatus.FAILED)
        return queryset.filter(failed) if value else queryset.exclude(failed)

    def filter_answer_state(self, queryset, name, value):
        return queryset.with_answer_state(value) if value else queryset

    def filter_theme(self, queryset, name, value):
        if not value:
            return queryset
        tagged = CommentTheme.objects.filter(tag=value).values("content_object_id")
        return queryset.filter(pk__in=tagged)

    def filter_duplicates(self, queryset, name, value):
        if not value:
            return queryset
        queryset = queryset.with_group_size()
        return (
            queryset.filter(group_size__gte=2)
            if value == "grouped"
            else queryset.filter(group_size=1)
        )

    def filter_campaign(self, queryset, name, value):
        """On the signatures' ``campaign`` index (``PublicCommentQuerySet.in_campaign``);
        an unknown value filters nothing."""
        if value == IN_CAMPAIGN:
            return queryset.in_any_campaign()
        if value == NO_CAMPAIGN:
            return queryset.in_any_campaign(False)
        if value and str(value).isdigit():
            return queryset.in_campaign(int(value))
        return queryset

    def filter_group(self, queryset, name, value):
        if not value or not str(value).isdigit():
            return queryset
        member = PublicComment.objects.filter(pk=value)
        return queryset.filter(
            consultation_id=Subquery(member.values("consultation_id")[:1]),
            text_hash=Subquery(member.values("text_hash")[:1]),
        )


def filtered_comments(request, queryset=None):
    """The queue as the moderator sees it, with the request's filters and search applied.

    Filters that do not validate select nothing: acting on the whole database instead
    would change comments the moderator never saw.
    """
    queryset = PublicComment.objects.all() if queryset is None else queryset
    queryset = without_hidden(queryset, request_user(request), "consultation_id")
    filters = PublicCommentFilterSet(request.GET, queryset=queryset, request=request)
    if not filters.is_valid():
        return queryset.none()
    return search_comments(filters.qs, request.GET.get("q", "").strip(), request.user)


# --- The group view's filters -------------------------------------------------------------


class CommentGroupFilterSet(CommentScopeFilterSet):
    """Filters applied to the members before grouping (consultation, draft) or to the groups."""

    defaults = {"min_size": "2"}
    min_size = django_filters.NumberFilter(
        label=_("Smallest group size"),
        method="filter_min_size",
        initial=2,
        widget=forms.NumberInput(attrs={"min": "1"}),
    )

    def filter_min_size(self, queryset, name, value):
        # Applied by the view after grouping (a HAVING clause).
        return queryset


class CampaignFilterSet(CommentScopeFilterSet):
    """The campaigns view: campaigns of one consultation or of one draft's rounds."""

    class Meta:
        model = Campaign
        fields = []


# --- The plan's assignments ------------------------------------------------------------------


class AssignmentFilterSet(WagtailFilterSet):
    plan = django_filters.ModelChoiceFilter(
        label=_("Plan"), queryset=lambda request: CommunicationPlan.objects.all()
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"),
        queryset=lambda request: Unit.objects.order_by("name"),
        method="filter_unit",
        help_text=_("Leading (or drafting the linked policy) or coordinating."),
    )
    category = django_filters.ChoiceFilter(
        label=_("Activity"), choices=AssignmentCategory.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=AssignmentStatus.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"), method="filter_overdue", widget=BooleanRadioSelect
    )
    due_within = django_filters.ChoiceFilter(
        label=_("Due within"),
        choices=[
            (str(days), ngettext("%(days)d day", "%(days)d days", days) % {"days": days})
            for days in DUE_WITHIN_CHOICES
        ],
        empty_label=_("Any time"),
        method="filter_due_within",
        help_text=_("Still to do and due today or in the next days (not yet overdue)."),
    )

    class Meta:
        model = Assignment
        fields = []

    @cached_property
    def today(self):
        return local_today()

    def filter_unit(self, queryset, name, value):
        """Led, coordinated, or (lead named by role) drafted by the unit, without a join that
        would repeat rows."""
        if not value:
            return queryset
        return queryset.involving([value.pk])

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = overdue_q(self.today)
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_due_within(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.due_within(int(value), today=self.today)
