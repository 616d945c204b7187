"""RSS 2.0 and Atom feeds: the open and upcoming consultations, and one consultation's
published comments with their published answers.

Built on Django's syndication framework (``django.contrib.syndication.views.Feed``);
the Atom feeds are the same classes with ``feed_type = Atom1Feed``. Every feed holds at
most ``FEED_ITEMS`` entries and is read in a fixed handful of queries, whatever the
number of entries.

What a feed may show is what the public pages show, decided where the pages decide it:
live, public pages (``live().public()``) whose draft is live too; a consultation's status
from ``models.consultation_status``; published comments (``PublicComment.objects
.published()``) named by ``PublicComment.public_author`` only (no field of
``models.comments.PII_FIELDS`` is read: they are deferred, so reading one would show as
an extra query in the tests); a comment's article through ``blocks.ArticleLabels``;
an answer only once it is published. Every stored string goes through
``formats.text.for_xml`` first: a title with a control character must not break the XML.

A feed object is shared by every request (Django's ``Feed`` is instantiated once in the
URLconf), so nothing request-bound is kept on it: ``get_object`` returns a ``FeedSource``
that carries the request, and each item carries its own absolute URL.
"""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape, format_html, format_html_join, linebreaks
from django.utils.translation import gettext as _
from wagtail.models import Site

from ..blocks import ArticleLabels
from ..conf import content_language
from ..formats import format_date, format_datetime
from ..formats.text import for_xml
from ..models import ConsultationPage, DraftPolicyPage, PublicComment, Sector
from ..models.comments import PUBLIC_COMMENT_FIELDS
from ..models.consultation_status import ConsultationStatus, status_q
from ..models.consultations import drafts_of

#: The most entries a feed (or the calendar of all rounds) holds: the consultations
#: closing soonest, the newest comments. A reader polls the feed; older entries are on
#: the pages themselves.
FEED_ITEMS = 50

#: What a public output reads of a comment (``models.comments.PUBLIC_COMMENT_FIELDS``).
COMMENT_FIELDS = PUBLIC_COMMENT_FIELDS


def text(value):
    """A stored string as a feed or a calendar can hold it (``formats.text.for_xml``)."""
    return for_xml(str(value or ""))


def consultation_title(consultation, draft):
    """An entry's title: the draft and the round ("Dự thảo …: Lấy ý kiến đợt 1")."""
    if draft is None:
        return text(consultation.title)
    return f"{text(draft.title)}: {text(consultation.title)}"


def period_text(consultation):
    """The comment period as the public pages write it ("From 08:00 01/11/2026 to …")."""
    return "{} {} {} {}".format(
        _("From"),
        format_datetime(consultation.opens_at),
        _("to"),
        format_datetime(consultation.closes_at),
    )


def parent_draft(drafts):
    """``drafts`` narrowed to the parent of the outer consultation row, for an EXISTS."""
    steplen = ConsultationPage.steplen
    parent_path = Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * steplen)
    return drafts.filter(depth=OuterRef("depth") - 1, path=parent_path)


def published_consultation(page_id):
    """The live, public consultation ``page_id`` whose draft is live, or a 404."""
    return get_object_or_404(
        ConsultationPage.objects.readable().select_related("receiving_unit"),
        pk=page_id,
    )


def open_and_upcoming(request, *, sector=None, limit=FEED_ITEMS):
    """The live, public consultations of the request's site that are open or upcoming
    (``consultation_status``), those closing soonest first, at most ``limit``; with
    ``sector``, only those whose draft is filed under it.

    Each carries ``draft`` (its draft policy page), ``listed_status`` and ``listed_url``; a round
    without a URL on any site is left out. Three queries, plus Wagtail's site lookup.
    """
    now = timezone.now()
    consultations = (
        ConsultationPage.objects.readable()
        .filter(status_q(ConsultationStatus.OPEN, now) | status_q(ConsultationStatus.UPCOMING, now))
        .select_related("receiving_unit")
    )
    site = Site.find_for_request(request)
    if site is not None:
        consultations = consultations.in_site(site)
    if sector is not None:
        in_field = DraftPolicyPage.objects.filter(sector=sector)
        consultations = consultations.filter(Exists(parent_draft(in_field)))
    consultations = list(consultations.order_by("closes_at", "pk")[:limit])
    drafts = drafts_of(consultations)
    listed = []
    for consultation in consultations:
        consultation.draft = drafts.get(consultation.pk)
        consultation.listed_status = consultation.status_at(now)
        consultation.listed_url = consultation.get_full_url(request)
        if consultation.listed_url:
            listed.append(consultation)
    return listed


@dataclass
class FeedSource:
    """What one request's feed is about: the request, and the consultation or field."""

    request: object
    consultation: object = None
    sector: object = None


class PolicyCommsFeed(Feed):
    """What the package's feeds share: the content's language, absolute links, text
    made safe for XML, and titles written as the feed type expects them."""

    @property
    def language(self):
        """The content's language (the drafts are in Vietnamese), not the visitor's."""
        return content_language()

    def feed_url(self, obj):
        return obj.request.build_absolute_uri()

    def item_title(self, item):
        # RSS readers take a title for HTML (Django escapes it, #6533); Atom's
        # <title> is text.
        title = item.feed_title
        return escape(title) if issubclass(self.feed_type, Rss201rev2Feed) else title

    def item_link(self, item):
        return item.feed_link


