"""Publishing through review: the workflow ``policycomms_setup_groups`` sets up on the
draft-policy section, used end to end by the real groups through Wagtail's own views.

A drafting editor (add and change, no publish) submits a new draft; the reviewers
(``POLICYCOMMS_REVIEWER_GROUP``, the Information Centre by default) find it under
"Awaiting your review" on the dashboard and approve it (it goes live) or request
changes (the editor edits and submits again).
"""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowState,
)
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests import factories
from wagtail_policycomms.models import DraftPolicyPage
from wagtail_policycomms.permissions import (
    DRAFTING_EDITORS,
    MODERATORS,
    REVIEW_TASK,
    REVIEW_WORKFLOW,
)


def run(*args):
    out = StringIO()
    call_command("policycomms_setup_groups", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def member(group_name, username):
    user = factories.make_member(group_name, username)
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def section(index):
    run()
    return index


@pytest.fixture
def editor(section):
    return member(DRAFTING_EDITORS, "bientap")


@pytest.fixture
def reviewer(section):
    return member(MODERATORS, "kiemduyet")


def draft_data(unit, title="Lấy ý kiến Điều lệ", **extra):
    data = {
        "title": title,
        "slug": "",
        "document_type": "other",
        "drafting_unit": str(unit.pk),
        "summary": "Tóm tắt.",
        "body": streamfield([]),
        "related_documents": inline_formset([]),
        "communication_log": inline_formset([]),
        **{name: rich_text("") for name in DraftPolicyPage.communication_sections},
    }
    data.update(extra)
    return nested_form_data(data)


def submit_new_draft(client, section, user):
    unit = factories.make_unit()
    unit.members.add(user)
    url = reverse(
        "wagtailadmin_pages:add", args=["wagtail_policycomms", "draftpolicypage", section.pk]
    )
    response = client.post(url, {**draft_data(unit), "action-submit": "action-submit"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return DraftPolicyPage.objects.get(), unit


def workflow_action(client, page, action, **data):
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, data)


# --- What the command sets up ---------------------------------------------------------------


def test_the_section_has_the_review_workflow_with_the_moderators_as_reviewers(section):
    workflow = Workflow.objects.get(name=REVIEW_WORKFLOW)
    assert workflow.active
    assert WorkflowPage.objects.get(page=section).workflow == workflow
    [task] = [task.specific for task in workflow.tasks]
    assert isinstance(task, GroupApprovalTask) and task.name == REVIEW_TASK
    assert list(task.groups.values_list("name", flat=True)) == [MODERATORS]
    # The reviewers publish in the section; the drafting editors do not.
    actions = {
        (name, codename.split("_")[0])
        for name, codename in GroupPagePermission.objects.filter(page=section).values_list(
            "group__name", "permission__codename"
        )
    }
    assert (MODERATORS, "publish") in actions
    assert (DRAFTING_EDITORS, "add") in actions
    assert (DRAFTING_EDITORS, "publish") not in actions


def test_running_again_adds_nothing(section, home):
    other = factories.make_index(home, title="Dự thảo khác")
    first_output = run()
    assert f"+ workflow {REVIEW_WORKFLOW!r} on {other.url_path}" in first_output
    again = run()
    assert "Created" not in again and " + " not in again
    assert Workflow.objects.filter(name=REVIEW_WORKFLOW).count() == 1
    assert GroupApprovalTask.objects.filter(name=REVIEW_TASK).count() == 1
    workflow = Workflow.objects.get(name=REVIEW_WORKFLOW)
    assert set(WorkflowPage.objects.filter(workflow=workflow).values_list("page", flat=True)) == {
        section.pk,
        other.pk,
    }
    assert GroupApprovalTask.objects.get(name=REVIEW_TASK).groups.count() == 1


def test_wagtails_default_workflow_still_applies_outside_the_section(section, home):
    root = Page.get_first_root_node()
    default = WorkflowPage.objects.get(page=root).workflow  # Wagtail's "Moderators approval"
    assert default.name != REVIEW_WORKFLOW and default.active
    assert home.get_workflow() == default
    assert section.get_workflow().name == REVIEW_WORKFLOW
    draft = factories.make_draft(section)
    assert draft.get_workflow().name == REVIEW_WORKFLOW


def test_a_disabled_workflow_is_enabled_again_and_another_workflow_kept_unless_strict(section):
    workflow = Workflow.objects.get(name=REVIEW_WORKFLOW)
    workflow.deactivate()  # what "Disable" in the admin does: also unassigns it
    assert not WorkflowPage.objects.filter(page=section).exists()
    run()
    workflow.refresh_from_db()
    assert workflow.active and WorkflowPage.objects.get(page=section).workflow == workflow

    own = Workflow.objects.create(name="Quy trình riêng")
    WorkflowPage.objects.filter(page=section).update(workflow=own)
    output = run()
    assert "keeps its own workflow" in output
    assert WorkflowPage.objects.get(page=section).workflow == own
    run("--strict")
    assert WorkflowPage.objects.get(page=section).workflow == workflow


def test_a_reviewer_group_of_the_portals_own(index, settings):
    settings.POLICYCOMMS_REVIEWER_GROUP = "Lãnh đạo phòng soạn thảo"
    output = run()
    assert "Created group 'Lãnh đạo phòng soạn thảo'" in output
    leaders = Group.objects.get(name="Lãnh đạo phòng soạn thảo")
    task = GroupApprovalTask.objects.get(name=REVIEW_TASK)
    assert list(task.groups.all()) == [leaders]
    assert leaders.permissions.filter(codename="access_admin").exists()
    leader = factories.make_user()
    leader.groups.add(leaders)
    draft = factories.make_draft(index)
    assert draft.permissions_for_user(leader).can_publish()
    assert " + " not in run()


def test_no_reviewer_group_no_workflow(index, settings):
    settings.POLICYCOMMS_REVIEWER_GROUP = None
    run()
    assert not Workflow.objects.filter(name=REVIEW_WORKFLOW).exists()
    assert not WorkflowPage.objects.filter(page=index).exists()


# --- End to end -------------------------------------------------------------------------------


def test_editor_submits_reviewer_approves_and_the_draft_goes_live(section, editor, reviewer):
    editor_user, editor_client = editor
    reviewer_user, reviewer_client = reviewer
    draft, _ = submit_new_draft(editor_client, section, editor_user)
    assert not draft.live
    assert draft.slug == "lay-y-kien-dieu-le"
    assert draft.workflow_in_progress
    assert draft.current_workflow_state.workflow.name == REVIEW_WORKFLOW
    # The editor cannot publish it; the page is locked for them while it is reviewed.
    assert not draft.permissions_for_user(editor_user).can_publish()

    dashboard = reviewer_client.get(reverse("wagtailadmin_home"))
    awaiting = factories.soup_of(dashboard).select_one("#awaiting-review-section")
    assert awaiting is not None and "Awaiting your review" in awaiting.get_text()
    assert "Lấy ý kiến Điều lệ" in awaiting.get_text()
    assert reverse("wagtailadmin_pages:edit", args=[draft.pk]) in str(awaiting)
    # The editor has nothing to review.
    assert (
        factories.soup_of(editor_client.get(reverse("wagtailadmin_home"))).select_one(
            "#awaiting-review-section"
        )
        is None
    )

    response = workflow_action(reviewer_client, draft, "approve")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.live and not draft.workflow_in_progress
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_APPROVED
    assert draft.get_latest_revision().user == editor_user
    assert editor_client.get(draft.url).status_code == 200


def test_reviewer_requests_changes_editor_edits_and_submits_again(section, editor, reviewer):
    editor_user, editor_client = editor
    _, reviewer_client = reviewer
    draft, unit = submit_new_draft(editor_client, section, editor_user)

    # The editor may not act on the task.
    assert workflow_action(editor_client, draft, "approve").status_code in (302, 403)
    draft.refresh_from_db()
    assert not draft.live and draft.workflow_in_progress

    response = workflow_action(reviewer_client, draft, "reject", comment="Bổ sung phần tác động.")
    assert response.status_code == 302
    state = WorkflowState.objects.get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    draft.refresh_from_db()
    assert not draft.live

    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    data = draft_data(unit, summary="Tóm tắt, đã bổ sung tác động.", slug=draft.slug)
    response = editor_client.post(edit_url, {**data, "action-submit": "action-submit"})
    assert response.status_code == 302, response.content.decode()[:3000]
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == REVIEW_TASK

    draft.refresh_from_db()
    assert workflow_action(reviewer_client, draft, "approve").status_code == 302
    draft.refresh_from_db()
    assert draft.live and draft.summary == "Tóm tắt, đã bổ sung tác động."
