"""Historical cases outside PA-X (Budapest 1994, Korea 1953, …) that share issues with a plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel

from redline.model import HistoricalCase

if TYPE_CHECKING:
    from redline.profile import Profile


class CaseMatch(BaseModel):
    case: HistoricalCase
    shared_issues: list[str]


def matching_cases(profile: "Profile", issues: list[str] | set[str]) -> list[CaseMatch]:
    """The profile's cases sharing at least one issue, most shared first, then oldest first."""
    wanted = set(issues)
    out = [CaseMatch(case=c, shared_issues=[i for i in c.issues if i in wanted])
           for c in profile.cases.values()]
    out = [m for m in out if m.shared_issues]
    out.sort(key=lambda m: (-len(m.shared_issues), m.case.date, m.case.id))
    return out


__all__ = ["CaseMatch", "matching_cases"]
