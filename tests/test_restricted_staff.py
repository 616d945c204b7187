"""A draft restricted as a whole in the package's own staff screens, for staff without the
permission to view restricted content (issue 14).

Comments sent to a round while its draft was public stay in the database when the draft is
restricted. A moderator and coordinator without *Can view restricted content* must not read
the draft's or the round's title, nor those comments, anywhere in our screens: the queue
(its filters, its export), duplicate groups, campaigns, one comment's pages, answers,
synthesis, outcome, the dashboard, an assignment linked to the draft, and the compliance
report. The same person with the permission reads them (so every check can fail).
"""

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.test_restricted import (  # noqa: F401 (fixtures)
    DRAFT_MARK,
    restricted_article,
    sector,
    world,
)
from wagtail_policycomms.campaigns.grouping import regroup
from wagtail_policycomms.models import Campaign, DraftPolicyPage, PublicComment
from wagtail_policycomms.permissions import (
    EXPORT,
    MODERATE,
    PLAN_PERMISSIONS,
    VIEW_COMMENTS,
    VIEW_PERSONAL_DATA,
    VIEW_RESTRICTED,
    can_view_restricted,
)
from wagtail_policycomms.restricted import RESTRICTED_DRAFT

SECRET_TITLE = f"Dự thảo {DRAFT_MARK}"
SECRET_ROUND_TITLE = f"Lấy ý kiến {DRAFT_MARK}"
#: In the text of the comments sent to the restricted draft's round.
COMMENT_MARK = "YKIENMATQ9"
SECRET_LETTER = (
    f"Chúng tôi đề nghị giữ nguyên mức thu phí thẩm định {COMMENT_MARK} như hiện hành "
    "để giảm gánh nặng cho hộ kinh doanh cá thể trên địa bàn tỉnh."
)
QUEUE = "wagtailsnippets_wagtail_policycomms_publiccomment"
ASSIGNMENTS = "wagtailsnippets_wagtail_policycomms_assignment"
ADMIN = "wagtail_policycomms_admin"
STAFF_PERMISSIONS = (VIEW_COMMENTS, MODERATE, EXPORT, VIEW_PERSONAL_DATA, *PLAN_PERMISSIONS)


@pytest.fixture
def secret(world):  # noqa: F811
    """The restricted draft's round holds comments sent while it was public: a duplicate
    group (grouped into a campaign too), answered, and one more comment; an assignment
    links the draft; the draft has a communication log row (so it is in this year's
    compliance report, were it not restricted)."""
    secret_draft, secret_round = world["secret_draft"], world["secret_round"]
    DraftPolicyPage.objects.filter(pk=secret_draft.pk).update(major_social_impact=True)
    DraftPolicyPage.objects.filter(pk=world["draft"].pk).update(major_social_impact=True)
    copies = factories.make_duplicates(secret_round, 3, body=SECRET_LETTER)
    single = factories.make_comment(secret_round, body=f"Góp ý riêng {COMMENT_MARK}.")
    factories.answer_comments(PublicComment.objects.filter(pk=copies[0].pk), published=True)
    regroup([secret_round.pk])
    campaign = Campaign.objects.get(consultation=secret_round)
    factories.log_communication(secret_draft)
    factories.log_communication(world["draft"])
    assignment = factories.make_assignment(
        title="Truyền thông dự thảo theo kế hoạch", draft_policy=world["draft"]
    )
    before = assignment.save_revision()
    assignment.draft_policy = secret_draft
    assignment.save()
    after = assignment.save_revision()
    return {
        "draft": secret_draft,
        "round": secret_round,
        "comment": copies[0],
        "single": single,
        "campaign": campaign,
        "assignment": assignment,
        "revisions": (before.pk, after.pk),
    }


@pytest.fixture
def denied(world):  # noqa: F811
    """A moderator who also follows the plan, without the permission."""
    return factories.make_staff("mat-khong", STAFF_PERMISSIONS)


@pytest.fixture
def allowed(world):  # noqa: F811
    user = factories.make_staff("mat-co", (*STAFF_PERMISSIONS, VIEW_RESTRICTED))
    assert can_view_restricted(user)
    return user


def names_secret(text):
    return any(mark in text for mark in (SECRET_TITLE, SECRET_ROUND_TITLE, COMMENT_MARK))


def listings(world, secret):  # noqa: F811
    """Listings and reports: 200 for both users; the restricted draft named only for one."""
    draft, secret_round = secret["draft"], secret["round"]
    queue = reverse(f"{QUEUE}:list")
    return [
        queue + "?status=",
        queue + f"?status=&consultation={secret_round.pk}",
        queue + f"?status=&draft={draft.pk}",
        queue + f"?status=&group={secret['comment'].pk}",
        queue + f"?status=&campaign={secret['campaign'].pk}",
        queue + "?status=&q=g%C3%A1nh+n%E1%BA%B7ng",  # "gánh nặng", in their text
        queue + "?status=&export=csv",
        reverse(f"{QUEUE}:groups") + "?min_size=1",
        reverse(f"{QUEUE}:groups") + f"?consultation={secret_round.pk}",
        reverse(f"{ADMIN}:campaigns"),
        reverse(f"{ADMIN}:campaigns") + f"?draft={draft.pk}",
        reverse("wagtailadmin_home"),
        reverse(f"{ASSIGNMENTS}:list"),
        reverse(f"{ASSIGNMENTS}:list") + "?export=csv",
        reverse(f"{ASSIGNMENTS}:inspect", args=[secret["assignment"].pk]),
        reverse(f"{ASSIGNMENTS}:edit", args=[secret["assignment"].pk]),
        reverse(
            f"{ASSIGNMENTS}:revisions_compare",
            args=[secret["assignment"].pk, *secret["revisions"]],
        ),
    ]


