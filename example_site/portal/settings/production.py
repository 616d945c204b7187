"""Production settings for one or several app servers behind a load balancer.

Everything comes from the environment; docs/deployment.md lists the variables. With
the variables it needs set, ``manage.py check --deploy`` reports nothing
(tests/test_deployment.py runs it with ``--fail-level WARNING``).
"""

import importlib.util
import os

import django

from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS, MEDIA_ROOT, MIDDLEWARE, STATIC_ROOT


def env_flag(name, default):
    """A yes/no variable: "1", "true", "yes", "on" (any case) are yes; unset is ``default``."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name, default=""):
    """A comma-separated variable as a list, without empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Checks that the operator has turned off on purpose (a proxy does the job instead).
SILENCED_SYSTEM_CHECKS = []

# --- HTTPS ----------------------------------------------------------------------------
# Behind a proxy or load balancer that terminates TLS, Django sees plain HTTP: the proxy
# says what the browser used in a header, named here as "Header-Name: value", e.g.
# SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https". Set it only when the proxy always
# sets that header and drops any the browser sent: otherwise anyone can claim HTTPS.
if proxy_header := os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    header, __, value = proxy_header.partition(":")
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + header.strip().upper().replace("-", "_"),
        value.strip() or "https",
    )

# Plain HTTP is redirected to HTTPS. A proxy that redirects itself may take it over
# (SECURE_SSL_REDIRECT=false); the deployment check then knows it was meant.
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True)
if not SECURE_SSL_REDIRECT:
    SILENCED_SYSTEM_CHECKS.append("security.W008")

# HSTS: browsers use HTTPS only, for a year by default. Start lower (3600) on a new
# domain until HTTPS works everywhere: a browser keeps the rule for the whole period.
# SECURE_HSTS_SECONDS=0 leaves HSTS to the proxy (send the header from one place).
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", True)
if not SECURE_HSTS_SECONDS:
    SILENCED_SYSTEM_CHECKS += ["security.W004", "security.W005", "security.W021"]
else:
    if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
        SILENCED_SYSTEM_CHECKS.append("security.W005")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# Receipt and verification links carry a signed token in their URL: no other site is
# told the address a person came from.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No page is shown in another site's frame. Wagtail's preview (same site) has its own
# exception; the Content-Security-Policy below says the same with frame-ancestors.
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy ----------------------------------------------------------
# Public pages: the site's own files only, no inline script or style, no event
# attributes (the package's public templates and this portal's have none). Add the
# hosts of embedded videos (CSP_FRAME_SRC) or of images on another host, such as a
# CDN (CSP_IMG_SRC), comma-separated.
_frame_src = env_list("CSP_FRAME_SRC")
_img_src = env_list("CSP_IMG_SRC")
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", *_img_src],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'", *_frame_src],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Wagtail's admin (and Django's) still needs inline scripts (date pickers, inline
# panels), inline styles, and eval (its accessibility checker compiles templates with
# `new Function`); it shows the page preview in a frame of its own. Staff only, behind
# a login: portal.middleware sets this policy under these paths.
PORTAL_ADMIN_PATHS = ["/admin/", "/django-admin/"]
PORTAL_ADMIN_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", *_img_src],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'", *_frame_src],
    "media-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}
# Nothing in the admin calls a foreign service: no Gravatar (staff email hashes sent
# abroad), no check for new Wagtail releases from the browser.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Middleware -----------------------------------------------------------------------
# SecurityMiddleware first: HTTP is redirected before anything else runs. Django 6's own
# CSP middleware adds SECURE_CSP; portal.middleware, inside it, sets the admin's policy
# first (and on Django 5.2, which has no CSP middleware, the public one too).
_csp = ["django.middleware.csp.ContentSecurityPolicyMiddleware"] if django.VERSION >= (6, 0) else []
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    *(m for m in MIDDLEWARE if m != "django.middleware.security.SecurityMiddleware"),
]
_clickjacking = MIDDLEWARE.index("django.middleware.clickjacking.XFrameOptionsMiddleware")
MIDDLEWARE[_clickjacking + 1 : _clickjacking + 1] = [
    *_csp,
    "portal.middleware.ContentSecurityPolicyMiddleware",
]

# --- Static and media files -----------------------------------------------------------
STATIC_ROOT = os.environ.get("STATIC_ROOT", STATIC_ROOT)
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", MEDIA_ROOT)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
# WhiteNoise (in the `production` extra) serves the collected static files from the
# app servers, compressed, with long cache headers for the hashed names. Without it,
# or with WHITENOISE=false, the web server serves STATIC_ROOT at /static/
# (docs/deployment.md). Media (Wagtail images and documents) always need the web
# server or object storage.
if importlib.util.find_spec("whitenoise") and env_flag("WHITENOISE", True):
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

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

# --- Logging --------------------------------------------------------------------------
# Everything to stderr, where gunicorn, systemd or the container platform collect it:
# server errors with their traceback (django.request), refused hosts and CSRF failures
# (django.security), emails that could not be sent and other package events
# (wagtail_policycomms), the tasks worker. No error emails to ADMINS: they would fail
# the same way as the mail they report.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "format": "{asctime} {levelname} {name} [pid {process}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
        "wagtail_policycomms": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
    },
}
