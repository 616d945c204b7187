"""Moderation actions through the admin, as moderators use them: one comment at a time, in
bulk, on a whole duplicate group; the two-moderator case; refusals; the audit trail.

Moderators' admin speaks English (factories.make_moderator), so messages are compared
as written. Statuses are always checked in the database, not only in the response.
"""

import html
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from wagtail.models import ModelLogEntry

from tests import factories
from wagtail_policycomms import moderation
from wagtail_policycomms.models import CommentStatus, PublicComment
from wagtail_policycomms.moderation import ACTIONS

NS = "wagtailsnippets_wagtail_policycomms_publiccomment"
P, A, R, S = (
    CommentStatus.PENDING,
    CommentStatus.APPROVED,
    CommentStatus.REJECTED,
    CommentStatus.SPAM,
)
CONFLICT = "has already been handled by someone else"


def url(name, *args):
    return reverse(f"{NS}:{name}", args=args)


def bulk_url(action, *comments, **params):
    query = [("id", c.pk) for c in comments] + list(params.items())
    path = reverse("wagtail_bulk_action", args=["wagtail_policycomms", "publiccomment", action])
    return path + "?" + urlencode(query)


def messages_of(response):
    """The messages as a person reads them (Wagtail's admin messages arrive HTML-escaped)."""
    return [html.unescape(str(m.message)).strip() for m in get_messages(response.wsgi_request)]


def status_of(comment):
    return PublicComment.objects.get(pk=comment.pk).status


def logged(comment):
    return list(ModelLogEntry.objects.for_instance(comment).order_by("timestamp", "pk"))


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def consultation(index):
    return factories.make_round_with_status(factories.make_draft(index), "open")


@pytest.fixture
def moderator(db):
    return factories.make_moderator("moderator")


@pytest.fixture
def moderator_client(moderator):
    return client_for(moderator)


# --- One comment ------------------------------------------------------------------------

ONE = [
    ("approve", P, A, {}, "Comment {code} approved."),
    (
        "reject",
        P,
        R,
        {"reason": "off_topic", "note": "Không liên quan"},
        "Comment {code} rejected.",
    ),
    ("spam", P, S, {}, "Comment {code} marked as spam."),
    ("pending", A, P, {}, "Comment {code} returned to pending."),
    ("approve", R, A, {}, "Comment {code} approved."),
]


@pytest.mark.parametrize(("action", "before", "after", "extra", "message"), ONE)
def test_single_action_confirms_then_changes_and_logs(
    moderator_client, moderator, consultation, action, before, after, extra, message
):
    comment = factories.make_comment(consultation, status=before)
    page = moderator_client.get(url("moderate", comment.pk, action))
    assert page.status_code == 200
    assert page.context["form"].initial["seen_status"] == before
    assert f'name="seen_status" value="{before}"' in page.content.decode()

    next_url = url("list") + "?status=" + before
    response = moderator_client.post(
        url("moderate", comment.pk, action) + "?" + urlencode({"next": next_url}),
        {"seen_status": before, **extra},
    )
    assert response.status_code == 302
    assert response.url == next_url
    assert messages_of(response) == [message.format(code=comment.receipt_code)]
    comment.refresh_from_db()
    assert comment.status == after
    assert comment.moderated_by == moderator
    [entry] = logged(comment)
    assert entry.action == moderation.LOG_ACTIONS[action]
    assert entry.user == moderator
    assert entry.data["status"] == after
    if action == "reject":
        assert (comment.moderation_reason, comment.moderation_note) == (
            "off_topic",
            "Không liên quan",
        )
        assert entry.data["reason"] == "off_topic"
        assert entry.data["note"] == "Không liên quan"


