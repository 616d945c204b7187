"""Admin edit-form panels."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from .conf import policycomms_settings


class ConsultationStatusPanel(Panel):
    """Shows the editor the computed status and warns about a short period, on every edit."""

    @property
    def clean_name(self):
        return super().clean_name or "consultation_status"

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_policycomms/admin/panels/consultation_status.html"

        def is_shown(self):
            instance = self.instance
            return bool(instance.pk and instance.opens_at and instance.closes_at)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(
                status=self.instance.status,
                too_short=self.instance.is_shorter_than_minimum,
                days=self.instance.duration.days,
                minimum_days=policycomms_settings.MIN_CONSULTATION_DAYS,
                heading=_("Status"),
            )
            return context
