"""Restricted content (state secrets, "Mật"): nothing restricted reaches the public side.

Every public URL is walked and grepped for markers written in a restricted article, a
restricted document and a draft restricted as a whole; the page editor refuses to publish
a restricted draft; a restricted document's file is served only to those allowed;
restricting something on a live draft takes it off the public side when it is saved.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.search.backends import get_search_backend
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests import factories
from wagtail_policycomms.blocks import ArticleLabels
from wagtail_policycomms.models import (
    ConsultationPage,
    DraftPolicyDocument,
    DraftPolicyPage,
    PublicComment,
)
from wagtail_policycomms.permissions import VIEW_RESTRICTED, can_view_restricted
from wagtail_policycomms.restricted import is_restricted
from wagtail_policycomms.views.public import receipt_path

ARTICLE_MARK = "BIMATDIEU7Q"
DOCUMENT_MARK = "BIMATTAILIEU7Q"
DRAFT_MARK = "BIMATDUTHAO7Q"
MARKS = (ARTICLE_MARK, DOCUMENT_MARK, DRAFT_MARK)


def restricted_article(number, heading, text, block_id, classification="mat"):
    block = factories.article(number, heading, text, block_id=block_id)
    block["value"]["classification"] = classification
    return block


@pytest.fixture(autouse=True)
def document_files(settings, tmp_path):
    """Documents on disk, so Wagtail's serve view sends the file (200) as in production."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def sector(db):
    return factories.make_sector()


@pytest.fixture
def world(index, sector):
    """A live draft with a public and a restricted article, a public and a restricted
    document, an open and a closed round with published comments on both articles; and a
    draft restricted as a whole, with a round under it."""
    draft = factories.make_draft(
        index,
        sector=sector,
        articles=[
            factories.article("Điều 1", "Phạm vi điều chỉnh", block_id="pub1"),
            restricted_article(
                "Điều 2", f"Danh mục {ARTICLE_MARK}", f"<p>Nội dung {ARTICLE_MARK}</p>", "sec1"
            ),
        ],
    )
    public_doc = factories.make_document("Tờ trình công khai", "to-trinh.pdf")
    secret_doc = factories.make_document(f"Phụ lục {DOCUMENT_MARK}", "phu-luc.pdf")
    draft.related_documents.add(DraftPolicyDocument(document=public_doc, kind="memorandum"))
    draft.related_documents.add(
        DraftPolicyDocument(document=secret_doc, kind="other", classification="toi_mat")
    )
    draft.save_revision().publish()
    draft.refresh_from_db()

    open_round = factories.make_round_with_status(draft, "open")
    closed_round = factories.make_round_with_status(draft, "closed")
    comments = []
    for consultation in (open_round, closed_round):
        for article_id, heading in (
            ("pub1", "Điều 1. Phạm vi điều chỉnh"),
            ("sec1", f"Điều 2. Danh mục {ARTICLE_MARK}"),
        ):
            comments.append(
                factories.make_comment(consultation, article_id=article_id, article_heading=heading)
            )
    for comment in comments:
        factories.answer_comments(PublicComment.objects.filter(pk=comment.pk), published=True)

    secret_draft = factories.make_draft(
        index, title=f"Dự thảo {DRAFT_MARK}", classification="tuyet_mat", sector=sector
    )
    secret_round = factories.make_round_with_status(
        secret_draft, "open", title=f"Lấy ý kiến {DRAFT_MARK}"
    )
    return {
        "draft": draft,
        "open": open_round,
        "closed": closed_round,
        "comments": comments,
        "public_doc": public_doc,
        "secret_doc": secret_doc,
        "secret_draft": secret_draft,
        "secret_round": secret_round,
    }


