"""The demo loader: complete enough to show every feature, and safe to run twice."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Revision

from wagtail_policycomms.models import (
    ConsultationPage,
    ConsultationStatus,
    DraftPolicyPage,
    PolicyIndexPage,
    Sector,
    Unit,
)

COUNTED = (Unit, Sector, PolicyIndexPage, DraftPolicyPage, ConsultationPage, get_user_model())


def load_demo():
    call_command("policycomms_demo", stdout=StringIO(), stderr=StringIO())


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def demo(db):
    load_demo()


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
