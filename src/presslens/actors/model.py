"""The actor as the record holds it: a name, a kind, aliases, titles, roles and every mention (record.md,
"actors"), with the small rules for adding to it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_STRIP_CHARS = "“”\"‘’'«» "
_LEADING_DET = re.compile(r"^(?:the|The|THE)\s+")


def norm_name(s: str | None) -> str:
    """A name compared across mentions: no leading article or quotation marks, lower case."""
    s = _LEADING_DET.sub("", (s or "").strip(_STRIP_CHARS))
    return s.lower()


def next_actor_id(actors: list[Actor]) -> str:
    """A fresh id for an actor added to *actors*: one past the highest number in use (merges leave gaps, so
    the list's length is not enough)."""
    numbers = [int(a.id[1:]) for a in actors if a.id[:1] == "a" and a.id[1:].isdigit()]
    return f"a{max(numbers, default=0) + 1}"


@dataclass
class Role:
    role: str
    organization: str | None
    span: tuple[int, int]


@dataclass(eq=False)  # one actor is one object: equal by identity ("a in actors" is cheap, and ids are unique)
class Actor:
    id: str
    name: str
    kind: str
    label: str
    aliases: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    kb_id: str | None = None

    def add_alias(self, alias: str) -> None:
        if alias and alias != self.name and alias not in self.aliases:
            self.aliases.append(alias)

    def add_title(self, title: str) -> None:
        """Add a title; "Gen." adds nothing beside "Brig. Gen.", and "Brig. Gen." replaces "Gen."."""
        if not title or any(t == title or t.endswith(" " + title) for t in self.titles):
            return
        self.titles = [t for t in self.titles if not title.endswith(" " + t)]
        self.titles.append(title)

    def add_role(self, role: Role) -> None:
        if not role.span[0] < role.span[1]:
            return  # a span must be ordered (record.schema.validate); such a role was found wrongly
        for r in self.roles:
            if r.role.lower() == role.role.lower() and (r.organization or "") == (role.organization or ""):
                return
        self.roles.append(role)

    def add_mention(self, span: tuple[int, int]) -> None:
        if span not in self.mentions:
            self.mentions.append(span)
            self.mentions.sort()

    def role_orgs(self) -> list[str]:
        return [norm_name(r.organization) for r in self.roles if r.organization]

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "aliases": list(self.aliases),
            "titles": list(self.titles),
            "roles": [{"role": r.role, "organization": r.organization, "span": list(r.span)} for r in self.roles],
            "mentions": [list(m) for m in self.mentions],
            "kb_id": self.kb_id,
        }
