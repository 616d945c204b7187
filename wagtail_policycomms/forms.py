"""Every form of the package.

- Public: the filters of the draft-policy index and the comment form.
- Staff: moderating one comment, a selection or a duplicate group (each carries the
  status(es) the moderator saw, so that a comment someone else handled in the
  meantime is left alone, see ``moderation``); answering comments; themes; editing
  an assignment (the plan's terms read-only for drafting units).
"""

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField
from taggit.models import Tag
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminTagWidget

from .antispam import AntiSpamFormMixin
from .blocks import article_label
from .conf import policycomms_settings
from .formats.text import clean_input, is_blank, normalise_email
from .models import (
    CommenterType,
    CommentStatus,
    ConsultationPage,
    ConsultationStatus,
    Disposition,
    DraftPolicyTopic,
    Sector,
    Unit,
)
from .models.comments import normalise_text
from .moderation import rejection_reasons
from .permissions import manages_plan
from .restricted import is_hidden_page
from .uploads import MultipleFileField, validate_attachments

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
        # A double quote reaches SQLite's full-text MATCH unescaped and fails the query
        # ("unterminated string", wagtail/wagtail#13227); the words are what is searched.
        terms = data.get("q", "").replace('"', " ").strip()
        if terms:
            # Wagtail search gives the matching ids; the filters above stay in the ORM.
            matches = self.index_page.draft_policies().order_by().search(terms)
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


# --- The public comment form ---------------------------------------------------------

WHOLE_DRAFT = ""


class PublicTextField(forms.CharField):
    """Free text typed by the public, cleaned once by ``formats.text.clean_input`` before
    Django's checks: a NUL or control character pasted with the text is removed instead
    of refused, and the length limits count what is stored. A one-line field (the
    default) that holds nothing visible is empty."""

    def __init__(self, *args, multiline=False, **kwargs):
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = clean_input(value, multiline=self.multiline)
        value = super().to_python(value)
        if not self.multiline and is_blank(value):
            return self.empty_value
        return value


class CommentForm(AntiSpamFormMixin, forms.Form):
    """A comment on an open consultation, on the whole draft or on one article.

    Text is stored as ``formats.text.clean_input`` leaves it (NFC, no control or bidi
    characters), trimmed; what the person typed is kept on every error because the
    bound form re-renders it.
    """

    article = forms.ChoiceField(label=_("Comment on"), required=False)
    commenter_type = forms.ChoiceField(
        label=_("You are"),
        choices=CommenterType.choices,
        initial=CommenterType.INDIVIDUAL,
        widget=forms.RadioSelect,
    )
    display_name = PublicTextField(label=_("Your name"), required=False, max_length=200)
    organisation_name = PublicTextField(
        label=_("Organisation, business or agency"),
        required=False,
        max_length=255,
        help_text=_("Required unless you comment as an individual."),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("For your receipt. Never shown publicly."),
    )
    phone = PublicTextField(label=_("Phone (optional)"), required=False, max_length=50)
    address = PublicTextField(label=_("Address (optional)"), required=False, max_length=500)
    body = PublicTextField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 10}), multiline=True
    )
    attachments = MultipleFileField(label=_("Attachments (optional)"), required=False)
    publish_name = forms.BooleanField(
        label=_("Publish my name with my comment"),
        required=False,
        help_text=_('Otherwise your comment is shown as "Anonymous", or under your organisation.'),
    )
    # ConsentPurpose.EMAIL_UPDATES: a purpose of its own, never pre-ticked (notifications).
    email_updates = forms.BooleanField(
        label=_("Email me when my comment is published and when it is answered"),
        required=False,
        help_text=_("Optional. Every such email has a link to stop them."),
    )
    consent = forms.BooleanField(
        label=_("I agree that my personal data is processed to receive and answer my comment."),
        required=True,
        error_messages={"required": _("Please give your consent, or we cannot take your comment.")},
    )

    def __init__(self, *args, consultation, draft=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.draft = draft or consultation.draft_policy
        # Restricted articles (``restricted``) are neither shown nor commented on.
        self.articles = {block.id: block for block in self.draft.public_articles}
        self.fields["article"].choices = [(WHOLE_DRAFT, _("The whole draft"))] + [
            (block.id, article_label(block)) for block in self.articles.values()
        ]
        self.fields["body"].help_text = _("Between %(min)s and %(max)s characters.") % {
            "min": policycomms_settings.COMMENT_MIN_LENGTH,
            "max": policycomms_settings.COMMENT_MAX_LENGTH,
        }
        self.fields["body"].widget.attrs["maxlength"] = policycomms_settings.COMMENT_MAX_LENGTH
        self.fields["attachments"].help_text = attachments_help_text()
        self.cleaned_attachments = []

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean_body(self):
        body = self.cleaned_data["body"]
        minimum = policycomms_settings.COMMENT_MIN_LENGTH
        maximum = policycomms_settings.COMMENT_MAX_LENGTH
        if is_blank(body):  # only zero-width spaces, soft hyphens, bidi marks…
            raise forms.ValidationError(
                _("Your comment has no visible text. Please write your comment."), code="blank"
            )
        if len(body) < minimum:
            raise forms.ValidationError(
                _("Your comment is %(length)s characters long; please write at least %(min)s.")
                % {"length": len(body), "min": minimum},
                code="too_short",
            )
        if len(body) > maximum:
            raise forms.ValidationError(
                _("Your comment is %(length)s characters long; the limit is %(max)s.")
                % {"length": len(body), "max": maximum},
                code="too_long",
            )
        return body

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        self.cleaned_attachments = validate_attachments(files)
        return files

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("commenter_type")
            and cleaned["commenter_type"] != CommenterType.INDIVIDUAL
            and not cleaned.get("organisation_name")
        ):
            self.add_error(
                "organisation_name",
                _("Please give the name of your organisation, business or agency."),
            )
        if cleaned.get("email_updates") and not cleaned.get("email"):
            self.add_error(
                "email_updates",
                _("To be told by email, please give your email address above."),
            )
        return cleaned

    def field_errors_summary(self):
        """Visible fields with errors, for the summary at the top of the form."""
        return [field for field in self.visible_fields() if field.errors]

    @property
    def chosen_article(self):
        return self.articles.get(self.cleaned_data.get("article") or WHOLE_DRAFT)


