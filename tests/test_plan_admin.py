"""The plan's admin screens: the assignments' listing (filters, overdue text, own units first,
query count), CSV and XLSX exports, the edit form's errors, history, and who may edit what."""

import csv
import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from tests import factories
from wagtail_policycomms.models import (
    Assignment,
    AssignmentProgress,
    AssignmentStatus,
    CommunicationPlan,
)
from wagtail_policycomms.permissions import COORDINATORS, DRAFTING_EDITORS, MODERATORS

ASSIGNMENTS = "wagtailsnippets_wagtail_policycomms_assignment"
PLANS = "wagtailsnippets_wagtail_policycomms_communicationplan"
#: 10:00 on 1 June 2024 in Hanoi: "today" for the listing.
NOW = "2024-06-01T03:00:00Z"
TODAY = date(2024, 6, 1)


def url(namespace, name, *args):
    return reverse(f"{namespace}:{name}", args=args)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def member_of(group_name, *units):
    """A staff member in one of the setup groups (run the command first), in these units."""
    user = factories.make_user()
    user.groups.add(Group.objects.get(name=group_name))
    for unit in units:
        unit.members.add(user)
    return get_user_model().objects.get(pk=user.pk)


def row_of(soup, title):
    """The listing's table row of the assignment titled ``title``."""
    return next(tr for tr in soup.select("tbody tr") if title in tr.get_text())


def listed(client, **params):
    response = client.get(url(ASSIGNMENTS, "list"), params)
    assert response.status_code == 200
    return [a.title for a in response.context["object_list"]]


@pytest.fixture(autouse=True)
def frozen_today():
    with freeze_time(NOW):
        yield


@pytest.fixture
def units(db):
    return {
        "inspectorate": factories.make_unit("Thanh tra Sở"),
        "office": factories.make_unit("Văn phòng Sở"),
        "centre": factories.make_unit("Trung tâm Thông tin, Thống kê, Ứng dụng KH&CN"),
    }


@pytest.fixture
def plan(db):
    return factories.make_plan(2024, number="35/KH-SKHCN")


@pytest.fixture
def rows(plan, units, index):
    """Five assignments covering each filter."""
    drafting = factories.make_unit("Phòng Quản lý Công nghệ và Đổi mới sáng tạo")
    draft = factories.make_draft(index, title="Dự thảo Nghị quyết", drafting_unit=drafting)
    return {
        "late": factories.make_assignment(
            plan,
            reference="II.1",
            title="Phổ biến quy định",
            category="disseminate",
            lead_unit=units["inspectorate"],
            coordinating_units=[units["office"]],
            due_on=TODAY - timedelta(days=3),
            status="in_progress",
        ),
        "soon": factories.make_assignment(
            plan,
            reference="II.2.1",
            title="Xây dựng nội dung",
            category="content",
            lead_unit=units["centre"],
            coordinating_units=[units["inspectorate"]],
            due_on=TODAY + timedelta(days=5),
        ),
        "later": factories.make_assignment(
            plan,
            reference="II.2.2",
            title="Tổ chức hội nghị",
            category="forms",
            lead_unit=units["office"],
            due_on=TODAY + timedelta(days=20),
        ),
        "done": factories.make_assignment(
            plan,
            reference="II.3",
            title="Tiếp nhận góp ý",
            category="feedback",
            lead_unit=units["office"],
            due_on=TODAY - timedelta(days=10),
            status="done",
        ),
        "drafted": factories.make_assignment(
            plan,
            reference="II.2.3",
            title="Truyền thông dự thảo",
            category="content",
            draft_policy=draft,
            lead_unit_text="Phòng chủ trì soạn thảo",
            time_frame="Khi có dự thảo",
        ),
    }


# --- Listing ----------------------------------------------------------------------------------


