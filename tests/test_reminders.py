"""policycomms_send_reminders: who is reminded of what, at most once a local day."""

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from freezegun import freeze_time

from tests.factories import (
    answer_comments,
    hanoi,
    make_assignment,
    make_comment,
    make_consultation,
    make_draft,
    make_plan,
    make_unit,
    make_user,
    use_email_backend,
)
from wagtail_policycomms.models import (
    AssignmentStatus,
    CommentStatus,
    PublicComment,
    ReminderKind,
    SentReminder,
)

pytestmark = pytest.mark.django_db

#: 08:00 on 10/03/2026 in Hanoi (01:00 UTC).
NOW = hanoi(2026, 3, 10, 8, 0)


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")


def remind(*args):
    out, err = StringIO(), StringIO()
    call_command("policycomms_send_reminders", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


use_backend = use_email_backend


@pytest.fixture
def lead():
    """A unit with its own address, an active member, an inactive one, one without email
    and one sharing the unit's address (sent once)."""
    unit = make_unit("Phòng Quản lý Khoa học", email="qlkh@sokhcn.hungyen.gov.vn")
    unit.members.add(
        make_user("chuyenvien", email="chuyenvien@sokhcn.hungyen.gov.vn"),
        make_user("danghi", email="danghi@sokhcn.hungyen.gov.vn", is_active=False),
        make_user("khongmail", email=""),
        make_user("truongphong", email="QLKH@sokhcn.hungyen.gov.vn"),
    )
    return unit


@pytest.fixture
def other_unit():
    unit = make_unit("Văn phòng Sở", email="vanphong@sokhcn.hungyen.gov.vn")
    unit.members.add(make_user("vanthu", email="vanthu@sokhcn.hungyen.gov.vn"))
    return unit


@pytest.fixture
def plan(db):
    return make_plan(2026)


def items_of(message):
    return {line.split()[1] for line in message.body.splitlines() if line.startswith("- ")}


@freeze_time(NOW)
def test_one_email_per_unit_to_its_address_and_active_members(plan, lead, other_unit):
    make_assignment(plan, reference="II.1", lead_unit=lead, due_on=date(2026, 3, 12))
    make_assignment(plan, reference="II.3", lead_unit=lead, due_on=date(2026, 3, 1))
    make_assignment(plan, reference="III.1.5", lead_unit=other_unit, due_on=date(2026, 3, 11))

    output = remind()

    assert len(mail.outbox) == 2
    to_lead = next(m for m in mail.outbox if "qlkh@sokhcn.hungyen.gov.vn" in m.to)
    assert to_lead.to == ["qlkh@sokhcn.hungyen.gov.vn", "chuyenvien@sokhcn.hungyen.gov.vn"]
    assert items_of(to_lead) == {"II.1", "II.3"}
    assert "Phòng Quản lý Khoa học" in to_lead.subject
    assert "12/03/2026" in to_lead.body and "01/03/2026" in to_lead.body
    # Overdue is said in words, and the link leads to the admin.
    assert "9" in to_lead.body and "http://testserver/admin/" in to_lead.body
    to_office = next(m for m in mail.outbox if m is not to_lead)
    assert to_office.to == ["vanphong@sokhcn.hungyen.gov.vn", "vanthu@sokhcn.hungyen.gov.vn"]
    assert items_of(to_office) == {"III.1.5"}
    assert "Sent 2 email(s) about 3 item(s)" in output


@freeze_time(NOW)
def test_overdue_and_due_soon_are_reminded_not_done_cancelled_or_far(plan, lead, settings):
    settings.POLICYCOMMS_ASSIGNMENT_REMINDER_DAYS = 7
    reminded = {
        "overdue": make_assignment(plan, reference="A1", lead_unit=lead, due_on=date(2026, 3, 9)),
        "today": make_assignment(plan, reference="A2", lead_unit=lead, due_on=date(2026, 3, 10)),
        "in 7 days": make_assignment(
            plan,
            reference="A3",
            lead_unit=lead,
            due_on=date(2026, 3, 17),
            status=AssignmentStatus.IN_PROGRESS,
        ),
    }
    make_assignment(plan, reference="B1", lead_unit=lead, due_on=date(2026, 3, 18))
    make_assignment(
        plan,
        reference="B2",
        lead_unit=lead,
        due_on=date(2026, 3, 1),
        status=AssignmentStatus.DONE,
    )
    make_assignment(
        plan,
        reference="B3",
        lead_unit=lead,
        due_on=date(2026, 3, 1),
        status=AssignmentStatus.CANCELLED,
    )
    make_assignment(plan, reference="B4", lead_unit=lead, time_frame="Năm 2026, khi có yêu cầu")

    remind()

    [message] = mail.outbox
    assert items_of(message) == {"A1", "A2", "A3"}
    kinds = dict(SentReminder.objects.values_list("item", "kind"))
    assert kinds == {
        f"assignment:{reminded['overdue'].pk}": ReminderKind.ASSIGNMENT_OVERDUE,
        f"assignment:{reminded['today'].pk}": ReminderKind.ASSIGNMENT_DUE,
        f"assignment:{reminded['in 7 days'].pk}": ReminderKind.ASSIGNMENT_DUE,
    }
    assert set(SentReminder.objects.values_list("day", flat=True)) == {date(2026, 3, 10)}


def test_once_per_item_per_day_and_again_the_next_day(plan, lead):
    with freeze_time(NOW) as frozen:
        make_assignment(plan, reference="II.1", lead_unit=lead, due_on=date(2026, 3, 1))
        remind()
        assert len(mail.outbox) == 1

        frozen.move_to(hanoi(2026, 3, 10, 17, 30))
        output = remind()
        assert len(mail.outbox) == 1
        assert "1 item(s) already reminded today" in output

        # A new item the same day is still sent, alone.
        make_assignment(plan, reference="II.3", lead_unit=lead, due_on=date(2026, 3, 11))
        remind()
        assert len(mail.outbox) == 2
        assert items_of(mail.outbox[1]) == {"II.3"}

        frozen.move_to(hanoi(2026, 3, 11, 7, 0))
        remind()
        assert len(mail.outbox) == 3
        assert items_of(mail.outbox[2]) == {"II.1", "II.3"}
    assert SentReminder.objects.count() == 4


@freeze_time(NOW)
def test_draft_linked_assignment_without_lead_goes_to_the_drafting_unit(
    plan, lead, other_unit, index
):
    draft = make_draft(index, drafting_unit=lead, major_social_impact=True)
    make_assignment(
        plan,
        reference="II.2.1",
        draft_policy=draft,
        lead_unit_text="Phòng, đơn vị được giao chủ trì soạn thảo",
        due_on=date(2026, 3, 12),
    )

    remind()

    [message] = mail.outbox
    assert "qlkh@sokhcn.hungyen.gov.vn" in message.to
    assert "vanphong@sokhcn.hungyen.gov.vn" not in message.to
    assert draft.title in message.body


@freeze_time(NOW)
def test_a_draft_restricted_as_a_whole_is_not_named_in_the_email(plan, lead, index):
    """The email goes to the whole unit, people without the permission among them."""
    secret = make_draft(
        index, title="Dự thảo MATTRONGTHU", drafting_unit=lead, classification="mat"
    )
    make_assignment(plan, reference="II.2.2", draft_policy=secret, due_on=date(2026, 3, 12))

    remind()

    [message] = mail.outbox
    [html] = [body for body, kind in message.alternatives if kind == "text/html"]
    for text in (message.body, html):
        assert "II.2.2" in text
        assert "MATTRONGTHU" not in text
        assert "[Dự thảo mật]" in text  # the reminder speaks the site's language


@freeze_time(NOW)
def test_consultations_closing_soon_and_unanswered_comments_go_to_the_drafting_unit(
    lead, other_unit, index, settings
):
    settings.POLICYCOMMS_CONSULTATION_REMINDER_DAYS = 3
    draft = make_draft(index, drafting_unit=lead)
    receiving = other_unit  # receives comments, but the drafting unit answers them
    closing = make_consultation(
        draft, hanoi(2026, 2, 10, 8), hanoi(2026, 3, 12, 17), receiving_unit=receiving
    )
    make_consultation(draft, hanoi(2026, 3, 1, 8), hanoi(2026, 3, 30, 17), receiving_unit=receiving)
    closed = make_consultation(
        draft, hanoi(2026, 1, 1, 8), hanoi(2026, 2, 1, 17), receiving_unit=receiving
    )
    answered_closed = make_consultation(
        draft, hanoi(2025, 11, 1, 8), hanoi(2025, 12, 1, 17), receiving_unit=receiving
    )
    make_comment(closed)
    make_comment(closed)
    make_comment(closed, status=CommentStatus.PENDING)
    make_comment(closed, status=CommentStatus.REJECTED)
    answered = make_comment(closed)
    answer_comments(PublicComment.objects.filter(pk=answered.pk), unit=lead)
    done = make_comment(answered_closed)
    answer_comments(PublicComment.objects.filter(pk=done.pk), unit=lead)

    remind()

    [message] = mail.outbox
    assert message.to == ["qlkh@sokhcn.hungyen.gov.vn", "chuyenvien@sokhcn.hungyen.gov.vn"]
    assert closing.title in message.body
    assert "12/03/2026" in message.body  # closes at 12/03/2026 17:00
    assert closed.title in message.body
    assert " 2 " in message.body  # two approved comments without an answer
    assert f"consultation={closed.pk}" in message.body
    assert answered_closed.title not in message.body
    assert set(SentReminder.objects.values_list("kind", "item")) == {
        (ReminderKind.CONSULTATION_CLOSING, f"consultation:{closing.pk}"),
        (ReminderKind.UNANSWERED, f"consultation:{closed.pk}"),
    }


@freeze_time(NOW)
def test_dry_run_sends_and_records_nothing(plan, lead):
    make_assignment(plan, reference="II.1", lead_unit=lead, due_on=date(2026, 3, 1))

    output = remind("--dry-run")

    assert mail.outbox == []
    assert not SentReminder.objects.exists()
    assert "Would send 1 item(s) to Phòng Quản lý Khoa học" in output
    assert "qlkh@sokhcn.hungyen.gov.vn" in output


@freeze_time(NOW)
def test_a_failing_mail_server_records_nothing_and_the_next_run_retries(plan, lead, settings):
    make_assignment(plan, reference="II.1", lead_unit=lead, due_on=date(2026, 3, 1))
    use_backend(settings, "tests.test_reminders.FailingBackend")

    with pytest.raises(CommandError, match="1 email\\(s\\) failed"):
        remind()
    assert not SentReminder.objects.exists()

    use_backend(settings, "django.core.mail.backends.locmem.EmailBackend")
    remind()
    assert len(mail.outbox) == 1
    assert SentReminder.objects.count() == 1


@freeze_time(NOW)
def test_units_without_address_and_items_without_unit_are_reported(plan):
    silent = make_unit("Phòng Quản lý chuyên ngành", email="")
    make_assignment(plan, reference="II.1", lead_unit=silent, due_on=date(2026, 3, 1))
    make_assignment(
        plan,
        reference="III.1.1",
        lead_unit_text="Các phòng chuyên môn, đơn vị thuộc và trực thuộc Sở",
        due_on=date(2026, 3, 1),
    )

    output = remind()

    assert mail.outbox == []
    assert not SentReminder.objects.exists()
    assert "Phòng Quản lý chuyên ngành has no email" in output
    assert "III.1.1" in output and "no responsible unit" in output


@freeze_time(NOW)
def test_an_item_for_every_unit_reminds_each_unit_once_a_day(plan, lead, other_unit):
    """III.1.1-style items: no lead, every unit coordinating, so every unit has it to do."""
    shared = make_assignment(
        plan,
        reference="III.1.1",
        lead_unit_text="Các phòng chuyên môn, đơn vị thuộc và trực thuộc Sở",
        coordinating_units=[lead, other_unit],
        due_on=date(2026, 3, 12),
    )

    output = remind()

    assert "Skipped" not in output
    assert sorted(tuple(m.to) for m in mail.outbox) == [
        ("qlkh@sokhcn.hungyen.gov.vn", "chuyenvien@sokhcn.hungyen.gov.vn"),
        ("vanphong@sokhcn.hungyen.gov.vn", "vanthu@sokhcn.hungyen.gov.vn"),
    ]
    assert all(items_of(m) == {"III.1.1"} for m in mail.outbox)
    assert sorted(SentReminder.objects.values_list("item", flat=True)) == sorted(
        [f"assignment:{shared.pk}:unit:{lead.pk}", f"assignment:{shared.pk}:unit:{other_unit.pk}"]
    )
    remind()
    assert len(mail.outbox) == 2  # not again the same day


def test_the_day_changes_at_midnight_in_hanoi_not_utc(plan, lead, settings):
    """23:59 and 00:00 in Hanoi are the same UTC day (16:59 and 17:00 UTC)."""
    settings.POLICYCOMMS_ASSIGNMENT_REMINDER_DAYS = 1
    tomorrow_due = make_assignment(plan, reference="A", lead_unit=lead, due_on=date(2026, 3, 21))
    today_due = make_assignment(plan, reference="B", lead_unit=lead, due_on=date(2026, 3, 19))

    with freeze_time(hanoi(2026, 3, 19, 23, 59)):
        remind()
    assert {n.split()[1] for n in mail.outbox[0].body.splitlines() if n.startswith("- ")} == {"B"}
    assert SentReminder.objects.get().kind == ReminderKind.ASSIGNMENT_DUE

    with freeze_time(hanoi(2026, 3, 20, 0, 0)):
        remind()
    assert items_of(mail.outbox[1]) == {"A", "B"}
    assert set(SentReminder.objects.filter(day=date(2026, 3, 20)).values_list("item", "kind")) == {
        (f"assignment:{tomorrow_due.pk}", ReminderKind.ASSIGNMENT_DUE),
        (f"assignment:{today_due.pk}", ReminderKind.ASSIGNMENT_OVERDUE),
    }
