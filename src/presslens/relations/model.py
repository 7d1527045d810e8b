"""The learned relations: a pairwise logistic-regression classifier over actor mentions in one sentence,
features from the dependency path, the words between and the entity labels; run with NumPy."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from spacy.attrs import DEP, HEAD, IDX, LEMMA, LENGTH, LIKE_NUM, LOWER
from spacy.tokens import Doc, Span, Token

from presslens.relations import rules as _rules
from presslens.relations.base import ORG_KINDS, MentionIndex, Relation
from presslens.relations.names import looks_like_name
from presslens.relations.rules import demonym_of, is_dateline, pair_pattern
from presslens.text.tokens import doc_text, token_ints, token_strings

MODEL_DIR = Path(__file__).resolve().parents[1] / "data" / "relations"
CLASSES = ("none", "Work_For", "Kill", "OrgBased_In", "Live_In", "Located_In")
NAME_OF = {"Work_For": "works_for", "Kill": "killed", "OrgBased_In": "based_in", "Live_In": "lives_in",
           "Located_In": "located_in"}  # fmt: skip
PLACE_LABELS = {"GPE", "LOC", "FAC", "NORP"}
NAME_LABELS = PLACE_LABELS | {"PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"}
KIND_OF = {"PERSON": "person", "ORG": "organization", "GPE": "country"}
MAX_SLOT_TOKENS = 8
MAX_BETWEEN = 12
TITLES = {"brig.", "gen.", "col.", "lt.", "maj.", "capt.", "sgt.", "adm.", "rev.", "dr.", "mr.", "mrs.", "ms.", "sen.",
          "rep.", "gov.", "prof.", "pres.", "cmdr.", "brig", "gen"}  # fmt: skip


@dataclass
class Slot:
    """One name in a sentence: an actor's mention, or a place entity that is no actor (yet)."""

    actor: Any
    start: int
    end: int
    label: str
    head: Token
    ent: Span | None = None
    ptype: str | None = None  # the entity type the type classifier gives (Peop, Org, Loc, Other, none)

    def key(self) -> Any:
        return self.actor.id if self.actor is not None else ("place", self.ent.text if self.ent is not None else "")


def slots(doc: Doc, index: MentionIndex, names: str = "places") -> list[Slot]:
    """Name mentions of actors (no pronouns or long descriptions) and place entities that are not actors; with
    *names* "all" also other entities and runs of proper nouns that no actor covers."""
    out: list[Slot] = []
    seen = set()
    for i in range(len(doc)):
        a, sp = index.actor[i], index.span[i]
        if a is None or sp is None or sp in seen:
            continue
        seen.add(sp)
        span = doc[sp[0] : sp[1]]
        if len(span) > MAX_SLOT_TOKENS or not any(t.pos_ == "PROPN" or t.ent_type_ for t in span):
            continue
        if not any(t.text[:1].isupper() or t.text[:1].isdigit() for t in span):
            continue  # a name is written with a capital (not "выпечки", a lowercase word the actor layer took)
        label = getattr(a, "label", None) or a.kind
        out.append(Slot(a, span.start, span.end, label, span.root))
    taken = [index.actor[i] is not None for i in range(len(doc))]
    labels = PLACE_LABELS if names == "places" else NAME_LABELS
    for ent in doc.ents:
        if (
            ent.label_ in labels
            and not any(taken[ent.start : ent.end])
            and ent.text[:1].isupper()
            and ent.text.lower() not in TITLES
            and looks_like_name(doc, ent.start, ent.end)
        ):
            out.append(Slot(None, ent.start, ent.end, ent.label_, ent.root, ent))
            taken[ent.start : ent.end] = [True] * len(ent)
    if names == "all":
        i = 0
        while i < len(doc):
            j = i
            while j < len(doc) and not taken[j] and not doc[j].ent_type_ and _namelike(doc[j]):
                j += 1
            if (
                j > i
                and j - i <= MAX_SLOT_TOKENS
                and doc[i].text[:1].isupper()
                and doc[i:j].text.lower() not in TITLES
                and looks_like_name(doc, i, j)
            ):
                span = doc[i:j]
                out.append(Slot(None, i, j, "NAME", span.root, span))
            i = max(j, i + 1)
    out.sort(key=lambda s: s.start)
    return out


