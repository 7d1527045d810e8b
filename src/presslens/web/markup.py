"""The article view of a ``presslens/1`` record: its text marked up from the record's offsets, server-side.

The text is cut at every boundary of every annotation (quote content, cue, speaker mention, actor mention,
technique span, figure, claim, ignored region); each piece is escaped on its own and wrapped in one
``<span>`` whose classes say what covers it, so the markup is always well formed however the spans overlap.
Nothing of the article (text, names, technique names) reaches the page unescaped. Spans outside the text are
clipped or dropped.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import quote as urlquote
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from presslens.record.actor_confidence import shown
from presslens.record.quote_confidence import quote_shown
from presslens.record.render import technique_shown
from presslens.techniques.names import label, possible
from presslens.web.data import actor_key


def safe_url(url: Any) -> str | None:
    """The URL if it is an absolute http(s) URL with a host, else None (never javascript:, data:, ...)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if any(c in url for c in "\x00\r\n\t<>\"'` "):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def actor_path(name_or_key: str | None) -> str | None:
    """The path of an actor's page (its key, percent-encoded), or None for an empty name."""
    key = actor_key(name_or_key)
    return f"/actors/{urlquote(key, safe='')}" if key else None


def _span(value: Any, n: int) -> tuple[int, int] | None:
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    try:
        s, e = int(value[0]), int(value[1])
    except (TypeError, ValueError):
        return None
    s, e = max(0, min(s, n)), max(0, min(e, n))
    return (s, e) if s < e else None


def _nice(technique: str) -> str:
    return label(technique)


