"""Pages of a long list, newest first, at the same cost at any depth.

The public page's published comments may number hundreds of thousands. A
numbered page N is an OFFSET: the database reads every row it skips, so a deep
page costs as much as the whole list (measured on PostgreSQL with 300,000
comments: 220 ms for the last page, index-only, against 0.2 ms for a seek). So
the first pages are numbered, as readers expect, and deeper pages are *keyset*
pages: "older comments" continue after the last (submitted_at, id) shown, and
"newer comments" before the first, each a seek in the list's index.

``CountedPaginator`` takes the count it is given (a cached count,
``models.counts``) instead of running a COUNT of its own. The admin queue's
``CappedCountPaginator`` counts at most a cap.
"""

import contextlib
import re
from datetime import UTC, datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import ngettext
from wagtail.admin.paginator import WagtailPaginator

from ..formats import format_count

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
CURSOR = re.compile(r"^(\d{1,17})\.(\d{1,18})$")


class CountedPaginator(Paginator):
    """A Paginator told its count: the list is never counted again.

    The count may lag behind the list (a cached count, see ``counts``), so a page
    reads one row more than it shows and says whether there is a next page from
    that row, not from the count: a comment is never left off a page, nor the
    "next" link, because the count was a little old.
    """

    def __init__(self, object_list, per_page, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @property
    def count(self):
        return self._known_count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        page = CountedPage(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page
        return page


class CountedPage(Page):
    more = False

    def has_next(self):
        return self.more

    def next_page_number(self):
        # Not checked against the count, which may lag (the link is then followed
        # to the last page by the count, never to an error).
        return self.number + 1


class KeysetPage:
    """A page after (older) or before (newer) a cursor; no number, a subset of ``Page``'s API.

    ``older_cursor`` and ``newer_cursor`` continue the list; ``None`` at its end.
    """

    number = None

    def __init__(self, object_list, paginator, *, older_cursor, newer_cursor):
        self.object_list = object_list
        self.paginator = paginator
        self.older_cursor = older_cursor
        self.newer_cursor = newer_cursor

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self.older_cursor is not None

    def has_previous(self):
        return self.newer_cursor is not None

    def has_other_pages(self):
        return True  # a keyset page is always reached from, and links back to, the first


def cursor_of(item):
    """The position of a row in the list: its ``submitted_at`` (µs since 1970, UTC) and id."""
    return f"{(item.submitted_at - EPOCH) // MICROSECOND}.{item.pk}"


def parse_cursor(value):
    """``(submitted_at, id)`` from ``cursor_of``, or None for anything else (no error)."""
    match = CURSOR.match(value or "")
    if not match:
        return None
    try:
        moment = EPOCH + int(match[1]) * MICROSECOND
    except OverflowError:
        return None
    return moment, int(match[2])


def page_of(queryset, paginator, params, *, page_param, numbered_pages):
    """The page asked for in ``params`` (a QueryDict): numbered, or a keyset page.

    ``queryset`` is ordered newest first (``-submitted_at``, ``-pk``). ``?before=``
    and ``?after=`` carry a cursor; ``?<page_param>=`` a page number, out of range
    or not a number giving the nearest page (as ``Paginator.get_page``), and no
    deeper than ``numbered_pages``. The last numbered page's "next" is a keyset
    page: ``next_cursor`` on the numbered page.
    """
    size = paginator.per_page
    older = parse_cursor(params.get("before"))
    newer = parse_cursor(params.get("after")) if older is None else None
    if older is not None:
        moment, pk = older
        rows = list(
            queryset.filter(
                Q(submitted_at__lt=moment) | Q(pk__lt=pk), submitted_at__lte=moment
            ).order_by("-submitted_at", "-pk")[: size + 1]
        )
        shown = rows[:size]
        return KeysetPage(
            shown,
            paginator,
            older_cursor=cursor_of(shown[-1]) if len(rows) > size else None,
            newer_cursor=cursor_of(shown[0]) if shown else None,
        )
    if newer is not None:
        moment, pk = newer
        rows = list(
            queryset.filter(
                Q(submitted_at__gt=moment) | Q(pk__gt=pk), submitted_at__gte=moment
            ).order_by("submitted_at", "pk")[: size + 1]
        )
        shown = rows[:size][::-1]
        return KeysetPage(
            shown,
            paginator,
            older_cursor=cursor_of(shown[-1]) if shown else None,
            newer_cursor=cursor_of(shown[0]) if len(rows) > size else None,
        )
    number = params.get(page_param)
    with contextlib.suppress(TypeError, ValueError):
        number = min(int(number), numbered_pages)
    page = paginator.get_page(number)
    page.next_cursor = None
    if page.number >= numbered_pages and page.has_next() and page.object_list:
        page.next_cursor = cursor_of(page.object_list[-1])
    return page


# --- The admin queue: a capped count ------------------------------------------------------


class CappedCountPaginator(WagtailPaginator):
    """Counts the listing up to a cap, never a million rows on every page view.

    The count reads at most ``count_cap`` + 1 rows (``SELECT COUNT(*) FROM (... LIMIT
    n)``), or up to the page asked for when that is deeper, so "Next" always leads on
    while there are more; past the cap the listing says "more than 1,000 comments".
    Bulk actions ("select all in listing") do not depend on it: they act on the whole
    filtered queue (``filters.filtered_comments``).
    """

    #: Counted exactly up to this many rows.
    count_cap = 1000
    _rows_wanted = 0

    def get_page(self, number):
        try:
            self._rows_wanted = max(int(number), 1) * self.per_page
        except (TypeError, ValueError):
            self._rows_wanted = 0
        return super().get_page(number)

    @cached_property
    def count_limit(self):
        return max(self.count_cap, self._rows_wanted) + 1

    @cached_property
    def count(self):
        # Only the primary keys: the listing's joins and annotations are not counted.
        return self.object_list.order_by().values("pk")[: self.count_limit].count()

    @property
    def is_capped(self):
        """True when there are more rows than ``count``'s lower bound shows exactly."""
        return self.count >= self.count_limit

    @cached_property
    def count_floor(self):
        """The number the listing can state: "more than" it when capped."""
        return self.count_limit - 1 if self.is_capped else self.count

    @cached_property
    def items_count_label(self):
        if not self.is_capped:
            return super().items_count_label
        return ngettext(
            "More than %(count)s comment", "More than %(count)s comments", self.count_floor
        ) % {"count": format_count(self.count_floor)}
