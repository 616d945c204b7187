"""The retention of commenters' personal data (Law 91/2025/QH15): which comments are due,
what the purge removes and keeps, its audit entry, the command and its dry run.

Through the real stack: comments and attachments stored by the factories, the clock
frozen with freezegun, the command called as cron calls it, files checked on disk.
The retention period is 30 days in these tests; the day rule is counted on
Asia/Ho_Chi_Minh whatever the server's zone.
"""

import json
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time
from wagtail.models import ModelLogEntry

from tests import factories
from wagtail_policycomms.checks import check_settings
from wagtail_policycomms.models import CommentAttachment, CommentStatus, PublicComment
from wagtail_policycomms.models.subscriptions import Subscription
from wagtail_policycomms.privacy import retention
from wagtail_policycomms.privacy.retention import LOG_ACTION, purge_personal_data

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DAYS = 30
PERSONAL = {
    "email": "an.nguyen@example.vn",
    "phone": "0912 345 678",
    "address": "Số 5 phố Hiến, Hưng Yên",
    "ip_address": "203.113.131.0",
    "user_agent": "Mozilla/5.0 (Windows NT 10.0)",
}


def local(*args):
    return datetime(*args, tzinfo=VN)


@pytest.fixture(autouse=True)
def retention_days(settings):
    settings.POLICYCOMMS_PERSONAL_DATA_RETENTION_DAYS = DAYS
    settings.POLICYCOMMS_RETENTION_DELETE_ATTACHMENTS = False


@pytest.fixture
def closes_late(draft):
    """Closed on local day 15/03/2026, at 23:30: due from 15/04/2026 00:00 (D + 30 + 1)."""
    return factories.make_consultation(
        draft, local(2026, 2, 1, 8), local(2026, 3, 15, 23, 30), title="Đợt A"
    )


@pytest.fixture
def closes_early(draft):
    """Closed an hour later, at 00:30 on 16/03/2026: a local day later, due from 16/04/2026."""
    return factories.make_consultation(
        draft, local(2026, 2, 1, 8), local(2026, 3, 16, 0, 30), title="Đợt B"
    )


def comment(consultation, **kwargs):
    return factories.make_comment(consultation, **{**PERSONAL, **kwargs})


def fresh(obj):
    return PublicComment.objects.get(pk=obj.pk)


def holds_contact_data(obj):
    row = fresh(obj)
    return any(getattr(row, name) for name in PERSONAL)


def purge_entries():
    return ModelLogEntry.objects.filter(action=LOG_ACTION)


def run_command(*args):
    out = StringIO()
    call_command("policycomms_purge_personal_data", *args, stdout=out)
    return out.getvalue()


# --- When -------------------------------------------------------------------------------


def test_one_day_short_nothing_is_touched_and_on_the_day_it_is_purged(closes_late):
    first = comment(closes_late)
    with freeze_time(local(2026, 4, 14, 12)):
        assert purge_personal_data().comments == 0
    assert fresh(first).email == PERSONAL["email"]
    with freeze_time(local(2026, 4, 15, 12)):
        assert purge_personal_data().comments == 1
    assert not holds_contact_data(first)


def test_the_day_boundary_is_midnight_in_vietnam(closes_late, closes_early):
    """23:30 and 00:30 local are an hour apart but on two local days (and the same UTC day:
    16:30 and 17:30 UTC on 15/03): the first is purged a day before the second."""
    late, early = comment(closes_late), comment(closes_early)
    with freeze_time(local(2026, 4, 14, 23, 59, 59)):
        assert purge_personal_data().comments == 0
    with freeze_time(local(2026, 4, 15, 0, 0, 1)):
        outcome = purge_personal_data()
    assert outcome.comments == 1
    assert outcome.before == local(2026, 3, 16)
    assert not holds_contact_data(late)
    assert fresh(early).email == PERSONAL["email"]
    with freeze_time(local(2026, 4, 15, 23, 59, 59)):
        assert purge_personal_data().comments == 0
    with freeze_time(local(2026, 4, 16, 0, 0, 1)):
        assert purge_personal_data().comments == 1
    assert not holds_contact_data(early)


