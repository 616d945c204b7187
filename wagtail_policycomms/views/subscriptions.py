"""Public views of email subscriptions to new consultations (docs/subscriptions.md).

Subscribe (a form, then "check your email"), confirm (double opt-in) and unsubscribe,
through the signed links of ``notifications.subscriptions``. Following a link never
changes anything: mail scanners fetch links before the person does, so the page shows
a button and the POST acts. The one exception is the RFC 8058 one-click POST that mail
clients send from the ``List-Unsubscribe`` header, which is why unsubscribing takes a
POST without a CSRF token (the signed link is the proof). A forged or mangled link is
a 400 and an expired one a 410, each a page that says what to do; never a 500.
"""

from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .. import antispam
from ..conf import policycomms_settings
from ..forms import SubscriptionForm
from ..models import ConsultationSettings, DepartmentSettings
from ..models.subscriptions import Subscription
from ..notifications import subscriptions as service
from ..notifications import tokens
from .public import logger, never_cache_private

TEMPLATE_DIR = "wagtail_policycomms/subscriptions"


def _render(request, template, context=None, status=200):
    response = TemplateResponse(
        request,
        f"{TEMPLATE_DIR}/{template}",
        {"policycomms_base_template": policycomms_settings.BASE_TEMPLATE, **(context or {})},
        status=status,
    )
    return never_cache_private(response)


def _message(request, title, message, status=200, subscribe_again=False):
    return _render(
        request,
        "message.html",
        {"title": title, "message": message, "subscribe_again": subscribe_again},
        status=status,
    )


def _invalid_link(request):
    return _message(
        request,
        _("This link is not valid"),
        _(
            "The link could not be read: it may have been cut or changed. Please copy the "
            "whole link from the email, or subscribe again."
        ),
        status=400,
        subscribe_again=True,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    """The form; a valid POST stores an unconfirmed subscription and emails its link."""
    if request.method != "POST":
        return _render_form(request, SubscriptionForm())
    form = SubscriptionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if form.within_rate_limits(request):
            with transaction.atomic():
                subscription = service.subscribe(
                    data["email"],
                    sector=data["sector"],
                    topic=data["topic"],
                    language=translation.get_language() or "vi",
                )
                if not subscription.is_confirmed:
                    # The privacy notice the person was shown, as a comment's consent
                    # records it; a confirmed subscription keeps the one its owner confirmed.
                    notice = str(ConsultationSettings.for_request(request).privacy_notice_number)
                    Subscription.objects.filter(pk=subscription.pk).update(
                        consent_notice_version=notice
                    )
                    subscription.consent_notice_version = notice
                confirm_url = request.build_absolute_uri(service.confirm_path(subscription))
                manage_url = request.build_absolute_uri(service.unsubscribe_path(subscription))
                transaction.on_commit(
                    lambda: service.queue_confirmation(subscription, confirm_url, manage_url)
                )
            antispam.mark_form_token_used(form)
            # Post/Redirect/Get; the same page whether or not the address was subscribed.
            return HttpResponseRedirect(
                reverse("wagtail_policycomms:subscription_sent"), status=303
            )
    if form.spam_reason:
        logger.info("Subscription refused as abuse (%s)", form.spam_reason)
    form.refresh_tokens()
    return _render_form(request, form)


def _render_form(request, form):
    return _render(
        request,
        "subscribe.html",
        {
            "form": form,
            "consultation_settings": ConsultationSettings.for_request(request),
            "department": DepartmentSettings.for_request(request),
        },
    )


def sent(request):
    return _render(
        request,
        "sent.html",
        {"max_age_hours": policycomms_settings.SUBSCRIPTION_CONFIRM_HOURS},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET: a button (a scanner following the link confirms nothing); POST: confirm."""
    hours = policycomms_settings.SUBSCRIPTION_CONFIRM_HOURS
    try:
        subscription_id = service.read_subscription_id(service.CONFIRM_PURPOSE, token, hours)
    except tokens.ExpiredToken:
        return _expired(request)
    except tokens.InvalidToken:
        return _invalid_link(request)
    subscription = Subscription.objects.select_related("sector", "topic").filter(pk=subscription_id)
    subscription = subscription.first()
    if subscription is None:  # unsubscribed, or purged unconfirmed
        return _expired(request)
    if request.method == "POST":
        subscription = service.confirm(subscription.pk) or subscription
        return _render(
            request,
            "confirmed.html",
            {
                "subscription": subscription,
                "unsubscribe_path": service.unsubscribe_path(subscription),
            },
        )
    return _render(request, "confirm.html", {"subscription": subscription})


def _expired(request):
    hours = policycomms_settings.SUBSCRIPTION_CONFIRM_HOURS
    return _message(
        request,
        _("This confirmation link has expired"),
        _(
            "Confirmation links are valid for %(hours)s hours. Your subscription was not "
            "confirmed: please subscribe again."
        )
        % {"hours": hours},
        status=410,
        subscribe_again=True,
    )


@csrf_exempt  # the RFC 8058 one-click POST of mail clients has no CSRF token
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET: a button; POST (ours or a mail client's one-click): delete the subscription.

    Idempotent: a subscription already gone gives the same "unsubscribed" page.
    """
    try:
        subscription_id = service.read_subscription_id(service.UNSUBSCRIBE_PURPOSE, token)
    except tokens.InvalidToken:
        return _invalid_link(request)
    if request.method == "POST":
        service.unsubscribe(subscription_id)
        return _render(request, "unsubscribed.html")
    subscription = (
        Subscription.objects.select_related("sector", "topic").filter(pk=subscription_id).first()
    )
    if subscription is None:
        return _render(request, "unsubscribed.html")
    return _render(request, "unsubscribe.html", {"subscription": subscription})
