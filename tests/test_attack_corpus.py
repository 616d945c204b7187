"""Hostile input sent to every public endpoint, through the whole stack.

For each input of ``tests/attack_corpus.py``: no 500; a refused post stores no comment,
no attachment row and no file; and whatever is stored is shown as text, never as markup,
on the public consultation page, the receipt page, the verification page, the queue's
listing and inspect view, and in the receipt email. The public endpoints: the comment POST
to a consultation page (every field, the files, the tokens, the raw body, CSRF), the
receipt, verification and "send the link again" URLs, the attachment download, and the
query strings of the index and consultation pages.

The site is built once for the module, in a transaction rolled back at its end; each test
runs in a savepoint of it (pytest-django's ``db``), so the 400-odd cases stay fast.

Cases that still fail in code this module does not test alone are strict xfails naming
the fix: flip them when it lands.
"""

import email.message
import hashlib
import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import Site

from tests import attack_corpus as corpus
from tests import factories
from tests.attack_corpus import ACCEPTED, EITHER, PCXSS, REFUSED
from wagtail_policycomms.models import CommentAttachment, ConsultationSettings, PublicComment
from wagtail_policycomms.views.public import verification_path

QUEUE = "wagtailsnippets_wagtail_policycomms_publiccomment"
RECEIPT_PATH = re.compile(r"^/policycomms/receipt/[^/]+/$")
#: Characters that make a payload markup, or break out of an attribute.
MARKUP = re.compile(r"[<>\"'&]")
#: Attributes that run or load what they hold.
ACTIVE_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "srcdoc", "style", "content"}
#: Elements whose content is code, not text.
CODE_ELEMENTS = {"script", "style", "iframe", "object", "embed", "svg", "math", "template"}


# --- One site for the module ----------------------------------------------------------


@pytest.fixture(scope="module")
def portal(django_db_setup, django_db_blocker):
    """The site every case posts to: built once (pages are slow to make), undone at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        home = factories.make_home()
        index = factories.make_index(home)
        draft = factories.make_draft(
            index,
            articles=[
                factories.article("Điều 1", "Phạm vi điều chỉnh", block_id="a1"),
                factories.article("Điều 2", "Đối tượng áp dụng", block_id="a2"),
            ],
        )
        site_settings = ConsultationSettings.for_site(Site.objects.get(is_default_site=True))
        site_settings.moderation_mode = "post"  # stored comments are shown at once
        site_settings.save()
        yield SimpleNamespace(
            index=index,
            draft=draft,
            consultation=factories.make_round_with_status(draft, "open"),
            other_draft=factories.make_draft(index),  # two drafts: the index has pages
            moderator=factories.make_moderator("attack-moderator"),
            reader=factories.make_moderator("attack-reader", personal_data=False),
        )
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _in_a_savepoint(portal, db):
    """``db`` after ``portal``: each test's rows are undone, the module's site stays."""


@pytest.fixture
def moderator_client(portal):
    client = Client()
    client.force_login(portal.moderator)
    return client


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"


# --- Checks ---------------------------------------------------------------------------


def markup_payloads(values):
    """The strings among ``values`` that would be markup if printed unescaped."""
    found = []
    for value in values:
        items = value if isinstance(value, list | tuple) else [value]
        found += [item for item in items if isinstance(item, str) and MARKUP.search(item)]
    return found


def assert_escaped(content, payloads=(), where=""):
    """No payload printed as is, and no live element or attribute carrying ``PCXSS``."""
    html = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    for payload in payloads:
        assert payload not in html, f"{where}: printed unescaped: {payload!r}"
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        assert PCXSS not in tag.name, f"{where}: injected element <{tag.name}>"
        if tag.name in CODE_ELEMENTS:
            assert PCXSS not in tag.decode_contents(), f"{where}: injected into <{tag.name}>"
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            assert PCXSS not in name, f"{where}: injected attribute {name!r}"
            if name.startswith("on") or name in ACTIVE_ATTRIBUTES:
                assert PCXSS not in value, f"{where}: payload in <{tag.name} {name}={value!r}>"


def assert_plain_and_escaped_html(message, payloads, where):
    """An email's body is plain text; its one other part is HTML with every payload escaped."""
    assert message.content_subtype == "plain"
    alternatives = getattr(message, "alternatives", [])
    assert [mimetype for __, mimetype in alternatives] == ["text/html"], where
    assert_escaped(alternatives[0][0], payloads, f"{where} (HTML)")


