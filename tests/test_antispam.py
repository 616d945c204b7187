"""Abuse protection: honeypot, signed form timestamp, arithmetic question, rate limits, IPs."""

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django import forms
from django.core import signing
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings
from django.utils import translation
from freezegun import freeze_time

from wagtail_policycomms import antispam
from wagtail_policycomms.antispam import (
    CAPTCHA_ANSWER_FIELD,
    CAPTCHA_TOKEN_FIELD,
    FORM_TOKEN_FIELD,
    HONEYPOT_FIELD,
    AntiSpamFormMixin,
    Captcha,
    RateLimited,
    RateLimiter,
    SpamRefusal,
    check_form_token,
    check_rate_limits,
    client_ip,
    form_token_used_for,
    ip_for_storage,
    make_form_token,
    mark_form_token_used,
    parse_rate,
)

NOW = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
RATE_CACHE = "policycomms-ratelimit"


class CommentForm(AntiSpamFormMixin, forms.Form):
    text = forms.CharField(min_length=5)


@pytest.fixture(autouse=True)
def english():
    """Messages are matched as written in English, whatever the catalogue holds."""
    with translation.override("en"):
        yield


@pytest.fixture
def rate_cache():
    """A locmem cache of its own for each test, so counts never leak between tests."""
    location = f"antispam-{uuid.uuid4()}"
    caches_setting = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        RATE_CACHE: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": location,
        },
    }
    with override_settings(CACHES=caches_setting, POLICYCOMMS_RATE_LIMIT_CACHE=RATE_CACHE):
        cache = caches[RATE_CACHE]
        cache.clear()
        yield cache


def refusal_reason(callable_, *args, **kwargs):
    with pytest.raises(SpamRefusal) as info:
        callable_(*args, **kwargs)
    return info.value.reason


def factory_post(data):
    """``data`` as the immutable QueryDict a real request gives the form."""
    return RequestFactory().post("/", data).POST


def post_data(form, **extra):
    """What a browser posts back for an unbound form: its hidden fields and the text."""
    data = {name: form[name].value() or "" for name in form.fields}
    data["text"] = "A comment on article 5."
    if CAPTCHA_TOKEN_FIELD in form.fields:
        captcha = Captcha.from_token(data[CAPTCHA_TOKEN_FIELD])
        data[CAPTCHA_ANSWER_FIELD] = str(captcha.a + captcha.b)
    data.update(extra)
    return data


# --- Signed form timestamp ------------------------------------------------------------


@pytest.mark.parametrize("age", [timedelta(seconds=3), timedelta(minutes=10), timedelta(hours=24)])
def test_token_accepted_between_min_seconds_and_max_age(age):
    check_form_token(make_form_token(NOW), now=NOW + age)


@pytest.mark.parametrize("age", [timedelta(0), timedelta(seconds=2), timedelta(seconds=-60)])
def test_token_too_fast(age):
    assert refusal_reason(check_form_token, make_form_token(NOW), now=NOW + age) == "too_fast"


def test_token_stale_after_max_age():
    token = make_form_token(NOW)
    assert (
        refusal_reason(check_form_token, token, now=NOW + timedelta(hours=24, seconds=1)) == "stale"
    )


@override_settings(POLICYCOMMS_FORM_MIN_SECONDS=10, POLICYCOMMS_FORM_MAX_AGE_HOURS=1)
def test_token_limits_follow_settings():
    token = make_form_token(NOW)
    assert refusal_reason(check_form_token, token, now=NOW + timedelta(seconds=9)) == "too_fast"
    check_form_token(token, now=NOW + timedelta(seconds=10))
    assert refusal_reason(check_form_token, token, now=NOW + timedelta(minutes=61)) == "stale"


def test_token_defaults_to_the_current_time():
    with freeze_time(NOW) as frozen:
        token = make_form_token()
        assert refusal_reason(check_form_token, token) == "too_fast"
        frozen.tick(timedelta(seconds=3))
        check_form_token(token)


