"""Settings for the test suite: the demo portal's apps, a fast and isolated setup.

SQLite in memory by default; PostgreSQL (or another database) when DATABASE_URL
is set, as .ci/run does.
"""

import os

import dj_database_url
import django

from portal.settings.base import *  # noqa: F403
from portal.settings.base import INSTALLED_APPS

SECRET_KEY = "tests-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["localhost", "testserver", "127.0.0.1"]

DATABASES = {
    "default": dj_database_url.parse(os.environ["DATABASE_URL"])
    if os.environ.get("DATABASE_URL")
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
}
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and "django.contrib.postgres" not in INSTALLED_APPS  # base added it for the same URL
):
    INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.postgres"]

# tests/test_deployment.py runs worker processes against a throwaway Redis server.
if os.environ.get("POLICYCOMMS_TEST_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["POLICYCOMMS_TEST_REDIS_URL"],
        }
    }

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
LANGUAGE_CODE = "vi"
TIME_ZONE = "Asia/Ho_Chi_Minh"

# Django 6.1 replaces EMAIL_BACKEND with MAILERS; the test runner swaps in locmem either way.
if django.VERSION >= (6, 1):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
