import django

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "django-insecure-demo-portal-key-only-for-local-development"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

# Emails are printed to the console. Django 6.1 replaces EMAIL_BACKEND with MAILERS.
if django.VERSION >= (6, 1):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Background work (emails, large exports, moderation of large groups) runs in a real tasks
# worker, as in production: `make demo` starts `manage.py db_worker` beside runserver.
from .base import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