def tampered_tokens():
    token = make_form_token(NOW)
    value, stamp, signature = token.split(":")
    earlier = signing.b62_encode(signing.b62_decode(stamp) - 3600)
    return [
        "",
        None,
        "not a token",
        f"{value}:{earlier}:{signature}",  # aged by hand
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        signing.TimestampSigner(salt="another.salt").sign("t"),
        Captcha.new(NOW).token,  # a token of the question is not a form token
    ]


TAMPERED_IDS = ["empty", "none", "garbage", "aged", "signature", "other-salt", "captcha"]


# Named ids: the tokens are made at collection time, and parallel workers must collect
# the same test names.
@pytest.mark.parametrize("token", tampered_tokens(), ids=TAMPERED_IDS)
def test_token_tampered(token):
    assert refusal_reason(check_form_token, token, now=NOW + timedelta(minutes=5)) == "tampered"


# --- The form mixin: honeypot and timestamp -------------------------------------------


def test_unbound_form_renders_honeypot_and_token():
    with freeze_time(NOW):
        form = CommentForm()
    honeypot = str(form[HONEYPOT_FIELD])
    for attr in (
        'autocomplete="off"',
        'tabindex="-1"',
        'class="pc-hp"',
        f'name="{HONEYPOT_FIELD}"',
    ):
        assert attr in honeypot
    assert not form.fields[HONEYPOT_FIELD].required
    token_html = str(form[FORM_TOKEN_FIELD])
    assert 'type="hidden"' in token_html
    token = form.fields[FORM_TOKEN_FIELD].initial
    assert f'value="{token}"' in token_html
    check_form_token(token, now=NOW + timedelta(seconds=5))


def test_form_accepted_after_min_seconds():
    with freeze_time(NOW) as frozen:
        data = post_data(CommentForm())
        frozen.tick(timedelta(seconds=5))
        form = CommentForm(data)
        assert form.is_valid(), form.errors
    assert form.spam_reason is None


@pytest.mark.parametrize(
    ("reason", "wait", "extra", "message"),
    [
        (
            "honeypot",
            5,
            {HONEYPOT_FIELD: "http://spam.example"},
            "Your comment could not be accepted. If you are a person, please send it again.",
        ),
        (
            "too_fast",
            1,
            {},
            "The form was sent too quickly. Please check your comment and send it again.",
        ),
        (
            "stale",
            25 * 3600,
            {},
            "The form has expired. Your text is kept below: please send it again.",
        ),
        (
            "tampered",
            5,
            {FORM_TOKEN_FIELD: ""},
            "The form could not be checked. Your text is kept below: please send it again.",
        ),
    ],
)
def test_form_refusals(reason, wait, extra, message):
    with freeze_time(NOW) as frozen:
        data = post_data(CommentForm(), **extra)
        frozen.tick(timedelta(seconds=wait))
        form = CommentForm(data)
        assert not form.is_valid()
    assert form.spam_reason == reason
    assert form.non_field_errors() == [message]
    assert form.errors.as_data()["__all__"][0].code == reason


def test_honeypot_refused_even_when_the_rest_is_right():
    """The honeypot is checked first, so a bot is logged as such."""
    with freeze_time(NOW) as frozen:
        data = post_data(CommentForm(), **{HONEYPOT_FIELD: "x"})
        frozen.tick(timedelta(seconds=1))  # too fast as well
        form = CommentForm(data)
        assert not form.is_valid()
    assert form.spam_reason == "honeypot"


def test_refresh_tokens_lets_the_person_send_again():
    factory = RequestFactory()
    with freeze_time(NOW) as frozen:
        data = post_data(CommentForm())
        frozen.tick(timedelta(seconds=1))
        form = CommentForm(factory.post("/", data).POST)  # an immutable QueryDict
        assert not form.is_valid()
        assert form.spam_reason == "too_fast"
        form.refresh_tokens()
        new_token = form.data[FORM_TOKEN_FIELD]
        assert new_token != data[FORM_TOKEN_FIELD]
        assert f'value="{new_token}"' in str(form[FORM_TOKEN_FIELD])
        assert form.data["text"] == data["text"]  # the text is kept
        assert form.non_field_errors()  # and the error still shown
        frozen.tick(timedelta(seconds=5))
        resent = CommentForm(factory.post("/", form.data.dict()).POST)
        assert resent.is_valid(), resent.errors


