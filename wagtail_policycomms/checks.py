"""System checks: the setup the package needs, caught at start-up rather than at the first comment."""

from django.apps import apps
from django.core import checks
from django.urls import NoReverseMatch, reverse


def check_setup(app_configs, **kwargs):
    errors = []
    if not apps.is_installed("wagtail.contrib.settings"):
        errors.append(
            checks.Error(
                '"wagtail.contrib.settings" must be in INSTALLED_APPS.',
                hint="The moderation mode and privacy notice are Wagtail site settings.",
                id="wagtail_policycomms.E001",
            )
        )
    try:
        reverse("wagtail_policycomms:receipt", args=["x"])
    except NoReverseMatch:
        errors.append(
            checks.Error(
                "The package's URLs are not mounted.",
                hint='Add path("policycomms/", include("wagtail_policycomms.urls")) to your '
                "URLconf, before Wagtail's own URLs. Comment receipts and email "
                "verification links live there.",
                id="wagtail_policycomms.E002",
            )
        )
    return errors
