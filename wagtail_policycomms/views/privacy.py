"""The public pages of the privacy notice: the current one and any earlier version.

A person can read again what they agreed to: the comment form links the version it
shows, and the receipt the version the comment recorded (``models.privacy``). Version 0
is the package's built-in notice, shown while a site has written none.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from ..conf import policycomms_settings
from ..models.privacy import BUILT_IN_NOTICE, PrivacyNoticeVersion

TEMPLATE = "wagtail_policycomms/privacy/notice.html"

#: Who the built-in notice names, outside a consultation (it names the page's unit).
BUILT_IN_NOTICE_UNIT = _("The unit that receives your comment")


def _site(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site


def _render(request, version, number, current_number):
    """The notice page; ``version`` is None for the built-in notice."""
    built_in = version is None or version.is_built_in
    return TemplateResponse(
        request,
        TEMPLATE,
        {
            "version": version,
            "number": number,
            "current_number": current_number,
            "is_current": number == current_number,
            "built_in": built_in,
            # The built-in text names the page's receiving unit.
            "page": {"receiving_unit": {"name": BUILT_IN_NOTICE_UNIT}},
            "policycomms_base_template": policycomms_settings.BASE_TEMPLATE,
        },
    )


def current_notice(request):
    """The notice shown beside the consent boxes now."""
    version = PrivacyNoticeVersion.objects.current(_site(request).pk)
    number = version.number if version is not None else BUILT_IN_NOTICE
    return _render(request, version, number, number)


def notice_version(request, number):
    """One version, as it was shown; 404 for a number the site never had."""
    site = _site(request)
    current = PrivacyNoticeVersion.objects.current(site.pk)
    current_number = current.number if current is not None else BUILT_IN_NOTICE
    if number == BUILT_IN_NOTICE:
        version = None
    elif current is not None and number == current.number:
        version = current
    else:
        version = get_object_or_404(PrivacyNoticeVersion.objects.of_site(site.pk), number=number)
    return _render(request, version, number, current_number)