def test_listing_shows_columns_and_overdue_as_text(editor_client, rows):
    response = editor_client.get(url(ASSIGNMENTS, "list"))
    assert response.status_code == 200
    soup = factories.soup_of(response)
    late_row = row_of(soup, "Phổ biến quy định")
    assert "policycomms-overdue" in late_row["class"]
    text = " ".join(late_row.get_text(" ").split())
    assert "II.1" in text and "Thanh tra Sở" in text
    assert "29/05/2024" in text and "Overdue 3 days" in text
    done_row = row_of(soup, "Tiếp nhận góp ý")
    assert "policycomms-overdue" not in (done_row.get("class") or [])
    assert "Overdue" not in done_row.get_text() and "Done" in done_row.get_text()
    # No lead unit: the plan's wording and the time frame instead of a date.
    drafted = row_of(soup, "Truyền thông dự thảo")
    assert "Phòng chủ trì soạn thảo" in drafted.get_text()
    assert "Khi có dự thảo" in drafted.get_text()
    # Items done per draft share the plan's wording: the draft tells them apart.
    assert rows["drafted"].draft_policy.title in drafted.get_text()
    assert rows["drafted"].draft_policy.title not in late_row.get_text()


def test_default_order_is_due_date_with_undated_last(editor_client, rows):
    assert listed(editor_client) == [
        "Tiếp nhận góp ý",
        "Phổ biến quy định",
        "Xây dựng nội dung",
        "Tổ chức hội nghị",
        "Truyền thông dự thảo",
    ]


def test_a_units_staff_see_their_units_assignments_first(rows, units):
    call_command("policycomms_setup_groups", stdout=io.StringIO())
    centre_staff = member_of(DRAFTING_EDITORS, units["centre"])
    assert listed(client_for(centre_staff))[0] == "Xây dựng nội dung"
    office_staff = member_of(DRAFTING_EDITORS, units["office"])
    # Led or coordinated by the office, by due date; then the others.
    assert listed(client_for(office_staff)) == [
        "Tiếp nhận góp ý",
        "Phổ biến quy định",
        "Tổ chức hội nghị",
        "Xây dựng nội dung",
        "Truyền thông dự thảo",
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "done"}, {"done"}),
        ({"category": "content"}, {"soon", "drafted"}),
        ({"overdue": "true"}, {"late"}),
        ({"overdue": "false"}, {"soon", "later", "done", "drafted"}),
        ({"due_within": "7"}, {"soon"}),
        ({"due_within": "30"}, {"soon", "later"}),
    ],
)
def test_each_filter_narrows_the_rows(editor_client, rows, params, expected):
    titles = {key: row.title for key, row in rows.items()}
    assert set(listed(editor_client, **params)) == {titles[key] for key in expected}


def test_unit_filter_covers_lead_coordinating_and_drafting_unit(editor_client, rows, units):
    inspectorate = listed(editor_client, unit=units["inspectorate"].pk)
    assert sorted(inspectorate) == sorted(["Phổ biến quy định", "Xây dựng nội dung"])
    drafting = rows["drafted"].draft_policy.drafting_unit
    assert listed(editor_client, unit=drafting.pk) == ["Truyền thông dự thảo"]


def test_plan_filter(editor_client, rows):
    other = factories.make_assignment(factories.make_plan(2025), title="Kế hoạch 2025")
    assert listed(editor_client, plan=other.plan_id) == ["Kế hoạch 2025"]
    assert len(listed(editor_client, plan=rows["late"].plan_id)) == 5


def make_many(plan, units, count):
    for n in range(count):
        factories.make_assignment(
            plan,
            lead_unit=units["office"],
            coordinating_units=[units["centre"], units["inspectorate"]],
            due_on=TODAY + timedelta(days=n - 2),
        )


