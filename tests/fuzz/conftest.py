"""Fuzz suite: puts corpus.py, harness.py and fuzz_settings.py on the path.

    .venv/bin/python -m pytest tests/fuzz                          # fast (CI): < 60 s
    REDLINE_FUZZ=long .venv/bin/python -m pytest tests/fuzz        # many more examples
    .venv/bin/python tests/fuzz/run_long.py                        # ≥1,000 inputs per command
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from redline.store.testing import db_url, store  # noqa: E402,F401 - pytest fixtures (SQLite and PostgreSQL)