def test_second_moderator_is_told_and_nothing_is_overwritten(moderator_client, consultation):
    comment = factories.make_comment(consultation, status=P)
    other = factories.make_moderator("other")
    # Both open the comment while it is pending; the other moderator approves first.
    assert moderator_client.get(url("moderate", comment.pk, "reject")).status_code == 200
    client_for(other).post(url("moderate", comment.pk, "approve"), {"seen_status": P})

    response = moderator_client.post(
        url("moderate", comment.pk, "reject"), {"seen_status": P, "reason": "offensive"}
    )
    assert response.status_code == 302
    [message] = messages_of(response)
    assert CONFLICT in message and comment.receipt_code in message and "Approved" in message
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by, comment.moderation_reason) == (A, other, "")
    assert [entry.action for entry in logged(comment)] == [moderation.LOG_ACTIONS["approve"]]


@pytest.mark.parametrize("reason", ["", "not_a_reason"])
def test_reject_needs_a_configured_reason(moderator_client, consultation, reason):
    comment = factories.make_comment(consultation, status=P)
    response = moderator_client.post(
        url("moderate", comment.pk, "reject"), {"seen_status": P, "reason": reason}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert status_of(comment) == P
    assert not logged(comment)


def test_action_offered_only_from_statuses_it_applies_to(moderator_client, consultation):
    comment = factories.make_comment(consultation, status=A)
    response = moderator_client.get(url("moderate", comment.pk, "approve"))
    assert response.status_code == 302
    assert "cannot be changed that way" in messages_of(response)[0]
    assert moderator_client.get(url("moderate", comment.pk, "delete")).status_code == 404


# --- In bulk ----------------------------------------------------------------------------

BULK = [
    ("approve", P, A, {}, "3 comments approved."),
    ("reject", P, R, {"reason": "advertising"}, "3 comments rejected."),
    ("spam", P, S, {}, "3 comments marked as spam."),
    ("pending", R, P, {}, "3 comments returned to pending."),
]


@pytest.mark.parametrize(("action", "before", "after", "extra", "message"), BULK)
def test_bulk_action_changes_the_selection_in_one_call(
    moderator_client, moderator, consultation, action, before, after, extra, message
):
    comments = [factories.make_comment(consultation, status=before) for _ in range(3)]
    untouched = factories.make_comment(consultation, status=before)
    page = moderator_client.get(bulk_url(action, *comments))
    assert page.status_code == 200
    assert page.context["form"].initial["seen_statuses"] == [before]
    with translation.override("en"):
        assert f"{ACTIONS[action].label}: 3 selected comments." in page.content.decode()

    with mock.patch.object(moderation, "moderate", wraps=moderation.moderate) as spy:
        response = moderator_client.post(
            bulk_url(action, *comments, next=url("list")), {"seen_statuses": [before], **extra}
        )
    assert spy.call_count == 1
    assert response.status_code == 302
    assert response.url == url("list")
    assert messages_of(response) == [message]
    for comment in comments:
        assert status_of(comment) == after
        [entry] = logged(comment)
        assert (entry.action, entry.user, entry.data["status"]) == (
            moderation.LOG_ACTIONS[action],
            moderator,
            after,
        )
    assert status_of(untouched) == before


def test_bulk_skips_comments_someone_else_handled_meanwhile(moderator_client, consultation):
    comments = [factories.make_comment(consultation, status=P) for _ in range(3)]
    page = moderator_client.get(bulk_url("approve", *comments))
    seen = page.context["form"].initial["seen_statuses"]
    other = client_for(factories.make_moderator("other"))
    other.post(url("moderate", comments[0].pk, "reject"), {"seen_status": P, "reason": "offensive"})

    response = moderator_client.post(bulk_url("approve", *comments), {"seen_statuses": seen})
    assert messages_of(response) == [
        "2 comments approved. 1 skipped because someone else had already handled it "
        "or it was already in that status."
    ]
    assert [status_of(c) for c in comments] == [R, A, A]


def test_bulk_reject_needs_a_reason(moderator_client, consultation):
    comment = factories.make_comment(consultation, status=P)
    response = moderator_client.post(bulk_url("reject", comment), {"seen_statuses": [P]})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert status_of(comment) == P


def test_select_all_applies_to_the_filtered_queue_only(moderator_client, index, consultation):
    other_round = factories.make_round_with_status(factories.make_draft(index), "open")
    mine = [factories.make_comment(consultation, status=P) for _ in range(2)]
    approved_before = factories.make_comment(consultation, status=A)
    elsewhere = factories.make_comment(other_round, status=P)
    # As the listing sends it: its own query string, plus id=all. No status: the default.
    response = moderator_client.post(
        bulk_url("spam", consultation=consultation.pk) + "&id=all", {"seen_statuses": [P]}
    )
    assert messages_of(response) == ["2 comments marked as spam."]
    assert [status_of(c) for c in mine] == [S, S]
    assert status_of(approved_before) == A
    assert status_of(elsewhere) == P


# --- Duplicate groups -------------------------------------------------------------------


@pytest.mark.parametrize(("action", "after"), [("approve", A), ("spam", S)])
def test_group_action_changes_every_member(moderator_client, consultation, action, after):
    group = factories.make_duplicates(consultation, 5, status=P)
    PublicComment.objects.filter(pk=group[0].pk).update(status=R)
    lone = factories.make_comment(consultation, status=P, body="Một ý kiến khác hẳn.")
    page = moderator_client.get(url("group_moderate", group[1].pk, action))
    assert page.context["size"] == 5
    assert sorted(page.context["form"].initial["seen_statuses"]) == [P, R]

    response = moderator_client.post(
        url("group_moderate", group[1].pk, action), {"seen_statuses": [P, R]}
    )
    assert response.status_code == 302
    assert response.url == url("groups")
    assert set(
        PublicComment.objects.filter(pk__in=[c.pk for c in group]).values_list("status", flat=True)
    ) == {after}
    assert ModelLogEntry.objects.filter(action=moderation.LOG_ACTIONS[action]).count() == 5
    assert status_of(lone) == P


LOG_INSERT = 'INSERT INTO "wagtailcore_modellogentry"'


def group_action_queries(client, consultation, size):
    """Queries of one group action: (all but the audit INSERTs, the audit INSERTs)."""
    group = factories.make_duplicates(consultation, size, status=P, body=f"Chiến dịch {size}")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            url("group_moderate", group[0].pk, "reject"),
            {"seen_statuses": [P], "reason": "advertising"},
        )
    assert messages_of(response)[-1] == f"{size} comments rejected."
    assert not PublicComment.objects.filter(text_hash=group[0].text_hash).exclude(status=R)
    assert ModelLogEntry.objects.filter(label__in=[c.receipt_code for c in group]).count() == size
    sql = [query["sql"] for query in queries.captured_queries]
    inserts = [q for q in sql if q.startswith(LOG_INSERT)]
    return len(sql) - len(inserts), len(inserts)


