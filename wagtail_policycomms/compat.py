"""Resolve Wagtail's page model the way Wagtail 8 asks reusable apps to.

Wagtail 8 makes the base page model swappable (``WAGTAIL_PAGE_MODEL``) and
refers to it through swapper; Wagtail 7.4 has a fixed ``wagtailcore.Page``.
Setting the app prefix ourselves makes both read the same setting name.
"""

import swapper

swapper.set_app_prefix("wagtailcore", "wagtail")

#: "app_label.ModelName" of the base page model, for ForeignKey targets.
PAGE_MODEL = swapper.get_model_name("wagtailcore", "Page")


def get_base_page_class():
    """The concrete base page class our page types inherit from."""
    if swapper.is_swapped("wagtailcore", "Page"):
        return swapper.load_model("wagtailcore", "Page", require_ready=False)
    from wagtail.models import Page

    return Page
