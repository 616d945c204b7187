"""Our page types' slugs are ASCII, made from the title, in the browser and on saving;
errors on another tab of the page editor are listed at the top (page-editor.js).

The server side goes through Wagtail's own add and edit views; the browser's function is
run in Node against the server's on the same titles.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests import factories
from wagtail_policycomms.formats.text import ascii_slug
from wagtail_policycomms.models import ConsultationPage, DraftPolicyPage, PolicyIndexPage

PAGE_EDITOR_JS = (
    Path(__file__).resolve().parent.parent
    / "wagtail_policycomms/static/wagtail_policycomms/js/page-editor.js"
)

TITLES = {
    "Lấy ý kiến Điều lệ": "lay-y-kien-dieu-le",
    "Dự thảo Nghị quyết về học phí năm 2025": "du-thao-nghi-quyet-ve-hoc-phi-nam-2025",
    "ĐỒNG Ý — ưu đãi thuế, phí!!": "dong-y-uu-dai-thue-phi",
    "  Quy định   mức hỗ trợ  (sửa đổi) ": "quy-dinh-muc-ho-tro-sua-doi",
    "Ở ơ ư Ư ỹ Ỵ đ": "o-o-u-u-y-y-d",
    "Kế hoạch số 12/KH-SKHCN_2024": "ke-hoach-so-12kh-skhcn_2024",
    "日本語": "",
    "": "",
}


@pytest.mark.parametrize(("title", "slug"), TITLES.items())
def test_ascii_slug(title, slug):
    assert ascii_slug(title) == slug


def test_ascii_slug_is_cut_to_the_slug_field():
    assert len(ascii_slug("Điều " * 100)) <= 255
    assert not ascii_slug("Điều " * 100).endswith("-")


def test_the_editor_script_makes_the_same_slugs():
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("Node.js is not installed")
    titles = [*TITLES, "Điều " * 100, "a\u00a0b\u2003c", "Ｆｕｌｌ ｗｉｄｔｈ", "x--_y__"]
    script = (
        f"const {{asciiSlug}} = require({json.dumps(str(PAGE_EDITOR_JS))});"
        "let data = ''; process.stdin.on('data', c => data += c);"
        "process.stdin.on('end', () => console.log(JSON.stringify(JSON.parse(data).map(asciiSlug))));"
    )
    result = subprocess.run(  # noqa: S603 - our own script, on our own titles
        [node, "-e", script],
        input=json.dumps(titles),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert json.loads(result.stdout) == [ascii_slug(title) for title in titles]


# --- Saving through the admin ---------------------------------------------------------------


def add_url(model, parent):
    return reverse("wagtailadmin_pages:add", args=["wagtail_policycomms", model, parent.pk])


def draft_data(title="Lấy ý kiến Điều lệ", slug="", **extra):
    """What the page editor posts for a new draft: a title, the required unit, no slug."""
    data = {
        "title": title,
        "slug": slug,
        "document_type": "other",
        "drafting_unit": str(factories.make_unit().pk),
        "body": streamfield([]),
        "related_documents": inline_formset([]),
        "communication_log": inline_formset([]),
        **{name: rich_text("") for name in DraftPolicyPage.communication_sections},
    }
    data.update(extra)
    return nested_form_data(data)


def test_a_new_draft_saved_without_a_slug_gets_the_ascii_slug_of_its_title(index, editor_client):
    response = editor_client.post(add_url("draftpolicypage", index), draft_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert DraftPolicyPage.objects.get().slug == "lay-y-kien-dieu-le"

    # The same title again: made unique among the siblings, as Wagtail does.
    response = editor_client.post(add_url("draftpolicypage", index), draft_data())
    assert response.status_code == 302
    assert sorted(DraftPolicyPage.objects.values_list("slug", flat=True)) == [
        "lay-y-kien-dieu-le",
        "lay-y-kien-dieu-le-2",
    ]


def test_a_new_draft_published_without_a_slug(index, editor_client):
    data = {**draft_data(), "action-publish": "action-publish"}
    assert editor_client.post(add_url("draftpolicypage", index), data).status_code == 302
    draft = DraftPolicyPage.objects.get()
    assert draft.live and draft.slug == "lay-y-kien-dieu-le"
    assert draft.url.endswith("/lay-y-kien-dieu-le/")


def test_the_unicode_slug_wagtail_makes_becomes_ascii(index, editor_client, settings):
    # WAGTAIL_ALLOW_UNICODE_SLUGS (Wagtail's default): Wagtail's script posts this slug.
    settings.WAGTAIL_ALLOW_UNICODE_SLUGS = True
    data = draft_data(slug="lấy-ý-kiến-điều-lệ")
    assert editor_client.post(add_url("draftpolicypage", index), data).status_code == 302
    assert DraftPolicyPage.objects.get().slug == "lay-y-kien-dieu-le"


def test_a_slug_the_editor_typed_is_kept(index, editor_client):
    data = draft_data(slug="dieu-le-2025")
    assert editor_client.post(add_url("draftpolicypage", index), data).status_code == 302
    assert DraftPolicyPage.objects.get().slug == "dieu-le-2025"


def test_a_published_page_keeps_its_address(index, settings):
    """A page published with Wagtail's unicode slug (before this package made them ASCII)
    keeps it when it is edited again: its address is already known."""
    settings.WAGTAIL_ALLOW_UNICODE_SLUGS = True
    draft = factories.make_draft(index, title="Lấy ý kiến Điều lệ")
    DraftPolicyPage.objects.filter(pk=draft.pk).update(slug="lấy-ý-kiến-điều-lệ")
    draft.refresh_from_db()
    draft.summary = "Sửa lại."
    draft.save_revision().publish()
    draft.refresh_from_db()
    assert draft.slug == "lấy-ý-kiến-điều-lệ"

    # Not yet published: it follows the title in ASCII.
    unpublished = factories.make_draft(index, title="Lấy ý kiến Điều lệ", live=False)
    DraftPolicyPage.objects.filter(pk=unpublished.pk).update(slug="lấy-ý-kiến-điều-lệ-2")
    unpublished.refresh_from_db()
    unpublished.slug = "lấy-ý-kiến-điều-lệ"
    revision = unpublished.save_revision()
    assert revision.as_object().slug == "lay-y-kien-dieu-le"


def test_a_title_with_nothing_to_make_a_slug_of_asks_for_one(index, editor_client):
    response = editor_client.post(add_url("draftpolicypage", index), draft_data(title="???"))
    assert response.status_code == 200
    assert not DraftPolicyPage.objects.exists()
    soup = factories.soup_of(response)
    field = soup.select_one('[data-contentpath="slug"]')
    assert field.select_one("[data-field-errors] .error-message")


def test_every_page_type_gets_an_ascii_slug(home):
    index = home.add_child(instance=PolicyIndexPage(title="Dự thảo chính sách lấy ý kiến"))
    assert index.slug == "du-thao-chinh-sach-lay-y-kien"
    draft = factories.make_draft(index, title="Nghị quyết về đất đai", slug="")
    assert draft.slug == "nghi-quyet-ve-dat-dai"
    consultation = factories.make_round_with_status(draft, "open", title="Đợt 1", slug="")
    assert ConsultationPage.objects.get(pk=consultation.pk).slug == "dot-1"


def test_the_index_page_editor_saves_without_a_slug(home, editor_client):
    data = nested_form_data({"title": "Góp ý dự thảo", "slug": "", "intro": rich_text("")})
    response = editor_client.post(add_url("policyindexpage", home), data)
    assert response.status_code == 302
    assert PolicyIndexPage.objects.get().slug == "gop-y-du-thao"


def test_other_page_types_keep_wagtails_slugs(home, settings):
    from wagtail.models import Page

    settings.WAGTAIL_ALLOW_UNICODE_SLUGS = True
    page = home.add_child(instance=Page(title="Giới thiệu Sở"))
    assert page.slug == "giới-thiệu-sở"


# --- The editor's script, and errors on another tab -------------------------------------------


def test_the_editor_of_our_page_types_loads_the_script(index, draft, editor_client):
    for url in (
        add_url("draftpolicypage", index),
        reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        reverse("wagtailadmin_pages:edit", args=[index.pk]),
    ):
        response = editor_client.get(url)
        assert response.status_code == 200
        assert "wagtail_policycomms/js/page-editor.js" in response.content.decode()
    home = index.get_parent()
    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[home.pk]))
    assert "wagtail_policycomms/js/page-editor.js" not in response.content.decode()


def test_the_title_of_every_page_type_drives_the_slug_in_the_editor(index, draft, editor_client):
    """Wagtail's title-to-slug sync lives on the title's panel (TitleFieldPanel): a plain
    FieldPanel("title") left the draft's slug empty as the editor typed."""
    consultation = factories.make_consultation(
        draft, factories.hanoi(2026, 1, 1), factories.hanoi(2026, 2, 1)
    )
    for url in (
        add_url("draftpolicypage", index),
        reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        reverse("wagtailadmin_pages:edit", args=[index.pk]),
        reverse("wagtailadmin_pages:edit", args=[consultation.pk]),
    ):
        soup = factories.soup_of(editor_client.get(url))
        title = soup.select_one("input#id_title")
        assert "w-sync" in title.get("data-controller", ""), url
        assert "#id_slug" in title.get("data-w-sync-target-value", ""), url