def _score(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def article_view(rec: dict[str, Any], root: str = "") -> dict[str, Any]:
    """What the article page shows of a record: metadata, the marked-up text, actors, quotes, techniques,
    figures and claims (each with who gives it). Records without figures or claims show none."""
    art = rec.get("article") or {}
    text: str = art.get("text") or ""
    n = len(text)
    actors = [a for a in rec.get("actors") or [] if isinstance(a, dict)]
    quotes = [q for q in rec.get("quotes") or [] if isinstance(q, dict)]
    techniques = [t for t in rec.get("techniques") or [] if isinstance(t, dict)]
    by_actor = {a.get("id"): a for a in actors}

    def link(name: str | None) -> str | None:
        p = actor_path(name)
        return root + p if p else None

    quote_rows: list[dict[str, Any]] = []
    speaker_of: dict[str, dict[str, Any]] = {}
    for q in quotes:
        qid = str(q.get("id"))
        sp = q.get("speaker") or {}
        name = sp.get("name") or (by_actor.get(sp.get("actor")) or {}).get("name")
        sspan = _span(sp.get("span"), n)
        content = [s for s in (_span(p, n) for p in q.get("content") or []) if s]
        cue = [s for s in (_span(p, n) for p in q.get("cue") or []) if s]
        row = {
            "id": qid,
            "kind": q.get("kind") if q.get("kind") in ("direct", "indirect", "mixed") else "other",
            "content": " … ".join(text[s:e] for s, e in content),
            "cue": " … ".join(text[s:e] for s, e in cue) or None,
            "speaker_text": text[sspan[0] : sspan[1]] if sspan else None,
            "speaker_name": name,
            "speaker_link": link(name),
            "confidence": q.get("confidence"),
            "listed": quote_shown(q),
            "negated": q.get("negated") is True,
            "spans": content,
            "cue_spans": cue,
            "speaker_span": sspan,
            "techniques": [],
        }
        speaker_of[qid] = row
        quote_rows.append(row)

    def source_of(item: dict[str, Any]) -> dict[str, Any]:
        """Who gives an item: its source actor, else its quote's speaker; the outlet when neither."""
        src = item.get("source") if isinstance(item.get("source"), dict) else {}
        q = speaker_of.get(str(src.get("quote"))) if src.get("quote") is not None else None
        name = (by_actor.get(src.get("actor")) or {}).get("name") or (q["speaker_name"] if q else None)
        return {
            "voice": "quoted" if q is not None or name else "own",
            "quote": q["id"] if q else None,
            "speaker_name": name,
            "speaker_link": link(name),
        }

    figure_rows = []
    for f in [f for f in rec.get("figures") or [] if isinstance(f, dict)]:
        span = _span(f.get("span"), n)
        counts = _span(f.get("counts"), n)
        figure_rows.append(
            {
                "id": str(f.get("id")),
                "span": span,
                "text": text[span[0] : span[1]] if span else "",
                "value": _score(f.get("value")),
                "high": _score(f.get("high")),
                "qualifier": f.get("qualifier"),
                "change": f.get("change"),
                "unit": f.get("unit"),
                "counts": text[counts[0] : counts[1]] if counts else None,
                **source_of(f),
            }
        )
    claim_rows = []
    for c in [c for c in rec.get("claims") or [] if isinstance(c, dict)]:
        span = _span(c.get("span"), n)
        claim_rows.append(
            {
                "id": str(c.get("id")),
                "span": span,
                "text": text[span[0] : span[1]] if span else "",
                "checkworthy": c.get("checkworthy") is True,
                "score": _score(c.get("score")),
                **source_of(c),
            }
        )

    tech_rows = []
    for t in techniques:
        span = _span(t.get("span"), n)
        voice = t.get("voice") or {}
        vq = voice.get("quote")
        q = speaker_of.get(str(vq)) if vq is not None else None
        row = {
            "technique": str(t.get("technique")),
            "label": _nice(str(t.get("technique"))),
            "span": span,
            "text": text[span[0] : span[1]] if span else "",
            "score": _score(t.get("score")),
            "voice": "quoted" if vq is not None else "own",
            "quote": str(vq) if vq is not None else None,
            "speaker_name": q["speaker_name"] if q else None,
            "speaker_link": q["speaker_link"] if q else None,
            "listed": technique_shown(t),  # over the display bar
        }
        if q is not None and row["listed"]:
            q["techniques"].append(row["label"])
        tech_rows.append(row)

    mention_count: dict[str, int] = defaultdict(int)
    quoted: dict[str, int] = defaultdict(int)
    for q in quote_rows:
        if q["speaker_name"]:
            quoted[actor_key(q["speaker_name"])] += 1
    actor_rows = []
    for a in actors:
        mentions = [s for s in (_span(m, n) for m in a.get("mentions") or []) if s]
        mention_count[str(a.get("id"))] = len(mentions)
        actor_rows.append(
            {
                "id": str(a.get("id")),
                "name": str(a.get("name") or ""),
                "kind": a.get("kind"),
                "link": link(a.get("name")),
                "titles": [str(x) for x in a.get("titles") or []],
                "roles": [
                    {"role": r.get("role"), "organization": r.get("organization")}
                    for r in a.get("roles") or []
                    if isinstance(r, dict)
                ],
                "aliases": [str(x) for x in a.get("aliases") or []],
                "mentions": len(mentions),
                "mention_spans": mentions,
                "quotes": quoted.get(actor_key(a.get("name")), 0),
                "confidence": _score(a.get("confidence")),
                "listed": shown(a),
            }
        )
    actor_rows.sort(key=lambda a: (-a["quotes"], -a["mentions"], a["name"]))

    ignored = []
    for i in art.get("ignored") or []:
        span = _span((i or {}).get("span"), n) if isinstance(i, dict) else None
        if span:
            ignored.append({"span": span, "reason": str(i.get("reason") or "ignored"), "text": text[span[0] : span[1]]})

    return {
        "title": art.get("title"),
        "url": art.get("url"),
        "link": safe_url(art.get("url")),
        "outlet": art.get("outlet"),
        "author": art.get("author"),
        "published": art.get("published"),
        "source": art.get("source"),
        "language": art.get("language"),
        "record_id": art.get("id"),
        "words": len(text.split()),
        "html": mark_up(
            text, quote_rows, actor_rows, [t for t in tech_rows if t["listed"]], ignored, figure_rows, claim_rows
        ),
        "actors": actor_rows,
        "quotes": quote_rows,
        "techniques": tech_rows,
        "figures": figure_rows,
        "claims": claim_rows,
        "ignored": ignored,
        "presslens": rec.get("presslens") or {},
    }


def mark_up(
    text: str,
    quotes: list[dict[str, Any]],
    actors: list[dict[str, Any]],
    techniques: list[dict[str, Any]],
    ignored: list[dict[str, Any]],
    figures: list[dict[str, Any]] | None = None,
    claims: list[dict[str, Any]] | None = None,
) -> Markup:
    """The text as HTML: every piece escaped, wrapped in spans by what covers it (see the module docstring).

    After a quote's last piece comes a small link to its entry in the quote list (``#quote-q1``); a speaker
    mention links to the speaker's page."""
    n = len(text)
    # (start, end, kind, payload)
    notes: list[tuple[int, int, str, Any]] = []
    ends_of_quote: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for q in quotes:
        for s, e in q["spans"]:
            notes.append((s, e, "quote", q))
        for s, e in q["cue_spans"]:
            notes.append((s, e, "cue", q))
        if q["speaker_span"]:
            s, e = q["speaker_span"]
            notes.append((s, e, "speaker", q))
        if q["spans"]:
            ends_of_quote[max(e for _, e in q["spans"])].append(q)
    for a in actors:
        for s, e in a["mention_spans"]:
            notes.append((s, e, "mention", a))
    for t in techniques:
        if t["span"]:
            s, e = t["span"]
            notes.append((s, e, "technique", t))
    for i in ignored:
        s, e = i["span"]
        notes.append((s, e, "ignored", i))
    for kind, items in (("figure", figures or []), ("claim", claims or [])):
        for x in items:
            if x["span"]:
                notes.append((x["span"][0], x["span"][1], kind, x))

    cuts = sorted({0, n, *(s for s, _, _, _ in notes), *(e for _, e, _, _ in notes)})
    starting: dict[int, list[int]] = defaultdict(list)
    ending: dict[int, list[int]] = defaultdict(list)
    for k, (s, e, _, _) in enumerate(notes):
        starting[s].append(k)
        ending[e].append(k)
    active: dict[int, None] = {}
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        for k in ending.get(a, ()):
            active.pop(k, None)
        for k in starting.get(a, ()):
            active[k] = None
        piece = escape(text[a:b])
        if active:
            out.append(_wrap(piece, [notes[k] for k in active]))
        else:
            out.append(str(piece))
        for q in ends_of_quote.get(b, ()):
            who = q["speaker_name"] or q["speaker_text"] or "unknown source"
            out.append(
                f'<a class="qref" href="#quote-{escape(q["id"])}" data-q="{escape(q["id"])}" '
                f'aria-label="quote {escape(q["id"])}, {escape(q["kind"])}, {escape(who)}">'
                f"{escape(q['id'])}</a>"
            )
    return Markup("".join(out))


def _who(item: dict[str, Any]) -> str:
    return f"given by {item['speaker_name']}" if item["speaker_name"] else "the outlet's own voice"


def _wrap(piece: Markup, notes: list[tuple[int, int, str, Any]]) -> str:
    classes: list[str] = []
    titles: list[str] = []
    qids: list[str] = []
    aids: list[str] = []
    href = None
    for _, _, kind, p in notes:
        if kind == "quote":
            classes += ["q", f"q-{p['kind']}"]
            qids.append(p["id"])
            who = p["speaker_name"] or p["speaker_text"] or "speaker not identified"
            titles.append(f"{p['id']} ({p['kind']}): {who}")
        elif kind == "cue":
            classes.append("cue")
            qids.append(p["id"])
        elif kind == "speaker":
            classes.append("spk")
            qids.append(p["id"])
            href = href or p["speaker_link"]
        elif kind == "mention":
            classes.append("men")
            aids.append(p["id"])
        elif kind == "technique":
            classes += ["tech", f"tech-{p['voice']}"]
            voice = "the outlet's own voice" if p["voice"] == "own" else f"quoted ({p['quote']})"
            titles.append(f"{possible(p['technique'], p['score'])}: {voice}")
        elif kind == "figure":
            classes.append("fig")
            titles.append(f"figure {p['id']}: {_who(p)}")
        elif kind == "claim":
            classes += ["claim", "claim-cw" if p["checkworthy"] else "claim-low"]
            score = f" {p['score']:.2f}" if p["score"] is not None else ""
            worth = "check-worthy" if p["checkworthy"] else "claim"
            titles.append(f"{worth}{score} ({p['id']}): {_who(p)}")
        elif kind == "ignored":
            classes.append("ign")
            titles.append(f"ignored: {p['reason']}")
    attrs = [f'class="{escape(" ".join(dict.fromkeys(classes)))}"']
    if qids:
        attrs.append(f'data-q="{escape(" ".join(dict.fromkeys(qids)))}"')
    if aids:
        attrs.append(f'data-a="{escape(" ".join(dict.fromkeys(aids)))}"')
    if titles:
        attrs.append(f'title="{escape("; ".join(titles))}"')
    if href:
        return f'<a href="{escape(href)}" {" ".join(attrs)}>{piece}</a>'
    return f"<span {' '.join(attrs)}>{piece}</span>"