@pytest.mark.parametrize("params", [{}, {"export": "csv"}, {"export": "xlsx"}])
def test_queries_do_not_grow_with_rows(plan, units, django_assert_max_num_queries, params):
    call_command("policycomms_setup_groups", stdout=io.StringIO())
    client = client_for(member_of(COORDINATORS, units["inspectorate"]))
    make_many(plan, units, 5)
    AssignmentProgress.objects.bulk_create(
        [AssignmentProgress(assignment=a, note="Đã triển khai") for a in Assignment.objects.all()]
    )

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(ASSIGNMENTS, "list"), params)
            assert response.status_code == 200
            body_of(response)
        return len(queries)

    few = count_queries()
    make_many(plan, units, 45)
    with django_assert_max_num_queries(few):
        body_of(client.get(url(ASSIGNMENTS, "list"), params))


# --- Exports ----------------------------------------------------------------------------------


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def export(client, fmt, **params):
    response = client.get(url(ASSIGNMENTS, "list"), {"export": fmt, **params})
    assert response.status_code == 200
    return body_of(response)


def test_csv_export_has_every_column_in_local_formats(editor_client, rows, units):
    AssignmentProgress.objects.create(
        assignment=rows["late"], date=date(2024, 5, 20), note="=Đã gửi công văn"
    )
    AssignmentProgress.objects.create(
        assignment=rows["late"], date=date(2024, 5, 28), note="Đã tổ chức tập huấn"
    )
    rows["late"].budget_estimated = 5_000_000
    rows["late"].funding_source = "Ngân sách thường xuyên"
    rows["late"].save()
    raw = export(editor_client, "csv", status="in_progress")
    assert raw.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, *body = table
    assert header[:4] == ["Item in the plan", "Plan", "Activity", "Title"]
    assert "Latest progress note" in header and "Coordinating units" in header
    assert len(body) == 1
    row = dict(zip(header, body[0], strict=True))
    assert row["Item in the plan"] == "II.1"
    assert row["Plan"].startswith("35/KH-SKHCN")
    assert row["Lead unit"] == "Thanh tra Sở"
    assert row["Coordinating units"] == "Văn phòng Sở"
    assert row["Due date or time frame"] == "29/05/2024"
    assert row["Overdue"] == "Overdue 3 days"
    assert row["Status"] == "In progress"
    assert row["Estimated budget (VND)"] == "5000000"
    assert row["Funding source"] == "Ngân sách thường xuyên"
    assert row["Latest progress note"] == "28/05/2024: Đã tổ chức tập huấn"


def test_xlsx_export_keeps_dates_as_dates_and_text_safe(editor_client, rows):
    AssignmentProgress.objects.create(assignment=rows["drafted"], note="Đã đăng tin")
    rows["drafted"].funding_source = "=HYPERLINK(1)"
    rows["drafted"].save()
    book = openpyxl.load_workbook(io.BytesIO(export(editor_client, "xlsx")))
    values = list(book.active.values)
    header, body = values[0], values[1:]
    assert len(body) == 5
    by_title = {row[header.index("Title")]: dict(zip(header, row, strict=True)) for row in body}
    late = by_title["Phổ biến quy định"]
    assert str(late["Due date or time frame"])[:10] == "2024-05-29"  # a date, not text
    assert late["Overdue"] == "Overdue 3 days"
    drafted = by_title["Truyền thông dự thảo"]
    assert drafted["Due date or time frame"] == "Khi có dự thảo"
    assert drafted["Draft policy"] == "Dự thảo Nghị quyết"
    assert drafted["Lead unit"] == "Phòng chủ trì soạn thảo"
    assert drafted["Latest progress note"] == "01/06/2024: Đã đăng tin"
    assert drafted["Funding source"] == "'=HYPERLINK(1)"  # never run as a formula


# --- Create and edit through the form ---------------------------------------------------------


