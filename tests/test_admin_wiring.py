"""The buttons that join the admin screens: synthesis report on pages, answers on comments."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from wagtail_policycomms.synthesis import synthesis_url


@pytest.fixture
def consultation(index):
    draft = factories.make_draft(index, articles=[factories.article("Điều 1", "Phạm vi")])
    now = timezone.now()
    return factories.make_consultation(draft, now - timedelta(days=5), now + timedelta(days=30))


def test_synthesis_button_on_draft_and_consultation_edit_pages(editor_client, consultation):
    draft = consultation.draft_policy
    for page in (draft, consultation):
        html = editor_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content
        assert synthesis_url(page).encode() in html


def test_no_synthesis_button_without_export_permission(client, consultation):
    user = factories.make_staff(perms=["wagtailadmin.access_admin"])
    client.force_login(user)
    draft = consultation.draft_policy
    html = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content
    assert synthesis_url(draft).encode() not in html


def test_answer_buttons_on_the_queue_and_inspect_view(editor_client, consultation):
    comment = factories.make_comment(consultation, status="pending")
    answer_url = reverse("wagtail_policycomms_admin:answer_comment", args=[comment.pk])
    listing = editor_client.get(
        reverse("wagtailsnippets_wagtail_policycomms_publiccomment:list")
    ).content.decode()
    assert answer_url in listing
    inspect = editor_client.get(
        reverse("wagtailsnippets_wagtail_policycomms_publiccomment:inspect", args=[comment.pk])
    ).content.decode()
    assert answer_url in inspect


def test_drafting_unit_member_sees_answer_button_on_inspect_only_for_own_unit(client, consultation):
    comment = factories.make_comment(consultation)
    member = factories.make_staff(
        perms=[
            "wagtailadmin.access_admin",
            "wagtail_policycomms.view_publiccomment",
            "wagtail_policycomms.answer_publiccomment",
        ]
    )
    client.force_login(member)
    inspect_url = reverse(
        "wagtailsnippets_wagtail_policycomms_publiccomment:inspect", args=[comment.pk]
    )
    answer_url = reverse("wagtail_policycomms_admin:answer_comment", args=[comment.pk])
    assert answer_url not in client.get(inspect_url).content.decode()
    consultation.draft_policy.drafting_unit.members.add(member)
    assert answer_url in client.get(inspect_url).content.decode()