def test_refresh_tokens_leaves_an_unbound_form_alone():
    form = CommentForm()
    token = form.fields[FORM_TOKEN_FIELD].initial
    form.refresh_tokens()
    assert not form.is_bound
    assert form.fields[FORM_TOKEN_FIELD].initial == token


def test_add_refusal_shows_a_rate_limit_on_the_form():
    with freeze_time(NOW) as frozen:
        data = post_data(CommentForm())
        frozen.tick(timedelta(seconds=5))
        form = CommentForm(data)
        assert form.is_valid()
    form.add_refusal(RateLimited(600))
    assert form.spam_reason == "rate_limited"
    assert form.non_field_errors() == [
        "You have sent several comments in a short time. Please wait 10 minutes and try again."
    ]


# --- One comment per form -------------------------------------------------------------


class BodyForm(AntiSpamFormMixin, forms.Form):
    """The comment form's fields that make a resend: the email and the text."""

    email = forms.EmailField()
    body = forms.CharField(min_length=5)


def body_post_data(form, **extra):
    data = post_data(form, email="lan@example.vn", body="Đề nghị sửa Điều 5.")
    data.pop("text")
    data.update(extra)
    return data


def stored_form(data):
    """A valid form for ``data``, 5 seconds after NOW, marked as stored by the view."""
    with freeze_time(NOW + timedelta(seconds=5)):
        form = BodyForm(data)
        assert form.is_valid(), form.errors
        mark_form_token_used(form)
    return form


def test_form_tokens_rendered_in_the_same_second_differ():
    """Two people loading the page at once get tokens of their own: one person's comment
    must not use up the other's form."""
    tokens = {make_form_token(NOW) for __ in range(20)}
    assert len(tokens) == 20
    for token in tokens:
        check_form_token(token, now=NOW + timedelta(seconds=5))


def test_a_used_token_refuses_another_comment(rate_cache):
    with freeze_time(NOW):
        data = body_post_data(BodyForm())
    stored_form(data)
    with freeze_time(NOW + timedelta(seconds=30)):
        form = BodyForm(factory_post({**data, "body": "Another comment, replayed."}))
        assert not form.is_valid()
        assert form.spam_reason == "replayed"
        assert form.non_field_errors() == [
            "This form has already been used to send a comment. "
            "Your text is kept below: please send it again."
        ]
        form.refresh_tokens()  # what the page does before showing the form again
        assert form.data["body"] == "Another comment, replayed."
        resent = BodyForm(form.data.dict())
    with freeze_time(NOW + timedelta(seconds=40)):
        assert resent.is_valid(), resent.errors


@pytest.mark.parametrize(
    "changes",
    [
        {"email": "other@example.vn"},
        {"body": "Đề nghị sửa Điều 6."},
        {"body": "Đề nghị sửa Điều 5. Và Điều 6."},
    ],
    ids=["another email", "another text", "more text"],
)
def test_a_used_token_refuses_another_person_or_text(rate_cache, changes):
    with freeze_time(NOW):
        data = body_post_data(BodyForm())
    stored_form(data)
    with freeze_time(NOW + timedelta(seconds=30)):
        form = BodyForm({**data, **changes})
        assert not form.is_valid()
    assert form.spam_reason == "replayed"


def test_a_used_token_lets_the_same_comment_through(rate_cache):
    """A double click, or the back button: the view finds the stored comment and answers
    with its original receipt (``already_submitted`` folds case and spacing the same way)."""
    with freeze_time(NOW):
        data = body_post_data(BodyForm())
    stored_form(data)
    with freeze_time(NOW + timedelta(minutes=5)):
        again = BodyForm({**data, "email": "Lan@Example.VN", "body": "  ĐỀ NGHỊ sửa\r\n điều 5. "})
        assert again.is_valid(), again.errors
    assert again.spam_reason is None


def test_a_token_is_used_only_once_a_comment_is_stored(rate_cache):
    """Validating is not storing: a post refused after validation (a rate limit, a full
    disk) leaves its token usable, and nothing is written to the cache."""
    with freeze_time(NOW):
        data = body_post_data(BodyForm())
    with freeze_time(NOW + timedelta(seconds=5)):
        assert BodyForm(data).is_valid()
        assert list(rate_cache._cache) == []
        assert BodyForm({**data, "body": "A second comment."}).is_valid()


