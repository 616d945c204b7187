"""The articles of two versions of a draft's text, matched by block id.

Wagtail keeps a StreamField block's id across revisions, so an article is the same
article in both versions when it has the same id, whatever its number or place. An
article only in the new version is *added*, only in the old one *removed*; in both,
it is *changed* when its heading or text differ in their words
(``formats.diff.changed``), *moved* when only its place among the other articles
changed, otherwise *unchanged*. A changed article that also moved says so
(``ArticleChange.moved``). A new number alone (an article added or removed before it)
is not a change of the article: it shows as ``relabelled``, with the old number.

What the public may read is decided by ``restricted``: an article restricted in
either version (or in ``also_hidden``, e.g. the live text's restricted ids) is left
out of both, so that a later restriction also hides the earlier public text.
"""

import difflib
import html
import re
from dataclasses import dataclass

from django.utils.html import strip_tags

from ..blocks import article_anchor, article_label
from ..formats.diff import changed as text_changed
from ..formats.diff import diff_html
from ..restricted import is_restricted

ADDED, REMOVED, MOVED, CHANGED, UNCHANGED = "added", "removed", "moved", "changed", "unchanged"
KINDS = (ADDED, REMOVED, MOVED, CHANGED, UNCHANGED)

#: Where a rich-text block ends, so that the plain text keeps its paragraphs.
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|div)>|<br\s*/?>", re.IGNORECASE)


def plain_text(value):
    """An article's rich text (``RichText`` or HTML) as plain text, a line per paragraph."""
    source = getattr(value, "source", value) or ""
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", str(source))))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass
class ArticleChange:
    """One article across the two versions. ``old`` and ``new`` are stream blocks (None
    where the article is absent); ``label_diff`` (changed articles) and ``text_diff``
    (changed, added: all inserted, removed: all deleted) safe HTML."""

    kind: str
    old: object = None
    new: object = None
    moved: bool = False
    label_diff: str = ""  # when the number or heading changed
    text_diff: str = ""
    old_position: int | None = None  # 1-based place among the public articles
    new_position: int | None = None

    @property
    def block(self):
        return self.new if self.new is not None else self.old

    @property
    def block_id(self):
        return self.block.id

    @property
    def anchor(self):
        return article_anchor(self.block_id)

    @property
    def label(self):
        """The article's name in the newer version it is in."""
        return article_label(self.block)

    @property
    def old_label(self):
        return article_label(self.old) if self.old is not None else ""

    @property
    def relabelled(self):
        return self.old is not None and self.new is not None and self.old_label != self.label

    @property
    def old_text(self):
        return plain_text(self.old.value["body"]) if self.old is not None else ""

    @property
    def new_text(self):
        return plain_text(self.new.value["body"]) if self.new is not None else ""


def _stayed(old_ids, new_ids):
    """The ids common to both orders that keep their relative order (the longest run);
    the others moved."""
    common = set(old_ids) & set(new_ids)
    a = [i for i in old_ids if i in common]
    b = [i for i in new_ids if i in common]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    stayed = set()
    for block in matcher.get_matching_blocks():
        stayed.update(a[block.a : block.a + block.size])
    return stayed


def compare_articles(old_articles, new_articles, *, also_hidden=()):
    """``ArticleChange`` for every public article of either version, in the new
    version's order, each removed article after the one that preceded it in the old."""
    old_articles, new_articles = list(old_articles), list(new_articles)
    hidden = set(also_hidden)
    hidden.update(block.id for block in (*old_articles, *new_articles) if is_restricted(block))
    old = [block for block in old_articles if block.id not in hidden]
    new = [block for block in new_articles if block.id not in hidden]
    old_by_id = {block.id: block for block in old}
    new_by_id = {block.id: block for block in new}
    old_ids, new_ids = list(old_by_id), list(new_by_id)
    old_place = {block_id: i for i, block_id in enumerate(old_ids, 1)}
    stayed = _stayed(old_ids, new_ids)

    # Removed articles, each after the nearest preceding article still in the new version.
    removed_after = {}
    previous = None
    for block_id in old_ids:
        if block_id in new_by_id:
            previous = block_id
        else:
            removed_after.setdefault(previous, []).append(block_id)

    def removed(after):
        gone = [
            ArticleChange(REMOVED, old=old_by_id[i], old_position=old_place[i])
            for i in removed_after.get(after, ())
        ]
        for change in gone:
            change.text_diff = diff_html(change.old_text, "")
        return gone

    changes = removed(None)
    for position, block_id in enumerate(new_ids, 1):
        block = new_by_id[block_id]
        before = old_by_id.get(block_id)
        if before is None:
            added = ArticleChange(ADDED, new=block, new_position=position)
            added.text_diff = diff_html("", added.new_text)
            changes.append(added)
        else:
            changes.append(_matched(before, block, block_id not in stayed, position, old_place))
        changes.extend(removed(block_id))
    return changes


def _matched(before, after, moved, position, old_place):
    change = ArticleChange(
        UNCHANGED,
        old=before,
        new=after,
        moved=moved,
        old_position=old_place[before.id],
        new_position=position,
    )
    old_label, new_label = article_label(before), article_label(after)
    old_text, new_text = change.old_text, change.new_text
    if old_label != new_label:
        change.label_diff = diff_html(old_label, new_label)
    if text_changed(before.value["heading"], after.value["heading"]) or text_changed(
        old_text, new_text
    ):
        change.kind = CHANGED
        change.text_diff = diff_html(old_text, new_text)
    elif moved:
        change.kind = MOVED
    return change


def summary(changes):
    """``{kind: count}`` for every kind (a changed article that moved counts as changed)."""
    counts = dict.fromkeys(KINDS, 0)
    for change in changes:
        counts[change.kind] += 1
    return counts
