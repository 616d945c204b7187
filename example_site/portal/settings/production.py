"""Production settings for one or several app servers behind a load balancer.

Everything comes from the environment; docs/deployment.md lists the variables.
"""

import importlib.util
import os

from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

# Persistent database connections: a new connection per request cost more than the
# comment's own queries. Health checks drop a connection the database has closed.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Comment attachments on shared, private object storage (S3-compatible, django-storages):
# no public URL, no public ACL; staff fetch them through the package's permission-checked
# download view. Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
if ATTACHMENTS_S3_BUCKET := os.environ.get("ATTACHMENTS_S3_BUCKET"):
    STORAGES["policycomms_attachments"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ATTACHMENTS_S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    POLICYCOMMS_ATTACHMENT_STORAGE = "policycomms_attachments"

# A cache shared by every worker and server: the comment rate limits count there
# (a per-process cache lets each worker count on its own; check W001 warns), and
# so do the sessions. Django's own Redis backend needs the `redis` package.
if REDIS_URL := os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
        }
    }
    # Sessions read from Redis, written through to the database: a Redis restart
    # does not log the staff out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Emails (receipts, verification) and large work go through a tasks worker
# (`manage.py db_worker`) when django-tasks-db is installed, not during the request.
if importlib.util.find_spec("django_tasks_db") and os.environ.get("TASKS_BACKEND", "db") == "db":
    INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