def test_group_action_takes_the_same_queries_for_30_or_300_members(moderator_client, consultation):
    group_action_queries(moderator_client, consultation, 3)  # warm caches (content types)
    (others_30, inserts_30), (others_300, inserts_300) = (
        group_action_queries(moderator_client, consultation, size) for size in (30, 300)
    )
    assert others_30 == others_300
    if connection.features.max_query_params is None:  # PostgreSQL: one INSERT per 2000
        assert inserts_30 == inserts_300 == 1
    else:  # SQLite caps the parameters of one statement, so Django splits the INSERT
        assert inserts_300 <= 300 * 10 // connection.features.max_query_params + 1


# --- Large groups: batches that commit, in the background -------------------------------

COMMENTS_UPDATE = f'UPDATE "{PublicComment._meta.db_table}"'


def test_a_group_larger_than_a_batch_is_changed_one_batch_at_a_time(
    moderator_client, consultation, settings
):
    settings.POLICYCOMMS_MODERATION_BATCH_SIZE = 7
    group = factories.make_duplicates(consultation, 30, status=P, body="Chiến dịch lớn")
    factories.make_duplicates(consultation, 2, status=A, body="Chiến dịch lớn")
    with CaptureQueriesContext(connection) as queries:
        response = moderator_client.post(
            url("group_moderate", group[0].pk, "approve"), {"seen_statuses": [P, A]}
        )
    # The immediate task backend (tests) has finished: the usual message.
    assert messages_of(response)[-1] == (
        "30 comments approved. 2 skipped because someone else had already handled them "
        "or they were already in that status."
    )
    assert not PublicComment.objects.filter(text_hash=group[0].text_hash).exclude(status=A)
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(COMMENTS_UPDATE)]
    assert len(updates) == 5  # 7 + 7 + 7 + 7 + 2
    entries = ModelLogEntry.objects.filter(action=moderation.LOG_ACTIONS["approve"])
    assert entries.count() == 30
    assert entries.values("uuid").distinct().count() == 1  # one action in the history


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_interrupted_group_pass_keeps_its_batches_and_the_same_action_finishes_it(
    consultation, settings
):
    """Batches commit: a failure in the third leaves two done, and running it again ends it."""
    settings.POLICYCOMMS_MODERATION_BATCH_SIZE = 10
    moderator = factories.make_moderator("moderator")
    group = factories.make_duplicates(consultation, 35, status=P, body="Chiến dịch dừng giữa chừng")
    members = PublicComment.objects.filter(text_hash=group[0].text_hash)
    real_bulk_create = ModelLogEntry.objects.bulk_create
    calls = []

    def failing_third_time(*args, **kwargs):  # the audit write of batch 3 fails (Wagtail's model)
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("database went away")
        return real_bulk_create(*args, **kwargs)

    with (
        mock.patch.object(ModelLogEntry.objects, "bulk_create", failing_third_time),
        pytest.raises(RuntimeError),
    ):
        moderation.moderate(members, "approve", moderator, batch_size=10)
    assert members.filter(status=A).count() == 20  # two batches committed, the third rolled back
    assert ModelLogEntry.objects.filter(label__in=[c.receipt_code for c in group]).count() == 20

    response = client_for(moderator).post(
        url("group_moderate", group[0].pk, "approve"), {"seen_statuses": [P, A]}
    )
    assert messages_of(response)[-1] == (
        "15 comments approved. 20 skipped because someone else had already handled them "
        "or they were already in that status."
    )
    assert members.filter(status=A).count() == 35
    assert ModelLogEntry.objects.filter(label__in=[c.receipt_code for c in group]).count() == 35


