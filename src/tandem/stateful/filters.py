"""Attribute filters of vector-store search (OpenAI's comparison and compound filters)."""

from __future__ import annotations

from typing import Any

from tandem.errors import InvalidRequestError
from tandem.wire import JSONObject

COMPARISONS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "nin")
COMPOUNDS = ("and", "or")
MAX_DEPTH = 8


def check_filters(filters: JSONObject, where: str = "filters", depth: int = 0) -> None:
    """Refuse a filter that is not one of OpenAI's shapes (a 400 naming where)."""
    kind = filters.get("type")
    if depth > MAX_DEPTH:
        raise InvalidRequestError("filters are nested too deeply", param=where)
    if kind in COMPOUNDS:
        subs = filters.get("filters")
        if not isinstance(subs, list) or not subs:
            raise InvalidRequestError(f"a '{kind}' filter needs filters", param=f"{where}.filters")
        for i, sub in enumerate(subs):
            if not isinstance(sub, dict):
                raise InvalidRequestError("filters are objects", param=f"{where}.filters[{i}]")
            check_filters(sub, f"{where}.filters[{i}]", depth + 1)
        return
    if kind not in COMPARISONS:
        raise InvalidRequestError(
            f"filter type must be one of {', '.join(COMPARISONS + COMPOUNDS)}",
            param=f"{where}.type",
        )
    if not isinstance(filters.get("key"), str):
        raise InvalidRequestError("a comparison filter needs a key", param=f"{where}.key")
    value = filters.get("value")
    if kind in ("in", "nin") and not isinstance(value, list):
        raise InvalidRequestError(f"'{kind}' compares with a list", param=f"{where}.value")
    if kind not in ("in", "nin") and not isinstance(value, str | int | float | bool):
        raise InvalidRequestError("value is a string, number or boolean", param=f"{where}.value")


def matches(filters: JSONObject, attributes: dict[str, Any]) -> bool:
    """Whether `attributes` pass a checked filter."""
    kind = filters["type"]
    if kind == "and":
        return all(matches(f, attributes) for f in filters["filters"])
    if kind == "or":
        return any(matches(f, attributes) for f in filters["filters"])
    have, want = attributes.get(filters["key"]), filters["value"]
    if kind == "eq":
        return bool(have == want)
    if kind == "ne":
        return bool(have != want)
    if kind == "in":
        return have in want
    if kind == "nin":
        return have not in want
    numbers = isinstance(have, int | float) and isinstance(want, int | float)
    if not numbers and not (isinstance(have, str) and isinstance(want, str)):
        return False
    order: dict[str, bool] = {
        "gt": have > want,
        "gte": have >= want,
        "lt": have < want,
        "lte": have <= want,
    }
    return order[kind]
