"""Precedents: PA-X peace agreements similar to a plan, clause base rates, and historical cases.

Data: the PA-X v10 coded CSV and code table (Bell & Badanjak 2019; https://www.peaceagreements.org),
read from ``--pax PATH``, ``$REDLINE_PAX`` or ``../shared/data/pax``; never bundled.
"""

from redline.precedents.analogues import Analogues, plan_analogues
from redline.precedents.baserates import BaseRates, base_rates, plan_base_rates
from redline.precedents.cases import CaseMatch, matching_cases
from redline.precedents.pax import Agreement, CodeTable, PaxCode, PaxData, load_code_table, load_pax, resolve_pax_path
from redline.precedents.query import (MECHANISM_CODES, Clause, Query, agreement_query, codes_query,
                                      plan_query)
from redline.precedents.outcomes import AgreementOutcome, OutcomeMatch, hold_rates, load_outcomes, match_outcomes
from redline.precedents.report import PrecedentReport, plan_context, plan_precedents
from redline.precedents.search import Filters, Hit, SearchResult, search

__all__ = ["plan_precedents", "PrecedentReport", "load_pax", "load_code_table", "resolve_pax_path", "PaxData",
           "Agreement", "PaxCode", "CodeTable", "plan_query", "codes_query", "agreement_query", "Query",
           "Clause", "MECHANISM_CODES", "search", "Filters", "Hit", "SearchResult", "base_rates",
           "plan_base_rates", "BaseRates", "matching_cases", "CaseMatch", "plan_analogues", "Analogues",
           "load_outcomes", "match_outcomes", "hold_rates", "AgreementOutcome", "OutcomeMatch", "plan_context"]
