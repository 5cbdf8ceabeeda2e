"""Hypothesis settings of the fuzz suite: few examples in CI, many with REDLINE_FUZZ=long.

Applied per test (not as a global profile), so the other suites keep their own settings."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

LONG = os.environ.get("REDLINE_FUZZ") == "long"
_CHECKS = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]


def fuzz(examples: int) -> settings:
    """``examples`` in CI (derandomized, so CI is repeatable), 50× as many in the long profile."""
    if LONG:
        return settings(max_examples=examples * 50, deadline=None, suppress_health_check=_CHECKS)
    return settings(max_examples=examples, deadline=None, derandomize=True, suppress_health_check=_CHECKS)
