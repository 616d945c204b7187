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
(``RestrictedPagePermissionTester``, ``DraftPolicyPage.permissions_for_user``), and drafts
restricted as a whole are not listed (``hide_restricted_pages``).
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

#: The mark of each level as stamped on a document ("Mật"): the legal wording, the same in
#: every language. Staff who may view restricted content read a restricted article's label
#: after its mark (``marked_label``), in the queue, its filter, exports and the synthesis.
MARKS = {
    Classification.CONFIDENTIAL: "Mật",
    Classification.SECRET: "Tối mật",
    Classification.TOP_SECRET: "Tuyệt mật",
}


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
    if restricted_documents().filter(document_id=document.pk).exists():
        raise PermissionDenied
    if linked_only_from_restricted_text(document):
        raise PermissionDenied
    return None


def linked_only_from_restricted_text(document):
    """Whether ``document`` is linked from the text of a restricted article or of a draft
    restricted as a whole, and from nowhere else (Wagtail's ``ReferenceIndex``: another
    page, a public article, a listed document, a snippet…). At most two queries: the
    references, then the drafts they come from."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    from .models import DraftPolicyPage

    draft_type = ContentType.objects.get_for_model(DraftPolicyPage)
    in_drafts = {}  # draft id -> the block ids of its text linking the document
    for content_type_id, object_id, content_path in ReferenceIndex.get_references_to(
        document
    ).values_list("content_type_id", "object_id", "content_path"):
        if content_type_id != draft_type.pk:
            return False  # used by some other place: not only restricted text
        field, _dot, rest = content_path.partition(".")
        # An article's block id; any other field of the draft: restricted with the draft.
        place = rest.partition(".")[0] if field == "body" else "*"
        in_drafts.setdefault(int(object_id), set()).add(place)
    if not in_drafts:
        return False
    for draft in DraftPolicyPage.objects.filter(pk__in=in_drafts).only("classification", "body"):
        if is_restricted(draft):
            continue
        secret = {block.id for block in draft.articles if is_restricted(block)}
        if not in_drafts[draft.pk] <= secret:
            return False  # linked from a public article of a public draft
    return True


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


def hide_restricted_pages(parent_page, pages, request):
    """``construct_explorer_page_queryset``: drafts restricted as a whole are not listed
    (explorer, its menu, its search) for staff who may not view restricted content, nor is
    anything under them."""
    from .permissions import can_view_restricted

    if can_view_restricted(request.user):
        return pages
    # Few drafts are restricted as a whole: their paths in one query, then their subtrees.
    paths = _whole_draft_paths(request.user)
    if not paths:
        return pages
    if parent_page is not None and any(parent_page.path.startswith(path) for path in paths):
        return pages.none()
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    return pages.exclude(under)


def hide_restricted_chosen_pages(pages, request):
    """``construct_page_chooser_queryset``: the same, in the page chooser."""
    return hide_restricted_pages(None, pages, request)
