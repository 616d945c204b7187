"""Commenters' safety: escaped text, exact Unicode, no personal data in public, private files.

Public pages (index, draft, consultation) must never show a commenter's email,
phone, address, IP or browser, nor the name unless they chose to publish it.
The receipt page is personal (reached by a signed link) and may show the email.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from wagtail.models import Site

from tests import factories
from tests.factories import soup_of
from wagtail_policycomms.models import CommentAttachment, ConsultationSettings, PublicComment

SCRIPT = "<script>alert('xss')</script>"


@pytest.fixture
def draft(index):
    return factories.make_draft(
        index, articles=[factories.article("Điều 1", "Phạm vi điều chỉnh", block_id="a1")]
    )


@pytest.fixture
def consultation(draft):
    return factories.make_round_with_status(draft, "open")


@pytest.fixture
def post_moderation(home):
    settings = ConsultationSettings.for_site(Site.objects.get(is_default_site=True))
    settings.moderation_mode = "post"
    settings.save()


def get_ok(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response


# --- Escaping -------------------------------------------------------------------------


def test_markup_in_every_field_is_shown_as_text(client, send, consultation, post_moderation):
    response = send(
        commenter_type="organisation",
        display_name=f"An {SCRIPT}",
        organisation_name=f"<b>Hội</b> {SCRIPT}",
        phone=f"09{SCRIPT}",
        address=f"<img src=x onerror=alert(1)> {SCRIPT}",
        body=f"Dòng một <i>nghiêng</i>\n{SCRIPT}\nDòng ba & hết.",
        article="a1",
    )
    assert response.status_code == 303
    comment = PublicComment.objects.get()
    assert comment.display_name == f"An {SCRIPT}"  # stored as typed, escaped when shown

    receipt = get_ok(client, response["Location"])
    public = get_ok(client, consultation.url)
    for page in (receipt, public):
        html = page.content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "<b>Hội</b>" not in html
        assert "<i>nghiêng</i>" not in html
        assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in html
        body = soup_of(page).select_one(".pc-comment-body")
        # Line breaks kept as <br>, the text itself exactly what was typed.
        assert len(body.find_all("br")) == 2
        assert body.get_text() == comment.body.replace("\n", "")
        assert "Dòng một &lt;i&gt;nghiêng&lt;/i&gt;<br>" in html
    author = soup_of(public).select_one(".pc-comment header strong").get_text()
    assert author == f"An {SCRIPT} (<b>Hội</b> {SCRIPT})"


def test_markup_is_escaped_when_the_form_is_shown_again(send):
    response = send(display_name=f"An {SCRIPT}", body=f"Ngắn {SCRIPT}", consent=None)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    soup = soup_of(response)
    assert soup.select_one("textarea[name=body]").get_text().lstrip("\n") == f"Ngắn {SCRIPT}"
    assert soup.select_one("input[name=display_name]")["value"] == f"An {SCRIPT}"


def test_closed_round_shows_the_text_back_escaped(client, draft):
    closed = factories.make_round_with_status(draft, "closed")
    response = client.post(closed.url, factories.comment_post_data(body=f"Muộn {SCRIPT}"))
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
    assert soup_of(response).select_one("#refused-text").get_text().lstrip("\n") == (
        f"Muộn {SCRIPT}"
    )
    assert PublicComment.objects.count() == 0


# --- Unicode --------------------------------------------------------------------------


def test_emoji_and_diacritics_round_trip_as_nfc(client, send, consultation, post_moderation):
    decomposed_name = "Nguye\u0302\u0303n Thi\u0323 Hoa\u0300 👩🏽‍🌾"
    decomposed_body = "Tie\u0302\u0301ng Vie\u0323\u0302t có dấu 🇻🇳 👍🏽 — “đúng” ‘sai’ ½ 𝔸"
    response = send(display_name=decomposed_name, body=decomposed_body)
    assert response.status_code == 303
    name, body = "Nguyễn Thị Hoà 👩🏽‍🌾", "Tiếng Việt có dấu 🇻🇳 👍🏽 — “đúng” ‘sai’ ½ 𝔸"
    comment = PublicComment.objects.get()
    assert (comment.display_name, comment.body) == (name, body)

    for page in (get_ok(client, response["Location"]), get_ok(client, consultation.url)):
        soup = soup_of(page)
        assert soup.select_one(".pc-comment-body").get_text() == body
        assert name in soup.get_text()
        assert decomposed_body not in page.content.decode()


# --- No personal data in public -------------------------------------------------------

PRIVATE = {
    "display_name": "Phạm Bí Mật",
    "email": "bi.mat.9271@example.vn",
    "phone": "0987 654 321",
    "address": "Ngõ 42 phố Kín, Hưng Yên",
}


@pytest.mark.parametrize("verified", [False, True], ids=["no verification", "verified"])
def test_public_pages_never_show_personal_data(
    client, send, index, draft, consultation, post_moderation, mailoutbox, verified
):
    if verified:
        settings = ConsultationSettings.for_site(Site.objects.get(is_default_site=True))
        settings.require_email_verification = True
        settings.save()
    response = send(
        **PRIVATE,
        publish_name=None,
        body="Ý kiến công khai, người gửi không muốn nêu tên.",
        HTTP_USER_AGENT="SecretBrowser/9.1",
        REMOTE_ADDR="198.51.100.77",
    )
    assert response.status_code == 303
    if verified:
        receipt = get_ok(client, response["Location"])
        assert PRIVATE["email"] in receipt.content.decode()  # the submitter's own page
        link = mailoutbox[0].body.split("http://testserver", 1)[1].split()[0]
        assert get_ok(client, link)
    comment = PublicComment.objects.get()
    assert comment.status == "approved"
    assert comment.ip_address == "198.51.100.0/24"

    secrets = [*PRIVATE.values(), "198.51.100", "SecretBrowser", comment.ip_address]
    pages = {
        "consultation": get_ok(client, consultation.url),
        "consultation, filtered": get_ok(client, f"{consultation.url}?article=a1"),
        "draft": get_ok(client, draft.url),
        "index": get_ok(client, index.url),
    }
    assert "Ý kiến công khai" in pages["consultation"].content.decode()
    assert "Anonymous" in pages["consultation"].content.decode()
    for name, page in pages.items():
        html = page.content.decode()
        for secret in secrets:
            assert secret not in html, (name, secret)


def test_receipt_of_a_verified_comment_shows_no_contact_details(client, send):
    response = send(**PRIVATE, publish_name=None)
    html = get_ok(client, response["Location"]).content.decode()
    for secret in ("email", "phone", "address"):
        assert PRIVATE[secret] not in html
    assert PRIVATE["display_name"] not in html  # shown as "Anonymous": the name is not published


# --- Cache headers --------------------------------------------------------------------


def assert_private(response):
    assert "private" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]


def test_every_response_with_the_form_or_a_receipt_is_private(client, send, draft, consultation):
    assert_private(get_ok(client, consultation.url))
    refused = send(consent=None)
    assert refused.status_code == 200
    assert_private(refused)
    accepted = send()
    assert accepted.status_code == 303
    assert_private(get_ok(client, accepted["Location"]))
    closed = factories.make_round_with_status(draft, "closed")
    refused_closed = client.post(closed.url, factories.comment_post_data())
    assert refused_closed.status_code == 200
    assert_private(refused_closed)


# --- Attachment download --------------------------------------------------------------


@pytest.fixture
def attachment(send):
    response = send(files=[factories.upload("Góp ý bí mật.pdf", factories.pdf_bytes())])
    assert response.status_code == 303
    return CommentAttachment.objects.get()


def download_url(attachment):
    return f"/policycomms/attachments/{attachment.pk}/"


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def admin_user(*permissions):
    """A Wagtail admin user (not a superuser) with the given extra permissions."""
    user = factories.make_user()
    group = Group.objects.create(name=f"Biên tập {user.username}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in permissions:
        group.permissions.add(Permission.objects.get(codename=codename))
    user.groups.add(group)
    return user


def test_anonymous_download_is_sent_to_login(client, attachment):
    response = client.get(download_url(attachment))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert download_url(attachment) in response["Location"]
    assert factories.pdf_bytes() not in response.content


def test_non_admin_user_is_sent_to_login(attachment):
    response = logged_in(factories.make_user()).get(download_url(attachment))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_without_the_permission_is_forbidden(attachment):
    response = logged_in(admin_user()).get(download_url(attachment))
    assert response.status_code == 403
    assert factories.pdf_bytes() not in response.content


@pytest.mark.parametrize("who", ["superuser", "admin with the permission"])
def test_permitted_staff_download_the_file(attachment, who):
    user = factories.make_superuser() if who == "superuser" else admin_user("view_personal_data")
    response = logged_in(user).get(download_url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == factories.pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "G%C3%B3p%20%C3%BD%20b%C3%AD%20m%E1%BA%ADt.pdf" in disposition
    assert_private(response)


def test_unknown_attachment_is_404_for_staff(attachment):
    response = logged_in(factories.make_superuser()).get("/policycomms/attachments/999999/")
    assert response.status_code == 404