def test_with_a_worker_a_large_group_is_queued_and_the_worker_changes_it(
    moderator_client, moderator, consultation, settings
):
    settings.POLICYCOMMS_MODERATION_BATCH_SIZE = 5
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    group = factories.make_duplicates(consultation, 12, status=P, body="Chiến dịch nền")
    response = moderator_client.post(
        url("group_moderate", group[0].pk, "reject"),
        {"seen_statuses": [P], "reason": "advertising", "note": "Quảng cáo"},
    )
    assert response.status_code == 302
    assert messages_of(response)[-1] == (
        "The 12 comments of this group are being handled in the background, 5 at a time; "
        "the group's counts show the progress. If the work stops part-way, choose the same "
        "action again: it carries on with the comments not yet handled."
    )
    members = PublicComment.objects.filter(text_hash=group[0].text_hash)
    assert set(members.values_list("status", flat=True)) == {P}  # nothing yet: the worker's job
    (queued,) = default_task_backend.results
    # What a worker runs: the task's function with the stored (JSON) arguments.
    outcome = queued.task.call(*queued.args, **queued.kwargs)
    assert outcome == {"changed": 12, "skipped": 0}
    assert set(members.values_list("status", "moderation_reason", "moderated_by")) == {
        (R, "advertising", moderator.pk)
    }


