"""Editors' mistakes caught by Wagtail's page editor: refused with a field error, or warned.

Everything goes through the real add/edit views with a logged-in superuser
whose admin language is English, so messages are compared as written.
"""

import pytest
from django.contrib.messages import WARNING, get_messages
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests import factories
from tests import shared_section as shared_section_fixtures
from wagtail_policycomms.models import ConsultationPage, DraftPolicyPage

CLOSING_BEFORE_OPENING = "The closing time must be after the opening time."


# Pages under one home page and section built once for the module (tests/shared_section.py).
shared_section, home, index = (
    shared_section_fixtures.shared_section,
    shared_section_fixtures.home,
    shared_section_fixtures.index,
)


@pytest.fixture(scope="class")
def shared_draft(class_db, shared_section):
    """A draft built once for the tests of a class (``class_db``): the module's other tests
    need a section without drafts."""
    index = factories.fresh(shared_section["index"])
    return factories.make_draft(index, title="Dự thảo Nghị quyết về phí thẩm định")


@pytest.fixture
def draft(shared_draft, db):
    return factories.fresh(shared_draft)


@pytest.fixture
def receiving_unit(db):
    return factories.make_unit("Văn phòng Sở", phone="0221 3862 555")


def add_url(model_name, parent):
    return reverse("wagtailadmin_pages:add", args=["wagtail_policycomms", model_name, parent.pk])


def consultation_data(unit, opens_at, closes_at, slug="dot-1"):
    return {
        **nested_form_data(
            {
                "title": "Lấy ý kiến lần 1",
                "slug": slug,
                "opens_at": opens_at,
                "closes_at": closes_at,
                "audience": rich_text("<p>Doanh nghiệp</p>"),
                "questions": rich_text(""),
                "how_to_comment": rich_text(""),
                "receiving_unit": str(unit.pk),
            }
        ),
        "action-publish": "action-publish",
    }


def field_errors(response, name):
    """A field's errors as the English editor read them (lazy messages, evaluated in English)."""
    with translation.override("en"):
        return [str(message) for message in response.context["form"].errors.get(name, [])]


def warnings_of(response):
    return [m.message for m in get_messages(response.wsgi_request) if m.level == WARNING]


# --- The consultation period ----------------------------------------------------------


