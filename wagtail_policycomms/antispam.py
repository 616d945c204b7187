"""Abuse protection for the comment form, run on the portal: foreign captcha services would
send commenters' personal data abroad. Honeypot, signed form timestamp (each rendered form
sends one comment), rate limits and an optional arithmetic question; the call order for
views is in ``AntiSpamFormMixin``.
"""

import contextlib
import ipaddress
import math
import re
import secrets

from django import forms
from django.core import signing
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .conf import policycomms_settings
from .formats.text import normalise_email

HONEYPOT_FIELD = "website"
FORM_TOKEN_FIELD = "form_token"  # noqa: S105 (a field name)
CAPTCHA_TOKEN_FIELD = "captcha_token"  # noqa: S105
CAPTCHA_ANSWER_FIELD = "captcha_answer"

FORM_SALT = "wagtail_policycomms.form"
FORM_USED_SALT = "wagtail_policycomms.form-used"
CAPTCHA_SALT = "wagtail_policycomms.captcha"
RATE_KEY_SALT = "wagtail_policycomms.ratelimit"
IP_HASH_SALT = "wagtail_policycomms.ip"

MESSAGES = {
    "honeypot": _("Your comment could not be accepted. If you are a person, please send it again."),
    "too_fast": _("The form was sent too quickly. Please check your comment and send it again."),
    "stale": _("The form has expired. Your text is kept below: please send it again."),
    "tampered": _("The form could not be checked. Your text is kept below: please send it again."),
    "replayed": _(
        "This form has already been used to send a comment. "
        "Your text is kept below: please send it again."
    ),
    "captcha": _("The answer to the question is not right."),
}


class SpamRefusal(Exception):
    """A post refused as likely abuse; ``reason`` is for logs, ``message`` for the person."""

    def __init__(self, reason, message=None, field=None):
        super().__init__(reason)
        self.reason = reason
        self.message = MESSAGES[reason] if message is None else message
        self.field = field  # None: a message for the whole form


class RateLimited(SpamRefusal):
    """Too many comments from one address or email; ``retry_after`` is in seconds."""

    def __init__(self, retry_after):
        self.retry_after = max(1, math.ceil(retry_after))
        minutes = math.ceil(self.retry_after / 60)
        message = ngettext(
            "You have sent several comments in a short time. Please wait %(minutes)s minute and try again.",
            "You have sent several comments in a short time. Please wait %(minutes)s minutes and try again.",
            minutes,
        ) % {"minutes": minutes}
        super().__init__("rate_limited", message)


class _ClockSigner(signing.TimestampSigner):
    """A TimestampSigner on a given clock, so tokens can be made and aged without patching time."""

    def __init__(self, salt, now=None):
        super().__init__(salt=salt)
        self.now = now or timezone.now()

    def timestamp(self):
        return signing.b62_encode(int(self.now.timestamp()))

    def unsign_aged(self, token):
        """Check the signature; return the signed value and its age in seconds."""
        try:
            value, stamp = signing.Signer.unsign(self, str(token)).rsplit(self.sep, 1)
            return value, self.now.timestamp() - signing.b62_decode(stamp)
        except (signing.BadSignature, ValueError) as error:
            raise SpamRefusal("tampered") from error

    def unsign_fresh(self, token):
        """As ``unsign_aged``, refusing tokens older than FORM_MAX_AGE_HOURS."""
        value, age = self.unsign_aged(token)
        if age > policycomms_settings.FORM_MAX_AGE_HOURS * 3600:
            raise SpamRefusal("stale")
        return value, age


def make_form_token(now=None):
    """A signed time of rendering: bots post at once, or replay an old form for days.

    The random nonce makes each rendered form's token its own (two forms shown in the
    same second differ), so a token can be recorded as used (``mark_form_token_used``).
    """
    return _ClockSigner(FORM_SALT, now).sign(secrets.token_urlsafe(12))


def check_form_token(token, now=None):
    """Refuse a token younger than FORM_MIN_SECONDS, older than FORM_MAX_AGE_HOURS, or forged."""
    __, age = _ClockSigner(FORM_SALT, now).unsign_fresh(token)
    if age < policycomms_settings.FORM_MIN_SECONDS:
        raise SpamRefusal("too_fast")