def public_urls(world, sector):
    draft, open_round, closed_round = world["draft"], world["open"], world["closed"]
    rounds = (open_round, closed_round, world["secret_round"])
    urls = [
        "/",
        draft.get_parent().url,
        draft.url,
        open_round.url,
        closed_round.url,
        f"{open_round.url}?comment_on=sec1",
        f"{closed_round.url}?article=sec1",
        reverse("wagtail_policycomms:consultations_rss"),
        reverse("wagtail_policycomms:consultations_atom"),
        reverse("wagtail_policycomms:field_consultations_rss", args=[sector.pk]),
        reverse("wagtail_policycomms:field_consultations_atom", args=[sector.pk]),
        reverse("wagtail_policycomms:consultations_calendar"),
        "/api/v2/policies/",
        f"/api/v2/policies/{draft.pk}/",
        "/api/v2/consultations/",
        "/api/v2/comments/",
        reverse("wagtail_policycomms:consultation_comments_csv", args=[closed_round.pk]),
        reverse("wagtail_policycomms:consultation_comments_json", args=[closed_round.pk]),
    ]
    for consultation in rounds:
        urls += [
            f"/api/v2/consultations/{consultation.pk}/",
            f"/api/v2/comments/?consultation={consultation.pk}",
            reverse("wagtail_policycomms:comments_rss", args=[consultation.pk]),
            reverse("wagtail_policycomms:comments_atom", args=[consultation.pk]),
            reverse("wagtail_policycomms:consultation_calendar", args=[consultation.pk]),
        ]
    urls += [receipt_path(comment) for comment in world["comments"]]
    urls += [f"/api/v2/policies/{world['secret_draft'].pk}/", world["secret_round"].url or ""]
    return urls


def assert_nothing_restricted(client, urls, *, expect_ok=()):
    for url in urls:
        if not url:
            continue
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        for mark in MARKS:
            assert mark not in text, (url, mark)
        if url in expect_ok:
            assert response.status_code == 200, url


def test_every_public_url_leaves_restricted_content_out(client, world, sector):
    urls = public_urls(world, sector)
    draft, closed_round = world["draft"], world["closed"]
    ok = {
        draft.url,
        world["open"].url,
        closed_round.url,
        "/api/v2/policies/",
        "/api/v2/comments/",
        reverse("wagtail_policycomms:consultation_comments_csv", args=[closed_round.pk]),
        *(receipt_path(comment) for comment in world["comments"]),
    }
    assert_nothing_restricted(client, urls, expect_ok=ok)

    # The public parts are there: the test can fail.
    page = client.get(draft.url).content.decode()
    assert "Phạm vi điều chỉnh" in page
    assert "Tờ trình công khai" in page
    assert world["public_doc"].url in page
    assert world["secret_doc"].url not in page
    form = client.get(world["open"].url).content.decode()
    assert 'value="pub1"' in form
    assert 'value="sec1"' not in form
    # A comment on the restricted article reads as such, without its heading.
    listing = client.get("/api/v2/comments/", {"consultation": closed_round.pk}).json()
    labels = {item["article"]["id"]: item["article"]["label"] for item in listing["items"]}
    assert labels["sec1"] == "[Điều khoản mật]"  # the portal's language: Vietnamese
    assert labels["pub1"] == "Điều 1. Phạm vi điều chỉnh"
    # The draft restricted as a whole was taken down at publication, its round too.
    secret_draft = DraftPolicyPage.objects.get(pk=world["secret_draft"].pk)
    assert not secret_draft.live
    assert client.get(f"/api/v2/policies/{secret_draft.pk}/").status_code == 404


def searched(words):
    """The live drafts Wagtail's search finds for ``words``."""
    found = get_search_backend().search(words, DraftPolicyPage.objects.live())
    return [page.pk for page in found]


def test_restricted_article_text_is_not_indexed(world):
    draft = DraftPolicyPage.objects.get(pk=world["draft"].pk)
    text = draft.public_body_text()
    assert "Phạm vi điều chỉnh" in text
    assert ARTICLE_MARK not in text
    assert searched("Phạm vi") == [draft.pk]
    assert searched(ARTICLE_MARK) == []


