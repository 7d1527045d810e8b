"""Actors a reader would accept: the resolver's checks and repairs of names (junk, kinds, merges, party and state,
places named like people, speakers the entity tagger missed). A mixin of ``ActorResolver``."""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Token

from presslens.actors.merging import subject_of_speech
from presslens.actors.model import Actor, Role
from presslens.actors.names import (
    _GENERIC_ORG_SUFFIX,
    _GROUP_NOUNS,
    _KNOWN_ORGS,
    _LOCATIVE,
    _ORG_WORDS,
    _PARTIES,
    _PARTY_STATE,
    _PUBLICATION_WORDS,
    NON_ACTOR_ABBREVIATIONS,
    PLACE_SUFFIXES,
    US_POSTAL_CODES,
    US_STATES,
    _title_cased,
    event_name,
    first_names,
    in_newspaper_name,
    looks_like_person,
    market_index,
    product_name,
    thing_abbreviation,
    thing_name,
)
from presslens.text.lexicon import PERSON_PRONOUNS, ROLE_NOUNS, TITLE_WORDS

# One capitalised word of these over a quote is a heading, not who speaks ("Transcript as follows:").
_HEADING_WORDS = frozenset(
    "transcript transcripts excerpt excerpts statement text update readout video audio remarks full".split()
)
_IN_PLACE = frozenset({"in", "near", "outside"})
_STAT_WORDS = frozenset(
    "point points goal goals assist assists save saves rebound rebounds steal steals tackle tackles yards".split()
)
_CALENDAR_WORDS = frozenset(
    """January February March April May June July August September October November December Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday""".split()
)
# "a document Matthesen prepared", "a letter she wrote": the author named in a relative clause is the source.
_AUTHORING_VERBS = frozenset("prepare write draft author sign send issue compile publish".split())
# "analysts surveyed by Refinitiv", "officials quoted by Reuters": the one who asked is not the source.
_ASKING_VERBS = frozenset("survey poll quote interview".split())
# People on a platform or of a firm's public, and courts: a name before them ("one Weibo commenter", "a Twitter
# user", "Apple customers", "the EU's top court") is not the speaker (a spokesman or an official speaks for it).
_NO_VOICE_NOUNS = frozenset(
    """user commenter poster follower subscriber viewer reader listener fan customer passenger shopper student
    court tribunal""".split()
)
# After a name: more capitalised names, commas and "and", then a plural place noun ("..., Cass and Van Buren
# counties").
# (possessive quantifiers: a long run of capitalised words must not backtrack exponentially)
_NAME_RUN = r"[A-Z][\w.'’-]*+(?: [A-Z][\w.'’-]*+)*+"
_LISTED_PLACES = re.compile(
    rf"(?:,? (?:and |or )?{_NAME_RUN})*+,? (?:and |or )?"
    r"(?:counties|provinces|districts|states|cities|towns|villages|regions|parishes|townships|municipalities)\b"
)
# Last words of organisations' names that no surname has ("Hall", "Park", "Post" and "Bank" are surnames too).
_ORG_LAST_WORDS = frozenset(
    """united state fc productions studios records entertainment inc inc. corp corp. llc ltd ltd. plc group club
    foundation university college institute association agency ministry department company council committee
    commission corporation""".split()
)


_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)", re.IGNORECASE)
# Words before a number in an organisation's name: broadcasters' channels, union locals ("NBC 5", "Local 1199")
_NUMBERED_ORG_WORDS = frozenset("channel nbc cbs abc fox cw pbs local tv wnyc station".split())


# Words before a name that only people are: "Fox News host Jeanine Pirro", "actor Chris Pine".
_PERSON_WORDS = frozenset(
    """host star actor actress singer rapper comedian author novelist writer filmmaker anchor coach player
    quarterback pitcher striker goalkeeper defenseman chef designer artist musician scientist songwriter producer
    astronaut""".split()
)