def snapshot(folder):
    return sorted(str(path) for path in Path(folder).rglob("*")) if Path(folder).exists() else []


def assert_stored_nothing(storage_dir, before):
    """No comment, no attachment row, the attachment folder as it was."""
    assert PublicComment.objects.count() == 0
    assert CommentAttachment.objects.count() == 0
    assert snapshot(storage_dir) == before, "a refused post left a file behind"


def accepted(response):
    assert response.status_code < 500
    return response.status_code == 303 and bool(RECEIPT_PATH.match(response["Location"]))


def assert_shown_as_text(portal, clients, mailoutbox, storage_dir, response, payloads):
    """The stored comment is escaped wherever it is shown, and shown as typed."""
    client, moderator_client = clients
    comment = PublicComment.objects.select_related("consultation").get()
    stored = [
        comment.display_name,
        comment.organisation_name,
        comment.email,
        comment.phone,
        comment.address,
        comment.body,
        comment.user_agent,
        *comment.attachments.values_list("original_name", flat=True),
    ]
    payloads = markup_payloads([*payloads, *stored])

    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    assert_escaped(receipt.content, payloads, "receipt page")
    # Shown once escaped: neither run nor escaped twice (``&amp;lt;`` on the screen).
    assert escape(comment.body.splitlines()[0]) in receipt.content.decode()

    public = client.get(portal.consultation.url)
    assert public.status_code == 200
    assert f'id="comment-{comment.pk}"' in public.content.decode()
    assert_escaped(public.content, payloads, "consultation page")

    listing = moderator_client.get(reverse(f"{QUEUE}:list"), {"status": ""})
    assert listing.status_code == 200
    assert comment.receipt_code in listing.content.decode()
    assert_escaped(listing.content, payloads, "queue listing")
    inspect = moderator_client.get(reverse(f"{QUEUE}:inspect", args=[comment.pk]))
    assert inspect.status_code == 200
    assert_escaped(inspect.content, payloads, "inspect view")

    # The receipt email: the comment as typed in the plain text, escaped in the HTML
    # alternative (its only other part), and no header broken by what the person wrote.
    assert mailoutbox, "no receipt email"
    for message in mailoutbox:
        assert message.content_subtype == "plain"
        assert_plain_and_escaped_html(message, payloads, "receipt email")
        assert "\n" not in message.subject and "\r" not in message.subject
        assert comment.body in message.body
        assert message.to == [comment.email]

    for attachment in comment.attachments.all():
        path = reverse("wagtail_policycomms:attachment_download", args=[attachment.pk])
        assert_safe_download(moderator_client.get(path), attachment)
    for name in factories.stored_files(storage_dir):  # never the citizen's file name
        assert re.fullmatch(r"policycomms/attachments/\d{4}/\d{2}/[0-9a-f]{32}\.\w+", name)


def assert_safe_download(response, attachment):
    """A file to save, never shown inline, under the name the person gave, in one header."""
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    header = email.message.Message()
    header["Content-Disposition"] = disposition
    assert header.get_content_disposition() == "attachment"
    assert header.get_filename() == attachment.original_name
    assert response["Content-Type"] == attachment.content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    # Read to the end as a server would (closing it unread would close the connection).
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == attachment.sha256


# --- The comment POST -----------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    """One hostile POST to the consultation page."""

    data: dict = field(default_factory=dict)  # over a valid comment; None drops a field
    files: tuple = ()  # (name, bytes, content type), sent with their names verbatim
    raw: object = None  # a body sent as is: bytes, or a function of the case's context
    content_type: str = corpus.MULTIPART
    headers: dict = field(default_factory=dict)
    expect: str = EITHER
    settings: dict = field(default_factory=dict)
    xfail: str = ""


def resolve(value, ctx):
    return value(ctx) if callable(value) else value