def test_a_restricted_document_file_is_served_only_to_those_allowed(client, world):
    secret_url = world["secret_doc"].url
    public_url = world["public_doc"].url
    assert client.get(public_url).status_code == 200
    assert client.get(secret_url).status_code == 403

    staff = factories.make_staff(perms=("wagtaildocs.change_document",))
    client.force_login(staff)
    assert not can_view_restricted(staff)
    assert client.get(secret_url).status_code == 403

    allowed = factories.make_staff(perms=(VIEW_RESTRICTED,))
    client.force_login(allowed)
    assert client.get(secret_url).status_code == 200

    client.force_login(factories.make_superuser("boss"))
    assert client.get(secret_url).status_code == 200


def test_a_document_of_a_draft_restricted_as_a_whole_is_not_served(client, world):
    document = factories.make_document("Hồ sơ kèm theo", "ho-so.pdf")
    secret_draft = world["secret_draft"]
    secret_draft.related_documents.add(DraftPolicyDocument(document=document, kind="draft"))
    secret_draft.save()
    assert client.get(document.url).status_code == 403


# --- The page editor ----------------------------------------------------------------------


def editor_form_data(draft, *, classification="", articles, documents=()):
    """The page editor's POST for ``draft``: ``articles`` as (id, number, heading,
    classification), ``documents`` as (DraftPolicyDocument, classification)."""
    body = streamfield(
        [
            (
                "article",
                {
                    "number": number,
                    "heading": heading,
                    "body": rich_text(f"<p>Nội dung {heading}</p>"),
                    "classification": level,
                },
            )
            for _, number, heading, level in articles
        ]
    )
    for position, (block_id, *_rest) in enumerate(articles):
        body[str(position)]["id"] = block_id
    data = {
        "title": draft.title,
        "slug": draft.slug,
        "document_type": draft.document_type,
        "drafting_unit": str(draft.drafting_unit_id),
        "sector": str(draft.sector_id or ""),
        "topics": "",
        "summary": draft.summary,
        "classification": classification,
        "body": body,
        "related_documents": inline_formset(
            [
                {
                    "id": str(item.pk),
                    "document": str(item.document_id),
                    "kind": item.kind,
                    "title": item.title,
                    "classification": level,
                }
                for item, level in documents
            ],
            initial=len(documents),
        ),
        "communication_log": inline_formset([]),
        **{name: rich_text("") for name in DraftPolicyPage.communication_sections},
    }
    return nested_form_data(data)


@pytest.fixture
def live_draft(index):
    draft = factories.make_draft(
        index,
        articles=[
            factories.article("Điều 1", "Phạm vi điều chỉnh", block_id="pub1"),
            factories.article("Điều 2", f"Danh mục {ARTICLE_MARK}", block_id="sec1"),
        ],
    )
    document = factories.make_document(f"Phụ lục {DOCUMENT_MARK}", "phu-luc.pdf")
    factories.attach_document(draft, document, "other")
    draft.refresh_from_db()
    factories.make_round_with_status(draft, "open")
    return draft


def test_the_editor_refuses_to_publish_a_restricted_draft(editor_client, live_draft):
    edit_url = reverse("wagtailadmin_pages:edit", args=[live_draft.pk])
    # Unpublished first, as a draft restricted as a whole never was live.
    live_draft.unpublish()
    data = editor_form_data(
        live_draft,
        classification="mat",
        articles=[("pub1", "Điều 1", "Phạm vi điều chỉnh", "")],
    )
    response = editor_client.post(edit_url, {**data, "action-publish": "action-publish"})
    assert response.status_code == 302
    page = editor_client.get(response["Location"]).content.decode()
    assert "it was saved but cannot be published" in page
    draft = DraftPolicyPage.objects.get(pk=live_draft.pk)
    assert not draft.live
    assert draft.get_latest_revision_as_object().classification == "mat"

    # Cleared, it publishes.
    data = editor_form_data(live_draft, articles=[("pub1", "Điều 1", "Phạm vi điều chỉnh", "")])
    editor_client.post(edit_url, {**data, "action-publish": "action-publish"})
    assert DraftPolicyPage.objects.get(pk=live_draft.pk).live