def form_data(plan, lead_unit, coordinating=(), **fields):
    data = nested_form_data(
        {
            "plan": plan.pk,
            "reference": "II.4",
            "category": "central",
            "title": "Phối hợp truyền thông chính sách Trung ương",
            "description": "",
            "lead_unit": lead_unit.pk if lead_unit else "",
            "lead_unit_text": "",
            "draft_policy": "",
            "starts_on": "2024-05-01",
            "due_on": "2024-09-30",
            "time_frame": "",
            "status": "not_started",
            "budget_estimated": "",
            "budget_spent": "",
            "funding_source": "",
            "progress_notes": inline_formset([]),
            "evidence_documents": inline_formset([]),
            **fields,
        }
    )
    data["coordinating_units"] = [unit.pk for unit in coordinating]
    return data


def test_create_through_the_admin_form(editor_client, plan, units):
    data = form_data(
        plan,
        units["inspectorate"],
        [units["office"], units["centre"]],
        progress_notes=inline_formset([{"date": "2024-05-02", "note": "Đã giao việc"}]),
    )
    response = editor_client.post(url(ASSIGNMENTS, "add"), data)
    assert response.status_code == 302
    assignment = Assignment.objects.get(reference="II.4")
    assert assignment.lead_unit == units["inspectorate"]
    assert set(assignment.coordinating_units.all()) == {units["office"], units["centre"]}
    assert [n.note for n in assignment.progress_notes.all()] == ["Đã giao việc"]
    assert assignment.revisions.count() == 1


def test_dates_are_typed_and_shown_day_first(editor_client, plan, units):
    """dd/mm/yyyy in the form, even in an English admin (05/06 is 5 June, not 6 May)."""
    data = form_data(plan, units["inspectorate"], starts_on="01/05/2024", due_on="05/06/2024")
    assert editor_client.post(url(ASSIGNMENTS, "add"), data).status_code == 302
    assignment = Assignment.objects.get(reference="II.4")
    assert (assignment.starts_on, assignment.due_on) == (date(2024, 5, 1), date(2024, 6, 5))
    page = factories.soup_of(editor_client.get(url(ASSIGNMENTS, "edit", assignment.pk)))
    assert page.find("input", attrs={"name": "due_on"})["value"] == "05/06/2024"
    assert page.find("input", attrs={"name": "starts_on"})["value"] == "01/05/2024"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"due_on": "2024-04-01"}, "due_on", "The due date is before the start date."),
        ({"lead_unit": ""}, "lead_unit", "Choose the lead unit, or write it as the plan names it."),
        ({"budget_spent": "-5"}, "budget_spent", "greater than or equal to 0"),
    ],
)
def test_bad_input_keeps_values_and_shows_the_error_at_the_field(
    editor_client, plan, units, fields, field, message
):
    data = form_data(plan, units["inspectorate"], [units["office"]])
    data.update(fields)
    response = editor_client.post(url(ASSIGNMENTS, "add"), data)
    assert response.status_code == 200
    assert not Assignment.objects.exists()
    assert field in response.context["form"].errors
    soup = factories.soup_of(response)
    wrapper = soup.find(attrs={"data-field-wrapper": True, "data-contentpath": field}) or soup.find(
        id=f"id_{field}"
    ).find_parent(attrs={"data-field-wrapper": True})
    assert message in wrapper.get_text()
    assert soup.find(id="id_title")["value"] == "Phối hợp truyền thông chính sách Trung ương"
    checked = {i["value"] for i in soup.select("input[name=coordinating_units][checked]")}
    assert checked == {str(units["office"].pk)}


def test_a_second_item_with_the_same_number_is_a_form_error(editor_client, plan, units):
    factories.make_assignment(plan, reference="II.4")
    response = editor_client.post(url(ASSIGNMENTS, "add"), form_data(plan, units["office"]))
    assert response.status_code == 200
    assert Assignment.objects.filter(reference="II.4").count() == 1
    assert response.context["form"].errors


