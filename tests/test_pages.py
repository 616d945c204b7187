"""Where each page type may be created, and drafts saved through Wagtail's own page editor.

The tree shape is what the public listing and the status filter rely on: rounds
are direct children of their draft, drafts direct children of the section.
"""

import uuid

from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from home.models import HomePage
from tests import factories
from wagtail_policycomms.models import ConsultationPage, DraftPolicyPage, PolicyIndexPage

COMMUNICATION_FIELDS = DraftPolicyPage.communication_sections


def article_form_data(*articles):
    """StreamField form data for ``(id, number, heading)`` articles, ids posted as the editor does.

    Wagtail's ``streamfield()`` helper writes type/value/order/deleted; the
    block id travels as ``<field>-<n>-id``, so it is added to each block here.
    """
    data = streamfield(
        [
            (
                "article",
                {
                    "number": number,
                    "heading": heading,
                    "body": rich_text(f"<p>Nội dung {number}</p>"),
                },
            )
            for _, number, heading in articles
        ]
    )
    for position, (block_id, _, _) in enumerate(articles):
        data[str(position)]["id"] = block_id or ""
    return data


def draft_form_data(unit, articles, title="Dự thảo Nghị quyết về học phí", **extra):
    data = {
        "title": title,
        "slug": "nghi-quyet-hoc-phi",
        "document_type": "hdnd_resolution",
        "drafting_unit": str(unit.pk),
        "sector": "",
        "topics": "",
        "summary": "Quy định mức học phí.",
        "body": article_form_data(*articles),
        "related_documents": inline_formset([]),
        "communication_log": inline_formset([]),
        **{name: rich_text("") for name in COMMUNICATION_FIELDS},
    }
    data.update(extra)
    return nested_form_data(data)


class PageTreeRulesTests(WagtailPageTestCase):
    """The section → draft → round hierarchy, and nothing else, can be built."""

    def test_index_goes_under_any_ordinary_page(self):
        self.assertCanCreateAt(Page, PolicyIndexPage)
        self.assertCanCreateAt(HomePage, PolicyIndexPage)

    def test_index_holds_only_drafts(self):
        self.assertAllowedSubpageTypes(PolicyIndexPage, {DraftPolicyPage})
        self.assertCanNotCreateAt(PolicyIndexPage, ConsultationPage)
        self.assertCanNotCreateAt(PolicyIndexPage, PolicyIndexPage)

    def test_draft_holds_only_consultation_rounds(self):
        self.assertAllowedSubpageTypes(DraftPolicyPage, {ConsultationPage})
        self.assertAllowedParentPageTypes(DraftPolicyPage, {PolicyIndexPage})

    def test_consultation_is_a_leaf_under_a_draft(self):
        self.assertAllowedSubpageTypes(ConsultationPage, {})
        self.assertAllowedParentPageTypes(ConsultationPage, {DraftPolicyPage})

    def test_draft_not_directly_under_home(self):
        self.assertCanNotCreateAt(HomePage, DraftPolicyPage)
        self.assertCanNotCreateAt(Page, DraftPolicyPage)
        self.assertCanNotCreateAt(HomePage, ConsultationPage)


class AdminPageCreationTests(WagtailPageTestCase):
    """Editors create and revise the pages through Wagtail's add and edit views."""

    @classmethod
    def setUpTestData(cls):
        cls.home = factories.make_home()
        cls.index = factories.make_index(cls.home)
        cls.unit = factories.make_unit("Phòng Quản lý khoa học")
        cls.editor = factories.make_superuser()

    def setUp(self):
        self.client.force_login(self.editor)

    def test_index_created_under_home_page(self):
        self.assertCanCreate(
            self.home,
            PolicyIndexPage,
            nested_form_data(
                {"title": "Lấy ý kiến dự thảo", "intro": rich_text("<p>Mời góp ý</p>")}
            ),
        )
        self.assertTrue(
            PolicyIndexPage.objects.child_of(self.home).filter(title="Lấy ý kiến dự thảo").exists()
        )

    def test_draft_under_home_page_is_refused_by_the_admin(self):
        url = reverse(
            "wagtailadmin_pages:add", args=["wagtail_policycomms", "draftpolicypage", self.home.pk]
        )
        response = self.client.post(
            url, {**draft_form_data(self.unit, []), "action-publish": "action-publish"}
        )
        # Wagtail's admin turns PermissionDenied into a redirect to the dashboard.
        self.assertRedirects(response, reverse("wagtailadmin_home"), fetch_redirect_response=False)
        self.assertFalse(DraftPolicyPage.objects.exists())

    def test_consultation_under_index_is_refused_by_the_admin(self):
        url = reverse(
            "wagtailadmin_pages:add",
            args=["wagtail_policycomms", "consultationpage", self.index.pk],
        )
        response = self.client.get(url)
        self.assertRedirects(response, reverse("wagtailadmin_home"), fetch_redirect_response=False)

    def test_draft_with_two_articles_keeps_them_and_their_ids(self):
        first, second = str(uuid.uuid4()), str(uuid.uuid4())
        self.assertCanCreate(
            self.index,
            DraftPolicyPage,
            draft_form_data(
                self.unit,
                [(first, "Điều 1", "Phạm vi điều chỉnh"), (second, "Điều 2", "Đối tượng áp dụng")],
            ),
        )
        draft = DraftPolicyPage.objects.get(slug="nghi-quyet-hoc-phi")
        self.assertTrue(draft.live)
        self.assertEqual(
            [(a.id, a.value["number"], a.value["heading"]) for a in draft.articles],
            [(first, "Điều 1", "Phạm vi điều chỉnh"), (second, "Điều 2", "Đối tượng áp dụng")],
        )
        self.assertIn("Nội dung Điều 2", draft.articles[1].value["body"].source)

    def test_inserting_an_article_keeps_existing_anchors(self):
        """Comments follow an article by its block id, so a revision must not renumber ids."""
        first, second = str(uuid.uuid4()), str(uuid.uuid4())
        self.assertCanCreate(
            self.index,
            DraftPolicyPage,
            draft_form_data(
                self.unit, [(first, "Điều 1", "Phạm vi"), (second, "Điều 2", "Đối tượng")]
            ),
        )
        draft = DraftPolicyPage.objects.get(slug="nghi-quyet-hoc-phi")

        edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
        data = draft_form_data(
            self.unit,
            [
                (None, "Điều 1", "Giải thích từ ngữ"),
                (first, "Điều 2", "Phạm vi"),
                (second, "Điều 3", "Đối tượng"),
            ],
        )
        response = self.client.post(edit_url, {**data, "action-publish": "action-publish"})
        self.assertEqual(response.status_code, 302)

        draft.refresh_from_db()
        revision = draft.get_latest_revision_as_object()
        ids = [a.id for a in revision.articles]
        self.assertEqual(ids[1:], [first, second])
        self.assertTrue(ids[0])
        self.assertNotIn(ids[0], {first, second})
        self.assertEqual(
            [a.value["number"] for a in revision.articles], ["Điều 1", "Điều 2", "Điều 3"]
        )
        # The live page is that revision, so the public anchors are the old ones too.
        self.assertEqual([a.id for a in draft.articles], ids)
        self.assertEqual(draft.revisions.count(), 2)
