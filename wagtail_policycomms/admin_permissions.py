"""Who may do what with public comments in the admin.

Comments come from the public and are part of a legal dossier: staff never add,
edit or delete them, not even superusers. Staff see them ("view") and change their
status only through ``moderation.py`` ("moderate").
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.views.defaults import permission_denied
from wagtail.permission_policies import ModelPermissionPolicy

from .models import PublicComment

#: Actions nobody may take on a comment in the admin.
REFUSED_ACTIONS = frozenset({"add", "change", "delete"})

MODERATE = "wagtail_policycomms.moderate_publiccomment"
VIEW_PERSONAL_DATA = "wagtail_policycomms.view_personal_data"


class PublicCommentPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, minus add/change/delete; "moderate" maps to moderate_publiccomment."""

    def user_has_permission(self, user, action):
        if action in REFUSED_ACTIONS:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in REFUSED_ACTIONS]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)


comment_permission_policy = PublicCommentPermissionPolicy(PublicComment)


def register_comment_permission_policy():
    """Wagtail 8 looks policies up in a registry; Wagtail 7.4 asks the viewset (see viewsets)."""
    try:
        from wagtail.permissions import register_permission_policy
    except ImportError:  # Wagtail < 8
        return
    register_permission_policy(PublicComment, comment_permission_policy, exact_class=True)


def can_moderate(user):
    return user.has_perm(MODERATE)


def can_view_personal_data(user):
    return user.has_perm(VIEW_PERSONAL_DATA)


def forbidden(request):
    """A real 403 page. Returned, not raised: Wagtail's admin turns a raised
    PermissionDenied into a redirect to the dashboard, which hides the refusal."""
    return permission_denied(request, PermissionDenied())