def attachments_help_text():
    return _("Up to %(count)s files of at most %(size)s MB each: %(kinds)s.") % {
        "count": policycomms_settings.MAX_ATTACHMENTS,
        "size": policycomms_settings.MAX_ATTACHMENT_MB,
        "kinds": ", ".join(kind.upper() for kind in policycomms_settings.ATTACHMENT_KINDS),
    }


# --- Staff: moderation -----------------------------------------------------------------------


class ModerationForm(forms.Form):
    """Reason (when rejecting) and an optional note, for one comment or many."""

    reason = forms.ChoiceField(label=_("Reason"), choices=())
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Kept in the comment's record; never shown to the public."),
    )

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        if action.code == "reject":
            self.fields["reason"].choices = [("", "---------"), *rejection_reasons()]
        else:
            del self.fields["reason"]

    @property
    def moderation_kwargs(self):
        return {
            "reason": self.cleaned_data.get("reason", ""),
            "note": self.cleaned_data.get("note", ""),
        }


class SingleModerationForm(ModerationForm):
    seen_status = forms.ChoiceField(choices=CommentStatus.choices, widget=forms.HiddenInput)

    def clean(self):
        cleaned_data = super().clean()
        seen = cleaned_data.get("seen_status")
        if seen and not self.action.allowed_from(seen):
            raise forms.ValidationError(
                _("“%(action)s” does not apply to a comment that is “%(status)s”.")
                % {"action": self.action.label, "status": CommentStatus(seen).label}
            )
        return cleaned_data


class ManyModerationForm(ModerationForm):
    """For a selection or a group: the statuses its members had when the form was shown."""

    seen_statuses = forms.MultipleChoiceField(
        choices=CommentStatus.choices, widget=forms.MultipleHiddenInput, required=False
    )

    @property
    def expected(self):
        return self.cleaned_data.get("seen_statuses") or None


class VersionsForm(forms.Form):
    """Public: the two published versions of a draft that "What changed and why" compares
    (``changes``); the choices are the draft's published versions, oldest first."""

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(version.revision_id), version.label) for version in versions]
        self.fields["from"] = forms.ChoiceField(label=_("Earlier version"), choices=choices)
        self.fields["to"] = forms.ChoiceField(label=_("Later version"), choices=choices)


# --- Staff: answers and themes ----------------------------------------------------------------


class AnswerForm(forms.Form):
    disposition = forms.ChoiceField(
        label=_("Disposition"), choices=Disposition.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What is accepted and how the draft changes, or why the draft is kept. "
            "Shown to the public under the comment once a moderator publishes it."
        ),
    )
    answering_unit = forms.ModelChoiceField(label=_("Answering unit"), queryset=None)
    implemented_in_article = forms.ChoiceField(
        label=_("Implemented in article"),
        required=False,
        help_text=_(
            "Optional: the article of the revised draft that carries out this answer. "
            "Shown beside the answer on the public pages."
        ),
    )
    separate = forms.BooleanField(
        label=_("Answer this comment separately"),
        required=False,
        help_text=_(
            "Leave unticked to change the answer shared with the other comments; tick to give "
            "this comment its own answer."
        ),
    )

    def __init__(self, *args, units, allow_separate=False, articles=(), **kwargs):
        """``articles``: (block id, label) of the draft's latest version's articles."""
        super().__init__(*args, **kwargs)
        self.fields["answering_unit"].queryset = units
        self.fields["implemented_in_article"].choices = [("", _("No article")), *articles]
        if not allow_separate:
            del self.fields["separate"]

    def clean_text(self):
        text = normalise_text(self.cleaned_data["text"])
        if not text:
            raise forms.ValidationError(_("Write the answer."))
        return text


