"""Who may do what: every permission name, every rule, and the one way a view refuses.

Read this module to know who may do anything in the package; no other module
holds a permission string or decides access on its own.

- **Names** (``MODERATE``, ``EXPORT``, …) and the three staff groups of the 2024
  plan (``GROUPS``, created by ``policycomms_setup_groups``). Group names are the
  department's own Vietnamese names: proper names, kept as data, not translated.
- **Review** before a draft policy is published: the workflow ``REVIEW_WORKFLOW``
  on each PolicyIndexPage, its reviewers ``POLICYCOMMS_REVIEWER_GROUP`` (also set up
  by ``policycomms_setup_groups``).
- **Predicates** (``can_moderate``, ``can_answer``, ``can_export``, …), one per
  question, used by views, templates' context, hooks and exports alike.
- **Permission policies** of the admin viewsets: comments are never added,
  edited or deleted in the admin (they are records of a legal dossier); editing
  an assignment is scoped by unit.
- **Refusing**: our admin views return ``forbidden(request)``, a real 403 page in
  the admin's own layout. (Wagtail's own views refuse Wagtail's way, a redirect to
  the dashboard with a message; a raised ``PermissionDenied`` in our admin views
  would be turned into that same redirect and hide the refusal.) Public views
  raise ``PermissionDenied``.

Answering is scoped by unit: a member of the unit drafting a policy answers the
comments on that policy, not on other units' policies. Moderators (Information
Centre) may answer any comment and are the only ones who publish answers.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.permission_policies import ModelPermissionPolicy

from . import restricted
from .conf import policycomms_settings
from .models import Assignment, DataSubjectRequest, PublicComment, Unit

APP = "wagtail_policycomms"

ACCESS_ADMIN = "wagtailadmin.access_admin"
VIEW_COMMENTS = f"{APP}.view_publiccomment"
MODERATE = f"{APP}.moderate_publiccomment"
ANSWER = f"{APP}.answer_publiccomment"
EXPORT = f"{APP}.export_publiccomment"
VIEW_PERSONAL_DATA = f"{APP}.view_personal_data"
VIEW_UNITS = f"{APP}.view_unit"
#: Restricted content (state secrets, ``restricted``): granted to no group by default,
#: a deliberate grant to named people.
VIEW_RESTRICTED = f"{APP}.view_restricted_content"
#: Data-subject requests (Law 91/2025/QH15): find, export, correct and anonymise a person's
#: data (``views.data_requests``).
HANDLE_DATA_REQUESTS = f"{APP}.handle_data_requests"

#: The plan and its assignments: the Inspectorate manages them (``change_communicationplan``
#: lets it edit every assignment); drafting units update their own.
PLAN_PERMISSIONS = tuple(
    f"{APP}.{action}_{model}"
    for model in ("communicationplan", "assignment")
    for action in ("add", "change", "delete", "view")
)
VIEW_PLAN = f"{APP}.view_communicationplan"
#: Managing the plan lets a user edit every unit's assignments (``manages_plan``).
MANAGE_PLAN = f"{APP}.change_communicationplan"
VIEW_ASSIGNMENTS = (VIEW_PLAN, f"{APP}.view_assignment")
EDIT_OWN_ASSIGNMENTS = (f"{APP}.view_assignment", f"{APP}.change_assignment")

DRAFTING_EDITORS = "Biên tập viên soạn thảo"
MODERATORS = "Kiểm duyệt viên – Trung tâm Thông tin"
COORDINATORS = "Điều phối – Thanh tra Sở"

#: The review before a draft policy is published (``setup_groups``): a Wagtail workflow
#: with one group-approval task, assigned to each PolicyIndexPage. Its reviewers are the
#: group of ``POLICYCOMMS_REVIEWER_GROUP``. Proper names kept as data, like the groups'.
REVIEW_WORKFLOW = "Duyệt dự thảo chính sách"
REVIEW_TASK = "Duyệt đăng"
#: Page actions the reviewers hold on the section: approving publishes the page.
REVIEWER_PAGE_PERMISSIONS = ("change", "publish")


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
            HANDLE_DATA_REQUESTS,
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


# --- Predicates -----------------------------------------------------------------------------


def _has(user, permission):
    return bool(user.is_active and user.has_perm(permission))


def can_moderate(user):
    """Approve, reject, mark as spam, return to pending; publish answers (Information Centre)."""
    return _has(user, MODERATE)


def can_view_personal_data(user):
    """Names, contact details, IP addresses and attachments of commenters."""
    return _has(user, VIEW_PERSONAL_DATA)


def can_handle_data_requests(user):
    """Data-subject requests: a person's data found, exported, corrected or anonymised."""
    return _has(user, HANDLE_DATA_REQUESTS)


