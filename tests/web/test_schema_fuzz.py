"""Property-based fuzzing of every operation in the OpenAPI schema (schemathesis).

Each response must be no server error, have a status the schema documents for that operation,
and a body that matches the documented schema for that status (errors included: one
``ErrorBody`` shape). Runs on both databases, with a valid token so the writes are fuzzed too:
the dangerous inputs (NUL bytes, huge offsets, odd Unicode, malformed bodies) differ between
SQLite and PostgreSQL.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings

from webtest_util import seed

EXAMPLES = int(os.environ.get("REDLINE_FUZZ_EXAMPLES", "25"))


def test_schema_conformance(app, client):
    import schemathesis
    from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

    seed(app.state.backend.store)
    secret = app.state.backend.store.create_token("fuzzer")
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    checks = [not_a_server_error, status_code_conformance, response_schema_conformance]
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        op = result.ok()
        operations += 1

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy())
        def run(case) -> None:
            response = case.call(headers={"authorization": f"Bearer {secret}", "host": "localhost"})
            try:
                case.validate_response(response, checks=checks)
            except Exception as exc:  # noqa: BLE001 - every failure is collected and shown
                failures.append(f"{case.method} {case.formatted_path} {case.query} -> "
                                f"{response.status_code}: {str(exc)[:300]} | {response.text[:200]}")

        run()
    assert operations >= 20
    assert failures == [], f"{len(failures)} failures:\n" + "\n".join(failures[:20])
