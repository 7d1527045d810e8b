"""The rows of a record's figures, claims and relations, as the store keeps them (pure functions, no database).

Each item's source (a quote id and an actor id of the record) is resolved to a speaker name and key: the
source actor's name, else the speaker of the source quote; both null for the outlet's own voice. Relation
subjects and objects get their actor's name and key (``name_key``, as ``actor_names.key``). Records written
before these lists existed simply have none.
"""

from __future__ import annotations

from typing import Any

from presslens.store import name_key

__all__ = ["VOICES", "claim_rows", "fact_rows", "figure_rows", "relation_rows"]

#: The voice of an item: the outlet's own, or a quoted speaker's.
VOICES = ("own", "quoted")


def _words(text: str, span: Any) -> str | None:
    if not isinstance(span, list | tuple) or len(span) != 2:
        return None
    s, e = int(span[0]), int(span[1])
    return text[s:e] if 0 <= s < e <= len(text) else None


class _Context:
    """What the items of one record refer to: its actors' names and its quotes' speakers."""

    def __init__(self, rec: dict[str, Any]) -> None:
        self.text: str = rec["article"]["text"]
        self.actors = {a["id"]: a.get("name") for a in rec.get("actors") or [] if isinstance(a, dict)}
        self.quote_speakers: dict[str, tuple[str | None, str | None]] = {}
        for q in rec.get("quotes") or []:
            sp = q.get("speaker") or {}
            name = sp.get("name") or self.actors.get(sp.get("actor"))
            self.quote_speakers[q["id"]] = (sp.get("actor"), name)

    def source(self, item: dict[str, Any]) -> dict[str, Any]:
        src = item.get("source") or {}
        quote, actor = src.get("quote"), src.get("actor")
        name = self.actors.get(actor) if actor else None
        if name is None and quote is not None:
            q_actor, name = self.quote_speakers.get(quote, (None, None))
            actor = actor or q_actor
        return {
            "source_quote": quote,
            "source_actor": actor,
            "speaker_name": name,
            "speaker_key": name_key(name),
        }


def figure_rows(rec: dict[str, Any], article_id: int, ctx: _Context | None = None) -> list[dict[str, Any]]:
    ctx = ctx or _Context(rec)
    rows = []
    for f in rec.get("figures") or []:
        counts = _words(ctx.text, f.get("counts"))
        rows.append(
            {
                "article_id": article_id,
                "figure_id": f["id"],
                "span": f["span"],
                "text": _words(ctx.text, f["span"]),
                "value": f.get("value"),
                "high": f.get("high"),
                "qualifier": f.get("qualifier"),
                "change": f.get("change"),
                "unit": f.get("unit"),
                "counts": counts,
                "counts_span": f.get("counts"),
                "counts_key": name_key(counts),
                **ctx.source(f),
            }
        )
    return rows


def claim_rows(rec: dict[str, Any], article_id: int, ctx: _Context | None = None) -> list[dict[str, Any]]:
    ctx = ctx or _Context(rec)
    return [
        {
            "article_id": article_id,
            "claim_id": c["id"],
            "span": c["span"],
            "text": _words(ctx.text, c["span"]),
            "checkworthy": bool(c.get("checkworthy")),
            "score": c.get("score"),
            **ctx.source(c),
        }
        for c in rec.get("claims") or []
    ]


def relation_rows(rec: dict[str, Any], article_id: int, ctx: _Context | None = None) -> list[dict[str, Any]]:
    ctx = ctx or _Context(rec)
    rows = []
    for r in rec.get("relations") or []:
        subject, obj = ctx.actors.get(r["subject"]), ctx.actors.get(r["object"])
        source = ctx.source(r)
        rows.append(
            {
                "article_id": article_id,
                "relation_id": r["id"],
                "subject_actor": r["subject"],
                "subject_name": subject,
                "subject_key": name_key(subject),
                "relation": r["relation"],
                "object_actor": r["object"],
                "object_name": obj,
                "object_key": name_key(obj),
                "negated": bool(r.get("negated")),
                "confidence": r.get("confidence"),
                "evidence": r["evidence"],
                "text": _words(ctx.text, r["evidence"]),
                "voice": "own" if source["source_quote"] is None and source["source_actor"] is None else "quoted",
                **source,
            }
        )
    return rows


def fact_rows(rec: dict[str, Any], article_id: int) -> dict[str, list[dict[str, Any]]]:
    """The rows of a record's ``figures``, ``claims`` and ``relations`` tables (empty lists when it has none)."""
    ctx = _Context(rec)
    return {
        "figures": figure_rows(rec, article_id, ctx),
        "claims": claim_rows(rec, article_id, ctx),
        "relations": relation_rows(rec, article_id, ctx),
    }
