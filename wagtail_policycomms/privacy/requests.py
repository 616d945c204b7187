"""What is done for a data-subject request (``models.data_requests``, docs/data-requests.md).

- ``find(email, user)``: everything the portal holds under one address (comments with their
  consent records and attachments, subscriptions, email opt-outs), in a fixed number of
  queries whatever the number of comments.
- ``export_json(found, request)``, ``export_xlsx(found)``: that, as a file for the person: their own data only
  (never a moderator's note, an answer's internal fields or anyone else's comment).
- ``correct_comment``: a comment's personal fields changed on request.
- ``anonymise_comments(queryset)``: every personal field of those comments blanked (the
  comment's text, article, consent record and status stay: the comment is part of a
  consultation's dossier); with ``delete_subscriptions`` the person's subscriptions deleted.
- The audit entries (``log``): on the request, with counts only, never the data.

No function here writes a comment's status: that is ``moderation``'s alone.
"""

import io
import json
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from wagtail.log_actions import LogFormatter
from wagtail.log_actions import log as log_action

from ..formats import format_datetime_attribute, xlsx
from ..formats.text import normalise_email
from ..formats.xlsx import SheetLayout
from ..models import CommentAttachment, PublicComment
from ..models.subscriptions import EmailOptOut, Subscription
from ..restricted import RESTRICTED_DRAFT, is_hidden_page
from .retention import blanked_values

#: The audit-log actions of a request (``register_log_actions``).
LOG_ACTIONS = {
    "created": "wagtail_policycomms.dsr_created",
    "exported": "wagtail_policycomms.dsr_exported",
    "corrected": "wagtail_policycomms.dsr_corrected",
    "anonymised": "wagtail_policycomms.dsr_anonymised",
    "completed": "wagtail_policycomms.dsr_completed",
}

#: The personal fields of a comment a person may have corrected.
CORRECTABLE_FIELDS = ("display_name", "email", "phone", "address")

#: What a comment of the person's export holds (their own data; no moderation fields).
EXPORTED_COMMENT_FIELDS = (
    "receipt_code",
    "submitted_at",
    "commenter_type",
    "display_name",
    "organisation_name",
    "email",
    "phone",
    "address",
    "publish_name",
    "article_heading",
    "body",
    "consent_given_at",
    "consent_notice_version",
    "consent_purposes",
    "verified_at",
    "ip_address",
    "user_agent",
    "status",
)


@dataclass
class PersonalData:
    email: str
    comments: list
    subscriptions: list
    opt_outs: list

    @property
    def attachments(self):
        return [a for comment in self.comments for a in comment.policycomms_attachments]

    @property
    def counts(self):
        return {
            "comments": len(self.comments),
            "attachments": len(self.attachments),
            "subscriptions": len(self.subscriptions),
            "opt_outs": len(self.opt_outs),
        }

    @property
    def is_empty(self):
        return not any(self.counts.values())


def comments_of(email):
    """The comments given under ``email`` (stored case as typed: compared without case)."""
    email = normalise_email(email)
    if not email:
        return PublicComment.objects.none()
    return PublicComment.objects.filter(email__iexact=email)


def label_rounds(comments, user):
    """Give each of ``comments`` its ``round_title``: its round's title, or, for a round of a
    draft now restricted as a whole that ``user`` (the request's handler) may not see,
    ``restricted.RESTRICTED_DRAFT``. The person still gets every comment, its text and its
    personal data (the law gives them all of it); the title of a state secret is not
    written on the handler's screen nor in the file the handler hands over."""
    for comment in comments:
        comment.round_title = (
            RESTRICTED_DRAFT
            if is_hidden_page(comment.consultation_id, user)
            else comment.consultation.title
        )
    return comments


def find(email, user):
    """Everything held under ``email``, as ``user`` handles it (``label_rounds``): four
    queries whatever the number of comments."""
    email = normalise_email(email)
    comments = list(
        comments_of(email)
        .select_related("consultation")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=CommentAttachment.objects.order_by("pk"),
                to_attr="policycomms_attachments",
            )
        )
        .order_by("submitted_at", "pk")
    )
    label_rounds(comments, user)
    subscriptions = (
        list(
            Subscription.objects.filter(email__iexact=email)
            .select_related("sector", "topic")
            .order_by("created_at", "pk")
        )
        if email
        else []
    )
    opt_outs = (
        list(EmailOptOut.objects.filter(email__iexact=email).order_by("created_at", "pk"))
        if email
        else []
    )
    return PersonalData(email, comments, subscriptions, opt_outs)