def _used_tokens():
    return caches[policycomms_settings.RATE_LIMIT_CACHE]


def _used_token_key(token):
    """The cache key of a used token: a keyed hash, short enough for any cache backend."""
    digest = salted_hmac(FORM_USED_SALT, str(token), algorithm="sha256").hexdigest()
    return f"policycomms:form-used:{digest}"


def form_token_used_for(token):
    """The ``resend_key`` of the comment stored with this form token, or None while unused."""
    return _used_tokens().get(_used_token_key(token)) if token else None


def mark_form_token_used(form):
    """Record that a comment was stored with ``form``'s token: the view calls it once the
    comment is stored, never for a refused post (whose person must be able to send
    again). Kept for FORM_MAX_AGE_HOURS, after which the token is refused as stale anyway.
    """
    token = form.cleaned_data.get(FORM_TOKEN_FIELD)
    if token:
        timeout = math.ceil(policycomms_settings.FORM_MAX_AGE_HOURS * 3600)
        _used_tokens().set(_used_token_key(token), form.resend_key(form.cleaned_data), timeout)


class Captcha:
    """The question ``a + b`` and a signed token for a hidden field; it stops generic bots only."""

    def __init__(self, a, b, token):
        self.a, self.b, self.token = a, b, token

    @property
    def question(self):
        return gettext("What is %(a)s plus %(b)s?") % {"a": self.a, "b": self.b}

    @classmethod
    def new(cls, now=None):
        a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
        nonce = secrets.token_urlsafe(8)  # a token per form; a and b are shown anyway
        return cls(a, b, _ClockSigner(CAPTCHA_SALT, now).sign(f"{a}.{b}.{nonce}"))

    @classmethod
    def from_token(cls, token, now=None, check_age=True):
        """The question a token stands for; SpamRefusal when forged or (check_age) expired."""
        signer = _ClockSigner(CAPTCHA_SALT, now)
        value, __ = signer.unsign_fresh(token) if check_age else signer.unsign_aged(token)
        a, b, __ = value.split(".", 2)
        return cls(int(a), int(b), token)

    def check(self, answer):
        """Accept digits with surrounding spaces, nothing else."""
        answer = (answer or "").strip()
        if not re.fullmatch(r"[0-9]{1,4}", answer) or int(answer) != self.a + self.b:
            raise SpamRefusal("captcha", field=CAPTCHA_ANSWER_FIELD)


_RATE_RE = re.compile(r"\s*([0-9]+)\s*/\s*([smhd])\s*")
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate, setting="rate"):
    """``"10/h"`` → ``(10, 3600)``; None, ``""`` or ``"0"`` → None (no limit)."""
    if rate is None or rate is False or str(rate).strip() in ("", "0"):
        return None
    match = _RATE_RE.fullmatch(str(rate))
    if not match or int(match[1]) == 0:
        raise ImproperlyConfigured(
            f'{setting} must look like "10/h" (a number of comments per s, m, h or d), '
            f'or be "0" or None for no limit; got {rate!r}.'
        )
    return int(match[1]), _PERIODS[match[2]]


class RateLimiter:
    """At most N hits per fixed window, counted in Django's cache under a keyed hash of the key."""

    def __init__(self, scope, rate):
        """``rate``: "10/h", None, or a parsed ``(limit, seconds)``."""
        self.scope = scope
        self.rate = rate if isinstance(rate, tuple) else parse_rate(rate, f"{scope} rate")
        self.cache = caches[policycomms_settings.RATE_LIMIT_CACHE]

    def _window(self, key, now):
        """The cache key (no email or IP in clear) and the seconds until the window ends."""
        seconds, period = int((now or timezone.now()).timestamp()), self.rate[1]
        digest = salted_hmac(RATE_KEY_SALT, str(key), algorithm="sha256").hexdigest()
        key = f"policycomms:rl:{self.scope}:{seconds // period}:{digest}"
        return key, period - seconds % period

    def would_exceed(self, key, now=None):
        """Peek: would one more hit go over the limit? Counts nothing."""
        if self.rate is None:
            return False
        return self.cache.get(self._window(key, now)[0], 0) >= self.rate[0]

    def hit(self, key, now=None):
        """Count one hit; True while within the limit."""
        if self.rate is None:
            return True
        cache_key, ends_in = self._window(key, now)
        self.cache.add(cache_key, 0, ends_in + 1)
        try:
            count = self.cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            self.cache.add(cache_key, 1, ends_in + 1)
            count = 1
        return count <= self.rate[0]

    def retry_after(self, now=None):
        """Seconds until the current window ends."""
        return self._window("", now)[1] if self.rate else 0