def test_edit_saves_a_revision_shown_in_the_history(editor_client, rows, units):
    assignment = rows["soon"]
    data = form_data(plan=assignment.plan, lead_unit=units["centre"], status="done")
    data.update(reference=assignment.reference, title=assignment.title)
    response = editor_client.post(url(ASSIGNMENTS, "edit", assignment.pk), data)
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DONE and assignment.completed_on == TODAY
    assert assignment.revisions.count() == 2
    actions = set(ModelLogEntry.objects.for_instance(assignment).values_list("action", flat=True))
    assert "wagtail.edit" in actions
    history = editor_client.get(url(ASSIGNMENTS, "history", assignment.pk))
    assert history.status_code == 200
    assert "Edited" in history.content.decode() or "Saved" in history.content.decode()
    assert editor_client.get(url(ASSIGNMENTS, "inspect", assignment.pk)).status_code == 200


# --- Plans ------------------------------------------------------------------------------------


def test_a_plan_with_assignments_is_not_deleted_and_says_why(editor_client, rows, plan):
    page = editor_client.get(url(PLANS, "delete", plan.pk))
    assert page.status_code == 200
    assert "cannot be deleted: 5 assignments belong to it" in page.content.decode()
    assert "Yes, delete" not in page.content.decode()
    response = editor_client.post(url(PLANS, "delete", plan.pk), follow=True)
    assert response.status_code == 200
    assert CommunicationPlan.objects.filter(pk=plan.pk).exists()
    assert "Not deleted: assignments belong to the plan" in response.content.decode()


def test_an_empty_plan_is_deleted(editor_client):
    plan = factories.make_plan(2030)
    response = editor_client.post(url(PLANS, "delete", plan.pk))
    assert response.status_code == 302
    assert not CommunicationPlan.objects.filter(pk=plan.pk).exists()


def test_plans_listing_and_menu(editor_client, rows, plan):
    response = editor_client.get(url(PLANS, "list"))
    assert response.status_code == 200
    assert "5 assignments" in response.content.decode()
    dashboard = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert url(PLANS, "list") in dashboard and url(ASSIGNMENTS, "list") in dashboard


# --- Permissions ------------------------------------------------------------------------------


@pytest.fixture
def groups(db):
    call_command("policycomms_setup_groups", stdout=io.StringIO())


def test_setup_groups_grants_the_plan_permissions(groups):
    coordinator = member_of(COORDINATORS)
    for model in ("communicationplan", "assignment"):
        for action in ("add", "change", "delete", "view"):
            assert coordinator.has_perm(f"wagtail_policycomms.{action}_{model}")
    editor = member_of(DRAFTING_EDITORS)
    assert editor.has_perm("wagtail_policycomms.change_assignment")
    assert not editor.has_perm("wagtail_policycomms.add_assignment")
    assert not editor.has_perm("wagtail_policycomms.add_communicationplan")
    moderator = member_of(MODERATORS)
    assert moderator.has_perm("wagtail_policycomms.view_assignment")
    assert not moderator.has_perm("wagtail_policycomms.change_assignment")


def test_coordinator_adds_edits_and_deletes(groups, rows, units, plan):
    client = client_for(member_of(COORDINATORS, units["inspectorate"]))
    assert client.get(url(ASSIGNMENTS, "add")).status_code == 200
    response = client.post(url(ASSIGNMENTS, "add"), form_data(plan, units["office"]))
    assert response.status_code == 302
    other_units = rows["later"]  # led by the office, not the Inspectorate
    assert client.get(url(ASSIGNMENTS, "edit", other_units.pk)).status_code == 200
    response = client.post(url(ASSIGNMENTS, "delete", other_units.pk))
    assert response.status_code == 302
    assert not Assignment.objects.filter(pk=other_units.pk).exists()
    assert client.get(url(PLANS, "add")).status_code == 200