def can_view_restricted(user):
    """Restricted content (state secrets): its articles' labels, its documents' files."""
    return _has(user, VIEW_RESTRICTED)


def can_export(user):
    """Comment exports and the synthesis report."""
    return _has(user, EXPORT)


def can_publish_answers(user):
    """Only moderators (Information Centre) publish and unpublish answers."""
    return can_moderate(user)


def can_answer(user, consultation):
    """Moderators answer any comment; others need the answer permission and membership
    of the unit drafting the consultation's policy."""
    if can_moderate(user):
        return True
    if not _has(user, ANSWER):
        return False
    unit_id = consultation.drafting_unit_id
    return unit_id is not None and unit_id in user_unit_ids(user)


def can_set_themes(user, consultation):
    return can_answer(user, consultation)


def answering_units(user, current=None):
    """Units the user may answer for: their own active units; every active unit for
    moderators. The answer's current unit stays selectable when editing it."""
    allowed = Q(is_active=True) if can_moderate(user) else Q(is_active=True, members=user)
    if current is not None:
        allowed |= Q(pk=current.pk)
    return Unit.objects.filter(allowed).distinct().order_by("name")


def can_attach_synthesis(user, draft):
    """Attaching the synthesis report publishes the draft: export and publish rights on the
    draft, and no lock by someone else."""
    if not (can_export(user) and draft.permissions_for_user(user).can_publish()):
        return False
    lock = draft.get_lock()
    return not (lock and lock.for_user(user))


def manages_plan(user):
    """The Inspectorate (and superusers): may edit every assignment of the plan."""
    return _has(user, MANAGE_PLAN)


def user_unit_ids(user):
    """Ids of the user's units, read once per user object (the listing asks for every row)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_policycomms_unit_ids", None)
    if cached is None:
        cached = frozenset(Unit.objects.for_user(user).values_list("pk", flat=True))
        user._policycomms_unit_ids = cached
    return cached


def can_view_plan_reports(user):
    """The periodic report to the Department of Justice and "assignments by unit".

    The reports cover every unit, so they follow the plan-level permission, not the
    assignment one: drafting units' editors may view (and update) their own unit's
    assignments, which must not open the whole department's figures to them. The
    coordinators (Thanh tra Sở) and whoever else may read the plan see them.
    """
    return _has(user, VIEW_PLAN)


def can_view_compliance_report(user):
    """The compliance report (no personal data): the plan's readers, and whoever may export
    comments (the Information Centre, who post the content)."""
    return can_view_plan_reports(user) or can_export(user)


# --- Permission policies of the admin viewsets -----------------------------------------------

#: Actions nobody may take on a comment in the admin.
REFUSED_COMMENT_ACTIONS = frozenset({"add", "change", "delete"})
#: Actions on one assignment that need the user's unit to lead it (unless they manage the plan).
UNIT_SCOPED_ACTIONS = frozenset({"change", "delete"})


class PublicCommentPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, minus add/change/delete; "moderate" maps to moderate_publiccomment.

    Staff see comments ("view") and change their status only through ``moderation.py``."""

    def user_has_permission(self, user, action):
        if action in REFUSED_COMMENT_ACTIONS:
            return False
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        """Nothing, for staff who may not view restricted content, on a comment sent to a
        round of a draft now restricted as a whole (``restricted.without_hidden``)."""
        if not self.user_has_permission(user, action):
            return False
        return not restricted.is_hidden_page(instance.consultation_id, user)

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        return restricted.without_hidden(instances, user, "consultation_id")

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in REFUSED_COMMENT_ACTIONS]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)


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