def _address(ip):
    """The address in ``ip`` (IPv4-mapped IPv6 as IPv4), or None when invalid."""
    try:
        address = ipaddress.ip_address(str(ip or "").strip())
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def _network(address, ipv4_prefix, ipv6_prefix):
    prefix = ipv4_prefix if address.version == 4 else ipv6_prefix
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def check_rate_limits(ip, email, now=None):
    """Call after the form is valid, just before saving; raises RateLimited, else counts the post.

    A post refused here must not be saved. Refused posts are not counted (peek
    first); parallel posts still cannot slip through together (then hit).
    """
    limiters = []
    if address := _address(ip):  # IPv6 hosts usually own a whole /64
        ip_key = _network(address, 32, 64)
        rate = parse_rate(policycomms_settings.RATE_LIMIT_IP, "POLICYCOMMS_RATE_LIMIT_IP")
        limiters.append((RateLimiter("ip", rate), ip_key))
    if email_key := normalise_email(email):
        rate = parse_rate(policycomms_settings.RATE_LIMIT_EMAIL, "POLICYCOMMS_RATE_LIMIT_EMAIL")
        limiters.append((RateLimiter("email", rate), email_key))
    over = [limiter for limiter, key in limiters if limiter.would_exceed(key, now)]
    if not over:
        over = [limiter for limiter, key in limiters if not limiter.hit(key, now)]
    if over:
        raise RateLimited(max(limiter.retry_after(now) for limiter in over))


