"""A draft policy written by a drafting unit's editor and published through the review
workflow that ``policycomms_setup_groups`` sets up, on Wagtail's own editor and workflow
screens."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in, t
from wagtail_policycomms.models import ConsultationPage, DraftPolicyPage
from wagtail_policycomms.permissions import REVIEW_WORKFLOW

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Nghị quyết quy định hỗ trợ chuyển đổi số cho hợp tác xã trên địa bàn tỉnh"
UNIT = "Phòng Quản lý Công nghệ và Đổi mới sáng tạo"  # the editor's unit in the demo
ARTICLES = [
    ("Điều 1", "Phạm vi điều chỉnh", "Nghị quyết này quy định mức hỗ trợ chuyển đổi số."),
    ("Điều 2", "Đối tượng áp dụng", "Hợp tác xã, liên hiệp hợp tác xã trên địa bàn tỉnh."),
]


def choose_unit(page, field, unit):
    """A snippet chooser: open it, pick ``unit`` in the modal."""
    page.locator(f"[data-contentpath='{field}']").get_by_role(
        "button", name=t("Choose %(object)s", object=t("unit"))
    ).click()
    page.locator(".modal").get_by_role("link", name=unit, exact=True).click()
    expect(page.locator(f"[data-contentpath='{field}']")).to_contain_text(unit)


def add_article(page, index, number, heading, text):
    page.locator(".c-sf-add-button").last.click()
    page.locator(f"[name='body-{index}-value-number']").fill(number)
    page.locator(f"[name='body-{index}-value-heading']").fill(heading)
    editor = page.locator(f"#body-{index}-value-body + * [contenteditable='true']")
    editor.click()
    expect(editor).to_be_focused()
    page.keyboard.type(text)
    expect(editor).to_have_text(text)
    # Draftail writes its hidden input a moment after the typing: wait for it, as a person
    # who saves a second later does.
    expect(page.locator(f"#body-{index}-value-body")).to_have_value(re.compile(re.escape(text)))


def save_draft(page):
    page.get_by_role("button", name=t("Save draft")).click()
    expect(page.locator(".messages .success")).to_be_visible()


def submit_for_review(page):
    page.locator("footer, .footer").get_by_role("button", name=t("More actions")).click()
    page.get_by_role(
        "button", name=t("Submit to %(workflow_name)s", workflow_name=REVIEW_WORKFLOW)
    ).click()
    expect(page.locator(".messages .success")).to_be_visible()


def test_editor_submits_a_draft_and_the_reviewer_publishes_it(page, portal, settings):
    # Wagtail 8 autosaves the editor every half second; a test types faster than a person
    # and its "Save draft" can cross the first autosave of a new page, which then creates
    # the page twice. The explicit saves are what this scenario is about.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    # The drafting unit's editor writes the draft: metadata, then two articles.
    log_in(page, "bientap", portal.password)
    page.goto(f"/admin/pages/{portal.index.pk}/")
    page.get_by_role("link", name=t("Add child page")).first.click()
    page.locator("#id_title").fill(TITLE)
    choose_unit(page, "drafting_unit", UNIT)
    page.get_by_role("tab", name=t("Draft text")).click()
    for index, article in enumerate(ARTICLES):
        add_article(page, index, *article)
    save_draft(page)
    draft = DraftPolicyPage.objects.get(title=TITLE)
    assert not draft.live
    saved = draft.get_latest_revision_as_object().articles
    assert [(a.value["number"], a.value["heading"]) for a in saved] == [a[:2] for a in ARTICLES]
    assert [re.sub("<[^>]+>", "", a.value["body"].source) for a in saved] == [
        text for _, _, text in ARTICLES
    ]

    # Its consultation round, a child page, saved as a draft too.
    page.goto(f"/admin/pages/{draft.pk}/")
    page.get_by_role("link", name=t("Add child page")).first.click()
    page.locator("#id_title").fill("Lấy ý kiến về dự thảo Nghị quyết")
    page.locator("#id_opens_at").fill("01/03/2030 08:00")
    page.locator("#id_closes_at").fill("15/04/2030 17:00")
    choose_unit(page, "receiving_unit", UNIT)
    save_draft(page)
    consultation = ConsultationPage.objects.get(depth=draft.depth + 1, path__startswith=draft.path)

    # Both go to review: the editor may not publish in the section.
    for pk in (draft.pk, consultation.pk):
        page.goto(f"/admin/pages/{pk}/edit/")
        expect(page.get_by_role("button", name=t("Publish"))).to_have_count(0)
        submit_for_review(page)
    page.context.clear_cookies()

    # The reviewer approves both from the dashboard's "Awaiting your review".
    log_in(page, "kiemduyet", portal.password)
    for reviewed in (draft, consultation):
        page.goto("/admin/")
        row = page.locator("tr", has=page.get_by_role("link", name=reviewed.title, exact=True))
        row.get_by_role("button", name=t("Actions"), exact=True).click()
        with page.expect_navigation():  # the action posts, then the dashboard reloads
            row.get_by_role("button", name=t("Approve"), exact=True).click()
        reviewed.refresh_from_db()
        assert reviewed.live, f"{reviewed.title} was not published by the approval"

    page.goto(draft.get_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    for number, heading, _ in ARTICLES:
        expect(page.get_by_role("heading", name=re.compile(f"{number}. {heading}"))).to_be_visible()


def test_the_slug_follows_the_title_in_ascii_and_errors_on_other_tabs_are_listed(
    page, portal, settings
):
    """The editor's forms: an ASCII slug made as the title is typed, and a save refused for
    a field on another tab lists that field at the top, with a link that opens its tab."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    log_in(page, "bientap", portal.password)
    page.goto(f"/admin/pages/{portal.index.pk}/")
    page.get_by_role("link", name=t("Add child page")).first.click()
    title = page.locator("#id_title")
    title.click()
    page.keyboard.type("Lấy ý kiến Điều lệ Đề án")
    page.keyboard.press("Tab")  # leaving the title applies it to the slug
    expect(page.locator("#id_slug")).to_have_value("lay-y-kien-dieu-le-de-an")
    # The drafting unit (on the first tab) is left empty; the editor saves from another tab.
    page.get_by_role("tab", name=t("Draft text")).click()
    page.get_by_role("button", name=t("Save draft")).click()
    listed = page.locator("[data-pc-editor-errors] a")
    expect(listed.first).to_be_visible()
    unit_error = listed.filter(has_text=re.compile(re.escape(t("drafting unit")), re.I))
    expect(unit_error).to_have_count(1)
    assert not DraftPolicyPage.objects.filter(title__startswith="Lấy ý kiến").exists()
    page.get_by_role("tab", name=t("Draft text")).click()
    unit_error.click()
    chooser = page.locator("[data-contentpath='drafting_unit']")
    expect(chooser).to_be_visible()
    # What was typed is still there.
    expect(page.locator("#id_title")).to_have_value("Lấy ý kiến Điều lệ Đề án")
