"""Page arithmetic: where a page starts, how many pages a view has, which
is the last. The store, the page record, the status line and the case log
screen all ask here, so "page 3 of 3" means the same thing everywhere.

Pages are numbered from zero; positions (the n-th case of a view) too.
"""

from __future__ import annotations


def first_index(page: int, page_size: int) -> int:
    """The position of the first case of `page`."""
    return page * page_size


def page_holding(index: int, page_size: int) -> int:
    """The page that holds the case at position `index`."""
    return index // page_size


def page_count(total: int, page_size: int) -> int:
    """How many pages `total` cases fill; an empty view still has one page."""
    return max(1, -(-total // page_size))


def last_page(total: int, page_size: int) -> int:
    return page_count(total, page_size) - 1


def clamp_page(page: int, total: int, page_size: int) -> int:
    """`page`, moved back inside the view: page one or the last page."""
    return min(max(page, 0), last_page(total, page_size))


def cases_on_page(page: int, page_size: int, total: int) -> int:
    """How many of `total` cases `page` holds (none past the last page)."""
    return max(0, min(page_size, total - first_index(page, page_size)))
