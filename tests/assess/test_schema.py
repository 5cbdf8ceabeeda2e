"""The JSON output's schema is committed: a model change that alters it must update the file
(and bump schema_version when a field changes meaning or goes away)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from redline.assess import Assessment, Comparison

DOCS = Path(__file__).parents[2] / "docs" / "schema"


@pytest.mark.parametrize("name,model", [("assessment", Assessment), ("comparison", Comparison)])
def test_committed_schema_matches_model(name, model):
    committed = json.loads((DOCS / f"{name}.schema.json").read_text())
    assert committed == json.loads(json.dumps(model.model_json_schema())), (
        f"regenerate with: redline schema {name} > docs/schema/{name}.schema.json")
