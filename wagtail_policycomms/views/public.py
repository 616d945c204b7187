"""Public views: taking a comment, the receipt, email verification, attachment download.

The comment form posts to the consultation page itself (``ConsultationPage.serve``
hands POSTs to ``submit_comment``); the other views live under the package's
URLconf.
"""

import logging

from django.core import signing
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from wagtail.admin.auth import require_admin_access

from .. import antispam, moderation, tasks
from ..admin_permissions import forbidden
from ..conf import policycomms_settings
from ..forms import CommentForm, article_label
from ..models import (
    CommentStatus,
    ConsultationSettings,
    ConsultationStatus,
    PublicComment,
    ReceiptCounter,
)
from ..models.comments import CommentAttachment, text_hash

logger = logging.getLogger(__name__)

RECEIPT_SALT = "wagtail_policycomms.receipt"
VERIFY_SALT = "wagtail_policycomms.verify"
CONSENT_PURPOSES = ["receive_and_answer_comment"]


def never_cache_private(response):
    """Pages with the form carry a CSRF token: no shared cache may keep them."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


# --- Submitting ------------------------------------------------------------------------


def submit_comment(request, consultation):
    """Validate, store once, and redirect to the receipt (Post/Redirect/Get)."""
    draft = consultation.draft_policy
    form = CommentForm(request.POST, request.FILES, consultation=consultation, draft=draft)
    now = timezone.now()

    if consultation.status_at(now) != ConsultationStatus.OPEN:
        return render_refusal(request, consultation, form, closed=True)
    if not form.is_valid():
        return render_refusal(request, consultation, form)

    data = form.cleaned_data
    existing = PublicComment.objects.filter(
        consultation=consultation, email=data["email"], text_hash=text_hash(data["body"])
    ).first()
    if existing is not None:
        # The same person sending the same text again gets the original receipt.
        return redirect_to_receipt(existing)

    ip = antispam.client_ip(request)
    try:
        antispam.check_rate_limits(ip, data["email"])
    except antispam.RateLimited as refusal:
        form.add_refusal(refusal)
        return render_refusal(request, consultation, form)

    site_settings = ConsultationSettings.for_request(request)
    try:
        comment = store_comment(request, consultation, draft, form, site_settings, ip, now)
    except IntegrityError:
        # A double click raced the duplicate check: the first one won.
        existing = PublicComment.objects.filter(
            consultation=consultation, email=data["email"], text_hash=text_hash(data["body"])
        ).first()
        if existing is None:
            raise
        return redirect_to_receipt(existing)
    return redirect_to_receipt(comment)


def store_comment(request, consultation, draft, form, site_settings, ip, now):
    """One transaction: the comment, its receipt number and its attachments, or nothing."""
    data = form.cleaned_data
    article = form.chosen_article
    stored_files = []
    try:
        with transaction.atomic():
            comment = PublicComment.objects.create(
                consultation=consultation,
                article_id=article.id if article else "",
                article_heading=article_label(article) if article else "",
                page_revision_id=draft.live_revision_id,
                commenter_type=data["commenter_type"],
                display_name=data["display_name"],
                organisation_name=data["organisation_name"],
                email=data["email"],
                phone=data["phone"],
                address=data["address"],
                body=data["body"],
                publish_name=data["publish_name"],
                consent_given_at=now,
                consent_notice_version=site_settings.privacy_notice_version,
                consent_purposes=CONSENT_PURPOSES
                + (["publish_name"] if data["publish_name"] else []),
                status=moderation.initial_status(site_settings),
                receipt_code=ReceiptCounter.next_code(now),
                submitted_at=now,
                ip_address=antispam.ip_for_storage(ip),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:400],
            )
            for attachment in form.cleaned_attachments:
                stored = CommentAttachment.from_cleaned(comment, attachment)
                stored_files.append(stored.file)
            receipt_url = request.build_absolute_uri(receipt_path(comment))
            if comment.status == CommentStatus.UNVERIFIED:
                verify_url = request.build_absolute_uri(verification_path(comment))
                transaction.on_commit(
                    lambda: tasks.send_verification_email.enqueue(comment.pk, verify_url)
                )
            else:
                transaction.on_commit(
                    lambda: tasks.send_receipt_email.enqueue(comment.pk, receipt_url)
                )
    except Exception:
        for file in stored_files:
            file.delete(save=False)
        raise
    return comment


def render_refusal(request, consultation, form, closed=False):
    """Show the page again with the person's text and a clear message; nothing is stored."""
    if form.spam_reason:
        logger.info("Comment refused as abuse (%s) on %s", form.spam_reason, consultation.pk)
    form.refresh_tokens()
    context = consultation.get_context(request, comment_form=form)
    context["comment_refused_closed"] = closed
    response = TemplateResponse(request, consultation.get_template(request), context)
    return never_cache_private(response)


# --- Receipt ---------------------------------------------------------------------------


def receipt_path(comment):
    token = signing.dumps({"c": comment.pk}, salt=RECEIPT_SALT, compress=True)
    return reverse("wagtail_policycomms:receipt", args=[token])


def redirect_to_receipt(comment):
    return HttpResponseRedirect(receipt_path(comment), status=303)


def receipt(request, token):
    """The confirmation page, reachable only through the link given after submitting."""
    max_age = policycomms_settings.RECEIPT_LINK_MAX_AGE_HOURS * 3600
    try:
        payload = signing.loads(token, salt=RECEIPT_SALT, max_age=max_age)
    except signing.SignatureExpired:
        return render_message(
            request,
            _("This link has expired"),
            _(
                "For your privacy the receipt page is shown for a limited time. "
                "Your receipt code is in the email we sent you."
            ),
            status=410,
        )
    except signing.BadSignature as exc:
        raise Http404 from exc
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
    max_age = policycomms_settings.VERIFICATION_MAX_AGE_HOURS * 3600
    try:
        payload = signing.loads(token, salt=VERIFY_SALT, max_age=max_age)
    except signing.SignatureExpired:
        return render_message(
            request,
            _("This verification link has expired"),
            _("Links are valid for %(hours)s hours. Please send your comment again.")
            % {"hours": policycomms_settings.VERIFICATION_MAX_AGE_HOURS},
            status=410,
        )
    except signing.BadSignature as exc:
        raise Http404 from exc
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
    """Attachments are personal data: only staff with the permission may fetch them."""
    if not request.user.has_perm("wagtail_policycomms.view_personal_data"):
        return forbidden(request)
    attachment = get_object_or_404(CommentAttachment, pk=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    return never_cache_private(response)
