"""A readable terminal view of records (Rich). Article text is untrusted: it is always passed to Rich as
``Text``, never as markup, so "[bold]" or escape sequences in an article print as what they are."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from presslens.record.actor_confidence import shown
from presslens.record.quote_confidence import quote_shown

_CONTENT_CHARS = 160


def _safe(s: str | None) -> Text:
    # control characters (escape sequences) are shown, not executed
    clean = "".join(ch if ch.isprintable() or ch in "\n\t" else f"\\x{ord(ch):02x}" for ch in (s or ""))
    return Text(clean)


def _clip(s: str, n: int = _CONTENT_CHARS) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def record_view(rec: dict[str, Any], all_actors: bool = False, unsure_quotes: bool = False) -> Group | Panel:
    """One record as Rich renderables: quotes with speakers, actors with roles. Actors and quotes whose
    confidence is under their model's ``shown_at`` are counted, not listed, unless ``all_actors`` (actors) or
    ``unsure_quotes`` (quotes)."""
    art = rec["article"]
    if "error" in rec:
        err = rec["error"]
        return Panel(
            _safe(f"{err['kind']}: {err['message']}"), title=_safe(art.get("source") or "?"), border_style="red"
        )
    text = art["text"]
    head = Text()
    head.append_text(_safe(art.get("title") or "(untitled)"))
    head.append("\n")
    head.append_text(_safe(art.get("source") or art["id"]))
    if art["ignored"]:
        head.append(f"\n{len(art['ignored'])} region(s) ignored: ", style="dim")
        head.append_text(_safe("; ".join(i["reason"] for i in art["ignored"])))

    quotes = Table(title="Quotes", show_lines=False, expand=True)
    quotes.add_column("#", no_wrap=True)
    quotes.add_column("kind", no_wrap=True)
    quotes.add_column("speaker", ratio=2, overflow="fold")
    quotes.add_column("cue", ratio=1, overflow="fold")
    quotes.add_column("content", ratio=5, min_width=30)
    quotes.add_column("conf", justify="right", no_wrap=True)
    quotes.caption = (
        "kind: direct (all in quotation marks), indirect (reported) or mixed; "
        "conf: how likely it is a real attribution with the right speaker, 0-1"
    )
    shown_quotes = [q for q in rec["quotes"] if unsure_quotes or quote_shown(q)]
    if len(shown_quotes) < len(rec["quotes"]):
        quotes.caption += (
            f". {len(rec['quotes']) - len(shown_quotes)} less certain quote(s) not listed (--unsure-quotes lists them)"
        )
    for q in shown_quotes:
        sp = q["speaker"]
        as_written = text[sp["span"][0] : sp["span"][1]] if sp["span"] else ""
        who = sp["name"] or as_written or "—"
        if sp["name"] and as_written and as_written != sp["name"]:
            who = f"{sp['name']} (“{_clip(as_written, 40)}”)"
        cue = ", ".join(text[s:e] for s, e in q["cue"])
        content = " … ".join(text[s:e] for s, e in q["content"])
        kind = q["kind"] + (" (did not say)" if q.get("negated") else "")
        quotes.add_row(
            _safe(q["id"]), _safe(kind), _safe(who), _safe(cue), _safe(_clip(content)), f"{q['confidence']:.2f}"
        )

    actors = Table(title="Actors", expand=True)
    actors.add_column("actor")
    actors.add_column("kind", no_wrap=True)
    actors.add_column("titles and roles")
    actors.add_column("mentions", justify="right")
    actors.add_column("quoted", justify="right")
    actors.add_column("conf", justify="right", no_wrap=True)
    listed = [a for a in rec["actors"] if all_actors or shown(a)]
    actors.caption = (
        "mentions: times the article refers to the actor (names, pronouns, descriptions); quoted: quotes it speaks; "
        "conf: how likely the entry is a real actor of the right kind, 0-1"
    )
    if len(listed) < len(rec["actors"]):
        actors.caption += (
            f". {len(rec['actors']) - len(listed)} less certain actor(s) not listed (--all-actors lists them)"
        )
    quoted = {}
    for q in rec["quotes"]:
        if q["speaker"]["actor"]:
            quoted[q["speaker"]["actor"]] = quoted.get(q["speaker"]["actor"], 0) + 1
    for a in sorted(listed, key=lambda a: (-quoted.get(a["id"], 0), -len(a["mentions"]))):
        roles = [r["role"] + (f", {r['organization']}" if r["organization"] else "") for r in a["roles"]]
        extra = [t for t in a["titles"] if all(t not in r for r in roles)]
        actors.add_row(
            _safe(a["name"]),
            _safe(a["kind"]),
            _safe("; ".join(extra + roles)),
            str(len(a["mentions"])),
            str(quoted.get(a["id"], "")),
            f"{a['confidence']:.2f}" if isinstance(a.get("confidence"), int | float) else "",
        )
    parts: list[Any] = [head, quotes, actors]
    if rec.get("techniques"):
        parts += techniques_view(rec)  # what the display bar shows; a line for the rest
    if rec.get("figures"):
        parts.append(figures_view(rec))
    if rec.get("claims"):
        parts.append(claims_view(rec))
    if rec.get("relations"):
        parts.append(relations_view(rec))
    return Panel(Group(*parts), title=_safe(art["id"]), border_style="cyan")


def _voice_name(rec: dict[str, Any], voice: dict[str, Any]) -> str:
    """Who uses a technique: the outlet, or the quoted speaker (by actor name, else as written)."""
    if voice.get("quote") is None:
        return "outlet"
    names = {a["id"]: a["name"] for a in rec["actors"]}
    if voice.get("actor") in names:
        return names[voice["actor"]]
    for q in rec["quotes"]:
        if q["id"] == voice["quote"]:
            sp = q["speaker"]
            if sp["span"]:
                return rec["article"]["text"][sp["span"][0] : sp["span"][1]]
    return "speaker not identified"


def technique_shown(t: dict[str, Any]) -> bool:
    """Whether a record's technique item clears the display bar (``"shown"``; an item without the field does)."""
    return t.get("shown", True) is not False


