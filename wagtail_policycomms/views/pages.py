"""What the package adds to Wagtail's page editor and page listing.

- a warning after saving a consultation shorter than the minimum period;
- a "Synthesis report" button on draft-policy and consultation pages, for those
  allowed to export comments;
- the refusal to delete a page when comments were received on it or under it (the
  delete view and the bulk delete): comments and their answers belong to the
  consultation's dossier, so such pages are unpublished, never deleted.

Registered by ``wagtail_hooks``.
"""

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin import messages as admin_messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.widgets.button import Button

from ..conf import policycomms_settings
from ..formats import format_count
from ..models import CommentResponse, ConsultationPage, DraftPolicyPage, PublicComment
from ..models.base import Page
from ..permissions import can_export
from ..synthesis.views import synthesis_url


def warn_short_consultation(request, page):
    """A short period may be saved, but the editor is told it is below the minimum."""
    page = page.specific
    if isinstance(page, ConsultationPage) and page.is_shorter_than_minimum:
        messages.warning(
            request,
            _(
                "The consultation period is %(days)s days, shorter than the minimum of "
                "%(minimum)s days. Check that the law allows a shorter period for this draft."
            )
            % {"days": page.duration.days, "minimum": policycomms_settings.MIN_CONSULTATION_DAYS},
        )


def synthesis_button(page, user):
    """ "Bản tổng hợp" for a draft or a consultation, if the user may export comments."""
    if issubclass(page.specific_class, (DraftPolicyPage, ConsultationPage)) and can_export(user):
        return Button(
            _("Synthesis report"),
            url=synthesis_url(page.specific),
            icon_name="doc-full",
            priority=60,
        )
    return None


def synthesis_header_buttons(page, user, view_name=None, next_url=None):
    """``register_page_header_buttons``: beside the page's own buttons."""
    button = synthesis_button(page, user)
    if button:
        yield button


def synthesis_listing_buttons(page, user, next_url=None):
    """``register_page_listing_more_buttons``: in the page listing's "More" menu."""
    button = synthesis_button(page, user)
    if button:
        yield button


# --- Pages holding comments are never deleted ---------------------------------------------


def _under(pages):
    """Comments or answers whose consultation is in the subtree of one of ``pages``."""
    query = Q()
    for page in pages:
        query |= Q(consultation__path__startswith=page.path)
    return query


def _deleted_with(page):
    """The pages whose subtrees Wagtail's delete view removes with ``page``: the page, and
    its translations when WAGTAIL_I18N_ENABLED (the view may delete them too). Taken
    broadly: refusing once too often is safe, deleting a dossier is not."""
    pages = [page]
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        pages.extend(page.get_translations())
    return pages


def _keep_the_dossier(count):
    return ngettext(
        "Comments and their answers belong to the consultation's dossier. Unpublish the page "
        "instead: it is hidden from the public, and its comments and answers are kept.",
        "Comments and their answers belong to the consultation's dossier. Unpublish the pages "
        "instead: they are hidden from the public, and their comments and answers are kept.",
        count,
    )


def refuse_deleting_pages_with_comments(request, page):
    """``before_delete_page``: a draft, a consultation, or any page above them (a policy
    index), is not deleted once a comment was received under it.

    Refused on GET and POST alike, before Wagtail's confirmation, with a message in the
    user's language and, for those who may, a button to unpublish instead: unpublishing
    hides the page and its children and keeps every comment, answer and file. Answers are
    looked at too: their key protects the consultation as the comments' does
    (``on_delete=PROTECT``), which would otherwise end the delete in a server error.
    One or two queries.
    """
    pages = _deleted_with(page)
    count = PublicComment.objects.filter(_under(pages)).count()
    title = page.get_admin_display_title()
    if count:
        refusal = ngettext(
            "“%(title)s” cannot be deleted: %(count)s comment has been received on it or "
            "on its consultations.",
            "“%(title)s” cannot be deleted: %(count)s comments have been received on it or "
            "on its consultations.",
            count,
        ) % {"title": title, "count": format_count(count)}
    elif CommentResponse.objects.filter(_under(pages)).exists():
        refusal = _(
            "“%(title)s” cannot be deleted: answers to comments are recorded on its consultations."
        ) % {"title": title}
    else:
        return None
    buttons = []
    if page.live and page.permissions_for_user(request.user).can_unpublish():
        unpublish_url = reverse("wagtailadmin_pages:unpublish", args=[page.pk])
        buttons.append(admin_messages.button(unpublish_url, _("Unpublish")))
    admin_messages.error(request, f"{refusal} {_keep_the_dossier(1)}", buttons=buttons)
    return redirect(
        get_valid_next_url_from_request(request)
        or reverse("wagtailadmin_pages:edit", args=[page.pk])
    )


def refuse_bulk_deleting_pages_with_comments(request, action_type, objects, action):
    """``before_bulk_action``: Wagtail's bulk delete of pages does not call
    ``before_delete_page``, so the same refusal is made here, naming the pages that hold
    comments or answers. Nothing of the selection is deleted then. Two queries (the
    distinct consultations holding comments, then answers), whatever the selection."""
    if action_type != "delete" or not objects or not isinstance(objects[0], Page):
        return None
    holding = set()
    for model in (PublicComment, CommentResponse):
        holding.update(
            model.objects.filter(_under(objects))
            .order_by()
            .values_list("consultation__path", flat=True)
            .distinct()
        )
    refused = [page for page in objects if any(path.startswith(page.path) for path in holding)]
    if not refused:
        return None
    refusal = ngettext(
        "Not deleted: comments have been received on the page %(pages)s or on its consultations.",
        "Not deleted: comments have been received on the pages %(pages)s or on their "
        "consultations.",
        len(refused),
    ) % {"pages": "; ".join(f"“{page.get_admin_display_title()}”" for page in refused)}
    admin_messages.error(request, f"{refusal} {_keep_the_dossier(len(refused))}")
    return redirect(action.next_url)
