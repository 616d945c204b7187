"""Public views: the receipt, email verification, attachment download.

The comment form posts to the consultation page itself: taking a comment is
``AbstractConsultationPage.serve`` and its overridable steps, which use the
signed links, ``never_cache_private`` and the logger defined here. The other
views live under the package's URLconf.
"""

import logging
import math
import time
import zlib

from django.core import signing
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from wagtail.admin.auth import require_admin_access

from .. import antispam, moderation, tasks
from ..conf import policycomms_settings
from ..models import ConsultationSettings, PublicComment
from ..models.comments import CommentAttachment, CommentStatus
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


#: A link we signed a moment ago on another server may look this many seconds ahead of
#: our clock; a link dated further ahead was not signed by us at that time.
CLOCK_SKEW_SECONDS = 60


def signed_payload(token, salt, max_age_hours):
    """The payload of a link we signed; None once it has expired.

    Anything else is a 404, which tells nobody whether a comment exists: a forged or
    mangled token, one dated in the future (its age would be negative, so it would
    never expire), and a validly signed payload that is not ``{"c": <comment id>, …}``
    (links signed by another version of the code or with a leaked key).
    """
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age_hours * 3600)
        # loads() checked the signature, so the token is "value:timestamp:signature".
        signed_at = signing.b62_decode(token.rsplit(":", 2)[1])
    except signing.SignatureExpired:
        return None
    except (signing.BadSignature, ValueError, IndexError, zlib.error) as exc:
        # zlib.error: a validly signed token whose compressed payload is not zlib.
        raise Http404 from exc
    if signed_at > time.time() + CLOCK_SKEW_SECONDS:
        raise Http404
    comment_id = payload.get("c") if isinstance(payload, dict) else None
    if type(comment_id) is not int:  # not bool, str, float, None
        raise Http404
    return payload


# --- Receipt ---------------------------------------------------------------------------


def receipt_path(comment):
    token = signing.dumps({"c": comment.pk}, salt=RECEIPT_SALT, compress=True)
    return reverse("wagtail_policycomms:receipt", args=[token])


def _receipt_comment(token):
    """The comment of a receipt link, or None once the link has expired (404 if forged)."""
    payload = signed_payload(token, RECEIPT_SALT, policycomms_settings.RECEIPT_LINK_MAX_AGE_HOURS)
    if payload is None:
        return None
    return get_object_or_404(PublicComment.objects.select_related("consultation"), pk=payload["c"])


def _receipt_expired(request):
    return render_message(
        request,
        _("This link has expired"),
        _(
            "For your privacy the receipt page is shown for a limited time. "
            "Your receipt code is in the email we sent you."
        ),
        status=410,
    )


def receipt(request, token):
    """The confirmation page, reachable only through the link given after submitting."""
    comment = _receipt_comment(token)
    if comment is None:
        return _receipt_expired(request)
    return render_receipt(request, comment, token, resent=request.GET.get("resent") == "1")


def render_receipt(request, comment, token, status=200, **extra):
    """The receipt page; it says what happens next from the comment's status and the
    site's moderation mode (``comments/next_steps.html``)."""
    response = TemplateResponse(
        request,
        "wagtail_policycomms/comments/receipt.html",
        {
            "comment": comment,
            "consultation": comment.consultation,
            "receipt_token": token,
            "moderation_mode": ConsultationSettings.for_request(request).moderation_mode,
            "policycomms_base_template": policycomms_settings.BASE_TEMPLATE,
            **extra,
        },
        status=status,
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
        receipt_url = request.build_absolute_uri(receipt_path(comment))
        transaction.on_commit(
            lambda: tasks.queue_email(tasks.send_receipt_email, comment, receipt_url)
        )
        title = _("Thank you: your email address is confirmed")
    else:
        title = _("Your email address was already confirmed")
    return render_message(
        request,
        title,
        _("Your comment %(code)s has been received.") % {"code": comment.receipt_code},
        comment=comment,
        moderation_mode=site_settings.moderation_mode,
    )


#: How often one comment's verification link may be sent again (from its receipt page).
RESEND_VERIFICATION_RATE = "3/h"


@require_POST
def resend_verification(request, token):
    """Send the verification link again, from the receipt page, while the comment is unverified.

    Keyed by the signed receipt link, so only the person who sent the comment can
    ask; limited per comment (``RESEND_VERIFICATION_RATE``) so the button cannot be
    used to flood an address. Post/Redirect/Get back to the receipt page.
    """
    comment = _receipt_comment(token)
    if comment is None:
        return _receipt_expired(request)
    receipt_url = reverse("wagtail_policycomms:receipt", args=[token])
    if comment.status != CommentStatus.UNVERIFIED or not comment.email:
        # Confirmed meanwhile (or purged): the receipt page shows where it stands.
        return HttpResponseRedirect(receipt_url, status=303)
    limiter = antispam.RateLimiter("resend_verification", RESEND_VERIFICATION_RATE)
    if not limiter.hit(f"comment:{comment.pk}"):
        retry_after = limiter.retry_after()
        minutes = math.ceil(retry_after / 60)
        refusal = ngettext(
            "The link has been sent several times already. Please look in your spam folder, or ask again in %(minutes)s minute.",
            "The link has been sent several times already. Please look in your spam folder, or ask again in %(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}
        response = render_receipt(request, comment, token, status=429, resend_refused=refusal)
        response["Retry-After"] = str(retry_after)
        return response
    verify_url = request.build_absolute_uri(verification_path(comment))
    tasks.queue_email(tasks.send_verification_email, comment, verify_url)
    return HttpResponseRedirect(f"{receipt_url}?resent=1", status=303)


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