def _posts():
    cases = {}
    for n, payload in enumerate(corpus.XSS):
        cases[f"xss {n} in every text field"] = Post(corpus.everywhere(payload), expect=ACCEPTED)
    for n, address in enumerate(corpus.MARKUP_EMAILS):
        cases[f"xss {n} in a valid email"] = Post({"email": address}, expect=EITHER)
    for n, payload in enumerate(corpus.SQL):
        cases[f"sql {n} in every text field"] = Post(corpus.everywhere(payload), expect=ACCEPTED)
        cases[f"sql {n} in the email"] = Post({"email": payload}, expect=REFUSED)
    for name, text in corpus.UNICODE.items():
        cases[f"unicode {name}"] = Post(
            {"body": text, "display_name": text[:200], "address": text[:500]}, expect=EITHER
        )
    for name, data in corpus.NUL.items():
        cases[name] = Post(data, expect=EITHER)
    for name, data in corpus.OVERLONG.items():
        cases[f"overlong {name}"] = Post(data, expect=REFUSED)
    for name, (data, expect) in corpus.CHOICES.items():
        cases[name] = Post(data, expect=expect)
    for name, token in corpus.BAD_FORM_TOKENS.items():
        cases[f"form token {name}"] = Post({"form_token": token}, expect=REFUSED)
    for name, (data, expect) in corpus.CAPTCHA_CASES.items():
        data = {
            "captcha_token": corpus.question_token,
            "captcha_answer": corpus.right_answer,
            **data,
        }
        cases[f"question {name}"] = Post(data, expect=expect, settings={"CAPTCHA": True})
    for name, filename in corpus.HOSTILE_NAMES.items():
        cases[f"file named {name}"] = Post(files=(corpus.pdf(filename),), expect=EITHER)
    for name, upload in corpus.DISGUISED.items():
        cases[f"file {name}"] = Post(files=(upload,), expect=REFUSED)
    cases |= _file_limits() | _raw_bodies() | _headers()
    return cases


def _file_limits():
    pdf = factories.pdf_bytes()
    big = pdf + b"\0" * (10 * 1024 * 1024 + 1 - len(pdf))
    return {
        "file of 10 MB and 1 byte": Post(
            files=(("lon.pdf", big, "application/pdf"),), expect=REFUSED
        ),
        "four files": Post(files=(corpus.pdf("a.pdf"),) * 4, expect=REFUSED),
        "one good file and one exe": Post(
            files=(corpus.pdf("a.pdf"), ("b.pdf", corpus.EXE, "application/pdf")), expect=REFUSED
        ),
        "101 files": Post(files=(corpus.pdf("a.pdf"),) * 101, expect=REFUSED),
        "a file as a text field": Post({"attachments": "not-a-file.pdf"}, expect=EITHER),
    }


def _raw(files=(), **overrides):
    """A multipart body of a valid comment, written by hand (``overrides`` as for a post)."""
    return lambda ctx: corpus.multipart(corpus.comment_fields(**overrides), files)


