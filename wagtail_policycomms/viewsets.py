"""Admin screens, built on Wagtail's own snippet viewsets."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Sector, Unit


class UnitViewSet(SnippetViewSet):
    model = Unit
    icon = "group"
    menu_label = _("Units")
    menu_name = "policycomms_units"
    list_display = ["name", "short_name", "email", "phone", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "short_name", "email"]
    # A department has tens of units: a database query beats keeping a search index.
    search_backend_name = None
    ordering = ["name"]
    copy_view_enabled = False
    inspect_view_enabled = True
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("short_name")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
                FieldPanel("address"),
            ],
            heading=_("Contact details"),
            help_text=_("Shown on consultation pages where this unit receives comments."),
        ),
        FieldPanel("is_active"),
        FieldPanel("members"),
    ]


class SectorViewSet(SnippetViewSet):
    model = Sector
    icon = "folder-open-inverse"
    menu_label = _("Fields")
    menu_name = "policycomms_sectors"
    list_display = ["name"]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False


class PolicyCommsViewSetGroup(SnippetViewSetGroup):
    items = (UnitViewSet, SectorViewSet)
    menu_icon = "doc-full-inverse"
    menu_label = _("Policy consultation")
    menu_name = "policycomms"
