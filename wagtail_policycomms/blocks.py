"""The article block of a draft's text.

Comments are anchored to an article by the StreamField block id, which Wagtail
keeps stable across revisions. Nothing here derives an id from a position.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


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

    class Meta:
        icon = "doc-full"
        label = _("Article")
        label_format = "{number}. {heading}"


class DraftTextBlock(blocks.StreamBlock):
    article = ArticleBlock()

    class Meta:
        block_counts = {}


def article_anchor(block_id):
    """HTML id of an article on the draft page; linkable and stable."""
    return f"article-{block_id}"
