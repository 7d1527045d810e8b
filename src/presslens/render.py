"""A readable terminal view of records (Rich). Article text is untrusted: it is always passed to Rich as
``Text``, never as markup, so "[bold]" or escape sequences in an article print as what they are."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

_CONTENT_CHARS = 160


def _safe(s: str | None) -> Text:
    # control characters (escape sequences) are shown, not executed
    clean = "".join(ch if ch.isprintable() or ch in "\n\t" else f"\\x{ord(ch):02x}" for ch in (s or ""))
    return Text(clean)


def _clip(s: str, n: int = _CONTENT_CHARS) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def record_view(rec: dict[str, Any]) -> Group | Panel:
    """One record as Rich renderables: quotes with speakers, actors with roles."""
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
    for q in rec["quotes"]:
        sp = q["speaker"]
        as_written = text[sp["span"][0] : sp["span"][1]] if sp["span"] else ""
        who = sp["name"] or as_written or "—"
        if sp["name"] and as_written and as_written != sp["name"]:
            who = f"{sp['name']} (“{_clip(as_written, 40)}”)"
        cue = ", ".join(text[s:e] for s, e in q["cue"])
        content = " … ".join(text[s:e] for s, e in q["content"])
        quotes.add_row(_safe(q["id"]), _safe(q["kind"]), _safe(who), _safe(cue), _safe(_clip(content)))

    actors = Table(title="Actors", expand=True)
    actors.add_column("actor")
    actors.add_column("kind", no_wrap=True)
    actors.add_column("titles and roles")
    actors.add_column("mentions", justify="right")
    actors.add_column("quoted", justify="right")
    quoted = {}
    for q in rec["quotes"]:
        if q["speaker"]["actor"]:
            quoted[q["speaker"]["actor"]] = quoted.get(q["speaker"]["actor"], 0) + 1
    for a in sorted(rec["actors"], key=lambda a: (-quoted.get(a["id"], 0), -len(a["mentions"]))):
        roles = [r["role"] + (f", {r['organization']}" if r["organization"] else "") for r in a["roles"]]
        extra = [t for t in a["titles"] if all(t not in r for r in roles)]
        actors.add_row(
            _safe(a["name"]),
            _safe(a["kind"]),
            _safe("; ".join(extra + roles)),
            str(len(a["mentions"])),
            str(quoted.get(a["id"], "")),
        )
    return Panel(Group(head, quotes, actors), title=_safe(art["id"]), border_style="cyan")


def print_records(records: list[dict[str, Any]], console: Console) -> None:
    for rec in records:
        console.print(record_view(rec))
