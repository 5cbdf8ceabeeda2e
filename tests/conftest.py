"""Shared fixtures: the real data in ../shared and the bundled profile."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("REDLINE_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"{SHARED} not found: the tests read real data from ../shared (set REDLINE_SHARED)")
    return SHARED


@pytest.fixture(scope="session")
def profile():
    from redline.profile import load_profile

    return load_profile()
