"""policycomms_load_plan: the 2024 plan as a template, loaded once, coordinator's edits kept."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Revision

from tests.factories import make_unit
from wagtail_policycomms.models import (
    Assignment,
    AssignmentProgress,
    AssignmentStatus,
    CommunicationPlan,
    Unit,
)
from wagtail_policycomms.plan_templates import PLANS
from wagtail_policycomms.plan_templates.names import INFORMATION_CENTRE, INSPECTORATE, OFFICE

pytestmark = pytest.mark.django_db

REFERENCES = [
    "II.1",
    "II.2.1",
    "II.2.2",
    "II.3",
    "II.4",
    "III.1.1",
    "III.1.2",
    "III.1.3",
    "III.1.4",
    "III.1.5",
    "III.1.6",
]


def load(*args):
    out = StringIO()
    call_command("policycomms_load_plan", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def units():
    """The three units the plan names, and two professional divisions; one inactive unit."""
    named = {name: make_unit(name) for name in (INSPECTORATE, OFFICE, INFORMATION_CENTRE)}
    divisions = [make_unit("Phòng Quản lý Khoa học"), make_unit("Phòng Quản lý chuyên ngành")]
    make_unit("Phòng đã giải thể", is_active=False)
    return named, divisions


def items(plan):
    return {a.reference: a for a in plan.assignments.filter(draft_policy__isnull=True)}


def test_loads_every_activity_with_units_and_time_frames(units):
    named, divisions = units
    output = load("2024")

    plan = CommunicationPlan.objects.get()
    assert plan.year == 2024
    assert plan.title.startswith("Kế hoạch thực hiện Đề án “Tổ chức truyền thông chính sách")
    assert plan.title.endswith("năm 2024 tại Sở Khoa học và Công nghệ")
    assert plan.number == "/KH-SKHCN"
    assert plan.issued_on is None
    assert "tháng 3 năm 2024" in plan.summary

    loaded = items(plan)
    assert sorted(loaded) == sorted(REFERENCES)
    active = {*named.values(), *divisions}

    dissemination = loaded["II.1"]
    assert dissemination.category == "disseminate"
    assert dissemination.lead_unit == named[INSPECTORATE]
    # "Các phòng, đơn vị": every active unit but the lead; the dissolved unit is left out.
    assert set(dissemination.coordinating_units.all()) == active - {named[INSPECTORATE]}
    assert dissemination.time_frame == "Năm 2024, khi có hướng dẫn, yêu cầu của Sở Tư pháp"
    assert dissemination.due_on is None

    content = loaded["II.2.1"]
    assert content.category == "content"
    assert content.title == "Xây dựng nội dung truyền thông dự thảo chính sách"
    assert content.lead_unit is None
    assert content.lead_unit_text == (
        "Phòng, đơn vị được giao tham mưu soạn thảo văn bản quy phạm pháp luật của HĐND và "
        "UBND tỉnh"
    )
    assert "chú trọng các vấn đề khó, có nhiều ý kiến khác nhau" in content.description
    assert "Đơn vị phối hợp: Các phòng, đơn vị khác có liên quan." in content.description
    assert content.time_frame == "Năm 2024"
    assert content.due_on == date(2024, 12, 31)
    assert "56/2023/TT-BTC" in content.funding_source

    assert loaded["II.2.2"].category == "forms"
    assert "Báo Hưng Yên" in loaded["II.2.2"].description
    assert loaded["II.3"].category == "feedback"
    assert loaded["II.3"].lead_unit_text == (
        "Phòng, đơn vị được giao chủ trì soạn thảo văn bản quy phạm pháp luật"
    )
    central = loaded["II.4"]
    assert central.category == "central"
    assert central.due_on is None
    assert central.time_frame.startswith("Năm 2024, khi có chính sách ban hành")

    for reference in ("III.1.1", "III.1.2", "III.1.3"):
        assert loaded[reference].lead_unit is None
        assert set(loaded[reference].coordinating_units.all()) == active
    assert loaded["III.1.4"].lead_unit == named[INSPECTORATE]
    assert "chế độ báo cáo" in loaded["III.1.4"].description
    assert loaded["III.1.5"].lead_unit == named[OFFICE]
    assert "Sở Tài chính" in loaded["III.1.5"].description
    assert "Thông tư số 56/2023/TT-BTC" in loaded["III.1.5"].description  # item II.5
    centre = loaded["III.1.6"]
    assert centre.lead_unit == named[INFORMATION_CENTRE]
    assert "chuyên mục phổ biến giáo dục pháp luật" in centre.description
    assert named[INSPECTORATE] in centre.coordinating_units.all()

    assert all(a.status == AssignmentStatus.NOT_STARTED for a in loaded.values())
    assert "created 11, already there 0" in output


def test_each_item_and_the_plan_start_their_history(units):
    load("2024")
    plan = CommunicationPlan.objects.get()
    assert plan.latest_revision is not None
    for assignment in items(plan).values():
        revisions = Revision.objects.for_instance(assignment)
        assert revisions.count() == 1
        # The revision holds the coordinating units, as the admin's history shows them.
        content = revisions.get().content
        assert sorted(content["coordinating_units"]) == sorted(
            assignment.coordinating_units.values_list("pk", flat=True)
        )


def test_second_run_adds_nothing_and_says_so(units):
    load("2024")
    revisions = Revision.objects.count()

    output = load("2024")

    assert CommunicationPlan.objects.count() == 1
    assert Assignment.objects.count() == len(REFERENCES)
    assert Revision.objects.count() == revisions
    assert "created 0, already there 11" in output
    assert "Nothing changed" in output


def test_coordinators_edits_survive_a_rerun(units):
    load("2024")
    plan = CommunicationPlan.objects.get()
    plan.number = "35/KH-SKHCN"
    plan.save()
    edited = items(plan)["II.1"]
    edited.status = AssignmentStatus.DONE
    edited.due_on = date(2024, 6, 30)
    edited.budget_spent = 12_500_000
    edited.title = "Tập huấn truyền thông dự thảo chính sách"
    edited.coordinating_units.set([units[0][OFFICE]])
    edited.save()
    AssignmentProgress.objects.create(
        assignment=edited, date=date(2024, 6, 20), note="Đã cử 3 công chức dự tập huấn."
    )
    items(plan)["II.4"].delete()

    output = load("2024", "--update")

    plan.refresh_from_db()
    assert plan.number == "35/KH-SKHCN"
    kept = Assignment.objects.get(pk=edited.pk)
    assert kept.status == AssignmentStatus.DONE
    assert kept.due_on == date(2024, 6, 30)
    assert kept.budget_spent == 12_500_000
    assert list(kept.coordinating_units.all()) == [units[0][OFFICE]]
    assert kept.progress_notes.count() == 1
    # --update refreshes only the plan's wording.
    assert kept.title == PLANS[2024]["assignments"][0]["title"]
    # The deleted item is created again, once.
    assert items(plan)["II.4"].reference == "II.4"
    assert "created 1, already there 9, updated 1" in output


def test_without_update_the_wording_is_kept_too(units):
    load("2024")
    edited = Assignment.objects.get(reference="II.3")
    edited.title = "Tiếp nhận góp ý"
    edited.save()

    load("2024")

    assert Assignment.objects.get(pk=edited.pk).title == "Tiếp nhận góp ý"


def test_missing_named_units_are_created_with_a_note(db):
    make_unit("Phòng Quản lý Khoa học")

    output = load("2024")

    for name in (INSPECTORATE, OFFICE, INFORMATION_CENTRE):
        assert Unit.objects.filter(name=name).exists()
        assert f'Created unit "{name}"' in output
    assert Assignment.objects.get(reference="III.1.5").lead_unit.name == OFFICE


def test_no_create_units_refuses_and_stores_nothing(db):
    make_unit(INSPECTORATE)

    with pytest.raises(CommandError) as error:
        load("2024", "--no-create-units")

    message = str(error.value)
    assert f'"{OFFICE}"' in message and f'"{INFORMATION_CENTRE}"' in message
    assert INSPECTORATE not in message
    assert Unit.objects.count() == 1
    assert not CommunicationPlan.objects.exists()


def test_no_create_units_loads_when_every_unit_exists(units):
    load("2024", "--no-create-units")
    assert Assignment.objects.count() == len(REFERENCES)


def test_unknown_year_lists_the_available_years(db):
    with pytest.raises(CommandError, match=r"No plan for 2019\. Available years: 2024\."):
        load("2019")
    assert not CommunicationPlan.objects.exists()


def test_assignments_per_draft_do_not_block_the_template_items(units, index):
    """An item done for a draft policy shares the reference but is another row."""
    from tests.factories import make_draft

    load("2024")
    plan = CommunicationPlan.objects.get()
    draft = make_draft(index, major_social_impact=True)
    Assignment.objects.create(
        plan=plan, reference="II.2.1", title="Nội dung truyền thông", draft_policy=draft
    )

    output = load("2024")

    assert "created 0, already there 11" in output
    assert plan.assignments.filter(reference="II.2.1").count() == 2


def test_as_year_starts_another_years_plan_from_the_template(units):
    load("2024")
    output = load("2024", "--as-year", "2026")
    assert "created 11" in output

    original = CommunicationPlan.objects.get(year=2024)
    plan = CommunicationPlan.objects.get(year=2026)
    assert "năm 2026 tại Sở Khoa học" in plan.title and "2024" not in plan.title
    assert plan.issued_on is None and "mẫu" in plan.summary
    loaded, template = items(plan), items(original)
    assert sorted(loaded) == REFERENCES
    # The year moves in time frames and due dates; other documents' dates stay as written.
    assert loaded["III.1.4"].time_frame == "Năm 2026"
    assert loaded["III.1.4"].due_on == date(2026, 12, 31)
    assert loaded["II.1"].time_frame.startswith("Năm 2026, khi có")
    assert loaded["II.1"].due_on is None
    for reference, item in loaded.items():
        assert item.lead_unit == template[reference].lead_unit
        assert "năm 2024" not in item.description.lower().replace("/2024", "")
    assert "08/KH-HĐPH" in loaded["III.1.1"].title  # the coordinator reviews such references
    # The 2024 plan is untouched, and a rerun adds nothing.
    assert original.assignments.count() == 11
    assert "created 0, already there 11" in load("2024", "--as-year", "2026")
    assert CommunicationPlan.objects.count() == 2


def test_as_year_refuses_a_nonsense_year(db):
    with pytest.raises(CommandError, match="between 2000 and 2100"):
        load("2024", "--as-year", "26")
