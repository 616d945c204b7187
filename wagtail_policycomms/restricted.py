"""Restricted content (state secrets, "Mật"): the one rule of what may reach the public.

A draft policy as a whole, one article of its text or one related document can carry a
security classification (``Classification``); a blank classification means "not
restricted". Everything public asks this module:

- ``is_restricted(item)``: a page, a related document, an article block (or its value);
- ``public_articles(blocks)``: the articles the public may read;
- ``PUBLIC_DOCUMENTS``: the related documents the public may see, as a filter.

Enforcement, also here (registered in ``wagtail_hooks``):

- ``refuse_publishing`` (``before_publish_page``): the page editor never publishes a
  draft restricted as a whole; ``unpublish_if_restricted`` (``page_published``) takes
  down one published any other way (workflow approval, scheduled publishing, bulk).
- ``apply_restrictions`` (``after_edit_page``): restricting on a live draft takes effect
  at once, on saving, without waiting for the next publication: a draft restricted as a
  whole is unpublished (with its consultation rounds); articles and documents marked
  restricted are marked so on the live page too (only their classification: no other
  unpublished change goes live).
- ``refuse_serving_document`` (``before_serve_document``): a document listed as
  restricted by any draft, or listed by a draft restricted as a whole, or linked only from
  the text of restricted articles or drafts (``linked_only_from_restricted_text``), is
  served only to users who may view restricted content (``permissions.can_view_restricted``).

In the admin, staff without that permission do not see restricted content: a draft
holding any (``holds_restricted_content``) is out of their reach
(``RestrictedPagePermissionTester``, ``DraftPolicyPage.permissions_for_user``), drafts
restricted as a whole are not listed (``hide_restricted_pages``, and Wagtail's global page
search through ``RestrictedPagePermissionPolicy``), nor are restricted documents in
Wagtail's *Documents* admin (``RestrictedDocumentPermissionPolicy``); both policies are put
in Wagtail's place by ``install_permission_policies``.
"""

from collections.abc import Mapping

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import PagePermissionTester
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy


class Classification(models.TextChoices):
    """The state-secret levels (Law on Protection of State Secrets 2018); blank: public."""

    PUBLIC = "", _("Not restricted")
    CONFIDENTIAL = "mat", _("Confidential (Mật)")
    SECRET = "toi_mat", _("Secret (Tối mật)")
    TOP_SECRET = "tuyet_mat", _("Top secret (Tuyệt mật)")


CLASSIFICATION_HELP = _(
    "State secrets never reach the portal: a restricted item is left out of every public "
    "page, feed, download and the open-data API."
)

#: The related documents the public may see (a draft's ``related_documents``).
PUBLIC_DOCUMENTS = Q(classification="")

#: How a comment's restricted article reads to the public and to staff who may not see it.
RESTRICTED_ARTICLE = _("[Restricted article]")
#: How a draft restricted as a whole reads, where an assignment links it, to staff who may
#: not see it (``without_hidden``).
RESTRICTED_DRAFT = _("[Restricted draft]")

#: The mark of each level as stamped on a document ("Mật"): the legal wording, the same in
#: every language. Staff who may view restricted content read a restricted article's label
#: after its mark (``marked_label``), in the queue, its filter, exports and the synthesis.
MARKS = {
    Classification.CONFIDENTIAL: "Mật",
    Classification.SECRET: "Tối mật",
    Classification.TOP_SECRET: "Tuyệt mật",
}


def shared_draft_title(draft):
    """``draft``'s title where people who may not view restricted content may read it (an
    email to a whole unit): ``RESTRICTED_DRAFT`` for a draft restricted as a whole."""
    return RESTRICTED_DRAFT if is_restricted(draft) else draft.title


def marked_label(classification, label):
    """``label`` after the mark of ``classification``: "[Mật] Điều 5. …"."""
    mark = MARKS.get(classification, MARKS[Classification.CONFIDENTIAL])
    return f"[{mark}] {label}"