def test_a_new_restricted_draft_is_not_published_from_the_create_view(editor_client, index):
    unit = factories.make_unit()
    draft = DraftPolicyPage(title=f"Dự thảo {DRAFT_MARK}", slug="du-thao-mat", drafting_unit=unit)
    data = editor_form_data(draft, classification="mat", articles=[])
    url = reverse(
        "wagtailadmin_pages:add", args=["wagtail_policycomms", "draftpolicypage", index.pk]
    )
    response = editor_client.post(url, {**data, "action-publish": "action-publish"})
    assert response.status_code == 302
    created = DraftPolicyPage.objects.get(slug="du-thao-mat")
    assert not created.live
    assert is_restricted(created)


def test_publishing_any_other_way_takes_a_restricted_draft_down(live_draft):
    live_draft.classification = "mat"
    live_draft.save_revision().publish()  # a workflow approval or a scheduled publication
    draft = DraftPolicyPage.objects.get(pk=live_draft.pk)
    assert not draft.live
    assert not draft.get_children().live().exists()
    assert draft.classification == "mat"


def test_restricting_a_live_draft_unpublishes_it_on_save(client, editor_client, live_draft):
    round_url = live_draft.get_children().first().url
    assert client.get(live_draft.url).status_code == 200
    data = editor_form_data(
        live_draft,
        classification="mat",
        articles=[("pub1", "Điều 1", "Phạm vi điều chỉnh", "")],
    )
    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[live_draft.pk]), data)
    assert response.status_code == 302
    assert client.get(live_draft.url).status_code == 404
    assert client.get(round_url).status_code == 404


def test_restricting_an_article_and_a_document_on_a_live_draft_takes_effect_on_save(
    client, editor_client, live_draft
):
    round_page = live_draft.get_children().first().specific
    item = DraftPolicyDocument.objects.get(page=live_draft)
    document_url = item.document.url
    page = client.get(live_draft.url).content.decode()
    assert ARTICLE_MARK in page and DOCUMENT_MARK in page  # public before
    assert client.get(document_url).status_code == 200
    assert searched(ARTICLE_MARK) == [live_draft.pk]

    # Saved as a draft, not published: the other change (a new title) stays unpublished.
    live_draft.title = "Tiêu đề mới chưa xuất bản"
    data = editor_form_data(
        live_draft,
        articles=[
            ("pub1", "Điều 1", "Phạm vi điều chỉnh", ""),
            ("sec1", "Điều 2", f"Danh mục {ARTICLE_MARK}", "mat"),
        ],
        documents=[(item, "toi_mat")],
    )
    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[live_draft.pk]), data)
    assert response.status_code == 302

    draft = DraftPolicyPage.objects.get(pk=live_draft.pk)
    assert draft.live and draft.title != "Tiêu đề mới chưa xuất bản"
    for url in (live_draft.url, round_page.url, f"/api/v2/policies/{draft.pk}/"):
        text = client.get(url).content.decode()
        assert ARTICLE_MARK not in text and DOCUMENT_MARK not in text, url
        assert "Phạm vi điều chỉnh" in text, url
    assert client.get(document_url).status_code == 403
    assert searched(ARTICLE_MARK) == []
    assert searched("Phạm vi") == [live_draft.pk]


# --- Staff --------------------------------------------------------------------------------


def test_staff_labels_of_restricted_articles(world):
    draft = DraftPolicyPage.objects.get(pk=world["draft"].pk)
    with translation.override("en"):
        hidden = ArticleLabels.of_draft(draft)
    shown = ArticleLabels.of_draft(draft, hide_restricted=False)
    snapshot = f"Điều 2. Danh mục {ARTICLE_MARK}"
    assert hidden.label("sec1", snapshot) == "[Restricted article]"
    assert "sec1" not in hidden
    assert shown.label("sec1", snapshot) == f"[Mật] {snapshot}"  # marked, never its snapshot alone


