"""Figures in a parsed spaCy ``Doc``: the quantities of ``parse.parse_text`` checked against the named entities
(no dates, times or numbers inside names), with what each one counts from the dependency parse and, for the
record, the quote whose content covers it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from presslens.figures.parse import Parsed, parse_text
from presslens.text.tokens import doc_text

NAME_LABELS = {"PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "LAW", "FAC", "EVENT", "GPE", "LOC", "NORP"}
PEOPLE = set("""people person persons individual individuals man men woman women child children kid kids boy boys
girl girls baby babies infant infants adult adults teen teens teenager teenagers youth youths civilian civilians
soldier soldiers troop troops fighter fighters militant militants member members resident residents worker workers
employee employees staff staffer staffers student students pupil pupils teacher teachers doctor doctors nurse nurses
patient patients protester protesters protestor protestors demonstrator demonstrators voter voters citizen citizens
refugee refugees migrant migrants immigrant immigrants asylum-seeker asylum-seekers hostage hostages prisoner
prisoners detainee detainees captive captives victim victims survivor survivors officer officers policeman policemen
journalist journalists reporter reporters player players fan fans customer customers user users subscriber
subscribers passenger passengers tourist tourists visitor visitors athlete athletes candidate candidates delegate
delegates lawmaker lawmakers legislator legislators senator senators official officials leader leaders minister
ministers executive executives shareholder shareholders investor investors farmer farmers miner miners driver
drivers pilot pilots sailor sailors marine marines agent agents volunteer volunteers participant participants
respondent respondents applicant applicants inhabitant inhabitants settler settlers worshipper worshippers
pilgrim pilgrims spectator spectators viewer viewers reader readers listener listeners follower followers
recruit recruits reservist reservists gunman gunmen attacker attackers suspect suspects inmate inmates evacuee
evacuees casualty casualties dead wounded injured fatalities americans israelis palestinians politician politicians
human humans supporter supporters friend friends contact contacts relative relatives colleague colleagues guest guests
lawyer lawyers judge judges juror jurors employee mayor mayors governor governors donor donors parent parents
mother mothers father fathers son sons daughter daughters sibling siblings brother brothers sister sisters guard
guards researcher researchers scientist scientists expert experts analyst analysts activist activists""".split())
_PEOPLE_VERBS = {"killed", "died", "dead", "injured", "wounded", "arrested", "detained", "hurt", "missing", "evacuated",
                 "displaced", "kidnapped", "abducted", "executed", "murdered", "drowned", "rescued", "hospitalized",
                 "hospitalised", "fled", "perished"}
_NOT_COUNTED_LEFT = {"more", "other", "additional", "further", "extra", "than", "some", "about", "another"}


@dataclass
class Figure:
    """One quantity the text asserts. Offsets are ``[start, end)`` into the doc's text."""

    start: int
    end: int
    text: str
    value: float
    high: float | None = None
    qualifier: str = "exact"
    change: str | None = None
    unit: str | None = None
    counts: tuple[int, int] | None = None

    def source(self, quotes: Sequence[Any]) -> tuple[int | None, str | None]:
        """Index of the quote whose content covers the figure (the tightest), and that quote's actor id."""
        best: tuple[int, int] | None = None
        for k, q in enumerate(quotes or ()):
            for s, e in getattr(q, "content", None) or ():
                if s <= self.start and self.end <= e and (best is None or e - s < best[1]):
                    best = (k, e - s)
        if best is None:
            return None, None
        actor = getattr(quotes[best[0]], "actor", None)
        return best[0], getattr(actor, "id", None) if actor is not None else None

    def to_dict(self, fid: str, quotes: Sequence[Any] = ()) -> dict[str, Any]:
        """The record entry (``figures`` in presslens/1); *quotes* is ``doc._.presslens_quotes``."""
        k, actor = self.source(quotes)
        return {"id": fid, "span": [self.start, self.end], "text": self.text, "value": _number(self.value),
                "high": _number(self.high) if self.high is not None else None, "qualifier": self.qualifier,
                "change": self.change, "unit": self.unit, "counts": list(self.counts) if self.counts else None,
                "source": {"quote": f"q{k + 1}" if k is not None else None, "actor": actor}}


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() and abs(v) < 1e18 else round(float(v), 6)


def figure_records(doc: Any) -> list[dict[str, Any]]:
    """The ``figures`` list of the record for a doc the pipeline has run on (ids f1, f2, ... in text order)."""
    quotes = getattr(doc._, "presslens_quotes", None) or []
    figs = getattr(doc._, "presslens_figures", None) or []
    return [f.to_dict(f"f{i + 1}", quotes) for i, f in enumerate(figs)]


def _ignored_spans(doc: Any) -> list[tuple[int, int]]:
    out = []
    for ig in (getattr(doc._, "presslens_ignored", None) or []) if doc.has_extension("presslens_ignored") else []:
        span = getattr(ig, "span", None)
        if span:
            out.append((int(span[0]), int(span[1])))
    return out


def find_figures(doc: Any) -> list[Figure]:
    """Every figure in *doc* (a parsed spaCy Doc), in text order. Never raises on odd text."""
    text = doc_text(doc)
    ignored = _ignored_spans(doc)
    found = _parsed(text)
    ents = list(doc.ents) if found else []
    figures: list[Figure] = []
    for p in found:
        try:
            fig = _figure(doc, text, p, ignored, ents)
        except Exception:  # noqa: BLE001 - one odd number must not break the record
            fig = None
        if fig is not None:
            figures.append(fig)
    return figures