def hides_restricted(user):
    """Whether what ``user`` reads names restricted articles as ``RESTRICTED_ARTICLE``:
    everyone but staff who may view restricted content (``None``: the public)."""
    from .permissions import can_view_restricted

    return user is None or not can_view_restricted(user)


def is_restricted(item):
    """Whether ``item`` is restricted: a model instance with a ``classification``, an
    article block of a stream or its value."""
    value = getattr(item, "value", item)
    if isinstance(value, Mapping):
        return bool(value.get("classification"))
    return bool(getattr(item, "classification", ""))


def public_articles(blocks):
    """The blocks among ``blocks`` the public may read."""
    return [block for block in blocks if not is_restricted(block)]


# --- Enforcement (hooks, registered in wagtail_hooks) -----------------------------------------


def _is_draft(page):
    from .models import DraftPolicyPage

    return isinstance(page.specific, DraftPolicyPage)


def refuse_publishing(request, page):
    """``before_publish_page``: a draft restricted as a whole is saved, never published."""
    if not _is_draft(page) or not is_restricted(page.specific):
        return None
    # The create view has already saved the new page as live; an edited one may be live.
    _unpublish(page.specific, request.user)
    messages.error(
        request,
        gettext(
            "This draft is restricted (state secret): it was saved but cannot be published. "
            "Clear its security classification to publish it."
        ),
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


def unpublish_if_restricted(sender, instance, **kwargs):
    """``page_published`` signal: whatever published it, a restricted draft goes down."""
    from .models import DraftPolicyPage

    if isinstance(instance, DraftPolicyPage) and is_restricted(instance):
        _unpublish(instance, None)


def _unpublish(page, user):
    """Unpublish ``page`` and its rounds; its row keeps the classification, so the
    document rule (``refuse_serving_document``) sees it while it is not live."""
    from .models import DraftPolicyPage

    live = DraftPolicyPage.objects.get(pk=page.pk)
    classification = page.classification
    # Wagtail's include_descendants needs a user; a signal has none.
    for child in live.get_descendants().live().specific():
        child.unpublish(user=user)
    if live.live:
        live.unpublish(user=user)
    DraftPolicyPage.objects.filter(pk=page.pk).update(classification=classification)


def apply_restrictions(request, page):
    """``after_edit_page``: what the editor has just restricted leaves the public side now."""
    if not _is_draft(page):
        return None
    from .models import DraftPolicyDocument, DraftPolicyPage

    # The editor's page: the content just saved (the live row is read below).
    latest = page.specific
    live = DraftPolicyPage.objects.get(pk=page.pk)
    if is_restricted(latest):
        was_live = live.live
        _unpublish(latest, request.user)
        if was_live:
            messages.warning(
                request,
                gettext(
                    "This draft is restricted (state secret): it and its consultation rounds "
                    "were unpublished."
                ),
            )
        return None
    if not live.live:
        return None  # nothing public; the row is the latest draft (Wagtail saves it)
    # The live page: copy only the classification of newly restricted articles and documents.
    restricted = {
        block.id: block.value["classification"] for block in latest.articles if is_restricted(block)
    }
    raw = live.body.raw_data
    changed = False
    for block in raw:
        value = block.get("value") or {}
        if block.get("id") in restricted and not value.get("classification"):
            value["classification"] = restricted[block["id"]]
            changed = True
    if changed:
        live.body = list(raw)
        live.save(update_fields=["body"], clean=False)
    for item in latest.related_documents.all():
        if is_restricted(item):
            DraftPolicyDocument.objects.filter(
                Q(pk=item.pk) if item.pk else Q(page=live, document_id=item.document_id),
                page=live,
                classification="",
            ).update(classification=item.classification)
    return None


def restricted_documents():
    """Documents (ids, as a queryset) no anonymous reader may download."""
    from .models import DraftPolicyDocument

    return DraftPolicyDocument.objects.filter(
        ~Q(classification="") | ~Q(page__classification="")
    ).values("document_id")


def refuse_serving_document(document, request):
    """``before_serve_document``: a restricted document's file is not public."""
    from .permissions import can_view_restricted

    if can_view_restricted(request.user):
        return None
    if is_restricted_document(document):
        raise PermissionDenied
    return None


def is_restricted_document(document):
    """Whether ``document`` is restricted (``restricted_documents``, or linked only from
    restricted text): its file is refused to anyone who may not view restricted content.
    For many documents at once (the admin): ``_restricted_document_ids``."""
    if restricted_documents().filter(document_id=document.pk).exists():
        return True
    return linked_only_from_restricted_text(document)


def linked_only_from_restricted_text(document):
    """Whether ``document`` is linked from the text of a restricted article or of a draft
    restricted as a whole, and from nowhere else (Wagtail's ``ReferenceIndex``: another
    page, a public article, a listed document, a snippet…). At most two queries: the
    references, then the drafts they come from."""
    from wagtail.models import ReferenceIndex

    references = ReferenceIndex.get_references_to(document).values_list(
        "content_type_id", "object_id", "content_path"
    )
    return document.pk in _only_from_restricted_text(
        (document.pk, *reference) for reference in references
    )


def documents_linked_only_from_restricted_text():
    """The ids of the documents ``linked_only_from_restricted_text``, all at once for a
    listing: two queries (every reference to the documents linked from a draft holding
    restricted content, then those drafts), whatever the number of documents."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast
    from wagtail.documents import get_document_model
    from wagtail.models import ReferenceIndex

    from .models import DraftPolicyPage

    document_type = ContentType.objects.get_for_model(
        get_document_model(), for_concrete_model=False
    )
    draft_type = ContentType.objects.get_for_model(DraftPolicyPage)
    drafts = restricted_drafts().annotate(id_text=Cast("pk", CharField())).values("id_text")
    linked = ReferenceIndex.objects.filter(
        to_content_type=document_type, content_type=draft_type, object_id__in=drafts
    ).values("to_object_id")
    references = ReferenceIndex.objects.filter(
        to_content_type=document_type, to_object_id__in=linked
    ).values_list("to_object_id", "content_type_id", "object_id", "content_path")
    return _only_from_restricted_text(
        (int(document_id), *reference) for document_id, *reference in references
    )


def _only_from_restricted_text(references):
    """Among the documents of ``references`` (document id, content type id, object id,
    content path: every reference to each), the ids of those linked only from restricted
    text. One query: the drafts the references come from."""
    from django.contrib.contenttypes.models import ContentType

    from .models import DraftPolicyPage

    draft_type = ContentType.objects.get_for_model(DraftPolicyPage)
    elsewhere = set()  # documents used by some other place: not only restricted text
    places = {}  # document id -> draft id -> the block ids of its text linking it
    for document_id, content_type_id, object_id, content_path in references:
        if content_type_id != draft_type.pk:
            elsewhere.add(document_id)
            continue
        field, _dot, rest = content_path.partition(".")
        # An article's block id; any other field of the draft: restricted with the draft.
        place = rest.partition(".")[0] if field == "body" else "*"
        places.setdefault(document_id, {}).setdefault(int(object_id), set()).add(place)
    for document_id in elsewhere:
        places.pop(document_id, None)
    if not places:
        return set()
    secret = {}  # draft id -> its restricted block ids; None: restricted as a whole
    draft_ids = {draft_id for in_drafts in places.values() for draft_id in in_drafts}
    for draft in DraftPolicyPage.objects.filter(pk__in=draft_ids).only("classification", "body"):
        secret[draft.pk] = (
            None
            if is_restricted(draft)
            else {block.id for block in draft.articles if is_restricted(block)}
        )
    return {
        document_id
        for document_id, in_drafts in places.items()
        # Not linked from a public article of a public draft.
        if all(secret.get(pk) is None or linking <= secret[pk] for pk, linking in in_drafts.items())
    }


# --- The admin: staff who may not view restricted content -----------------------------------

#: How an article's classification is stored in a draft's text (JSON, as the database
#: writes it back as text on SQLite and PostgreSQL alike): one marker per level.
_BODY_MARKERS = tuple(f'"classification": "{level}"' for level in Classification.values if level)


def restricted_drafts():
    """The drafts holding restricted content (restricted as a whole, a restricted article in
    their saved text or a restricted related document), as a queryset: one query."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    from .models import DraftPolicyDocument, DraftPolicyPage

    in_text = Q()
    for marker in _BODY_MARKERS:
        in_text |= Q(body_text__contains=marker)
    return DraftPolicyPage.objects.annotate(body_text=Cast("body", TextField())).filter(
        ~Q(classification="")
        | in_text
        | Q(pk__in=DraftPolicyDocument.objects.exclude(classification="").values("page_id"))
    )


def _restricted_draft_ids(user):
    """``restricted_drafts`` ids, read once per request (kept on the request's user)."""
    ids = getattr(user, "_policycomms_restricted_drafts", None)
    if ids is None:
        ids = frozenset(restricted_drafts().values_list("pk", flat=True))
        user._policycomms_restricted_drafts = ids
    return ids


def holds_restricted_content(page, user=None):
    """Whether draft ``page`` holds restricted content: as saved (the ids above) or, for an
    instance with its text loaded (a revision in the editor), in that text and documents."""
    if user is not None and page.pk in _restricted_draft_ids(user):
        return True
    if "body" in page.get_deferred_fields():
        return False
    return (
        is_restricted(page)
        or any(is_restricted(block) for block in page.articles)
        or any(is_restricted(item) for item in page.related_documents.all())
    )


class RestrictedPagePermissionTester(PagePermissionTester):
    """A draft holding restricted content, for a user who may not view restricted content:
    nothing can be done to it (no edit, preview, revisions, compare, history, publish, move,
    copy, delete, lock), so Wagtail hides its buttons and refuses its views its own way.
    Decided lazily: listings ask for every row, and the answer is one query per request
    (``restricted_drafts``), none for users with the permission."""

    def refused(self):
        if "_refused" not in self.__dict__:
            from .permissions import can_view_restricted

            self._refused = not can_view_restricted(self.user) and holds_restricted_content(
                self.page, self.user
            )
        return self._refused


#: What a user without the permission may not do to a draft holding restricted content.
#: Its rounds (adding, publishing, ordering them) are not its content: left to page permissions.
GUARDED_ACTIONS = (
    "can_edit",
    "can_delete",
    "can_unpublish",
    "can_publish",
    "can_submit_for_moderation",
    "can_set_view_restrictions",
    "can_unschedule",
    "can_lock",
    "can_unlock",
    "can_move",
    "can_copy",
    "can_move_to",
    "can_copy_to",
    "can_view_revisions",
)


def _guarded(name):
    allowed = getattr(PagePermissionTester, name)

    def method(self, *args, **kwargs):
        return not self.refused() and allowed(self, *args, **kwargs)

    method.__name__ = name
    return method


for _name in GUARDED_ACTIONS:
    setattr(RestrictedPagePermissionTester, _name, _guarded(_name))


def _whole_draft_paths(user):
    """The tree paths of the drafts restricted as a whole, read once per request (kept on
    the request's user, as ``_restricted_draft_ids``)."""
    paths = getattr(user, "_policycomms_restricted_paths", None)
    if paths is None:
        from .models import DraftPolicyPage

        paths = tuple(
            DraftPolicyPage.objects.exclude(classification="").values_list("path", flat=True)
        )
        user._policycomms_restricted_paths = paths
    return paths


class RestrictedRoundPermissionTester(RestrictedPagePermissionTester):
    """A round under a draft restricted as a whole: the draft's title and content are in
    it, so staff who may not view restricted content can do nothing to it either. Decided
    from the tree path, one query per request; a round under a draft with only a
    restricted article stays under ordinary page permissions (it holds no article)."""

    def refused(self):
        if "_refused" not in self.__dict__:
            from .permissions import can_view_restricted

            self._refused = not can_view_restricted(self.user) and any(
                self.page.path.startswith(path) for path in _whole_draft_paths(self.user)
            )
        return self._refused


def under_whole_drafts(user):
    """The pages (a ``Q`` on the tree path) under a draft restricted as a whole, the draft
    included, that ``user`` may not see; ``None`` when there are none or ``user`` may view
    restricted content. One query per request (``_whole_draft_paths``)."""
    from .permissions import can_view_restricted

    if can_view_restricted(user):
        return None
    paths = _whole_draft_paths(user)
    if not paths:
        return None
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    return under


def hidden_page_ids(user):
    """The ids of the drafts restricted as a whole and of every page under them (their
    rounds), which ``user`` may not see: empty for staff who may view restricted content.
    Read once per request (kept on the request's user): two queries at most, one when no
    draft is restricted as a whole, none for staff with the permission."""
    ids = getattr(user, "_policycomms_hidden_pages", None)
    if ids is None:
        from wagtail.models import Page

        under = under_whole_drafts(user)
        ids = (
            frozenset()
            if under is None
            else frozenset(Page.objects.filter(under).values_list("pk", flat=True))
        )
        user._policycomms_hidden_pages = ids
    return ids


def without_hidden(queryset, user, field="pk"):
    """``queryset`` without the rows whose ``field`` names a page of ``hidden_page_ids``:
    the one rule of the package's own staff screens for drafts restricted as a whole.
    ``field`` is a page id: ``"pk"`` for drafts and rounds, ``"consultation_id"`` for
    comments and campaigns, ``"comment__consultation_id"`` for answers. One ``NOT IN``
    on an indexed column; nothing changes for staff who may view restricted content."""
    ids = hidden_page_ids(user)
    return queryset.exclude(**{f"{field}__in": ids}) if ids else queryset


def is_hidden_page(page_id, user):
    """Whether the page ``page_id`` (a draft, a round, a comment's ``consultation_id``) is
    one ``user`` may not see (``hidden_page_ids``)."""
    return page_id in hidden_page_ids(user)


#: The explorer's own views (its page and its results), refused on a hidden draft.
_EXPLORER_VIEWS = frozenset({"wagtailadmin_explore", "wagtailadmin_explore_results"})


def hide_restricted_pages(parent_page, pages, request):
    """``construct_explorer_page_queryset``: drafts restricted as a whole are not listed
    (explorer, its menu, its search) for staff who may not view restricted content, nor is
    anything under them. The explorer page of such a draft or of one of its rounds, opened
    by its address, is refused (its header and breadcrumb name the draft); the explorer
    menu's listing of it (the admin API) is empty."""
    under = under_whole_drafts(request.user)
    if under is None:
        return pages
    paths = _whole_draft_paths(request.user)
    if parent_page is not None and any(parent_page.path.startswith(path) for path in paths):
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name in _EXPLORER_VIEWS:
            raise PermissionDenied
        return pages.none()
    return pages.exclude(under)


def hide_restricted_chosen_pages(pages, request):
    """``construct_page_chooser_queryset``: the same, in the page chooser; its view of a
    hidden draft's children, opened by its address, is refused (its heading names the
    draft)."""
    match = getattr(request, "resolver_match", None)
    parent_id = match.kwargs.get("parent_page_id") if match is not None else None
    if parent_id is not None and under_whole_drafts(request.user) is not None:
        from wagtail.models import Page

        parent = Page.objects.filter(pk=parent_id).only("path").first()
        paths = _whole_draft_paths(request.user)
        if parent is not None and any(parent.path.startswith(path) for path in paths):
            raise PermissionDenied
    return hide_restricted_pages(None, pages, request)


class RestrictedPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permission policy, where a draft restricted as a whole and the pages
    under it are not explorable by staff who may not view restricted content: Wagtail's
    global page search (which has no queryset hook), the explorer, its menu and the
    history of pages (log entries) read ``explorable_instances``; its reports and dashboard
    panels ``instances_user_has_any_permission_for``. One filter, one query per request;
    nothing changes for users with the permission."""

    def explorable_instances(self, user):
        pages = super().explorable_instances(user)
        under = under_whole_drafts(user)
        return pages if under is None else pages.exclude(under)

    def instances_user_has_any_permission_for(self, user, actions):
        """The same, for the pages a user may act on: Wagtail's reports (aging pages,
        locked pages, workflows) and its dashboard panels read it."""
        pages = super().instances_user_has_any_permission_for(user, actions)
        under = under_whole_drafts(user)
        return pages if under is None else pages.exclude(under)


def _restricted_document_ids(user):
    """The ids of the restricted documents (``restricted_documents``, and those
    ``documents_linked_only_from_restricted_text``), read once per request (kept on the
    request's user): three queries, whatever the number of documents."""
    ids = getattr(user, "_policycomms_restricted_documents", None)
    if ids is None:
        listed = restricted_documents().values_list("document_id", flat=True)
        ids = frozenset(listed) | frozenset(documents_linked_only_from_restricted_text())
        user._policycomms_restricted_documents = ids
    return ids


def hide_restricted_documents(documents, user):
    """``documents`` without the restricted ones, for staff who may not view restricted
    content: one filter."""
    from .permissions import can_view_restricted

    if can_view_restricted(user):
        return documents
    return documents.exclude(pk__in=_restricted_document_ids(user))


class RestrictedDocumentPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's document permission policy, where restricted documents are not there for
    staff who may not view restricted content: not listed (the *Documents* listing, the
    document chooser, bulk actions read ``instances_user_has_any_permission_for``), and
    their edit, delete and usage pages, and bulk actions on them, are refused Wagtail's
    way (``user_has_any_permission_for_instance``; the same ids, no query per document)."""

    def instances_user_has_any_permission_for(self, user, actions):
        documents = super().instances_user_has_any_permission_for(user, actions)
        return hide_restricted_documents(documents, user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        from .permissions import can_view_restricted

        if not super().user_has_any_permission_for_instance(user, actions, instance):
            return False
        return can_view_restricted(user) or instance.pk not in _restricted_document_ids(user)


def install_permission_policies():
    """Make ``RestrictedPagePermissionPolicy`` and ``RestrictedDocumentPermissionPolicy``
    Wagtail's page and document policies (called by ``wagtail_hooks``).

    Wagtail 8 looks them up in its policy registry: registered there. Wagtail 7.4 has no
    registry: its views import its policy objects by name
    (``wagtail.permissions.page_permission_policy``,
    ``wagtail.documents.permissions.permission_policy``), so each object becomes an
    instance of our subclass (same state, the methods above on top); no view, URL or
    template of Wagtail is replaced. On Wagtail 7.4, a document policy of the portal's own
    (not Wagtail's ``CollectionOwnershipPermissionPolicy``) is left as it is."""
    from wagtail.documents import get_document_model, get_document_model_string

    try:
        from wagtail.permissions import register_permission_policy
    except ImportError:  # Wagtail 7.4
        from wagtail import permissions
        from wagtail.documents import permissions as document_permissions

        pages, documents = (
            permissions.page_permission_policy,
            document_permissions.permission_policy,
        )
        if type(pages) is PagePermissionPolicy:
            pages.__class__ = RestrictedPagePermissionPolicy
        if type(documents) is CollectionOwnershipPermissionPolicy:
            documents.__class__ = RestrictedDocumentPermissionPolicy
        return
    from wagtail.models import AbstractPage

    # The base page model by default (``WAGTAIL_PAGE_MODEL``), as Wagtail's own policy.
    register_permission_policy(AbstractPage, RestrictedPagePermissionPolicy())
    # wagtail.documents registers its own in its ``ready()``, which may run after this
    # module is imported: for the document model exactly, ours is looked up first.
    register_permission_policy(
        get_document_model(),
        RestrictedDocumentPermissionPolicy(
            get_document_model_string(),
            auth_model="wagtaildocs.Document",
            owner_field_name="uploaded_by_user",
        ),
        exact_class=True,
    )
