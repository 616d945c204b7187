"""The portal's ``handler403``: a refusal in the admin is the admin's own 403 page.

Wagtail turns a ``PermissionDenied`` raised in an admin view into a redirect to the
dashboard with its (translated) message, except for the requests its scripts send
(``X-Requested-With: XMLHttpRequest``: listing results, choosers, history results), where
it lets the exception through to Django, whose default 403 is a bare English
"403 Forbidden". A portal sets, in its root URLconf::

    handler403 = "wagtail_policycomms.views.errors.permission_denied"

Under the admin, for a user who may enter it, the refusal is then ``permissions.forbidden()``
in the admin's layout and the user's admin language; anywhere else it is Django's own
``permission_denied`` (the portal's ``403.html``), unchanged.
"""

from django.urls import NoReverseMatch, reverse
from django.views import defaults
from wagtail.admin.localization import get_localized_response

from ..permissions import forbidden


def is_admin_request(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    try:
        admin_root = reverse("wagtailadmin_home")
    except NoReverseMatch:
        return False
    return request.path.startswith(admin_root) and user.has_perm("wagtailadmin.access_admin")


def permission_denied(request, exception=None, template_name=defaults.ERROR_403_TEMPLATE_NAME):
    if is_admin_request(request):
        response = get_localized_response(forbidden, request)
        return response
    return defaults.permission_denied(request, exception, template_name=template_name)
