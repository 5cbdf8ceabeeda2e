"""One extractor (spaCy model loaded once) per test session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def extractor(profile):
    from redline.extract.pipeline import Extractor

    return Extractor(profile)


@pytest.fixture(scope="session")
def dev_gold(shared_dir):
    from redline.extract.io import read_gold

    return read_gold(shared_dir / "eval" / "dev.jsonl")


@pytest.fixture(scope="session")
def dev_report(extractor, dev_gold):
    from redline.extract.evaluate import evaluate

    return evaluate(dev_gold, extractor)