def test_the_moderation_queue_hides_restricted_labels_without_the_permission(client, world):
    from wagtail_policycomms.permissions import MODERATE, VIEW_COMMENTS

    queue = reverse("wagtailsnippets_wagtail_policycomms_publiccomment:list")
    moderator = factories.make_staff(perms=(VIEW_COMMENTS, MODERATE))
    client.force_login(moderator)
    text = client.get(queue, {"status": ""}).content.decode()
    assert "Phạm vi điều chỉnh" in text
    assert ARTICLE_MARK not in text
    comment = world["comments"][1]
    inspect = reverse(
        "wagtailsnippets_wagtail_policycomms_publiccomment:inspect", args=[comment.pk]
    )
    assert ARTICLE_MARK not in client.get(inspect).content.decode()

    allowed = factories.make_staff(perms=(VIEW_COMMENTS, MODERATE, VIEW_RESTRICTED))
    client.force_login(allowed)
    assert ARTICLE_MARK in client.get(queue, {"status": ""}).content.decode()


def test_staff_allowed_read_restricted_articles_under_their_mark(world):
    draft = DraftPolicyPage.objects.get(pk=world["draft"].pk)
    allowed = factories.make_staff(perms=(VIEW_RESTRICTED,))
    other = factories.make_staff()
    snapshot = f"Điều 2. Danh mục {ARTICLE_MARK}"
    marked = ArticleLabels.of_draft(draft, for_user=allowed)
    assert marked.label("sec1", snapshot) == f"[Mật] {snapshot}"
    assert marked.label("pub1", "Điều 1. Phạm vi điều chỉnh") == "Điều 1. Phạm vi điều chỉnh"
    assert marked.choices() == [
        ("pub1", "Điều 1. Phạm vi điều chỉnh"),
        ("sec1", f"[Mật] {snapshot}"),
    ]
    with translation.override("en"):
        for user in (other, None):
            hidden = ArticleLabels.of_draft(draft, for_user=user)
            assert hidden.label("sec1", snapshot) == "[Restricted article]"
            assert hidden.choices() == [("pub1", "Điều 1. Phạm vi điều chỉnh")]


# --- Staff files: the queue's exports and the synthesis report ------------------------------

EXPORT = "wagtail_policycomms.export_publiccomment"


def export_text(client, export_format):
    queue = reverse("wagtailsnippets_wagtail_policycomms_publiccomment:list")
    response = client.get(queue, {"export": export_format, "status": ""})
    assert response.status_code == 200, response.status_code
    content = b"".join(response.streaming_content)
    if export_format == "csv":
        return content.decode("utf-8-sig")
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    return "\n".join(
        " | ".join(str(cell) for cell in row) for row in sheet.iter_rows(values_only=True)
    )


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_comment_exports_mark_restricted_articles_for_those_allowed(client, world, export_format):
    from wagtail_policycomms.permissions import VIEW_COMMENTS

    client.force_login(factories.make_staff(perms=(VIEW_COMMENTS, EXPORT), language="vi"))
    text = export_text(client, export_format)
    assert "Điều 1. Phạm vi điều chỉnh" in text
    assert ARTICLE_MARK not in text
    assert "[Điều khoản mật]" in text

    client.force_login(
        factories.make_staff(perms=(VIEW_COMMENTS, EXPORT, VIEW_RESTRICTED), language="vi")
    )
    text = export_text(client, export_format)
    assert f"[Mật] Điều 2. Danh mục {ARTICLE_MARK}" in text
    assert "[Điều khoản mật]" not in text


def synthesis_docx_text(client, draft):
    import io

    import docx

    url = reverse("wagtail_policycomms_admin:synthesis_download", args=["draft", draft.pk, "docx"])
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    return "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )


