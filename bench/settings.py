"""Django settings of the benchmark: the demo portal's apps on PostgreSQL, plus the baselines.

``bench.run`` sets ``BENCH_DATABASE_URL`` (and ``BENCH_REDIS_URL`` when it started a
Redis) before Django loads this module; gunicorn's workers inherit them.
"""

import os
import sys
from pathlib import Path

import dj_database_url

REPO = Path(__file__).resolve().parent.parent
if str(REPO / "example_site") not in sys.path:  # the demo portal's `portal` and `home`
    sys.path.insert(0, str(REPO / "example_site"))

from portal.settings.base import *  # noqa: E402, F403
from portal.settings.base import INSTALLED_APPS  # noqa: E402

SECRET_KEY = "bench-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"
WSGI_APPLICATION = "bench.wsgi.application"

INSTALLED_APPS = [
    "bench.baselines",
    *(app for app in INSTALLED_APPS if app != "django.contrib.postgres"),
    "django.contrib.postgres",
]

# Persistent connections, as a production portal runs (every target shares them).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ["BENCH_DATABASE_URL"],
        conn_max_age=int(os.environ.get("BENCH_CONN_MAX_AGE", "60")),
    )
}

if os.environ.get("BENCH_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["BENCH_REDIS_URL"],
        }
    }
else:  # shared by the gunicorn workers, unlike a per-process cache
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "bench_cache",
        }
    }

STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": "/tmp/policycomms-bench-media"},  # noqa: S108
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
POLICYCOMMS_ATTACHMENT_ROOT = "/tmp/policycomms-bench-private"  # noqa: S108
# No mail leaves the machine; the messages are still rendered and "sent".
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"
LANGUAGE_CODE = "vi"

# Every POST of the load test is a valid comment: no minimum form age, limits out of reach
# (they are still counted, in the shared cache, as in production).
POLICYCOMMS_FORM_MIN_SECONDS = 0
POLICYCOMMS_RATE_LIMIT_IP = "1000000/h"
POLICYCOMMS_RATE_LIMIT_EMAIL = "1000000/h"
# The export figures measure the streamed export of every comment: never a worker's job.
POLICYCOMMS_EXPORT_TASK_THRESHOLD = 0

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
