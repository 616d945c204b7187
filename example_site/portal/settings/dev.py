from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "django-insecure-demo-portal-key-only-for-local-development"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
