"""Pages that hold comments are never deleted, and moving them keeps everything.

Comments and their answers belong to the consultation's dossier. Wagtail's delete view and
its bulk delete refuse, with a message saying why and what to do instead (unpublish); the
models' ``PROTECT`` keys hold when code deletes a page in the shell. Moving a draft with its
consultation under another section keeps the comments, their answers and the public page.
"""

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from wagtail.models import Page, PageLogEntry

from tests import factories
from wagtail_policycomms.models import (
    CommentAttachment,
    CommentResponse,
    ConsultationPage,
    DraftPolicyPage,
    PolicyIndexPage,
    PublicComment,
)

REFUSED = "cannot be deleted: 2 comments have been received on it or on its consultations."
UNPUBLISH_INSTEAD = "Unpublish the page instead"


@pytest.fixture
def comments(consultation):
    """Two comments, one with a file and a published answer."""
    first = factories.make_comment(consultation, body="Đề nghị giữ nguyên mức phí.")
    factories.attach_file(first)
    factories.answer_comments(
        PublicComment.objects.filter(pk=first.pk),
        text="Tiếp thu, đã điều chỉnh Điều 1.",
        published=True,
    )
    second = factories.make_comment(consultation, body="Cần làm rõ đối tượng áp dụng.")
    return [first, second]


def delete_url(page):
    return reverse("wagtailadmin_pages:delete", args=[page.pk])


def everything_is_kept(*pages):
    for page in pages:
        assert Page.objects.filter(pk=page.pk).exists(), page
    assert PublicComment.objects.count() == 2
    assert CommentResponse.objects.count() == 1
    assert CommentAttachment.objects.count() == 1


def shown_messages(response):
    return " ".join(
        m.get_text(" ", strip=True) for m in factories.soup_of(response).select(".messages li")
    )


# --- The delete view ----------------------------------------------------------------------


@pytest.mark.parametrize("which", ["draft", "consultation", "index"])
def test_a_page_holding_comments_is_not_deleted_and_says_why(
    editor_client, index, draft, consultation, comments, which
):
    """The draft, its consultation and the section above them: each subtree holds the
    comments. GET does not even offer the confirmation; POST deletes nothing."""
    page = {"draft": draft, "consultation": consultation, "index": index}[which]
    response = editor_client.get(delete_url(page))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    shown = shown_messages(editor_client.get(response["Location"]))
    assert f"“{page.title}” {REFUSED}" in shown
    assert UNPUBLISH_INSTEAD in shown

    response = editor_client.post(delete_url(page), {"confirm_site_name": "wagtail"})
    assert response.status_code == 302
    everything_is_kept(index, draft, consultation)


def test_the_refusal_offers_to_unpublish_and_returns_to_the_listing(
    editor_client, index, draft, comments
):
    """From the page listing (``next``), the person goes back there, with a button to
    unpublish the page, which they may do."""
    listing = reverse("wagtailadmin_explore", args=[index.pk])
    response = editor_client.get(delete_url(draft), {"next": listing}, follow=True)
    assert response.redirect_chain[-1][0] == listing
    buttons = factories.soup_of(response).select(".messages li a")
    assert [a["href"] for a in buttons] == [
        reverse("wagtailadmin_pages:unpublish", args=[draft.pk])
    ]


def test_the_refusal_speaks_the_editors_language(index, draft, consultation, comments):
    """A Vietnamese-speaking editor is refused in Vietnamese: the message is translated in
    the admin's active language (Wagtail's own "Unpublish" button shows it), whatever the
    language of the person who reads the English assertions above."""
    client = Client()
    client.force_login(factories.make_superuser("bientapvien", language="vi"))
    response = client.post(delete_url(draft), follow=True)
    assert response.status_code == 200
    everything_is_kept(draft, consultation)
    with translation.override("vi"):
        expected = ngettext(
            "“%(title)s” cannot be deleted: %(count)s comment has been received on it or "
            "on its consultations.",
            "“%(title)s” cannot be deleted: %(count)s comments have been received on it or "
            "on its consultations.",
            2,
        ) % {"title": draft.title, "count": 2}
        unpublish = gettext("Unpublish")
    assert unpublish != "Unpublish"
    shown = shown_messages(response)
    assert expected in shown
    assert unpublish in shown


def test_answers_alone_protect_the_page_too(editor_client, draft, consultation, comments):
    """An answer's key protects its consultation as a comment's does: with its comments
    gone (only possible in code), the delete is still refused, not a server error."""
    PublicComment.objects.all().delete()
    response = editor_client.post(delete_url(draft), follow=True)
    assert response.status_code == 200
    assert "answers to comments are recorded on its consultations" in shown_messages(response)
    assert ConsultationPage.objects.filter(pk=consultation.pk).exists()


def test_a_page_without_comments_is_deleted_as_usual(editor_client, index, draft, consultation):
    """Nothing is refused where there is nothing to keep: Wagtail's confirmation and delete."""
    other = factories.make_draft(index)
    factories.make_comment(consultation)
    response = editor_client.get(delete_url(other))
    assert response.status_code == 200
    assert "Are you sure you want to delete this page?" in response.content.decode()
    assert editor_client.post(delete_url(other)).status_code == 302
    assert not Page.objects.filter(pk=other.pk).exists()
    assert DraftPolicyPage.objects.filter(pk=draft.pk).exists()


# --- The bulk delete ------------------------------------------------------------------------


