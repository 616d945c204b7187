"""The comment form on a consultation page: what it shows, and every refused post.

End to end through the test client: bad input, a post outside the consultation
period, a bot-like post or one over the rate limits gives 200 with a clear message
and the typed text kept, and stores nothing (no comment, no attachment row, no file).
"""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from freezegun import freeze_time

from tests import factories, shared_round
from tests.factories import soup_of
from wagtail_policycomms.antispam import check_form_token
from wagtail_policycomms.models import CommentAttachment, PublicComment

# One open round built once for the module (tests/shared_round.py).
home, index, draft, consultation = (
    shared_round.home,
    shared_round.index,
    shared_round.draft,
    shared_round.consultation,
)

BODY = "Đề nghị bổ sung quy định chuyển tiếp cho hợp đồng đã ký 😊"


def assert_nothing_stored(storage_dir):
    assert PublicComment.objects.count() == 0
    assert CommentAttachment.objects.count() == 0
    assert factories.stored_files(storage_dir) == []


def assert_private(response):
    cache_control = response["Cache-Control"]
    assert "private" in cache_control
    assert "no-cache" in cache_control


# --- The form as first shown ----------------------------------------------------------


def test_open_round_shows_the_form_without_caching(client, consultation):
    response = client.get(consultation.url)
    assert response.status_code == 200
    assert_private(response)
    form = soup_of(response).select_one("#comment-form form")
    assert form is not None
    assert form["method"] == "post"
    assert form["enctype"] == "multipart/form-data"
    assert form.select_one("textarea[name=body]") is not None
    assert form.select_one("input[type=file][name=attachments][multiple]") is not None


def test_consent_and_publish_name_are_never_preticked(client, consultation):
    form = soup_of(client.get(consultation.url)).select_one("#comment-form form")
    consent = form.select_one("input[name=consent]")
    assert consent["type"] == "checkbox"
    assert not consent.has_attr("checked")
    assert not form.select_one("input[name=publish_name]").has_attr("checked")


def test_form_carries_a_fresh_token_and_an_empty_honeypot(client, consultation):
    form = soup_of(client.get(consultation.url)).select_one("#comment-form form")
    token = form.select_one("input[type=hidden][name=form_token]")["value"]
    check_form_token(token, now=timezone.now() + timedelta(seconds=5))
    honeypot = form.select_one("input[name=website]")
    assert not honeypot.get("value")
    assert "pc-hp" in honeypot["class"]


def test_article_choices_are_the_drafts_articles(client, consultation):
    form = soup_of(client.get(consultation.url)).select_one("#comment-form form")
    options = [option["value"] for option in form.select("select[name=article] option")]
    assert options == ["", "a1", "a2"]
    assert form.select_one("select[name=article] option[selected]")["value"] == ""


@pytest.mark.parametrize("status", ["upcoming", "closed"])
def test_no_form_outside_the_period(client, draft, status):
    consultation = factories.make_round_with_status(draft, status)
    response = client.get(consultation.url)
    assert response.status_code == 200
    assert response.context["comment_form"] is None
    soup = soup_of(response)
    assert soup.select_one("textarea[name=body]") is None
    assert soup.select_one("form[method=post]") is None


# --- Each field's bad input -----------------------------------------------------------

TOO_LONG = "Ý" * 51


def wrong_kind():
    return [factories.upload("anh-chup.pdf", factories.png_bytes(), "application/pdf")]


def oversized():
    return [factories.upload("to.pdf", factories.pdf_bytes() + b"0" * (1024 * 1024))]


def four_files():
    return [factories.upload(f"tep-{n}.pdf", factories.pdf_bytes()) for n in range(4)]


BAD_INPUTS = {
    # id: (post overrides, settings overridden, field with the error, error code)
    "empty body": ({"body": ""}, {}, "body", "required"),
    "whitespace-only body": ({"body": " \r\n\t \u3000 "}, {}, "body", "required"),
    "too short body": ({"body": "Quá ngắn"}, {}, "body", "too_short"),
    "too long body": (
        {"body": TOO_LONG},
        {"POLICYCOMMS_COMMENT_MAX_LENGTH": 50},
        "body",
        "too_long",
    ),
    "malformed email": ({"email": "an.nguyen@"}, {}, "email", "invalid"),
    "email with spaces inside": ({"email": "an nguyen@example.vn"}, {}, "email", "invalid"),
    "missing email": ({"email": ""}, {}, "email", "required"),
    "organisation without its name": (
        {"commenter_type": "business", "organisation_name": "  "},
        {},
        "organisation_name",
        None,
    ),
    "consent missing": ({"consent": None}, {}, "consent", "required"),
    "unknown article": ({"article": "not-an-article"}, {}, "article", "invalid_choice"),
    "unknown commenter type": ({"commenter_type": "robot"}, {}, "commenter_type", "invalid_choice"),
    "PNG named .pdf": ({"files": wrong_kind}, {}, "attachments", "kind_mismatch"),
    "oversized file": (
        {"files": oversized},
        {"POLICYCOMMS_MAX_ATTACHMENT_MB": 1},
        "attachments",
        "too_large",
    ),
    "four files": ({"files": four_files}, {}, "attachments", "too_many"),
}


