"""Whether a stretch of text that no actor covers reads as a name a new actor may take.

The relation classifier may relate names the actor layer left out (an entity, or a run of proper nouns); each such
name becomes an actor of the record, so it must look like a real name: not a title or office on its own
("President", "Emperor", "Director for the Middle East"), not a generic noun ("Agency", "Head of Research",
"Research shows ..."), not bare initials ("SIOUX FALLS, S.D."), not a piece of a longer name ("Roman" in "Roman
Emperor Julius Caesar", "State Attorney General" in "the New York State Attorney General")."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from presslens.actors.names import NON_ACTOR_ABBREVIATIONS, thing_abbreviation
from presslens.relations.rules import GROUP_WORDS, LEAD_NOUNS, MEMBER_NOUNS, ORG_NOUNS, PART_NOUNS, WORK_NOUNS
from presslens.text.tokens import doc_text

# honorifics and offices: capitalised before a name, no name on their own (but "the murder of King in Memphis")
TITLE_WORDS = (
    LEAD_NOUNS | WORK_NOUNS | MEMBER_NOUNS
    | {
        "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "rev", "reverend", "sen", "rep", "gov", "gen",
        "col", "capt", "lt", "sgt", "adm", "maj", "cmdr", "prof", "pres", "emperor", "empress", "prince", "princess",
        "pope", "sheikh", "imam", "ayatollah", "judge", "justice", "archbishop", "bishop", "cardinal", "father",
        "saint", "duke", "duchess", "baron", "vice", "deputy", "acting", "former", "first", "mayor", "insider",
        "attorney", "prime", "foreign", "supreme", "senior", "assistant", "associate", "high", "commissioner",
    }
)  # fmt: skip
# generic nouns of names and departments: never a name on their own ("Agency", "Head of Research", "VP of Sales")
GENERIC_WORDS = (
    PART_NOUNS | ORG_NOUNS | GROUP_WORDS
    | {
        "state", "national", "federal", "city", "county", "district", "province", "republic", "office", "research",
        "report", "news", "solutions", "services", "center", "centre", "inc", "corp", "co", "ltd", "llc", "plc", "new",
        "sales", "marketing", "operations", "finance", "communications", "engineering", "policy", "strategy",
        "advocacy", "technology", "development", "product", "products", "content", "design", "data",
    }
)  # fmt: skip
_INITIALS = re.compile(r"(?:[A-Z]\.){1,3}")
_DETERMINERS = {"the", "a", "an", "this", "that", "its", "his", "her", "their", "our", "'s", "’s"}
_OFFICE_OF = {"of", "for", "at", "to", "and", "&", ","}  # "President of the Senate", "Director for the Middle East"
_OPENERS = {'"', "'", "“", "‘", "(", "[", "-", "—", "–", "``", "`"}


def _word(t: Token) -> str:
    return t.lower_.rstrip(".")


def _capitalised(t: Token) -> bool:
    return t.text[:1].isupper() and any(c.isalpha() for c in t.text)


def _generic(t: Token) -> bool:
    return _word(t) in GENERIC_WORDS or t.is_stop


def _sentence_initial(doc: Doc, i: int) -> bool:
    """Whether token *i* opens its sentence (after any quotes or brackets), where every word is capitalised."""
    j = i - 1
    while j >= 0 and doc[j].text in _OPENERS and not doc[j].is_sent_start:
        j -= 1
    if j < 0 or doc[i].is_sent_start:
        return True
    return doc[j].text in _OPENERS and doc[j].is_sent_start or doc[j].text in {".", "!", "?", ":", "\n", "\n\n"}


def _surname(doc: Doc, start: int, end: int) -> bool:
    """One title word standing alone as a surname: "the murder of King in Memphis" (not "the King", not "President
    of the Senate", not opening a sentence)."""
    return (
        end - start == 1
        and doc[start].pos_ == "PROPN"
        and start > 0
        and doc[start - 1].lower_ not in _DETERMINERS
        and not _sentence_initial(doc, start)
        and (end == len(doc) or (doc[end].lower_ not in _OFFICE_OF and not _capitalised(doc[end])))
    )


def looks_like_name(doc: Doc, start: int, end: int) -> bool:
    """Whether ``doc[start:end]`` may become a new actor: a capitalised word that is no title or generic noun, no
    single sentence-opening word that spaCy does not take for a proper name, no bare initials, and no piece of a
    longer name (glued, without punctuation, to another capitalised word, unless spaCy reads the two as names of
    different kinds, "the U.S. Navy", or a title opens the next name, "Illinois Gov. James Thompson")."""
    toks = doc[start:end]
    if not len(toks):
        return False
    caps = [t for t in toks if _capitalised(t)]
    if not caps or all(_generic(t) for t in caps):
        return False  # "Agency", "Research", "The State"
    if all(_generic(t) or _word(t) in TITLE_WORDS for t in caps) and not _surname(doc, start, end):
        return False  # "President", "Emperor", "Sen.", "Prime Minister", "Research and Advocacy Director"
    first, last = toks[0], toks[-1]
    if (
        len(toks) == 1
        and not first.is_upper
        and _sentence_initial(doc, start)
        and first.pos_ != "PROPN"
    ):
        return False  # "Research shows ...": a common noun capitalised because it opens the sentence
    if toks.text in NON_ACTOR_ABBREVIATIONS or (toks.text.isupper() and thing_abbreviation(toks.text, doc_text(doc))):
        return False  # "RGB", "ICT"; "Binge eating disorder (BED)": things, as for the actor layer
    if _INITIALS.fullmatch(toks.text):
        return False  # "S.D.", "N.M.": initials say which name only beside it ("SIOUX FALLS , S.D.")
    for k, own in ((start - 1, first), (end, last)):
        if not 0 <= k < len(doc):
            continue
        t = doc[k]
        if not _capitalised(t) or (k == start - 1 and _sentence_initial(doc, k)):
            continue
        if own.ent_type_ and t.ent_type_ and t.ent_type_ != own.ent_type_:
            continue  # two names side by side: "the U.S. Navy"
        if _word(t) in TITLE_WORDS and own.ent_type_ not in ("", "NORP"):
            continue  # a title opens the next name: "Illinois Gov. James Thompson"
        if len(t) > 1 and len(own) > 1 and t.is_upper != own.is_upper and t.is_alpha and own.is_alpha:
            continue  # the case changes between two names: "Moscow INTERFAX in English"
        return False  # "Roman" in "Roman Emperor Julius Caesar", "Agency" in "United States Agency for ..."
    return True