class TestConsultationPeriod:
    """Rounds added under one draft, built once for these tests (``shared_draft``)."""

    @pytest.mark.parametrize(
        ("opens_at", "closes_at"),
        [("2026-12-10 08:00", "2026-12-01 08:00"), ("2026-12-01 08:00", "2026-12-01 08:00")],
        ids=["closes-before-opening", "closes-at-opening"],
    )
    def test_period_closing_not_after_opening_is_refused(
        self, editor_client, draft, receiving_unit, opens_at, closes_at
    ):
        response = editor_client.post(
            add_url("consultationpage", draft),
            consultation_data(receiving_unit, opens_at, closes_at),
        )
        assert response.status_code == 200
        assert field_errors(response, "closes_at") == [CLOSING_BEFORE_OPENING]
        assert CLOSING_BEFORE_OPENING in response.content.decode()
        assert not ConsultationPage.objects.exists()

    @pytest.mark.parametrize(
        "missing", [{"address": ""}, {"email": ""}, {"address": "", "email": ""}], ids=str
    )
    def test_receiving_unit_without_contact_details_is_refused(self, editor_client, draft, missing):
        """The page must say where to send comments, so the unit needs an address and an email."""
        unit = factories.make_unit(
            **{"address": "Số 2 Phạm Ngũ Lão", "email": "vp@hy.gov.vn", **missing}
        )
        response = editor_client.post(
            add_url("consultationpage", draft),
            consultation_data(unit, "2026-12-01 08:00", "2026-12-31 08:00"),
        )
        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["receiving_unit"]
        [error] = field_errors(response, "receiving_unit")
        assert "no address or email" in error
        assert not ConsultationPage.objects.exists()

    def test_period_is_typed_and_shown_day_first(self, editor_client, draft, receiving_unit):
        """dd/mm/yyyy in the admin too, even for an English-speaking editor (whose Django
        formats would otherwise read 01/07 as 7 January)."""
        response = editor_client.post(
            add_url("consultationpage", draft),
            consultation_data(receiving_unit, "01/07/2027 08:00", "05/08/2027 17:30"),
        )
        assert response.status_code == 302
        consultation = ConsultationPage.objects.get(slug="dot-1")
        assert consultation.opens_at == factories.hanoi(2027, 7, 1, 8, 0)
        assert consultation.closes_at == factories.hanoi(2027, 8, 5, 17, 30)
        edit = editor_client.get(reverse("wagtailadmin_pages:edit", args=[consultation.pk]))
        page = factories.soup_of(edit)
        assert page.find("input", attrs={"name": "opens_at"})["value"] == "01/07/2027 08:00"
        assert page.find("input", attrs={"name": "closes_at"})["value"] == "05/08/2027 17:30"

    def test_short_period_is_saved_with_a_warning(self, editor_client, draft, receiving_unit):
        response = editor_client.post(
            add_url("consultationpage", draft),
            consultation_data(receiving_unit, "2026-12-01 08:00", "2026-12-16 08:00"),
        )
        assert response.status_code == 302
        consultation = ConsultationPage.objects.get(slug="dot-1")
        assert consultation.live
        assert consultation.get_parent().pk == draft.pk
        [warning] = warnings_of(response)
        assert "15 days" in warning
        assert "minimum of 30 days" in warning

    def test_warning_is_shown_on_the_next_page(self, editor_client, draft, receiving_unit):
        response = editor_client.post(
            add_url("consultationpage", draft),
            consultation_data(receiving_unit, "2026-12-01 08:00", "2026-12-11 08:00"),
            follow=True,
        )
        assert response.status_code == 200
        assert response.redirect_chain[-1][1] == 302
        assert any(
            m.level == WARNING and "10 days" in m.message for m in response.context["messages"]
        )
        assert "shorter than the minimum of 30 days" in response.content.decode()

    def test_thirty_day_period_gives_no_warning(self, editor_client, draft, receiving_unit):
        response = editor_client.post(
            add_url("consultationpage", draft),
            consultation_data(receiving_unit, "2026-12-01 08:00", "2026-12-31 08:00"),
        )
        assert response.status_code == 302
        assert ConsultationPage.objects.filter(slug="dot-1").exists()
        assert warnings_of(response) == []

    def test_one_minute_short_of_thirty_days_is_warned(self, editor_client, draft, receiving_unit):
        response = editor_client.post(
            add_url("consultationpage", draft),
            consultation_data(receiving_unit, "2026-12-01 08:00", "2026-12-31 07:59"),
        )
        assert response.status_code == 302
        assert len(warnings_of(response)) == 1

    @override_settings(POLICYCOMMS_MIN_CONSULTATION_DAYS=10)
    @pytest.mark.parametrize(
        ("closes_at", "warned"), [("2026-12-08 08:00", True), ("2026-12-11 08:00", False)]
    )
    def test_minimum_follows_the_setting(
        self, editor_client, draft, receiving_unit, closes_at, warned
    ):
        response = editor_client.post(
            add_url("consultationpage", draft),
            consultation_data(receiving_unit, "2026-12-01 08:00", closes_at),
        )
        assert response.status_code == 302
        warnings = warnings_of(response)
        assert bool(warnings) is warned
        if warned:
            assert "minimum of 10 days" in warnings[0]

    def test_shortening_an_existing_round_warns_on_edit(self, editor_client, draft, receiving_unit):
        consultation = factories.make_consultation(
            draft,
            factories.hanoi(2026, 12, 1, 8),
            factories.hanoi(2026, 12, 31, 8),
            receiving_unit=receiving_unit,
        )
        data = consultation_data(
            receiving_unit, "2026-12-01 08:00", "2026-12-21 08:00", consultation.slug
        )
        response = editor_client.post(
            reverse("wagtailadmin_pages:edit", args=[consultation.pk]), data
        )
        assert response.status_code == 302
        consultation.refresh_from_db()
        assert consultation.closes_at == factories.hanoi(2026, 12, 21, 8)
        [warning] = warnings_of(response)
        assert "20 days" in warning


# --- The draft text -------------------------------------------------------------------


def draft_data(unit, articles):
    return {
        **nested_form_data(
            {
                "title": "Dự thảo Quyết định về quản lý đề tài",
                "slug": "quyet-dinh-de-tai",
                "document_type": "ubnd_decision",
                "drafting_unit": str(unit.pk),
                "topics": "",
                "summary": "",
                "body": streamfield([("article", a) for a in articles]),
                "related_documents": inline_formset([]),
                "communication_log": inline_formset([]),
                **{name: rich_text("") for name in DraftPolicyPage.communication_sections},
            }
        ),
        "action-publish": "action-publish",
    }


def test_article_without_heading_is_refused(editor_client, index, receiving_unit):
    response = editor_client.post(
        add_url("draftpolicypage", index),
        draft_data(
            receiving_unit,
            [
                {"number": "Điều 1", "heading": "Phạm vi", "body": rich_text("<p>a</p>")},
                {"number": "Điều 2", "heading": "", "body": rich_text("<p>b</p>")},
            ],
        ),
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["body"]
    # The error points at the second block's heading, not at the whole field.
    assert list(error.block_errors) == [1]
    assert "heading" in error.block_errors[1].block_errors
    assert not DraftPolicyPage.objects.exists()


def test_valid_draft_is_published(editor_client, index, receiving_unit):
    """The counterpart of the refusal above: the same form with a heading is accepted."""
    response = editor_client.post(
        add_url("draftpolicypage", index),
        draft_data(
            receiving_unit,
            [{"number": "Điều 1", "heading": "Phạm vi", "body": rich_text("<p>a</p>")}],
        ),
    )
    assert response.status_code == 302
    draft = DraftPolicyPage.objects.get(slug="quyet-dinh-de-tai")
    assert draft.live
    assert [a.value["heading"] for a in draft.articles] == ["Phạm vi"]