def client_ip(request):
    """REMOTE_ADDR, or behind N = POLICYCOMMS_TRUSTED_PROXY_COUNT proxies the Nth address
    from the right of X-Forwarded-For (those further left can be forged); "" if invalid.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = int(policycomms_settings.TRUSTED_PROXY_COUNT or 0)
    if proxies > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(chain) >= proxies:  # shorter: not through the proxies, keep REMOTE_ADDR
            address = chain[-proxies]
    return str(_address(address) or "")


def ip_for_storage(ip):
    """What IP_STORAGE lets us keep of an address, which is personal data: "truncate" the
    network (IPv4 /24, IPv6 /48), "hash" 64 hex digits of keyed hash, "none" (or invalid) "".
    """
    mode = policycomms_settings.IP_STORAGE
    if mode not in ("truncate", "hash", "none"):
        raise ImproperlyConfigured(
            f'POLICYCOMMS_IP_STORAGE must be "truncate", "hash" or "none"; got {mode!r}.'
        )
    address = _address(ip)
    if address and mode == "truncate":
        return _network(address, 24, 48)
    if address and mode == "hash":
        return salted_hmac(IP_HASH_SALT, str(address), algorithm="sha256").hexdigest()
    return ""


def honeypot_field():
    """A field people never see (the template hides ``.pc-hp``) and bots fill in."""
    return forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1", "class": "pc-hp"}),
    )


class AntiSpamFormMixin:
    """Honeypot, signed timestamp and (with CAPTCHA) a question for a ``forms.Form``.

    Put it first: ``class CommentForm(AntiSpamFormMixin, forms.Form)``; a ``clean()``
    of the form must call ``super().clean()``. In the view::

        if form.is_valid():                   # honeypot, token unused, question
            if form.within_rate_limits(request):  # after validation, before saving
                ...save, with ip_for_storage(client_ip(request))...
                mark_form_token_used(form)    # once saved: one comment per form
        if form.is_bound and form.errors:
            log(form.spam_reason)             # None unless refused as abuse
            form.refresh_tokens()             # then render the form again
    """

    spam_reason = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = honeypot_field()
        self.fields[FORM_TOKEN_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput)
        if not self.is_bound:
            self.fields[FORM_TOKEN_FIELD].initial = make_form_token()
        if policycomms_settings.CAPTCHA:
            captcha = None
            with contextlib.suppress(SpamRefusal):  # clean() refuses a bad token
                token = self.data.get(CAPTCHA_TOKEN_FIELD, "") if self.is_bound else None
                captcha = token and Captcha.from_token(token, check_age=False)
            captcha = captcha or Captcha.new()
            self.fields[CAPTCHA_TOKEN_FIELD] = forms.CharField(
                required=False, widget=forms.HiddenInput, initial=captcha.token
            )
            self.fields[CAPTCHA_ANSWER_FIELD] = forms.CharField(
                label=captcha.question,
                max_length=10,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )

    def clean(self):
        cleaned_data = super().clean()
        try:
            self.check_spam(self.cleaned_data)
        except SpamRefusal as refusal:
            self.add_refusal(refusal)
        return cleaned_data

    def check_spam(self, cleaned_data):
        """Honeypot first: a bot that fills it is usually too fast as well."""
        if cleaned_data.get(HONEYPOT_FIELD):
            raise SpamRefusal("honeypot")
        token = cleaned_data.get(FORM_TOKEN_FIELD, "")
        check_form_token(token)
        used_for = form_token_used_for(token)
        if used_for is not None and (not used_for or used_for != self.resend_key(cleaned_data)):
            raise SpamRefusal("replayed")
        if CAPTCHA_ANSWER_FIELD in self.fields and CAPTCHA_ANSWER_FIELD not in self.errors:
            captcha = Captcha.from_token(cleaned_data.get(CAPTCHA_TOKEN_FIELD, ""))
            captcha.check(cleaned_data.get(CAPTCHA_ANSWER_FIELD))

    def resend_key(self, cleaned_data):
        """What a post with a used token must repeat to be let through: the form's
        consultation, the email and the text folded as ``already_submitted`` folds it.
        A double click or the back button then reaches the view, which answers with the
        original receipt; any other post with that token is refused as "replayed". A
        form without a ``body`` field lets no post through with a used token ("").
        """
        from .models.comments import text_hash  # a model module: imported when first used

        if "body" not in self.fields:
            return ""
        consultation = getattr(self, "consultation", None)
        parts = (
            str(getattr(consultation, "pk", "")),
            normalise_email(cleaned_data.get("email")),
            text_hash(cleaned_data.get("body") or ""),
        )
        return salted_hmac(FORM_USED_SALT, "\n".join(parts), algorithm="sha256").hexdigest()

    def within_rate_limits(self, request):
        """Count this valid post against the rate limits (``check_rate_limits``): False, the
        refusal shown as a form error, when over them (then do not save)."""
        try:
            check_rate_limits(client_ip(request), self.cleaned_data["email"])
        except RateLimited as refusal:
            self.add_refusal(refusal)
            return False
        return True

    def add_refusal(self, refusal):
        """Show a refusal as a form error; the view uses it for RateLimited too."""
        self.spam_reason = refusal.reason
        self.add_error(refusal.field, forms.ValidationError(refusal.message, code=refusal.reason))

    def refresh_tokens(self):
        """A fresh token (and question) for a bound form shown again: hidden fields render
        the posted data, so the old, refused token would be sent back otherwise."""
        if not self.is_bound:
            return
        data = self.data.copy()  # a QueryDict copy is mutable
        data[FORM_TOKEN_FIELD] = make_form_token()
        if CAPTCHA_ANSWER_FIELD in self.fields:
            captcha = Captcha.new()
            data[CAPTCHA_TOKEN_FIELD] = captcha.token
            data[CAPTCHA_ANSWER_FIELD] = ""
            self.fields[CAPTCHA_ANSWER_FIELD].label = captcha.question
            self[CAPTCHA_ANSWER_FIELD].label = captcha.question  # the bound field is cached
        self.data = data