def bulk_delete_url(*pages):
    """The bulk delete of the page listing, returning to the listing of the pages' parent."""
    base = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
    listing = reverse("wagtailadmin_explore", args=[pages[0].get_parent().pk])
    return f"{base}?next={listing}&" + "&".join(f"id={page.pk}" for page in pages)


def test_bulk_delete_keeps_every_page_of_a_selection_holding_comments(
    editor_client, index, draft, consultation, comments
):
    """Wagtail's bulk delete does not call ``before_delete_page``: the same refusal, naming
    the pages, and nothing of the selection is deleted."""
    empty = factories.make_draft(index, title="Dự thảo chưa có góp ý")
    response = editor_client.post(bulk_delete_url(draft, empty), follow=True)
    assert response.status_code == 200
    shown = shown_messages(response)
    assert f"Not deleted: comments have been received on the page “{draft.title}”" in shown
    assert empty.title not in shown
    assert "Unpublish the page instead" in shown
    everything_is_kept(draft, consultation, empty)

    assert editor_client.post(bulk_delete_url(index)).status_code == 302
    everything_is_kept(index, draft, consultation, empty)

    assert editor_client.post(bulk_delete_url(empty)).status_code == 302
    assert not Page.objects.filter(pk=empty.pk).exists()


# --- Unpublishing instead -------------------------------------------------------------------


def test_unpublishing_hides_the_page_and_keeps_everything(
    editor_client, client, draft, consultation, comments
):
    assert client.get(consultation.url).status_code == 200
    response = editor_client.post(
        reverse("wagtailadmin_pages:unpublish", args=[draft.pk]), {"include_descendants": "on"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    consultation.refresh_from_db()
    assert not draft.live and not consultation.live
    assert client.get(f"/{draft.url_path.split('/', 2)[2]}").status_code == 404
    everything_is_kept(draft, consultation)
    assert CommentResponse.objects.get().is_published


# --- Code in the shell ----------------------------------------------------------------------


@pytest.mark.parametrize("which", ["draft", "consultation", "index"])
def test_deleting_in_code_is_refused_by_the_models_protect_keys(
    index, draft, consultation, comments, which
):
    """``PublicComment.consultation`` and ``CommentResponse.consultation`` are
    ``on_delete=PROTECT``: Django refuses to delete the consultation row Wagtail's tree
    delete cascades to. Run in a transaction, as the refusal comes after Wagtail has
    started (it logs the deletion and updates the parent's child count first)."""
    page = {"draft": draft, "consultation": consultation, "index": index}[which]
    with pytest.raises(ProtectedError), transaction.atomic():
        Page.objects.get(pk=page.pk).delete()
    everything_is_kept(index, draft, consultation)
    with pytest.raises(ProtectedError), transaction.atomic():
        ConsultationPage.objects.filter(pk=consultation.pk).delete()
    everything_is_kept(index, draft, consultation)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refused_delete_in_code_outside_a_transaction_leaves_the_tree_as_it_was(
    index, draft, consultation, comments
):
    """Our page types delete all or nothing: without it, Wagtail had already lowered the
    parent's child count and logged the deletion when Django refused (PROTECT)."""
    numchild = Page.objects.get(pk=index.pk).numchild
    logged = PageLogEntry.objects.filter(action="wagtail.delete").count()
    with pytest.raises(ProtectedError):
        DraftPolicyPage.objects.get(pk=draft.pk).delete()
    assert Page.objects.get(pk=index.pk).numchild == numchild
    assert PageLogEntry.objects.filter(action="wagtail.delete").count() == logged
    everything_is_kept(index, draft, consultation)


# --- Moving -----------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["admin", "code"])
def test_moving_a_draft_keeps_its_comments_answers_and_public_page(
    editor_client, client, send, home, index, draft, consultation, comments, how
):
    """The draft and its consultation move under another section (the admin's move view,
    or ``page.move``); comments point at the consultation's id, so they follow it."""
    other = factories.make_index(home, title="Dự thảo năm 2027", slug="du-thao-2027")
    old_url = consultation.url
    if how == "admin":
        response = editor_client.post(
            reverse("wagtailadmin_pages:move_confirm", args=[draft.pk, other.pk])
        )
        assert response.status_code == 302
    else:
        Page.objects.get(pk=draft.pk).move(other, pos="last-child")

    consultation = ConsultationPage.objects.get(pk=consultation.pk)
    assert consultation.get_parent().get_parent().pk == other.pk
    assert consultation.url != old_url
    # Wagtail's automatic redirect (wagtail.contrib.redirects) keeps old links working.
    assert client.get(old_url)["Location"].endswith(consultation.url)
    everything_is_kept(other, draft, consultation)
    assert PolicyIndexPage.objects.get(pk=index.pk).get_children_count() == 0

    page = client.get(consultation.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Đề nghị giữ nguyên mức phí." in text
    assert "Cần làm rõ đối tượng áp dụng." in text
    assert "Tiếp thu, đã điều chỉnh Điều 1." in text

    queue = editor_client.get(
        reverse("wagtailsnippets_wagtail_policycomms_publiccomment:list"),
        {"consultation": consultation.pk, "status": "approved"},
    )
    assert queue.status_code == 200
    assert comments[0].receipt_code in queue.content.decode()
    synthesis = editor_client.get(reverse("wagtail_policycomms_admin:synthesis", args=[draft.pk]))
    assert synthesis.status_code == 200

    # A comment sent at the new address lands on the same consultation.
    assert send(page=consultation, body="Góp ý gửi sau khi chuyển trang.").status_code == 303
    assert consultation.public_comments.count() == 3
