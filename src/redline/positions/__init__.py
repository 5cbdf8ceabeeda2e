"""Positions from statements: aggregation by (party, issue), timelines, suggestions."""

from redline.positions.aggregate import Aggregate, Quote, aggregate, suggested_position
from redline.positions.suggest import Suggestion, suggest, suggest_cli
from redline.positions.timeline import Timeline, TimelineEntry, timeline

__all__ = ["Aggregate", "Quote", "aggregate", "suggested_position", "Suggestion", "suggest",
           "suggest_cli", "Timeline", "TimelineEntry", "timeline"]
