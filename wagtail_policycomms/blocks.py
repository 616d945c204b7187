"""The article block of a draft's text.

Comments are anchored to an article by the StreamField block id, which Wagtail
keeps stable across revisions. Nothing here derives an id from a position.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .restricted import (
    CLASSIFICATION_HELP,
    RESTRICTED_ARTICLE,
    Classification,
    hides_restricted,
    is_restricted,
    marked_label,
)

#: How an article is named: "Điều 1. Phạm vi điều chỉnh". Also the admin's block
#: label (Wagtail's ``label_format``), so the editor sees what the public sees.
ARTICLE_LABEL_FORMAT = "{number}. {heading}"


class ArticleBlock(blocks.StructBlock):
    number = blocks.CharBlock(
        label=_("Article number"),
        max_length=40,
        help_text=_('As written in the draft, for example "Điều 1".'),
    )
    heading = blocks.CharBlock(label=_("Heading"), max_length=500)
    body = blocks.RichTextBlock(
        label=_("Text"),
        features=["bold", "italic", "ol", "ul", "link", "document-link"],
    )
    # Blank: public. Otherwise a state secret, left out of everything public (``restricted``).
    classification = blocks.ChoiceBlock(
        label=_("Security classification"),
        choices=Classification.choices,
        required=False,
        help_text=CLASSIFICATION_HELP,
    )

    class Meta:
        icon = "doc-full"
        label = _("Article")
        label_format = ARTICLE_LABEL_FORMAT


class DraftTextBlock(blocks.StreamBlock):
    article = ArticleBlock()

    class Meta:
        block_counts = {}


def article_anchor(block_id):
    """HTML id of an article on the draft page; linkable and stable."""
    return f"article-{block_id}"


def article_label(block_or_value):
    """An article's name, from its stream block or the block's value.

    The one definition used by the comment form's choices, the heading snapshot
    stored with a comment and the synthesis report's sections.
    """
    value = getattr(block_or_value, "value", block_or_value)
    return ARTICLE_LABEL_FORMAT.format(number=value["number"], heading=value["heading"])


# --- A comment's article, as it reads today ---------------------------------------------

#: The two wordings of a comment's article (``comment_article_label``).
CHANGED_WORDING = _("%(current)s (at the time of comment: %(snapshot)s)")
REMOVED_WORDING = _("%(snapshot)s (no longer in the draft)")


def comment_article_label(article_id, snapshot, current, *, changed=None, removed=None):
    """The one rule for naming the article a comment is on, wherever a comment is shown.

    ``snapshot`` is the label stored with the comment when it was sent
    (``PublicComment.article_heading``); ``current`` the draft's labels today, by block
    id (``ArticleLabels``), or None when the draft is not known. The comment follows
    its article by block id, so it reads under the article's label today, with the
    snapshot after it when the two differ ("Điều 3. … (at the time of comment: Điều 2.
    …)"); an article no longer in the draft keeps its snapshot, said to be gone.
    ``changed`` and ``removed`` are the two wordings (``%(current)s``,
    ``%(snapshot)s``), translated once by the caller; by default the active language's.
    "" for a comment on the whole draft.
    """
    if not article_id:
        return ""
    snapshot = snapshot or ""
    if current is None:  # the draft is not known: nothing to compare with
        return snapshot or article_id
    label = current.get(article_id)
    if label is None:
        return str(removed or REMOVED_WORDING) % {"snapshot": snapshot or article_id}
    if not snapshot or snapshot == label:
        return label
    return str(changed or CHANGED_WORDING) % {"current": label, "snapshot": snapshot}


class ArticleLabels:
    """A draft's article labels today, by block id, and its comments' articles named by them.

    Built once per draft for a page of comments or an export (one reading of the draft's
    text, no query), so naming a comment's article is a lookup, memoised per (article,
    snapshot): never a query per row. Build it under the language it is shown in: the
    wordings are translated here, once. ``ArticleLabels(None)`` is a draft not known.

    A restricted article (``restricted.is_restricted``) reads as ``RESTRICTED_ARTICLE``,
    never its heading nor the comment's snapshot, and is not "in the draft", unless
    ``hide_restricted=False`` (staff allowed to view restricted content): then it reads
    after its mark, "[Mật] Điều 5. …" (``restricted.marked_label``), in ``current`` too.
    ``for_user`` decides ``hide_restricted`` for a user (``restricted.hides_restricted``).
    """

    def __init__(
        self, articles, *, changed=None, removed=None, hide_restricted=True, for_user=False
    ):
        if for_user is not False:
            hide_restricted = hides_restricted(for_user)
        articles = None if articles is None else list(articles)
        levels = (
            {}
            if articles is None
            else {
                block.id: block.value["classification"]
                for block in articles
                if is_restricted(block)
            }
        )
        self.restricted = set(levels) if hide_restricted else set()
        # Shown restricted articles: their mark, put before the label once it is worded.
        self.marks = {} if hide_restricted else levels
        self.plain = (
            None
            if articles is None
            else {
                block.id: article_label(block)
                for block in articles
                if block.id not in self.restricted
            }
        )
        self.current = (
            None
            if self.plain is None
            else {
                article_id: self._marked(article_id, label)
                for article_id, label in self.plain.items()
            }
        )
        self.changed = str(changed or CHANGED_WORDING)
        self.removed = str(removed or REMOVED_WORDING)
        self.restricted_label = str(RESTRICTED_ARTICLE)
        self._labels = {}

    def _marked(self, article_id, label):
        level = self.marks.get(article_id)
        return label if level is None else marked_label(level, label)

    @classmethod
    def of_draft(cls, draft, **options):
        """The labels of ``draft``'s live text (the page's own row: its latest published
        revision); ``None`` gives a draft not known."""
        return cls(None if draft is None else draft.articles, **options)

    def choices(self):
        """``(block id, label)`` of the draft's articles a reader may see, in order."""
        return list((self.current or {}).items())

    def __contains__(self, article_id):
        return self.current is not None and article_id in self.current

    def snapshot(self, article_id, snapshot):
        """The label a comment stored when it was sent, as this reader may read it: a
        restricted article's, hidden or marked, like ``label``."""
        if article_id in self.restricted:
            return self.restricted_label
        return self._marked(article_id, snapshot) if snapshot else snapshot

    def label(self, article_id, snapshot=""):
        """``comment_article_label`` for a comment of this draft."""
        if article_id in self.restricted:
            return self.restricted_label
        key = (article_id, snapshot)
        try:
            return self._labels[key]
        except KeyError:
            label = self._labels[key] = self._marked(
                article_id,
                comment_article_label(
                    article_id, snapshot, self.plain, changed=self.changed, removed=self.removed
                ),
            )
            return label


def article_labels_for(consultations, known=None, *, hide_restricted=True, for_user=False):
    """``{consultation id: ArticleLabels}`` for ``consultations`` (instances with their
    ``path``), their drafts read in one query (none for those already in ``known``, a
    dict this fills: keep it for a request or an export). ``hide_restricted=False``
    names restricted articles (only for staff who may view restricted content)."""
    from .models import ConsultationPage, DraftPolicyPage  # the models import this module

    known = {} if known is None else known
    step = ConsultationPage.steplen
    missing = {c.pk: c.path[:-step] for c in consultations if c.pk not in known}
    if missing:
        drafts = {
            draft.path: draft
            for draft in DraftPolicyPage.objects.filter(path__in=set(missing.values())).only(
                "path", "body"
            )
        }
        for pk, path in missing.items():
            known[pk] = ArticleLabels.of_draft(
                drafts.get(path), hide_restricted=hide_restricted, for_user=for_user
            )
    return known
