"""How this package's audit-log actions read in Wagtail's history views and site history.

``moderation.LOG_ACTIONS`` names the actions; this module gives each a label (the
filter choice: "Approve comment") and a past-tense message ("Comment approved").
Registered with the ``register_log_actions`` hook in ``wagtail_hooks.py``.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter

from .models import Disposition
from .moderation import LOG_ACTIONS, reason_label

#: Action code → (label, message) for the actions whose message needs no data.
SIMPLE = {
    "approve": (_("Approve comment"), _("Comment approved")),
    "spam": (_("Mark comment as spam"), _("Comment marked as spam")),
    "pending": (_("Return comment to pending"), _("Comment returned to pending")),
    "verify": (_("Verify commenter's email"), _("Commenter's email verified")),
    "answer_publish": (_("Publish answer"), _("Answer published")),
    "answer_unpublish": (_("Unpublish answer"), _("Answer unpublished")),
    "export": (_("Export comments"), _("Comment exported")),
    "synthesis": (_("Generate synthesis report"), _("Comment included in a synthesis report")),
}


class NoteFormatter(LogFormatter):
    """The moderator's note, when there is one, shows as the entry's comment."""

    message = ""

    def format_comment(self, log_entry):
        return (log_entry.data or {}).get("note", "")


class RejectFormatter(NoteFormatter):
    label = _("Reject comment")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        code = data.get("reason", "")
        # The configured label in the reader's language; the label stored when the
        # comment was rejected if the reason has since been removed from the settings.
        label = reason_label(code) if code else ""
        if label == code:
            label = data.get("reason_label") or code
        if not label:
            return _("Comment rejected")
        return _("Comment rejected: %(reason)s") % {"reason": label}


class AnswerFormatter(LogFormatter):
    label = _("Answer comment")

    def format_message(self, log_entry):
        disposition = (log_entry.data or {}).get("disposition")
        if disposition in Disposition.values:
            return _("Answer recorded: %(disposition)s") % {
                "disposition": Disposition(disposition).label
            }
        return _("Answer recorded")


def register_log_actions(actions):
    for code, (label, message) in SIMPLE.items():
        formatter = type(
            f"{code.title().replace('_', '')}Formatter",
            (NoteFormatter,),
            {"label": label, "message": message},
        )
        actions.register_action(LOG_ACTIONS[code])(formatter)
    actions.register_action(LOG_ACTIONS["reject"])(RejectFormatter)
    actions.register_action(LOG_ACTIONS["answer"])(AnswerFormatter)
