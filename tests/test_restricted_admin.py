"""Restricted content in Wagtail's own admin screens, for staff without the permission.

A real drafting editor (the group of ``policycomms_setup_groups``) walks Wagtail's global
page search, the page chooser's search, the explorer page of a hidden draft opened by its
address, and the history of pages: a draft restricted as a whole and its rounds are not
named there. A member of the same group with *Can view restricted content* finds them.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests import factories
from tests.test_restricted import (  # noqa: F401 (fixtures)
    DRAFT_MARK,
    document_files,
    linking,
    restricted_article,
    sector,
    world,
)
from wagtail_policycomms.models import DraftPolicyDocument
from wagtail_policycomms.permissions import DRAFTING_EDITORS, VIEW_RESTRICTED, setup_groups

SECRET_TITLE = f"Dự thảo {DRAFT_MARK}"
SECRET_ROUND_TITLE = f"Lấy ý kiến {DRAFT_MARK}"
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def drafting_editor(index):
    """A member of the drafting editors' group, as ``policycomms_setup_groups`` makes it
    (pages: add and change under the section; documents: add and choose)."""
    setup_groups()
    return factories.make_member(DRAFTING_EDITORS)


@pytest.fixture
def allowed_editor(drafting_editor):
    """A drafting editor who may view restricted content."""
    user = factories.make_member(DRAFTING_EDITORS)
    app_label, codename = VIEW_RESTRICTED.split(".")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    return user


def text_of(response):
    return response.content.decode()


def assert_not_named(response, where):
    text = text_of(response)
    assert SECRET_TITLE not in text, where
    assert SECRET_ROUND_TITLE not in text, where


def searches(words):
    return [
        reverse("wagtailadmin_pages:search") + f"?q={words}",
        reverse("wagtailadmin_pages:search_results") + f"?q={words}",
        reverse("wagtailadmin_choose_page_search") + f"?q={words}",
    ]


def test_global_page_search(client, world, drafting_editor, allowed_editor):  # noqa: F811
    """Wagtail's global page search and the page chooser's search."""
    client.force_login(drafting_editor)
    for url in searches(DRAFT_MARK):
        response = client.get(url, **XHR) if "results" in url else client.get(url)
        assert response.status_code == 200, url
        assert_not_named(response, url)
    # The search works for them: a public draft is found (the test can fail).
    public_title = world["draft"].title
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": public_title})
    assert public_title in text_of(response)
    # Without the search words: the whole explorable tree, still without them.
    assert_not_named(client.get(reverse("wagtailadmin_pages:search")), "all pages")

    client.force_login(allowed_editor)
    response = client.get(searches(DRAFT_MARK)[0])
    assert SECRET_TITLE in text_of(response)
    assert SECRET_ROUND_TITLE in text_of(response)
    response = client.get(searches(DRAFT_MARK)[2])
    assert SECRET_TITLE in text_of(response)


def test_explorer_page_by_address(client, world, drafting_editor, allowed_editor):  # noqa: F811
    """A hidden draft's explorer page, and its rounds', opened by their address."""
    secret, secret_round = world["secret_draft"], world["secret_round"]
    pages = (secret, secret_round)  # a round's page names the draft in its breadcrumb
    client.force_login(drafting_editor)
    for page in pages:
        url = reverse("wagtailadmin_explore", args=[page.pk])
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("wagtailadmin_home")
        assert_not_named(response, url)
        # The explorer's own results (its scripts' requests): Django's 403.
        url = reverse("wagtailadmin_explore_results", args=[page.pk])
        response = client.get(url, **XHR)
        assert response.status_code == 403, url
        assert_not_named(response, url)
    # Wagtail's refusal, followed: the dashboard with its message, no title.
    response = client.get(reverse("wagtailadmin_explore", args=[secret.pk]), follow=True)
    assert response.status_code == 200
    assert_not_named(response, "dashboard")
    # The public draft's explorer page opens (the test can fail).
    response = client.get(reverse("wagtailadmin_explore", args=[world["draft"].pk]))
    assert response.status_code == 200
    assert world["open"].title in text_of(response)

    client.force_login(allowed_editor)
    response = client.get(reverse("wagtailadmin_explore", args=[secret.pk]))
    assert response.status_code == 200
    assert SECRET_TITLE in text_of(response)
    assert SECRET_ROUND_TITLE in text_of(response)


def test_history_of_pages(client, world, drafting_editor, allowed_editor):  # noqa: F811
    """Wagtail's site history reads the same policy: a hidden draft's log entries are not
    listed (their titles)."""
    assert_hidden_report(
        client, reverse("wagtailadmin_reports:site_history"), world, drafting_editor, allowed_editor
    )


def assert_hidden_report(client, url, world, denied, allowed):  # noqa: F811
    """A report of Wagtail's: it opens for both, names the public draft, and names the
    hidden draft only to the user with the permission."""
    client.force_login(denied)
    response = client.get(url)
    assert response.status_code == 200
    assert_not_named(response, url)
    assert world["draft"].title in text_of(response)
    client.force_login(allowed)
    assert SECRET_TITLE in text_of(client.get(url))


def test_locked_pages_report_and_the_policy_s_actionable_pages(
    client,
    world,  # noqa: F811
    index,
    drafting_editor,
    allowed_editor,  # noqa: F811
):
    """Wagtail's reports and dashboard panels list the pages a user may act on
    (``instances_user_has_any_permission_for``): the locked pages report, for staff who
    may unlock pages, does not name a hidden draft locked by someone else."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission, Page

    from wagtail_policycomms.restricted import RestrictedPagePermissionPolicy

    editors = Group.objects.get(name=DRAFTING_EDITORS)
    GroupPagePermission.objects.create(
        group=editors, page=index, permission=Permission.objects.get(codename="unlock_page")
    )
    someone = factories.make_superuser("khoa-trang")
    for page in (world["secret_draft"], world["draft"]):
        Page.objects.filter(pk=page.pk).update(locked=True, locked_by=someone)
    assert_hidden_report(
        client, reverse("wagtailadmin_reports:locked_pages"), world, drafting_editor, allowed_editor
    )

    policy = RestrictedPagePermissionPolicy()
    secret_pages = {world["secret_draft"].pk, world["secret_round"].pk}
    denied = set(
        policy.instances_user_has_permission_for(drafting_editor, "change").values_list(
            "pk", flat=True
        )
    )
    allowed = set(
        policy.instances_user_has_permission_for(allowed_editor, "change").values_list(
            "pk", flat=True
        )
    )
    assert world["draft"].pk in denied
    assert not denied & secret_pages
    assert secret_pages <= allowed