def _value(value):
    if hasattr(value, "isoformat"):
        return format_datetime_attribute(value)
    return value


def as_data(found, data_request=None):
    """The person's data as JSON-able values (the export's content)."""
    comments = []
    for comment in found.comments:
        row = {name: _value(getattr(comment, name)) for name in EXPORTED_COMMENT_FIELDS}
        row["status"] = str(comment.get_status_display())
        row["commenter_type"] = str(comment.get_commenter_type_display())
        row["consultation"] = str(comment.round_title)
        row["attachments"] = [
            {
                "file_name": attachment.original_name,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
                "uploaded_at": _value(attachment.uploaded_at),
            }
            for attachment in comment.policycomms_attachments
        ]
        comments.append(row)
    data = {
        "email": found.email,
        "exported_at": _value(timezone.now()),
        "comments": comments,
        "subscriptions": [
            {
                "email": subscription.email,
                "field": subscription.sector.name if subscription.sector_id else None,
                "topic": subscription.topic.name if subscription.topic_id else None,
                "language": subscription.language,
                "subscribed_at": _value(subscription.created_at),
                "confirmed_at": _value(subscription.confirmed_at),
                "consent_notice_version": subscription.consent_notice_version,
            }
            for subscription in found.subscriptions
        ],
        "email_opt_outs": [
            {
                "email": opt_out.email,
                "emails": str(opt_out.get_stream_display()),
                "unsubscribed_at": _value(opt_out.created_at),
            }
            for opt_out in found.opt_outs
        ],
    }
    if data_request is not None:
        data["request"] = {
            "kind": str(data_request.get_kind_display()),
            "received_at": _value(data_request.received_at),
        }
    return data


def export_json(found, data_request=None):
    """The person's file: UTF-8 JSON, Vietnamese kept readable."""
    return json.dumps(as_data(found, data_request), ensure_ascii=False, indent=2).encode("utf-8")


# --- Correcting and anonymising -------------------------------------------------------------


@transaction.atomic
def correct_comment(data_request, comment, values, user):
    """Change the personal fields of one of the person's comments; returns the changed names."""
    changed = [
        name
        for name in CORRECTABLE_FIELDS
        if name in values and getattr(comment, name) != values[name]
    ]
    if changed:
        for name in changed:
            setattr(comment, name, values[name])
        comment.save(update_fields=changed)
        log(data_request, "corrected", user, {"comments": 1, "fields": changed})
    return changed


def anonymise_comments(queryset):
    """Blank every personal field (``PII_FIELDS``) of the comments of ``queryset``; returns
    how many comments were changed. One UPDATE; never the status, the text or the consent
    record. (The retention purge, ``privacy.retention``, keeps a name published with consent;
    a person asking for deletion has their name removed too.)"""
    return queryset.order_by().update(**blanked_values(keep_published_name=False))


@transaction.atomic
def anonymise(data_request, user, *, delete_subscriptions=True):
    """A deletion request: the person's comments anonymised, their subscriptions deleted.

    Opt-outs are kept: they are what stops the portal emailing the address again.
    Returns the counts logged on the request.
    """
    email = data_request.email
    comments = anonymise_comments(comments_of(email))
    subscriptions = 0
    if delete_subscriptions and email:
        subscriptions = (
            Subscription.objects.filter(email__iexact=email)
            .delete()[1]
            .get(Subscription._meta.label, 0)
        )
    counts = {"comments": comments, "subscriptions": subscriptions}
    log(data_request, "anonymised", user, counts)
    return counts


# --- The audit entries ------------------------------------------------------------------------


def log(data_request, what, user, data=None):
    """One entry on the request: ``data`` holds counts and field names, never values."""
    return log_action(data_request, LOG_ACTIONS[what], user=user, data=data or {})


class ExportedFormatter(LogFormatter):
    label = _("Export the person's data")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        count = data.get("comments") or 0
        return ngettext(
            "Personal data exported as %(format)s: %(count)d comment",
            "Personal data exported as %(format)s: %(count)d comments",
            count,
        ) % {"count": count, "format": str(data.get("format", "")).upper()}


class CorrectedFormatter(LogFormatter):
    label = _("Correct the person's data")

    def format_message(self, log_entry):
        return _("Personal data of a comment corrected")


class AnonymisedFormatter(LogFormatter):
    label = _("Anonymise the person's data")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        return _(
            "Personal data anonymised: %(comments)d comments, %(subscriptions)d "
            "subscriptions deleted"
        ) % {"comments": data.get("comments") or 0, "subscriptions": data.get("subscriptions") or 0}