class ConsultationsFeed(PolicyCommsFeed):
    """The open and upcoming consultations of the site, or of one field (lĩnh vực)."""

    feed_type = Rss201rev2Feed

    def get_object(self, request, sector_id=None):
        sector = get_object_or_404(Sector, pk=sector_id) if sector_id is not None else None
        return FeedSource(request=request, sector=sector)

    def title(self, obj):
        if obj.sector is not None:
            return _("Open and upcoming consultations: %(field)s") % {
                "field": text(obj.sector.name)
            }
        return _("Open and upcoming consultations")

    def description(self, obj):
        return _("Consultations on draft policies that are open for comment or will open soon.")

    def link(self, obj):
        return obj.request.build_absolute_uri("/")

    def items(self, obj):
        consultations = open_and_upcoming(obj.request, sector=obj.sector)
        for consultation in consultations:
            consultation.feed_title = consultation_title(consultation, consultation.draft)
            consultation.feed_link = consultation.listed_url
        return consultations

    def item_description(self, item):
        draft = item.draft
        lines = [
            (_("Status"), item.listed_status.label),
            (_("Consultation period"), period_text(item)),
        ]
        if draft is not None:
            lines.append((_("Drafting unit"), text(draft.drafting_unit.name)))
            if draft.sector_id:
                lines.append((_("Field"), text(draft.sector.name)))
        html = format_html_join("", "<p>{}: {}</p>", ((str(k), str(v)) for k, v in lines))
        if draft is not None and draft.summary:
            html += linebreaks(escape(text(draft.summary)))
        return html

    def item_pubdate(self, item):
        return item.first_published_at or item.opens_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at or item.opens_at

    def item_categories(self, item):
        draft = item.draft
        if draft is not None and draft.sector_id:
            return [text(draft.sector.name)]
        return []


class ConsultationsAtomFeed(ConsultationsFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)


class CommentsFeed(PolicyCommsFeed):
    """One consultation's published comments, newest first, with their published answers."""

    feed_type = Rss201rev2Feed

    def get_object(self, request, page_id):
        consultation = published_consultation(page_id)
        page_url = consultation.get_full_url(request)
        if not page_url:
            raise Http404
        consultation.listed_url = page_url
        return FeedSource(request=request, consultation=consultation)

    def title(self, obj):
        return _("Published comments: %(title)s") % {"title": text(obj.consultation.title)}

    def description(self, obj):
        return _("Comments published on this consultation and the answers to them.")

    def link(self, obj):
        return f"{obj.consultation.listed_url}#comments"

    def items(self, obj):
        consultation = obj.consultation
        draft = DraftPolicyPage.objects.filter(
            path=consultation.path[: -ConsultationPage.steplen]
        ).first()
        labels = ArticleLabels.of_draft(draft)
        comments = list(
            PublicComment.objects.published()
            .filter(consultation=consultation)
            .select_related("response", "response__answering_unit")
            .only(*COMMENT_FIELDS)
            .order_by("-submitted_at", "-pk")[:FEED_ITEMS]
        )
        for comment in comments:
            author = text(comment.public_author)
            label = text(labels.label(comment.article_id, comment.article_heading))
            comment.feed_author = author
            comment.feed_article = label
            if label:
                comment.feed_title = _("Comment from %(author)s on %(article)s") % {
                    "author": author,
                    "article": label,
                }
            else:
                comment.feed_title = _("Comment from %(author)s") % {"author": author}
            comment.feed_link = f"{consultation.listed_url}#comment-{comment.pk}"
            answer = comment.response
            comment.feed_answer = answer if answer is not None and answer.is_published else None
        return comments

    def item_description(self, item):
        html = ""
        if item.feed_article:
            html += format_html("<p>{}: {}</p>", _("Article"), item.feed_article)
        html += linebreaks(escape(text(item.body)))
        answer = item.feed_answer
        if answer is not None:
            heading = _("Answer from %(unit)s") % {"unit": text(answer.answering_unit.name)}
            details = [answer.get_disposition_display()]
            if answer.published_at:
                details.append(format_date(answer.published_at))
            html += format_html(
                "<h3>{} ({})</h3>", heading, ", ".join(str(d) for d in details)
            ) + linebreaks(escape(text(answer.text)))
        return html

    def item_author_name(self, item):
        # The name only as ``public_author`` gives it; never an email (Django's RSS
        # writes the name as dc:creator when there is no email).
        return item.feed_author

    def item_pubdate(self, item):
        return item.submitted_at

    def item_updateddate(self, item):
        answer = item.feed_answer
        if answer is not None and answer.published_at and answer.published_at > item.submitted_at:
            return answer.published_at
        return item.submitted_at


class CommentsAtomFeed(CommentsFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)


consultations_rss = ConsultationsFeed()
consultations_atom = ConsultationsAtomFeed()
comments_rss = CommentsFeed()
comments_atom = CommentsAtomFeed()