# --- Documents: the *Documents* listing, the chooser, a document's own pages ----------------


@pytest.fixture
def moderator(drafting_editor):
    """A moderator (``policycomms_setup_groups``): may change every document."""
    from wagtail_policycomms.permissions import MODERATORS

    return factories.make_member(MODERATORS)


@pytest.fixture
def documents(index):
    """A document of each kind of restriction, a public one linked from the same draft, one
    linked from a restricted article and also from a public one; and a moderator (who may
    change every document: the whole listing) and a drafting editor (who may choose any)."""
    made = {
        "listed": factories.make_document("Phụ lục DOCMAT1 liệt kê mật", "a.pdf"),
        "of_secret_draft": factories.make_document("Tờ trình DOCMAT2 của dự thảo mật", "b.pdf"),
        "in_secret_article": factories.make_document("Bảng DOCMAT3 trong điều mật", "c.pdf"),
        "in_secret_text": factories.make_document("Sơ đồ DOCMAT4 trong dự thảo mật", "d.pdf"),
        "also_public": factories.make_document("Biểu mẫu DOCCONG1 chung", "e.pdf"),
        "public": factories.make_document("Tờ trình DOCCONG2 công khai", "f.pdf"),
    }
    draft = factories.make_draft(
        index,
        articles=[
            factories.article("Điều 1", "Công khai", linking(made["also_public"]), block_id="p1"),
            restricted_article(
                "Điều 2",
                "Mật",
                linking(made["in_secret_article"]) + linking(made["also_public"]),
                "s1",
            ),
        ],
    )
    draft.related_documents.add(DraftPolicyDocument(document=made["public"], kind="memorandum"))
    draft.related_documents.add(
        DraftPolicyDocument(document=made["listed"], kind="other", classification="mat")
    )
    draft.save_revision().publish()
    secret = factories.make_draft(
        index,
        classification="mat",
        articles=[factories.article("Điều 1", "Toàn văn", linking(made["in_secret_text"]))],
    )
    secret.related_documents.add(
        DraftPolicyDocument(document=made["of_secret_draft"], kind="memorandum")
    )
    secret.save_revision().publish()  # its rows saved; the draft is taken down at once
    return made