class CreatedFormatter(LogFormatter):
    label = _("Receive a data-subject request")
    message = _("Data-subject request received")


class CompletedFormatter(LogFormatter):
    label = _("Complete a data-subject request")
    message = _("Data-subject request completed")


def register_log_actions(actions):
    """Registered with the ``register_log_actions`` hook in ``wagtail_hooks.py``."""
    actions.register_action(LOG_ACTIONS["created"])(CreatedFormatter)
    actions.register_action(LOG_ACTIONS["exported"])(ExportedFormatter)
    actions.register_action(LOG_ACTIONS["corrected"])(CorrectedFormatter)
    actions.register_action(LOG_ACTIONS["anonymised"])(AnonymisedFormatter)
    actions.register_action(LOG_ACTIONS["completed"])(CompletedFormatter)


def export_xlsx(found):
    """The person's file as a workbook (``formats.xlsx``): their comments, subscriptions and
    stopped emails, one sheet each; dates are date cells on the local clock."""
    workbook = Workbook(write_only=True)
    comments = SheetLayout(
        workbook.create_sheet(str(_("Comments"))),
        [
            xlsx.CODE,
            xlsx.TEXT,
            xlsx.DATETIME,
            xlsx.SHORT_TEXT,
            xlsx.SHORT_TEXT,
            xlsx.SHORT_TEXT,
            xlsx.TEXT,
            xlsx.CODE,
            xlsx.TEXT,
            xlsx.SHORT_TEXT,
            xlsx.TEXT,
            xlsx.LONG_TEXT,
            xlsx.DATETIME,
            xlsx.CODE,
            xlsx.TEXT,
            xlsx.DATETIME,
            xlsx.CODE,
            xlsx.TEXT,
            xlsx.SHORT_TEXT,
            xlsx.TEXT,
        ],
    )
    comments.append_heading(
        [
            str(label)
            for label in (
                _("Receipt code"),
                _("Consultation"),
                _("Submitted"),
                _("Commenter type"),
                _("Name"),
                _("Organisation"),
                _("Email"),
                _("Phone"),
                _("Address"),
                _("Publish my name"),
                _("Article"),
                _("Comment"),
                _("Consent given at"),
                _("Privacy notice version"),
                _("Consent purposes"),
                _("Email verified at"),
                _("IP address"),
                _("User agent"),
                _("Status"),
                _("Attachments"),
            )
        ]
    )
    for comment in found.comments:
        comments.append(
            [
                comment.receipt_code,
                str(comment.round_title),
                comment.submitted_at,
                str(comment.get_commenter_type_display()),
                comment.display_name,
                comment.organisation_name,
                comment.email,
                comment.phone,
                comment.address,
                str(_("Yes") if comment.publish_name else _("No")),
                comment.article_heading,
                comment.body,
                comment.consent_given_at,
                comment.consent_notice_version,
                ", ".join(comment.consent_purposes or []),
                comment.verified_at,
                comment.ip_address,
                comment.user_agent,
                str(comment.get_status_display()),
                "\n".join(a.original_name for a in comment.policycomms_attachments),
            ]
        )
    subscriptions = SheetLayout(
        workbook.create_sheet(str(_("Subscriptions"))),
        [xlsx.TEXT, xlsx.TEXT, xlsx.TEXT, xlsx.CODE, xlsx.DATETIME, xlsx.DATETIME, xlsx.CODE],
    )
    subscriptions.append_heading(
        [
            str(label)
            for label in (
                _("Email"),
                _("Field"),
                _("Topic"),
                _("Language"),
                _("Subscribed at"),
                _("Confirmed at"),
                _("Privacy notice version"),
            )
        ]
    )
    for subscription in found.subscriptions:
        subscriptions.append(
            [
                subscription.email,
                subscription.sector.name if subscription.sector_id else "",
                subscription.topic.name if subscription.topic_id else "",
                subscription.language,
                subscription.created_at,
                subscription.confirmed_at,
                subscription.consent_notice_version,
            ]
        )
    opt_outs = SheetLayout(
        workbook.create_sheet(str(_("Emails stopped"))), [xlsx.TEXT, xlsx.TEXT, xlsx.DATETIME]
    )
    opt_outs.append_heading([str(_("Email")), str(_("Emails")), str(_("Unsubscribed at"))])
    for opt_out in found.opt_outs:
        opt_outs.append([opt_out.email, str(opt_out.get_stream_display()), opt_out.created_at])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