def test_a_form_without_a_body_lets_no_post_through_with_a_used_token(rate_cache):
    with freeze_time(NOW):
        data = post_data(CommentForm())
    with freeze_time(NOW + timedelta(seconds=5)):
        form = CommentForm(data)
        assert form.is_valid()
        mark_form_token_used(form)
        again = CommentForm(data)
        assert not again.is_valid()
    assert again.spam_reason == "replayed"


def test_a_used_token_is_remembered_for_as_long_as_it_is_valid(rate_cache):
    """The record lasts FORM_MAX_AGE_HOURS: past that the token is refused as stale."""
    with freeze_time(NOW):
        data = body_post_data(BodyForm())
    stored_form(data)
    replay = {**data, "body": "Replayed the next day."}
    with freeze_time(NOW + timedelta(hours=23, minutes=59)):
        form = BodyForm(replay)
        assert not form.is_valid()
        assert form.spam_reason == "replayed"
    with freeze_time(NOW + timedelta(hours=24, seconds=10)):
        form = BodyForm(replay)
        assert not form.is_valid()
        assert form.spam_reason == "stale"


def test_used_tokens_are_kept_in_the_rate_limit_cache_under_a_hash(rate_cache):
    with freeze_time(NOW):
        data = body_post_data(BodyForm())
    stored_form(data)
    token = data[FORM_TOKEN_FIELD]
    (key,) = list(rate_cache._cache)
    assert "policycomms:form-used:" in key
    for raw in (token.split(":")[0], "lan@", "example.vn"):
        assert raw not in key
    with freeze_time(NOW + timedelta(minutes=1)):
        assert re.fullmatch("[0-9a-f]{64}", form_token_used_for(token))  # a hash, no email
        assert form_token_used_for("") is None
        assert form_token_used_for(make_form_token(NOW)) is None


# --- Arithmetic question --------------------------------------------------------------


def test_no_question_by_default():
    form = CommentForm()
    assert CAPTCHA_ANSWER_FIELD not in form.fields
    assert CAPTCHA_TOKEN_FIELD not in form.fields


@override_settings(POLICYCOMMS_CAPTCHA=True)
def test_question_is_the_answer_fields_label():
    form = CommentForm()
    captcha = Captcha.from_token(form.fields[CAPTCHA_TOKEN_FIELD].initial)
    assert 1 <= captcha.a <= 9 and 1 <= captcha.b <= 9
    assert form.fields[CAPTCHA_ANSWER_FIELD].label == f"What is {captcha.a} plus {captcha.b}?"
    assert f"What is {captcha.a} plus {captcha.b}?" in form.as_p()
    assert 'type="hidden"' in str(form[CAPTCHA_TOKEN_FIELD])


@override_settings(POLICYCOMMS_CAPTCHA=True)
@pytest.mark.parametrize("spaces", ["{}", " {} ", "\t{}\n"])
def test_right_answer_accepted(spaces):
    with freeze_time(NOW) as frozen:
        data = post_data(CommentForm())
        data[CAPTCHA_ANSWER_FIELD] = spaces.format(data[CAPTCHA_ANSWER_FIELD])
        frozen.tick(timedelta(seconds=5))
        form = CommentForm(data)
        assert form.is_valid(), form.errors
    assert form.spam_reason is None


def answer_of(token):
    captcha = Captcha.from_token(token)
    return captcha.a + captcha.b


@override_settings(POLICYCOMMS_CAPTCHA=True)
@pytest.mark.parametrize(
    "wrong", [lambda right: str(right + 1), lambda right: f"{right}.0", lambda right: "mười"]
)
def test_wrong_answer_refused_on_the_answer_field(wrong):
    with freeze_time(NOW) as frozen:
        data = post_data(CommentForm())
        data[CAPTCHA_ANSWER_FIELD] = wrong(answer_of(data[CAPTCHA_TOKEN_FIELD]))
        frozen.tick(timedelta(seconds=5))
        form = CommentForm(data)
        assert not form.is_valid()
    assert form.spam_reason == "captcha"
    assert form.errors[CAPTCHA_ANSWER_FIELD] == ["The answer to the question is not right."]
    assert not form.non_field_errors()


