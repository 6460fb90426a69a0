"""The JSON API under schemathesis: requests generated from /openapi.json, run in-process against
the app on the shared test archive. Zero 5xx and every response as the schema declares it
(status, content type, body, headers), which is what keeps the published schema honest.

Driven through hypothesis directly rather than schemathesis' pytest plugin, whose lazy-fixture
path reads a pytest attribute (`_nodeid`) that pytest 9 no longer has."""
from __future__ import annotations

import itertools
import time

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in the test extra: pip install -e '.[test]'")
from hypothesis import HealthCheck, given, settings  # noqa: E402  (installed with schemathesis)
from schemathesis.generation.modes import GenerationMode  # noqa: E402

MAX_EXAMPLES = 60  # per operation and per kind of data (valid, invalid)
BUDGET_SECONDS = 150  # four operations


def test_fuzzed_api_requests_get_no_5xx_and_match_the_schema(client):
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} == {"/api/search", "/api/articles/{article_id}", "/api/articles/{article_id}/similar",
                                              "/api/entities", "/api/entities/{entity_id}"}
    started, calls = time.monotonic(), []
    for operation, mode in itertools.product(operations, GenerationMode):
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case):
            response = case.call_and_validate()
            calls.append(response.status_code)

        run()
    assert calls and not [s for s in calls if s >= 500]
    assert time.monotonic() - started < BUDGET_SECONDS
