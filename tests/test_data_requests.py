"""Data-subject requests (Law 91/2025/QH15): the staff screens (find, export, correct,
anonymise, permissions, deadlines) and the public form with its emailed link."""

import io
import json
import re
from datetime import timedelta

import openpyxl
import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time
from wagtail.models import ModelLogEntry

from tests import factories
from wagtail_policycomms.models import (
    DataSubjectRequest,
    PublicComment,
    RequestKind,
    RequestSource,
    RequestStatus,
)
from wagtail_policycomms.models.subscriptions import EmailOptOut, Subscription
from wagtail_policycomms.notifications import tokens
from wagtail_policycomms.permissions import DRAFTING_EDITORS, MODERATORS
from wagtail_policycomms.views.data_requests import TOKEN_PURPOSE

EMAIL = "an.nguyen@example.vn"
OTHER = "binh.tran@example.vn"
ADMIN = "wagtail_policycomms_admin"


@pytest.fixture
def groups(index):
    call_command("policycomms_setup_groups", stdout=io.StringIO())


@pytest.fixture
def moderator(groups):
    return factories.make_member(MODERATORS, "kiem-duyet")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def seed(consultation, email, name, count=2):
    """A person's comments (one with an attachment), a subscription and an opt-out."""
    comments = [
        factories.make_comment(
            consultation,
            email=email.upper() if i == 0 else email,  # stored as typed
            display_name=name,
            phone="0912 345 678",
            address=f"Số {i + 1} Phố Huế, Hà Nội",
            status="pending" if i else "approved",
            moderation_note=f"Ghi chú nội bộ về {name}",
        )
        for i in range(count)
    ]
    factories.attach_file(comments[0], name=f"gop-y-{name.split()[-1].lower()}.pdf")
    Subscription.objects.create(email=email, confirmed_at=comments[0].submitted_at)
    EmailOptOut.objects.create(email=email, stream="comment_updates")
    return comments


@pytest.fixture
def people(consultation):
    mine = seed(consultation, EMAIL, "Nguyễn Văn An")
    theirs = seed(consultation, OTHER, "Trần Thị Bình")
    # The same text as mine: a duplicate group with someone else.
    factories.make_comment(consultation, email=OTHER, body=mine[0].body, display_name="Bình 2")
    data_request = DataSubjectRequest.objects.create(email=EMAIL, kind=RequestKind.ACCESS)
    return {"mine": mine, "theirs": theirs, "request": data_request}


def data_url(data_request):
    return reverse(f"{ADMIN}:data_request_data", args=[data_request.pk])


def test_find_lists_the_persons_data_and_nobody_elses(moderator_client, people):
    response = moderator_client.get(data_url(people["request"]))
    assert response.status_code == 200
    soup = factories.soup_of(response)
    codes = {row.find("td").get_text(strip=True) for row in soup.select("tr.pc-dsr-comment")}
    assert codes == {c.receipt_code for c in people["mine"]}
    assert [a.get_text() for a in soup.select(".pc-dsr-attachment")] == ["gop-y-an.pdf"]
    assert len(soup.select(".pc-dsr-subscription")) == 1
    assert len(soup.select(".pc-dsr-optout")) == 1
    text = response.content.decode()
    assert "Nguyễn Văn An" in text and "2026-01" in text  # consent notice version
    assert "Trần Thị Bình" not in text and OTHER not in text and "gop-y-binh" not in text


def test_export_holds_all_of_the_persons_data_and_nobody_elses(moderator_client, people):
    url = reverse(f"{ADMIN}:data_request_export", args=[people["request"].pk, "json"])
    response = moderator_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content.decode("utf-8"))
    assert {c["receipt_code"] for c in data["comments"]} == {c.receipt_code for c in people["mine"]}
    first = next(c for c in data["comments"] if c["attachments"])
    assert first["attachments"][0]["file_name"] == "gop-y-an.pdf"
    assert all(c["consent_notice_version"] == "2026-01" for c in data["comments"])
    assert all(c["consent_purposes"] == ["receive_and_answer_comment"] for c in data["comments"])
    assert all(c["phone"] == "0912 345 678" for c in data["comments"])
    assert [s["email"] for s in data["subscriptions"]] == [EMAIL]
    assert [o["email"] for o in data["email_opt_outs"]] == [EMAIL]
    raw = response.content.decode("utf-8")
    assert OTHER not in raw and "Bình" not in raw
    assert "Ghi chú nội bộ" not in raw  # moderators' notes are not the person's data
    entry = ModelLogEntry.objects.get(action="wagtail_policycomms.dsr_exported")
    assert entry.data == {
        "format": "json",
        "comments": 2,
        "attachments": 1,
        "subscriptions": 1,
        "opt_outs": 1,
    }
    assert EMAIL not in json.dumps(entry.data) + entry.label