@override_settings(POLICYCOMMS_CAPTCHA=True)
def test_token_of_another_question_refused():
    """The answer is bound to the question its token was made for."""
    with freeze_time(NOW) as frozen:
        data = post_data(CommentForm())
        other = Captcha.new()
        while other.a + other.b == answer_of(data[CAPTCHA_TOKEN_FIELD]):
            other = Captcha.new()
        data[CAPTCHA_ANSWER_FIELD] = str(other.a + other.b)
        frozen.tick(timedelta(seconds=5))
        form = CommentForm(data)
        assert not form.is_valid()
        assert form.spam_reason == "captcha"
        # The other question's answer does work with the other question's token.
        data[CAPTCHA_TOKEN_FIELD] = other.token
        assert CommentForm(data).is_valid()


@override_settings(POLICYCOMMS_CAPTCHA=True)
def test_forged_question_token_refused():
    with freeze_time(NOW) as frozen:
        data = post_data(CommentForm())
        value, stamp, signature = data[CAPTCHA_TOKEN_FIELD].split(":")
        a, b, nonce = value.split(".")
        # Forge a question that differs from the one signed (1 + 1 is drawn one time in 81).
        forged_a = 1 if a != "1" else 2
        data[CAPTCHA_TOKEN_FIELD] = f"{forged_a}.1.{nonce}:{stamp}:{signature}"
        data[CAPTCHA_ANSWER_FIELD] = str(forged_a + 1)
        frozen.tick(timedelta(seconds=5))
        form = CommentForm(data)
        assert not form.is_valid()
    assert form.spam_reason == "tampered"


def test_question_token_expires():
    captcha = Captcha.new(NOW)
    later = NOW + timedelta(hours=24, seconds=1)
    assert Captcha.from_token(captcha.token, now=NOW + timedelta(hours=24)).a == captcha.a
    assert refusal_reason(Captcha.from_token, captcha.token, now=later) == "stale"
    assert refusal_reason(Captcha.from_token, make_form_token(NOW), now=NOW) == "tampered"


def test_question_tokens_differ_for_the_same_question(monkeypatch):
    """A nonce makes every form's token its own, even for the same question."""
    monkeypatch.setattr(antispam.secrets, "randbelow", lambda n: 3)
    captchas = [Captcha.new(NOW) for __ in range(20)]
    assert {(c.a, c.b) for c in captchas} == {(4, 4)}
    assert len({c.token for c in captchas}) == 20


@override_settings(POLICYCOMMS_CAPTCHA=True)
def test_bound_form_keeps_the_posted_question_and_refresh_asks_a_new_one():
    with freeze_time(NOW) as frozen:
        data = post_data(CommentForm())
        data[CAPTCHA_ANSWER_FIELD] = "99"
        frozen.tick(timedelta(seconds=5))
        form = CommentForm(data)
        asked = form.fields[CAPTCHA_ANSWER_FIELD].label
        assert asked == Captcha.from_token(data[CAPTCHA_TOKEN_FIELD]).question
        assert not form.is_valid()
        str(form[CAPTCHA_ANSWER_FIELD])  # the bound field is now cached
        form.refresh_tokens()
        new = Captcha.from_token(form.data[CAPTCHA_TOKEN_FIELD])
        assert form.data[CAPTCHA_TOKEN_FIELD] != data[CAPTCHA_TOKEN_FIELD]
        assert form.data[CAPTCHA_ANSWER_FIELD] == ""
        assert new.question in form.as_p()
        assert form[CAPTCHA_ANSWER_FIELD].label == new.question


# --- Rate limits ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [
        ("10/h", (10, 3600)),
        ("5/m", (5, 60)),
        ("1/s", (1, 1)),
        (" 3 / d ", (3, 86400)),
        ("0", None),
        (0, None),
        ("", None),
        (None, None),
    ],
)
def test_parse_rate(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["10", "10/w", "ten/h", "-1/h", "0/h", "10/hour", "1.5/h", "/h"])
def test_parse_rate_refuses_bad_values(rate):
    with pytest.raises(ImproperlyConfigured, match=re.escape(repr(rate))) as info:
        parse_rate(rate, "POLICYCOMMS_RATE_LIMIT_IP")
    assert "POLICYCOMMS_RATE_LIMIT_IP" in str(info.value)


