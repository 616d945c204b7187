"""Hostile input for ``test_attack_corpus``: what a bot, a scanner or a prankster sends.

Data only (and the few builders that make it): the payloads, each public POST and the
query strings and signed links of the public GET views. A value that is a function is
called with the case's context when the request is made (tokens are made then, not at
import). ``PCXSS`` marks every markup payload, so a rendered page can be searched for a
live element that carries it.
"""

import io
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta

from django.core import signing
from django.utils import timezone

from tests import factories
from wagtail_policycomms.antispam import CAPTCHA_SALT, FORM_SALT, Captcha, make_form_token

PCXSS = "pcxss"

#: What comments say around a payload, so the body is long enough to be taken.
PAD = "góp ý về dự thảo, đề nghị xem xét."

ACCEPTED, REFUSED, EITHER = "accepted", "refused", "either"

# --- Payloads -------------------------------------------------------------------------

#: Markup that runs script if a page prints it unescaped (each at most 200 characters,
#: the shortest field limit they are put in).
XSS = [
    "<script>alert(1)</script>",
    f"<script>alert('{PCXSS}')</script>",
    f'"><img src=x onerror=alert("{PCXSS}")>',
    f"'><svg onload=alert('{PCXSS}')>",
    f"javascript:alert('{PCXSS}')",
    f"<a href=\"javascript:alert('{PCXSS}')\">xem</a>",
    f"<iframe src=\"javascript:alert('{PCXSS}')\"></iframe>",
    f"</textarea><script>alert('{PCXSS}')</script>",
    f"</title><script>alert('{PCXSS}')</script>",
    f"</option></select><img src=x onerror=alert('{PCXSS}')>",
    f"<body onload=alert('{PCXSS}')>",
    f"<ScRiPt>alert('{PCXSS}')</sCrIpT>",
    f"<scr<script>ipt>alert('{PCXSS}')</script>",
    f"<svg><script>alert&#40;'{PCXSS}'&#41;</script></svg>",
    f"&lt;script&gt;alert('{PCXSS}')&lt;/script&gt;",
    f"<img src=x onerror=&#97;lert('{PCXSS}')>",
    f"<math><mtext><table><mglyph><style><img src=x onerror=alert('{PCXSS}')>",
    f"\" autofocus onfocus=alert('{PCXSS}') x=\"",
    f"' autofocus onfocus=alert('{PCXSS}') x='",
    f"<!--<img src=\"--><img src=x onerror=alert('{PCXSS}')//\">",
    f"<style>@import 'javascript:alert(\"{PCXSS}\")';</style>",
    f'<meta http-equiv="refresh" content="0;url=javascript:alert(\'{PCXSS}\')">',
    f'<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">{PCXSS}</object>',
    f"{{{{ request.META }}}}{{% debug %}}{PCXSS}",
    f"${{7*7}}#{{7*7}}<%= 7*7 %>{PCXSS}",
    f"\uff1cscript\uff1ealert('{PCXSS}')\uff1c/script\uff1e",
    f'<form action="https://evil.example/"><button>{PCXSS}</button></form>',
    f'<base href="https://evil.example/">{PCXSS}',
    f"]]><![CDATA[<script>alert('{PCXSS}')</script>",
    f"%3Cscript%3Ealert('{PCXSS}')%3C/script%3E",
    f"<a href=\"&#x6A;avascript:alert('{PCXSS}')\">xem</a>",
    f"<x onclick=alert('{PCXSS}')>bấm",
    f"<img src=\"x` `<script>alert('{PCXSS}')</script>\"` `>",
    f'<a href="#" style="background:url(javascript:alert(\'{PCXSS}\'))">{PCXSS}</a>',
]

#: A markup payload that fits the phone field (50 characters).
SHORT_XSS = f"\"><svg onload=alert('{PCXSS}')>"

