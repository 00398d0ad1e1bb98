"""Piggy's success envelope ``{data, meta}`` and the four pagination meta formats (README §5, §6)."""

from __future__ import annotations

import math
from typing import Any

from fastapi.responses import JSONResponse

HEADERS = {
    "Cache-Control": "no-cache, private",
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Authorization",
}


def ok(data: Any, meta: Any = None, *, status: int = 200, links: dict[str, Any] | None = None) -> JSONResponse:
    """A success answer. ``meta`` defaults to ``[]`` (PHP's empty array), as most recordings show."""
    body: dict[str, Any] = {"data": data}
    if links is not None:
        body["links"] = links
    body["meta"] = [] if meta is None else meta
    return JSONResponse(body, status_code=status)


def ok_without_meta(data: Any, *, status: int = 200) -> JSONResponse:
    """A success answer ``{"data": ...}`` with no ``meta`` key, for the endpoints recorded that way."""
    return JSONResponse({"data": data}, status_code=status)


def slice_page(items: list[Any], page: int, limit: int) -> tuple[list[Any], int, int]:
    """Return (this page's items, total, last_page) for 1-based ``page``."""
    total = len(items)
    last_page = max(1, math.ceil(total / limit)) if limit > 0 else 1
    start = (page - 1) * limit
    return items[start : start + limit], total, last_page


def meta_a(page: int, limit: int, total: int) -> dict[str, Any]:
    """Format A (contacts, loyalty transactions, ...): limit echoed as a string, as recorded."""
    last_page = max(1, math.ceil(total / limit)) if limit else 1
    viewing_from = (page - 1) * limit + 1 if total else 0
    viewing_to = min(page * limit, total)
    return {
        "page": page,
        "limit": str(limit),
        "viewing_from": viewing_from,
        "viewing_to": viewing_to,
        "last_page": last_page,
        "total": total,
    }


def meta_b(path_url: str, page: int, per_page: int, total: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Format B (Laravel paginator, vouchers): returns (links, meta)."""
    last_page = max(1, math.ceil(total / per_page)) if per_page else 1

    def url(p: int) -> str:
        return f"{path_url}?page={p}"

    links = {
        "first": url(1),
        "last": url(last_page),
        "prev": url(page - 1) if page > 1 else None,
        "next": url(page + 1) if page < last_page else None,
    }
    page_links = [{"url": url(page - 1) if page > 1 else None, "label": "pagination.previous", "active": False}]
    page_links += [{"url": url(p), "label": str(p), "active": p == page} for p in range(1, last_page + 1)]
    page_links.append({"url": url(page + 1) if page < last_page else None, "label": "pagination.next", "active": False})
    first = (page - 1) * per_page + 1 if total else None
    meta = {
        "current_page": page,
        "from": first,
        "last_page": last_page,
        "links": page_links,
        "path": path_url,
        "per_page": str(per_page),
        "to": min(page * per_page, total) if total else None,
        "total": total,
    }
    return links, meta


def meta_c(page: int, per_page: int, total: int) -> dict[str, Any]:
    """Format C (gift cards, shifts)."""
    last_page = max(1, math.ceil(total / per_page)) if per_page else 1
    return {"page": page, "per_page": per_page, "last_page": last_page, "total": total}


def meta_d(page: int, per_page: int, total: int) -> dict[str, Any]:
    """Format D (visits)."""
    last_page = max(1, math.ceil(total / per_page)) if per_page else 1
    return {"current_page": page, "last_page": last_page, "per_page": per_page, "total": total}
