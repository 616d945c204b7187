"""Template tags of the moderation queue's admin pages."""

from django import template
from django.urls import reverse
from wagtail.admin.widgets.button import ListingButton

from ..models import PublicComment
from ..views.bulk_actions import BULK_ACTIONS

register = template.Library()


@register.inclusion_tag("wagtailadmin/shared/buttons.html")
def policycomms_bulk_action_choices():
    """The moderation bulk actions only: Wagtail's tag would also offer bulk delete, which
    every snippet gets and comments must not have."""
    opts = PublicComment._meta
    return {
        "buttons": [
            ListingButton(
                action.display_name,
                reverse(
                    "wagtail_bulk_action",
                    args=[opts.app_label, opts.model_name, action.action_type],
                ),
                attrs={"aria-label": action.aria_label, "data-bulk-action-button": ""},
                priority=action.action_priority,
                classname=" ".join(action.classes | {"bulk-action-btn"}),
            )
            for action in sorted(BULK_ACTIONS, key=lambda action: action.action_priority)
        ]
    }