def shown_techniques(rec: dict[str, Any]) -> list[dict[str, Any]]:
    """The record's techniques that clear the display bar (``technique_shown``)."""
    return [t for t in rec.get("techniques") or [] if isinstance(t, dict) and technique_shown(t)]


def techniques_view(rec: dict[str, Any]) -> list[Any]:
    """Possible persuasion techniques shown by default (readable names, calibrated probability) with their plain
    descriptions, and how many each voice uses: leads for a reader, never verdicts. The techniques the record
    keeps under the display bar are only counted."""
    from presslens.techniques.calibrate import real_pages_short
    from presslens.techniques.names import label, possible

    text = rec["article"]["text"]
    items = shown_techniques(rec)
    hidden = len(rec.get("techniques") or []) - len(items)
    more = (
        f"{hidden} more possible technique{'' if hidden == 1 else 's'} kept in the record under the display bar "
        "(right less often on general news; JSON output, \"shown\": false)"
        if hidden
        else ""
    )
    if not items:
        return [Text(more, style="dim")]
    found = Table(title="Possible persuasion techniques", expand=True)
    found.add_column("possible technique", ratio=2, overflow="fold")
    found.add_column("voice", ratio=1, overflow="fold")
    found.add_column("text", ratio=3, min_width=20)
    found.add_column("p", justify="right", no_wrap=True)
    found.caption = (
        "p: calibrated probability that these words use a persuasion technique (measured per technique on "
        f"held-out articles of the training corpus; {real_pages_short()}: presslens techniques-help); a lead for "
        "a reader, not a verdict" + (f". {more}" if more else "")
    )
    by_voice: dict[str, dict[str, int]] = {}
    descriptions: dict[str, str] = {}
    for t in sorted(items, key=lambda t: t["span"][0]):
        who = _voice_name(rec, t["voice"])
        by_voice.setdefault(who, {})
        by_voice[who][t["technique"]] = by_voice[who].get(t["technique"], 0) + 1
        descriptions.setdefault(t["technique"], t.get("description", ""))
        s, e = t["span"]
        found.add_row(
            _safe(possible(t["technique"], None)), _safe(who), _safe(_clip(text[s:e], 100)), f"{t['score']:.2f}"
        )
    meaning = Table(title="What the techniques mean", expand=True, show_header=False)
    meaning.add_column("technique", ratio=1, overflow="fold")
    meaning.add_column("description", ratio=3)
    for name, desc in sorted(descriptions.items()):
        meaning.add_row(_safe(label(name)), _safe(desc))
    voices = Table(title="Possible techniques by voice", expand=True)
    voices.add_column("voice", ratio=1, overflow="fold")
    voices.add_column("techniques", justify="right", no_wrap=True)
    voices.add_column("which", ratio=3)
    order = sorted(by_voice, key=lambda w: (w != "outlet", -sum(by_voice[w].values()), w))
    for who in order:
        counts = by_voice[who]
        which = ", ".join(f"{label(k)} {n}" for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        voices.add_row(_safe(who), str(sum(counts.values())), _safe(which))
    return [found, meaning, voices]


def _source_name(rec: dict[str, Any], source: dict[str, Any]) -> str:
    return _voice_name(rec, source)


def figures_view(rec: dict[str, Any]) -> Table:
    """Figures: the words, the value read, what it counts and on whose word."""
    text = rec["article"]["text"]
    table = Table(title="Figures", expand=True)
    table.add_column("as written", ratio=2, overflow="fold")
    table.add_column("value", ratio=2, overflow="fold")
    table.add_column("counts", ratio=2, overflow="fold")
    table.add_column("source", ratio=1, overflow="fold")
    table.caption = (
        "value: the number read (a range low-high), its qualifier, unit and change; source: outlet or speaker"
    )
    for f in rec["figures"]:
        value = f"{f['value']:g}" + (f"-{f['high']:g}" if f.get("high") is not None else "")
        extra = [x for x in (f["qualifier"] if f["qualifier"] != "exact" else None, f["unit"], f["change"]) if x]
        counts = text[f["counts"][0] : f["counts"][1]] if f.get("counts") else ""
        table.add_row(
            _safe(_clip(text[f["span"][0] : f["span"][1]], 60)),
            _safe(" ".join([value, *extra])),
            _safe(_clip(counts, 60)),
            _safe(_source_name(rec, f["source"])),
        )
    return table


def claims_view(rec: dict[str, Any]) -> Table:
    """Check-worthy claims only (the record also keeps the sentences below the threshold)."""
    text = rec["article"]["text"]
    table = Table(title="Check-worthy claims", expand=True)
    table.add_column("claim", ratio=5, min_width=30)
    table.add_column("source", ratio=1, overflow="fold")
    table.add_column("score", justify="right", no_wrap=True)
    table.caption = "score: probability that the sentence states a fact worth checking, 0-1; source: outlet or speaker"
    for c in rec["claims"]:
        if c["checkworthy"]:
            s, e = c["span"]
            table.add_row(_safe(_clip(text[s:e])), _safe(_source_name(rec, c["source"])), f"{c['score']:.2f}")
    return table


def relations_view(rec: dict[str, Any]) -> Table:
    """Relations between actors, with the words that state them and whose voice states them."""
    text = rec["article"]["text"]
    names = {a["id"]: a["name"] for a in rec["actors"]}
    table = Table(title="Relations", expand=True)
    table.add_column("subject", ratio=2, overflow="fold")
    table.add_column("relation", no_wrap=True)
    table.add_column("object", ratio=2, overflow="fold")
    table.add_column("evidence", ratio=4, min_width=20)
    table.add_column("source", ratio=1, overflow="fold")
    table.add_column("conf", justify="right", no_wrap=True)
    table.caption = "conf: how likely the relation is stated, 0-1; source: outlet or speaker; 'not' marks a denial"
    for r in rec["relations"]:
        s, e = r["evidence"]
        relation = ("not " if r["negated"] else "") + r["relation"].replace("_", " ")
        table.add_row(
            _safe(names.get(r["subject"], r["subject"])),
            _safe(relation),
            _safe(names.get(r["object"], r["object"])),
            _safe(_clip(text[s:e], 100)),
            _safe(_source_name(rec, r["source"])),
            f"{r['confidence']:.2f}",
        )
    return table


def print_records(records: list[dict[str, Any]], console: Console) -> None:
    for rec in records:
        console.print(record_view(rec))