def _model_number(words: list[str]) -> bool:
    """A number or a letter-and-digit code in a name of several words that no broadcaster, union local or
    ordinal explains: a product's model ("Note 10 Plus", "LC500 Convertible", "Premium 3D Sound System")."""
    for k, w in enumerate(words):
        if not any(ch.isdigit() for ch in w) or _ORDINAL.fullmatch(w.strip(",.")):
            continue
        prev = words[k - 1].lower() if k else ""
        if prev in _NUMBERED_ORG_WORDS or re.fullmatch(r"[KW][A-Z]{2,3}(?:-TV)?", words[k - 1] if k else ""):
            continue
        return True
    return False


# A house number, then a name ending in a street word: "1909 Jolinda Drive", "2134 Caldwell Place".
_WORK_VERBS = "directed|written|produced|published"
_WORK_NOUNS = "film|movie|album|novel|documentary|sequel|memoir|sitcom|miniseries|TV series|TV show|video game"
_CAPITALISED_RUN = r"([A-Z][\w'’:-]*(?: [A-Z0-9][\w'’:-]*)*)"
# a capitalised run named as a work: after a work noun or a year's possessive, or before "was directed by"
_TITLE_AFTER = re.compile(rf"(?:\b(?:{_WORK_NOUNS}),?|\b\d{{4}}['’]s) [“\"‘']?{_CAPITALISED_RUN}")
_TITLE_BEFORE = re.compile(rf"{_CAPITALISED_RUN}[”\"’']? (?:was|is) (?:co-)?(?:{_WORK_VERBS}) by\b")
_ADDRESS = re.compile(
    r".*\b\d{1,6} (?:[A-Z][\w.'-]* ){1,3}(?:Drive|Dr\.|Street|St\.|Avenue|Ave\.|Road|Rd\.|Lane|Ln\.|Boulevard|"
    r"Blvd\.|Place|Court|Ct\.|Way|Circle|Terrace|Parkway|Highway|Trail)$"
)