def test_open_and_upcoming_rounds_are_never_touched(draft, settings):
    settings.POLICYCOMMS_PERSONAL_DATA_RETENTION_DAYS = 0
    rounds = [factories.make_round_with_status(draft, s) for s in ("open", "upcoming")]
    comments = [comment(r, publish_name=False) for r in rounds]
    outcome = purge_personal_data()
    assert outcome.comments == 0
    for c in comments:
        row = fresh(c)
        assert (row.email, row.display_name) == (PERSONAL["email"], c.display_name)


# --- What -------------------------------------------------------------------------------


def test_contact_data_is_removed_and_the_comment_kept(closes_late):
    published = comment(
        closes_late,
        display_name="Nguyễn Văn An",
        publish_name=True,
        article_id="a1",
        article_heading="Điều 1. Phạm vi điều chỉnh",
        commenter_type="business",
        organisation_name="Công ty TNHH Phố Hiến",
    )
    anonymous = comment(closes_late, display_name="Trần Thị Bình", publish_name=False)
    response = factories.answer_comments(PublicComment.objects.filter(pk=published.pk))
    before = fresh(published)
    with freeze_time(local(2026, 4, 15, 1)):
        assert purge_personal_data().comments == 2
    after = fresh(published)
    for name in PERSONAL:
        assert getattr(after, name) == "", name
    kept = (
        "body",
        "article_id",
        "article_heading",
        "commenter_type",
        "organisation_name",
        "publish_name",
        "display_name",
        "receipt_code",
        "response_id",
        "status",
        "submitted_at",
        "consent_given_at",
        "consent_notice_version",
        "consent_purposes",
    )
    for name in kept:
        assert getattr(after, name) == getattr(before, name), name
    assert after.display_name == "Nguyễn Văn An"  # published with consent: kept
    assert after.response.text == response.text
    assert after.public_author == "Nguyễn Văn An (Công ty TNHH Phố Hiến)"
    hidden = fresh(anonymous)
    assert hidden.display_name == ""  # never allowed to be shown: removed
    assert hidden.publish_name is False
    assert hidden.body == anonymous.body
    assert str(hidden.public_author) == str(anonymous.public_author)


def test_the_status_is_never_changed(closes_late):
    comments = {status: comment(closes_late, status=status) for status in CommentStatus}
    with freeze_time(local(2026, 5, 1)):
        assert purge_personal_data().comments == len(CommentStatus)
    for status, c in comments.items():
        row = fresh(c)
        assert row.status == status
        assert row.status_changed_at == c.status_changed_at
        assert row.last_action == c.last_action


def test_a_second_run_changes_nothing_and_logs_nothing(closes_late):
    comment(closes_late)
    comment(closes_late, publish_name=False)
    with freeze_time(local(2026, 5, 1)):
        assert purge_personal_data().comments == 2
        assert purge_entries().count() == 1
        again = purge_personal_data()
    assert (again.comments, again.attachments) == (0, 0)
    assert purge_entries().count() == 1


def test_a_published_name_alone_is_not_personal_data_to_remove(closes_late):
    """A comment holding only a name published with consent is not due: nothing to do."""
    named = factories.make_comment(
        closes_late, email="", display_name="Lê Văn C", publish_name=True
    )
    with freeze_time(local(2026, 5, 1)):
        assert purge_personal_data().comments == 0
    assert fresh(named).display_name == "Lê Văn C"
    assert not purge_entries().exists()


# --- Attachments -----------------------------------------------------------------------


def test_attachments_are_kept_by_default(closes_late, storage_dir):
    attachment = factories.attach_file(comment(closes_late))
    with freeze_time(local(2026, 5, 1)):
        outcome = purge_personal_data()
    assert (outcome.comments, outcome.attachments) == (1, 0)
    assert CommentAttachment.objects.filter(pk=attachment.pk).exists()
    assert factories.stored_files(storage_dir) == [attachment.file.name]