@pytest.mark.parametrize(
    ("overrides", "overridden", "field", "code"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys()
)
def test_bad_input_is_refused_beside_its_field(
    send, storage_dir, overrides, overridden, field, code
):
    overrides = dict(overrides)
    if "files" in overrides:
        overrides["files"] = overrides["files"]()
    overrides.setdefault("body", BODY)
    with override_settings(**overridden):
        response = send(**overrides)

    assert response.status_code == 200
    assert_private(response)
    form = response.context["comment_form"]
    errors = form.errors.as_data()
    assert list(errors) == [field]
    assert errors[field][0].code == code
    soup = soup_of(response)
    # The message sits beside the field, and in the summary at the top with a link to it.
    [link] = soup.select("#comment-form-errors li a")
    target = soup.find(id=link["href"].removeprefix("#"))
    assert target is not None
    assert target.get("name") == field or target.select_one(f"[name={field}]") is not None
    beside = soup.select_one(f".pc-field--error:has([name={field}])")
    assert beside.select_one(".errorlist").get_text().strip()
    # What the person typed is still there.
    assert soup.select_one("textarea[name=body]").get_text().lstrip("\n") == overrides["body"]
    assert_nothing_stored(storage_dir)


def test_every_error_is_reported_at_once_keeping_every_field(send, storage_dir):
    response = send(
        commenter_type="agency",
        organisation_name="",
        display_name="Trần Thị Bình",
        email="sai-dia-chi",
        phone="0221 3862 555",
        address="Số 8 Đường Chùa Chuông",
        body="Ngắn",
        consent=None,
        publish_name="on",
        article="a2",
        files=wrong_kind(),
    )
    assert response.status_code == 200
    form = response.context["comment_form"]
    assert set(form.errors) == {"organisation_name", "email", "body", "consent", "attachments"}
    soup = soup_of(response)
    assert soup.select_one("input[name=display_name]")["value"] == "Trần Thị Bình"
    assert soup.select_one("input[name=email]")["value"] == "sai-dia-chi"
    assert soup.select_one("input[name=phone]")["value"] == "0221 3862 555"
    assert soup.select_one("input[name=address]")["value"] == "Số 8 Đường Chùa Chuông"
    assert soup.select_one("input[name=commenter_type][checked]")["value"] == "agency"
    assert soup.select_one("select[name=article] option[selected]")["value"] == "a2"
    assert soup.select_one("input[name=publish_name]").has_attr("checked")
    assert not soup.select_one("input[name=consent]").has_attr("checked")
    assert_nothing_stored(storage_dir)


def test_refusal_messages_are_readable(send):
    response = send(body="Ngắn", consent=None)
    text = " ".join(soup_of(response).select_one("#comment-form-errors").get_text().split())
    assert "Your comment is 4 characters long; please write at least 10." in text
    assert "Please give your consent, or we cannot take your comment." in text


def test_vietnamese_is_the_default_language_of_messages(client, consultation):
    response = client.post(consultation.url, factories.comment_post_data(consent=None))
    assert response.status_code == 200
    assert response.context["comment_form"].errors.as_data()["consent"][0].code == "required"
    assert '<html lang="vi">' in response.content.decode()


@override_settings(POLICYCOMMS_COMMENT_MAX_LENGTH=50)
def test_length_is_counted_in_characters_after_normalisation(send, storage_dir):
    # 50 letters "ế" typed as e + two combining marks: 150 code points, 50 characters.
    response = send(body="e\u0302\u0301" * 50)
    assert response.status_code == 303
    assert PublicComment.objects.get().body == "ế" * 50


# --- The consultation period ----------------------------------------------------------

OPENS = factories.hanoi(2026, 12, 1, 8, 0)
CLOSES = factories.hanoi(2026, 12, 31, 17, 0)


@pytest.fixture
def december_round(draft):
    return factories.make_consultation(draft, OPENS, CLOSES)


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        (OPENS - timedelta(seconds=1), False),
        (OPENS, True),
        (CLOSES - timedelta(seconds=1), True),
        (CLOSES, False),
        (CLOSES + timedelta(days=1), False),
    ],
    ids=["before opening", "at opening", "just before closing", "at closing", "after closing"],
)
def test_comments_are_taken_only_within_the_period(client, send, december_round, moment, accepted):
    body = "Ý kiến gửi đúng lúc <mở> hoặc đóng đợt lấy ý kiến."
    with freeze_time(moment):
        response = send(page=december_round, body=body)
    if accepted:
        assert response.status_code == 303
        assert PublicComment.objects.get().submitted_at == moment
        return
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert response.context["comment_refused_closed"] is True
    soup = soup_of(response)
    assert soup.select_one("textarea#refused-text[readonly]").get_text().lstrip("\n") == body
    assert soup.select_one("textarea[name=body]") is None
    message = soup.select_one(".pc-refused").get_text()
    assert ("opens at" if moment < OPENS else "closed at") in message
    assert PublicComment.objects.count() == 0