#: SQL, LIKE and full-text search metacharacters.
SQL = [
    "' OR '1'='1",
    "'; DROP TABLE wagtail_policycomms_publiccomment; --",
    '" OR 1=1 --',
    "1; SELECT pg_sleep(10); --",
    "%' UNION SELECT username, password FROM auth_user --",
    "\\'; --",
    "%_%\\%",
    "') OR ('a'='a",
]

#: Search syntax of the full-text backends (SQLite FTS5, PostgreSQL tsquery).
SEARCH_SYNTAX = [
    '"unbalanced',
    "NEAR(a b",
    "a AND OR NOT b",
    "*",
    "-",
    "a:* & !b | (c",
    "^col:term",
    "((((((((((",
    "\\",
    "!",
]

#: Unicode that is odd, invisible, reversed or malformed (as far as UTF-8 can carry it).
UNICODE = {
    "rtl override": "Ý kiến \u202eđảo ngược\u202c về dự thảo.",
    "rtl isolate": "Ý kiến \u2067ngược\u2069 về dự thảo.",
    "zero width": "Ý\u200b kiến\u200c về\u200d dự\ufeff thảo\u2060.",
    "combining flood": "Z" + "\u0336\u0337\u0338" * 300 + " góp ý dự thảo.",
    "emoji zwj": "Gia đình 👨\u200d👩\u200d👧\u200d👦 góp ý 👍🏽 dự thảo.",
    "nfd": "Nguye\u0302\u0303n Va\u0306n An góp ý dự thảo.",
    "line separators": "Dòng một\u2028dòng hai\u2029dòng ba, góp ý.",
    "noncharacters": "Ý kiến \ufffe\uffff\U0001fffe về dự thảo.",
    "private use": "Ý kiến \ue000\uf8ff\U000f0000 về dự thảo.",
    "astral": "Ý kiến 𝔊𝔬𝔭 𝔶 \U0010fffd về dự thảo.",
    "homoglyphs": "аdmіn góp ý dự thảo (Cyrillic а, і).",
    "control characters": "Ý kiến\x01\x07\x08\x1b[31m đỏ\x1b[0m\x7f về dự thảo.",
    "c1 controls": "Ý kiến \x85\x9b31m\x9c về dự thảo.",
    "line endings": "Dòng một\r\ndòng hai\rdòng ba\x0bdòng bốn\x0cdòng năm.",
    "tabs": "Cột\tcột\t\tcột, góp ý dự thảo.",
    "replacement char": "Ý kiến \ufffd\ufffd về dự thảo.",
    "vietnamese tones": "Đề nghị: Ưu đãi cho hộ kinh doanh ở Văn Lâm, Mỹ Hào, Khoái Châu.",
}

#: NUL bytes cannot be stored by PostgreSQL: each is removed or refused, never a 500.
NUL = {
    "nul in body": {"body": f"Ý kiến\x00 {PAD}"},
    "nul in name": {"display_name": "Nguyễn\x00 An"},
    "nul in organisation": {"commenter_type": "business", "organisation_name": "Công ty\x00 A"},
    "nul in phone": {"phone": "0912\x00345678"},
    "nul in address": {"address": "Số 5\x00 phố Hiến"},
    "nul in email": {"email": "an\x00@example.vn"},
    "nul in article": {"article": "a1\x00"},
    "nul in commenter type": {"commenter_type": "individual\x00"},
    "nul in token": {"form_token": lambda ctx: make_form_token(ago(10)) + "\x00"},
    "only nul body": {"body": "\x00" * 20},
}

#: One past each field's limit, and far past it.
OVERLONG = {
    "name 201": {"display_name": "A" * 201},
    "organisation 256": {"commenter_type": "business", "organisation_name": "B" * 256},
    "email 255": {"email": "a" * 244 + "@example.vn"},
    "phone 51": {"phone": "0" * 51},
    "address 501": {"address": "Đ" * 501},
    "body 5001": {"body": "Ý" * 5001},
    "body 1 MB": {"body": "x" * (1024 * 1024)},
    "article 10 kB": {"article": "a" * 10_000},
    "commenter type 10 kB": {"commenter_type": "i" * 10_000},
    "honeypot 100 kB": {"website": "h" * 100_000},
    "token 100 kB": {"form_token": "t" * 100_000},
}