class ThemesForm(forms.Form):
    themes = TagField(
        label=_("Themes"),
        required=False,
        widget=AdminTagWidget,
        help_text=_("Themes for analysis, such as the part of the draft or the interest raised."),
    )


# --- Staff: the plan's assignments -----------------------------------------------------------

#: What the plan fixes: only those who manage the plan change them. A drafting unit records
#: progress (status, notes, evidence, budget spent), not its own deadline or lead.
PLAN_TERMS = (
    "plan",
    "reference",
    "category",
    "title",
    "lead_unit",
    "lead_unit_text",
    "coordinating_units",
    "draft_policy",
    "starts_on",
    "due_on",
    "time_frame",
    "budget_estimated",
)


class AssignmentForm(WagtailAdminModelForm):
    """The plan's terms are read-only for staff who do not manage the plan (disabled fields
    keep their stored value whatever is posted). A linked draft restricted as a whole is
    left out of the form for staff who may not see it (``restricted.is_hidden_page``): its
    chooser would name it; the link is kept as stored."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and not manages_plan(for_user):
            for name in PLAN_TERMS:
                if name in self.fields:
                    self.fields[name].disabled = True
        draft_id = self.instance.draft_policy_id
        if draft_id is not None and for_user is not None and is_hidden_page(draft_id, for_user):
            self.fields.pop("draft_policy", None)


# --- Public: email subscriptions to new consultations ------------------------------------

SCOPE_ALL, SCOPE_SECTOR, SCOPE_TOPIC = "all", "sector", "topic"


class SubscriptionForm(AntiSpamFormMixin, forms.Form):
    """Subscribe an address to new consultations: all of them, one field or one topic.

    The same abuse controls as the comment form (honeypot, signed time stamp, rate
    limits in the view); its refusals are worded for a subscription. The consent box
    is never ticked in advance.
    """

    email = forms.EmailField(label=_("Email"), max_length=254)
    scope = forms.ChoiceField(
        label=_("Tell me about"),
        choices=[
            (SCOPE_ALL, _("Every new consultation")),
            (SCOPE_SECTOR, _("New consultations in one field")),
            (SCOPE_TOPIC, _("New consultations on one topic")),
        ],
        initial=SCOPE_ALL,
        widget=forms.RadioSelect,
    )
    sector = forms.ModelChoiceField(label=_("Field"), queryset=Sector.objects.all(), required=False)
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Tag.objects.none(), required=False, to_field_name="slug"
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my email address is kept to send me news of new consultations, "
            "until I unsubscribe."
        ),
        required=True,
        error_messages={
            "required": _("Please give your consent, or we cannot send you these emails.")
        },
    )

    #: The antispam refusals, worded for this form (antispam.MESSAGES speak of a comment).
    refusal_messages = {
        "honeypot": _(
            "Your subscription could not be accepted. If you are a person, please send the "
            "form again."
        ),
        "too_fast": _("The form was sent too quickly. Please check it and send it again."),
        "stale": _("The form has expired. Please send it again."),
        "tampered": _("The form could not be checked. Please send it again."),
        "replayed": _("This form has already been sent. Please send it again."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The topics of published draft policies (DraftPolicyPage.topics), by name.
        self.fields["topic"].queryset = Tag.objects.filter(
            pk__in=DraftPolicyTopic.objects.filter(content_object__live=True).values("tag")
        ).order_by("name")

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        scope = cleaned.get("scope")
        if scope == SCOPE_SECTOR and not cleaned.get("sector") and "sector" not in self.errors:
            self.add_error("sector", _("Choose a field."))
        if scope == SCOPE_TOPIC and not cleaned.get("topic") and "topic" not in self.errors:
            self.add_error("topic", _("Choose a topic."))
        # Only the chosen scope counts: a field picked before switching to "every" is ignored.
        if scope != SCOPE_SECTOR:
            cleaned["sector"] = None
        if scope != SCOPE_TOPIC:
            cleaned["topic"] = None
        return cleaned

    def add_refusal(self, refusal):
        from django.utils.translation import ngettext

        from .antispam import RateLimited

        if isinstance(refusal, RateLimited):
            minutes = max(1, -(-refusal.retry_after // 60))
            refusal.message = ngettext(
                "You have sent this form several times in a short time. Please wait %(minutes)s minute and try again.",
                "You have sent this form several times in a short time. Please wait %(minutes)s minutes and try again.",
                minutes,
            ) % {"minutes": minutes}
        elif refusal.reason in self.refusal_messages:
            refusal.message = self.refusal_messages[refusal.reason]
        super().add_refusal(refusal)

    def field_errors_summary(self):
        """Visible fields with errors, for the summary at the top of the form."""
        return [field for field in self.visible_fields() if field.errors]
