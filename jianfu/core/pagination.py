"""Paging and .xlsx export shared by every list page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.utils.text import slugify

PAGE_SIZES = (25, 50, 100)


def paginate(request, queryset, default_size: int = 50):
    try:
        size = int(request.GET.get("size", default_size))
    except ValueError:
        size = default_size
    if size not in PAGE_SIZES:
        size = default_size
    paginator = Paginator(queryset, size)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def xlsx_response(*, filename: str, sheet: str, header: Sequence[str], rows: Iterable[Sequence],
                  ) -> StreamingHttpResponse:
    """Stream an .xlsx built in write-only mode, so memory stays flat for large exports."""
    import tempfile

    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet[:31])
    ws.append([str(h) for h in header])
    for row in rows:
        ws.append([_cell(v) for v in row])
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the streaming generator
    wb.save(tmp)
    tmp.seek(0)

    def chunks(f=tmp, size=64 * 1024):
        try:
            while block := f.read(size):
                yield block
        finally:
            f.close()

    response = StreamingHttpResponse(
        chunks(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = dt.date.today().isoformat()
    safe = slugify(filename) or "export"
    response["Content-Disposition"] = f'attachment; filename="{safe}-{stamp}.xlsx"'
    return response


def _cell(value):
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if value is None:
        return ""
    if isinstance(value, (int, float, dt.date)):
        return value
    return str(value)


def export_rows(queryset, columns: Sequence[tuple[str, Callable]]):
    for obj in queryset.iterator(chunk_size=2000):
        yield [fn(obj) for _, fn in columns]
