"""Settings read from the environment once, and the input rules every adapter shares.

The CLI, the REST API and the pages accept the same inputs, so they check them with the same
functions: dates in a sane range, links only over http(s), and one meaning of an omitted
``as_of`` (``resolve_as_of``).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Mapping
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from redline.errors import DataError

LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1"]

DATE_MIN = dt.date(1900, 1, 1)
"""The earliest date a document or statement may carry: older dates are typing errors (year 1
from a bad parser), and one of them would stretch every timeline axis over two millennia."""

DATE_AHEAD_DAYS = 366
"""How far after today a date may lie (a scheduled summit, a deadline in a plan)."""

from redline.bargain import DEFAULT_TIME_LIMIT as BARGAIN_TIME_LIMIT  # noqa: E402
# Seconds per bargaining search: the one default of ``redline bargain --time-limit``.


class Settings(BaseModel):
    """Everything the server and the workspace read from the environment, read once."""

    profile: str | None = None
    database_url: str | None = None
    use_database: bool = True
    allowed_hosts: list[str] = Field(default_factory=lambda: list(LOOPBACK_HOSTS))
    cache_entries: int = Field(256, ge=0, description="most derived results kept in memory per process")
    cache_bytes: int = Field(32 * 1024 * 1024, ge=0, description="most bytes of JSON those results take")
    bargain_time_limit: float = Field(BARGAIN_TIME_LIMIT, gt=0)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        values: dict = {
            "profile": env.get("REDLINE_PROFILE") or None,
            "database_url": env.get("REDLINE_DATABASE_URL") or None,
            "use_database": env.get("REDLINE_WEB_NO_DB", "").lower() not in ("1", "true", "yes"),
        }
        hosts = env.get("REDLINE_ALLOWED_HOSTS")
        if hosts:
            values["allowed_hosts"] = [h.strip() for h in hosts.split(",") if h.strip()]
        for key, var in (("cache_entries", "REDLINE_CACHE_ENTRIES"), ("cache_bytes", "REDLINE_CACHE_BYTES"),
                         ("bargain_time_limit", "REDLINE_BARGAIN_TIME_LIMIT")):
            if env.get(var):
                values[key] = env[var]
        return cls.model_validate(values)


def resolve_as_of(as_of: dt.date | None, *plans: object) -> dt.date:
    """The one meaning of an omitted ``as_of``: the date of what is judged.

    A plan is judged against the positions of the day it was made (the later of two plans when
    two are compared); with no plan (matrix, positions, bargaining) that day is today. Every
    result carries the date it was computed for, so the answer always says which it was."""
    if as_of is not None:
        return as_of
    dates = [getattr(p, "date") for p in plans if getattr(p, "date", None) is not None]
    return max(dates) if dates else dt.date.today()


def check_date(value: dt.date | None, what: str = "date") -> dt.date | None:
    """A date of a document or statement, refused outside 1900-01-01 … today + one year."""
    if value is None:
        return None
    latest = dt.date.today() + dt.timedelta(days=DATE_AHEAD_DAYS)
    if not DATE_MIN <= value <= latest:
        raise DataError(f"{what} {value.isoformat()} is outside {DATE_MIN.isoformat()} … {latest.isoformat()}",
                        fix="give the date the text was published or the words were said (YYYY-MM-DD)")
    return value


def check_url(value: str | None, what: str = "url") -> str | None:
    """A source link: empty, or an absolute http(s) URL with a host. Anything else is refused
    (a ``javascript:`` or ``file:`` link must never be stored to be shown later)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise DataError(f"{what} {value[:80]!r} is not an http(s) link",
                        fix="give an absolute http:// or https:// URL, or leave it out")
    return value


__all__ = ["Settings", "resolve_as_of", "check_date", "check_url", "DATE_MIN", "DATE_AHEAD_DAYS",
           "LOOPBACK_HOSTS", "BARGAIN_TIME_LIMIT"]
