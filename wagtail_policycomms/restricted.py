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
  restricted by any draft, or listed by a draft restricted as a whole, is served only to
  users who may view restricted content (``permissions.can_view_restricted``).
"""

from collections.abc import Mapping

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


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
    return None