class DataRequestPermissionPolicy(ModelPermissionPolicy):
    """Every action on a data-subject request needs ``HANDLE_DATA_REQUESTS``; nobody deletes
    one (it is the record that the request was answered, with its audit entries)."""

    def user_has_permission(self, user, action):
        return action != "delete" and can_handle_data_requests(user)

    def users_with_any_permission(self, actions):
        if not set(actions) - {"delete"}:
            return get_user_model().objects.none()
        app_label, codename = HANDLE_DATA_REQUESTS.split(".")
        permission = Q(
            user_permissions__content_type__app_label=app_label,
            user_permissions__codename=codename,
        ) | Q(
            groups__permissions__content_type__app_label=app_label,
            groups__permissions__codename=codename,
        )
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(permission | Q(is_superuser=True))
            .distinct()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if self.user_has_any_permission(user, actions):
            return self.model._default_manager.all()
        return self.model._default_manager.none()


comment_permission_policy = PublicCommentPermissionPolicy(PublicComment)
assignment_permission_policy = AssignmentPermissionPolicy(Assignment)
data_request_permission_policy = DataRequestPermissionPolicy(DataSubjectRequest)


def register_permission_policies():
    """Wagtail 8 looks policies up in a registry; Wagtail 7.4 asks the viewset (see viewsets).
    Called by ``wagtail_hooks`` before the viewsets are registered."""
    try:
        from wagtail.permissions import register_permission_policy
    except ImportError:  # Wagtail < 8
        return
    register_permission_policy(PublicComment, comment_permission_policy, exact_class=True)
    register_permission_policy(Assignment, assignment_permission_policy, exact_class=True)
    register_permission_policy(DataSubjectRequest, data_request_permission_policy, exact_class=True)


# --- Refusing -----------------------------------------------------------------------------------


def forbidden(request):
    """The refusal of our admin views: a real 403 in the admin's layout, in the user's language.

    Returned, not raised: Wagtail's admin turns a raised ``PermissionDenied`` into a
    redirect to the dashboard, which hides the refusal from the person and from tests.
    """
    return render(
        request,
        "wagtail_policycomms/admin/403.html",
        {"page_title": _("Permission denied"), "header_icon": "warning"},
        status=403,
    )


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


def reviewer_group_name():
    """The name of the group that approves draft policies (``POLICYCOMMS_REVIEWER_GROUP``:
    a key of ``GROUPS`` or a group's name), or None when the portal has no review."""
    value = policycomms_settings.REVIEWER_GROUP
    if not value:
        return None
    spec = GROUPS_BY_KEY.get(value)
    return spec.name if spec else value


@transaction.atomic
def setup_groups(*, strict=False):
    """Create or update the groups of ``GROUPS`` and the review workflow; returns a list of
    what was done.

    Idempotent: declared permissions are added when missing, never duplicated.
    With ``strict``, permissions of these groups that are not declared (added by
    hand in the admin) are removed too. Page permissions are granted on each
    PolicyIndexPage that exists now: run the command again after adding one.
    The reviewers (``reviewer_group_name()``) get publish on the section and are the
    reviewers of the workflow ``REVIEW_WORKFLOW``, assigned to each PolicyIndexPage
    (``_setup_review_workflow``).
    """
    from wagtail.models import Collection, GroupCollectionPermission

    from .models import PolicyIndexPage

    done = []
    index_pages = list(PolicyIndexPage.objects.order_by("path"))
    root_collection = Collection.get_first_root_node()
    if not index_pages and any(spec.page_permissions for spec in GROUPS):
        done.append("No PolicyIndexPage yet: page permissions skipped; run again after adding one.")
    reviewers = reviewer_group_name()

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

        page_actions = spec.page_permissions
        if spec.name == reviewers:
            page_actions = tuple(dict.fromkeys((*page_actions, *REVIEWER_PAGE_PERMISSIONS)))
        _grant_page_permissions(group, page_actions, index_pages, strict=strict, done=done)

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

    if reviewers:
        _setup_review_workflow(reviewers, index_pages, strict=strict, done=done)
    return done


