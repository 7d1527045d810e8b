"""Actors under two names made one: name variants of an organisation or a place ("Bloomberg" and "Bloomberg News",
"Steelers" and "Pittsburgh Steelers", "Washington" and "Washington, D.C.") and of a person ("Pat Carlineo" and
"Patrick W. Carlineo"). A mixin of ``ActorResolver``, run once the entities are read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from presslens.actors.model import Actor, norm_name
from presslens.actors.names import (
    _GENERIC_ORG_SUFFIX,
    _NAME_SUFFIXES,
    _PUBLICATION_WORDS,
    US_STATES,
    demonym,
    first_names,
    same_first_name,
    without_generic_ending,
)
from presslens.text.lexicon import SPEECH_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


def _core(words: list[str]) -> list[str]:
    """A firm's name without the generic words that end it ("big machine label group" -> "big machine"), or
    nothing when none ends it; not "news", which names another firm of the name ("Fox News", "Fox Corp.")."""
    core = without_generic_ending(words, keep=frozenset({"news"}))
    return core if len(core) < len(words) else []


def subject_of_speech(span: Span) -> bool:
    """*span* is the subject of a verb of speech ("Tottenham said in a statement", "the festival said")."""
    root = span.root
    return root.dep_ == "nsubj" and root.head.lemma_.lower() in SPEECH_VERBS


class ActorMerging:
    """The merges of ``ActorResolver.build``."""

    doc: Doc
    text: str
    actors: list[Actor]
    token_actor: dict[int, Actor]

    if TYPE_CHECKING:

        def _merge(self, keep: Actor, gone: Actor) -> None: ...

    def _merge_variants(self) -> None:
        """One organisation or place under two names: "Bloomberg" and "Bloomberg News", "the Times" after "The New
        York Times", "Washington" and "Washington, D.C.". A longer name that adds anything else ("Mossad
        Commentary", an account) stays another actor."""
        text = self.text
        # one name tagged an organisation here and a place there ("Tottenham said in a statement", "Tottenham's
        # manager"; "Forest Hill police", "a Forest Hill hotel"): one actor, of the kind most of its mentions have
        # (the first one's on a tie), also when one is a person of a name of several words ("Walter Reed hospital");
        # a country and a place of one name ("Georgia") stay two
        first: dict[str, Actor] = {}
        for a in [a for a in self.actors if a.kind != "country" and (a.kind != "person" or " " in a.name)]:
            b = first.setdefault(norm_name(a.name), a)
            if b is not a and a in self.actors and b in self.actors:
                keep, gone = (b, a) if len(b.mentions) >= len(a.mentions) else (a, b)
                if gone.kind == "organization" and self._speaks(gone):
                    keep, gone = gone, keep  # "Tottenham said in a statement": the club, not the town
                self._merge(keep, gone)
                first[norm_name(a.name)] = keep
        states = set(US_STATES) | set(US_STATES.values())
        for a in [a for a in self.actors if a.label == "GPE" and a.kind != "country"]:
            if not (a.name.endswith(".") or a.name in states):
                continue  # "Iran, Syria, Lebanon" is a list, "Houston, Texas" and "Washington, D.C." one place
            # "D.C." in "Washington, D.C.", "Ky." in "Louisville, Ky.": part of the place before the comma
            hosts = []
            for s, _e in a.mentions:
                before = self.doc.char_span(s - 3, s - 2, alignment_mode="expand") if s >= 3 else None
                hosts.append(self.token_actor.get(before.start) if before and text[s - 2 : s] == ", " else None)
            host = hosts[0] if hosts else None
            if (
                host is not None
                and host is not a
                and host.label == "GPE"
                and host.kind != "country"
                and all(h is host for h in hosts)
            ):
                self._merge(host, a)
        # "Bloomberg said" tagged as a person, beside "Bloomberg News": the organisation
        orgs = [a for a in self.actors if a.kind != "person"]
        for a in [a for a in self.actors if a.kind == "person" and len(a.name.split()) == 1 and not a.titles]:
            host = next(
                (
                    b
                    for b in orgs
                    if b in self.actors
                    and len(b.name.split()) > 1
                    and (
                        (
                            norm_name(b.name).split()[0] == a.name.lower()
                            and all(w in _GENERIC_ORG_SUFFIX for w in norm_name(b.name).split()[1:])
                        )
                        or (a.name.lower() in _PUBLICATION_WORDS and norm_name(b.name).split()[-1] == a.name.lower())
                    )
                ),
                None,
            )
            if host is not None:
                self._merge(host, a)
        others = [a for a in self.actors if a.kind != "person"]
        for a in others:
            if a not in self.actors:
                continue
            aw = norm_name(a.name).replace(",", "").split()
            for b in others:
                if b is a or b not in self.actors or a not in self.actors:
                    continue
                bw = norm_name(b.name).replace(",", "").split()
                if len(aw) == len(bw) == 1 and bw[0] == aw[0] + ".com":  # "Edmunds.com" and "Edmunds": one firm
                    keep, gone = (a, b) if len(a.mentions) >= len(b.mentions) else (b, a)
                    self._merge(keep, gone)
                    continue
                core = _core(bw)
                if (
                    len(aw) == 1
                    and a.kind == b.kind == "organization"
                    and 1 < len(core) <= 3
                    and core[-1] == aw[0]
                    and all(w in first_names() for w in core[:-1])
                ):
                    self._merge(b, a)  # "Disney" and "Walt Disney Co.": a firm named after its founder
                    break
                if len(aw) > 1 and len(bw) > 1 and aw != bw and _core(aw) and _core(aw) == _core(bw):
                    self._merge(*((a, b) if len(a.mentions) >= len(b.mentions) else (b, a)))
                    continue  # "Big Machine Records" and "Big Machine Label Group": one label
                if len(bw) <= len(aw):
                    continue
                same = (
                    (bw[: len(aw)] == aw and all(w in _GENERIC_ORG_SUFFIX for w in bw[len(aw) :]))
                    or (len(aw) == 1 and aw[0] in _PUBLICATION_WORDS and bw[-1] == aw[0])
                    or (a.label == b.label == "GPE" and "," in b.name and norm_name(b.name.split(",")[0]).split() == aw)
                )
                if same:
                    self._merge(b, a)

    def _prefixed_variants(self) -> None:
        """One organisation under a short name and the same name after a place, a nationality or an acronym:
        "Steelers" and "Pittsburgh Steelers", "Security Council" and "UN Security Council", "Communist Party" and
        "Chinese Communist Party", "Porto" and "FC Porto" (the longer name is kept). Not "House" and "White House",
        "Madrid" and "Real Madrid" (a place), "Media" and "New Media"."""
        places = {a.name for a in self.actors if a.kind in ("country", "other")}
        norp = {t.text for t in self.doc if t.ent_type_ in ("NORP", "GPE")}

        def qualifier(word: str) -> bool:
            return (
                word in places
                or word in norp
                or demonym(word)  # "Nigerian Senate" and "Senate", "Nigerian" tagged nowhere as a nationality
                or word in ("FC", "AFC", "CF", "SC", "AC")
                or (word.isupper() and word.isalpha() and 2 <= len(word) <= 5)
            )

        orgs = [a for a in self.actors if a.kind == "organization"]
        for short in orgs:
            sw = short.name.split()
            if short not in self.actors or sw[0][:1].islower() or sw[-1].lower() in ("house", "media"):
                continue
            for long in orgs:
                lw = long.name.split()
                if long is short or long not in self.actors or not len(sw) < len(lw) <= len(sw) + 2:
                    continue
                if None not in (short.kb_id, long.kb_id) and short.kb_id != long.kb_id:
                    continue  # the gazetteer knows them as two
                if lw[-len(sw) :] == sw and all(qualifier(w) for w in lw[: len(lw) - len(sw)]):
                    self._merge(long, short)
                    break

    def _speaks(self, actor: Actor) -> bool:
        """Some mention of *actor* is the subject of a verb of speech ("Tottenham said in a statement")."""
        spans = (self.doc.char_span(s, e, alignment_mode="expand") for s, e in actor.mentions)
        return any(span is not None and subject_of_speech(span) for span in spans)

    def _merge_person_variants(self) -> None:
        """One person under several full names: "Pat Carlineo", "Patrick W. Carlineo" and "Patrick Carlineo Jr."
        (same surname, first names that are one name written two ways). When the article gives the surname to
        people with other first names ("Joe Biden", "Hunter Biden"), or to a "Jr." and a "Sr.", nothing merges."""
        groups: dict[str, list[tuple[Actor, str, str]]] = {}
        for a in self.actors:
            words = a.name.replace(",", " ").split()
            if a.kind != "person" or len(words) < 2:
                continue
            suffix = words[-1].lower().rstrip(".") if words[-1].lower().rstrip(".") in _NAME_SUFFIXES else ""
            if suffix:
                words = words[:-1]
            if len(words) >= 2:
                groups.setdefault(words[-1], []).append((a, words[0], suffix))
        for group in groups.values():
            firsts = [f for _a, f, _s in group]
            if len(group) < 2 or not all(same_first_name(x, y) for x in firsts for y in firsts):
                continue
            if len({s for _a, _f, s in group if s}) > 1:
                continue  # "Jr." and "Sr.": two people
            keep = max(group, key=lambda g: len(g[0].mentions))[0]
            fullest = max((a.name for a, _f, _s in group), key=len)
            for a, _f, _s in group:
                if a is not keep:
                    self._merge(keep, a)
            if fullest != keep.name:
                keep.add_alias(keep.name)
                keep.name = fullest
                keep.aliases = [x for x in keep.aliases if x != fullest]
