"""Dates in templates: thin wrappers of ``wagtail_policycomms.formats``, which writes every
date and time on the department's clock, whatever the server's.

``policycomms_date`` and ``policycomms_datetime`` are the public pages' formats;
``policycomms_staff_datetime`` is the admin's and the staff emails' (dd/mm/yyyy HH:MM).
"""

from django import template

from ..blocks import ArticleLabels
from ..blocks import article_anchor as _article_anchor
from ..conf import content_language
from ..formats import (
    format_date,
    format_datetime,
    format_datetime_attribute,
    format_staff_datetime,
)
from ..models.base import has_text

register = template.Library()


@register.filter
def policycomms_field_name(label):
    """A field's label as a name in a sentence ("Field: error"): without the full stop or
    colon a long label (the consent sentence) ends with."""
    return str(label).rstrip(" .:;")


@register.filter
def policycomms_date(value):
    return format_date(value)


@register.filter
def policycomms_datetime(value):
    """Public pages' date and time."""
    return format_datetime(value)


@register.filter
def policycomms_staff_datetime(value):
    """Admin screens' and staff emails' date and time."""
    return format_staff_datetime(value)


@register.filter
def policycomms_staff_author(comment, with_personal_data):
    """``PublicComment.staff_author``: the name staff see, personal data only if allowed."""
    return comment.staff_author(bool(with_personal_data))


@register.filter
def policycomms_isoformat(value):
    """Machine-readable value for ``<time datetime>``, with its offset (to the second)."""
    return format_datetime_attribute(value)


@register.simple_tag
def policycomms_content_language(page=None):
    """The language of ``page``'s content, for a ``lang`` attribute (``conf.content_language``)."""
    return content_language(page)


@register.filter
def policycomms_has_text(html):
    """Whether rich text has something to read; an empty editor saves an empty paragraph."""
    return has_text(html)


@register.simple_tag
def article_anchor(block_id):
    return _article_anchor(block_id)


@register.filter
def policycomms_article_label(comment, draft):
    """One comment's article as it reads in ``draft`` today (``blocks.ArticleLabels``).

    For a screen about one comment: a list names its rows in its view, with one
    ``ArticleLabels`` per draft, instead of reading the draft's text for each row.
    """
    return ArticleLabels.of_draft(draft).label(comment.article_id, comment.article_heading)


@register.filter
def policycomms_value(instance, field_name):
    """A field of ``instance`` as staff read it (``formats.values.display_value``): choice
    labels, "Có"/"Không", "—" for nothing, local dates."""
    from ..formats.values import display_value

    field = instance._meta.get_field(field_name)
    return display_value(field, getattr(instance, field_name))


@register.simple_tag
def policycomms_implemented_in(answer, draft):
    """The label of the article of ``draft``'s public text that carries out ``answer``
    (``CommentResponse.implemented_in_article``), "" for none or one not public.

    The labels are read once per draft instance (no query): a list of answers costs
    one reading of the text."""
    article_id = getattr(answer, "implemented_in_article", "")
    if not article_id or draft is None:
        return ""
    labels = getattr(draft, "_policycomms_public_labels", None)
    if labels is None:
        labels = draft._policycomms_public_labels = ArticleLabels(draft.articles)
    return labels.current.get(article_id, "")
