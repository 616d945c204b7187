"""Campaigns of near-identical comments, the moderators' side (issue 15): the listing, a
campaign's page with each member's differences, approving / answering a whole campaign,
splitting members out, the queue's campaign filter, the export columns and the synthesis
report (a campaign listed once with its true count).

Campaigns are made here directly (``Campaign`` rows and ``put_in_campaign``), not by
the grouping engine, which has its own tests. Every screen is reached through the real
admin URLs with the Django test client; files are read back with csv, openpyxl and
python-docx.
"""

import csv
import io

import docx
import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests import factories
from tests.campaign_members import put_in_campaign
from wagtail_policycomms import moderation, synthesis
from wagtail_policycomms.campaigns import membership
from wagtail_policycomms.models import Campaign, CommentResponse, CommentStatus, PublicComment

ADMIN = "wagtail_policycomms_admin"
QUEUE = "wagtailsnippets_wagtail_policycomms_publiccomment:list"
EXPORT = "wagtail_policycomms.export_publiccomment"
VIEW = "wagtail_policycomms.view_publiccomment"

LETTER = (
    "Chúng tôi đề nghị giữ nguyên mức thu phí thẩm định như hiện hành "
    "để giảm gánh nặng cho hộ kinh doanh cá thể."
)
#: A member's text: one word changed and a signature added.
VARIANT = (
    "Chúng tôi đề nghị giữ nguyên mức thu lệ phí thẩm định như hiện hành "
    "để giảm gánh nặng cho hộ kinh doanh cá thể. Trân trọng."
)


def make_campaign(consultation, size, *, status="pending", body=VARIANT, representative=None):
    """A campaign of ``size`` comments: the representative (``LETTER``) and ``size - 1``
    members with ``body``, stored in bulk."""
    first = representative or factories.make_comment(consultation, body=LETTER, status=status)
    others = factories.make_duplicates(consultation, size - 1, body=body, status=status)
    campaign = Campaign.objects.create(consultation=consultation, representative=first, size=size)
    put_in_campaign([first.pk, *(c.pk for c in others)], campaign)
    return campaign


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def moderator(db):
    return factories.make_moderator("kiem-duyet")


@pytest.fixture
def moderator_client(moderator):
    return client_for(moderator)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured), response


# --- The listing ------------------------------------------------------------------------------


