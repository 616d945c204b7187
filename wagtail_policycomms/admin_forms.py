"""Forms of the moderation actions: one comment, a bulk selection, a duplicate group.

Each carries the status(es) the moderator saw when the form was shown, so that a
comment someone else handled in the meantime is left alone (see moderation.py).
"""

from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import CommentStatus
from .moderation import TRANSITIONS, rejection_reasons


@dataclass(frozen=True)
class ModerationAction:
    code: str
    label: Promise  # button text
    icon: str
    #: Confirmation question for one comment and message after a change.
    question: Promise
    done_one: Promise

    @property
    def to_status(self):
        return TRANSITIONS[self.code][0]

    def allowed_from(self, status):
        return status in TRANSITIONS[self.code][1]

    def done_many(self, changed, skipped):
        """'N comments approved; M skipped because they had already been handled.'"""
        message = DONE_MANY[self.code](changed) % {"count": changed}
        if skipped:
            message += " " + ngettext(
                "%(count)d skipped because someone else had already handled it "
                "or it was already in that status.",
                "%(count)d skipped because someone else had already handled them "
                "or they were already in that status.",
                skipped,
            ) % {"count": skipped}
        return message


ACTIONS = {
    action.code: action
    for action in (
        ModerationAction(
            "approve",
            _("Approve"),
            "check",
            _("Approve this comment? It will be published on the consultation page."),
            _("Comment %(code)s approved."),
        ),
        ModerationAction(
            "reject",
            _("Reject"),
            "cross",
            _("Reject this comment? It will not be published."),
            _("Comment %(code)s rejected."),
        ),
        ModerationAction(
            "spam",
            _("Mark as spam"),
            "warning",
            _("Mark this comment as spam? It will not be published or counted."),
            _("Comment %(code)s marked as spam."),
        ),
        ModerationAction(
            "pending",
            _("Return to pending"),
            "rotate",
            _("Return this comment to the queue of pending comments?"),
            _("Comment %(code)s returned to pending."),
        ),
    )
}

DONE_MANY = {
    "approve": lambda n: ngettext("%(count)d comment approved.", "%(count)d comments approved.", n),
    "reject": lambda n: ngettext("%(count)d comment rejected.", "%(count)d comments rejected.", n),
    "spam": lambda n: ngettext(
        "%(count)d comment marked as spam.", "%(count)d comments marked as spam.", n
    ),
    "pending": lambda n: ngettext(
        "%(count)d comment returned to pending.", "%(count)d comments returned to pending.", n
    ),
}


def actions_for_status(status):
    """The actions a comment in ``status`` can take (an unverified comment takes none)."""
    return [action for action in ACTIONS.values() if action.allowed_from(status)]


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