def _grant_page_permissions(group, actions, index_pages, *, strict, done):
    """``actions`` on every index page for ``group``; with ``strict``, nothing else."""
    from wagtail.models import GroupPagePermission

    page_permissions = {action: _page_permission(action) for action in actions}
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
            GroupPagePermission.objects.create(group=group, page_id=key[0], permission_id=key[1])
            done.append(f"  + page permission {action!r} on {page.url_path}")
    if strict:
        for key, row in existing_pages.items():
            if key not in wanted_pages:
                row.delete()
                done.append(f"  - page permission {row.permission.codename} on page {row.page_id}")


def _setup_review_workflow(reviewers, index_pages, *, strict, done):
    """The workflow ``REVIEW_WORKFLOW``: one ``GroupApprovalTask`` (``REVIEW_TASK``) whose
    reviewers are the group named ``reviewers``, assigned to each index page.

    Drafting editors add and change pages in the section but do not publish: their button
    is "Submit to Duyệt dự thảo chính sách"; the reviewers see the page under "Awaiting
    your review" on the dashboard, approve (which publishes it) or request changes.
    Found again by its name and its task's name, so running again adds nothing. A group
    that is not one of ``GROUPS`` is created if needed and given access to the admin and
    ``REVIEWER_PAGE_PERMISSIONS`` on the section. An index page that already has another
    workflow keeps it (``strict`` replaces it). Wagtail's default workflow, on the root
    page, is left as it is: it still applies outside the section.
    """
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    group, created = Group.objects.get_or_create(name=reviewers)
    if reviewers not in {spec.name for spec in GROUPS}:
        if created:
            done.append(f"Created group {reviewers!r} (reviewers of draft policies)")
        access = _model_permission(ACCESS_ADMIN)
        if not group.permissions.filter(pk=access.pk).exists():
            group.permissions.add(access)
            done.append(f"  + {ACCESS_ADMIN}")
        _grant_page_permissions(
            group, REVIEWER_PAGE_PERMISSIONS, index_pages, strict=False, done=done
        )

    workflow = Workflow.objects.filter(name=REVIEW_WORKFLOW).order_by("pk").first()
    if workflow is None:
        workflow = Workflow.objects.create(name=REVIEW_WORKFLOW)
        done.append(f"Created workflow {REVIEW_WORKFLOW!r}")
    else:
        done.append(f"Found workflow {REVIEW_WORKFLOW!r}")
        if not workflow.active:
            workflow.active = True
            workflow.save(update_fields=["active"])
            done.append("  + active again (it had been disabled)")

    task = (
        GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow, name=REVIEW_TASK)
        .order_by("pk")
        .first()
    )
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK)
        WorkflowTask.objects.create(
            workflow=workflow, task=task, sort_order=workflow.workflow_tasks.count()
        )
        done.append(f"  + task {REVIEW_TASK!r}")
    elif not task.active:
        task.active = True
        task.save(update_fields=["active"])
        done.append(f"  + task {REVIEW_TASK!r} active again")
    if not task.groups.filter(pk=group.pk).exists():
        task.groups.add(group)
        done.append(f"  + reviewers {reviewers!r}")
    if strict:
        for other in task.groups.exclude(pk=group.pk):
            task.groups.remove(other)
            done.append(f"  - reviewers {other.name!r}")

    assigned = {
        row.page_id: row
        for row in WorkflowPage.objects.filter(
            page_id__in=[page.pk for page in index_pages]
        ).select_related("workflow")
    }
    for page in index_pages:
        current = assigned.get(page.pk)
        if current is None:
            WorkflowPage.objects.create(page_id=page.pk, workflow=workflow)
            done.append(f"  + workflow {REVIEW_WORKFLOW!r} on {page.url_path}")
        elif current.workflow_id != workflow.pk:
            if strict:
                replaced = current.workflow.name
                current.workflow = workflow
                current.save(update_fields=["workflow"])
                done.append(
                    f"  + workflow {REVIEW_WORKFLOW!r} on {page.url_path} (was {replaced!r})"
                )
            else:
                done.append(
                    f"  {page.url_path} keeps its own workflow {current.workflow.name!r} "
                    "(--strict replaces it)"
                )


def groups_by_key():
    """The Group objects of ``GROUPS`` that exist, by key."""
    names = {spec.name: spec.key for spec in GROUPS}
    return {names[group.name]: group for group in Group.objects.filter(name__in=names)}