def test_listing_shows_size_excerpt_and_statuses(consultation, moderator_client):
    campaign = make_campaign(consultation, 4)
    PublicComment.objects.filter(pk=campaign.representative_id).update(status="approved")
    other = factories.make_consultation(
        consultation.draft_policy, consultation.opens_at, consultation.closes_at, title="Đợt 2"
    )
    elsewhere = make_campaign(other, 2, body="Một nội dung khác hẳn của đợt sau.")

    response = moderator_client.get(
        reverse(f"{ADMIN}:campaigns") + f"?consultation={consultation.pk}"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert LETTER[:60] in html
    assert reverse(f"{ADMIN}:campaign", args=[campaign.pk]) in html
    assert reverse(f"{ADMIN}:campaign", args=[elsewhere.pk]) not in html  # another round
    rows = list(response.context["object_list"])
    assert [(row.pk, row.size) for row in rows] == [(campaign.pk, 4)]
    assert [(str(label), n) for label, n in rows[0].breakdown] == [
        (str(CommentStatus.PENDING.label), 3),
        (str(CommentStatus.APPROVED.label), 1),
    ]
    assert "Pending: 3" in html
    assert reverse(QUEUE) + "?campaign=any&amp;status=" in html  # every comment in a campaign
    # The queue links to the listing.
    queue = moderator_client.get(reverse(QUEUE))
    assert reverse(f"{ADMIN}:campaigns") in queue.content.decode()


def test_listing_costs_the_same_queries_for_small_and_large_campaigns(
    consultation, moderator_client
):
    url = reverse(f"{ADMIN}:campaigns")
    make_campaign(consultation, 3)
    make_campaign(consultation, 2, body="Ý kiến khác, đề nghị bỏ điều 2.")
    small, _ = count_queries(moderator_client, url)
    make_campaign(consultation, 80)
    make_campaign(consultation, 40, body="Ý kiến khác nữa, đề nghị sửa điều 3.")
    large, response = count_queries(moderator_client, url)
    assert large == small
    assert [row.size for row in response.context["object_list"]] == [80, 40, 3, 2]


# --- A campaign's page ------------------------------------------------------------------------


def test_campaign_page_highlights_each_member_s_differences(consultation, moderator_client):
    campaign = make_campaign(consultation, 3)
    same = factories.make_comment(consultation, body=LETTER + "  ", status="pending")
    put_in_campaign([same], campaign)
    Campaign.objects.filter(pk=campaign.pk).update(size=4)

    response = moderator_client.get(reverse(f"{ADMIN}:campaign", args=[campaign.pk]))
    assert response.status_code == 200
    soup = factories.soup_of(response)
    cells = soup.select("td.pc-campaign-diff")
    assert len(cells) == 4
    inserted = [ins.get_text(" ", strip=True) for ins in soup.select("td.pc-campaign-diff ins")]
    deleted = [d.get_text(" ", strip=True) for d in soup.select("td.pc-campaign-diff del")]
    # Each variant inserts "lệ" and adds "Trân trọng." after the last words.
    assert any("lệ" in text for text in inserted)
    assert any("Trân trọng." in text for text in inserted)
    assert all(text.startswith("inserted:") for text in inserted)
    assert all(text.startswith("deleted:") for text in deleted)
    texts = [cell.get_text(" ", strip=True) for cell in cells]
    assert texts.count("The representative comment") == 1
    assert texts.count("Same words as the representative comment") == 1
    assert soup.select_one("blockquote.pc-admin-quote").get_text(strip=True) == LETTER
    # Moderators get the actions and the split form.
    actions = [a["href"] for a in soup.select(".pc-campaign-actions a")]
    assert any(reverse(f"{ADMIN}:campaign_moderate", args=[campaign.pk, "approve"]) in h
               for h in actions)  # fmt: skip
    assert any(reverse(f"{ADMIN}:campaign_answer", args=[campaign.pk]) in h for h in actions)
    assert len(soup.select("input[name=member]")) == 4


def test_campaign_page_costs_the_same_queries_whatever_the_campaign_s_size(
    consultation, moderator_client
):
    small = make_campaign(consultation, 3)
    large = make_campaign(consultation, 120, body="Một văn bản khác của chiến dịch lớn.")
    few, _ = count_queries(moderator_client, reverse(f"{ADMIN}:campaign", args=[small.pk]))
    many, response = count_queries(moderator_client, reverse(f"{ADMIN}:campaign", args=[large.pk]))
    assert many == few
    assert len(response.context["members"]) == 50  # a page of members
    last, _ = count_queries(
        moderator_client, reverse(f"{ADMIN}:campaign", args=[large.pk]) + "?p=3"
    )
    assert last == few


def test_staff_who_do_not_moderate_see_no_actions_and_are_refused(consultation):
    campaign = make_campaign(consultation, 3)
    reader = client_for(factories.make_moderator("doc", moderate=False))
    page = reader.get(reverse(f"{ADMIN}:campaign", args=[campaign.pk]))
    assert page.status_code == 200
    assert not factories.soup_of(page).select("input[name=member]")
    confirm = reverse(f"{ADMIN}:campaign_moderate", args=[campaign.pk, "approve"])
    assert reader.get(confirm).status_code == 403
    assert reader.post(confirm, {"seen_statuses": ["pending"]}).status_code == 403
    split = reverse(f"{ADMIN}:campaign_split", args=[campaign.pk])
    member = PublicComment.objects.in_campaign(campaign).last()
    assert reader.post(split, {"member": [member.pk]}).status_code == 403
    assert set(PublicComment.objects.with_campaign().values_list("status", "campaign_id")) == {
        ("pending", campaign.pk)
    }
    outsider = client_for(factories.make_staff("ngoai", []))
    assert outsider.get(reverse(f"{ADMIN}:campaigns")).status_code == 403


# --- Actions on the whole campaign ------------------------------------------------------------


def test_approving_the_whole_campaign_changes_every_member_and_is_audited(
    consultation, moderator, moderator_client
):
    campaign = make_campaign(consultation, 6)
    outside = factories.make_comment(consultation, body=LETTER, status="pending")
    url = reverse(f"{ADMIN}:campaign_moderate", args=[campaign.pk, "approve"])
    confirm = moderator_client.get(url)
    assert confirm.status_code == 200
    assert "every comment of this campaign, 6 comments" in confirm.content.decode()

    response = moderator_client.post(url, {"seen_statuses": ["pending"]})
    assert response.status_code == 302
    assert response["Location"] == reverse(f"{ADMIN}:campaign", args=[campaign.pk])
    statuses = set(PublicComment.objects.in_campaign(campaign).values_list("status", flat=True))
    assert statuses == {CommentStatus.APPROVED}
    outside.refresh_from_db()
    assert outside.status == CommentStatus.PENDING  # an identical text outside the campaign
    entries = ModelLogEntry.objects.filter(action="wagtail_policycomms.approve")
    assert entries.count() == 6
    assert {entry.user_id for entry in entries} == {moderator.pk}
    assert len({entry.uuid for entry in entries}) == 1  # one action
    assert set(entries.values_list("object_id", flat=True)) == {
        str(pk) for pk in PublicComment.objects.in_campaign(campaign).values_list("pk", flat=True)
    }


def test_a_campaign_larger_than_a_batch_goes_through_the_task(
    consultation, moderator_client, settings
):
    settings.POLICYCOMMS_MODERATION_BATCH_SIZE = 4
    campaign = make_campaign(consultation, 11)
    url = reverse(f"{ADMIN}:campaign_moderate", args=[campaign.pk, "reject"])
    reason = moderation.rejection_reasons()[0][0]
    response = moderator_client.post(
        url, {"seen_statuses": ["pending"], "reason": reason}, follow=True
    )
    assert response.status_code == 200
    assert "11 comments rejected." in response.content.decode()
    assert set(PublicComment.objects.values_list("status", "moderation_reason")) == {
        (CommentStatus.REJECTED, reason)
    }
    entries = ModelLogEntry.objects.filter(action="wagtail_policycomms.reject")
    assert entries.count() == 11 and len({entry.uuid for entry in entries}) == 1


def test_answering_the_whole_campaign_gives_every_member_one_answer(consultation, moderator_client):
    unit = factories.make_unit("Sở Tài chính")
    campaign = make_campaign(consultation, 5)
    url = reverse(f"{ADMIN}:campaign_answer", args=[campaign.pk])
    page = moderator_client.get(url)
    assert page.status_code == 200
    assert f"Campaign {campaign.pk}: 5 near-identical comments" in page.content.decode()
    response = moderator_client.post(
        url,
        {"disposition": "explained", "text": "Giữ nguyên như dự thảo.", "answering_unit": unit.pk},
    )
    assert response.status_code == 302
    answers = set(PublicComment.objects.in_campaign(campaign).values_list("response", flat=True))
    assert len(answers) == 1 and None not in answers
    assert CommentResponse.objects.get().text == "Giữ nguyên như dự thảo."
    assert ModelLogEntry.objects.filter(action="wagtail_policycomms.answer").count() == 5


# --- Splitting members out --------------------------------------------------------------------


def test_splitting_a_member_out_lowers_the_size_and_is_audited(
    consultation, moderator, moderator_client
):
    campaign = make_campaign(consultation, 5)
    leaving = PublicComment.objects.in_campaign(campaign).order_by("pk")[2:4]
    ids = [c.pk for c in leaving]
    response = moderator_client.post(
        reverse(f"{ADMIN}:campaign_split", args=[campaign.pk]), {"member": ids}, follow=True
    )
    assert response.status_code == 200
    assert f"2 comments split out of campaign {campaign.pk}." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.size == 3
    assert PublicComment.objects.in_campaign(campaign).count() == 3
    assert set(
        PublicComment.objects.filter(pk__in=ids)
        .with_campaign()
        .values_list("campaign_id", flat=True)
    ) == {None}
    entries = ModelLogEntry.objects.filter(action="wagtail_policycomms.campaign_split")
    assert sorted(int(e.object_id) for e in entries) == sorted(ids)
    assert {e.user_id for e in entries} == {moderator.pk}
    assert len({e.uuid for e in entries}) == 1
    assert entries.first().data == {"campaigns": [campaign.pk]}


def test_splitting_the_representative_out_chooses_another(consultation, moderator_client):
    campaign = make_campaign(consultation, 3)
    first = campaign.representative
    moderator_client.post(
        reverse(f"{ADMIN}:campaign_split", args=[campaign.pk]), {"member": [first.pk]}
    )
    campaign.refresh_from_db()
    assert campaign.size == 2
    assert campaign.representative is not None and campaign.representative.pk != first.pk
    assert campaign.representative.campaign_signature.campaign_id == campaign.pk


def test_a_campaign_left_with_one_member_is_removed(consultation, moderator_client):
    campaign = make_campaign(consultation, 2)
    members = list(PublicComment.objects.in_campaign(campaign).order_by("pk"))
    response = moderator_client.post(
        reverse(f"{ADMIN}:campaign_split", args=[campaign.pk]), {"member": [members[1].pk]}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(f"{ADMIN}:campaigns")
    assert not Campaign.objects.filter(pk=campaign.pk).exists()
    assert not PublicComment.objects.in_any_campaign().exists()


def test_detach_costs_the_same_queries_for_few_or_many_members(consultation, moderator):
    def run(size):
        a = make_campaign(consultation, size)
        b = make_campaign(consultation, size, body="Bản khác của cùng lá thư, sửa vài chữ.")
        leaving = PublicComment.objects.in_campaigns([a, b]).exclude(pk__in=[a.representative_id])[
            : size - 1
        ]
        selection = PublicComment.objects.filter(pk__in=[c.pk for c in leaving])
        with CaptureQueriesContext(connection) as captured:
            removed = membership.detach(selection)
        return len(captured), removed, a, b

    few, removed, a, b = run(4)
    assert sum(removed.values()) == 3
    many, removed, a, b = run(60)
    assert many == few
    assert sum(removed.values()) == 59
    sizes = dict(Campaign.objects.filter(pk__in=[a.pk, b.pk]).values_list("pk", "size"))
    for pk, size in sizes.items():
        assert size == PublicComment.objects.in_campaign(pk).count()


# --- The queue's filter -------------------------------------------------------------------------


def test_the_queue_filters_by_campaign(consultation, moderator_client):
    campaign = make_campaign(consultation, 3)
    other = make_campaign(consultation, 2, body="Một chiến dịch khác.")
    alone = factories.make_comment(consultation, body="Ý kiến riêng.", status="pending")

    def listed(value):
        response = moderator_client.get(reverse(QUEUE) + f"?status=&campaign={value}")
        assert response.status_code == 200
        return {comment.pk for comment in response.context["object_list"]}

    in_campaign = set(PublicComment.objects.in_campaign(campaign).values_list("pk", flat=True))
    in_other = set(PublicComment.objects.in_campaign(other).values_list("pk", flat=True))
    assert listed("any") == in_campaign | in_other
    assert listed("none") == {alone.pk}
    assert listed(campaign.pk) == in_campaign


# --- Exports and the synthesis report ------------------------------------------------------------


def test_exports_carry_the_campaign_and_its_size(consultation):
    campaign = make_campaign(consultation, 3)
    alone = factories.make_comment(consultation, body="Ý kiến riêng.")
    client = client_for(factories.make_staff("xuat", [VIEW, EXPORT]))
    base = reverse(QUEUE) + f"?status=&consultation={consultation.pk}&export="

    response = client.get(base + "csv")
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    heading, *rows = list(csv.reader(io.StringIO(raw)))
    csv_rows = [dict(zip(heading, row, strict=True)) for row in rows]

    response = client.get(base + "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    heading, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    xlsx_rows = [dict(zip(heading, row, strict=True)) for row in rows]

    for found, as_number in ((csv_rows, str), (xlsx_rows, int)):
        by_code = {row["Receipt code"]: row for row in found}
        for member in PublicComment.objects.in_campaign(campaign):
            row = by_code[member.receipt_code]
            assert row["Campaign"] == as_number(campaign.pk)
            assert row["Comments in the campaign"] == as_number(3)
        assert by_code[alone.receipt_code]["Campaign"] in ("", None)
        assert by_code[alone.receipt_code]["Comments in the campaign"] in ("", None)


def synthesis_download(consultation, export_format):
    client = client_for(factories.make_staff(None, [EXPORT]))
    url = reverse(
        f"{ADMIN}:synthesis_download", args=["consultation", consultation.pk, export_format]
    )
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_synthesis_report_lists_a_campaign_once_with_its_true_count(consultation):
    campaign = make_campaign(consultation, 5, status="approved")
    # One member was rejected: the campaign has 5 comments, 4 in the report's table.
    rejected = (
        PublicComment.objects.in_campaign(campaign).exclude(pk=campaign.representative_id).first()
    )
    PublicComment.objects.filter(pk=rejected.pk).update(status="rejected")
    factories.make_comment(consultation, body="Ý kiến riêng về điều 3.")

    report = synthesis.build_synthesis(consultation)
    rows = [row for section in report.sections for row in section.rows]
    campaign_rows = [row for row in rows if row.campaign_id == campaign.pk]
    assert len(campaign_rows) == 1
    row = campaign_rows[0]
    assert (row.text, row.comment_count, row.campaign_size) == (LETTER, 4, 5)
    line = f"4 ý kiến (chiến dịch #{campaign.pk}, tổng số 5 ý kiến)"
    assert row.authors[0] == line
    assert len(rows) == 2

    document = docx.Document(io.BytesIO(synthesis_download(consultation, "docx")))
    table = next(
        t for t in document.tables if t.rows[0].cells[0].text == synthesis.COLUMN_HEADINGS[0]
    )
    texts = [r.cells[2].text for r in table.rows[1:]]
    assert texts.count(LETTER) == 1 and not any(VARIANT in t for t in texts)
    assert any(r.cells[1].text.split("\n")[0] == line for r in table.rows[1:])

    workbook = openpyxl.load_workbook(io.BytesIO(synthesis_download(consultation, "xlsx")))
    heading, *body = workbook["Bảng tổng hợp"].iter_rows(values_only=True)
    assert [r[2] for r in body].count(LETTER) == 1
    assert any((r[1] or "").split("\n")[0] == line for r in body)
