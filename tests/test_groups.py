"""The staff groups: ``policycomms_setup_groups`` is idempotent and grants what each role needs;
the demo puts its users into them."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from tests import factories
from wagtail_policycomms.models import CommentResponse, PolicyIndexPage, PublicComment
from wagtail_policycomms.permissions import COORDINATORS, DRAFTING_EDITORS, GROUPS, MODERATORS

APP = "wagtail_policycomms"


def run(*args):
    out = StringIO()
    call_command("policycomms_setup_groups", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def state():
    """Everything the command manages, as plain sorted data."""
    names = [spec.name for spec in GROUPS]
    return {
        "groups": sorted(Group.objects.filter(name__in=names).values_list("pk", "name")),
        "permissions": sorted(
            Group.permissions.through.objects.filter(group__name__in=names).values_list(
                "group_id", "permission_id"
            )
        ),
        "pages": sorted(
            GroupPagePermission.objects.filter(group__name__in=names).values_list(
                "group_id", "page_id", "permission_id"
            )
        ),
        "collections": sorted(
            GroupCollectionPermission.objects.filter(group__name__in=names).values_list(
                "group_id", "collection_id", "permission_id"
            )
        ),
    }


def model_permissions(name):
    return {
        f"{app}.{codename}"
        for app, codename in Group.objects.get(name=name).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def page_actions(name, page):
    return {
        codename.rsplit("_", 1)[0]
        for codename in GroupPagePermission.objects.filter(group__name=name, page=page).values_list(
            "permission__codename", flat=True
        )
    }


def document_actions(name):
    return {
        codename.rsplit("_", 1)[0]
        for codename in GroupCollectionPermission.objects.filter(
            group__name=name, collection=Collection.get_first_root_node()
        ).values_list("permission__codename", flat=True)
    }


def member_of(name):
    user = factories.make_user()
    user.groups.add(Group.objects.get(name=name))
    return get_user_model().objects.get(pk=user.pk)  # fresh permission caches


@pytest.fixture
def indexes(home):
    return [factories.make_index(home), factories.make_index(home, title="Chính sách khác")]


def test_running_twice_gives_the_same_groups_and_permissions(indexes):
    output = run()
    assert f"Created group {DRAFTING_EDITORS!r}" in output
    assert "page permission 'publish'" in output
    first = state()
    assert len(first["groups"]) == 3 and first["permissions"] and first["pages"]

    again = run()
    assert state() == first
    assert "Created" not in again and " + " not in again
    assert "Groups are set up." in again


def test_each_group_has_the_permissions_of_its_role(indexes):
    run()
    editors = model_permissions(DRAFTING_EDITORS)
    moderators = model_permissions(MODERATORS)
    coordinators = model_permissions(COORDINATORS)
    assert editors == {
        "wagtailadmin.access_admin",
        f"{APP}.view_publiccomment",
        f"{APP}.answer_publiccomment",
        # Their own units' assignments only (permissions.AssignmentPermissionPolicy).
        f"{APP}.view_assignment",
        f"{APP}.change_assignment",
    }
    assert moderators == {
        "wagtailadmin.access_admin",
        f"{APP}.view_publiccomment",
        f"{APP}.moderate_publiccomment",
        f"{APP}.export_publiccomment",
        f"{APP}.view_personal_data",
        f"{APP}.view_communicationplan",
        f"{APP}.view_assignment",
        # The Information Centre answers data-subject requests (issue 14).
        f"{APP}.handle_data_requests",
    }
    assert coordinators == {
        "wagtailadmin.access_admin",
        f"{APP}.view_publiccomment",
        f"{APP}.export_publiccomment",
        f"{APP}.view_unit",
        *(
            f"{APP}.{action}_{model}"
            for model in ("communicationplan", "assignment")
            for action in ("add", "change", "delete", "view")
        ),
    }
    for page in indexes:
        assert page_actions(DRAFTING_EDITORS, page) == {"add", "change"}
        assert page_actions(MODERATORS, page) == {"change", "publish"}
        assert page_actions(COORDINATORS, page) == set()
    assert document_actions(DRAFTING_EDITORS) == {"add", "choose"}
    assert document_actions(MODERATORS) == {"add", "change", "choose"}
    assert document_actions(COORDINATORS) == set()


def test_permissions_work_for_members(indexes):
    run()
    editor, moderator, coordinator = (
        member_of(name) for name in (DRAFTING_EDITORS, MODERATORS, COORDINATORS)
    )
    assert editor.has_perm(f"{APP}.answer_publiccomment")
    assert not editor.has_perm(f"{APP}.view_personal_data")
    assert not editor.has_perm(f"{APP}.moderate_publiccomment")
    assert moderator.has_perm(f"{APP}.view_personal_data")
    assert not coordinator.has_perm(f"{APP}.moderate_publiccomment")
    draft = factories.make_draft(indexes[0])
    assert draft.permissions_for_user(editor).can_edit()
    assert not draft.permissions_for_user(editor).can_publish()
    assert draft.permissions_for_user(moderator).can_publish()
    for user in (editor, moderator, coordinator):
        client = Client()
        client.force_login(user)
        assert client.get("/admin/").status_code == 200


def test_a_new_index_page_gets_permissions_on_the_next_run(home):
    output = run()
    assert "No PolicyIndexPage yet" in output
    assert not GroupPagePermission.objects.filter(group__name=DRAFTING_EDITORS).exists()
    index = factories.make_index(home)
    run()
    assert page_actions(DRAFTING_EDITORS, index) == {"add", "change"}


def test_hand_added_permissions_are_kept_unless_strict(indexes):
    run()
    group = Group.objects.get(name=COORDINATORS)
    extra = Permission.objects.get(codename="add_unit")
    group.permissions.add(extra)
    run()
    assert f"{APP}.add_unit" in model_permissions(COORDINATORS)
    output = run("--strict")
    assert f"- {APP}.add_unit" in output
    assert f"{APP}.add_unit" not in model_permissions(COORDINATORS)


# --- The demo ------------------------------------------------------------------------------


def load_demo():
    call_command("policycomms_demo", stdout=StringIO(), stderr=StringIO())


def test_demo_users_are_in_the_groups_and_answers_are_loaded(db):
    load_demo()
    groups = {
        user.username: sorted(user.groups.values_list("name", flat=True))
        for user in get_user_model().objects.all()
    }
    assert groups["bientap"] == [DRAFTING_EDITORS]
    assert groups["kiemduyet"] == [MODERATORS]
    assert groups["dieuphoi"] == [COORDINATORS]
    index = PolicyIndexPage.objects.get()
    assert page_actions(DRAFTING_EDITORS, index) == {"add", "change"}

    answers = list(CommentResponse.objects.order_by("pk"))
    # The startups draft's first round: four published answers ("what changed and
    # why"); the technology round: one published, one not.
    assert [a.is_published for a in answers] == [True, True, True, True, True, False]
    assert all(a.created_by.username == "bientap" for a in answers)
    answered = PublicComment.objects.filter(response__isnull=False)
    assert answered.count() == 6 and all(c.status == "approved" for c in answered)
    before = state()

    load_demo()
    assert CommentResponse.objects.count() == 6
    assert state() == before
