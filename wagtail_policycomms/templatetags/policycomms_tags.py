"""Dates in templates: thin wrappers of ``wagtail_policycomms.formats``, which writes every
date and time on the department's clock, whatever the server's.

``policycomms_date`` and ``policycomms_datetime`` are the public pages' formats;
``policycomms_staff_datetime`` is the admin's and the staff emails' (dd/mm/yyyy HH:MM).
"""

from django import template

from ..blocks import article_anchor as _article_anchor
from ..formats import format_date, format_datetime, format_staff_datetime, localtime
from ..models.base import has_text

register = template.Library()


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
    """Machine-readable value for ``<time datetime>``, with its offset."""
    local = localtime(value)
    return local.isoformat() if local else ""


@register.filter
def policycomms_has_text(html):
    """Whether rich text has something to read; an empty editor saves an empty paragraph."""
    return has_text(html)


@register.simple_tag
def article_anchor(block_id):
    return _article_anchor(block_id)