class ActorCleanup:
    """Checks and repairs of the actors of one document (``self.doc``, ``self.text``, ``self.actors``,
    ``self.token_actor``)."""

    text: str  # the document's text, read once (set by ActorResolver)
    _titles: tuple[list[str], list[str]] | None  # names of works the text gives, read once (``_work_title``)

    def _person_evidence(self, s: int, e: int, text: str) -> bool:
        """Besides a first name, something that makes a name a person's: a title or role word before it
        ("executive chair Marcelo Claure"), an age after it ("Claure, 48,"), or its last word named as a person
        elsewhere in the article."""
        doc = self.doc
        before = doc[s - 1].lower_ if s > 0 else ""
        if before in TITLE_WORDS or before in ROLE_NOUNS or before in _PERSON_WORDS:
            return True  # "executive chair Marcelo Claure", "Fox News host Jeanine Pirro"
        if e + 1 < len(doc) and doc[e].text == "," and doc[e + 1].like_num:
            return True
        if e + 1 < len(doc) and doc[e].like_num and doc[e + 1].lower_ in _STAT_WORDS:
            return True  # a match report's "Kyleigh Trout 1 goal", "Armani Sheffield 19 points"
        last = text.split()[-1]
        if any(x.label_ == "PERSON" and x.text.split()[-1] == last for x in doc.ents):
            return True
        return self._beside_a_person(s, e)

    def _beside_a_person(self, s: int, e: int) -> bool:
        """The name is joined to a person's name by "and" ("Merav Eitan and Gaston Zahr"), or it is the subject of a
        verb whose object is a person ("Diego Schwartzman defeating Cristian Garin", "cruised past Yoshihito
        Nishioka")."""
        doc = self.doc
        root = doc[e - 1]

        def person(t: Any) -> bool:
            return bool(t.ent_type_ == "PERSON")

        def pair(a: Any, b: Any) -> bool:  # "A and B", not a list "A, B and C" of papers or firms
            conjs = [c for c in a.children if c.dep_ == "conj"]
            return (
                conjs == [b]
                and a.dep_ != "conj"
                and person(b if b is not root else a)
                and not any(c.dep_ == "conj" for c in b.children)
            )

        if any(pair(root, c) for c in root.children if c.dep_ == "conj"):
            return True
        if root.dep_ == "conj" and pair(root.head, root):
            return True
        verbs = [root.head] if root.dep_ == "nsubj" else []
        verbs += [c for c in root.children if c.dep_ == "acl" and c.pos_ == "VERB"]  # "Schwartzman defeating Garin"
        for verb in verbs:
            objs = [c for c in verb.children if c.dep_ == "dobj"]
            objs += [g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
            if any(person(o) for o in objs):
                return True
        return False

    def _person_by_role_appositive(self, s: int, e: int, text: str) -> bool:
        """ "Eswar Prasad, a trade professor at Cornell, said": a name of two or more capitalised words whose
        appositive is a person's role (not "member", which organisations are too) names a person, whatever its
        first name."""
        words = text.split()
        if len(words) < 2 or not all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words):
            return False
        if any(w.lower().strip(".") in _ORG_WORDS for w in words):
            return False  # "Acme Widget Corp", "Human Rights Watch"
        doc = self.doc
        return any(
            t.dep_ == "appos" and s <= t.head.i < e and t.lower_ in ROLE_NOUNS and t.lower_ != "member"
            for t in doc[e : min(len(doc), e + 8)]
        )

    def _person_by_surname(self, s: int, e: int, text: str) -> bool:
        """ "Scooter Braun" tagged an organisation where the article also names "Braun" alone as a person: two
        capitalised words, no word of organisations, whose last word is a one-word person elsewhere (the first
        name need not be a known one: "Scooter"); not a place's team ("Pittsburgh Steelers") nor a thing whose
        last word the text also writes in lower case ("Smart Keyboard")."""
        words = text.split()
        if len(words) != 2 or not all(w[:1].isupper() and w[1:].islower() and w.isalpha() for w in words):
            return False
        if any(w.lower() in _ORG_WORDS for w in words) or self.gaz.lookup(words[0]) is not None:
            return False
        if any(x.label_ in ("GPE", "LOC") and x.text == words[0] for x in self.doc.ents):
            return False  # "Pittsburgh Steelers": a place's team
        if re.search(rf"\b{words[1].lower()}\b", self.text):
            return False  # "Smart Keyboard": the word is also a common noun here
        return any(x.label_ == "PERSON" and x.text == words[1] for x in self.doc.ents)

    def _state_after_place(self, s: int, text: str) -> bool:
        """ "Sioux Falls, S.D.", "Dekalb, Ill.", "Phoenix, AZ": the state of a place, no actor of its own; and the
        country in a newspaper's name ("via USA Today", "told USA TODAY"), no mention of the country."""
        start = self.doc[s].idx
        if in_newspaper_name(self.text, start + len(text)):
            return True
        state = (text in US_STATES and text.endswith(".")) or text in US_POSTAL_CODES
        return state and self.text[max(0, start - 2) : start] == ", "

    def _work_title(self, text: str) -> bool:
        """The article names *text* as a work: after a work noun ("the film Harriet", "his novel “Beloved”"), after
        a year's possessive ("2016's Star Trek Beyond"), or as what someone directed, wrote or produced ("Star
        Trek Beyond was directed by Justin Lin")."""
        titles = self._titles
        if titles is None:  # read once per document
            after = [m.group(1) for m in _TITLE_AFTER.finditer(self.text)]
            before = [m.group(1) for m in _TITLE_BEFORE.finditer(self.text)]
            titles = self._titles = (after, before)
        return any(t == text or t.startswith(text + " ") for t in titles[0]) or any(
            t == text or t.endswith(" " + text) for t in titles[1]
        )

    def _junk(self, s: int, e: int, text: str, headline: tuple[int, int] | None, label: str = "") -> bool:
        """Not an actor: an adjective alone ("Ukrainian"), a US state abbreviation after a party letter
        ("Comer, R-Ky."), headline words the article never repeats ("Throws Hat"), a name with no capital
        letter ("keyboard", "air sacs"; "commerce ministry" stays), an abbreviation of a thing or a title ("IPO",
        "COO", "CT"), a letter's salutation ("DEAR ABBY"), a web address, link or handle, a name after a list
        mark or with a trademark sign, a "person" with a digit in its name, or one capitalised word the
        article also writes in lower case ("Plague" beside "the plague", "Authorities" beside "authorities")."""
        doc = self.doc
        if e - s == 1 and doc[s].pos_ == "ADJ":
            return True
        words = text.split()
        if (
            not any(ch.isupper() for ch in text)
            and words[-1].lower() not in _ORG_WORDS
            and "&" not in text
            and not (len(words) == 1 and any(ch.isdigit() for ch in text) and any(ch.isalpha() for ch in text))
        ):
            return True  # "my6sense", "amigo & amigo" are firms' names written in lower case
        start = doc[s].idx
        if start >= 2 and self.text[start - 1] == "-" and self.text[start - 2].isalnum() and label != "PERSON":
            first = re.search(r"(\w+)-$", self.text[max(0, start - 30) : start])
            after = doc[e] if e < len(doc) else None
            if (first and len(first.group(1)) <= 3) or (after is not None and after.pos_ == "NOUN" and after.is_lower):
                return True  # "Wi-Fi", "the Qinghai-Tibet plateau": the second half of a word or of a modifier
        prev = doc[s - 1] if s > 0 else None
        if (
            prev is not None
            and len(words) == 1
            and re.fullmatch(r"\d{1,3}[A-Za-z]?", prev.text)
            and self.text[prev.idx + len(prev) : start] == " "
        ):
            return True  # "737 Max", "A350 XWB": a model's name after its number (not "In 2019 Max said")
        if label != "PERSON" and len(words) == 1 and text in _CALENDAR_WORDS:
            return True  # "When February rolls around": a month, no organisation
        if len(words) >= 3 and any(t.pos_ == "AUX" and t.is_title for t in doc[s:e]):
            return True  # "International Space Station Is Open for Business": a headline, no name
        if product_name(text) or market_index(text) or thing_name(text):
            return True  # "MacBook Pro", "Siri": a product, however the tagger labelled it; "Sensex": an index;
            # "Yersinia", "Brexit": a pathogen, a process
        if event_name(text) and not subject_of_speech(doc[s:e]):
            return True  # "the Dubai Air Show", "the Davis Cup Finals": an event (not "the festival said")
        if text in NON_ACTOR_ABBREVIATIONS or thing_abbreviation(text, self.text):
            return True  # "IPO", "RGB"; "Binge eating disorder (BED)", "GET OUT and VOTE"
        if text.startswith("DEAR ") or re.search(r"://|^www\.|@\w| @ |\w\.\w+/", text):
            return True  # ... or a web address, a handle, a link ("pic.twitter.com/4p7SXk7JPW")
        if not text[:1].isalnum() or re.search("[®™©]", text):
            return True  # "-- Ak-Chin Pavilion", "® Honey", "Digital Intuition®": list marks, trademarks (products)
        if text == "P.O. Box" or _ADDRESS.match(self.text[max(0, doc[s].idx - 8) : doc[s].idx] + text):
            return True  # "of 1909 Jolinda Drive", "at 2134 Caldwell Place": a street address
        if len(text.rstrip(".")) == 1 and not re.search(r"\b(?:on|via|at) X\b", self.text):
            return True  # an interview's "Q" and "A", a single initial (the platform X stays: "posted on X")
        if self._work_title(text):
            return True  # "2016's Star Trek Beyond", "the film Harriet": a title of a work, no actor
        if label == "PERSON" and any(ch.isdigit() for ch in text):
            return True  # "K. Hupfer 1 goal": a line of a match report, no name
        if label == "ORG" and ", " in text and "(" not in text:
            tail = text.split(", ", 1)[1]
            if tail.split()[0].lower() not in _GENERIC_ORG_SUFFIX and not re.search(r"\b(?:and|of|&)\b", tail):
                return True  # "Big Machine, Braun", "Bleacher Report, Uber Eats": a list, not one name
        if label == "ORG" and len(words) > 1 and _model_number(words):
            return True  # "Note 10 Plus", "LC500 Convertible", "Wi-Fi 6 Mesh Router": products, no organisations
        join = re.search(r"[a-z]([A-Z]\w*)", text)
        if join and len(words) > 1 and join.start() > text.index(" ") and words[0].startswith(join.group(1)[:4]):
            return True  # "Ilhan OmarIlhan": a name run into a pop-up's copy of itself ("McDonald" is no repeat)
        if len(words) > 1 and words[0].lower() in _KNOWN_ORGS and words[-1].lower() not in _ORG_WORDS:
            return True  # a platform's product or service: "Amazon Alexa", "Apple CarPlay"
        owner = re.match(r"(.+?)['’]s (.+)$", text)
        if owner and not any(w.lower() in _ORG_WORDS for w in owner.group(2).split()):
            o = owner.group(1)
            if o.lower() in _KNOWN_ORGS or any(x.label_ == "ORG" and x.text == o for x in doc.ents):
                return True  # an organisation's thing: "Apple's AirPods", "FX's Legion"
        if (
            len(words) == 1
            and text[:1].isupper()
            and not text.isupper()
            and text.lower() not in first_names()
            and text.lower() not in _KNOWN_ORGS
            and text.lower() not in _PUBLICATION_WORDS  # "The Times" beside "three times"
            and (
                re.search(r"(?<![\w./@-])" + re.escape(text.lower()) + r"(?![\w@-]|\.\w)", self.text)
                or (  # "Humidifier lung" beside "humidifiers", unless it is someone's surname ("Tom Price")
                    re.search(r"(?<![\w./@-])" + re.escape(text.lower()) + r"e?s\b", self.text)
                    and not self._named_person(text)
                )
            )
        ):
            return True
        start = doc[s].idx
        if _PARTY_STATE.match(self.text[max(0, start - 2) : start + len(text) + 2]) and not (
            start >= 3 and self.text[start - 3].isalnum()
        ):
            return True  # "Comer, R-Ky." (not "ITAR-TASS")
        if e - s == 1 and label in ("PERSON", "GPE") and doc[s].lower_ not in first_names():
            # "Research and Advocacy Director": words of a title, not a name
            for j in range(e, min(e + 3, len(doc))):
                t = doc[j]
                if t.is_title and (t.lower_ in ROLE_NOUNS or t.lower_ in TITLE_WORDS):
                    return True
                if not (t.is_title or t.lower_ == "and"):
                    break
        in_headline = headline is not None and headline[0] <= start < headline[1]
        if in_headline and _title_cased(self.text[headline[0] : headline[1]]):
            body = self.text[: headline[0]] + " " + self.text[headline[1] :]
            last = text.split()[-1]
            if text not in body and not re.search(r"\b" + re.escape(last) + r"\b", body):
                return True
        return False

    def _named_person(self, text: str) -> bool:
        """ "Antonio Guterres" (tagged plural): a first name, or the surname of someone named in full."""
        words = text.split()
        if words and words[0].lower() in first_names() and len(words) > 1:
            return True
        return any(
            len(e.text.split()) > len(words) and e.text.split()[-len(words) :] == words
            for e in self.doc.ents
            if e.label_ == "PERSON"
        )

    def _dateline(self, s: int, e: int, text: str) -> bool:
        """ "SIOUX FALLS, S.D. –", "HONOLULU (AP) —": a place in capitals opening a paragraph."""
        doc = self.doc
        if not (text.isupper() and len(text) > 2):
            return False
        before = self.text[max(0, doc[s].idx - 5) : doc[s].idx]
        opens = s == 0 or "\n" in before or before.rstrip().endswith(("ST.", "ST", "FT.", "PORT"))
        return opens and e < len(doc) and doc[e].text in (",", "(", "-", "--", "–", "—")

    def _group_noun(self, e: int) -> bool:
        """The entity is followed by a plural noun of people: "Tory MPs", "Democratic lawmakers"."""
        doc = self.doc
        return e < len(doc) and doc[e].tag_ == "NNS" and doc[e].lower_ in _GROUP_NOUNS

    def _places_named_as_people(self) -> None:
        """A one-word "person" only ever written after "in", "at", "near" ... is a place ("in Palmyra"), and so is a
        one-word "organisation" only ever written after "in", "near" or "outside" ("in Amritsar"); so is a
        "person" whose name ends with a place word ("Cameron Parish", "Harris County"). A "person" whose name
        ends with a word only organisations end with is an organisation ("Manchester United", "Penn State")."""
        text = self.text
        for a in self.actors:
            words = a.name.split()
            if a.kind == "person" and len(words) > 1 and words[-1].istitle() and words[-1].lower() in PLACE_SUFFIXES:
                a.kind = "other"
                a.label = "GPE"
                continue
            if a.kind in ("person", "organization") and a.kb_id is None and a.mentions and all(
                _LISTED_PLACES.match(text, e) for _s, e in a.mentions
            ):
                a.kind = "other"  # "Barry, Berrien, Calhoun, Cass and Van Buren counties": places in a list
                a.label = "GPE"
                continue
            if a.kind == "person" and len(words) > 1 and words[-1].lower() in _ORG_LAST_WORDS:
                a.kind = "organization"  # "Manchester United", "Penn State", "Dick Clark Productions"
                a.label = "ORG"
                continue
            if len(words) > 1 or a.name.lower() in first_names() or not a.mentions:
                continue
            if a.kind == "person":
                preps = _LOCATIVE
            elif a.kind == "organization" and a.kb_id is None and a.name.lower() not in _KNOWN_ORGS:
                preps = _IN_PLACE  # "at Google", "from Reuters" are common; "in Amritsar" is a place
            else:
                continue
            if all(text[max(0, s - 12) : s].split()[-1:] and text[max(0, s - 12) : s].split()[-1].lower() in preps
                   and text[e : e + 2] not in ("'s", "’s") for s, e in a.mentions):  # "in FromSoftware's work"
                a.kind = "other"
                a.label = "GPE"

    def _places_beside_places_and_demonyms(self) -> None:
        """One-word "organisations" and "people" (no gazetteer entry) that read as places or adjectives: "Logar"
        beside "Logar province"; "Sarkh" in "area of Sarkh, Logar" (a name before the comma of a place, or after
        "area of", "district of" ...); "Afghan" in "The Afghan Taliban" (an adjective of nationality that only
        ever modifies another actor's name: no actor)."""
        text = self.text
        candidates = [
            a for a in self.actors
            if a.kind in ("person", "organization") and a.kb_id is None and len(a.name.split()) == 1 and a.mentions
            and a.name.lower() not in first_names() and a.name.lower() not in _KNOWN_ORGS
        ]  # fmt: skip
        places = {a.name for a in self.actors if a.kind in ("country", "other")}
        firsts = {p.split()[0] for p in places if len(p.split()) == 2 and p.split()[1].lower() in PLACE_SUFFIXES}
        for a in candidates:
            if a.name in firsts:
                a.kind, a.label = "other", "GPE"  # "Logar" beside "Logar province"
                places.add(a.name)
        alternatives = "|".join(re.escape(p) for p in sorted(places))
        before_place = re.compile(r", (?:" + alternatives + r")(?![\w'’-])(?![.]\w)") if places else None
        area_of = re.compile(r"\b(?:area|district|province|region|village|town|city) of $")
        for a in candidates:
            if a.kind != "other" and all(
                (before_place is not None and before_place.match(text, e)) or area_of.search(text[max(0, s - 20) : s])
                for s, e in a.mentions
            ):
                a.kind, a.label = "other", "GPE"  # "in Pangram area of Sarkh, Logar"
        def before_other_name(a: Actor, e: int) -> bool:
            nxt = self.doc.char_span(e + 1, e + 2, alignment_mode="expand") if text[e : e + 1] == " " else None
            return nxt is not None and self.token_actor.get(nxt.start) not in (None, a)

        for a in candidates:
            if a.kind == "other" or not a.name.endswith(("an", "ese", "ian", "ish", "i")):
                continue
            if all(before_other_name(a, e) for _s, e in a.mentions):  # "The Afghan Taliban": no actor of its own
                for k in [k for k, v in self.token_actor.items() if v is a]:
                    del self.token_actor[k]
                self._person_mentions = [(c, p) for c, p in self._person_mentions if p is not a]
                self.actors.remove(a)

    def _party_and_state(self) -> None:
        """ "Comer, R-Ky.": Comer is a Republican of Kentucky (a role), and "Ky." no actor."""
        text = self.text
        for m in _PARTY_STATE.finditer(text):
            state = m.group(2).strip()
            if state not in US_STATES and not (len(state) == 2 and state.isupper()):
                continue
            before = text[: m.start()].rstrip()
            if not before.endswith((",", "(")):
                continue
            tok = self.doc.char_span(len(before) - 2, len(before) - 1, alignment_mode="expand")
            person = self.token_actor.get(tok.start) if tok is not None else None
            if person is None or person.kind != "person":
                continue
            person.add_role(Role(_PARTIES[m.group(1)], US_STATES.get(state, state), (m.start(), m.end())))

    def _modifier_only(self, start: int, end: int, head: int, actor: Actor) -> bool:
        """The actor found in a speaker phrase is a place that only modifies its head, or sits after the comma of
        an appositive ("Derek Scissors, a China scholar"), or it owns the plural the phrase names ("Rudolph's
        supporters"): the phrase does not name it as the speaker."""
        doc = self.doc
        toks = [i for i in range(start, end) if self.token_actor.get(i) is actor]
        if not toks:
            return False
        comma = next((i for i in range(start, end) if doc[i].text == ","), None)
        if comma is not None and head < comma < toks[0] and doc[head].pos_ == "PROPN":
            return True  # a name before the comma is the speaker, not what its appositive mentions
        if head not in toks and doc[head].tag_ == "NNS" and any(
            doc[i].head.i == head and (doc[i].dep_ == "poss" or (doc[i].dep_ == "compound" and actor.kind == "person"))
            for i in toks
        ):
            # "Rudolph's supporters", "Taylor Swift fans": people of the name's, not the name ("Hamas officials"
            # still speak for Hamas)
            return True
        if head not in toks and doc[head].pos_ == "PROPN" and actor.kind != "person" and start <= head < end:
            return True  # "Wikileaks editor-in-chief Kristinn Hrafnsson": the name at the head speaks
        if head not in toks and all(self._in_qualifying_clause(i, head, start, end) for i in toks):
            return True  # "Israeli settlers, who form part of Netanyahu's constituency,": named in a relative clause
        if (
            head not in toks
            and doc[head].lemma_.lower() in _NO_VOICE_NOUNS
            and any(doc[i].head.i == head and doc[i].dep_ in ("poss", "compound") for i in toks)
        ):
            return True  # "one Weibo commenter", "a Twitter user", "the EU's top court": not the name's own voice
        if actor.kind not in ("country", "other") or head in toks:
            return False
        outer = [i for i in toks if doc[i].head.i not in toks or doc[i].head.i == i]
        # "Washington-based": the place hangs from "based" inside the phrase
        return bool(outer) and all(
            doc[i].dep_ in ("compound", "poss", "amod", "npadvmod", "nmod", "npmod") or doc[i].head.i != head
            and start <= doc[i].head.i < end
            for i in outer
        )

    def _in_qualifying_clause(self, i: int, head: int, start: int, end: int) -> bool:
        """Token *i* sits in a relative clause of the phrase's head ``[start, end)`` ("settlers, who form part of
        Netanyahu's constituency"; not a document someone "prepared": its author is named in it), or in a participle
        of asking ("analysts surveyed by Refinitiv") or of a venue ("research published in JAMA Psychiatry"); not
        "data released by MOTIE", "reports received by Amnesty"."""
        t = self.doc[i]
        venue = False  # the name is where something appeared ("published in JAMA Psychiatry"), not who did it
        while t.i != head and start <= t.i < end and t.head.i != t.i:
            if t.dep_ == "appos":
                return False  # "The company that runs the AMAs, Dick Clark Productions,": the head's own name
            if t.dep_ == "pobj" and t.head.lower_ in ("in", "on", "at"):
                venue = True
            if t.dep_ == "relcl" and self._is_head(t.head, head) and t.lemma_.lower() not in _AUTHORING_VERBS:
                return True
            if t.dep_ == "acl" and (t.lemma_.lower() in _ASKING_VERBS or venue):
                return True  # a participle: "analysts surveyed by Refinitiv", "research published in JAMA"
            t = t.head
        return False

    def _is_head(self, t: Token, head: int) -> bool:
        """*t* is the phrase's head or a noun joined to it ("Current and former officials": the parser may take
        "Current" for the head and "officials" for its conjunct)."""
        return t.i == head or (t.dep_ == "conj" and t.head.i == head)

    def _new_speaker(self, start: int, end: int, head: int) -> Actor | None:
        """A speaker named in capitals the entity tagger missed ("Derek Scissors, a China scholar", "The Wrap"):
        a new actor, a person when the name starts with a known first name, else an organisation."""
        doc = self.doc
        s = start
        while s < end and doc[s].lower_ in ("the", "a", "an"):
            s += 1
        e = s
        while e < end and (doc[e].is_title or doc[e].is_upper) and doc[e].is_alpha and e - s < 4:
            e += 1
        if e == s or not (s <= head < e) or doc[s].lower_ in PERSON_PRONOUNS or doc[s].lower_ in ROLE_NOUNS:
            return None
        if doc[s].i == doc[s].sent.start and e - s == 1 and doc[s].pos_ != "PROPN":
            return None  # a capitalised first word of a sentence
        words = [t.text for t in doc[s:e]]
        if any(w.lower() in TITLE_WORDS or w.lower() in ROLE_NOUNS for w in words):
            return None
        if e - s == 1 and doc[s].lower_ in _HEADING_WORDS:
            return None  # "Transcript as follows:", "Statement:": a heading over someone's words, not a speaker
        label = "PERSON" if looks_like_person(words) else "ORG"
        if label == "ORG" and not all(t.pos_ == "PROPN" for t in doc[s:e]):
            return None
        name = doc[s:e].text
        if self._dateline(s, e, name) or self._junk(s, e, name, None, label):
            return None  # "BERLIN --", "HANOI, Vietnam (AP) —": a dateline; "DEAR ABBY": a salutation
        actor = self._attach(label, name, None, doc[s:e])
        for i in range(s, e):
            self.token_actor[i] = actor
        if actor.kind == "person":
            self._person_mentions.append((doc[s].idx, actor))
            self._person_mentions.sort(key=lambda x: x[0])
        return actor