# --- Anti-abuse -----------------------------------------------------------------------


def tampered_token():
    token = factories.form_token()
    value, stamp, signature = token.split(":")
    return f"{value}:{stamp}:{signature[:-2]}xx"


ABUSE = {
    # id: (post overrides, error code, message)
    "honeypot filled": (
        lambda: {"website": "http://spam.example"},
        "honeypot",
        "Your comment could not be accepted. If you are a person, please send it again.",
    ),
    "too fast": (
        lambda: {"form_token": factories.form_token(timedelta(seconds=1))},
        "too_fast",
        "The form was sent too quickly. Please check your comment and send it again.",
    ),
    "stale": (
        lambda: {"form_token": factories.form_token(timedelta(hours=24, seconds=5))},
        "stale",
        "The form has expired. Your text is kept below: please send it again.",
    ),
    "tampered": (
        lambda: {"form_token": tampered_token()},
        "tampered",
        "The form could not be checked. Your text is kept below: please send it again.",
    ),
    "missing token": (
        lambda: {"form_token": ""},
        "tampered",
        "The form could not be checked. Your text is kept below: please send it again.",
    ),
}


@pytest.mark.parametrize(("overrides", "code", "message"), ABUSE.values(), ids=ABUSE.keys())
def test_abuse_is_refused_with_a_clear_message_and_a_fresh_token(
    send, storage_dir, overrides, code, message
):
    posted = overrides()
    response = send(body=BODY, **posted)

    assert response.status_code == 200
    assert_private(response)
    form = response.context["comment_form"]
    assert [error.code for error in form.errors.as_data()["__all__"]] == [code]
    soup = soup_of(response)
    summary = " ".join(soup.select_one("#comment-form-errors").get_text().split())
    assert message in summary
    assert soup.select_one("textarea[name=body]").get_text().lstrip("\n") == BODY
    token = soup.select_one("input[name=form_token]")["value"]
    assert token != posted.get("form_token")
    check_form_token(token, now=timezone.now() + timedelta(seconds=5))
    assert_nothing_stored(storage_dir)


def test_sending_again_with_the_fresh_token_is_accepted(send, client, consultation):
    refused = send(form_token=factories.form_token(timedelta(seconds=1)))
    token = soup_of(refused).select_one("input[name=form_token]")["value"]
    with freeze_time(timezone.now() + timedelta(seconds=10)):
        response = send(form_token=token)
    assert response.status_code == 303
    assert PublicComment.objects.count() == 1


# --- Rate limits ----------------------------------------------------------------------


@override_settings(POLICYCOMMS_RATE_LIMIT_IP="2/h", POLICYCOMMS_RATE_LIMIT_EMAIL=None)
def test_third_comment_from_one_address_is_refused(send):
    for n in range(2):
        assert (
            send(email=f"nguoi{n}@example.vn", body=f"Ý kiến thứ {n} về dự thảo.").status_code
            == 303
        )
    refused = send(email="nguoi9@example.vn", body="Ý kiến thứ ba về dự thảo.")

    assert refused.status_code == 200
    errors = refused.context["comment_form"].errors.as_data()
    assert [error.code for error in errors["__all__"]] == ["rate_limited"]
    assert "You have sent several comments in a short time." in refused.content.decode()
    assert (
        "Ý kiến thứ ba về dự thảo." in soup_of(refused).select_one("textarea[name=body]").get_text()
    )
    assert PublicComment.objects.count() == 2
    # Another address is not affected.
    assert send(email="khac@example.vn", REMOTE_ADDR="203.0.113.9").status_code == 303


@override_settings(POLICYCOMMS_RATE_LIMIT_IP=None, POLICYCOMMS_RATE_LIMIT_EMAIL="2/h")
def test_third_comment_from_one_email_is_refused(send):
    addresses = ["203.0.113.1", "198.51.100.2", "192.0.2.3"]
    responses = [
        send(email="An@example.vn", body=f"Ý kiến số {n} về dự thảo.", REMOTE_ADDR=address)
        for n, address in enumerate(addresses)
    ]
    assert [response.status_code for response in responses] == [303, 303, 200]
    errors = responses[2].context["comment_form"].errors.as_data()
    assert [error.code for error in errors["__all__"]] == ["rate_limited"]
    assert PublicComment.objects.count() == 2