def test_a_restricted_draft_s_round_is_not_named_to_a_handler_without_the_permission(
    moderator_client, people, index
):
    """The person gets every comment; the handler (no "Can view restricted content") does
    not read the title of a draft now restricted as a whole, on screen or in the files."""
    secret = factories.make_draft(index, title="Dự thảo MATDSR", classification="mat")
    secret_round = factories.make_round_with_status(secret, "closed", title="Lấy ý kiến MATDSR")
    theirs = factories.make_comment(secret_round, email=EMAIL, display_name="Nguyễn Văn An")
    data_request = people["request"]

    response = moderator_client.get(data_url(data_request))
    text = response.content.decode()
    assert theirs.receipt_code in text
    assert "MATDSR" not in text
    assert "[Restricted draft]" in text
    response = moderator_client.get(
        reverse(f"{ADMIN}:data_request_export", args=[data_request.pk, "json"])
    )
    data = json.loads(response.content.decode("utf-8"))
    [row] = [c for c in data["comments"] if c["receipt_code"] == theirs.receipt_code]
    assert row["consultation"] == "[Restricted draft]"
    assert row["body"] == theirs.body  # the person's own words, all of them
    response = moderator_client.get(
        reverse(f"{ADMIN}:data_request_export", args=[data_request.pk, "xlsx"])
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [str(c.value) for ws in workbook for row in ws.iter_rows() for c in row]
    assert theirs.receipt_code in cells
    assert not any("MATDSR" in cell for cell in cells)
    url = reverse(f"{ADMIN}:data_request_correct", args=[data_request.pk, theirs.pk])
    response = moderator_client.get(url)
    assert response.status_code == 200
    assert "MATDSR" not in response.content.decode()


def test_xlsx_export_holds_the_persons_data_only(moderator_client, people):
    url = reverse(f"{ADMIN}:data_request_export", args=[people["request"].pk, "xlsx"])
    response = moderator_client.get(url)
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    comments, subscriptions, opt_outs = workbook.worksheets
    rows = list(comments.iter_rows(values_only=True))
    assert rows[0][0] == "Receipt code"
    assert {row[0] for row in rows[1:]} == {c.receipt_code for c in people["mine"]}
    assert any(row[-1] == "gop-y-an.pdf" for row in rows[1:])
    assert comments["C2"].number_format == "dd/mm/yyyy hh:mm"
    assert [row[0] for row in subscriptions.iter_rows(min_row=2, values_only=True)] == [EMAIL]
    assert [row[0] for row in opt_outs.iter_rows(min_row=2, values_only=True)] == [EMAIL]
    cells = " ".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    assert OTHER not in cells and "Bình" not in cells and "Ghi chú nội bộ" not in cells
    entry = ModelLogEntry.objects.get(action="wagtail_policycomms.dsr_exported")
    assert entry.data["format"] == "xlsx" and entry.data["comments"] == 2


def test_correct_through_the_admin(moderator_client, people):
    comment = people["mine"][1]
    url = reverse(f"{ADMIN}:data_request_correct", args=[people["request"].pk, comment.pk])
    assert moderator_client.get(url).status_code == 200
    response = moderator_client.post(
        url,
        {
            "display_name": "Nguyễn Văn Ân",
            "email": EMAIL,
            "phone": "0987 654 321",
            "address": "Số 9 Phố Huế, Hà Nội",
        },
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.display_name, comment.phone) == ("Nguyễn Văn Ân", "0987 654 321")
    assert comment.status == "pending"
    entry = ModelLogEntry.objects.get(action="wagtail_policycomms.dsr_corrected")
    assert entry.data == {"comments": 1, "fields": ["display_name", "phone", "address"]}
    assert "0987" not in json.dumps(entry.data) and "Ân" not in json.dumps(entry.data)


def test_someone_elses_comment_cannot_be_corrected_through_a_request(moderator_client, people):
    theirs = people["theirs"][0]
    url = reverse(f"{ADMIN}:data_request_correct", args=[people["request"].pk, theirs.pk])
    response = moderator_client.post(url, {"display_name": "X", "email": EMAIL})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.display_name == "Trần Thị Bình"


def test_anonymise_through_the_admin(moderator_client, people):
    url = reverse(f"{ADMIN}:data_request_anonymise", args=[people["request"].pk])
    assert moderator_client.get(url).status_code == 200
    statuses = {c.pk: c.status for c in people["mine"]}
    response = moderator_client.post(url)
    assert response.status_code == 302
    for comment in PublicComment.objects.filter(pk__in=statuses):
        assert (comment.display_name, comment.email, comment.phone, comment.address) == (
            "",
            "",
            "",
            "",
        )
        assert comment.status == statuses[comment.pk]
        assert comment.body and comment.consent_notice_version == "2026-01"
    assert not Subscription.objects.filter(email=EMAIL).exists()
    assert EmailOptOut.objects.filter(email=EMAIL).exists()  # still stopped
    # Nobody else's data was touched.
    assert PublicComment.objects.filter(email__iexact=OTHER).count() == 3
    assert Subscription.objects.filter(email=OTHER).exists()
    entry = ModelLogEntry.objects.get(action="wagtail_policycomms.dsr_anonymised")
    assert entry.data == {"comments": 2, "subscriptions": 1}
    assert EMAIL not in entry.label
    # The person's data is gone: the find view lists nothing now.
    soup = factories.soup_of(moderator_client.get(data_url(people["request"])))
    assert not soup.select("tr.pc-dsr-comment")


def test_staff_create_and_complete_are_audited(moderator_client, people):
    add = reverse("policycomms_data_requests:add")
    response = moderator_client.post(
        add,
        {
            "email": "  Chi.Le@Example.VN ",
            "kind": "deletion",
            "source": "staff",
            "details": "",
            "received_at": "01/12/2026 09:00",
            "status": "received",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    created = DataSubjectRequest.objects.get(kind="deletion")
    assert created.email == "chi.le@example.vn"
    edit = reverse("policycomms_data_requests:edit", args=[created.pk])
    response = moderator_client.post(
        edit,
        {
            "email": created.email,
            "kind": "deletion",
            "source": "staff",
            "received_at": "01/12/2026 09:00",
            "status": "completed",
            "notes": "Đã xoá.",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    created.refresh_from_db()
    assert created.completed_at is not None
    actions = list(ModelLogEntry.objects.for_instance(created).values_list("action", flat=True))
    assert "wagtail.create" in actions and "wagtail_policycomms.dsr_completed" in actions
    history = moderator_client.get(reverse("policycomms_data_requests:history", args=[created.pk]))
    assert history.status_code == 200
    assert "chi.le" not in history.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "drafting_editor"])
def test_refused_to_others(client, people, groups, who):
    if who == "drafting_editor":
        client.force_login(factories.make_member(DRAFTING_EDITORS, "bien-tap"))
    pk = people["request"].pk
    comment = people["mine"][0].pk
    urls = [
        data_url(people["request"]),
        reverse(f"{ADMIN}:data_request_export", args=[pk, "json"]),
        reverse(f"{ADMIN}:data_request_correct", args=[pk, comment]),
        reverse(f"{ADMIN}:data_request_anonymise", args=[pk]),
    ]
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            if who == "anonymous":
                assert response.status_code == 302
                assert response["Location"].startswith(reverse("wagtailadmin_login"))
            else:
                assert response.status_code == 403
    listing = client.get(reverse("policycomms_data_requests:index"))
    assert listing.status_code == 302
    assert PublicComment.objects.get(pk=comment).email == EMAIL.upper()
    assert not ModelLogEntry.objects.filter(action__startswith="wagtail_policycomms.dsr_").exists()


def test_deadlines_and_overdue(client, moderator):
    # Received on Friday 04/12/2026 (local): acknowledge by Tuesday 08/12, answer by 19/12.
    with freeze_time("2026-12-04T03:00:00Z"):
        data_request = DataSubjectRequest.objects.create(email=OTHER, kind="copy")
    assert data_request.acknowledge_by.isoformat() == "2026-12-08"
    assert data_request.complete_by.isoformat() == "2026-12-19"
    with freeze_time("2026-12-08T16:00:00Z"):  # 23:00 on the 8th in Hanoi
        assert not data_request.is_overdue
        assert not DataSubjectRequest.objects.overdue().filter(pk=data_request.pk).exists()
    with freeze_time("2026-12-08T17:30:00Z"):  # 00:30 on the 9th in Hanoi: not acknowledged
        assert data_request.is_overdue
        assert DataSubjectRequest.objects.overdue().filter(pk=data_request.pk).exists()
    data_request.acknowledged_at = data_request.received_at + timedelta(days=1)
    data_request.save()
    with freeze_time("2026-12-19T12:00:00Z"):
        assert not data_request.is_overdue
        assert not DataSubjectRequest.objects.overdue().filter(pk=data_request.pk).exists()
    with freeze_time("2026-12-19T17:30:00Z"):  # the 20th in Hanoi
        assert data_request.is_overdue
        assert DataSubjectRequest.objects.overdue().filter(pk=data_request.pk).exists()
        DataSubjectRequest.objects.create(email=EMAIL, kind="copy")  # today: not overdue
        client.force_login(moderator)
        listing = client.get(reverse("policycomms_data_requests:index"), {"overdue": "on"})
        text = listing.content.decode()
        assert OTHER in text and "19/12/2026" in text and "04/12/2026" in text
        assert EMAIL not in text
        assert EMAIL in client.get(reverse("policycomms_data_requests:index")).content.decode()
        inspect = client.get(reverse("policycomms_data_requests:inspect", args=[data_request.pk]))
        assert "08/12/2026" in inspect.content.decode()
    data_request.status = RequestStatus.COMPLETED
    data_request.save()
    with freeze_time("2026-12-25T12:00:00Z"):
        assert not data_request.is_overdue


def test_find_query_count_does_not_grow_with_comments(moderator_client, consultation, people):
    def count():
        with CaptureQueriesContext(connection) as queries:
            response = moderator_client.get(data_url(people["request"]))
        assert response.status_code == 200
        return len(queries)

    few = count()
    for _ in range(27):
        comment = factories.make_comment(consultation, email=EMAIL)
        factories.attach_file(comment)
    many = count()
    assert (
        len(
            factories.soup_of(moderator_client.get(data_url(people["request"]))).select(
                "tr.pc-dsr-comment"
            )
        )
        == 29
    )
    assert many == few


# --- The public form --------------------------------------------------------------------------

FORM_URL = "/policycomms/privacy/request/"
LINK = re.compile(r"https?://\S+/policycomms/privacy/request/confirm/[^/\s]+/")


def form_data(**overrides):
    data = {
        "email": "Dung.Pham@Example.vn",
        "kind": "copy",
        "details": "Xin bản sao dữ liệu.",
        "website": "",
        "form_token": factories.form_token(),
    }
    data.update(overrides)
    return data


def test_public_request_is_recorded_only_after_the_confirmation(client, home):
    response = client.post(FORM_URL, form_data(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 303
    assert not DataSubjectRequest.objects.exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dung.pham@example.vn"]
    link = LINK.search(mail.outbox[0].body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "Confirm my request" in page.content.decode()
    assert not DataSubjectRequest.objects.exists()  # following the link records nothing
    with freeze_time("2026-12-04T03:00:00Z"):
        token = tokens.make(
            TOKEN_PURPOSE,
            {"e": "dung.pham@example.vn", "k": "copy", "d": "", "t": 1796353200},
        )
        done = client.post(
            reverse("wagtail_policycomms:data_request_confirm", args=[token]),
            HTTP_ACCEPT_LANGUAGE="en",
        )
        again = client.post(
            reverse("wagtail_policycomms:data_request_confirm", args=[token]),
            HTTP_ACCEPT_LANGUAGE="en",
        )
    text = done.content.decode()
    assert "Received on 04/12/2026. We will answer by 19/12/2026." in text
    assert again.status_code == 200
    recorded = DataSubjectRequest.objects.get()  # pressed twice, recorded once
    assert (recorded.email, recorded.kind, recorded.source) == (
        "dung.pham@example.vn",
        RequestKind.COPY,
        RequestSource.PORTAL,
    )
    assert recorded.verified_at is not None
    assert ModelLogEntry.objects.filter(action="wagtail_policycomms.dsr_created").count() == 1


def test_the_emailed_link_records_with_its_button(client, home):
    client.post(FORM_URL, form_data(), HTTP_ACCEPT_LANGUAGE="en")
    path = re.sub(r"^https?://[^/]+", "", LINK.search(mail.outbox[0].body).group(0))
    response = client.post(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "We will answer by" in response.content.decode()
    assert DataSubjectRequest.objects.get().details == "Xin bản sao dữ liệu."


def test_tampered_link_is_refused_with_a_clear_message(client, home):
    client.post(FORM_URL, form_data(), HTTP_ACCEPT_LANGUAGE="en")
    path = re.sub(r"^https?://[^/]+", "", LINK.search(mail.outbox[0].body).group(0))
    tampered = path[:-6] + ("A" if path[-6] != "A" else "B") + path[-5:]
    for method in (client.get, client.post):
        response = method(tampered, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    assert not DataSubjectRequest.objects.exists()


def test_honeypot_refuses_the_public_form(client, home):
    response = client.post(
        FORM_URL, form_data(website="http://spam.example"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert not mail.outbox
