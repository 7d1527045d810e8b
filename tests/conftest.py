from __future__ import annotations

import json
from pathlib import Path

import pytest

from presslens.schema import validate

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (FIXTURES / "seed.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_record(seed_text: str) -> dict:
    from presslens import analyze

    rec = analyze(seed_text, source="seed.txt")
    validate(rec)
    return rec


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    return json.loads((FIXTURES / "seed_gold.json").read_text(encoding="utf-8"))


def span_text(rec: dict, span: list[int] | None) -> str | None:
    if span is None:
        return None
    return rec["article"]["text"][span[0] : span[1]]
