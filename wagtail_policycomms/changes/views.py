"""The public page "What changed and why": ``<draft url>changes/``.

``?from=<revision id>&to=<revision id>`` compares two published versions of the draft
(``data``); ``?round=<round id>`` the text put to the round before that round with the
text put to it; without parameters, the default pair (``data.default_pair``). A
parameter that is not a number is a 400 that says so, a revision that is not a
published version of this draft (or a round not on it) a 404.
"""

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.models import Page

from ..blocks import article_label
from ..conf import policycomms_settings
from ..forms import VersionsForm
from ..restricted import is_restricted
from . import compare, data

TEMPLATE = "wagtail_policycomms/pages/draft_changes.html"


class BadParameter(Exception):
    pass


def _number(params, name):
    value = params.get(name, "")
    if not value.isdigit() or len(value) > 18:
        raise BadParameter(name)
    return int(value)


def _pick(draft, request, rounds, versions, by_round):
    """(pair or None, note): the two revision ids to compare."""
    params = request.GET
    known = {version.revision_id for version in versions}
    if "from" in params or "to" in params:
        pair = _number(params, "from"), _number(params, "to")
        if not set(pair) <= known:
            raise Http404
        return pair, ""
    if "round" in params:
        round_id = _number(params, "round")
        consultation = next((r for r in rounds if r.pk == round_id), None)
        if consultation is None:
            raise Http404
        pair = data.previous_round_pair(consultation, versions, by_round, rounds)
        if pair is not None:
            return pair, ""
        note = _("There is no earlier round on another version of the text before this round.")
        return data.default_pair(versions, by_round, rounds), note
    return data.default_pair(versions, by_round, rounds), ""


def serve_changes(draft, request):
    rounds = data.public_rounds(draft)
    versions, by_round = data.round_versions(draft, rounds)
    context = Page.get_context(draft, request)
    context.update(
        policycomms_base_template=policycomms_settings.BASE_TEMPLATE,
        versions=versions,
        changes=None,
    )
    try:
        pair, note = _pick(draft, request, rounds, versions, by_round)
    except BadParameter as error:
        context.update(
            form=VersionsForm(versions=versions),
            error=_("The address asks for a version that does not exist (“%(name)s”).")
            % {"name": str(error)},
        )
        return TemplateResponse(request, TEMPLATE, context, status=400)
    context["note"] = note
    if pair is None:
        context["form"] = VersionsForm(versions=versions) if versions else None
        return TemplateResponse(request, TEMPLATE, context)
    from_id, to_id = pair
    context["form"] = VersionsForm(
        versions=versions, initial={"from": str(from_id), "to": str(to_id)}
    )
    texts = data.revisions_content(draft, pair)
    if len(texts) != len(set(pair)):  # deleted meanwhile
        raise Http404
    old, new = texts[from_id], texts[to_id]
    # Whatever was public then, an article restricted now is not shown (``restricted``).
    hidden = {block.id for block in draft.articles if is_restricted(block)}
    changes = compare.compare_articles(old.articles, new.articles, also_hidden=hidden)
    earlier_rounds = data.rounds_on(from_id, by_round, rounds)
    comments = data.comments_by_article(
        earlier_rounds, [change.block_id for change in changes if change.old is not None]
    )
    new_labels = {
        change.block_id: article_label(change.new) for change in changes if change.new is not None
    }
    for change in changes:
        change.comments = comments.get(change.block_id) if change.old is not None else None
        for comment in change.comments.comments if change.comments else ():
            answer = comment.response
            if answer is not None and answer.is_published:
                comment.implemented_label = new_labels.get(answer.implemented_in_article, "")
    by_id = {version.revision_id: version for version in versions}
    earlier = earlier_rounds[-1] if earlier_rounds else None
    context.update(
        changes=changes,
        counts=compare.summary(changes),
        shown=[change for change in changes if change.kind != compare.UNCHANGED],
        unchanged=[change for change in changes if change.kind == compare.UNCHANGED],
        from_version=by_id[from_id],
        to_version=by_id[to_id],
        earlier_rounds=earlier_rounds,
        earlier_round_url=earlier.get_url(request) if earlier else "",
    )
    return TemplateResponse(request, TEMPLATE, context)