# --- Building requests ----------------------------------------------------------------


def ago(seconds):
    return timezone.now() - timedelta(seconds=seconds)


def everywhere(payload):
    """``payload`` in every free-text field at once (a short one in the phone field)."""
    return {
        "commenter_type": "organisation",
        "display_name": payload,
        "organisation_name": payload,
        "phone": payload if len(payload) <= 50 else SHORT_XSS,
        "address": payload,
        "body": f"{payload} {PAD}",
    }


def multipart(fields, files=(), boundary="pc-boundary-7MA4YWxk"):
    """A multipart/form-data body written by hand, so names and bytes go out exactly as
    given (Django's test client would take the base name of a file name first).

    ``fields``: (name, str or bytes); ``files``: (name, filename, bytes, content type).
    """
    out = io.BytesIO()
    for name, value in fields:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value if isinstance(value, bytes) else str(value).encode())
        out.write(b"\r\n")
    for name, filename, content, content_type in files:
        filename = filename if isinstance(filename, bytes) else filename.encode()
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '.encode())
        out.write(b'filename="' + filename + b'"\r\n')
        out.write(f"Content-Type: {content_type}\r\n\r\n".encode())
        out.write(content)
        out.write(b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue()


MULTIPART = "multipart/form-data; boundary=pc-boundary-7MA4YWxk"


def comment_fields(**overrides):
    """A valid comment's fields, as (name, value) pairs for ``multipart``."""
    data = factories.comment_post_data(**overrides)
    return list(data.items())


# --- Files ----------------------------------------------------------------------------

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 46 + b"PE\x00\x00" * 8
HTML = f"<!DOCTYPE html><html><body><script>alert('{PCXSS}')</script></body></html>".encode()
SVG = f'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(\'{PCXSS}\')"/>'.encode()
POLYGLOT = f"%PDF-1.4\n<html><script>alert('{PCXSS}')</script></html>\n%%EOF\n".encode()


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def pdf(name):
    return (name, factories.pdf_bytes(), "application/pdf")


#: File names that are markup or paths: the file is a real PDF and is taken; the name is
#: shown on the receipt, in the queue and sent back in the download's header.
HOSTILE_NAMES = {
    "img onerror": f"<img src=x onerror=alert('{PCXSS}')>.pdf",
    "attribute breakout": f"\"><svg onload=alert('{PCXSS}')>.pdf",
    "script with slash": f"<script>alert('{PCXSS}')</script>.pdf",
    "javascript scheme": f"javascript:alert('{PCXSS}').pdf",
    "quotes and semicolons": "'; DROP TABLE x; --\".pdf",
    "path traversal": "../../../../etc/passwd.pdf",
    "windows path": "..\\..\\Windows\\System32\\evil.pdf",
    "rtl override": "hoa-don\u202eexe.pdf",
    "zero width": "du\u200b-thao\ufeff.pdf",
    "crlf": "a\r\nContent-Type: text/html\r\n\r\n<b>x</b>.pdf",
    "nul": "evil.pdf\x00.exe",
    "vietnamese and markup": "Góp ý — <b>dự thảo</b>.pdf",
    "very long": "ý" * 1000 + ".pdf",
    "only an extension": ".pdf",
    "uppercase extension": "GOP-Y.PDF",
}

#: Content that is not what its name says, or not a document at all: always refused.
DISGUISED = {
    "exe renamed pdf": ("bao-cao.pdf", EXE, "application/pdf"),
    "exe with double extension": ("bao-cao.pdf.exe", EXE, "application/octet-stream"),
    "exe renamed docx": ("bao-cao.docx", EXE, "application/octet-stream"),
    "html renamed pdf": ("bao-cao.pdf", HTML, "application/pdf"),
    "html": ("bao-cao.html", HTML, "text/html"),
    "svg renamed png": ("anh.png", SVG, "image/png"),
    "svg": ("anh.svg", SVG, "image/svg+xml"),
    "png renamed pdf": ("anh.pdf", factories.png_bytes(), "application/pdf"),
    "pdf renamed html": ("bao-cao.html", factories.pdf_bytes(), "text/html"),
    "rtl override hides exe": ("hoa-don\u202efdp.exe", EXE, "application/pdf"),
    "zip renamed docx": ("bao-cao.docx", zip_bytes({"a.txt": "x"}), "application/zip"),
    "truncated zip renamed docx": ("bao-cao.docx", b"PK\x03\x04" + b"\x00" * 40, "application/zip"),
    "docx and xlsx at once": (
        "bao-cao.docx",
        zip_bytes({"[Content_Types].xml": "x", "word/document.xml": "x", "xl/workbook.xml": "x"}),
        "application/zip",
    ),
    "broken ole renamed doc": (
        "bao-cao.doc",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 600,
        "application/msword",
    ),
    "empty pdf": ("rong.pdf", b"", "application/pdf"),
    "no extension": ("bao-cao", factories.pdf_bytes(), "application/pdf"),
}


# --- Form and question tokens ---------------------------------------------------------


def _aged_token(hours):
    return lambda ctx: make_form_token(timezone.now() - timedelta(hours=hours))


#: Form tokens that must never let a comment in.
BAD_FORM_TOKENS = {
    "missing": None,
    "empty": "",
    "random": "dGhpcyBpcyBub3QgYSB0b2tlbg",
    "random with colons": "a:b:c",
    "sql": "' OR '1'='1",
    "markup": f"\"><script>alert('{PCXSS}')</script>",
    "another salt": lambda ctx: signing.TimestampSigner(salt="another.salt").sign("x"),
    "another key": lambda ctx: signing.TimestampSigner(key="not-our-key", salt=FORM_SALT).sign("x"),
    "legacy value signed by another key": lambda ctx: signing.TimestampSigner(
        key="not-our-key", salt=FORM_SALT
    ).sign("t"),
    "question token": lambda ctx: Captcha.new(ago(10)).token,
    "expired": _aged_token(25),
    "too fast": lambda ctx: make_form_token(),
    "dated in the future": lambda ctx: make_form_token(timezone.now() + timedelta(hours=1)),
    "signature cut": lambda ctx: make_form_token(ago(10))[:-3],
    "timestamp edited": lambda ctx: _restamp(make_form_token(ago(10))),
    "unicode": "tôken:ý:ữ",
    "two values, last bad": lambda ctx: [make_form_token(ago(10)), "bad"],
}


def _restamp(token):
    value, stamp, signature = token.split(":")
    return f"{value}:{signing.b62_encode(signing.b62_decode(stamp) - 600)}:{signature}"


def _question(ctx):
    if "captcha" not in ctx:
        ctx["captcha"] = Captcha.new(ago(10))
    return ctx["captcha"]


def right_answer(ctx):
    captcha = _question(ctx)
    return str(captcha.a + captcha.b)


def question_token(ctx):
    return _question(ctx).token


#: The arithmetic question (POLICYCOMMS_CAPTCHA on): every bad answer or token.
CAPTCHA_CASES = {
    "right answer": ({}, ACCEPTED),
    "missing answer": ({"captcha_answer": None}, REFUSED),
    "wrong answer": ({"captcha_answer": lambda ctx: str(int(right_answer(ctx)) + 1)}, REFUSED),
    "answer with a sign": ({"captcha_answer": lambda ctx: "+" + right_answer(ctx)}, REFUSED),
    "answer as words": ({"captcha_answer": "mười"}, REFUSED),
    "arabic-indic digits": ({"captcha_answer": "١٠"}, REFUSED),
    "huge answer": ({"captcha_answer": "9" * 5000}, REFUSED),
    "sql answer": ({"captcha_answer": "1 OR 1=1"}, REFUSED),
    "markup answer": ({"captcha_answer": SHORT_XSS}, REFUSED),
    "missing question": ({"captcha_token": None}, REFUSED),
    "random question": ({"captcha_token": "1.1.x:abc:def", "captcha_answer": "2"}, REFUSED),
    "form token as question": (
        {"captcha_token": lambda ctx: make_form_token(ago(10)), "captcha_answer": "2"},
        REFUSED,
    ),
    "question signed by another key": (
        {
            "captcha_token": lambda ctx: signing.TimestampSigner(
                key="not-our-key", salt=CAPTCHA_SALT
            ).sign("1.1.nonce"),
            "captcha_answer": "2",
        },
        REFUSED,
    ),
    "expired question": (
        {
            "captcha_token": lambda ctx: Captcha.new(ago(25 * 3600)).token,
            "captcha_answer": lambda ctx: "x",
        },
        REFUSED,
    ),
    "two answers": ({"captcha_answer": lambda ctx: ["0", right_answer(ctx)]}, EITHER),
}


# --- Choices and boxes ----------------------------------------------------------------

CHOICES = {
    "article unknown": ({"article": "no-such-article"}, REFUSED),
    "article markup": ({"article": SHORT_XSS}, REFUSED),
    "article sql": ({"article": "a1' OR '1'='1"}, REFUSED),
    "article path": ({"article": "../a1"}, REFUSED),
    "article two values": ({"article": ["a1", "a2"]}, EITHER),
    "article of another draft": ({"article": "dieu-1"}, REFUSED),
    "article unicode": ({"article": "a\u0301"}, REFUSED),
    "article real": ({"article": "a2"}, ACCEPTED),
    "commenter type unknown": ({"commenter_type": "admin"}, REFUSED),
    "commenter type empty": ({"commenter_type": ""}, REFUSED),
    "commenter type missing": ({"commenter_type": None}, REFUSED),
    "commenter type markup": ({"commenter_type": SHORT_XSS}, REFUSED),
    "commenter type case": ({"commenter_type": "INDIVIDUAL"}, REFUSED),
    "organisation without a name": (
        {"commenter_type": "business", "organisation_name": ""},
        REFUSED,
    ),
    "consent missing": ({"consent": None}, REFUSED),
    "consent false": ({"consent": "false"}, REFUSED),
    "consent zero": ({"consent": "0"}, EITHER),  # Django's checkbox: only "false" is False
    "consent empty": ({"consent": ""}, REFUSED),
    "consent markup": ({"consent": SHORT_XSS}, EITHER),
    "publish name odd": ({"publish_name": "maybe"}, EITHER),
    "publish name two values": ({"publish_name": ["on", "false"]}, EITHER),
    "honeypot url": ({"website": "http://spam.example"}, REFUSED),
    "honeypot markup": ({"website": SHORT_XSS}, REFUSED),
    "honeypot two values": ({"website": ["", "x"]}, REFUSED),
    "honeypot spaces": ({"website": "   "}, EITHER),
    "email markup": ({"email": f"<script>alert('{PCXSS}')</script>@example.vn"}, REFUSED),
    "email header injection": ({"email": "an@example.vn\r\nBcc: victim@example.vn"}, REFUSED),
    "email two addresses": ({"email": "an@example.vn, victim@example.vn"}, REFUSED),
    "email missing": ({"email": None}, REFUSED),
    "email idn": ({"email": "an@ví-dụ.vn"}, EITHER),
    "email local part of 65": ({"email": "a" * 65 + "@example.vn"}, EITHER),
    "body empty": ({"body": ""}, REFUSED),
    "body spaces": ({"body": " \t\r\n " * 10}, REFUSED),
    "body invisible": ({"body": "\u200b\u200c\u200d\u2060\ufeff" * 5}, REFUSED),
    "body too short": ({"body": "<b>x</b>"}, REFUSED),
    "body missing": ({"body": None}, REFUSED),
    "unknown extra fields": (
        {"status": "approved", "receipt_code": "X", "is_staff": "1"},
        ACCEPTED,
    ),
}

#: Emails that are valid addresses yet carry markup (a quoted local part): shown on the
#: receipt page and to moderators, and the receipt is sent to them.
MARKUP_EMAILS = [
    f"\"<svg/onload=alert('{PCXSS}')>\"@example.vn",
    f"\"<script>alert('{PCXSS}')</script>\"@example.vn",
    "\"'OR'1'='1\"@example.vn",
]


# --- Public GET views -----------------------------------------------------------------

#: Query strings of the index page (filters, search and page number).
INDEX_QUERIES = {
    "page negative": "page=-1",
    "page zero": "page=0",
    "page huge": "page=99999999999999999999999",
    "page text": "page=abc",
    "page float": "page=1.5",
    "page exponent": "page=1e9",
    "page two values": "page=1&page=abc",
    "page markup": "page=%3Cscript%3E",
    "status unknown": "status=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
    "status two values": "status=open&status=closed",
    "sector text": "sector=abc",
    "sector negative": "sector=-1",
    "sector huge": "sector=99999999999999999999999",
    "sector sql": "sector=1%20OR%201=1",
    "unit huge": "unit=9223372036854775808",
    "unit two values": "unit=1&unit=2",
    "topic path": "topic=../../etc",
    "topic markup": "topic=%3Cimg%20src=x%20onerror=alert(1)%3E",
    "search markup": "q=%3Cscript%3Ealert(%27pcxss%27)%3C/script%3E",
    "search attribute breakout": "q=%22%3E%3Csvg%20onload=alert(%27pcxss%27)%3E",
    "search overlong": "q=" + "a" * 10_000,
    "search nul": "q=a%00b",
    "search invalid utf-8": "q=%FF%FE%C0%AF",
    "search percent": "q=%25",
    "every filter bad": "q=x&status=x&sector=x&unit=x&topic=x&page=x",
}
INDEX_QUERIES |= {f"search sql {n}": f"q={value}" for n, value in enumerate(SQL)}
#: Wagtail's SQLite full-text backend passes a double quote into FTS5's MATCH unescaped:
#: an OperationalError, a 500 (wagtail/wagtail#13227).
INDEX_QUERIES |= {f"search syntax {n}": f"q={value}" for n, value in enumerate(SEARCH_SYNTAX)}

#: Query strings of the consultation page (comment pages, keyset cursors, article filter).
CONSULTATION_QUERIES = {
    "cpage negative": "cpage=-1",
    "cpage zero": "cpage=0",
    "cpage huge": "cpage=99999999999999999999999",
    "cpage text": "cpage=abc",
    "cpage two values": "cpage=2&cpage=x",
    "before text": "before=abc",
    "before negative": "before=-1.-1",
    "before huge": "before=99999999999999999.999999999999999999",
    "before overflow": "before=" + "9" * 40 + "." + "9" * 40,
    "before zero": "before=0.0",
    "before missing id": "before=1700000000000000.",
    "before sql": "before=1.1%27%20OR%20%271%27=%271",
    "after huge": "after=99999999999999999.999999999999999999",
    "after and before": "after=1.1&before=2.2",
    "after markup": "after=%3Cscript%3E",
    "article markup": "article=%22%3E%3Cscript%3Ealert(%27pcxss%27)%3C/script%3E",
    "article unknown": "article=no-such",
    "article two values": "article=a1&article=a2",
    "article and deep cursor": "article=a1&before=99999999999999999.1",
    "comment on markup": "comment_on=%22%3E%3Cscript%3Ealert(%27pcxss%27)%3C/script%3E",
    "comment on overlong": "comment_on=" + "a" * 10_000,
    "invalid utf-8": "article=%FF%FE&cpage=%C0%AF",
    "everything bad": "cpage=x&before=x&after=x&article=x&comment_on=x",
}

#: Salts of the package's signed links.
RECEIPT_SALT = "wagtail_policycomms.receipt"
VERIFY_SALT = "wagtail_policycomms.verify"


@dataclass(frozen=True)
class Link:
    """A receipt or verification token made for a stored comment: ``make(comment)``."""

    make: object
    #: Status codes that are right: refused links are a 404 (or 410 once expired).
    allowed: tuple = (404,)
    #: Set when the view still fails on this link (a strict xfail, for the lead to flip).
    xfail: str = ""
    extra: dict = field(default_factory=dict)


def _signed(payload, salt, *, key=None, compress=False, at=None):
    signer = signing.TimestampSigner(key=key, salt=salt)
    if at is None:
        return signing.dumps(payload, key=key, salt=salt, compress=compress)
    # A token dated ``at``: TimestampSigner reads the clock in ``timestamp()``.
    signer.timestamp = lambda: signing.b62_encode(int(at.timestamp()))
    return signer.sign_object(payload, compress=compress)


def _raw_signed(value, salt):
    """A validly signed token whose value is not what ``signing.dumps`` writes."""
    return signing.TimestampSigner(salt=salt).sign(value)


def _in(hours):
    return timezone.now() + timedelta(hours=hours)


#: Receipt links (``/policycomms/receipt/<token>/``) for a stored comment ``c``.
RECEIPT_LINKS = {
    "the real link": Link(lambda c: _signed({"c": c.pk}, RECEIPT_SALT, compress=True), (200,)),
    "random": Link(lambda c: "not-a-token"),
    "random base64": Link(lambda c: "eyJjIjoxfQ"),
    "random in three parts": Link(lambda c: "eyJjIjoxfQ:1abcde:xyz"),
    "markup": Link(lambda c: f"<script>alert('{PCXSS}')</script>"),
    "sql": Link(lambda c: "1' OR '1'='1"),
    "unicode": Link(lambda c: "biên-nhận-ý"),
    "nul": Link(lambda c: "a\x00b"),
    "dot dot": Link(lambda c: ".."),
    "overlong": Link(lambda c: "a" * 10_000),
    "the verification link's token": Link(lambda c: _signed({"c": c.pk, "h": "x"}, VERIFY_SALT)),
    "another salt": Link(lambda c: _signed({"c": c.pk}, "another.salt")),
    "another key": Link(lambda c: _signed({"c": c.pk}, RECEIPT_SALT, key="not-our-key")),
    "signature cut": Link(lambda c: _signed({"c": c.pk}, RECEIPT_SALT)[:-4]),
    "expired": Link(lambda c: _signed({"c": c.pk}, RECEIPT_SALT, at=_in(-25)), (410,)),
    "dated in the future": Link(lambda c: _signed({"c": c.pk}, RECEIPT_SALT, at=_in(48))),
    "no such comment": Link(lambda c: _signed({"c": c.pk + 1000}, RECEIPT_SALT)),
    "id as text": Link(lambda c: _signed({"c": "abc"}, RECEIPT_SALT)),
    "id as sql": Link(lambda c: _signed({"c": "1 OR 1=1"}, RECEIPT_SALT)),
    "id as digits in a string": Link(lambda c: _signed({"c": str(c.pk)}, RECEIPT_SALT)),
    "id as a float": Link(lambda c: _signed({"c": c.pk + 0.5}, RECEIPT_SALT)),
    "id as true": Link(lambda c: _signed({"c": True}, RECEIPT_SALT)),
    "id as a list": Link(lambda c: _signed({"c": [c.pk]}, RECEIPT_SALT)),
    "id as an object": Link(lambda c: _signed({"c": {"pk": c.pk}}, RECEIPT_SALT)),
    "id null": Link(lambda c: _signed({"c": None}, RECEIPT_SALT)),
    "id negative": Link(lambda c: _signed({"c": -1}, RECEIPT_SALT)),
    "id beyond 64 bits": Link(lambda c: _signed({"c": 10**30}, RECEIPT_SALT)),
    "no id": Link(lambda c: _signed({}, RECEIPT_SALT)),
    "payload a list": Link(lambda c: _signed([c.pk], RECEIPT_SALT)),
    "payload a string": Link(lambda c: _signed("abc", RECEIPT_SALT)),
    "payload a number": Link(lambda c: _signed(c.pk, RECEIPT_SALT)),
    "payload not json": Link(lambda c: _raw_signed("bm90IGpzb24", RECEIPT_SALT)),
    "payload not base64": Link(lambda c: _raw_signed("!!!~~~", RECEIPT_SALT)),
    "payload not compressed": Link(lambda c: _raw_signed(".bm90IHpsaWI", RECEIPT_SALT)),
}

#: Verification links (``/policycomms/verify/<token>/``) for a stored, unverified ``c``.
VERIFY_LINKS = {
    "random": Link(lambda c: "not-a-token"),
    "markup": Link(lambda c: f"\"><svg onload=alert('{PCXSS}')>"),
    "overlong": Link(lambda c: "v" * 10_000),
    "the receipt link's token": Link(lambda c: _signed({"c": c.pk}, RECEIPT_SALT)),
    "another key": Link(lambda c: _signed({"c": c.pk, "h": "x"}, VERIFY_SALT, key="not-our-key")),
    "expired": Link(lambda c: _signed({"c": c.pk, "h": "x"}, VERIFY_SALT, at=_in(-73)), (410,)),
    "dated in the future": Link(lambda c: _signed({"c": c.pk, "h": "x"}, VERIFY_SALT, at=_in(48))),
    "wrong email digest": Link(lambda c: _signed({"c": c.pk, "h": "0" * 20}, VERIFY_SALT)),
    "no email digest": Link(lambda c: _signed({"c": c.pk}, VERIFY_SALT)),
    "email digest a list": Link(lambda c: _signed({"c": c.pk, "h": ["x"]}, VERIFY_SALT)),
    "email digest null": Link(lambda c: _signed({"c": c.pk, "h": None}, VERIFY_SALT)),
    "id as text": Link(lambda c: _signed({"c": "abc", "h": "x"}, VERIFY_SALT)),
    "id as a list": Link(lambda c: _signed({"c": [c.pk], "h": "x"}, VERIFY_SALT)),
    "id beyond 64 bits": Link(lambda c: _signed({"c": 10**30, "h": "x"}, VERIFY_SALT)),
    "payload a list": Link(lambda c: _signed([c.pk], VERIFY_SALT)),
    "payload a string": Link(lambda c: _signed("abc", VERIFY_SALT)),
    "payload not compressed": Link(lambda c: _raw_signed(".bm90IHpsaWI", VERIFY_SALT)),
}

#: Attachment download paths (``/policycomms/attachments/<pk>/``), for an attachment ``a``.
DOWNLOAD_PATHS = {
    "no such attachment": lambda a: f"{a.pk + 1000}/",
    "pk beyond 64 bits": lambda a: "99999999999999999999999/",
    "pk negative": lambda a: "-1/",
    "pk text": lambda a: "abc/",
    "pk float": lambda a: "1.5/",
    "pk with a path": lambda a: f"{a.pk}/../{a.pk}/",
    "pk with nul": lambda a: f"{a.pk}%00/",
    "pk markup": lambda a: "%3Cscript%3E/",
}
