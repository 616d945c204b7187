"""Who may do what with public comments and the plan's assignments in the admin.

Comments come from the public and are part of a legal dossier: staff never add,
edit or delete them, not even superusers. Staff see them ("view") and change their
status only through ``moderation.py`` ("moderate").

Assignments are scoped by unit: whoever manages the plan (``change_communicationplan``,
the Inspectorate) edits any assignment; other staff with ``change_assignment`` (the
drafting units) edit only the assignments their own units lead.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.views.defaults import permission_denied
from wagtail.permission_policies import ModelPermissionPolicy

from .models import Assignment, PublicComment, Unit
from .permissions import MANAGE_PLAN, MODERATE, VIEW_PERSONAL_DATA

#: Actions nobody may take on a comment in the admin.
REFUSED_ACTIONS = frozenset({"add", "change", "delete"})


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


# --- Assignments ------------------------------------------------------------------------------

#: Actions on one assignment that need the user's unit to lead it (unless they manage the plan).
UNIT_SCOPED_ACTIONS = frozenset({"change", "delete"})


def manages_plan(user):
    """The Inspectorate (and superusers): may edit every assignment of the plan."""
    return bool(user.is_active and user.has_perm(MANAGE_PLAN))


def user_unit_ids(user):
    """Ids of the user's units, read once per user object (the listing asks for every row)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_policycomms_unit_ids", None)
    if cached is None:
        cached = frozenset(Unit.objects.for_user(user).values_list("pk", flat=True))
        user._policycomms_unit_ids = cached
    return cached


class AssignmentPermissionPolicy(ModelPermissionPolicy):
    """Model permissions; editing or deleting one assignment also needs one of the user's units
    to lead it, unless the user manages the plan."""

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if action not in UNIT_SCOPED_ACTIONS or manages_plan(user):
            return True
        return instance.responsible_unit_id in user_unit_ids(user)

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        if manages_plan(user) or not set(actions) <= UNIT_SCOPED_ACTIONS:
            return instances
        return instances.led_by(user_unit_ids(user))


assignment_permission_policy = AssignmentPermissionPolicy(Assignment)


def register_assignment_permission_policy():
    """Like the comments' policy: Wagtail 8 reads its registry, Wagtail 7.4 the viewset."""
    try:
        from wagtail.permissions import register_permission_policy
    except ImportError:  # Wagtail < 8
        return
    register_permission_policy(Assignment, assignment_permission_policy, exact_class=True)


def can_moderate(user):
    return user.has_perm(MODERATE)


def can_view_personal_data(user):
    return user.has_perm(VIEW_PERSONAL_DATA)


def forbidden(request):
    """A real 403 page. Returned, not raised: Wagtail's admin turns a raised
    PermissionDenied into a redirect to the dashboard, which hides the refusal."""
    return permission_denied(request, PermissionDenied())
