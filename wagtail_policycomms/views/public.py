"""Public views: the receipt, email verification, attachment download.

The comment form posts to the consultation page itself: taking a comment is
``AbstractConsultationPage.serve`` and its overridable steps, which use the
signed links, ``never_cache_private`` and the logger defined here. The other
views live under the package's URLconf.
"""

import logging

from django.core import signing
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from wagtail.admin.auth import require_admin_access

from .. import moderation, tasks
from ..conf import policycomms_settings
from ..models import ConsultationSettings, PublicComment
from ..models.comments import CommentAttachment
from ..permissions import can_view_personal_data, forbidden

#: Refusals of comments as abuse are logged here (by the consultation page).
logger = logging.getLogger(__name__)

RECEIPT_SALT = "wagtail_policycomms.receipt"
VERIFY_SALT = "wagtail_policycomms.verify"


def never_cache_private(response):
    """Pages with the form carry a CSRF token: no shared cache may keep them."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


# --- Signed links ----------------------------------------------------------------------


def signed_payload(token, salt, max_age_hours):
    """The payload of a link we signed; None once it has expired. A forged or mangled
    token is a 404: it tells nobody whether a comment exists."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age_hours * 3600)
    except signing.SignatureExpired:
        return None
    except signing.BadSignature as exc:
        raise Http404 from exc


# --- Receipt ---------------------------------------------------------------------------


def receipt_path(comment):
    token = signing.dumps({"c": comment.pk}, salt=RECEIPT_SALT, compress=True)
    return reverse("wagtail_policycomms:receipt", args=[token])


def receipt(request, token):
    """The confirmation page, reachable only through the link given after submitting."""
    payload = signed_payload(token, RECEIPT_SALT, policycomms_settings.RECEIPT_LINK_MAX_AGE_HOURS)
    if payload is None:
        return render_message(
            request,
            _("This link has expired"),
            _(
                "For your privacy the receipt page is shown for a limited time. "
                "Your receipt code is in the email we sent you."
            ),
            status=410,
        )
    comment = get_object_or_404(
        PublicComment.objects.select_related("consultation"), pk=payload["c"]
    )
    response = TemplateResponse(
        request,
        "wagtail_policycomms/comments/receipt.html",
        {
            "comment": comment,
            "consultation": comment.consultation,
            "policycomms_base_template": policycomms_settings.BASE_TEMPLATE,
        },
    )
    return never_cache_private(response)


# --- Email verification ----------------------------------------------------------------


def _email_digest(email):
    """Ties a link to the address without putting the address in the URL (and in logs)."""
    return salted_hmac(VERIFY_SALT, email, algorithm="sha256").hexdigest()[:20]


def verification_path(comment):
    token = signing.dumps({"c": comment.pk, "h": _email_digest(comment.email)}, salt=VERIFY_SALT)
    return reverse("wagtail_policycomms:verify", args=[token])


def verify(request, token):
    hours = policycomms_settings.VERIFICATION_MAX_AGE_HOURS
    payload = signed_payload(token, VERIFY_SALT, hours)
    if payload is None:
        return render_message(
            request,
            _("This verification link has expired"),
            _("Links are valid for %(hours)s hours. Please send your comment again.")
            % {"hours": hours},
            status=410,
        )
    comment = get_object_or_404(PublicComment, pk=payload.get("c"))
    if not constant_time_compare(_email_digest(comment.email), payload.get("h", "")):
        raise Http404
    site_settings = ConsultationSettings.for_request(request)
    if moderation.verify_email(comment, site_settings):
        transaction.on_commit(
            lambda: tasks.send_receipt_email.enqueue(
                comment.pk, request.build_absolute_uri(receipt_path(comment))
            )
        )
        title = _("Thank you: your email address is confirmed")
    else:
        title = _("Your email address was already confirmed")
    return render_message(
        request,
        title,
        _("Your comment %(code)s has been received.") % {"code": comment.receipt_code},
        comment=comment,
    )


def render_message(request, title, message, status=200, **extra):
    response = TemplateResponse(
        request,
        "wagtail_policycomms/comments/message.html",
        {
            "title": title,
            "message": message,
            "policycomms_base_template": policycomms_settings.BASE_TEMPLATE,
            **extra,
        },
        status=status,
    )
    return never_cache_private(response)


# --- Attachments -----------------------------------------------------------------------


@require_admin_access
def download_attachment(request, pk):
    """Attachments are personal data: only staff with the permission may fetch them.

    A staff view kept beside the public ones for its stable URL; ``require_admin_access``
    sends anyone else to the admin login, and a refusal is the admin's real 403."""
    if not can_view_personal_data(request.user):
        return forbidden(request)
    attachment = get_object_or_404(CommentAttachment, pk=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    return never_cache_private(response)
