"""The article block of a draft's text.

Comments are anchored to an article by the StreamField block id, which Wagtail
keeps stable across revisions. Nothing here derives an id from a position.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

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
