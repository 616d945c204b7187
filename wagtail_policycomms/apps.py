from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailPolicyCommsAppConfig(AppConfig):
    name = "wagtail_policycomms"
    label = "wagtail_policycomms"
    verbose_name = _("Policy communication and consultation")
    default_auto_field = "django.db.models.BigAutoField"
