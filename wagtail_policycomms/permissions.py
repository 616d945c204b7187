"""Who may do what: the staff groups as data, and the rules for answering and publishing.

The three groups of the 2024 plan are declared in ``GROUPS``; the
``policycomms_setup_groups`` command (``setup_groups`` below) creates or updates
them. Group names are the department's own Vietnamese names: proper names,
kept as data, not translated.

Answering is scoped by unit: a member of the unit drafting a policy answers the
comments on that policy, not on other units' policies. Moderators (Information
Centre) may answer any comment and are the only ones who publish answers.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q

APP = "wagtail_policycomms"

ACCESS_ADMIN = "wagtailadmin.access_admin"
VIEW_COMMENTS = f"{APP}.view_publiccomment"
MODERATE = f"{APP}.moderate_publiccomment"
ANSWER = f"{APP}.answer_publiccomment"
EXPORT = f"{APP}.export_publiccomment"
VIEW_PERSONAL_DATA = f"{APP}.view_personal_data"
VIEW_UNITS = f"{APP}.view_unit"

#: The plan and its assignments: the Inspectorate manages them (``change_communicationplan``
#: lets it edit every assignment, see admin_permissions); drafting units update their own.
PLAN_PERMISSIONS = tuple(
    f"{APP}.{action}_{model}"
    for model in ("communicationplan", "assignment")
    for action in ("add", "change", "delete", "view")
)
VIEW_PLAN = f"{APP}.view_communicationplan"
#: Managing the plan lets a user edit every unit's assignments (admin_permissions).
MANAGE_PLAN = f"{APP}.change_communicationplan"
VIEW_ASSIGNMENTS = (VIEW_PLAN, f"{APP}.view_assignment")
EDIT_OWN_ASSIGNMENTS = (f"{APP}.view_assignment", f"{APP}.change_assignment")

DRAFTING_EDITORS = "Biên tập viên soạn thảo"
MODERATORS = "Kiểm duyệt viên – Trung tâm Thông tin"
COORDINATORS = "Điều phối – Thanh tra Sở"


@dataclass(frozen=True)
class GroupSpec:
    """A staff group and everything it is granted.

    ``permissions`` are model permissions as "app_label.codename".
    ``page_permissions`` are page actions ("add", "change", "publish", …) granted
    on every PolicyIndexPage, so on the draft policies and consultations below.
    ``document_permissions`` are document actions ("add", "change", "choose")
    granted on the root collection.
    """

    key: str
    name: str
    description: str
    permissions: tuple[str, ...]
    page_permissions: tuple[str, ...] = ()
    document_permissions: tuple[str, ...] = ()


GROUPS = (
    GroupSpec(
        key="drafting_editors",
        name=DRAFTING_EDITORS,
        description=(
            "drafting units' editors: write draft policies, answer their unit's comments, "
            "update their unit's assignments"
        ),
        permissions=(ACCESS_ADMIN, VIEW_COMMENTS, ANSWER, *EDIT_OWN_ASSIGNMENTS),
        page_permissions=("add", "change"),
        document_permissions=("add", "choose"),
    ),
    GroupSpec(
        key="moderators",
        name=MODERATORS,
        description="Information Centre: moderate, publish answers and pages, export",
        permissions=(
            ACCESS_ADMIN,
            VIEW_COMMENTS,
            MODERATE,
            EXPORT,
            VIEW_PERSONAL_DATA,
            *VIEW_ASSIGNMENTS,
        ),
        page_permissions=("change", "publish"),
        document_permissions=("add", "change", "choose"),
    ),
    GroupSpec(
        key="coordinators",
        name=COORDINATORS,
        description="Department Inspectorate: follow the plan across units, report",
        permissions=(
            ACCESS_ADMIN,
            VIEW_COMMENTS,
            EXPORT,
            VIEW_UNITS,
            # The plan and its assignments; running policycomms_setup_groups again
            # grants permissions added here.
            *PLAN_PERMISSIONS,
        ),
    ),
)

GROUPS_BY_KEY = {spec.key: spec for spec in GROUPS}


# --- Answering and publishing ---------------------------------------------------------------


def is_moderator(user):
    return bool(user.is_active and user.has_perm(MODERATE))


def can_publish_answers(user):
    """Only moderators (Information Centre) publish and unpublish answers."""
    return is_moderator(user)


def drafting_unit_id(consultation):
    """The unit drafting the policy a consultation belongs to (None if it has none)."""
    return getattr(consultation.draft_policy, "drafting_unit_id", None)


def can_answer(user, consultation):
    """Moderators answer any comment; others need the answer permission and membership
    of the unit drafting the consultation's policy."""
    if not user.is_active:
        return False
    if is_moderator(user):
        return True
    if not user.has_perm(ANSWER):
        return False
    from .models import Unit

    unit_id = drafting_unit_id(consultation)
    return unit_id is not None and Unit.objects.filter(pk=unit_id, members=user).exists()