def test_an_error_on_another_tab_is_announced_with_what_the_list_needs(index, editor_client):
    """The list is built in the browser from Wagtail's markup: the message at the top, the
    field's error inside its tab's panel, the tab's label, the field's label and id. This
    holds that markup to what page-editor.js reads (Wagtail 7.4 and 8)."""
    data = draft_data(slug="có dấu cách")  # a slug is on the Promote tab; this one is invalid
    response = editor_client.post(add_url("draftpolicypage", index), data)
    assert response.status_code == 200
    soup = factories.soup_of(response)
    assert soup.select_one(".messages li.error")
    assert soup.select_one("form[data-edit-form]")
    errors = soup.select_one('[data-contentpath="slug"] [data-field-errors]')
    assert errors.select_one(".error-message").get_text(strip=True)
    field = errors.find_parent(attrs={"data-field": True})
    field_input = field.select_one("[data-field-input] input[id], [data-field-input] select[id]")
    assert field_input["id"] == "id_slug"
    assert soup.select_one('label[for="id_slug"]').get_text(strip=True).startswith("Slug")
    panel = errors.find_parent(attrs={"role": "tabpanel"})
    tab = soup.select_one(f"#{panel['aria-labelledby']}")
    assert tab["role"] == "tab" and tab.get_text(strip=True).startswith("Promote")
    assert panel.has_attr("hidden")  # the first tab is shown, not this one
    # Only the slug is wrong: the page was not saved.
    assert not DraftPolicyPage.objects.exists()