def _parsed(text: str) -> list[Parsed]:
    if not re.search(r"[0-9]|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|teen|ty|hundred|"
                     r"thousand|million|billion|trillion|dozen|half|third|quarter)", text, re.I):
        return []
    return parse_text(text)


def _figure(doc: Any, text: str, p: Parsed, ignored: list[tuple[int, int]], ents: list[Any]) -> Figure | None:
    if any(s <= p.start and p.end <= e for s, e in ignored):
        return None
    span = doc.char_span(p.start, p.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    unit = p.unit
    # dates and times the text parser let through ("the 7th", "Oct 7" variants), and numbers inside names
    for ent in ents:
        if ent.end_char <= p.start or ent.start_char >= p.end:
            continue
        if ent.label_ in ("DATE", "TIME") and unit is None and not p.words:
            return None
        if ent.label_ in NAME_LABELS and (ent.start_char > p.start or ent.end_char < p.end or
                                          any(t.is_alpha and t.idx < p.start or t.idx >= p.end for t in ent)):
            # "Fortune 500", "Boeing 737", "Resolution 2334": the number is part of a name
            inside = text[ent.start_char:ent.end_char]
            if re.search(r"[A-Za-z]", inside.replace(text[p.start:p.end], "")) and ent.label_ != "NORP":
                return None
    if unit is None and not p.words and span.start > 0:
        prev = doc[span.start - 1]
        if prev.pos_ == "PROPN" and (prev.is_title or prev.is_upper) and not prev.is_sent_start \
                and prev.ent_type_ not in ("GPE", "NORP", "DATE", "PERSON") and prev.idx + len(prev) == p.start - 1:
            return None  # "Fortune 500", "Boeing 737", "Windows 10"
    if unit is None and _age_apposition(doc, text, p):
        unit = "year of age"
    counts = None
    noun = _counted_noun(span)
    if noun is not None and unit not in ("year of age", "month of age"):
        counts = _counts_span(noun, p.end)
        if unit is None and _people_like(noun):
            unit = "person"
    elif unit is None and noun is None and _people_subject(span):
        unit = "person"
    return Figure(p.start, p.end, text[p.start:p.end], p.value, p.high, p.qualifier, p.change, unit, counts)


def _people_like(noun: Any) -> bool:
    """A people-like noun, or the people-like head its compound or adjective belongs to."""
    for _ in range(3):
        if noun.lower_ in PEOPLE or noun.lemma_.lower() in PEOPLE or noun.ent_type_ == "NORP":
            return True
        if noun.dep_ in ("compound", "amod", "nmod", "conj") and noun.head.i > noun.i and noun.head.pos_ == "NOUN":
            noun = noun.head
        else:
            break
    return False


def _people_subject(span: Any) -> bool:
    """"as many as 200 have been killed", "the two of you": a bare number standing for people."""
    root = span.root
    if root.dep_ in ("nsubj", "nsubjpass") and root.head.lower_ in _PEOPLE_VERBS:
        return True
    return any(c.dep_ == "prep" and c.lower_ == "of" and any(o.lower_ in ("you", "us") for o in c.children)
               for c in root.children)


def _age_apposition(doc: Any, text: str, p: Parsed) -> bool:
    """"Michael Milstein, 54, said": a bare whole number between commas right after a person's name."""
    if p.high is not None or p.words or not (1 <= p.value < 120) or not float(p.value).is_integer():
        return False
    before, after = text[max(0, p.start - 2):p.start], text[p.end:p.end + 1]
    if before != ", " or after not in (",", ")"):
        return False
    tok = doc.char_span(p.start - 2, p.start - 1, alignment_mode="expand")
    if tok is None:
        return False
    prev = doc[tok.start - 1] if tok.start > 0 else None
    return prev is not None and prev.ent_type_ == "PERSON"


def _counted_noun(span: Any) -> Any | None:
    """The noun a figure counts: the head of a number that modifies it, else the object of its "of"."""
    anchor = span.root
    head = anchor.head
    if anchor.dep_ in ("nummod", "quantmod", "amod", "compound", "nmod", "npadvmod") and head is not anchor \
            and head.pos_ in ("NOUN", "PROPN") and head.i >= span.end and not _is_unit_token(head):
        return head
    for tok in (anchor, *(t for t in span if t is not anchor)):
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of" and child.i >= span.end:
                for obj in child.children:
                    if obj.dep_ == "pobj" and obj.pos_ in ("NOUN", "PROPN"):
                        return obj
    return None


def _is_unit_token(tok: Any) -> bool:
    return tok.lower_ in ("percent", "%", "cent", "points", "point")


def _counts_span(noun: Any, fig_end: int) -> tuple[int, int]:
    """The noun with its compounds and adjectives after the figure, its "of" phrase and a participle after it."""
    doc = noun.doc
    left = noun
    for child in sorted(noun.lefts, key=lambda t: -t.i):
        if child.dep_ in ("compound", "amod", "nmod") and child.idx >= fig_end and child.i == left.i - 1 \
                and child.lower_ not in _NOT_COUNTED_LEFT:
            left = child
        else:
            break
    right = noun
    for child in noun.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            sub = list(child.subtree)
            if len(sub) <= 10:
                right = max(right, sub[-1], key=lambda t: t.i)
        elif child.dep_ == "acl" and child.i == right.i + 1 and child.tag_ in ("VBN", "VBG"):
            right = child
        else:
            break
    return doc[left.i].idx, doc[right.i].idx + len(doc[right.i])
