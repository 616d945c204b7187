"""One-click unsubscribe: the signed link of every non-transactional email, and its record.

``unsubscribe_url(email, stream)`` is the link (and the ``List-Unsubscribe`` header) of
an email of ``stream`` (an ``EmailStream``) to ``email``; following it records an
``EmailOptOut`` (``views.notifications.unsubscribe``). Senders drop the addresses of
``opted_out(addresses, stream)``: one query per batch, never one per recipient.

The link never expires (an email may be read months later) and names only the address
and the kind of email; it is signed for this purpose only (``tokens``).
"""

from django.db import IntegrityError, transaction
from django.urls import reverse

from ..formats.text import normalise_email
from ..models import EmailOptOut, EmailStream
from . import tokens
from .mail import public_url

PURPOSE = "unsubscribe"


def unsubscribe_token(email, stream):
    return tokens.make(PURPOSE, {"e": normalise_email(email), "s": str(stream)})


def unsubscribe_url(email, stream, site=None):
    """The absolute one-click link that stops ``stream`` for ``email``."""
    path = reverse("wagtail_policycomms:unsubscribe", args=[unsubscribe_token(email, stream)])
    return public_url(path, site)


def read_token(token):
    """(email, stream) of a link; raises ``tokens.InvalidToken`` for anything else."""
    payload = tokens.read(PURPOSE, token)
    if not isinstance(payload, dict):
        raise tokens.InvalidToken
    email, stream = payload.get("e"), payload.get("s")
    if not email or not isinstance(email, str) or stream not in EmailStream.values:
        raise tokens.InvalidToken
    return email, EmailStream(stream)


def opt_out(email, stream):
    """Record that ``email`` wants no more ``stream`` emails; a second click changes nothing."""
    email = normalise_email(email)
    if EmailOptOut.objects.filter(email=email, stream=stream).exists():
        return False
    try:
        with transaction.atomic():
            EmailOptOut.objects.create(email=email, stream=stream)
    except IntegrityError:  # the same click twice at once
        return False
    return True


def opted_out(addresses, stream):
    """The addresses among ``addresses`` (lower-cased) that stopped ``stream``: one query."""
    wanted = {normalise_email(address) for address in addresses if address}
    if not wanted:
        return set()
    return set(
        EmailOptOut.objects.filter(stream=stream, email__in=wanted).values_list("email", flat=True)
    )