def _namelike(t: Token) -> bool:
    return t.pos_ == "PROPN" or (t.is_upper and t.is_alpha and len(t) > 1)


TYPE_CLASSES = ("none", "Peop", "Org", "Loc", "Other")


def slot_features(doc: Doc, sl: Slot) -> list[str]:
    """Features for the entity type of one name: spaCy's label, the words, their shape and context."""
    span = doc[sl.start : sl.end]
    words = [t.lower_ for t in span]
    f = ["bias", f"lab={sl.label}", f"kind={getattr(sl.actor, 'kind', 'none')}", f"txt={' '.join(words)}",
         f"head={sl.head.lower_}", f"last={words[-1]}", f"first={words[0]}", f"n={min(len(span), 4)}",
         f"shape={span[0].shape_}", f"suf={span[-1].lower_[-3:]}", f"upper={span.text.isupper()}",
         f"dep={sl.head.dep_}", f"lab_dep={sl.label}|{sl.head.dep_}"]  # fmt: skip
    f.extend(f"w={w}" for w in words)
    f.append(f"prev={_word(doc[sl.start - 1]) if sl.start > 0 else '<s>'}")
    f.append(f"next={_word(doc[sl.end]) if sl.end < len(doc) else '</s>'}")
    f.append(f"prev2={_word(doc[sl.start - 2]) if sl.start > 1 else '<s>'}")
    f.append(f"next2={_word(doc[sl.end + 1]) if sl.end + 1 < len(doc) else '</s>'}")
    f.append(f"ent={span[0].ent_type_ or '-'}")
    return f


class Linear:
    """Multinomial logistic regression over sparse string features: a vocabulary, weights and biases."""

    def __init__(self, vocab: list[str], weights: np.ndarray, bias: np.ndarray, classes: tuple[str, ...]):
        self.vocab = {w: k for k, w in enumerate(vocab)}
        self.weights = weights.astype(np.float32)
        self.bias = bias.astype(np.float32)
        self.classes = classes

    def proba(self, feats: list[list[str]]) -> np.ndarray:
        """Class probabilities for each feature list."""
        return softmax_rows(feats, self.vocab, self.weights, self.bias)

    def label(self, sl: list[Slot], doc: Doc) -> None:
        """Set each slot's ``ptype``."""
        if sl:
            for s, p in zip(sl, self.proba([slot_features(doc, x) for x in sl]), strict=True):
                s.ptype = self.classes[int(p.argmax())]


def _bucket(n: int) -> str:
    for b in (0, 1, 2, 3, 5, 8, 12):
        if n <= b:
            return str(b)
    return "far"


