"""What our page types share: the base page class, rich-text features, the mixin.

Behaviour lives in the abstract ``Abstract*`` page classes of each module; the
concrete page types only add what needs a concrete model. A portal that wants
its own variant subclasses the abstract class.
"""

from django.utils.html import strip_tags

from ..compat import get_base_page_class
from ..conf import policycomms_settings

Page = get_base_page_class()

COMMUNICATION_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


def has_text(html):
    """False for empty rich text, including an untouched editor's ``<p data-block-key="…"></p>``."""
    return bool(html and strip_tags(str(html)).strip())


class PolicyCommsPageMixin:
    """Gives our public templates the portal's base template to extend."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["policycomms_base_template"] = policycomms_settings.BASE_TEMPLATE
        return context
