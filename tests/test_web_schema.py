"""Schemathesis against the newsroom's OpenAPI spec, in process (ASGI): generated requests to every operation
(the JSON API and the pages), valid and invalid, 25 examples of each per operation, and never a server error.

Driven through schemathesis' Hypothesis strategies rather than its pytest plugin, whose lazy-fixture support
(``schemathesis.pytest.from_fixture``) does not run on pytest 9.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from presslens.web import create_app
from test_web_corpus import build_store

EXAMPLES = 25


@pytest.fixture(scope="module")
def web_api(tmp_path_factory: pytest.TempPathFactory) -> Any:
    d: Path = tmp_path_factory.mktemp("web-schema")
    url = build_store(d)
    # a token is configured (so the write paths run their checks) but never sent: writes must answer 401
    app = create_app(url, token="not-known-to-the-generator", burst=3, rate=0.5)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def operations(schema: Any) -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


def test_the_spec_lists_the_api(web_api: Any) -> None:
    labels = {op.label for op in operations(web_api)}
    for label in (
        "GET /api/articles",
        "GET /api/articles/{article_id}",
        "POST /api/articles",
        "DELETE /api/articles/{article_id}",
        "GET /api/quotes",
        "GET /api/actors",
        "GET /api/actors/{key}",
        "GET /api/outlets",
        "GET /api/network",
        "POST /api/analyze",
        "GET /quotes",
    ):
        assert label in labels


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_no_server_errors(web_api: Any, mode: GenerationMode) -> None:
    failures: list[str] = []
    calls = 0
    for op in operations(web_api):

        @given(case=op.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case: schemathesis.Case) -> None:
            nonlocal calls
            calls += 1
            response = case.call()
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query}: {response.status_code}")
            elif "content-security-policy" not in {k.lower() for k in response.headers}:
                failures.append(f"{case.method} {case.formatted_path}: no CSP header")

        try:
            run()
        except Unsatisfiable:  # nothing invalid to send (e.g. a page without parameters)
            assert mode is GenerationMode.NEGATIVE, op.label
    assert calls >= 10 * len(operations(web_api))
    assert failures == [], failures[:10]