def test_drafting_editor_edits_only_their_units_assignments(groups, rows, units):
    staff = member_of(DRAFTING_EDITORS, units["office"])
    client = client_for(staff)
    own = rows["later"]
    assert client.get(url(ASSIGNMENTS, "edit", own.pk)).status_code == 200
    data = form_data(own.plan, own.lead_unit, status="in_progress")
    # The plan's terms are read-only for them: posted changes to them are ignored.
    data.update(due_on="2030-01-01", lead_unit=units["centre"].pk)
    response = client.post(url(ASSIGNMENTS, "edit", own.pk), data)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == "in_progress"
    assert own.due_on == TODAY + timedelta(days=20) and own.lead_unit == units["office"]

    # Coordinated, not led, by the office: seen, not editable.
    coordinated = rows["late"]
    response = client.get(url(ASSIGNMENTS, "edit", coordinated.pk))
    assert response.status_code == 403
    before = coordinated.status
    response = client.post(url(ASSIGNMENTS, "edit", coordinated.pk), data)
    assert response.status_code == 403
    coordinated.refresh_from_db()
    assert coordinated.status == before
    assert client.post(url(ASSIGNMENTS, "delete", own.pk)).status_code == 403
    assert Assignment.objects.filter(pk=own.pk).exists()


def test_drafting_editor_edits_assignments_of_policies_their_unit_drafts(groups, rows):
    drafting = rows["drafted"].draft_policy.drafting_unit
    client = client_for(member_of(DRAFTING_EDITORS, drafting))
    assert client.get(url(ASSIGNMENTS, "edit", rows["drafted"].pk)).status_code == 200


def test_listing_offers_edit_only_where_allowed(groups, rows, units):
    client = client_for(member_of(DRAFTING_EDITORS, units["office"]))
    html = client.get(url(ASSIGNMENTS, "list")).content.decode()
    assert url(ASSIGNMENTS, "edit", rows["later"].pk) in html
    assert url(ASSIGNMENTS, "edit", rows["late"].pk) not in html
    assert url(ASSIGNMENTS, "add") not in html


def test_drafting_editor_cannot_add_plans_or_assignments(groups, units):
    client = client_for(member_of(DRAFTING_EDITORS, units["office"]))
    for namespace in (PLANS, ASSIGNMENTS):
        response = client.get(url(namespace, "add"))
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"] != url(namespace, "add")
    assert not CommunicationPlan.objects.exists()


def test_moderator_views_but_does_not_edit(groups, rows):
    client = client_for(member_of(MODERATORS))
    assert client.get(url(ASSIGNMENTS, "list")).status_code == 200
    assert client.get(url(ASSIGNMENTS, "inspect", rows["late"].pk)).status_code == 200
    assert client.get(url(ASSIGNMENTS, "edit", rows["late"].pk)).status_code == 403


def test_anonymous_is_sent_to_the_login_page(rows):
    response = Client().get(url(ASSIGNMENTS, "list"))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_bulk_delete_keeps_plans_with_assignments(editor_client, rows, plan):
    empty = factories.make_plan(2030, title="Kế hoạch trống")
    bulk = reverse(
        "wagtail_bulk_action", args=("wagtail_policycomms", "communicationplan", "delete")
    )
    response = editor_client.post(f"{bulk}?id={plan.pk}&id={empty.pk}", follow=True)
    assert response.status_code == 200
    assert "Not deleted: assignments belong to the plan 35/KH-SKHCN" in response.content.decode()
    assert set(CommunicationPlan.objects.all()) == {plan, empty}
    response = editor_client.post(f"{bulk}?id={empty.pk}")
    assert response.status_code == 302
    assert list(CommunicationPlan.objects.all()) == [plan]


def test_running_setup_groups_again_restores_the_plan_permissions(groups):
    group = Group.objects.get(name=COORDINATORS)
    group.permissions.remove(*group.permissions.filter(codename__endswith="assignment"))
    assert not member_of(COORDINATORS).has_perm("wagtail_policycomms.change_assignment")
    call_command("policycomms_setup_groups", stdout=io.StringIO())
    assert member_of(COORDINATORS).has_perm("wagtail_policycomms.change_assignment")