@override_settings(POLICYCOMMS_RATE_LIMIT_IP="2/x")
def test_bad_setting_is_reported_by_name(rate_cache):
    with pytest.raises(ImproperlyConfigured, match="POLICYCOMMS_RATE_LIMIT_IP"):
        check_rate_limits("203.0.113.7", "")


@override_settings(POLICYCOMMS_RATE_LIMIT_IP="2/h", POLICYCOMMS_RATE_LIMIT_EMAIL=None)
def test_third_post_from_an_ip_refused(rate_cache):
    at = NOW + timedelta(minutes=15)
    check_rate_limits("203.0.113.7", "a@example.org", now=at)
    check_rate_limits("203.0.113.7", "b@example.org", now=at)
    with pytest.raises(RateLimited) as info:
        check_rate_limits("203.0.113.7", "c@example.org", now=at)
    assert info.value.reason == "rate_limited"
    assert info.value.retry_after == 45 * 60
    assert info.value.message == (
        "You have sent several comments in a short time. Please wait 45 minutes and try again."
    )
    check_rate_limits("203.0.113.8", "c@example.org", now=at)  # another address


@override_settings(POLICYCOMMS_RATE_LIMIT_IP=None, POLICYCOMMS_RATE_LIMIT_EMAIL="1/h")
def test_email_matched_case_insensitively(rate_cache):
    check_rate_limits("203.0.113.7", "Lan.Nguyen@Example.VN", now=NOW)
    with pytest.raises(RateLimited):
        check_rate_limits("198.51.100.1", "  lan.nguyen@example.vn ", now=NOW)


@override_settings(POLICYCOMMS_RATE_LIMIT_IP="2/h", POLICYCOMMS_RATE_LIMIT_EMAIL="1/h")
def test_window_rolls_over(rate_cache):
    with freeze_time("2026-03-02 09:59:58") as frozen:
        check_rate_limits("203.0.113.7", "a@example.org")
        with pytest.raises(RateLimited) as info:
            check_rate_limits("203.0.113.7", "a@example.org")
        assert info.value.retry_after == 2
        assert "Please wait 1 minute and" in info.value.message
        frozen.tick(timedelta(seconds=2))  # 10:00:00, a new window
        check_rate_limits("203.0.113.7", "a@example.org")


@override_settings(POLICYCOMMS_RATE_LIMIT_IP="3/h", POLICYCOMMS_RATE_LIMIT_EMAIL="1/h")
def test_refused_posts_do_not_count(rate_cache):
    ip = "203.0.113.7"
    check_rate_limits(ip, "a@example.org", now=NOW)
    for __ in range(5):  # refused by the email limit: the IP is not charged
        with pytest.raises(RateLimited):
            check_rate_limits(ip, "a@example.org", now=NOW)
    check_rate_limits(ip, "b@example.org", now=NOW)
    check_rate_limits(ip, "c@example.org", now=NOW)
    with pytest.raises(RateLimited):
        check_rate_limits(ip, "d@example.org", now=NOW)


@override_settings(POLICYCOMMS_RATE_LIMIT_IP="1/h", POLICYCOMMS_RATE_LIMIT_EMAIL=None)
def test_ipv6_counted_by_64_network(rate_cache):
    check_rate_limits("2001:db8:1:2::1", "", now=NOW)
    with pytest.raises(RateLimited):
        check_rate_limits("2001:db8:1:2:ffff::9", "", now=NOW)
    check_rate_limits("2001:db8:1:3::1", "", now=NOW)


@override_settings(POLICYCOMMS_RATE_LIMIT_IP="0", POLICYCOMMS_RATE_LIMIT_EMAIL=None)
def test_disabled_limits_never_refuse(rate_cache):
    for __ in range(50):
        check_rate_limits("203.0.113.7", "a@example.org", now=NOW)
    assert list(rate_cache._cache) == []


