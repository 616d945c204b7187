"""What our page types share: the base page class, rich-text features, the mixin.

Behaviour lives in the abstract ``Abstract*`` page classes of each module; the
concrete page types only add what needs a concrete model. A portal that wants
its own variant subclasses the abstract class.
"""

from django.db import transaction
from django.utils.html import strip_tags

from ..compat import get_base_page_class
from ..conf import policycomms_settings

Page = get_base_page_class()

COMMUNICATION_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


def has_text(html):
    """False for empty rich text, including an untouched editor's ``<p data-block-key="…"></p>``."""
    return bool(html and strip_tags(str(html)).strip())


class PolicyCommsPageMixin:
    """Gives our public templates the portal's base template to extend, and routes to a
    child in one query.
    """

    def delete(self, *args, **kwargs):
        """All or nothing: Wagtail changes the tree (the parent's child count) and writes
        its audit entry before Django finds the comments that protect the page
        (``on_delete=PROTECT``); outside a transaction a refused delete left those
        behind. The admin refuses earlier, with a message (``views.pages``)."""
        with transaction.atomic():
            return super().delete(*args, **kwargs)

    def route(self, request, path_components):
        """Find the child by slug with one query on its specific model, when only one
        page type may be created here (a draft's consultations, an index's drafts).

        Wagtail's ``Page.route`` reads the child as a base ``Page`` and then again as
        its specific class: two queries at every level, the largest fixed cost of a
        consultation page four levels deep. Any other case (several child types, a
        child moved here in the shell, a 404) goes to Wagtail's own routing.
        """
        child_models = type(self).allowed_subpage_models()
        if path_components and len(child_models) == 1:
            try:
                child = child_models[0].objects.child_of(self).get(slug=path_components[0])
            except child_models[0].DoesNotExist:
                return super().route(request, path_components)
            child._cached_parent_obj = self
            return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["policycomms_base_template"] = policycomms_settings.BASE_TEMPLATE
        return context