def softmax_rows(feats: list[list[str]], vocab: dict[str, int], weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Multinomial logistic regression over sparse string features: for each feature list, the softmax of *bias*
    plus the rows of *weights* of its features found in *vocab* (all lists summed in one ``reduceat``)."""
    rows = [[k for k in map(vocab.get, fs) if k is not None] for fs in feats]
    z = np.tile(bias, (len(rows), 1))
    lengths = np.array([len(r) for r in rows], dtype=np.int64)
    if lengths.sum():
        flat = weights[np.fromiter((k for r in rows for k in r), dtype=np.int64, count=int(lengths.sum()))]
        starts = np.cumsum(lengths) - lengths
        some = lengths > 0
        z[some] += np.add.reduceat(flat, starts[some], axis=0)
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return (z / z.sum(axis=1, keepdims=True)).astype(np.float32)


@dataclass
class _Table:
    """Per-token strings of one document, read once (spaCy makes a new Token object on each index)."""

    words: list[str]  # ``_word``: the lower-case lemma, "<num>" for number-like tokens
    lemma: list[str]  # lower-case lemma
    lower: list[str]
    dep: list[str]
    head: list[int]
    idx: list[int]
    end: list[int]
    text: str


_TABLE = "presslens_relation_table"


def _table(doc: Doc) -> _Table:
    t = doc.user_data.get(_TABLE)
    if t is None or len(t.words) != len(doc):
        lemmas, lower, dep = token_strings(doc, (LEMMA, LOWER, DEP))
        lowered = {w: w.lower() for w in set(lemmas)}
        lemma = [lowered[w] for w in lemmas]
        ints = token_ints(doc, (LIKE_NUM, HEAD, IDX, LENGTH))
        like_num = ints[:, 0].astype(bool).tolist()
        words = ["<num>" if num else w for w, num in zip(lemma, like_num, strict=True)]
        idx = ints[:, 2].tolist()
        end = (ints[:, 2] + ints[:, 3]).tolist()
        t = _Table(words, lemma, lower, dep, ints[:, 1].tolist(), idx, end, doc_text(doc))
        doc.user_data[_TABLE] = t
    return t


def _path(table: _Table, a: int, b: int) -> tuple[list[str], list[str]] | None:
    """Dependency labels and inner lemmas on the path from token *a* up to the lowest common ancestor and down to
    token *b*."""
    head, dep, lemma = table.head, table.dep, table.lemma
    up = [a]
    while head[up[-1]] != up[-1] and len(up) <= len(head):
        up.append(head[up[-1]])
    pos = {t: k for k, t in enumerate(up)}
    down = []
    t = b
    while t not in pos:
        down.append(t)
        if head[t] == t:
            return None
        t = head[t]
    up = up[: pos[t] + 1]
    deps = [f"^{dep[x]}" for x in up[:-1]] + [f"v{dep[x]}" for x in reversed(down)]
    inner = [lemma[x] for x in up[1:]] + [lemma[x] for x in reversed(down[1:])]
    return deps, inner


def _word(t: Token) -> str:
    return t.lemma_.lower() if not t.like_num else "<num>"


def _doc_words(doc: Doc) -> list[str]:
    """``_word`` of every token, computed once per document."""
    return _table(doc).words


def pair_features(doc: Doc, a: Slot, b: Slot) -> list[str]:
    """Features of the ordered pair (subject candidate *a*, object candidate *b*)."""
    tt = f"{a.label}|{b.label}"
    first, second = (a, b) if a.start < b.start else (b, a)
    order = "ab" if a is first else "ba"
    table = _table(doc)
    all_words = table.words
    n_doc = len(all_words)
    f = ["bias", f"tt={tt}", f"ord={order}|{tt}", f"ta={a.label}", f"tb={b.label}"]
    n = max(0, second.start - first.end)
    if a.ptype is not None:
        pt = f"{a.ptype}|{b.ptype}"
        f.extend([f"pt={pt}", f"pto={pt}|{order}", f"ptd={pt}|{_bucket(n)}|{order}", f"ptl={pt}|{tt}"])
    f.append(f"dist={_bucket(n)}|{order}")
    f.append(f"dist={_bucket(n)}|{tt}")
    if n == 0:
        f.append(f"adjacent|{tt}|{order}")
    elif n <= MAX_BETWEEN:
        words = all_words[first.end : second.start]
        f.extend(f"bw={w}" for w in set(words))
        f.extend(f"bwo={w}|{order}" for w in set(words))
        f.append(f"bw1={words[0]}|{order}")
        f.append(f"bwl={words[-1]}|{order}")
        f.extend(f"bg={x}_{y}" for x, y in zip(words, words[1:], strict=False))
        if n <= 4:
            f.append(f"btw={'_'.join(words)}|{order}")
            f.append(f"btwt={'_'.join(words)}|{tt}|{order}")
    else:
        f.append("far")
    f.append(f"prev={all_words[first.start - 1] if first.start > 0 else '<s>'}|{order}")
    f.append(f"next={all_words[second.end] if second.end < n_doc else '</s>'}|{order}")
    for name, sl in (("a", a), ("b", b)):
        before = all_words[sl.start - 1] if sl.start > 0 else "<s>"
        after = all_words[sl.end] if sl.end < n_doc else "</s>"
        f.append(f"{name}-1={before}|{sl.label}")
        f.append(f"{name}+1={after}|{sl.label}")
        f.append(f"{name}txt={table.text[table.idx[sl.start] : table.end[sl.end - 1]].lower()}|{sl.label}")
    ha, hb = a.head.i, b.head.i
    f.append(f"ha={table.lower[ha]}")
    f.append(f"hb={table.lower[hb]}")
    f.append(f"adep={table.dep[ha]}|{table.lemma[table.head[ha]]}")
    f.append(f"bdep={table.dep[hb]}|{table.lemma[table.head[hb]]}")
    p = _path(table, ha, hb)
    if p is None:
        f.append("nopath")
    else:
        deps, inner = p
        f.append(f"path={' '.join(deps)}")
        f.append(f"patht={' '.join(deps)}|{tt}")
        f.append(f"plen={_bucket(len(deps))}")
        if len(deps) <= 6:
            f.append(f"pathl={' '.join(d + ' ' + w for d, w in zip(deps, [*inner, ''], strict=False))}")
        f.extend(f"pw={w}" for w in set(inner))
        f.extend(f"pwt={w}|{tt}" for w in set(inner))
        if a.ptype is not None:
            f.append(f"ptpath={a.ptype}|{b.ptype}|{' '.join(deps)}")
            f.extend(f"ptpw={w}|{a.ptype}|{b.ptype}" for w in set(inner))
    return f


class RelationModel:
    """Multinomial logistic regression over hashed-free sparse features: a vocabulary and a weight matrix."""

    def __init__(self, vocab: list[str], weights: np.ndarray, bias: np.ndarray, threshold: float = 0.5,
                 classes: tuple[str, ...] = CLASSES, names: str = "places", types: Linear | None = None,
                 thresholds: dict[str, float] | None = None):  # fmt: skip
        self.thresholds = dict(thresholds or {})  # per class, else *threshold*
        self.vocab = {w: k for k, w in enumerate(vocab)}
        self.weights = weights.astype(np.float32)
        self.bias = bias.astype(np.float32)
        self.threshold = threshold
        self.classes = classes
        self.names = names
        self.types = types

    @classmethod
    def load(cls, path: str | Path = MODEL_DIR) -> RelationModel:
        path = Path(path)
        meta = json.loads((path / "model.json").read_text(encoding="utf-8"))
        arr = np.load(path / "model.npz")
        types = None
        if "type_vocab" in meta:
            types = Linear(meta["type_vocab"], arr["type_weights"], arr["type_bias"], tuple(meta["type_classes"]))
        return cls(meta["vocab"], arr["weights"], arr["bias"], meta["threshold"], tuple(meta["classes"]),
                   meta.get("names", "places"), types, meta.get("thresholds"))  # fmt: skip

    def save(self, path: str | Path, extra: dict[str, Any] | None = None) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        vocab = sorted(self.vocab, key=self.vocab.get)
        meta = {"classes": list(self.classes), "threshold": self.threshold, "thresholds": self.thresholds,
                "names": self.names, "vocab": vocab, **(extra or {})}  # fmt: skip
        arrays = {"weights": self.weights.astype(np.float16), "bias": self.bias}
        if self.types is not None:
            meta["type_vocab"] = sorted(self.types.vocab, key=self.types.vocab.get)
            meta["type_classes"] = list(self.types.classes)
            arrays["type_weights"] = self.types.weights.astype(np.float16)
            arrays["type_bias"] = self.types.bias
        (path / "model.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        np.savez_compressed(path / "model.npz", **arrays)

    def proba(self, feats: list[list[str]]) -> np.ndarray:
        """Class probabilities for each feature list."""
        return softmax_rows(feats, self.vocab, self.weights, self.bias)

    def predict(self, doc: Doc, actors: list[Any], index: MentionIndex) -> list[Relation]:
        """Relations between name pairs of one sentence; places that take part become actors (appended)."""
        sl = slots(doc, index, self.names)
        if self.types is not None:
            self.types.label(sl, doc)
        pairs = candidate_pairs(doc, sl)
        if not pairs:
            return []
        probs = self.proba([pair_features(doc, a, b) for a, b in pairs])
        best: dict[tuple[Any, Any, str], tuple[float, Slot, Slot]] = {}
        patterns: dict[tuple[Any, Any], tuple[str, float, Slot, Slot]] = {}
        for (a, b), p in zip(pairs, probs, strict=True):
            pat = pair_pattern(doc, a, b)
            if pat is not None:
                patterns[(a.key(), b.key())] = (pat[0], pat[1], a, b)
                continue
            k = int(p.argmax())
            if k == 0 or p[k] < self.thresholds.get(self.classes[k], self.threshold):
                continue
            if self.classes[k] == "Work_For" and (_members_of_other(a, b) or _audience(doc, a, b)):
                continue
            if self.classes[k] == "OrgBased_In" and not _rules.DATELINES and is_dateline(doc, b, a):
                continue  # "LOS ANGELES ( AP )": where the story was filed, not where the agency is based
            key = (a.key(), b.key(), self.classes[k])
            if key not in best or p[k] > best[key][0]:
                best[key] = (float(p[k]), a, b)
        # the words state the place relation: it replaces whatever the classifier says of the pair, both ways
        for ka, kb in patterns:
            for key in [k for k in best if {k[0], k[1]} == {ka, kb}]:
                del best[key]
        # "lives in Salisbury, N.C.": a person's home goes to the town; the state only locates the town (an
        # organisation or a place in "Salisbury, N.C." keeps both: CoNLL04 annotates both)
        for a in sl:
            for b in sl:
                if b.start == a.end + 1 and doc[a.end].text == "," and b.label in PLACE_LABELS | {"NAME"}:
                    for key in [k for k in best if k[1] == b.key() and k[2] == "Live_In"]:
                        if (key[0], a.key(), key[2]) in best:
                            del best[key]
        out = []
        places: dict[str, Any] = {}
        for (_ka, _kb, typ), (conf, a, b) in best.items():
            if _demonym_pair(a, b):
                continue
            sa = a.actor if a.actor is not None else _new_actor(doc, a.ent, actors, places)
            sb = b.actor if b.actor is not None else _new_actor(doc, b.ent, actors, places)
            if sa is None or sb is None:
                continue
            rel = NAME_OF[typ]
            if rel == "located_in" and a.ptype != "Loc" and getattr(sa, "kind", "") in ORG_KINDS:
                rel = "based_in"  # an organisation is based somewhere, a place is located
            if not kinds_fit(rel, sa, sb):
                continue
            out.append(Relation(sa, rel, sb, _evidence(doc, a, b), False, conf, "model"))
        for rel, conf, a, b in patterns.values():
            if _demonym_pair(a, b):
                continue
            sa = a.actor if a.actor is not None else _new_actor(doc, a.ent, actors, places)
            sb = b.actor if b.actor is not None else _new_actor(doc, b.ent, actors, places)
            if sa is not None and sb is not None and kinds_fit(rel, sa, sb):
                out.append(Relation(sa, rel, sb, _evidence(doc, a, b), False, conf, "rule"))
        return out


def _demonym_pair(a: Slot, b: Slot) -> bool:
    """ "Korean ... Korea": a people's adjective and its country are never two actors of one relation."""
    name_a = a.actor.name if a.actor is not None else (a.ent.text if a.ent is not None else "")
    name_b = b.actor.name if b.actor is not None else (b.ent.text if b.ent is not None else "")
    return demonym_of(name_a, name_b) or demonym_of(name_b, name_a)


def kinds_fit(rel: str, subject: Any, obj: Any) -> bool:
    """The actors' kinds can hold the relation: the somewhere of lives_in, based_in and located_in is no person
    or organisation ("Hitler lives_in Wolfgang Peschorn", "Fundamental Research based_in Kotak Securities"), and
    an organisation does not live anywhere ("Salesforce lives_in San Francisco"). Kinds from the entity tagger
    are too often wrong for more (an organisation tagged as a place still takes based_in)."""
    sk, ok = getattr(subject, "kind", ""), getattr(obj, "kind", "")
    if rel in ("lives_in", "based_in", "located_in") and ok in ("person", "organization", "group"):
        return False
    return not (rel == "lives_in" and sk in ORG_KINDS | {"other"})


def _evidence(doc: Doc, a: Slot, b: Slot) -> tuple[int, int]:
    s, e = min(a.start, b.start), max(a.end, b.end)
    return doc[s].idx, doc[e - 1].idx + len(doc[e - 1])


def _members_of_other(a: Slot, b: Slot) -> bool:
    """"Qaani praised the Hamas fighters": the organisation names the people a verb's subject acts on (its object),
    not the subject's employer."""
    if b.head.dep_ not in ("compound", "poss", "nmod"):
        return False
    noun = b.head.head
    if noun.tag_ != "NNS" or a.start <= noun.i < a.end:
        return False
    verb = noun.head if noun.dep_ in ("dobj", "pobj") else None
    if verb is not None and verb.dep_ == "prep":
        verb = verb.head
    return verb is not None and verb.pos_ in ("VERB", "AUX") and a.head.head == verb and a.head.dep_ == "nsubj"


# Events at which one speaks to or visits an organisation: "a speech to the Diplomatic Academy", "remarks at
# the Communist Party headquarters" name an audience or a venue, not an employer.
_VENUE_NOUNS = frozenset("speech remark address lecture talk visit tour trip interview rally summit".split())


def _audience(doc: Doc, a: Slot, b: Slot) -> bool:
    """A speaking or visiting event stands between the person and the organisation, or just before the first
    of them: "Esper said in a speech to the Diplomatic Academy", "in remarks at Vietnam's Communist Party"."""
    lo, hi = min(a.start, b.start), max(a.end, b.end)
    return any(doc[i].lemma_.lower() in _VENUE_NOUNS for i in range(max(0, lo - 4), hi))


def candidate_pairs(doc: Doc, sl: list[Slot]) -> list[tuple[Slot, Slot]]:
    """Ordered pairs of slots of different actors in one sentence."""
    by_sent: dict[int, list[Slot]] = {}
    if sl:
        sent_of = [0] * len(doc)
        for k, sent in enumerate(doc.sents):
            sent_of[sent.start : sent.end] = [k] * len(sent)
        for x in sl:
            by_sent.setdefault(sent_of[x.head.i], []).append(x)
    out = []
    for group in by_sent.values():
        keys = [x.key() for x in group]
        for i, a in enumerate(group):
            for j, b in enumerate(group):
                if i != j and keys[i] != keys[j] and not (a.start < b.end and b.start < a.end):
                    out.append((a, b))
    return out


def _mention_every(actor: Any, name: str, doc: Doc) -> None:
    """Every occurrence of *name* in the document's text, as a whole word, becomes a mention of *actor*."""
    for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", doc_text(doc)):
        actor.add_mention(m.span())


def _new_actor(doc: Doc, ent: Span | None, actors: list[Any], places: dict[str, Any]) -> Any:
    """The actor of a name no actor covers: appended to *actors* on first use, with every occurrence as a mention;
    None where the words do not read as a name (``names.looks_like_name``: "President", a bare "S.D.",
    "Research" opening a sentence)."""
    from presslens.actors.names import US_POSTAL_CODES, US_STATES, in_newspaper_name, place_start

    if ent is None or not looks_like_name(doc, ent.start, ent.end):
        return None
    if in_newspaper_name(doc[ent.end - 1 : ent.end + 1].text, len(ent[-1])):
        return None  # "told USA TODAY"
    if place_start(doc, ent.start) < ent.start:
        ent = doc[place_start(doc, ent.start) : ent.end]  # "ST. JOSEPH, Mich.": the tagger took only the last word
    name = ent.text
    if name in places:
        return places[name]
    for a in actors:
        if a.name == name or (name.isupper() and a.name.lower() == name.lower()):  # "HANOI, Vietnam" is Hanoi
            places[name] = a
            if a.name != name:
                _mention_every(a, name, doc)
            return a
    from presslens.actors.model import Actor, next_actor_id

    label = ent.label_ if ent is not None and ent.label_ else "NAME"
    resolver = doc._.presslens_resolver if Doc.has_extension("presslens_resolver") else None
    if resolver is not None and label not in PLACE_LABELS and resolver.rejects(ent.start, ent.end, label):
        return None  # a name the actor layer left out ("Mujahideen" beside "a mujahideen base", "Russian")
    kind = KIND_OF.get(label, "other")
    if kind == "country" and (name in US_POSTAL_CODES or name in US_STATES or name in US_STATES.values()):
        kind = "other"  # "Bristow, VA", "Elkton, MD": a state is a place, no country
    if name in US_STATES:  # "Dekalb, Ill.": the actor is Illinois, named in full
        state = next((a for a in actors if a.name == US_STATES[name]), None)
        if state is not None:
            _mention_every(state, name, doc)
            places[name] = state
            return state
        kind, name = "other", US_STATES[name]
    actor = Actor(id=next_actor_id(actors), name=name, kind=kind, label=label)
    _mention_every(actor, ent.text, doc)
    actors.append(actor)
    places[ent.text] = actor
    return actor
