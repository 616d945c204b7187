"""Word-level differences between two texts, written as accessible HTML.

One place decides how a change between two texts is shown: "what changed and why"
(an article of one version of a draft against the next) and the campaign view of
the queue (a member against the campaign's representative) both use it.

Insertions and deletions are ``<ins>`` and ``<del>`` elements, so that the change is
carried by the markup and not by colour alone; each also holds a visually hidden
prefix ("inserted:", "deleted:") for screen readers, which announce neither element
by default. Every piece of text is escaped: a stored string cannot break the page.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

#: A word and the spaces after it, so that joining the tokens gives back the text.
TOKEN = re.compile(r"\S+\s*|\s+")

EQUAL, INSERT, DELETE = "equal", "insert", "delete"


@dataclass(frozen=True)
class Piece:
    """A run of text that is the same in both (``equal``), only in the new text
    (``insert``), or only in the old (``delete``)."""

    kind: str
    text: str


def tokens(text):
    return TOKEN.findall(text or "")


def word_diff(old, new):
    """The pieces that turn ``old`` into ``new``, word by word.

    A replaced run gives its deletion, then its insertion. Spacing is part of the word
    before it, so a change of spacing alone is not shown as a change of words.
    """
    a, b = tokens(old), tokens(new)
    # Compare words without their trailing spaces; keep the spaces in the output.
    matcher = difflib.SequenceMatcher(
        None, [t.strip() for t in a], [t.strip() for t in b], autojunk=False
    )
    pieces = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece(EQUAL, "".join(b[j1:j2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(Piece(DELETE, "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(Piece(INSERT, "".join(b[j1:j2])))
    return pieces


def changed(old, new):
    """Whether the two texts differ in their words (not only in spacing)."""
    return [t.strip() for t in tokens(old)] != [t.strip() for t in tokens(new)]


def similarity(old, new):
    """The share of words the two texts have in common, in order (0 to 1)."""
    a, b = [t.strip() for t in tokens(old)], [t.strip() for t in tokens(new)]
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def diff_html(old, new):
    """``word_diff`` as safe HTML: ``<del>`` and ``<ins>`` with a hidden spoken prefix."""
    parts = []
    for piece in word_diff(old, new):
        if piece.kind == EQUAL:
            parts.append(escape(piece.text))
        elif piece.kind == INSERT:
            parts.append(
                format_html(
                    '<ins class="pc-diff-ins"><span class="visually-hidden">{} </span>{}</ins>',
                    _("inserted:"),
                    piece.text,
                )
            )
        else:
            parts.append(
                format_html(
                    '<del class="pc-diff-del"><span class="visually-hidden">{} </span>{}</del>',
                    _("deleted:"),
                    piece.text,
                )
            )
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 (every part escaped above)
