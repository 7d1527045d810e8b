"""The output contract, schema ``presslens/1``, as a JSON Schema, and a validator for it.

Field names and meanings follow ``docs/record.md`` (shared with independent evaluation tools); they are fixed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

SCHEMA_ID = "presslens/1"

_SPAN = {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 2, "maxItems": 2}
_NULLABLE_STR = {"type": ["string", "null"]}

_ARTICLE = {
    "type": "object",
    "required": ["id", "source", "title", "url", "outlet", "author", "published", "language", "text", "ignored"],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "source": _NULLABLE_STR,
        "title": _NULLABLE_STR,
        "url": _NULLABLE_STR,
        "outlet": _NULLABLE_STR,
        "author": _NULLABLE_STR,
        "published": _NULLABLE_STR,
        "language": _NULLABLE_STR,
        "text": {"type": "string"},
        "ignored": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["span", "reason"],
                "properties": {"span": _SPAN, "reason": {"type": "string"}},
            },
        },
    },
}

_ROLE = {
    "type": "object",
    "required": ["role", "organization", "span"],
    "properties": {"role": {"type": "string"}, "organization": _NULLABLE_STR, "span": _SPAN},
}

_ACTOR = {
    "type": "object",
    "required": ["id", "name", "kind", "aliases", "titles", "roles", "mentions", "kb_id"],
    "properties": {
        "id": {"type": "string", "pattern": "^a[0-9]+$"},
        "name": {"type": "string", "minLength": 1},
        "kind": {"enum": ["person", "organization", "country", "group", "other"]},
        "aliases": {"type": "array", "items": {"type": "string"}},
        "titles": {"type": "array", "items": {"type": "string"}},
        "roles": {"type": "array", "items": _ROLE},
        "mentions": {"type": "array", "items": _SPAN},
        "kb_id": _NULLABLE_STR,
    },
}

_QUOTE = {
    "type": "object",
    "required": ["id", "kind", "content", "cue", "speaker", "confidence"],
    "properties": {
        "id": {"type": "string", "pattern": "^q[0-9]+$"},
        "kind": {"enum": ["direct", "indirect", "mixed"]},
        "content": {"type": "array", "items": _SPAN, "minItems": 1},
        "cue": {"type": "array", "items": _SPAN},
        "speaker": {
            "type": "object",
            "required": ["span", "actor", "name"],
            "properties": {
                "span": {"oneOf": [_SPAN, {"type": "null"}]},
                "actor": _NULLABLE_STR,
                "name": _NULLABLE_STR,
            },
        },
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
    },
}

_TECHNIQUE = {
    "type": "object",
    "required": ["technique", "span", "score", "voice"],
    "properties": {
        "technique": {"type": "string"},
        "span": _SPAN,
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "voice": {
            "type": "object",
            "required": ["quote", "actor"],
            "properties": {"quote": _NULLABLE_STR, "actor": _NULLABLE_STR},
        },
    },
}

RECORD_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://presslens.invalid/schema/presslens-1.json",
    "title": "presslens record (presslens/1)",
    "description": "One analysed article, or an error record for an input that could not be analysed.",
    "oneOf": [
        {
            "type": "object",
            "required": ["schema", "article", "actors", "quotes", "techniques"],
            "properties": {
                "schema": {"const": SCHEMA_ID},
                "article": _ARTICLE,
                "actors": {"type": "array", "items": _ACTOR},
                "quotes": {"type": "array", "items": _QUOTE},
                "techniques": {"type": "array", "items": _TECHNIQUE},
                "presslens": {"type": "object"},
            },
            "not": {"required": ["error"]},
        },
        {
            "type": "object",
            "required": ["article", "error"],
            "properties": {
                "schema": {"const": SCHEMA_ID},
                "article": {
                    "type": "object",
                    "required": ["source"],
                    "properties": {"source": _NULLABLE_STR},
                },
                "error": {
                    "type": "object",
                    "required": ["kind", "message"],
                    "properties": {"kind": {"type": "string"}, "message": {"type": "string"}},
                },
            },
        },
    ],
}


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(RECORD_SCHEMA)


def validate(record: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` unless *record* follows ``presslens/1``.

    Beyond the JSON Schema, checks that every offset lies inside ``article.text`` and that quote speakers and
    technique voices point at actors and quotes that exist.
    """
    import jsonschema

    _validator().validate(record)
    if "error" in record:
        return
    n = len(record["article"]["text"])

    def check(span: list[int], where: str) -> None:
        if not (0 <= span[0] <= span[1] <= n):
            raise jsonschema.ValidationError(f"{where}: span {span} outside text of length {n}")

    for ign in record["article"]["ignored"]:
        check(ign["span"], "article.ignored")
    actor_ids = {a["id"] for a in record["actors"]}
    for a in record["actors"]:
        for m in a["mentions"]:
            check(m, f"actor {a['id']} mention")
        for r in a["roles"]:
            check(r["span"], f"actor {a['id']} role")
    quote_ids = {q["id"] for q in record["quotes"]}
    for q in record["quotes"]:
        for s in q["content"] + q["cue"]:
            check(s, f"quote {q['id']}")
        sp = q["speaker"]
        if sp["span"] is not None:
            check(sp["span"], f"quote {q['id']} speaker")
        if sp["actor"] is not None and sp["actor"] not in actor_ids:
            raise jsonschema.ValidationError(f"quote {q['id']}: unknown actor {sp['actor']}")
    for t in record["techniques"]:
        check(t["span"], "technique")
        v = t["voice"]
        if v["quote"] is not None and v["quote"] not in quote_ids:
            raise jsonschema.ValidationError(f"technique: unknown quote {v['quote']}")
        if v["actor"] is not None and v["actor"] not in actor_ids:
            raise jsonschema.ValidationError(f"technique: unknown actor {v['actor']}")