# --- Refusals ---------------------------------------------------------------------------


def assert_refused(response):
    """Wagtail's refusal inside the admin: back to the dashboard with an error."""
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


def test_without_moderate_permission_every_action_is_refused(consultation):
    viewer = client_for(factories.make_moderator("viewer", moderate=False))
    comment = factories.make_comment(consultation, status=P)
    assert_refused(viewer.get(url("moderate", comment.pk, "approve")))
    assert_refused(viewer.post(url("moderate", comment.pk, "approve"), {"seen_status": P}))
    assert_refused(viewer.get(bulk_url("approve", comment)))
    assert_refused(viewer.post(bulk_url("approve", comment), {"seen_statuses": [P]}))
    assert_refused(viewer.post(url("group_moderate", comment.pk, "spam"), {}))
    assert status_of(comment) == P
    assert not logged(comment)
    # The queue itself offers them nothing to click.
    listing = viewer.get(url("list")).content.decode()
    assert url("moderate", comment.pk, "approve") not in listing
    assert "data-bulk-action-button" not in listing


def test_without_view_permission_queue_inspect_and_history_are_refused(consultation):
    stranger = client_for(factories.make_staff("stranger"))
    comment = factories.make_comment(consultation, status=P)
    for name, args in [("list", ()), ("inspect", (comment.pk,)), ("history", (comment.pk,))]:
        assert_refused(stranger.get(url(name, *args)))
    assert_refused(stranger.get(url("groups")))


def test_comments_are_never_added_edited_or_deleted_in_the_admin(editor_client, consultation):
    comment = factories.make_comment(consultation, status=P)
    assert_refused(editor_client.get(url("add")))
    assert_refused(editor_client.get(url("edit", comment.pk)))
    assert_refused(editor_client.post(url("delete", comment.pk)))
    editor_client.post(bulk_url("delete", comment), {})
    assert PublicComment.objects.filter(pk=comment.pk).exists()
    listing = editor_client.get(url("list")).content.decode()
    assert url("edit", comment.pk) not in listing and url("delete", comment.pk) not in listing
    assert "Delete selected" not in listing


# --- Audit trail ------------------------------------------------------------------------


def test_actions_show_in_the_comment_history_and_site_history(
    moderator_client, editor_client, consultation
):
    comment = factories.make_comment(consultation, status=P)
    moderator_client.post(
        url("moderate", comment.pk, "reject"),
        {"seen_status": P, "reason": "off_topic", "note": "Quảng cáo trá hình"},
    )
    moderator_client.post(url("moderate", comment.pk, "approve"), {"seen_status": R})

    history = moderator_client.get(url("history", comment.pk))
    assert history.status_code == 200
    content = history.content.decode()
    assert "Comment rejected: Not about the draft" in content
    assert "Quảng cáo trá hình" in content
    assert "Comment approved" in content

    report = editor_client.get(reverse("wagtailadmin_reports:site_history"))
    content = report.content.decode()
    assert report.status_code == 200
    assert comment.receipt_code in content
    assert "Comment rejected: Not about the draft" in content
    assert "Comment approved" in content
    assert url("inspect", comment.pk) in content  # its link opens the inspect view
    filtered = editor_client.get(
        reverse("wagtailadmin_reports:site_history"),
        {"action": moderation.LOG_ACTIONS["approve"]},
    )
    assert [entry.label for entry in filtered.context["object_list"]] == [comment.receipt_code]


def test_an_action_that_does_not_apply_to_the_seen_status_is_refused(
    moderator_client, consultation
):
    comment = factories.make_comment(consultation, status=A)
    response = moderator_client.post(url("moderate", comment.pk, "approve"), {"seen_status": A})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "“Approve” does not apply to a comment that is “Approved”."
    ]
    assert not logged(comment)
