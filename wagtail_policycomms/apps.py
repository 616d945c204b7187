from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class WagtailPolicyCommsAppConfig(AppConfig):
    name = "wagtail_policycomms"
    label = "wagtail_policycomms"
    verbose_name = _("Policy communication and consultation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .checks import check_setup
        from .uploads import check_attachment_storage

        checks.register(check_setup)
        checks.register(check_attachment_storage, checks.Tags.security)
