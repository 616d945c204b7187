"""System checks: the setup the package needs, caught at start-up rather than at the first comment."""

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.urls import NoReverseMatch, reverse

from .conf import policycomms_settings

#: Cache backends whose counts live in one process: with several workers or
#: servers, each would let through its own allowance.
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


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
    errors.extend(check_rate_limit_cache())
    return errors


def check_rate_limit_cache():
    """W001: rate limits counted per process in production multiply by the number of workers.

    Measured: a limit of 10 per hour let 39 comments through with 4 gunicorn workers
    on local-memory caches. (A DummyCache counts nothing at all.)
    """
    if settings.DEBUG:
        return []
    alias = policycomms_settings.RATE_LIMIT_CACHE
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        checks.Warning(
            f'The rate-limit cache "{alias}" ({backend.rsplit(".", 1)[-1]}) is not shared '
            "between processes: each worker counts on its own, so the limits multiply by "
            "the number of workers and servers.",
            hint="Use a shared cache for POLICYCOMMS_RATE_LIMIT_CACHE, such as Django's "
            '"django.core.cache.backends.redis.RedisCache" (see the deployment guide).',
            id="wagtail_policycomms.W001",
        )
    ]
