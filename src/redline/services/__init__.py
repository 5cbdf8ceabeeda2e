"""The application layer under the CLI, the REST API and the web pages.

``Workspace(profile, store, settings)`` returns typed results for every operation the adapters
expose; ``Settings.from_env()`` reads the environment once; ``resolve_as_of`` gives an omitted
``as_of`` its one meaning. Importing this package does not import the database layer.
"""

from redline.services.cache import ResultCache, cache_key
from redline.services.matrix import Matrix, MatrixCell, matrix, position_dates
from redline.services.settings import (BARGAIN_TIME_LIMIT, DATE_MIN, Settings, check_date, check_url,
                                       resolve_as_of)
from redline.services.workspace import (Conflict, IngestItem, IngestResult, StatementsAdded, StoreMissing,
                                        Workspace, assess_plan, attach_precedents)

__all__ = ["Workspace", "Settings", "ResultCache", "cache_key", "Matrix", "MatrixCell", "matrix",
           "position_dates", "resolve_as_of", "check_date", "check_url", "BARGAIN_TIME_LIMIT", "DATE_MIN",
           "Conflict", "StoreMissing", "IngestResult", "IngestItem", "StatementsAdded", "assess_plan",
           "attach_precedents"]
