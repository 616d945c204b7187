"""The communication log: rows added in the draft policy's own editor, checked, kept with revisions."""

from datetime import date

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from tests import factories
from wagtail_policycomms.models import Channel, CommunicationActivity, DraftPolicyPage

pytestmark = pytest.mark.django_db


def edit_data(draft, log_rows, action="action-publish"):
    data = nested_form_data(
        {
            "title": draft.title,
            "slug": draft.slug,
            "document_type": draft.document_type,
            "drafting_unit": str(draft.drafting_unit_id),
            "sector": "",
            "topics": "",
            "summary": draft.summary,
            "body": {"count": "0"},
            "related_documents": inline_formset([]),
            "communication_log": inline_formset(log_rows),
            **{name: rich_text("") for name in DraftPolicyPage.communication_sections},
        }
    )
    data[action] = action
    return data


def row(**overrides):
    values = {
        "channel": "newspaper",
        "date": "2024-05-14",
        "title": "Báo Hưng Yên đăng bài giới thiệu dự thảo",
        "url": "https://baohungyen.vn/bai-viet",
        "document": "",
        "audience": "12000",
    }
    values.update(overrides)
    return values


def test_editor_logs_activities_on_the_draft(editor_client, draft):
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    response = editor_client.post(
        url,
        edit_data(
            draft,
            [row(), row(channel="conference", title="Hội thảo lấy ý kiến", url="", audience="")],
        ),
    )
    assert response.status_code == 302
    rows = list(CommunicationActivity.objects.filter(page=draft).order_by("sort_order"))
    assert [(r.channel, r.date, r.title, r.audience) for r in rows] == [
        (Channel.NEWSPAPER, date(2024, 5, 14), "Báo Hưng Yên đăng bài giới thiệu dự thảo", 12000),
        (Channel.CONFERENCE, date(2024, 5, 14), "Hội thảo lấy ý kiến", None),
    ]
    # The log travels with the page's revisions, so its history is the page's history.
    draft.refresh_from_db()
    revision = draft.get_latest_revision()
    assert [r["title"] for r in revision.content["communication_log"]] == [
        "Báo Hưng Yên đăng bài giới thiệu dự thảo",
        "Hội thảo lấy ý kiến",
    ]


def test_the_log_tab_is_in_the_editor(editor_client, draft):
    factories.log_communication(draft, "radio_tv", title="Phóng sự trên Đài PT-TH tỉnh")
    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk]))
    page = factories.soup_of(response)
    tabs = [tab.get_text(" ", strip=True) for tab in page.select("[role=tab]")]
    assert any(tab.startswith("Communication log") for tab in tabs)
    assert page.find("input", attrs={"value": "Phóng sự trên Đài PT-TH tỉnh"})


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("channel", "", "This field is required."),
        ("channel", "billboard", "Select a valid choice."),
        ("date", "31/02/2024", "Enter a valid date."),
        ("title", "", "This field is required."),
        ("url", "not a link", "Enter a valid URL."),
        ("audience", "-5", "greater than or equal to 0"),
    ],
)
def test_bad_row_is_refused_next_to_the_field_and_kept(editor_client, draft, field, value, message):
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    good = row(title="Bài viết giữ nguyên")
    bad = row(**{field: value})
    response = editor_client.post(url, edit_data(draft, [good, bad]))

    assert response.status_code == 200
    assert not CommunicationActivity.objects.filter(page=draft).exists()
    page = factories.soup_of(response)
    field_wrapper = page.find(attrs={"name": f"communication_log-1-{field}"}).find_parent(
        class_="w-field"
    )
    assert message in field_wrapper.get_text(" ", strip=True)
    # What the editor typed is shown back.
    assert page.find("input", attrs={"value": "Bài viết giữ nguyên"})
    if value and field not in ("channel",):
        assert page.find(attrs={"name": f"communication_log-1-{field}", "value": value})
