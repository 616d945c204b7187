"""Public views of the notifications: the one-click unsubscribe link of every email that
is not a receipt or a verification link.

``unsubscribe`` shows a page with one button on GET (a link scanner or a preview that
follows the link unsubscribes nobody) and records the opt-out on POST. Mail clients that
honour ``List-Unsubscribe-Post`` (RFC 8058) POST ``List-Unsubscribe=One-Click`` to the
same URL without a CSRF token, so the view is exempt: the signed token is what proves the
link came from our email. A forged or mangled token gets a clear 400 page, never a 500.
"""

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..conf import policycomms_settings
from ..notifications import optout, tokens
from .public import never_cache_private


def _render(request, template, context, status=200):
    response = TemplateResponse(
        request,
        f"wagtail_policycomms/notifications/{template}.html",
        {"policycomms_base_template": policycomms_settings.BASE_TEMPLATE, **context},
        status=status,
    )
    return never_cache_private(response)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    try:
        email, stream = optout.read_token(token)
    except tokens.InvalidToken:
        return _render(
            request,
            "unsubscribe_invalid",
            {
                "title": _("Invalid link"),
                "message": _(
                    "This unsubscribe link is not valid: it may have been copied incompletely. "
                    "Open it again from the email, or use the link at the end of a newer email."
                ),
            },
            status=400,
        )
    context = {"email": email, "stream": stream, "token": token}
    if request.method == "POST":
        optout.opt_out(email, stream)
        return _render(request, "unsubscribe", {**context, "done": True})
    return _render(request, "unsubscribe", context)
