"""The plan's assignments as data: overdue by the local calendar date, due soon, units,
completion date and the one-item-per-plan rule."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from freezegun import freeze_time

from tests import factories
from wagtail_policycomms.models import Assignment, AssignmentStatus
from wagtail_policycomms.models.plans import local_today

pytestmark = pytest.mark.django_db

DUE = date(2024, 6, 30)
#: 23:59 on 30 June in Hanoi (UTC+7), and one minute later: 00:00 on 1 July.
LAST_MINUTE = datetime(2024, 6, 30, 16, 59, tzinfo=UTC)
NEXT_DAY = datetime(2024, 6, 30, 17, 0, tzinfo=UTC)


@pytest.fixture
def plan():
    return factories.make_plan(2024)


def overdue_pks(today=None):
    return set(Assignment.objects.overdue(today).values_list("pk", flat=True))


# --- Overdue at the time-zone boundary --------------------------------------------------------


def test_local_today_follows_hanoi_not_utc():
    assert local_today(LAST_MINUTE) == date(2024, 6, 30)
    assert local_today(NEXT_DAY) == date(2024, 7, 1)


def test_due_today_is_not_overdue_until_midnight_in_hanoi(plan):
    assignment = factories.make_assignment(plan, due_on=DUE)
    with freeze_time(LAST_MINUTE):
        assert not assignment.is_overdue()
        assert overdue_pks() == set()
        assert assignment.days_overdue() is None
    with freeze_time(NEXT_DAY):
        assert assignment.is_overdue()
        assert overdue_pks() == {assignment.pk}
        assert assignment.days_overdue() == timedelta(days=1)


def test_server_time_zone_does_not_change_the_answer(plan, settings):
    settings.TIME_ZONE = "America/New_York"  # the server's; 16:59 UTC is still 30 June there
    assignment = factories.make_assignment(plan, due_on=DUE)
    with freeze_time(NEXT_DAY):
        assert assignment.is_overdue()
        assert overdue_pks() == {assignment.pk}


@pytest.mark.parametrize("status", [AssignmentStatus.DONE, AssignmentStatus.CANCELLED])
def test_done_or_cancelled_is_never_overdue(plan, status):
    assignment = factories.make_assignment(plan, due_on=date(2020, 1, 1), status=status)
    assert not assignment.is_overdue(date(2024, 1, 1))
    assert overdue_pks(date(2024, 1, 1)) == set()


def test_in_progress_and_not_started_can_be_overdue_but_not_without_a_due_date(plan):
    late = factories.make_assignment(plan, due_on=date(2024, 1, 1), status="in_progress")
    factories.make_assignment(plan, time_frame="Năm 2024, khi có hướng dẫn của Sở Tư pháp")
    assert overdue_pks(date(2024, 6, 1)) == {late.pk}


def test_due_within_counts_today_and_the_next_days_only(plan):
    today = date(2024, 6, 1)
    due_today = factories.make_assignment(plan, due_on=today)
    in_a_week = factories.make_assignment(plan, due_on=today + timedelta(days=7))
    factories.make_assignment(plan, due_on=today + timedelta(days=8))
    factories.make_assignment(plan, due_on=today - timedelta(days=1))  # overdue, not "due soon"
    factories.make_assignment(plan, due_on=today + timedelta(days=2), status="done")
    found = set(Assignment.objects.due_within(7, today=today).values_list("pk", flat=True))
    assert found == {due_today.pk, in_a_week.pk}


# --- Units ------------------------------------------------------------------------------------


def test_for_unit_finds_led_and_coordinated_once(plan):
    inspectorate, office, centre = (factories.make_unit() for _ in range(3))
    led = factories.make_assignment(plan, lead_unit=inspectorate, coordinating_units=[office])
    coordinated = factories.make_assignment(
        plan, lead_unit=office, coordinating_units=[inspectorate, centre]
    )
    factories.make_assignment(plan, lead_unit=centre)
    found = list(Assignment.objects.for_unit(inspectorate))
    assert sorted(a.pk for a in found) == sorted([led.pk, coordinated.pk])


def test_responsible_unit_falls_back_to_the_drafting_unit(plan, index):
    drafting = factories.make_unit()
    draft = factories.make_draft(index, drafting_unit=drafting)
    assignment = factories.make_assignment(
        plan, draft_policy=draft, lead_unit_text="Phòng chủ trì soạn thảo"
    )
    assert assignment.lead_unit is None
    assert assignment.responsible_unit == drafting


# --- Completion date and validation -----------------------------------------------------------


def test_completion_date_is_set_when_done_and_cleared_when_reopened(plan):
    assignment = factories.make_assignment(plan, due_on=DUE)
    assert assignment.completed_on is None
    with freeze_time(NEXT_DAY):
        assignment.status = AssignmentStatus.DONE
        assignment.save()
    assert assignment.completed_on == date(2024, 7, 1)  # Hanoi's date, not UTC's 30 June
    assignment.status = AssignmentStatus.IN_PROGRESS
    assignment.save()
    assignment.refresh_from_db()
    assert assignment.completed_on is None


def test_due_before_start_and_missing_lead_are_field_errors(plan):
    assignment = Assignment(
        plan=plan, title="Nhiệm vụ", starts_on=date(2024, 6, 1), due_on=date(2024, 5, 1)
    )
    with pytest.raises(ValidationError) as due_error:
        assignment.clean()
    assert "due_on" in due_error.value.message_dict
    assignment.due_on = date(2024, 7, 1)
    with pytest.raises(ValidationError) as lead_error:
        assignment.clean()
    assert "lead_unit" in lead_error.value.message_dict
    assignment.lead_unit_text = "Các phòng, đơn vị"
    assignment.clean()


def test_an_item_appears_once_per_plan_and_once_per_draft(plan, index):
    factories.make_assignment(plan, reference="II.1")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_assignment(plan, reference="II.1")
    factories.make_assignment(factories.make_plan(2025), reference="II.1")  # another plan

    draft, other = factories.make_draft(index), factories.make_draft(index, title="Khác")
    factories.make_assignment(plan, reference="II.2.1", draft_policy=draft)
    factories.make_assignment(plan, reference="II.2.1", draft_policy=other)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_assignment(plan, reference="II.2.1", draft_policy=draft)
    # Items without a number are not constrained.
    factories.make_assignment(plan)
    factories.make_assignment(plan)
