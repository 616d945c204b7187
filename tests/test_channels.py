"""Channels of the communication log are data: the portal names, orders and retires them
(Policy consultation → Channels); activities keep their codes and read their names."""

from datetime import date

import pytest
from django.urls import reverse

from tests import factories
from tests.test_communication_log import edit_data, row
from wagtail_policycomms.models import CommunicationActivity, CommunicationChannel

pytestmark = pytest.mark.django_db

CHANNELS = "wagtailsnippets_wagtail_policycomms_communicationchannel"
JUSTICE = "wagtail_policycomms_admin:report_justice"
COMPLIANCE = "wagtail_policycomms_admin:report_compliance"

#: The plan's list (section II.2.2), as migration 0009 seeds it: the codes the log has always
#: stored, with the province's names.
PLAN = [
    ("portal", "Chuyên trang trên Cổng thông tin điện tử"),
    ("bulletin", "Bản tin khoa học và công nghệ"),
    ("radio_tv", "Đài Phát thanh - Truyền hình tỉnh"),
    ("newspaper", "Báo Hưng Yên"),
    ("conference", "Hội nghị, hội thảo, tọa đàm hoặc diễn đàn"),
    ("dialogue", "Phỏng vấn hoặc đối thoại (trực tiếp hoặc trực tuyến)"),
    ("press_conference", "Họp báo"),
    ("grassroots", "Truyền thanh cơ sở, bảng tin hoặc màn hình tại khu dân cư"),
    ("social_network", "Mạng xã hội"),
    ("other", "Khác"),
]


def offered(response, index=0):
    """The channels the page editor offers on row ``index`` of the log: (code, name, selected)."""
    select = factories.soup_of(response).find(
        "select", attrs={"name": f"communication_log-{index}-channel"}
    )
    return [
        (option["value"], option.get_text(strip=True), option.has_attr("selected"))
        for option in select.find_all("option")
        if option["value"]
    ]


def justice_counts(client):
    response = client.get(reverse(JUSTICE), {"date_from": "01/01/2024", "date_to": "31/12/2024"})
    assert response.status_code == 200
    (section,) = [
        section
        for section in factories.soup_of(response).select("section.pc-report-section")
        if section.select_one("h2").get_text(strip=True) == "Communication activities by channel"
    ]
    return {
        tuple(cell.get_text(" ", strip=True) for cell in tr.select("th, td"))
        for tr in section.select("tr")
    }


def kept_rows(data, count=1):
    """The editor's POST with its first ``count`` log rows sent as the stored rows they are."""
    data["communication_log-INITIAL_FORMS"] = str(count)
    return data


def edit_snippet(client, channel, **changes):
    data = {
        "name": channel.name,
        "code": channel.code,
        "sort_order": channel.sort_order,
        **({"is_active": "on"} if channel.is_active else {}),
        **changes,
    }
    if changes.get("is_active") is False:
        data.pop("is_active")
    response = client.post(reverse(f"{CHANNELS}:edit", args=[channel.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_seeded_list_is_the_plans():
    assert (
        list(CommunicationChannel.objects.order_by("sort_order").values_list("code", "name"))
        == PLAN
    )
    assert all(CommunicationChannel.objects.values_list("is_active", flat=True))


def test_renaming_a_channel_renames_it_in_the_report_and_the_form(editor_client, draft):
    factories.log_communication(draft, "newspaper", date=date(2024, 5, 14), title="Bài báo")
    assert ("Báo Hưng Yên", "1") in justice_counts(editor_client)

    newspaper = CommunicationChannel.objects.get(code="newspaper")
    edit_snippet(editor_client, newspaper, name="Báo Bắc Ninh")

    counts = justice_counts(editor_client)
    assert ("Báo Bắc Ninh", "1") in counts
    assert not any("Báo Hưng Yên" in cells for cells in counts)
    form = editor_client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk]))
    assert ("newspaper", "Báo Bắc Ninh", True) in offered(form)
    # The stored code did not move.
    assert CommunicationActivity.objects.get(page=draft).channel == "newspaper"


