"""The demo loader: complete enough to show every feature, and safe to run twice."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Revision

from wagtail_policycomms.models import (
    Assignment,
    AssignmentStatus,
    CommunicationActivity,
    CommunicationPlan,
    ConsultationPage,
    ConsultationStatus,
    DraftPolicyPage,
    PolicyIndexPage,
    Sector,
    Unit,
    local_today,
)

COUNTED = (
    Unit,
    Sector,
    PolicyIndexPage,
    DraftPolicyPage,
    ConsultationPage,
    get_user_model(),
    CommunicationPlan,
    Assignment,
    CommunicationActivity,
)


def load_demo():
    call_command("policycomms_demo", stdout=StringIO(), stderr=StringIO())


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture(scope="module")
def shared_demo(module_db):
    """The demo, loaded once for the module (``module_db``): every test reads it, and a
    test that loads it again or changes it does so in its own savepoint."""
    load_demo()


@pytest.fixture
def demo(shared_demo, db):
    """The demo, loaded (once for the module)."""


def test_second_run_adds_nothing(demo):
    first = counts()
    anchors = {d.pk: [a.id for a in d.articles] for d in DraftPolicyPage.objects.all()}
    revisions = Revision.objects.count()

    load_demo()

    assert counts() == first
    assert all(first.values())
    # Comments anchor to article ids: a re-run must not regenerate them.
    assert {d.pk: [a.id for a in d.articles] for d in DraftPolicyPage.objects.all()} == anchors
    # Nothing changed on the same day, so no page history is added either.
    assert Revision.objects.count() == revisions


def test_drafts_have_enough_articles(demo):
    rich = [d for d in DraftPolicyPage.objects.live() if len(d.articles) >= 5]
    assert len(rich) >= 3
    for draft in rich:
        ids = [a.id for a in draft.articles]
        assert all(ids) and len(set(ids)) == len(ids)


def test_consultations_cover_every_status_now(demo):
    statuses = {c.status for c in ConsultationPage.objects.live()}
    assert statuses >= {
        ConsultationStatus.OPEN,
        ConsultationStatus.UPCOMING,
        ConsultationStatus.CLOSED,
    }
    for status in ConsultationStatus:
        assert ConsultationPage.objects.live().with_status(status).exists()


def test_every_demo_page_renders(demo, client):
    pages = [
        *PolicyIndexPage.objects.live(),
        *DraftPolicyPage.objects.live(),
        *ConsultationPage.objects.live(),
    ]
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url_path
    index = PolicyIndexPage.objects.live().get()
    listed = client.get(index.url).context["page_obj"].paginator.count
    assert listed == DraftPolicyPage.objects.live().child_of(index).count()


def test_receiving_units_have_contact_details(demo):
    for consultation in ConsultationPage.objects.live().select_related("receiving_unit"):
        assert consultation.receiving_unit.has_contact_details, consultation.title


def test_the_plan_is_loaded_once_with_assignments_per_major_draft(demo):
    load_demo()

    plan = CommunicationPlan.objects.get(year=2024)
    template_items = plan.assignments.filter(draft_policy__isnull=True)
    assert template_items.count() == 11
    assert not plan.assignments.filter(draft_policy__isnull=False).exists()
    # The drafts are consulted on this year: their assignments are in this year's plan,
    # started from the 2024 one.
    current = CommunicationPlan.objects.get(year=local_today().year)
    assert CommunicationPlan.objects.count() == 2
    assert current.assignments.filter(draft_policy__isnull=True).count() == 11
    major = DraftPolicyPage.objects.filter(major_social_impact=True)
    assert major.count() >= 3
    for draft in major:
        per_draft = Assignment.objects.filter(plan=current, draft_policy=draft)
        assert sorted(per_draft.values_list("reference", flat=True)) == ["II.2.1", "II.2.2", "II.3"]
        assert {a.lead_unit for a in per_draft} == {draft.drafting_unit}
    assert not Assignment.objects.filter(draft_policy__major_social_impact=False).exists()
    # Every assignment starts its history at the load; the past year's dated items were
    # then marked done, once, in a second revision.
    for assignment in Assignment.objects.all():
        closed = assignment.plan_id == plan.pk and assignment.due_on is not None
        assert Revision.objects.for_instance(assignment).count() == (2 if closed else 1)
        if closed:
            assert assignment.status == AssignmentStatus.DONE
            assert assignment.completed_on == assignment.due_on


def test_assignments_show_every_state_the_coordinator_tracks(demo):
    today = local_today()
    per_draft = Assignment.objects.filter(draft_policy__isnull=False)
    assert per_draft.overdue(today).exists()
    assert per_draft.due_within(7, today).exists()
    done = per_draft.filter(status=AssignmentStatus.DONE)
    assert done.exists() and all(a.budget_spent and a.completed_on for a in done)
    assert per_draft.filter(progress_notes__isnull=False).exists()


def test_some_but_not_all_major_drafts_are_communicated(demo):
    major = DraftPolicyPage.objects.filter(major_social_impact=True)
    logged = major.filter(communication_log__isnull=False).distinct()
    assert 0 < logged.count() < major.count()
    # The log is in the published revision, so a later publish does not drop it.
    for draft in logged:
        revision_rows = draft.get_latest_revision().content["communication_log"]
        assert len(revision_rows) == draft.communication_log.count()


def test_a_citizen_who_asks_to_be_told_is_emailed_the_published_answer(
    demo, client, mailoutbox, django_capture_on_commit_callbacks
):
    """Issue 13's demo walk-through: comment with the box ticked, the Information Centre
    publishes the comment and an answer, and the citizen gets "your comment was answered"."""
    import re

    from tests import factories
    from wagtail_policycomms import moderation
    from wagtail_policycomms.models import PublicComment

    consultation = next(
        page.specific
        for page in ConsultationPage.objects.live()
        if page.specific.status == ConsultationStatus.OPEN
    )
    address = "cong.dan.demo@example.vn"
    data = factories.comment_post_data(email=address, email_updates="on")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(consultation.url, data)
    assert response.status_code in (200, 302, 303)
    comment = PublicComment.objects.get(email=address)
    if comment.status == "unverified":  # the demo's site may ask to confirm the address
        [link] = re.findall(r"https?://[^/\s]+(/policycomms/verify/[^/\s]+/)", mailoutbox[-1].body)
        with django_capture_on_commit_callbacks(execute=True):
            client.get(link)
        comment.refresh_from_db()
    moderator = get_user_model().objects.get(username="kiemduyet")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate(PublicComment.objects.filter(pk=comment.pk), "approve", moderator)
    comment.refresh_from_db()
    assert comment.status == "approved"
    mailoutbox.clear()

    text = "Ban soạn thảo tiếp thu ý kiến và sửa khoản 2 Điều 3."
    with django_capture_on_commit_callbacks(execute=True):
        answer = factories.answer_comments(PublicComment.objects.filter(pk=comment.pk), text=text)
        moderation.set_answer_published(answer, moderator, True)

    [message] = mailoutbox
    assert message.to == [address]
    assert text in message.body
    assert comment.receipt_code in message.subject


def test_a_draft_has_two_rounds_on_two_versions_and_what_changed_renders(demo, client):
    """The page "What changed and why": the startups draft's first round was put to one text, the
    second to the revised one; the page shows the changes, the first round's comments and
    the answers, one pointing to the revised draft's article that implements it."""
    draft = DraftPolicyPage.objects.get(slug="nghi-quyet-ho-tro-khoi-nghiep-doi-moi-sang-tao")
    first, second = ConsultationPage.objects.child_of(draft).order_by("opens_at")
    assert first.draft_revision_id and second.draft_revision_id
    assert first.draft_revision_id != second.draft_revision_id
    assert first.public_comments.filter(response__implemented_in_article__gt="").exists()

    response = client.get(f"{draft.url}changes/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<ins class="pc-diff-ins">' in html and '<del class="pc-diff-del">' in html
    for kind in ("added", "removed", "moved", "changed"):
        assert f"pc-change--{kind}" in html
    assert 'class="pc-implemented"' in html
    assert "huy.pham" not in html  # the comments are there, their emails never
    assert "Phạm Quang Huy" in html