def can_set_themes(user, consultation):
    return can_answer(user, consultation)


def answering_units(user, current=None):
    """Units the user may answer for: their own active units; every active unit for
    moderators. The answer's current unit stays selectable when editing it."""
    from .models import Unit

    allowed = Q(is_active=True) if is_moderator(user) else Q(is_active=True, members=user)
    if current is not None:
        allowed |= Q(pk=current.pk)
    return Unit.objects.filter(allowed).distinct().order_by("name")


# --- Creating the groups --------------------------------------------------------------------


def _model_permission(dotted):
    app_label, codename = dotted.split(".", 1)
    found = list(
        Permission.objects.filter(content_type__app_label=app_label, codename=codename)[:2]
    )
    if len(found) != 1:
        raise LookupError(f"Permission {dotted!r} does not exist (are migrations applied?)")
    return found[0]


def _page_permission(action):
    from wagtail.models import get_default_page_content_type

    content_type = get_default_page_content_type()
    return Permission.objects.get(
        content_type=content_type, codename=f"{action}_{content_type.model}"
    )


def _document_permission(action):
    from wagtail.documents import get_document_model

    content_type = ContentType.objects.get_for_model(get_document_model())
    return Permission.objects.get(
        content_type=content_type, codename=f"{action}_{content_type.model}"
    )


def _label(permission):
    return f"{permission.content_type.app_label}.{permission.codename}"


@transaction.atomic
def setup_groups(*, strict=False):
    """Create or update the groups of ``GROUPS``; returns a list of what was done.

    Idempotent: declared permissions are added when missing, never duplicated.
    With ``strict``, permissions of these groups that are not declared (added by
    hand in the admin) are removed too. Page permissions are granted on each
    PolicyIndexPage that exists now: run the command again after adding one.
    """
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

    from .models import PolicyIndexPage

    done = []
    index_pages = list(PolicyIndexPage.objects.order_by("path"))
    root_collection = Collection.get_first_root_node()
    if not index_pages and any(spec.page_permissions for spec in GROUPS):
        done.append("No PolicyIndexPage yet: page permissions skipped; run again after adding one.")

    for spec in GROUPS:
        group, created = Group.objects.get_or_create(name=spec.name)
        done.append(f"{'Created' if created else 'Found'} group {spec.name!r} ({spec.description})")

        wanted = {_model_permission(name) for name in spec.permissions}
        existing = set(group.permissions.select_related("content_type"))
        missing = wanted - existing
        if missing:
            group.permissions.add(*missing)
            done.append(f"  + {', '.join(sorted(_label(p) for p in missing))}")
        extra = existing - wanted
        if strict and extra:
            group.permissions.remove(*extra)
            done.append(f"  - {', '.join(sorted(_label(p) for p in extra))}")

        page_permissions = {action: _page_permission(action) for action in spec.page_permissions}
        wanted_pages = {
            (page.pk, permission.pk): (page, action)
            for page in index_pages
            for action, permission in page_permissions.items()
        }
        existing_pages = {
            (row.page_id, row.permission_id): row
            for row in GroupPagePermission.objects.filter(group=group)
        }
        for key, (page, action) in wanted_pages.items():
            if key not in existing_pages:
                GroupPagePermission.objects.create(
                    group=group, page_id=key[0], permission_id=key[1]
                )
                done.append(f"  + page permission {action!r} on {page.url_path}")
        if strict:
            for key, row in existing_pages.items():
                if key not in wanted_pages:
                    row.delete()
                    done.append(
                        f"  - page permission {row.permission.codename} on page {row.page_id}"
                    )

        wanted_docs = {
            _document_permission(action).pk: action for action in spec.document_permissions
        }
        existing_docs = {
            row.permission_id: row
            for row in GroupCollectionPermission.objects.filter(
                group=group, collection=root_collection
            )
        }
        for permission_id, action in wanted_docs.items():
            if permission_id not in existing_docs:
                GroupCollectionPermission.objects.create(
                    group=group, collection=root_collection, permission_id=permission_id
                )
                done.append(f"  + document permission {action!r} on the root collection")
        if strict:
            for permission_id, row in existing_docs.items():
                if permission_id not in wanted_docs:
                    row.delete()
                    done.append(f"  - collection permission {row.permission.codename}")
    return done


def groups_by_key():
    """The Group objects of ``GROUPS`` that exist, by key."""
    names = {spec.name: spec.key for spec in GROUPS}
    return {names[group.name]: group for group in Group.objects.filter(name__in=names)}
