"""Property-based fuzzing of every operation in the OpenAPI schema (schemathesis): no 5xx, ever.

Runs on both databases, with a valid token so the writes are fuzzed too: the dangerous inputs
(NUL bytes, huge offsets, odd Unicode, malformed bodies) differ between SQLite and PostgreSQL.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings

from webtest_util import seed

EXAMPLES = int(os.environ.get("REDLINE_FUZZ_EXAMPLES", "25"))


def test_no_server_errors(app, client):
    import schemathesis

    seed(app.state.backend.store)
    secret = app.state.backend.store.create_token("fuzzer")
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        op = result.ok()
        operations += 1

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy())
        def run(case) -> None:
            response = case.call(headers={"authorization": f"Bearer {secret}"})
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query} -> "
                                f"{response.status_code}: {response.text[:200]}")

        run()
    assert operations >= 20
    assert failures == [], "\n".join(failures[:20])
