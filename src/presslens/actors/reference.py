"""Reference questions about the actors of one document, asked by the quote stage: which actor a speaker
phrase names ("Lopez said", "Carlineo's attorney, Sonya Zoghlin, said"), which person a pronoun or a
description ("he", "the chief diplomat") most likely means, and whether a phrase joins two sources.

``ActorReferences`` is a mixin of ``resolver.ActorResolver``: it reads the resolver's ``doc``, ``token_actor``
and ``_person_mentions`` and calls ``cleanup.ActorCleanup``'s ``_modifier_only`` and ``_new_speaker``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from presslens.actors.model import Actor, norm_name
from presslens.actors.names import without_suffix
from presslens.text.lexicon import DESCRIPTION_SYNONYMS, PERSON_PRONOUNS, ROLE_NOUNS, TITLE_WORDS


def free_role(actor: Actor, syn: tuple[str, ...]) -> bool:
    """*actor* has a title or a role of no named body that the role words *syn* fit."""
    free = [t.lower() for t in actor.titles] + [r.role.lower() for r in actor.roles if not r.organization]
    return any(s in w for w in free for s in syn)


def role_fit(actor: Actor, syn: tuple[str, ...], names_org: bool) -> float:
    """How well a description ("the president", with the role words *syn*) fits *actor*: 2 for a title or a
    role of no named body ("President Trump"); 1.7 for a role of a named body when the description names none
    ("John Williams, the president of the Federal Reserve Bank of New York" is not "the president" of a story
    about Mr. Trump, unless he is the one named much nearer); 0 for none."""
    if free_role(actor, syn):
        return 2.0
    tied = [r.role.lower() for r in actor.roles if r.organization]
    if any(s in w for w in tied for s in syn):
        return 2.0 if names_org else 1.7
    return 0.0


class ActorReferences:
    """Speaker phrases, pronouns and descriptions resolved against the actors built so far."""

    doc: Doc
    token_actor: dict[int, Actor]
    _person_mentions: list[tuple[int, Actor]]

    if TYPE_CHECKING:

        def _modifier_only(self, start: int, end: int, head: int, actor: Actor) -> bool: ...

        def _new_speaker(self, start: int, end: int, head: int) -> Actor | None: ...

    def _nearest_person(self, char: int, sent: Span, forward: bool) -> Actor | None:
        """The person mentioned nearest before *char* within two paragraphs' reach, else (with *forward*)
        the first person named within the next two sentences."""
        before = [(c, a) for c, a in self._person_mentions if c < char and char - c < 1500]
        if before:
            # a name that only qualifies a noun ("a devout Catholic and Donald Trump supporter") is not who "he" is
            own = [(c, a) for c, a in before if not self._qualifier_at(c)]
            return (own or before)[-1][1]
        if forward:
            limit = sent.end_char
            nxt = sent.end
            for _ in range(2):
                if nxt >= len(self.doc):
                    break
                s2 = self.doc[nxt].sent
                limit = s2.end_char
                nxt = s2.end
            after = [(c, a) for c, a in self._person_mentions if char < c <= limit]
            if after:
                return after[0][1]
        return None

    def _qualifier_at(self, char: int) -> bool:
        """The name whose mention starts at *char* is compounded into a common noun after it ("Trump supporter")."""
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        if span is None or len(span) == 0:
            return False
        t = span[0]
        while t.dep_ == "compound" and t.head.pos_ == "PROPN" and t.head.i > t.i:
            t = t.head  # "Donald" -> "Trump"
        return t.dep_ == "compound" and t.head.pos_ == "NOUN" and t.head.i > t.i

    def actor_in(self, start: int, end: int, head: int | None = None) -> Actor | None:
        """The actor named by tokens ``[start, end)``: the one at *head* if any, else the first inside."""
        if head is not None and head in self.token_actor:
            return self.token_actor[head]
        for i in range(start, end):
            if i in self.token_actor:
                return self.token_actor[i]
        return None

    def _by_surname(self, start: int, end: int) -> Actor | None:
        """A capitalised speaker phrase the entity tagger missed ("Lopez said") that ends a person's name
        given earlier in the article; the phrase becomes a mention of that person."""
        # "the 14th-ranked Schwartzman": the capitalised run that ends the phrase, when an article or a modifier
        # comes before it (not a possessive's "'s")
        lo = end
        while lo > start and self.doc[lo - 1].is_alpha and self.doc[lo - 1].text[:1].isupper():
            lo -= 1
        if start < lo < end and self.doc[lo - 1].is_lower and self.doc[lo - 1].pos_ in ("DET", "ADJ", "VERB"):
            start = lo
        words = [t.text for t in self.doc[start:end] if t.is_alpha]
        if not (1 <= len(words) <= 3) or not all(w[:1].isupper() for w in words):
            return None
        span = self.doc[start:end]
        for _c, actor in reversed(self._person_mentions):
            own = without_suffix(actor.name.split())
            if own[-len(words) :] == words and len(own) > len(words):
                actor.add_mention((span.start_char, span.end_char))
                for i in range(start, end):
                    self.token_actor[i] = actor
                return actor
        return None

    def _appositive_person(self, start: int, end: int, head: int) -> Actor | None:
        """The person named in apposition to the phrase's common-noun head, inside the phrase."""
        h = self.doc[head]
        if h.pos_ == "PROPN":
            return None
        for c in h.children:
            if c.dep_ == "appos" and start <= c.i < end:
                actor = self.token_actor.get(c.i)
                if actor is not None and actor.kind == "person":
                    return actor
        return None

    def _joint_sources(self, start: int, end: int, head: int) -> bool:
        """The speaker phrase's head is a name or a pronoun (or a description with a name in apposition, "the two
        witnesses, Tom Stafford and Tom Young") joined to another name inside the phrase: "Johnson and Corbyn",
        "Kurt Volker, the former special envoy, and Tim Morrison", "he and his wife Kali". Not "Paganini and his
        team", "Michael Sims, CEO and Founder of ...", "Early retiree and self-made millionaire Grant Sabatier"."""
        doc = self.doc
        own = self.token_actor.get(head)

        def name(t: Token) -> bool:
            return (
                t.pos_ == "PROPN"
                and (t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or t.i in self.token_actor)
                and t.lower_ not in ROLE_NOUNS
                and t.lower_ not in TITLE_WORDS
            )

        h = doc[head]
        if h.dep_ == "conj" and start <= h.head.i < end and name(h) and name(h.head):
            return True  # the phrase's head taken on its second name ("Volker and Morrison")
        heads = [h] if h.pos_ == "PROPN" or h.lower_ in PERSON_PRONOUNS else []
        heads += [c for c in h.children if c.dep_ == "appos" and start <= c.i < end and name(c)]
        for x in heads:
            if not any(g.dep_ == "cc" for g in x.children):
                continue  # no "and": "Mayer, Disney’s chairman" is no coordination
            for c in x.children:
                if c.dep_ != "conj" or not start <= c.i < end or any(g.dep_ == "case" for g in c.children):
                    continue
                names = [c, *(g for g in c.children if g.dep_ in ("appos", "compound") and start <= g.i < end)]
                if any(name(n) and self.token_actor.get(n.i) is not own for n in names):
                    return True
        return False

    def resolve(self, start: int, end: int, head: int) -> Actor | None:
        """Resolve a speaker phrase: a name, a pronoun ("he") or a description ("the chief diplomat"). A phrase
        that joins two named sources ("both Vindman and Williams", "he and his wife Kali") resolves to none: no
        one actor said it alone."""
        doc = self.doc
        if self._joint_sources(start, end, head):
            return None
        named = self.actor_in(start, end, head)
        if named is not None and head not in self.token_actor:
            # "Carlineo's attorney, Sonya Zoghlin, said": the person in apposition speaks, not the possessor
            named = self._appositive_person(start, end, head) or named
        last = next((i for i in range(end - 1, start - 1, -1) if doc[i].is_alpha), None)
        if (
            named is not None
            and named.kind != "person"
            and last in self.token_actor
            and self.token_actor[last].kind == "person"
            and not any(doc[i].text in (",", "(", "—", "–") for i in range(start, end))
        ):  # "Wikileaks editor-in-chief Kristinn Hrafnsson", "CPUC President Marybel Batjer": the name it ends with
            named = self.token_actor[last]
        if named is not None and head not in self.token_actor and self._modifier_only(start, end, head, named):
            named = None  # "Bolivia's public defender's office", "One Washington-based trade expert"
        if named is None:
            named = self._by_surname(start, end)
        if named is None:
            named = self._new_speaker(start, end, head)
        if named is None:  # "The group that owns her music, Big Machine, says": the name in the appositive
            appos = next((c for c in doc[head].children if c.dep_ == "appos" and c.pos_ == "PROPN"
                          and start <= c.i < end), None)  # fmt: skip
            if appos is not None:
                lo = appos.i
                while lo > start and doc[lo - 1].pos_ == "PROPN" and doc[lo - 1].dep_ == "compound":
                    lo -= 1
                named = self.actor_in(lo, appos.i + 1, appos.i) or self._new_speaker(lo, appos.i + 1, appos.i)
        if named is not None and (named.kind == "person" or doc[head].lower_ not in ROLE_NOUNS):
            return named
        span = doc[start:end]
        char = span.start_char
        low = doc[head].lower_
        if low in PERSON_PRONOUNS:
            actor = self._nearest_person(char, span.sent, forward=False)
            if actor is not None:
                actor.add_mention((span.start_char, span.end_char))
                self._person_mentions.append((char, actor))
                self._person_mentions.sort(key=lambda x: x[0])
            return actor
        words = " ".join(t.lower_ for t in span if t.lower_ not in ("the", "a", "an", "this", "that"))
        key = words if words in DESCRIPTION_SYNONYMS else low
        if key not in DESCRIPTION_SYNONYMS and low not in ROLE_NOUNS:
            return None
        syn = DESCRIPTION_SYNONYMS.get(key, (low,))
        orgs = [norm_name(self.token_actor[t.i].name) for t in span if t.i in self.token_actor]
        best, best_score = None, 0.0
        # each person's distance is to its mention nearest before the phrase (else nearest after), not to its
        # last mention in the article: a person named again late in the story is no farther from this phrase
        nearest: dict[str, tuple[int, Actor]] = {}
        # "A NATO spokesman declined to comment", "Another diplomat": someone new, never a person named before
        # (a lede's "A California transit chief says ..." may still be the chief named after it)
        indefinite = doc[start].lower_ in ("a", "an", "another")
        named_before = {a.id for c, a in self._person_mentions if c < char} if indefinite else set()
        for c, a in self._person_mentions:
            if a.id in named_before:
                continue
            d = char - c if c < char else 10 * (c - char)
            if a.id not in nearest or d < nearest[a.id][0]:
                nearest[a.id] = (d, a)
        for distance, a in sorted(nearest.values(), key=lambda x: x[0]):
            score = role_fit(a, syn, bool(orgs))
            if score == 0:
                continue  # "a WeWork spokesperson" is not WeWork's founder: the role must fit first
            if orgs and any(o in ro or ro in o for o in orgs for ro in a.role_orgs()):
                score += 3.0
            elif orgs and a.role_orgs() and not free_role(a, syn):
                continue  # "the NATO spokesman" is not the interior ministry's spokesman
            score -= distance / 10000.0
            if score > best_score:
                best, best_score = a, score
        if best is None:
            return named
        best.add_mention((span.start_char, span.end_char))
        self._person_mentions.append((char, best))
        self._person_mentions.sort(key=lambda x: x[0])
        return best
