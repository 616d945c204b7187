"""Helpers of the browser tests: labels through gettext, logging in, screenshots, axe-core."""

import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
IMAGES = ROOT / "docs" / "images"
AXE = ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = os.environ.get("POLICYCOMMS_SCREENSHOTS") == "1"
LANGUAGE = "vi"


def t(message, **values):
    """``message`` as the portal shows it in Vietnamese (Django's catalogue, Wagtail's too)."""
    from django.utils import translation

    with translation.override(LANGUAGE):
        text = translation.gettext(message)
    return text % values if values else text


def labelled(page, message):
    """The control whose whole label is ``message`` (translated), a colon allowed: the
    comment form's "Email" is also a word of the email-updates box's label."""
    return page.get_by_label(re.compile(rf"^{re.escape(t(message))}:?$"))


def url_of(page_model, portal):
    """The public URL of a Wagtail page on the live server."""
    return portal.url + page_model.get_url()


def log_in(page, username, password):
    """Through Wagtail's own login form, as a person does."""
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form").get_by_role("button").last.click()
    page.wait_for_url(lambda url: "/admin/login/" not in url)


def screenshot(page, name, *, full_page=False):
    """Save ``docs/images/<name>.png`` when ``POLICYCOMMS_SCREENSHOTS=1`` (``make screenshots``)."""
    if SCREENSHOTS:
        IMAGES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(IMAGES / f"{name}.png"), full_page=full_page)


def axe_violations(page):
    """axe-core's violations on the page as it is now (all rules of its default run)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: npm install --prefix .ci/node axe-core")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate("async () => (await axe.run(document)).violations")


def axe_report(page):
    """The violations as text, one line per violation (rule id, impact, the nodes' targets);
    empty when axe-core finds none."""
    lines = []
    for violation in axe_violations(page):
        targets = json.dumps([node["target"] for node in violation["nodes"]], ensure_ascii=False)
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}; {targets}")
    return "\n".join(lines)


def minimal_pdf():
    """A small, valid one-page PDF, written by hand (no PDF library needed)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        None,  # the content stream, below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = b"BT /F1 12 Tf 20 100 Td (Gop y kem theo) Tj ET"
    objects[3] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
