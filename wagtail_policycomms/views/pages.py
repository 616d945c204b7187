"""What the package adds to Wagtail's page editor and page listing.

- a warning after saving a consultation shorter than the minimum period;
- a "Synthesis report" button on draft-policy and consultation pages, for those
  allowed to export comments.

Registered by ``wagtail_hooks``.
"""

from django.contrib import messages
from django.utils.translation import gettext as _
from wagtail.admin.widgets.button import Button

from ..conf import policycomms_settings
from ..models import ConsultationPage, DraftPolicyPage
from ..permissions import can_export
from ..synthesis.views import synthesis_url


def warn_short_consultation(request, page):
    """A short period may be saved, but the editor is told it is below the minimum."""
    page = page.specific
    if isinstance(page, ConsultationPage) and page.is_shorter_than_minimum:
        messages.warning(
            request,
            _(
                "The consultation period is %(days)s days, shorter than the minimum of "
                "%(minimum)s days. Check that the law allows a shorter period for this draft."
            )
            % {"days": page.duration.days, "minimum": policycomms_settings.MIN_CONSULTATION_DAYS},
        )


def synthesis_button(page, user):
    """ "Bản tổng hợp" for a draft or a consultation, if the user may export comments."""
    if issubclass(page.specific_class, (DraftPolicyPage, ConsultationPage)) and can_export(user):
        return Button(
            _("Synthesis report"),
            url=synthesis_url(page.specific),
            icon_name="doc-full",
            priority=60,
        )
    return None


def synthesis_header_buttons(page, user, view_name=None, next_url=None):
    """``register_page_header_buttons``: beside the page's own buttons."""
    button = synthesis_button(page, user)
    if button:
        yield button


def synthesis_listing_buttons(page, user, next_url=None):
    """``register_page_listing_more_buttons``: in the page listing's "More" menu."""
    button = synthesis_button(page, user)
    if button:
        yield button
