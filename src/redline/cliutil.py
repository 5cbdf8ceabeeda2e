"""Helpers the command modules share: option values turned into typed values or DataErrors."""

from __future__ import annotations

import datetime as dt

from redline.errors import DataError


def parse_date(value: str | None, what: str = "--as-of") -> dt.date | None:
    """YYYY-MM-DD or 'today'; anything else is a one-line error naming the option."""
    if value is None:
        return None
    if value.lower() == "today":
        return dt.date.today()
    from redline.inputs import check_date, display

    try:
        parsed = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise DataError(f"{what} {display(value, 40)!r} is not a date", fix="write it as YYYY-MM-DD") from None
    return check_date(parsed, what=what)


def split_ids(value: str | None) -> list[str] | None:
    """Comma-separated ids, stripped; None when the option was not given."""
    return [v.strip() for v in value.split(",") if v.strip()] if value else None
