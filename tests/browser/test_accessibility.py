"""axe-core on every state of the public pages: no violation of any of its default rules."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import axe_report, labelled, screenshot, t
from wagtail_policycomms.models import DraftPolicyPage, PublicComment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_public_pages_have_no_axe_violations(page, portal):
    # The check can fail: an image without a text alternative is a violation.
    page.set_content(
        '<!doctype html><html lang="vi"><title>x</title><main><img src="x.png"></main>'
    )
    assert "image-alt" in axe_report(page)

    found = {}

    def check(state):
        violations = axe_report(page)
        if violations:
            found[state] = {"url": page.url, "violations": violations}

    page.goto(portal.index.get_url())
    check("index")

    page.goto(portal.open.draft_policy.get_url())
    check("draft policy")

    page.goto(portal.upcoming.get_url())
    check("consultation upcoming")

    closed = portal.closed
    assert PublicComment.objects.published().filter(consultation=closed).exists()
    page.goto(closed.get_url())
    check("consultation closed, with published comments")

    # Its outcome page, published by the demo's moderator: charts and their tables.
    page.goto(f"{closed.get_url()}outcome/")
    expect(page.locator("figure.pc-chart svg[role=img]").first).to_be_visible()
    check("outcome of the consultation")

    # "What changed and why": the demo's draft revised between its two rounds.
    revised = DraftPolicyPage.objects.get(slug="nghi-quyet-ho-tro-khoi-nghiep-doi-moi-sang-tao")
    page.goto(f"{revised.get_url()}changes/")
    expect(page.locator("ins.pc-diff-ins").first).to_be_visible()
    check("what changed and why")

    page.goto(portal.open.get_url())
    screenshot(page, "consultation")
    check("consultation open, with its form")

    page.get_by_role("button", name=t("Send comment")).click()
    expect(page.get_by_role("alert")).to_be_visible()
    check("comment form with errors")

    labelled(page, "Email").fill("an.nguyen@example.vn")
    page.get_by_label(t("Your comment")).fill("Đề nghị làm rõ phạm vi điều chỉnh của dự thảo.")
    page.locator("#id_consent").check()
    page.get_by_role("button", name=t("Send comment")).click()
    expect(page.locator(".pc-receipt-code")).to_be_visible()
    check("receipt")

    assert not found, "axe-core violations:\n" + "\n".join(
        f"- {state} ({entry['url']}):\n{entry['violations']}" for state, entry in found.items()
    )