def test_the_synthesis_report_marks_restricted_articles_for_those_allowed(client, world):
    from wagtail_policycomms.synthesis import build_synthesis

    draft = world["draft"]
    client.force_login(factories.make_staff(perms=(EXPORT,), language="vi"))
    text = synthesis_docx_text(client, draft)
    assert "Điều 1. Phạm vi điều chỉnh" in text
    assert ARTICLE_MARK not in text

    client.force_login(factories.make_staff(perms=(EXPORT, VIEW_RESTRICTED), language="vi"))
    text = synthesis_docx_text(client, draft)
    assert f"[Mật] Điều 2. Danh mục {ARTICLE_MARK}" in text
    # Its section is in the draft's order, after Điều 1.
    assert text.index("Điều 1. Phạm vi") < text.index("[Mật] Điều 2.")

    # The report attached to the public draft is built for no one: never marked.
    public = build_synthesis(DraftPolicyPage.objects.get(pk=draft.pk))
    labels = [section.heading for section in public.sections]
    assert not any(ARTICLE_MARK in label for label in labels)


# --- The queue's article filter -------------------------------------------------------------


def test_the_queue_article_filter_lists_restricted_articles_only_to_those_allowed(client, world):
    from wagtail_policycomms.permissions import VIEW_COMMENTS

    queue = reverse("wagtailsnippets_wagtail_policycomms_publiccomment:list")
    params = {"status": "", "draft": world["draft"].pk}
    client.force_login(factories.make_staff(perms=(VIEW_COMMENTS,)))
    soup = factories.soup_of(client.get(queue, params))
    options = {
        o["value"]: o.get_text(strip=True) for o in soup.select("select[name=article] option")
    }
    assert options.get("pub1") == "Điều 1. Phạm vi điều chỉnh"
    assert "sec1" not in options
    assert ARTICLE_MARK not in str(soup)

    client.force_login(factories.make_staff(perms=(VIEW_COMMENTS, VIEW_RESTRICTED)))
    soup = factories.soup_of(client.get(queue, params))
    options = {
        o["value"]: o.get_text(strip=True) for o in soup.select("select[name=article] option")
    }
    assert options["sec1"] == f"[Mật] Điều 2. Danh mục {ARTICLE_MARK}"


# --- The admin: staff without the permission do not see restricted content ----------------


def page_editor(index, *perms):
    """Staff who may add, edit and publish pages under ``index`` (Wagtail's page
    permissions), with ``perms`` besides."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    user = factories.make_staff(perms=perms)
    group = Group.objects.create(name=f"Biên tập {user.pk}")
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=index,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    user.groups.add(group)
    return user


def page_views(page):
    """Every admin view that shows a page's content or its revisions."""
    revision = page.get_latest_revision() or page.save_revision()
    return [
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        reverse("wagtailadmin_pages:view_draft", args=[page.pk]),
        reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]),
        reverse("wagtailadmin_pages:history", args=[page.pk]),
        reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revision.pk]),
        reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, revision.pk, "latest"]),
        reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, revision.pk]),
        reverse("wagtailadmin_pages:delete", args=[page.pk]),
        reverse("wagtailadmin_pages:move", args=[page.pk]),
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        reverse("wagtailadmin_pages:usage", args=[page.pk]),
    ]


def assert_refused(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), (url, response.status_code)
        if response.status_code == 302:
            assert response["Location"] == reverse("wagtailadmin_home"), url
        text = response.content.decode()
        for mark in MARKS:
            assert mark not in text, (url, mark)


