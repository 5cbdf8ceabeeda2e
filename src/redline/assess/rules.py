"""The scoring and verdict rules: one set of numbers, applied to every party alike.

Every threshold lives here, is documented in docs/assess.md and can be overridden (``Rules``
is a Pydantic model), so a reader can check that no party is judged by special rules.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Utility of a plan's option for a party, from that party's position on the issue.
    utility_preferred: float = Field(1.0, description="the option the party asks for")
    utility_acceptable: float = Field(0.6, description="an option the party said it could live with")
    utility_other: float = Field(0.2, description="an option the party neither asked for nor ruled out")
    utility_red_line: float = Field(0.0, description="an option the party declared non-negotiable")
    # A position counts as a demand when the party cares about it at least this much.
    demand_salience: float = Field(0.5, ge=0, le=1)
    # Verdict thresholds.
    one_sided_gap: float = Field(0.4, ge=0, le=1,
                                 description="satisfaction gap between principals that makes a plan one-sided")
    capitulation_max: float = Field(0.5, ge=0, le=1,
                                    description="a capitulating party's satisfaction is below this")
    capitulation_winner_min: float = Field(0.8, ge=0, le=1, description=(
        "in a capitulation, every other principal has at least this satisfaction and no red line crossed"))
    balanced_min: float = Field(0.5, ge=0, le=1,
                                description="each principal's satisfaction needed for a balanced compromise")
    coverage_min: float = Field(0.5, ge=0, le=1,
                                description="share of the principals' demands a plan must address to be complete")
    # Evidence.
    stale_after_days: int = Field(365, ge=1,
                                  description="a position whose newest evidence is older than this is flagged stale")


DEFAULT_RULES = Rules()

VERDICTS = {
    "non-starter for all": "crosses at least one red line of every principal party",
    "capitulation": "crosses red lines of one principal, whose satisfaction is below capitulation_max, "
                    "while every other principal has a satisfaction of at least capitulation_winner_min "
                    "and none of its red lines crossed",
    "one-sided": "no capitulation, but principals' satisfaction differs by at least one_sided_gap",
    "incomplete": "addresses less than coverage_min of the principals' demands",
    "balanced compromise": "crosses no principal's red line, every principal's satisfaction is at "
                           "least balanced_min and the gap is below one_sided_gap",
    "contested": "crosses some principal's red lines without meeting the others' demands in full",
}