def test_attachments_are_deleted_from_storage_with_the_setting(
    closes_late, closes_early, storage_dir, settings
):
    settings.POLICYCOMMS_RETENTION_DELETE_ATTACHMENTS = True
    due = comment(closes_late)
    gone = [factories.attach_file(due), factories.attach_file(due, name="phu-luc.pdf")]
    kept = factories.attach_file(comment(closes_early))
    assert len(factories.stored_files(storage_dir)) == 3
    with freeze_time(local(2026, 4, 15, 1)):
        outcome = purge_personal_data()
    assert (outcome.comments, outcome.attachments) == (1, 2)
    assert not CommentAttachment.objects.filter(pk__in=[a.pk for a in gone]).exists()
    assert factories.stored_files(storage_dir) == [kept.file.name]
    assert fresh(due).body == due.body  # the comment stays
    assert purge_entries().get().data["attachments"] == 2


def test_attachments_of_comments_purged_earlier_go_when_the_setting_is_turned_on(
    closes_late, storage_dir, settings
):
    attachment = factories.attach_file(comment(closes_late))
    with freeze_time(local(2026, 5, 1)):
        purge_personal_data()
        settings.POLICYCOMMS_RETENTION_DELETE_ATTACHMENTS = True
        outcome = purge_personal_data()
    assert (outcome.comments, outcome.attachments) == (0, 1)
    assert not CommentAttachment.objects.filter(pk=attachment.pk).exists()
    assert factories.stored_files(storage_dir) == []


# --- Audit entry ------------------------------------------------------------------------


def test_one_audit_entry_with_counts_and_no_personal_data(closes_late, editor_client):
    comments = [comment(closes_late, publish_name=False) for _i in range(3)]
    with freeze_time(local(2026, 5, 1, 2, 15)):
        purge_personal_data()
    entry = purge_entries().get()
    assert entry.data == {"comments": 3, "attachments": 0, "before": "2026-04-01T00:00:00+07:00"}
    assert entry.user is None
    stored = json.dumps(entry.data, ensure_ascii=False) + entry.label + entry.object_id
    for c in comments:
        for value in (c.email, c.display_name, c.receipt_code, c.phone, c.address):
            assert value not in stored
    with translation.override("en"):
        assert entry.message == "Personal data of 3 comments removed (retention)"
    response = editor_client.get(
        reverse("wagtailadmin_reports:site_history"), {"action": LOG_ACTION}
    )
    assert response.status_code == 200
    assert "Personal data of 3 comments removed (retention)" in response.content.decode()


def test_the_audit_message_names_deleted_attachments():
    entry = ModelLogEntry(action=LOG_ACTION, data={"comments": 1, "attachments": 2})
    with translation.override("en"):
        assert entry.message == (
            "Personal data of 1 comment removed (retention); 2 attachments deleted"
        )


# --- Dry run, the command, the task -----------------------------------------------------


def test_a_dry_run_counts_and_changes_nothing(closes_late, storage_dir, settings):
    settings.POLICYCOMMS_RETENTION_DELETE_ATTACHMENTS = True
    c = comment(closes_late)
    factories.attach_file(c)
    stale = Subscription.objects.create(email="chua.xac.nhan@example.vn")
    Subscription.objects.filter(pk=stale.pk).update(created_at=local(2026, 4, 1))
    with freeze_time(local(2026, 5, 1)):
        out = run_command("--dry-run")
    assert "Would remove the personal data of 1 comment(s)" in out
    assert "Would delete 1 attachment(s)." in out
    assert "Would delete 1 unconfirmed subscription(s)." in out
    assert "Dry run: nothing was changed." in out
    assert fresh(c).email == PERSONAL["email"]
    assert len(factories.stored_files(storage_dir)) == 1
    assert Subscription.objects.filter(pk=stale.pk).exists()
    assert not purge_entries().exists()


