"""Paging shared by every list page and API list: the database pages, counts are cached when they are large,
and rows are mapped to what the reader sees only for the page shown."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .validation import MAX_ID

PAGE_SIZES = (25, 50, 100)
T = TypeVar("T")


# Counting a filtered set of millions of rows is a scan: counts above this are kept for a minute per query
# (the SQL, scope filters included), so paging on through a large list does not count it again each time.
LARGE_COUNT = 10_000
COUNT_SECONDS = 60


def kept(name: str, queryset, extra: tuple, compute: Callable[[], T], size: Callable[[T], int]) -> T:
    """`compute()`, or its value from the last minute when that value covered `LARGE_COUNT` rows or more
    (`size(value)`). The key is the read's name, the queryset's SQL (scope filters included) and `extra`, so a
    home tile and the page it opens, reading the same thing, get the same cached value. Small results are
    never kept: they are exact, and cheap to compute again."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return compute()
    key = "kept:" + hashlib.sha256(f"{name}|{queryset.db}|{sql}|{params!r}|{extra!r}".encode()).hexdigest()
    value = cache.get(key)
    if value is not None:
        return value
    value = compute()
    if size(value) >= LARGE_COUNT:
        cache.set(key, value, COUNT_SECONDS)
    return value


def counted(queryset) -> int:
    """The number of rows of a queryset; exact for small sets, at most a minute old for large ones."""
    return kept("count", queryset, (), queryset.count, lambda n: n)


class CountingPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        return counted(self.object_list) if hasattr(self.object_list, "query") else len(self.object_list)


class Mapped:
    """A queryset whose rows are turned into what an API answers (`fn`) only when the paginator slices it:
    the database does the paging and the count, and only one page of rows is ever built."""

    def __init__(self, queryset, fn: Callable):
        self.queryset, self.fn = queryset, fn

    def all(self):
        return self

    def count(self) -> int:
        return counted(self.queryset)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [self.fn(obj) for obj in self.queryset[item]]
        return self.fn(self.queryset[item])


def paginate(request, queryset, default_size: int = 50):
    try:
        size = int(request.GET.get("size", default_size))
    except ValueError:
        size = default_size
    if size not in PAGE_SIZES:
        size = default_size
    paginator = CountingPaginator(queryset, size)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


# A page number past this is refused (422) rather than turned into an offset the database cannot hold.
API_MAX_PAGE = 1_000_000


def api_page_numbers():
    """The API lists' plain paginator, `?page=N&page_size=M`, with bounds the database can hold."""
    from ninja import Field, Schema
    from ninja.pagination import PageNumberPagination

    class PageNumbers(PageNumberPagination):
        class Input(Schema):
            page: int = Field(1, ge=1, le=API_MAX_PAGE)
            page_size: int | None = Field(None, ge=1, le=API_MAX_PAGE)

    return PageNumbers


def api_pagination():
    """The API lists' paginator: `?page=N` as before, or keyset paging, newest registration first by id, which
    stays as fast deep in a list of millions as on its first page: a client starts with `?after=0` and
    follows `next_after` until it is null."""
    from typing import Any as _Any

    from ninja import Field, Schema
    from ninja.pagination import PageNumberPagination

    class PageOrAfter(PageNumberPagination):
        class Input(Schema):
            page: int = Field(1, ge=1, le=API_MAX_PAGE)
            page_size: int | None = Field(None, ge=1, le=API_MAX_PAGE)
            after: int | None = Field(None, ge=0, le=MAX_ID,
                                      description="keyset paging: 0 to start, then `next_after`")

        class Output(Schema):
            items: list[_Any]
            count: int
            next_after: int | None = None

        def paginate_queryset(self, queryset, pagination, request, **params):
            if pagination.after is None:
                page = super().paginate_queryset(queryset, pagination, request, **params)
                return {**page, "next_after": None}
            size = self._get_page_size(pagination.page_size)
            base = queryset.queryset if isinstance(queryset, Mapped) else queryset
            walk = base.filter(pk__lt=pagination.after) if pagination.after else base
            rows = list(walk.order_by("-pk")[:size + 1])
            more = len(rows) > size
            rows = rows[:size]
            fn = queryset.fn if isinstance(queryset, Mapped) else (lambda obj: obj)
            return {self.items_attribute: [fn(obj) for obj in rows], "count": counted(base),
                    "next_after": rows[-1].pk if more and rows else None}

    return PageOrAfter