HIDDEN = ("DOCMAT1", "DOCMAT2", "DOCMAT3", "DOCMAT4")
SHOWN = ("DOCCONG1", "DOCCONG2")


def assert_documents(response, *, hidden, shown, where):
    assert response.status_code == 200, where
    text = text_of(response)
    for mark in hidden:
        assert mark not in text, (where, mark)
    for mark in shown:
        assert mark in text, (where, mark)


def document_listings():
    return [
        reverse("wagtaildocs:index"),
        reverse("wagtaildocs:index") + "?q=DOC",
        reverse("wagtaildocs_chooser:choose"),
        reverse("wagtaildocs_chooser:choose_results") + "?q=DOC",
    ]


def test_restricted_documents_are_not_listed_without_the_permission(
    client, documents, moderator, drafting_editor
):
    client.force_login(moderator)  # may change every document: the whole listing
    for url in document_listings():
        assert_documents(client.get(url, **XHR), hidden=HIDDEN, shown=SHOWN, where=url)
    client.force_login(drafting_editor)  # may choose every document
    for url in document_listings()[2:]:
        assert_documents(client.get(url, **XHR), hidden=HIDDEN, shown=SHOWN, where=url)

    moderator.user_permissions.add(
        Permission.objects.get(
            content_type__app_label=VIEW_RESTRICTED.split(".")[0],
            codename=VIEW_RESTRICTED.split(".")[1],
        )
    )
    client.force_login(moderator)
    for url in document_listings():
        assert_documents(client.get(url, **XHR), hidden=(), shown=HIDDEN + SHOWN, where=url)


def test_a_restricted_documents_own_pages_are_refused(client, documents, moderator):
    client.force_login(moderator)
    for key in ("listed", "of_secret_draft", "in_secret_article", "in_secret_text"):
        for name in ("wagtaildocs:edit", "wagtaildocs:delete", "wagtaildocs:document_usage"):
            url = reverse(name, args=[documents[key].pk])
            response = client.get(url)
            assert response.status_code in (302, 403), url
            assert "DOCMAT" not in text_of(response), url
    for key in ("public", "also_public"):
        for name in ("wagtaildocs:edit", "wagtaildocs:document_usage"):
            response = client.get(reverse(name, args=[documents[key].pk]))
            assert response.status_code == 200, (key, name)


def test_the_document_listing_reads_restrictions_in_a_fixed_number_of_queries(
    client, index, documents, moderator
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(moderator)
    url = reverse("wagtaildocs:index")
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for n in range(4):
        document = factories.make_document(f"Phụ lục DOCMAT9{n}", f"x{n}.pdf")
        factories.make_draft(
            index, articles=[restricted_article("Điều 1", "Mật", linking(document), f"x{n}")]
        )
        factories.make_document(f"Biểu mẫu DOCCONG9{n}", f"y{n}.pdf")  # listed rows
    with CaptureQueriesContext(connection) as after:
        text = text_of(client.get(url))
    assert "DOCMAT9" not in text
    assert text.count("DOCCONG9") >= 4
    assert len(after.captured_queries) == len(before.captured_queries)