def _raw_bodies():
    urlencoded = "application/x-www-form-urlencoded"
    ten_mb = 10 * 1024 * 1024
    return {
        "body of 10 MB, urlencoded": Post(
            raw=lambda ctx: b"body=" + b"a" * ten_mb, content_type=urlencoded, expect=REFUSED
        ),
        "text field of 10 MB, multipart": Post(raw=_raw(body="a" * ten_mb), expect=REFUSED),
        "1001 fields": Post(
            raw=lambda ctx: "&".join(f"f{n}=x" for n in range(1001)).encode(),
            content_type=urlencoded,
            expect=REFUSED,
        ),
        "invalid utf-8, urlencoded": Post(
            raw=lambda ctx: (
                urllib.parse.urlencode(factories.comment_post_data()).encode()
                + b"&body=%FF%FE%C0%AF+%ED%A0%80+g%C3%B3p+%C3%BD+d%E1%BB%B1+th%E1%BA%A3o"
            ),
            content_type=urlencoded,
        ),
        "raw invalid utf-8 bytes, urlencoded": Post(
            raw=lambda ctx: (
                urllib.parse.urlencode(factories.comment_post_data()).encode()
                + b"&display_name=\xff\xfe\xed\xa0\x80"
            ),
            content_type=urlencoded,
        ),
        "invalid utf-8 in multipart fields": Post(
            raw=lambda ctx: corpus.multipart(
                [
                    (
                        name,
                        b"\xff\xfe\xed\xa0\x80 " + corpus.PAD.encode() if name == "body" else value,
                    )
                    for name, value in corpus.comment_fields()
                ]
            )
        ),
        "invalid utf-8 in a file name": Post(
            raw=_raw(
                files=[
                    (
                        "attachments",
                        b"\xff\xfe\xed\xa0\x80.pdf",
                        factories.pdf_bytes(),
                        "application/pdf",
                    )
                ]
            )
        ),
        "latin-1 charset declared": Post(
            raw=lambda ctx: urllib.parse.urlencode(factories.comment_post_data()).encode(),
            content_type=f"{urlencoded}; charset=latin-1",
        ),
        "unknown charset declared": Post(
            raw=lambda ctx: urllib.parse.urlencode(factories.comment_post_data()).encode(),
            content_type=f"{urlencoded}; charset=no-such-charset",
        ),
        "multipart without a boundary": Post(
            raw=_raw(), content_type="multipart/form-data", expect=REFUSED
        ),
        "multipart with an empty boundary": Post(
            raw=_raw(), content_type='multipart/form-data; boundary=""', expect=REFUSED
        ),
        "multipart with another boundary": Post(
            raw=_raw(), content_type="multipart/form-data; boundary=other", expect=REFUSED
        ),
        "multipart with a boundary of 1000 characters": Post(
            raw=_raw(), content_type="multipart/form-data; boundary=" + "b" * 1000, expect=REFUSED
        ),
        "multipart cut in the middle": Post(raw=lambda ctx: _raw()(ctx)[:-200], expect=REFUSED),
        "multipart without the closing boundary": Post(
            raw=lambda ctx: _raw()(ctx).replace(b"--pc-boundary-7MA4YWxk--", b""), expect=EITHER
        ),
        "multipart part without a name": Post(
            raw=lambda ctx: _raw()(ctx).replace(b'name="body"', b"nom=body", 1), expect=REFUSED
        ),
        "multipart with a header of 100 kB": Post(
            raw=lambda ctx: _raw()(ctx).replace(
                b'Content-Disposition: form-data; name="body"',
                b'Content-Disposition: form-data; name="body"; x="' + b"x" * 100_000 + b'"',
                1,
            ),
            expect=EITHER,
        ),
        "multipart garbage": Post(raw=lambda ctx: b"\x00\xff" * 5000, expect=REFUSED),
        "json body": Post(
            raw=lambda ctx: b'{"body": "<script>alert(1)</script>", "consent": true}',
            content_type="application/json",
            expect=REFUSED,
        ),
        "xml body": Post(
            raw=lambda ctx: (
                b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
            ),
            content_type="application/xml",
            expect=REFUSED,
        ),
        "empty body": Post(raw=lambda ctx: b"", content_type=urlencoded, expect=REFUSED),
    }


def _headers():
    ua = f"Mozilla/5.0 <script>alert('{PCXSS}')</script>"
    return {
        "user agent with markup": Post(headers={"HTTP_USER_AGENT": ua}, expect=ACCEPTED),
        "user agent of 100 kB": Post(headers={"HTTP_USER_AGENT": "U" * 100_000}, expect=ACCEPTED),
        "forwarded-for garbage behind a proxy": Post(
            headers={"HTTP_X_FORWARDED_FOR": "<script>, 999.1.1.1, ::ffff:zz"},
            settings={"TRUSTED_PROXY_COUNT": 1},
            expect=ACCEPTED,
        ),
        "forwarded-for of 100 kB": Post(
            headers={"HTTP_X_FORWARDED_FOR": "1.2.3.4, " * 10_000},
            settings={"TRUSTED_PROXY_COUNT": 2},
            expect=ACCEPTED,
        ),
        "accept-language garbage": Post(
            headers={"HTTP_ACCEPT_LANGUAGE": "<script>;q=x, " * 500}, expect=ACCEPTED
        ),
        "host not allowed": Post(headers={"HTTP_HOST": "evil.example"}, expect=REFUSED),
        "host with markup": Post(headers={"HTTP_HOST": "<script>"}, expect=REFUSED),
    }


POSTS = _posts()


def _marked(cases):
    return [
        pytest.param(case, id=name, marks=[pytest.mark.xfail(strict=True, reason=case.xfail)])
        if case.xfail
        else pytest.param(case, id=name)
        for name, case in cases.items()
    ]


