"""The moderators' dashboard panel: pending comments, rounds closing soon, unanswered closed rounds."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from wagtail.test.utils import WagtailTestUtils

from tests import factories
from wagtail_policycomms import moderation
from wagtail_policycomms.models import PublicComment, counts
from wagtail_policycomms.permissions import DRAFTING_EDITORS, MODERATORS, setup_groups
from wagtail_policycomms.views.dashboard import ModerationPanel


def staff(group_name):
    user = factories.make_member(group_name)
    client = Client()
    client.force_login(user)
    return client


def panel_of(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return WagtailTestUtils.get_soup(response.content).select_one("#policycomms-moderation-section")


def words(node):
    return " ".join(node.get_text().split())


@pytest.fixture(autouse=True)
def groups(index):
    setup_groups()


@pytest.fixture
def draft(index):
    return factories.make_draft(index, title="Dự thảo Nghị quyết hỗ trợ đổi mới công nghệ")


def round_closing_in(draft, days, title):
    now = timezone.now()
    return factories.make_consultation(
        draft, now - timedelta(days=30), now + timedelta(days=days), title=title
    )


def test_moderator_sees_pending_closing_and_unanswered(draft):
    soon = factories.make_consultation(
        draft,
        factories.hanoi(2020, 1, 1),
        timezone.now() + timedelta(days=3),
        title="Đợt sắp hết hạn",
    )
    round_closing_in(draft, 20, "Đợt còn lâu")
    closed = factories.make_consultation(
        draft, factories.hanoi(2025, 3, 1, 8), factories.hanoi(2025, 4, 2, 17), title="Đợt đã xong"
    )
    answered_round = factories.make_consultation(
        draft, factories.hanoi(2025, 1, 1), factories.hanoi(2025, 2, 1), title="Đợt đã trả lời"
    )
    for __ in range(3):
        factories.make_comment(soon, status="pending")
    for __ in range(2):
        factories.make_comment(closed)  # approved, no answer
    factories.make_comment(closed, status="pending")  # not counted: not approved
    done = factories.make_comment(closed)
    finished = factories.make_comment(answered_round)
    unit = factories.make_unit()
    for comment in (done, finished):
        moderation.answer(
            PublicComment.objects.filter(pk=comment.pk),
            None,
            disposition="accepted",
            text="Tiếp thu.",
            answering_unit=unit,
        )

    panel = panel_of(staff(MODERATORS))
    assert panel is not None
    assert "4 comments are waiting for moderation." in words(panel)
    try:
        queue = reverse("wagtailsnippets_wagtail_policycomms_publiccomment:list")
    except NoReverseMatch:
        queue = None
    link = panel.select_one(".pc-dashboard-pending a")
    assert (link["href"] if link else None) == queue

    rows = [
        [words(td) for td in tr.select("td")]
        for tr in panel.select(".pc-dashboard-closing tbody tr")
    ]
    closes = timezone.localtime(soon.closes_at).strftime("%d/%m/%Y")
    assert rows == [["Đợt sắp hết hạn", draft.title, closes]]
    edit = panel.select_one(".pc-dashboard-closing a")["href"]
    assert edit == reverse("wagtailadmin_pages:edit", args=[soon.pk])

    rows = [
        [words(td) for td in tr.select("td")]
        for tr in panel.select(".pc-dashboard-unanswered tbody tr")
    ]
    assert rows == [["Đợt đã xong", draft.title, "02/04/2025", "2"]]


def test_panel_is_absent_for_drafting_editors(draft):
    factories.make_comment(round_closing_in(draft, 2, "Đợt"), status="pending")
    assert panel_of(staff(DRAFTING_EDITORS)) is None


def test_empty_panel(draft):
    panel = panel_of(staff(MODERATORS))
    assert "0 comments are waiting for moderation." in words(panel)
    assert words(panel).count("None.") == 2


def test_queries_do_not_grow_with_consultations_and_comments(rf, draft, index):
    def render():
        with CaptureQueriesContext(connection) as queries:
            ModerationPanel().render_html({"request": rf.get("/admin/")})
        return len(queries)

    def add_rounds(count):
        for n in range(count):
            other = factories.make_draft(index)
            closed = factories.make_consultation(
                other, factories.hanoi(2025, 1, 1), factories.hanoi(2025, 2, n + 1)
            )
            PublicComment.objects.bulk_create(factories.build_comments(closed, 3))
            soon = round_closing_in(other, 2 + n % 4, f"Đợt {n}")
            PublicComment.objects.bulk_create(factories.build_comments(soon, 3, status="pending"))

    add_rounds(1)
    render()  # warm caches
    few = render()
    add_rounds(6)
    assert render() == few


def test_warm_panel_reads_no_comment_at_any_number(rf, draft):
    """Pending and unanswered figures come from the cached counts: none of the panel's
    queries reads the comments table once they are cached, whatever its size."""
    closed = factories.make_consultation(
        draft, factories.hanoi(2025, 1, 1), factories.hanoi(2025, 2, 1), title="Đợt đã xong"
    )
    soon = round_closing_in(draft, 3, "Đợt sắp hết hạn")

    def render():
        ModerationPanel().render_html({"request": rf.get("/admin/")})
        with CaptureQueriesContext(connection) as queries, translation.override("en"):
            html = ModerationPanel().render_html({"request": rf.get("/admin/")})
        return queries, words(WagtailTestUtils.get_soup(html))

    PublicComment.objects.bulk_create(factories.build_comments(closed, 2))
    PublicComment.objects.bulk_create(factories.build_comments(soon, 3, status="pending"))
    few, text = render()
    assert "3 comments are waiting for moderation." in text
    PublicComment.objects.bulk_create(factories.build_comments(closed, 200))
    PublicComment.objects.bulk_create(factories.build_comments(soon, 300, status="pending"))
    counts.comments_changed([closed.pk, soon.pk])  # a bulk load skips save()
    many, text = render()
    assert "303 comments are waiting for moderation." in text
    assert "Đợt đã xong" in text and "202" in text
    assert len(many) == len(few)
    assert not [q["sql"] for q in many if "wagtail_policycomms_publiccomment" in q["sql"]]


def test_figures_follow_new_comments_moderation_and_answers(
    draft, client, django_capture_on_commit_callbacks
):
    moderator = staff(MODERATORS)
    closed = factories.make_consultation(
        draft, factories.hanoi(2025, 1, 1), factories.hanoi(2025, 2, 1), title="Đợt đã xong"
    )
    waiting = factories.make_comment(closed)
    factories.make_comment(closed)
    pending = factories.make_comment(closed, status="pending")
    panel = panel_of(moderator)
    assert "1 comment is waiting for moderation." in words(panel)
    assert [words(td) for td in panel.select(".pc-dashboard-unanswered tbody td")][-1] == "2"

    open_round = round_closing_in(draft, 20, "Đợt đang mở")
    factories.post_comment(client, open_round, django_capture_on_commit_callbacks)
    assert "2 comments are waiting for moderation." in words(panel_of(moderator))

    user = factories.make_moderator()
    moderation.moderate(PublicComment.objects.filter(pk=pending.pk), "approve", user)
    panel = panel_of(moderator)
    assert "1 comment is waiting for moderation." in words(panel)
    assert [words(td) for td in panel.select(".pc-dashboard-unanswered tbody td")][-1] == "3"

    factories.answer_comments(PublicComment.objects.filter(pk=waiting.pk))
    panel = panel_of(moderator)
    assert [words(td) for td in panel.select(".pc-dashboard-unanswered tbody td")][-1] == "2"
