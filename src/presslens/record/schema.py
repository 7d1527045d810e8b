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
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
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
                "text": _NULLABLE_STR,
            },
        },
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "text": {"type": "string"},
        "negated": {"type": "boolean"},
    },
}

_SOURCE = {
    "type": "object",
    "required": ["quote", "actor"],
    "properties": {"quote": _NULLABLE_STR, "actor": _NULLABLE_STR},
}

_TECHNIQUE = {
    "type": "object",
    "required": ["technique", "span", "score", "voice"],
    "properties": {
        "technique": {"type": "string"},
        "span": _SPAN,
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "voice": _SOURCE,
        "text": {"type": "string"},
        "shown": {"type": "boolean"},
    },
}

_FIGURE = {
    "type": "object",
    "required": ["id", "span", "value", "high", "qualifier", "change", "unit", "counts", "source"],
    "properties": {
        "id": {"type": "string", "pattern": "^f[0-9]+$"},
        "span": _SPAN,
        "text": {"type": "string"},
        "value": {"type": "number"},
        "high": {"type": ["number", "null"]},
        "qualifier": {"enum": ["exact", "approx", "at_least", "more_than", "at_most", "less_than"]},
        "change": {"enum": ["up", "down", None]},
        "unit": _NULLABLE_STR,
        "counts": {"oneOf": [_SPAN, {"type": "null"}]},
        "source": _SOURCE,
    },
}

_CLAIM = {
    "type": "object",
    "required": ["id", "span", "checkworthy", "score", "source"],
    "properties": {
        "id": {"type": "string", "pattern": "^c[0-9]+$"},
        "span": _SPAN,
        "text": {"type": "string"},
        "checkworthy": {"type": "boolean"},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "source": _SOURCE,
    },
}

RELATIONS = (
    "leads",
    "works_for",
    "member_of",
    "part_of",
    "allied_with",
    "opposes",
    "based_in",
    "lives_in",
    "located_in",
    "killed",
    "attacked",
)

_RELATION = {
    "type": "object",
    "required": ["id", "subject", "relation", "object", "evidence", "source", "negated", "confidence"],
    "properties": {
        "id": {"type": "string", "pattern": "^r[0-9]+$"},
        "subject": {"type": "string", "pattern": "^a[0-9]+$"},
        "relation": {"enum": list(RELATIONS)},
        "object": {"type": "string", "pattern": "^a[0-9]+$"},
        "evidence": _SPAN,
        "text": {"type": "string"},
        "source": _SOURCE,
        "negated": {"type": "boolean"},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
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
                "figures": {"type": "array", "items": _FIGURE},
                "claims": {"type": "array", "items": _CLAIM},
                "relations": {"type": "array", "items": _RELATION},
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

    Beyond the JSON Schema, checks that every span is non-empty and ordered (start < end) inside
    ``article.text``, that ids are unique, and that every reference (quote speakers, technique voices, the
    sources of figures, claims and relations, relation subjects and objects) points at an actor or quote of
    the record.
    """
    import jsonschema

    _validator().validate(record)
    if "error" in record:
        return
    n = len(record["article"]["text"])

    def check(span: list[int], where: str) -> None:
        if not (0 <= span[0] < span[1] <= n):
            raise jsonschema.ValidationError(f"{where}: span {span} empty, reversed or outside text of length {n}")

    def refer(ref: dict[str, Any], where: str) -> None:
        if ref["quote"] is not None and ref["quote"] not in quote_ids:
            raise jsonschema.ValidationError(f"{where}: unknown quote {ref['quote']}")
        if ref["actor"] is not None and ref["actor"] not in actor_ids:
            raise jsonschema.ValidationError(f"{where}: unknown actor {ref['actor']}")

    def unique(items: list[dict[str, Any]], what: str) -> set[str]:
        ids = [x["id"] for x in items]
        if len(set(ids)) != len(ids):
            raise jsonschema.ValidationError(f"{what}: duplicate ids")
        return set(ids)

    for ign in record["article"]["ignored"]:
        check(ign["span"], "article.ignored")
    actor_ids = unique(record["actors"], "actors")
    quote_ids = unique(record["quotes"], "quotes")
    for a in record["actors"]:
        for m in a["mentions"]:
            check(m, f"actor {a['id']} mention")
        for r in a["roles"]:
            check(r["span"], f"actor {a['id']} role")
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
        refer(t["voice"], "technique")
    for f in record.get("figures", []):
        check(f["span"], f"figure {f['id']}")
        if f["counts"] is not None:
            check(f["counts"], f"figure {f['id']} counts")
        refer(f["source"], f"figure {f['id']}")
    for c in record.get("claims", []):
        check(c["span"], f"claim {c['id']}")
        refer(c["source"], f"claim {c['id']}")
    for r in record.get("relations", []):
        check(r["evidence"], f"relation {r['id']}")
        refer(r["source"], f"relation {r['id']}")
        for end in ("subject", "object"):
            if r[end] not in actor_ids:
                raise jsonschema.ValidationError(f"relation {r['id']}: unknown {end} actor {r[end]}")
