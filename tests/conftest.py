from __future__ import annotations

import json
from pathlib import Path

import pytest

from presslens.record.schema import validate

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def every_record_follows_the_schema():
    """Every record the pipeline builds in this test process, and every error record, is validated against
    presslens/1 as it is made (tests that run the CLI in a subprocess validate its output themselves)."""
    import presslens.record.pipeline as pipeline

    made, failed = pipeline._record, pipeline.error_record

    def checked_record(doc, meta):
        rec = made(doc, meta)
        validate(rec)
        return rec

    def checked_error(source, kind, message):
        rec = failed(source, kind, message)
        validate(rec)
        return rec

    mp = pytest.MonkeyPatch()
    mp.setattr(pipeline, "_record", checked_record)
    mp.setattr(pipeline, "error_record", checked_error)
    yield
    mp.undo()


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


def mpnet_available() -> bool:
    """Whether the MPNet encoder packages are installed; with PRESSLENS_REQUIRE_ENCODER set (CI) a missing
    package is an error, not a skip."""
    import os

    from presslens.tagger import mpnet

    if mpnet.available():
        return True
    if os.environ.get("PRESSLENS_REQUIRE_ENCODER"):
        mpnet.model_dir()  # raises EncoderMissing with the install command
    return False
