"""Signed links in emails: confirm a subscription, unsubscribe with one click.

A token carries its purpose in the salt, so a link signed for one purpose is refused
for any other. ``read`` raises ``InvalidToken`` for a forged or mangled token and
``ExpiredToken`` for one older than ``max_age_hours``; views turn both into a clear
page, never a 500.
"""

from django.core import signing

SALT_PREFIX = "wagtail_policycomms.notifications."


class InvalidToken(Exception):
    """The link was altered, or signed for something else."""


class ExpiredToken(InvalidToken):
    """The link was genuine but is too old."""


def make(purpose, payload):
    """A URL-safe token for ``payload`` (a small JSON-able value), for ``purpose`` only."""
    return signing.dumps(payload, salt=SALT_PREFIX + purpose, compress=True)


def read(purpose, token, max_age_hours=None):
    try:
        return signing.loads(
            token,
            salt=SALT_PREFIX + purpose,
            max_age=None if max_age_hours is None else max_age_hours * 3600,
        )
    except signing.SignatureExpired as exc:
        raise ExpiredToken from exc
    except (signing.BadSignature, ValueError, UnicodeError) as exc:
        raise InvalidToken from exc
    except Exception as exc:  # zlib.error and other decoding failures of a mangled token
        raise InvalidToken from exc