def send_post(client, url, case):
    """Make the request a case stands for: the response, and the strings it sent."""
    ctx = {}
    data = {name: resolve(value, ctx) for name, value in case.data.items()}
    sent = [*data.values(), *case.headers.values(), *(upload[0] for upload in case.files)]
    if case.files:  # by hand: the test client would send the base name of each file name
        files = [("attachments", *upload) for upload in case.files]
        body = corpus.multipart(corpus.comment_fields(**data), files)
        response = client.generic("POST", url, body, content_type=corpus.MULTIPART, **case.headers)
    elif case.raw is not None:
        body = resolve(case.raw, ctx)
        response = client.generic("POST", url, body, content_type=case.content_type, **case.headers)
    else:
        response = client.post(url, factories.comment_post_data(**data), **case.headers)
    return response, sent


@pytest.mark.parametrize("case", _marked(POSTS))
def test_hostile_post(
    case,
    portal,
    client,
    moderator_client,
    settings,
    storage_dir,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    for name, value in case.settings.items():
        setattr(settings, f"POLICYCOMMS_{name}", value)
    before = snapshot(storage_dir)
    with django_capture_on_commit_callbacks(execute=True):
        response, sent = send_post(client, portal.consultation.url, case)

    if accepted(response):
        assert case.expect != REFUSED, "a hostile post was taken"
        clients = (client, moderator_client)
        assert_shown_as_text(portal, clients, mailoutbox, storage_dir, response, sent)
    else:
        assert case.expect != ACCEPTED, f"refused ({response.status_code})"
        assert_stored_nothing(storage_dir, before)
        assert_escaped(response.content, markup_payloads(sent), "refusal")
        assert not mailoutbox


@pytest.mark.parametrize("address", corpus.MARKUP_EMAILS)
def test_unverified_comment_with_markup_is_shown_as_text(
    portal, client, mailoutbox, django_capture_on_commit_callbacks, address
):
    """With verification on, the receipt page shows the address the link went to, and the
    verification page the comment's code: a valid address may be markup."""
    site_settings = ConsultationSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.require_email_verification = True
    site_settings.save()
    case = Post({**corpus.everywhere(corpus.XSS[2]), "email": address})
    with django_capture_on_commit_callbacks(execute=True):
        response, sent = send_post(client, portal.consultation.url, case)
    assert accepted(response)
    comment = PublicComment.objects.get()
    assert comment.status == "unverified"
    payloads = markup_payloads([*sent, comment.email])

    receipt = client.get(response["Location"])
    assert escape(comment.email) in receipt.content.decode()
    assert_escaped(receipt.content, payloads, "receipt page, unverified")
    [message] = mailoutbox
    assert_plain_and_escaped_html(message, payloads, "verification email")
    assert message.to == [comment.email]
    [link] = re.findall(r"http://testserver(/policycomms/verify/[^/\s]+/)", message.body)
    with django_capture_on_commit_callbacks(execute=True):
        verified = client.get(link)
    assert verified.status_code == 200
    assert_escaped(verified.content, payloads, "verification page")
    assert len(mailoutbox) == 2  # the receipt, once verified
    assert comment.body in mailoutbox[1].body
    assert_plain_and_escaped_html(mailoutbox[1], payloads, "receipt email, once verified")


# --- CSRF and the form token: one rendered form, one comment ----------------------------


def csrf_form(client, portal):
    """Load the page as a browser does: the CSRF cookie and the form's hidden tokens."""
    page = client.get(portal.consultation.url)
    form = factories.soup_of(page).select_one("#comment-form form")
    return {
        name: form.select_one(f"input[name={name}]")["value"]
        for name in ("csrfmiddlewaretoken", "form_token")
    }


CSRF_CASES = {
    # id: (change to the browser's cookie, change to the posted token, accepted)
    "the page's own token": (None, None, True),
    "no token": (None, lambda token: None, False),
    "empty token": (None, lambda token: "", False),
    "no cookie": ("", None, False),
    "token of another cookie": ("A" * 32, None, False),
    "token of another length": (None, lambda token: token[:20], False),
    "token with bad characters": (None, lambda token: "<script>" * 8, False),
    "token in two values": (None, lambda token: [token, "x" * 64], False),
    "token of 100 kB": (None, lambda token: "a" * 100_000, False),
}


@pytest.mark.parametrize(("cookie", "change", "taken"), CSRF_CASES.values(), ids=CSRF_CASES)
def test_csrf(portal, settings, storage_dir, cookie, change, taken):
    settings.POLICYCOMMS_FORM_MIN_SECONDS = 0  # the page's own form token, posted at once
    client = Client(enforce_csrf_checks=True)
    tokens = csrf_form(client, portal)
    if cookie is not None:
        client.cookies[settings.CSRF_COOKIE_NAME] = cookie
    if change is not None:
        tokens["csrfmiddlewaretoken"] = change(tokens["csrfmiddlewaretoken"])
    posted = factories.comment_post_data(**tokens)
    response = client.post(portal.consultation.url, posted)
    assert accepted(response) is taken
    if not taken:
        assert response.status_code == 403
        assert_stored_nothing(storage_dir, [])


def post_with(client, portal, tokens, **data):
    return client.post(portal.consultation.url, factories.comment_post_data(**tokens, **data))


def test_one_rendered_form_sends_one_comment(portal, settings, english):
    """The CSRF token is per browser, not per form: the form token is what is used once."""
    settings.POLICYCOMMS_FORM_MIN_SECONDS = 0
    client = Client(enforce_csrf_checks=True)
    tokens = csrf_form(client, portal)
    assert accepted(post_with(client, portal, tokens, body=f"Ý kiến thứ nhất, {corpus.PAD}"))

    replay = f"Ý kiến thứ hai, gửi lại bằng cùng một biểu mẫu, {corpus.PAD}"
    response = post_with(client, portal, tokens, email="khac@example.vn", body=replay)

    assert response.status_code == 200
    assert PublicComment.objects.count() == 1
    form = response.context["comment_form"]
    assert form.spam_reason == "replayed"
    soup = factories.soup_of(response)
    assert (
        "This form has already been used to send a comment."
        in soup.select_one("#comment-form-errors").get_text()
    )
    assert soup.select_one("textarea[name=body]").get_text().strip() == replay
    fresh = soup.select_one("input[name=form_token]")["value"]
    assert fresh != tokens["form_token"]
    # With the fresh form token (and the same CSRF token) the second comment is taken.
    tokens["form_token"] = fresh
    assert accepted(post_with(client, portal, tokens, email="khac@example.vn", body=replay))
    assert PublicComment.objects.count() == 2


def test_the_same_comment_sent_again_with_a_used_form_gets_the_original_receipt(portal, settings):
    """A double click or the back button: the same person and text, the same form."""
    settings.POLICYCOMMS_FORM_MIN_SECONDS = 0
    client = Client(enforce_csrf_checks=True)
    tokens = csrf_form(client, portal)
    body = f"Ý kiến gửi hai lần, {corpus.PAD}"
    first = post_with(client, portal, tokens, body=body)
    again = post_with(client, portal, tokens, body=f"  {body.upper()} ")
    assert accepted(first) and accepted(again)
    assert PublicComment.objects.count() == 1
    codes = [
        factories.soup_of(client.get(r["Location"])).select_one(".pc-receipt-code").get_text()
        for r in (first, again)
    ]
    assert codes[0] == codes[1]


# --- Signed links: receipt, verification, "send the link again" -----------------------


def _links(cases):
    return [
        pytest.param(link, id=name, marks=[pytest.mark.xfail(strict=True, reason=link.xfail)])
        if link.xfail
        else pytest.param(link, id=name)
        for name, link in cases.items()
    ]


def hostile_comment(portal, **kwargs):
    """A stored comment whose every text is markup."""
    return factories.make_comment(
        portal.consultation,
        body=f"{corpus.XSS[2]} {corpus.PAD}",
        display_name=corpus.XSS[1],
        organisation_name=corpus.XSS[3],
        address=corpus.XSS[5],
        publish_name=True,
        **kwargs,
    )


def link_path(kind, token, suffix=""):
    return f"/policycomms/{kind}/{urllib.parse.quote(token, safe='')}/{suffix}"


def stored_markup(comment):
    return markup_payloads([comment.body, comment.display_name, comment.organisation_name])


@pytest.mark.parametrize("link", _links(corpus.RECEIPT_LINKS))
def test_receipt_link(portal, client, link):
    comment = hostile_comment(portal)
    response = client.get(link_path("receipt", link.make(comment)))
    assert response.status_code in link.allowed
    assert_escaped(response.content, stored_markup(comment), "receipt page")


@pytest.mark.parametrize("link", _links(corpus.RECEIPT_LINKS))
def test_resend_verification_link(portal, client, mailoutbox, link):
    comment = hostile_comment(portal, status="unverified")
    path = link_path("receipt", link.make(comment), "resend-verification/")
    assert client.get(path).status_code in (404, 405)  # 404: a token with a slash
    response = client.post(path)
    assert response.status_code in (303,) if link.allowed == (200,) else link.allowed
    if response.status_code != 303:
        assert not mailoutbox
    assert_escaped(response.content, stored_markup(comment), "resend verification")


@pytest.mark.parametrize("link", _links(corpus.VERIFY_LINKS))
def test_verification_link(portal, client, mailoutbox, link):
    comment = hostile_comment(portal, status="unverified")
    response = client.get(link_path("verify", link.make(comment)))
    assert response.status_code in link.allowed
    comment.refresh_from_db()
    assert comment.status == "unverified"
    assert not mailoutbox
    assert_escaped(response.content, stored_markup(comment), "verification page")


def test_the_real_verification_link_confirms_and_shows_markup_as_text(
    portal, client, mailoutbox, django_capture_on_commit_callbacks
):
    """The control case: the harness above would see a page that works."""
    comment = hostile_comment(portal, status="unverified")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(verification_path(comment))
    assert response.status_code == 200
    comment.refresh_from_db()
    assert comment.status != "unverified"
    assert comment.receipt_code in response.content.decode()
    assert_escaped(response.content, stored_markup(comment), "verification page")
    [message] = mailoutbox
    assert_plain_and_escaped_html(message, stored_markup(comment), "receipt email")
    assert comment.body in message.body


# --- Attachment download --------------------------------------------------------------


@pytest.fixture
def attachment(portal):
    comment = hostile_comment(portal)
    return factories.attach_file(comment, name=corpus.HOSTILE_NAMES["img onerror"])


@pytest.mark.parametrize("path", corpus.DOWNLOAD_PATHS.values(), ids=corpus.DOWNLOAD_PATHS)
@pytest.mark.parametrize("who", ["anonymous", "reader", "moderator"])
def test_download_path(portal, attachment, who, path):
    client = Client()
    if who != "anonymous":
        client.force_login(getattr(portal, who))
    response = client.get(f"/policycomms/attachments/{path(attachment)}")
    assert response.status_code in {"anonymous": (302, 404), "reader": (403, 404)}.get(who, (404,))
    if response.status_code == 302:
        assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("reader", 403), ("moderator", 200)]
)
def test_download_of_a_file_with_a_hostile_name(portal, attachment, who, status):
    client = Client()
    if who != "anonymous":
        client.force_login(getattr(portal, who))
    path = reverse("wagtail_policycomms:attachment_download", args=[attachment.pk])
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == status
        if status == 200:
            assert_safe_download(response, attachment)
        else:
            assert_escaped(response.content, [attachment.original_name], "refused download")