def test_drafts_with_restricted_content_are_out_of_reach_of_staff_without_the_permission(
    client, index, world
):
    draft = DraftPolicyPage.objects.get(pk=world["draft"].pk)  # a restricted article
    secret = DraftPolicyPage.objects.get(pk=world["secret_draft"].pk)  # restricted as a whole
    # Only a restricted document.
    with_document = factories.make_draft(index, title="Dự thảo có phụ lục mật")
    document = factories.make_document("Phụ lục", "phu-luc-2.pdf")
    with_document.related_documents.add(
        DraftPolicyDocument(document=document, kind="other", classification="mat")
    )
    with_document.save_revision().publish()
    plain = factories.make_draft(index, title="Dự thảo công khai")

    from wagtail_policycomms.restricted import restricted_drafts

    # The rule a listing reads, in one query, from the drafts as saved.
    assert set(restricted_drafts().values_list("pk", flat=True)) == {
        draft.pk,
        secret.pk,
        with_document.pk,
    }
    client.force_login(page_editor(index))
    for page in (draft, secret, with_document):
        assert_refused(client, page_views(page))
    # A round under the draft restricted as a whole carries its title: refused too.
    secret_round = ConsultationPage.objects.get(pk=world["secret_round"].pk)
    assert_refused(client, page_views(secret_round))
    # A round of the public draft is not (the test can fail).
    open_round = ConsultationPage.objects.get(pk=world["open"].pk)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[open_round.pk]))
    assert response.status_code == 200
    # The explorer offers no action on them; it does on the public draft.
    explorer = client.get(reverse("wagtailadmin_explore", args=[index.pk])).content.decode()
    for page in (draft, with_document):
        assert page.title in explorer
        assert reverse("wagtailadmin_pages:edit", args=[page.pk]) not in explorer
    assert reverse("wagtailadmin_pages:edit", args=[plain.pk]) in explorer
    # The same staff edit a draft with nothing restricted: the test can fail.
    response = client.get(reverse("wagtailadmin_pages:edit", args=[plain.pk]))
    assert response.status_code == 200
    # The page editor's preview of the editor's own form data is refused too.
    response = client.post(
        reverse("wagtailadmin_pages:preview_on_edit", args=[draft.pk]),
        editor_form_data(draft, articles=[("pub1", "Điều 1", "Phạm vi điều chỉnh", "")]),
    )
    assert response.status_code in (302, 403)

    client.force_login(page_editor(index, VIEW_RESTRICTED))
    for page in (draft, secret, with_document, secret_round):
        response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200, page
    assert (
        ARTICLE_MARK
        in client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    )


def test_drafts_restricted_as_a_whole_are_not_listed_without_the_permission(client, index, world):
    secret = world["secret_draft"]
    listings = [
        reverse("wagtailadmin_explore", args=[index.pk]),
        reverse("wagtailadmin_explore", args=[index.pk]) + f"?q={DRAFT_MARK}",
        reverse("wagtailadmin_explore", args=[secret.pk]),  # its rounds
        reverse("wagtailadmin_choose_page_child", args=[index.pk]),
        reverse("wagtailadmin_choose_page_child", args=[secret.pk]),
        reverse("wagtailadmin_choose_page") + f"?q={DRAFT_MARK}",
        f"/admin/api/main/pages/?child_of={index.pk}&for_explorer=1",
        f"/admin/api/main/pages/?child_of={secret.pk}&for_explorer=1",
    ]
    client.force_login(page_editor(index))
    for url in listings:
        response = client.get(url)
        if url in (listings[2], listings[4]):
            # The draft's own explorer page is refused (tests/test_restricted_admin.py), and
            # so is the page chooser's view of its children (its heading names the draft).
            assert response.status_code == 302, url
            assert response["Location"] == reverse("wagtailadmin_home"), url
            assert DRAFT_MARK not in response.content.decode(), url
            continue
        if url == listings[7] and response.status_code == 400:
            # The explorer menu's API (Wagtail 8): not an explorable page, as if it did not
            # exist; Wagtail 7.4 lists no child (below).
            assert response.json() == {"message": "parent page doesn't exist"}, url
            continue
        assert response.status_code == 200, url
        text = response.content.decode()
        # A search echoes its words, a draft's own listing its title (only by its address):
        # neither the draft's title in a list nor its rounds' titles.
        if "q=" in url or url in (listings[2], listings[4], listings[7]):
            assert f"Dự thảo {DRAFT_MARK}</a>" not in text, url
            assert f"Lấy ý kiến {DRAFT_MARK}" not in text, url
        else:
            assert DRAFT_MARK not in text, url
    # The draft holding only a restricted article is listed (its content is not).
    explorer = client.get(listings[0]).content.decode()
    assert world["draft"].title in explorer
    assert ARTICLE_MARK not in explorer

    client.force_login(page_editor(index, VIEW_RESTRICTED))
    assert DRAFT_MARK in client.get(listings[0]).content.decode()
    assert DRAFT_MARK in client.get(listings[3]).content.decode()