@override_settings(POLICYCOMMS_RATE_LIMIT_IP="1/h", POLICYCOMMS_RATE_LIMIT_EMAIL="1/h")
def test_missing_ip_or_email_is_not_limited(rate_cache):
    for __ in range(3):
        check_rate_limits("", "", now=NOW)
        check_rate_limits("unknown", None, now=NOW)


@override_settings(POLICYCOMMS_RATE_LIMIT_IP="5/h", POLICYCOMMS_RATE_LIMIT_EMAIL="5/h")
def test_cache_keys_hold_no_email_or_ip(rate_cache):
    check_rate_limits("203.0.113.7", "Lan.Nguyen@example.vn", now=NOW)
    check_rate_limits("2001:db8:1:2::1", "lan.nguyen@example.vn", now=NOW)
    keys = list(rate_cache._cache)
    assert len(keys) == 3  # two addresses, one email
    for key in keys:
        assert "policycomms:rl:" in key
        for raw in ("203.0.113", "2001:db8", "lan.nguyen", "example.vn", "@"):
            assert raw not in key.lower()


def test_rate_limiter_hit_and_peek(rate_cache):
    limiter = RateLimiter("test", "2/m")
    assert not limiter.would_exceed("k", now=NOW)
    assert limiter.hit("k", now=NOW)
    assert limiter.hit("k", now=NOW)
    assert limiter.would_exceed("k", now=NOW)
    assert not limiter.hit("k", now=NOW)
    assert limiter.retry_after(now=NOW + timedelta(seconds=20)) == 40
    assert limiter.hit("k", now=NOW + timedelta(minutes=1))
    assert RateLimiter("test", None).hit("k", now=NOW)


# --- IP addresses ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ip", "stored"),
    [
        ("203.0.113.77", "203.0.113.0/24"),
        (" 203.0.113.77 ", "203.0.113.0/24"),
        ("2001:db8:abcd:12:3456::1", "2001:db8:abcd::/48"),
        ("::ffff:203.0.113.77", "203.0.113.0/24"),
        ("203.0.113.300", ""),
        ("not an address", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_ip_truncated(ip, stored):
    assert ip_for_storage(ip) == stored


@override_settings(POLICYCOMMS_IP_STORAGE="hash")
def test_ip_hashed_with_the_secret_key():
    stored = ip_for_storage("203.0.113.77")
    assert re.fullmatch(r"[0-9a-f]{64}", stored)
    assert stored == ip_for_storage("203.0.113.77")
    assert stored != ip_for_storage("203.0.113.78")
    assert re.fullmatch(r"[0-9a-f]{64}", ip_for_storage("2001:db8::1"))
    assert ip_for_storage("nonsense") == ""
    with override_settings(SECRET_KEY="another-secret-key-for-this-test"):
        assert ip_for_storage("203.0.113.77") != stored


@override_settings(POLICYCOMMS_IP_STORAGE="none")
@pytest.mark.parametrize("ip", ["203.0.113.77", "2001:db8::1", "nonsense"])
def test_ip_not_stored(ip):
    assert ip_for_storage(ip) == ""


@override_settings(POLICYCOMMS_IP_STORAGE="full")
def test_unknown_ip_storage_mode_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="POLICYCOMMS_IP_STORAGE"):
        ip_for_storage("203.0.113.77")


FORWARDED = "198.51.100.9, 192.0.2.44,203.0.113.5"


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "10.0.0.1", FORWARDED, "10.0.0.1"),  # not trusted: the header is ignored
        (1, "10.0.0.1", FORWARDED, "203.0.113.5"),
        (2, "10.0.0.1", FORWARDED, "192.0.2.44"),
        (3, "10.0.0.1", FORWARDED, "198.51.100.9"),
        (4, "10.0.0.1", FORWARDED, "10.0.0.1"),  # fewer entries than proxies
        (1, "10.0.0.1", "", "10.0.0.1"),
        (1, "10.0.0.1", "unknown", ""),
        (0, "not-an-ip", "", ""),
        (0, "2001:db8::7", "", "2001:db8::7"),
    ],
)
def test_client_ip(settings, proxies, remote, forwarded, expected):
    settings.POLICYCOMMS_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().post("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_client_ip_without_the_setting():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.1"
    assert antispam.ip_for_storage(client_ip(request)) == "10.0.0.0/24"