# --- Query strings of the public pages -------------------------------------------------


def query_values(query):
    return [value for __, value in urllib.parse.parse_qsl(query, keep_blank_values=True)]


def _index_queries():
    return [pytest.param(query, id=name) for name, query in corpus.INDEX_QUERIES.items()]


@pytest.mark.parametrize("query", _index_queries())
def test_index_query(portal, client, settings, query):
    settings.POLICYCOMMS_INDEX_PAGE_SIZE = 1  # two drafts: the page links keep the filters
    response = client.get(f"{portal.index.url}?{query}")
    assert response.status_code == 200
    assert_escaped(response.content, markup_payloads(query_values(query)), "index page")


@pytest.mark.parametrize(
    "query", corpus.CONSULTATION_QUERIES.values(), ids=corpus.CONSULTATION_QUERIES
)
def test_consultation_query(portal, client, settings, query):
    settings.POLICYCOMMS_COMMENTS_PAGE_SIZE = 1  # deep pages are keyset pages
    settings.POLICYCOMMS_COMMENTS_NUMBERED_PAGES = 1
    for n, payload in enumerate(corpus.XSS[:3]):
        factories.make_comment(
            portal.consultation, body=f"{payload} {corpus.PAD}", article_id="a1" if n else ""
        )
    response = client.get(f"{portal.consultation.url}?{query}")
    assert response.status_code == 200
    stored = [f"{payload} {corpus.PAD}" for payload in corpus.XSS[:3]]
    assert_escaped(
        response.content, markup_payloads([*query_values(query), *stored]), "consultation page"
    )
