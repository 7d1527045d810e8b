"""What the actor and quote confidences share: a logistic model over named features, shipped as JSON in the
package with ``shown_at``, the least confidence the table and the web app list by default; and the counts by id
a record's lists give its features."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any, TypeVar

M = TypeVar("M", bound="ListedModel")


class ListedModel:
    """Weights over ``FEATURES``, an intercept and ``shown_at``, from a model file's JSON. A subclass names its
    ``FEATURES`` and, for its errors, ``NAME``."""

    FEATURES: tuple[str, ...] = ()
    NAME = "confidence model"

    def __init__(self, model: dict[str, Any]) -> None:
        if tuple(model.get("features") or ()) != self.FEATURES:
            raise ValueError(f"{self.NAME}: its features are not this version's FEATURES")
        self.weights = [float(w) for w in model["weights"]]
        self.intercept = float(model["intercept"])
        self.shown_at = float(model["shown_at"])
        self.info = model

    def probability(self, features: Sequence[float]) -> float:
        z = self.intercept + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@cache
def shipped(cls: type[M], path: str) -> M:
    """The model of class *cls* in the package's file *path* (read once)."""
    with resources.files("presslens").joinpath(path).open(encoding="utf-8") as f:
        return cls(json.load(f))


def listed(item: dict[str, Any], shown_at: float) -> bool:
    """Whether an item is listed by default: its ``confidence`` is at or above ``shown_at``. An item without a
    confidence (a record from before the field) is listed."""
    value = item.get("confidence")
    if not isinstance(value, int | float) or isinstance(value, bool):
        return True
    return value >= shown_at


def counts_by_id(items: Sequence[Any], *paths: tuple[str, ...]) -> dict[str, int]:
    """How often each id occurs in *items* at any of the key *paths* (``("speaker", "actor")``: quotes an actor
    speaks; ``("subject",), ("object",)``: relations it takes part in)."""
    out: dict[str, int] = {}
    for item in items:
        if not isinstance(item, dict):
            continue
        for path in paths:
            value: Any = item
            for key in path:
                value = value.get(key) if isinstance(value, dict) else None
            if isinstance(value, str):
                out[value] = out.get(value, 0) + 1
    return out
