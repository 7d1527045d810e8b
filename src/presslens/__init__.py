"""presslens: read the news with evidence: who said what, about whom, and how."""

from __future__ import annotations

from typing import Any

from presslens.version import __version__


def analyze(text: str, **metadata: Any) -> dict[str, Any]:
    """Analyse one article and return its ``presslens/1`` record (see ``presslens.record.schema``)."""
    from presslens.record.pipeline import analyze as _analyze

    return _analyze(text, **metadata)


__all__ = ["__version__", "analyze"]