def test_the_explorer_reads_restricted_drafts_in_one_query(client, index, world):
    """Whether a row holds restricted content is one query for the listing, not one a row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(page_editor(index))
    url = reverse("wagtailadmin_explore", args=[index.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for n in range(4):
        factories.make_draft(
            index,
            articles=[restricted_article("Điều 1", "Mật", "<p>Mật</p>", f"x{n}")],
        )
    with CaptureQueriesContext(connection) as after:
        text = client.get(url).content.decode()
    assert text.count("Dự thảo") > 4
    assert len(after.captured_queries) == len(before.captured_queries)


# --- Documents linked from the text of restricted articles and drafts ----------------------


def linking(document, text="Phụ lục"):
    return f'<p>Xem <a linktype="document" id="{document.pk}">{text}</a>.</p>'


def test_a_document_linked_only_from_restricted_text_is_not_served(client, index):
    only_secret_article = factories.make_document("Phụ lục mật", "phu-luc-a.pdf")
    only_secret_draft = factories.make_document("Phụ lục dự thảo mật", "phu-luc-b.pdf")
    also_public = factories.make_document("Phụ lục chung", "phu-luc-c.pdf")
    public_only = factories.make_document("Tờ trình", "to-trinh-d.pdf")
    factories.make_draft(
        index,
        articles=[
            factories.article("Điều 1", "Công khai", linking(also_public), block_id="pub1"),
            factories.article("Điều 2", "Công khai", linking(public_only), block_id="pub2"),
            restricted_article(
                "Điều 3",
                "Mật",
                linking(only_secret_article) + linking(also_public),
                "sec1",
            ),
        ],
    )
    factories.make_draft(
        index,
        classification="mat",
        articles=[factories.article("Điều 1", "Toàn văn mật", linking(only_secret_draft))],
    )
    from wagtail.models import ReferenceIndex

    assert ReferenceIndex.get_references_to(only_secret_article).exists()  # indexed
    assert client.get(only_secret_article.url).status_code == 403
    assert client.get(only_secret_draft.url).status_code == 403
    assert client.get(also_public.url).status_code == 200
    assert client.get(public_only.url).status_code == 200

    client.force_login(factories.make_staff(perms=(VIEW_RESTRICTED,)))
    assert client.get(only_secret_article.url).status_code == 200
    assert client.get(only_secret_draft.url).status_code == 200


def test_serving_a_document_reads_its_references_in_a_few_queries(client, index):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    document = factories.make_document("Phụ lục", "phu-luc-e.pdf")
    for n in range(5):
        factories.make_draft(
            index,
            articles=[restricted_article("Điều 1", "Mật", linking(document), f"s{n}")],
        )
    with CaptureQueriesContext(connection) as queries:
        assert client.get(document.url).status_code == 403
    ours = [q["sql"] for q in queries.captured_queries if "reference" in q["sql"].lower()]
    assert len(ours) == 1
    drafts = [q["sql"] for q in queries.captured_queries if "draftpolicypage" in q["sql"].lower()]
    assert len(drafts) <= 2  # the listed documents' rule, then the drafts linking it