def test_a_new_channel_is_offered_and_counted(editor_client, draft):
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    response = editor_client.post(
        reverse(f"{CHANNELS}:add"),
        {"name": "Zalo OA của Sở", "code": "zalo", "sort_order": "95", "is_active": "on"},
    )
    assert response.status_code == 302
    factories.log_communication(draft, "portal", date=date(2024, 5, 1), title="Bài trên cổng")
    assert ("zalo", "Zalo OA của Sở", False) in offered(editor_client.get(edit_url))
    response = editor_client.post(edit_url, edit_data(draft, [row(channel="zalo")]))
    assert response.status_code == 302
    assert ("Zalo OA của Sở", "1") in justice_counts(editor_client)


def test_an_inactive_channel_is_not_offered_nor_accepted_on_a_new_row(editor_client, draft):
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    factories.log_communication(draft, "portal", date=date(2024, 5, 1), title="Bài trên cổng")
    bulletin = CommunicationChannel.objects.get(code="bulletin")
    edit_snippet(editor_client, bulletin, is_active=False)

    codes = [code for code, _name, _selected in offered(editor_client.get(edit_url))]
    assert "bulletin" not in codes
    assert "portal" in codes
    # The justice report lists every active channel (zeros included), not the retired one.
    assert not any(
        "Bản tin khoa học và công nghệ" in cells for cells in justice_counts(editor_client)
    )

    response = editor_client.post(edit_url, edit_data(draft, [row(channel="bulletin")]))
    assert response.status_code == 200
    assert not CommunicationActivity.objects.filter(page=draft, channel="bulletin").exists()


def test_existing_activities_keep_their_channel_when_it_is_retired(editor_client, draft):
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    logged = row(channel="newspaper", title="Bài báo cũ", url="", audience="")
    assert editor_client.post(edit_url, edit_data(draft, [logged])).status_code == 302
    kept = CommunicationActivity.objects.get(page=draft)
    edit_snippet(editor_client, CommunicationChannel.objects.get(code="newspaper"), is_active=False)

    # The editor still shows the row's channel, selected, by its name; a new row is not
    # offered it.
    form = editor_client.get(edit_url)
    assert ("newspaper", "Báo Hưng Yên", True) in offered(form)
    assert "newspaper" not in [code for code, _name, _selected in offered(form, "__prefix__")]
    # The reports still name it: the justice report because the period used it.
    assert ("Báo Hưng Yên", "1") in justice_counts(editor_client)
    assert str(CommunicationActivity.objects.get(pk=kept.pk)) == "Báo Hưng Yên: Bài báo cũ"
    # Saving the page keeps the row as it was; a second row cannot take the retired channel.
    again = {**logged, "id": str(kept.pk)}
    response = editor_client.post(
        edit_url, kept_rows(edit_data(draft, [again, {**logged, "title": "Mới"}]))
    )
    assert response.status_code == 200
    response = editor_client.post(edit_url, kept_rows(edit_data(draft, [again])))
    assert response.status_code == 302, factories.soup_of(response).select(".error-message")
    assert list(
        CommunicationActivity.objects.filter(page=draft).values_list("pk", "channel", "title")
    ) == [(kept.pk, "newspaper", "Bài báo cũ")]


def test_a_report_names_channels_in_one_query(draft, django_assert_num_queries):
    """The reports read the channels' names once, however many activities and channels."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wagtail_policycomms.reports import data

    draft.major_social_impact = True
    draft.save()
    factories.log_communication(draft, "other", date=date(2024, 5, 1), title="Bài 0")
    with CaptureQueriesContext(connection) as one:
        data.compliance_report(2024)
    for n, code in enumerate(("portal", "newspaper", "radio_tv", "other") * 3, start=1):
        factories.log_communication(draft, code, date=date(2024, 5, 1 + n), title=f"Bài {n}")
    with django_assert_num_queries(len(one)):
        report = data.compliance_report(2024)
    assert [row.channels for row in report.rows] == [
        [
            "Chuyên trang trên Cổng thông tin điện tử",
            "Đài Phát thanh - Truyền hình tỉnh",
            "Báo Hưng Yên",
            "Khác",
        ]
    ]
    channel_queries = [q["sql"] for q in one if "communicationchannel" in q["sql"]]
    assert len(channel_queries) == 1
