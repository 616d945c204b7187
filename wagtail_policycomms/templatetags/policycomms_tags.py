"""Dates on public pages: dd/mm/yyyy in the consultation time zone, whatever the server's."""

from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone

from ..blocks import article_anchor as _article_anchor
from ..conf import policycomms_settings
from ..models.base import has_text

register = template.Library()


def _local(value):
    if value is None or value == "":
        return None
    if timezone.is_naive(value):
        return value
    return timezone.localtime(value, ZoneInfo(policycomms_settings.TIME_ZONE))


@register.filter
def policycomms_date(value):
    local = _local(value)
    return local.strftime(policycomms_settings.DATE_FORMAT) if local else ""


@register.filter
def policycomms_datetime(value):
    local = _local(value)
    return local.strftime(policycomms_settings.DATETIME_FORMAT) if local else ""


@register.filter
def policycomms_isoformat(value):
    """Machine-readable value for ``<time datetime>``, with its offset."""
    local = _local(value)
    return local.isoformat() if local else ""


@register.filter
def policycomms_has_text(html):
    """Whether rich text has something to read; an empty editor saves an empty paragraph."""
    return has_text(html)


@register.simple_tag
def article_anchor(block_id):
    return _article_anchor(block_id)