def objects(secret):
    """One restricted object's own pages: not found for one user, open for the other."""
    draft, secret_round, comment = secret["draft"], secret["round"], secret["comment"]
    return [
        reverse(f"{QUEUE}:inspect", args=[comment.pk]),
        reverse(f"{QUEUE}:history", args=[comment.pk]),
        reverse(f"{QUEUE}:moderate", args=[comment.pk, "reject"]),
        reverse(f"{QUEUE}:group_moderate", args=[comment.pk, "reject"]),
        reverse(f"{ADMIN}:answer_comment", args=[comment.pk]),
        reverse(f"{ADMIN}:answer_group", args=[secret_round.pk, comment.text_hash]),
        reverse(f"{ADMIN}:themes", args=[comment.pk]),
        reverse(f"{ADMIN}:campaign", args=[secret["campaign"].pk]),
        reverse(f"{ADMIN}:campaign_answer", args=[secret["campaign"].pk]),
        reverse(f"{ADMIN}:campaign_moderate", args=[secret["campaign"].pk, "reject"]),
        reverse(f"{ADMIN}:synthesis", args=[draft.pk]),
        reverse(f"{ADMIN}:synthesis_download", args=["draft", draft.pk, "xlsx"]),
        reverse(f"{ADMIN}:synthesis_download", args=["consultation", secret_round.pk, "docx"]),
        reverse(f"{ADMIN}:outcome", args=[secret_round.pk]),
    ]


def body_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig", "replace")
    return response.content.decode("utf-8", "replace")


def test_listings_leave_the_restricted_draft_out(client, world, secret, denied, allowed):  # noqa: F811
    client.force_login(denied)
    for url in listings(world, secret):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not names_secret(body_of(response)), url
    # The assignment is still listed, its draft written as restricted.
    text = body_of(client.get(reverse(f"{ASSIGNMENTS}:list")))
    assert "Truyền thông dự thảo theo kế hoạch" in text
    with translation.override("en"):  # their admin's language
        assert str(RESTRICTED_DRAFT) in text

    client.force_login(allowed)
    for url in listings(world, secret):
        response = client.get(url)
        assert response.status_code == 200, url
        if url == reverse("wagtailadmin_home"):
            continue  # the dashboard lists rounds by deadline, not these
        assert names_secret(body_of(response)), url


def test_one_object_s_pages_are_not_found(client, world, secret, denied, allowed):  # noqa: F811
    client.force_login(denied)
    for url in objects(secret):
        response = client.get(url)
        assert response.status_code == 404, url
        assert not names_secret(body_of(response)), url
    # Acting by a POST is refused the same way, and changes nothing.
    campaign = secret["campaign"]
    response = client.post(
        reverse(f"{ADMIN}:campaign_split", args=[campaign.pk]),
        {"member": [secret["comment"].pk]},
    )
    assert response.status_code == 404
    assert Campaign.objects.get(pk=campaign.pk).size == campaign.size
    response = client.post(reverse(f"{ADMIN}:outcome_publish", args=[secret["round"].pk]))
    assert response.status_code == 404

    client.force_login(allowed)
    for url in objects(secret):
        response = client.get(url)
        assert response.status_code == 200, url


def test_bulk_action_selection_leaves_hidden_comments_out(client, world, secret, denied):  # noqa: F811
    """A bulk action named with a hidden comment's id (or "all") does not reach it."""
    visible = world["comments"][0]
    hidden = secret["single"]
    url = reverse("wagtail_bulk_action", args=["wagtail_policycomms", "publiccomment", "approve"])
    client.force_login(denied)
    response = client.get(url, {"id": [visible.pk, hidden.pk]})
    assert response.status_code == 200
    text = body_of(response)
    assert visible.receipt_code in text
    assert hidden.receipt_code not in text
    response = client.get(url, {"id": "all", "status": ""})
    assert hidden.receipt_code not in body_of(response)


def test_reports_leave_the_restricted_draft_out_for_everyone(client, world, secret, allowed):  # noqa: F811
    """The compliance report is read and printed by staff without the permission, and the
    duty to post does not reach a state secret: the draft is not in it, whoever asks."""
    year = world["draft"].first_published_at.year
    client.force_login(allowed)
    response = client.get(reverse(f"{ADMIN}:report_compliance"), {"year": year})
    assert response.status_code == 200
    text = body_of(response)
    assert world["draft"].title in text  # the public draft is there
    assert SECRET_TITLE not in text


def test_the_hidden_ids_are_read_once_per_request(world, secret, denied, allowed):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wagtail_policycomms.restricted import hidden_page_ids, without_hidden

    # The permission (Django's two queries), the restricted drafts' paths, the pages
    # under them; then nothing more in the same request, however often it is asked.
    with CaptureQueriesContext(connection) as queries:
        first = hidden_page_ids(denied)
    assert first == {secret["draft"].pk, secret["round"].pk}
    assert len(queries) <= 4
    with CaptureQueriesContext(connection) as queries:
        without_hidden(PublicComment.objects.all(), denied, "consultation_id")
        assert hidden_page_ids(denied) == first
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        assert hidden_page_ids(allowed) == frozenset()
    assert len(queries) <= 2  # the permission check, nothing else