def test_the_command_purges_and_reports_in_plain_english(closes_late):
    comment(closes_late)
    comment(closes_late)
    stale = Subscription.objects.create(email="chua.xac.nhan@example.vn")
    Subscription.objects.filter(pk=stale.pk).update(created_at=local(2026, 4, 1))
    confirmed = Subscription.objects.create(email="da.xac.nhan@example.vn")
    Subscription.objects.filter(pk=confirmed.pk).update(
        created_at=local(2026, 4, 1), confirmed_at=local(2026, 4, 1, 1)
    )
    with freeze_time(local(2026, 5, 1, 2, 15)):
        out = run_command()  # an exception would fail the test: exit code 0
    assert (
        "Removed the personal data of 2 comment(s) on consultations closed before "
        "01/04/2026 00:00 (Asia/Ho_Chi_Minh; retention 30 day(s))." in out
    )
    assert "Attachments kept (POLICYCOMMS_RETENTION_DELETE_ATTACHMENTS is off)." in out
    assert "Deleted 1 unconfirmed subscription(s)." in out
    assert not Subscription.objects.filter(pk=stale.pk).exists()
    assert Subscription.objects.filter(pk=confirmed.pk).exists()
    assert not PublicComment.objects.exclude(email="").exists()


def test_the_task_wrapper_purges_too(closes_late):
    c = comment(closes_late)
    with freeze_time(local(2026, 5, 1)):
        retention.purge_personal_data_task.enqueue()
    assert not holds_contact_data(c)
    assert purge_entries().count() == 1


# --- Scale ------------------------------------------------------------------------------


def test_queries_do_not_grow_with_the_number_of_comments(
    draft, django_assert_max_num_queries, settings
):
    settings.POLICYCOMMS_RETENTION_DELETE_ATTACHMENTS = True
    now = local(2026, 5, 1)
    small, large = (
        factories.make_consultation(draft, local(2026, 2, 1), local(2026, 3, 1), title=t)
        for t in ("Đợt nhỏ", "Đợt lớn")
    )
    PublicComment.objects.bulk_create(factories.build_comments(small, 5, **PERSONAL))
    with freeze_time(now), CaptureQueriesContext(connection) as five:
        assert purge_personal_data(batch_size=100).comments == 5
    PublicComment.objects.bulk_create(factories.build_comments(large, 50, **PERSONAL))
    with freeze_time(now), django_assert_max_num_queries(len(five)):
        assert purge_personal_data(batch_size=100).comments == 50
    # In chunks of 10: two statements per chunk (its ids, its UPDATE), not one per comment.
    PublicComment.objects.filter(consultation=large).update(**PERSONAL)
    with freeze_time(now), django_assert_max_num_queries(len(five) + 2 * 5):
        assert purge_personal_data(batch_size=10).comments == 50


def test_the_batches_cover_every_comment(draft):
    """Chunks in key order: none is skipped at a chunk's edge, none is updated twice."""
    round_ = factories.make_consultation(draft, local(2026, 2, 1), local(2026, 3, 1))
    PublicComment.objects.bulk_create(factories.build_comments(round_, 23, **PERSONAL))
    with freeze_time(local(2026, 5, 1)):
        assert purge_personal_data(batch_size=5).comments == 23
    assert not PublicComment.objects.exclude(email="").exists()


# --- Settings --------------------------------------------------------------------------


@pytest.mark.parametrize("value", [-1, "365", 1.5, None])
def test_a_retention_period_that_is_not_a_whole_number_of_days_fails_the_checks(settings, value):
    settings.POLICYCOMMS_PERSONAL_DATA_RETENTION_DAYS = value
    messages = [e.msg for e in check_settings()]
    assert any("POLICYCOMMS_PERSONAL_DATA_RETENTION_DAYS" in m for m in messages)


def test_the_cutoff_counts_whole_local_days(settings):
    settings.POLICYCOMMS_PERSONAL_DATA_RETENTION_DAYS = 365
    # 16:59:59 UTC on 31/12/2026 is 23:59:59 local; a second later it is 01/01/2027 there.
    assert retention.cutoff(datetime(2026, 12, 31, 16, 59, 59, tzinfo=ZoneInfo("UTC"))) == local(
        2025, 12, 31
    )
    assert retention.cutoff(datetime(2026, 12, 31, 17, 0, 0, tzinfo=ZoneInfo("UTC"))) == local(
        2026, 1, 1
    )
    assert retention.cutoff(local(2026, 6, 1) + timedelta(hours=12)) == local(2025, 6, 1)
