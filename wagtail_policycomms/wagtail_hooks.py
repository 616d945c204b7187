"""Registration only: viewsets, menus and editor messages."""

from django.contrib import messages
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .conf import policycomms_settings
from .models import ConsultationPage
from .viewsets import PolicyCommsViewSetGroup

register_snippet(PolicyCommsViewSetGroup)


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


hooks.register("after_create_page", warn_short_consultation)
hooks.register("after_edit_page", warn_short_consultation)
