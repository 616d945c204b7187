"""The portal's Content-Security-Policy: strict on public pages, what Wagtail needs in its admin.

Public pages get ``SECURE_CSP`` (the site's own files, no inline script or style).
Wagtail's admin still has inline scripts and styles, and its accessibility checker uses
eval: under ``PORTAL_ADMIN_PATHS`` the header is ``PORTAL_ADMIN_CSP`` instead. A view
that sets its own header keeps it.

On Django 6, Django's own ``django.middleware.csp.ContentSecurityPolicyMiddleware``,
listed before this one, adds ``SECURE_CSP`` to a response that has no policy yet: this
middleware sets the admin's first, so Django leaves it alone. Django 5.2 has no CSP
middleware, and this one sets both. (django-csp would be a third dependency for the
same twenty lines, until Django 5.2 is no longer supported.)
"""

import django
from django.conf import settings

HEADER = "Content-Security-Policy"


def build_policy(directives):
    """``{"script-src": ["'self'"], …}`` → ``"script-src 'self'; …"``, as Django 6 writes it."""
    return "; ".join(
        f"{name} {' '.join(values)}".rstrip()
        for name, values in directives.items()
        if values is not None
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_paths = tuple(getattr(settings, "PORTAL_ADMIN_PATHS", ()))
        self.admin_policy = build_policy(getattr(settings, "PORTAL_ADMIN_CSP", {}))
        # Django 6 adds SECURE_CSP itself (it also fills in nonces, should a template use one).
        public = getattr(settings, "SECURE_CSP", None)
        self.public_policy = build_policy(public) if public and django.VERSION < (6, 0) else ""

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER in response:
            return response
        if request.path_info.startswith(self.admin_paths):
            policy = self.admin_policy
        else:
            policy = self.public_policy
        if policy:
            response[HEADER] = policy
        return response
