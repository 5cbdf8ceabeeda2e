"""Bargaining and forecasting: exact package search over red lines, single-issue forecasts, and
their backtest on real EU decisions (DEU III). Method and figures: docs/bargain.md.

Names are imported on first use, so ``import redline.bargain.cli`` stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

# How long one package search may run by default (seconds); the CLI, the API and the report
# read this one value.
DEFAULT_TIME_LIMIT = 60.0

_EXPORTS = {
    "deu": ["BacktestResult", "DeuData", "backtest", "default_models", "load_deu"],
    "eum": ["EUMParams", "EUMResult", "expected_utility_model"],
    "forecast": ["Actor", "IssueForecast", "compromise", "forecast_issue", "load_forecast_csv",
                 "nash_bargaining", "weighted_median"],
    "packages": ["Conflict", "Frontier", "PlanFit", "RedLine", "Solution", "closest_package",
                 "conflicting_red_lines", "kalai_smorodinsky", "maxmin", "nash", "pareto_frontier",
                 "plan_fit", "plan_terms", "ranked", "uniform_gain"],
    "report": ["BargainReport", "bargain"],
    "utility": ["DisagreementRule", "UtilityRules", "UtilityTable", "load_utility_overrides", "parse_fix",
                "utilities_from_positions"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'redline.bargain' has no attribute {name!r}")
    return getattr(importlib.import_module(f"redline.bargain.{_WHERE[name]}"), name)
