"""Assess a plan against the parties' positions, and compare two plans."""

from redline.assess.compare import Comparison, compare, word_redline
from redline.assess.durability import ChecklistItem, checklist
from redline.assess.engine import Assessment, PartyAssessment, Verdict, assess
from redline.assess.rules import DEFAULT_RULES, VERDICTS, Rules

__all__ = ["Assessment", "PartyAssessment", "Verdict", "assess", "Comparison", "compare", "word_redline",
           "ChecklistItem", "checklist", "Rules", "DEFAULT_RULES", "VERDICTS"]
