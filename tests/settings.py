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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if "django.contrib.postgres" not in INSTALLED_APPS:  # base added it for the same URL
        INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.postgres"]
    # Plan every statement for its own parameters and the tables' current size. A test
    # worker keeps one connection for the whole run, and PostgreSQL keeps a generic plan
    # per prepared statement, including the foreign-key checks it runs at
    # ``SET CONSTRAINTS ALL IMMEDIATE`` after each test: planned while the tables were
    # nearly empty (a sequential scan), the check of each of a scale test's 10,000
    # comments read the whole table, and that one statement took 96 s of a test that
    # takes 15 s alone. In production, tables are analysed and connections are short.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c plan_cache_mode=force_custom_plan"

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
