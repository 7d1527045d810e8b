"""Word lists and name tests of the actor resolver: what makes a name an organisation's, a person's, a group's."""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

_ORG_WORDS = frozenset(
    """studios studio group bank corp corp. corporation inc inc. co co. company ltd ltd. llc plc news times post
    center centre university association party council ministry department court committee foundation institute
    agency army force forces club entertainment animation media capital partners securities holdings airlines
    airways motors energy systems technologies technology labs games records music channel network fund league
    union service services commission office authority board school college hospital church magazine journal
    review press report herald tribune gazette daily weekly awards cup finals open festival street avenue road
    square park bay river valley county city state island islands mountains productions pictures films hotel
    stadium arena hall house senate assembly parliament police guard command brigade battalion squad team
    republic kingdom federation alliance front movement coalition organization organisation strip bank coast
    sea gulf desert heights corridor border crossing camp base zone region province district airport port
    bridge tower mall market exchange index fc united city""".split()
)
# Words that may start a name in lower case ("de Gaulle", "van der Leyen", "al-Assad").
_NAME_PARTICLES = frozenset({"de", "van", "von", "der", "den", "da", "di", "du", "del", "la", "le", "al", "bin", "ibn",
                             "ben", "el", "y", "of", "the", "and", "for", "&"})
_GENERIC_ORG_SUFFIX = frozenset({"news", "inc", "inc.", "corp", "corp.", "co", "co.", "corporation", "company",
                                 "group", "ltd", "ltd.", "llc", "plc", "holdings", "international", "records",
                                 "label"})


def without_generic_ending(words: list[str], keep: frozenset[str] = frozenset()) -> list[str]:
    """A firm's name without the generic words that end it ("Walt Disney Co." -> "Walt Disney", "Big Machine Label
    Group" -> "Big Machine"), always one word at least; words in ``keep`` stay ("news": "Fox News" is not Fox)."""
    k = len(words)
    while k > 1 and (w := words[k - 1].lower().strip(",")) in _GENERIC_ORG_SUFFIX and w not in keep:
        k -= 1
    return words[:k]


# Consumer product lines that news about technology names as if they were firms ("the MacBook Pro", "Stadia"):
# a name that starts with one is a product, never an actor. Names that are also people's or firms' names stay
# out ("Alexa", "Galaxy", "Surface", "Echo", "Pixel").
PRODUCT_LINES = (
    "iPhone", "iPad", "iPod", "MacBook", "iMac", "Mac Pro", "Mac mini", "AirPods", "Apple Watch", "HomePod",
    "Touch Bar", "Magic Keyboard", "Magic Mouse", "Stadia", "Chromecast", "Kindle", "Xbox", "PlayStation",
    "Android Auto", "CarPlay", "Echo Dot", "Fire TV",
)


_PRODUCTS_LOWER = tuple(p.lower() for p in PRODUCT_LINES)
# Products, services and features named alone, never as the start of a longer name: "Siri" is also a first name
# ("Siri Hustvedt"), "Retina" a word of anatomy.
PRODUCT_NAMES = frozenset(
    {"siri", "homekit", "retina", "facetime", "imessage", "face id", "touch id", "macos", "ios", "ipados", "watchos",
     "airplay", "google assistant", "bixby", "cortana", "gmail", "altima", "maxima", "sylphy", "camry", "corolla",
     "prius"}
)
# What news names like an actor and is none: pathogens and diseases, a process, an epoch ("Yersinia pestis", "the
# Black Death", "Brexit", "the Big Bang").
THING_NAMES = frozenset(
    {"yersinia", "yersinia pestis", "black death", "bubonic plague", "ebola", "zika", "salmonella", "listeria",
     "e. coli", "mrsa", "covid", "covid-19", "sars", "mers", "h1n1", "h5n1", "brexit", "big bang"}
)


def load_gazetteer_entries() -> list[dict]:
    """The shipped actor gazetteer (``data/gazetteer.json``)."""
    with resources.files("presslens").joinpath("data/gazetteer.json").open(encoding="utf-8") as f:
        return json.load(f)["actors"]


@lru_cache(maxsize=1)
def _country_words() -> frozenset[str]:
    """The gazetteer's countries named in one word (names and aliases, lower case)."""
    entries = load_gazetteer_entries()
    names = (n for e in entries if e.get("kind") == "country" for n in [e.get("name", ""), *(e.get("aliases") or [])])
    return frozenset(n.lower() for n in names if " " not in n and len(n) >= 4)


def demonym(word: str) -> bool:
    """ "Nigerian", "Chinese", "Israeli": the adjective of a country the gazetteer knows (the country's name
    less its last letter, then -an, -ese, -i or -ish), written with a capital."""
    low = word.lower()
    if not word[:1].isupper() or not low.endswith(("an", "ese", "i", "ish")):
        return False
    return any(low != c and low.startswith(c[:-1] if len(c) >= 5 else c) for c in _country_words())


def place_start(doc: Any, start: int) -> int:
    """Where a place name beginning at token *start* really begins: "ST. JOSEPH", "FT. WORTH" in a dateline, where
    the tagger took only the last word (the tokenizer splits "ST" from its dot)."""
    if start > 1 and doc[start - 1].text == "." and doc[start - 2].text in ("ST", "FT", "MT"):
        return start - 2
    return start


# Market indices, never actors ("the Dow Jones Industrial Average fell", "the Sensex rose"); bare "Nasdaq" and "Dow"
# are also firms and stay.
MARKET_INDICES = frozenset(
    (
        "dow jones industrial average", "nasdaq composite", "s&p 500", "sensex", "bse sensex", "nifty", "nifty 50",
        "nse nifty", "ftse 100", "ftse 250", "dax", "nikkei", "nikkei 225", "hang seng", "cac 40", "stoxx 600",
        "euro stoxx 50", "russell 2000", "kospi", "shanghai composite", "topix", "asx 200", "hsi", "djia", "shcomp",
    )
)  # fmt: skip
# Names of events, never actors unless they speak ("the Dubai Air Show", "the Davis Cup Finals"): the last word of the
# name. Not "festival" (a festival is often its organisers: "the Amsterdam Light Festival" commissions works).
EVENT_WORDS = frozenset(
    """show finals final expo olympics paralympics marathon tournament championship championships cup awards
    summit""".split()
)


def market_index(name: str) -> bool:
    """ "Dow Jones Industrial Average", "Sensex", "Kospi Index", "Shanghai Composite (SHCOMP": a market index."""
    low = " ".join(name.lower().split()).removeprefix("the ").split(" (")[0]
    return low in MARKET_INDICES or low.removesuffix(" index") in MARKET_INDICES


def event_name(name: str) -> bool:
    """ "Dubai Air Show", "Davis Cup", "Davis Cup Finals": a name of two words or more ending in an event word."""
    words = name.split()
    return len(words) >= 2 and words[-1].lower() in EVENT_WORDS


def product_name(name: str) -> bool:
    """ "MacBook Pro", "iPad Pro and MacBook Pro", "Stadia Game Streaming Service", "Xbox One": a product."""
    bare = name[6:] if name.startswith("Apple ") and not name.startswith("Apple Watch") else name
    low = bare.lower()
    if low in PRODUCT_NAMES:
        return True
    return any(low == p or low.startswith(p + " ") or low.startswith(p + "s") for p in _PRODUCTS_LOWER)


def thing_name(name: str) -> bool:
    """ "Yersinia", "Black Death", "Brexit": a disease, a pathogen, a process or an epoch, named as if an actor."""
    return " ".join(name.lower().split()).removeprefix("the ") in THING_NAMES


# Abbreviations of things, titles and measures, never an actor on their own ("the IPO", "a CT scan", "HPV").
NON_ACTOR_ABBREVIATIONS = frozenset(
    """CEO COO CFO CTO CMO IPO GDP CPI ETF VAT CT MRI HPV HIV DNA RNA PTSD TV PC PE TD QB MVP ST WTF LOL OMG FAQ
    PDF URL USB USB-C GPS AI VR EV SUV ATM ID DIY MPH MPG AM PM ET PT GMT UTC OTC API NFT CBD THC ICU ER GB MB TB
    RAM CPU GPU FPS SSD HDD HDMI LED LCD OLED DVI AC AWD RWD FWD RRP MSRP RTB ICT ECG EKG PET RGB IPS VOD SIM GSM
    LTE CTR CPM ROI HDR LAN WAN LB CB PBU TFL ERA ASAP""".split()
)


def thing_abbreviation(name: str, text: str) -> bool:
    """An abbreviation or a word in capitals that names a thing, not an actor, in this article's *text*: one
    the article spells out in lower-case words ("Binge eating disorder (BED)", "FIRE (financial independence,
    retire early)"; "World Health Organization (WHO)" stays), or a word of four letters or more written once in
    capitals that the article also writes in lower case ("GET OUT and VOTE", "In the PLAN stage")."""
    if not re.fullmatch(r"[A-Z]{2,8}", name):
        return False
    n = len(name)
    word = r"[A-Za-z][\w'-]*"
    spelled = []  # the words of each spelling-out: before "(BED)", or inside "FIRE (...)"
    if f"({name})" in text:
        for m in re.finditer(rf"((?:{word}[ ,]+){{{n}}})\({name}\)", text):
            spelled.append(re.findall(word, m.group(1))[-n:])
    if f"{name} (" in text:
        for m in re.finditer(rf"\b{name} \(((?:{word}[ ,]+){{{n - 1}}}{word})", text):
            spelled.append(re.findall(word, m.group(1))[:n])
    for words in spelled:
        initials = "".join(w[0] for w in words).upper()
        if initials == name and all(w[0].islower() for w in words[1:]):  # the first may open a sentence
            return True
    if n >= 4 and len(re.findall(rf"\b{name}\b", text)) == 1:
        return re.search(rf"\b{name.lower()}\b", text) is not None
    return False


_PARTY_STATE = re.compile(r"\b([RDI])-([A-Z][A-Za-z.]{1,6}(?:\s?[A-Z][a-z]*\.)?)")
_PARTIES = {"R": "Republican", "D": "Democrat", "I": "Independent"}
US_STATES = {
    "Ala.": "Alabama", "Ariz.": "Arizona", "Ark.": "Arkansas", "Calif.": "California", "Colo.": "Colorado",
    "Conn.": "Connecticut", "Del.": "Delaware", "Fla.": "Florida", "Ga.": "Georgia", "Ill.": "Illinois",
    "Ind.": "Indiana", "Kan.": "Kansas", "Ky.": "Kentucky", "La.": "Louisiana", "Md.": "Maryland",
    "Mass.": "Massachusetts", "Mich.": "Michigan", "Minn.": "Minnesota", "Miss.": "Mississippi", "Mo.": "Missouri",
    "Mont.": "Montana", "Neb.": "Nebraska", "Nev.": "Nevada", "N.H.": "New Hampshire", "N.J.": "New Jersey",
    "N.M.": "New Mexico", "N.Y.": "New York", "N.C.": "North Carolina", "N.D.": "North Dakota", "Okla.": "Oklahoma",
    "Ore.": "Oregon", "Pa.": "Pennsylvania", "R.I.": "Rhode Island", "S.C.": "South Carolina", "S.D.": "South Dakota",
    "Tenn.": "Tennessee", "Vt.": "Vermont", "Va.": "Virginia", "Wash.": "Washington", "W.Va.": "West Virginia",
    "Wis.": "Wisconsin", "Wyo.": "Wyoming", "Alaska": "Alaska", "Hawaii": "Hawaii", "Idaho": "Idaho", "Iowa": "Iowa",
    "Maine": "Maine", "Ohio": "Ohio", "Texas": "Texas", "Utah": "Utah",
}
# The states' postal codes: "Phoenix, AZ" in a listing is a place's state, no actor
US_POSTAL_CODES = frozenset(
    """AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK
    OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC""".split()
)
_GROUP_NOUNS = frozenset(
    """mps lawmakers legislators officials leaders senators ministers voters members supporters politicians activists
    protesters troops soldiers militants fighters rebels officers diplomats delegates representatives backbenchers
    peers councillors councilors candidates residents workers donors""".split()
)
_PUBLICATION_WORDS = frozenset({"times", "post", "journal", "tribune", "herald", "globe", "guardian", "telegraph",
                                "independent", "examiner", "chronicle", "inquirer", "gazette", "observer"})
_KNOWN_ORGS = frozenset(
    """twitter facebook instagram youtube netflix tiktok weibo wechat reddit snapchat whatsapp tumblr spotify
    linkedin google amazon apple microsoft alibaba tencent uber airbnb hulu""".split()
)


def known_organisation(name: str) -> bool:
    """A platform or firm everyone knows by one name ("Netflix", "Twitter"), never a person's name."""
    return name.strip().lower() in _KNOWN_ORGS


# the last word of a place's name, never of a person's ("Cameron Parish", "Harris County", "Loei Province")
PLACE_SUFFIXES = frozenset(
    """parish county province township valley district prefecture oblast borough municipality governorate
    region""".split()
)
_LOCATIVE = frozenset({"in", "at", "near", "from", "outside", "inside", "to", "into", "across", "around"})


def _title_cased(line: str) -> bool:
    """A headline in title case ("Khamenei Blames U.S. for Unrest"), not a first sentence."""
    words = [w for w in line.split() if w[:1].isalpha() and len(w) > 3]
    return bool(words) and sum(w[:1].isupper() for w in words) >= 0.7 * len(words)


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Lower-cased first names (the coreference stage's lexicon, ``data/coref/first_names.tsv.gz``), or none."""
    path = resources.files("presslens").joinpath("data/coref/first_names.tsv.gz")
    if not path.is_file():
        return frozenset()
    with gzip.open(path.open("rb"), "rt", encoding="utf-8") as f:
        return frozenset(line.split("\t", 1)[0] for line in f if line.strip())


def looks_like_person(words: list[str]) -> bool:
    """ "Marcelo Claure", "Megan Davies": two or three capitalised words, the first a known first name, the last
    no word of organisations or places."""
    if not (2 <= len(words) <= 3) or not all(w[:1].isupper() and w.replace("-", "").replace("'", "").isalpha()
                                              for w in words):
        return False
    if words[-1].lower() in _ORG_WORDS | _PUBLICATION_WORDS or any(w.isupper() and len(w) > 1 for w in words):
        return False
    return words[0].lower() in first_names()


# Short forms of English first names ("Pat Carlineo" is "Patrick W. Carlineo"): short form -> full forms.
NICKNAMES: dict[str, frozenset[str]] = {
    k: frozenset(v.split())
    for k, v in {
        "pat": "patrick patricia", "bill": "william", "will": "william", "billy": "william", "bob": "robert",
        "rob": "robert", "bobby": "robert", "mike": "michael", "jim": "james", "jimmy": "james", "tom": "thomas",
        "dick": "richard", "rick": "richard", "rich": "richard", "joe": "joseph", "dan": "daniel", "danny": "daniel",
        "dave": "david", "chris": "christopher christine christina", "steve": "steven stephen", "tony": "anthony",
        "ed": "edward edwin", "eddie": "edward", "ted": "edward theodore", "al": "albert alan allen alfred",
        "ben": "benjamin", "sam": "samuel samantha", "alex": "alexander alexandra", "andy": "andrew",
        "nick": "nicholas", "matt": "matthew", "pete": "peter", "greg": "gregory", "jeff": "jeffrey", "ken":
        "kenneth", "ron": "ronald", "don": "donald", "larry": "lawrence", "jerry": "gerald jerome", "tim":
        "timothy", "liz": "elizabeth", "beth": "elizabeth", "kate": "katherine catherine kathryn", "katie":
        "katherine catherine", "sue": "susan", "jen": "jennifer", "jenny": "jennifer", "meg": "margaret",
        "peggy": "margaret", "chuck": "charles", "charlie": "charles", "hank": "henry", "jack": "john", "johnny":
        "john", "fred": "frederick", "frank": "francis franklin", "gene": "eugene", "walt": "walter", "vince":
        "vincent", "zach": "zachary", "nate": "nathan nathaniel", "jon": "jonathan", "abby": "abigail", "becky":
        "rebecca", "vicky": "victoria", "nancy": "ann anne", "sandy": "sandra", "cindy": "cynthia",
    }.items()
}  # fmt: skip


def same_first_name(a: str, b: str) -> bool:
    """ "Pat" and "Patrick", "Bill" and "William", "P." and "Patrick": one first name written two ways."""
    a, b = a.lower().rstrip("."), b.lower().rstrip(".")
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return b in NICKNAMES.get(a, ()) or a in NICKNAMES.get(b, ())


def not_a_person(doc: Any, ents: list[Any], word: str, memo: dict[str, Any] | None = None) -> str | None:
    """The label a one-word name tagged PERSON should have when the article shows it is no person: a place the
    entity tagger calls a place more often than a person ("Delhi", with "Delhi's" tagged PERSON twice and "Delhi"
    a place 26 times) gets "GPE"; a word the article writes as "the Moon", "the Gateway", "the Browns" (a head
    noun after "the", not "the Trump administration") gets "GPE", or "ORG" for a plural (a team). None when it
    may be a person: part of a longer person's name, or never after "the". *memo* keeps the answers, and what
    they are read from, for one document."""
    memo = {} if memo is None else memo
    if word not in memo:
        if "\0" not in memo:
            memo["\0"] = _person_context(doc, ents)
        memo[word] = _not_a_person(doc, word, *memo["\0"])
    return memo[word]


def _person_context(doc: Any, ents: list[Any]) -> tuple[set[str], dict[tuple[str, bool], int], dict[str, list[int]]]:
    """Read once per document: the last words of persons' names of several words, the entity tagger's votes
    (name, is a place) -> count, and each word's token positions."""
    from spacy.attrs import ORTH

    from presslens.text.tokens import token_strings

    surnames = set()
    for e in ents:
        words = [t.text for t in e if t.text not in ("'s", "’s") and not t.is_punct]
        if e.label_ == "PERSON" and len(words) > 1:
            surnames.add(words[-1])  # "Pat Maroon's ... Maroon": a surname
    votes: dict[tuple[str, bool], int] = {}
    for e in doc.ents:
        if e.label_ in ("PERSON", "GPE", "LOC"):
            key = (e.text.removesuffix("’s").removesuffix("'s"), e.label_ != "PERSON")
            votes[key] = votes.get(key, 0) + 1
        elif e.label_ == "ORG" and len(e) and e[-1].is_alpha and not any(t.text == "," for t in e):
            key = ("\0" + e[-1].text, True)  # "FC Porto": Porto ends an organisation's name
            votes[key] = votes.get(key, 0) + 1
            words = [t for t in e if t.text not in ("'s", "’s")]
            if 2 <= len(words) <= 3 and all(t.is_alpha and t.is_title for t in words):
                key = ("\0" + words[-1].text, False)  # "Scooter Braun", "Montell Figgins" tagged ORG: a surname
                votes[key] = votes.get(key, 0) + 1
    where: dict[str, list[int]] = {}
    for i, w in enumerate(token_strings(doc, (ORTH,))[0]):
        where.setdefault(w, []).append(i)
    return surnames, votes, where


def _not_a_person(
    doc: Any, word: str, surnames: set[str], votes: dict[tuple[str, bool], int], where: dict[str, list[int]]
) -> str | None:
    if word in surnames:
        return None
    if votes.get((word, True), 0) > votes.get((word, False), 0):
        return "GPE"
    org = votes.get(("\0" + word, True), 0)
    if org and not votes.get(("\0" + word, False)) and org >= 2 * votes.get((word, False), 0):
        return "ORG"  # "managed Porto" beside "FC Porto" twice
    toks = [doc[i] for i in where.get(word, [])]
    if (
        word.endswith("s")
        and any(t.pos_ == "PROPN" and t.i != t.sent.start for t in toks)  # a name, not "Specs include"
        and sum(_subject_number(t) for t in toks) > 0
    ):
        return "ORG"  # "Spurs have won just five matches": a team, not one person ("Figgins says": one)
    # a head noun, not a modifier of a noun after it ("the Nixon and Clinton impeachment processes")
    heads = [t for t in toks if not (t.head.i > t.i and t.head.pos_ in ("NOUN", "PROPN"))]
    the = 0
    for t in heads:
        while t.dep_ == "conj" and t.head.i < t.i:
            t = t.head  # "The Steelers and Browns"
        the += t.i > 0 and doc[t.i - 1].lower_ == "the"
    if not heads or the * 2 < len(heads):
        return None
    return "ORG" if word.endswith("s") else "GPE"


def _subject_number(t: Any) -> int:
    """1 when *t* is the subject of a verb in the plural ("Spurs have won", "the Browns were"), -1 in the
    singular ("Figgins says", "was"), else 0."""
    if t.dep_ != "nsubj":
        return 0
    verb = t.head
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
    first = aux[0] if aux else verb
    if first.tag_ == "VBP" or first.lower_ == "were":
        return 1
    return -1 if first.tag_ == "VBZ" or first.lower_ == "was" else 0


# Nouns a name before them makes a place of: "the city's Hoa Lo prison", "Forest Hill police".
_STATE_NAMES = frozenset(US_STATES.values())
_PLACE_HEADS = frozenset(
    "prison jail airport stadium arena hospital bridge street road avenue highway park river lake mountain valley "
    "county district province township village neighborhood neighbourhood suburb".split()
)


def named_as_place(doc: Any, s: int, e: int) -> bool:
    """A name the words around it make a place: a hometown after an age ("Ryan S. Hollman 31, of Hope",
    "Christopher L. Tays, 32, of Franklin"), "Amritsar-based", a town before its state ("Cuyahoga Falls, OH"), or a
    name modifying a place noun ("Hoa Lo prison")."""
    if s >= 3 and doc[s - 1].lower_ == "of" and doc[s - 2].text == "," and doc[s - 3].like_num:
        return True
    if e + 1 < len(doc) and doc[e].text == "-" and doc[e + 1].lower_ == "based":
        return True
    if (
        e + 1 < len(doc)
        and doc[e].text == ","
        and (doc[e + 1].text in US_STATES or doc[e + 1].text in US_POSTAL_CODES or doc[e + 1].text in _STATE_NAMES)
        and not (e + 2 < len(doc) and doc[e + 2].tag_ == "POS")
        and doc[s].lower_ not in first_names()
    ):
        return True  # "Cuyahoga Falls, OH", "Sioux Falls, S.D.": a town and its state
    last = doc[e - 1]
    return last.dep_ == "compound" and last.head.i >= e and last.head.lower_ in _PLACE_HEADS


# Words of organisations and places that are also surnames.
_SURNAME_LIKE = frozenset(
    "hall house church bank banks park court post press street bay camp bridge tower port coast guard city".split()
)


def kind_by_last_word(text: str, label: str) -> str:
    """A name the tagger called a person whose last word is an organisation's or a newspaper's ("San Francisco
    Chronicle", "Masten Space Systems", "Balmond Studio") is an organisation; one ending with a word of places
    ("Marronnier Park", "Cameron Parish") a place; unless it reads as a first name and a surname ("Andrew Hall").
    Other labels are kept."""
    words = text.split()
    if label == "ORG" and len(words) >= 2 and (
        words[-1].lower() in _VENUE_WORDS or " ".join(words[-2:]).lower() in _VENUE_PAIRS
    ):
        return "GPE"  # "PNC Music Pavilion", "USANA Amphitheatre", "PNC Bank Arts Center": a venue is a place
    if label != "PERSON" or len(words) < 2:
        return label
    last = words[-1].lower().strip(".")
    if last in _SURNAME_LIKE and words[0].lower() in first_names():
        return label  # "Andrew Hall", "Margaret Court": a first name and a surname
    if last in PLACE_SUFFIXES or last in _PLACE_HEADS:
        return "GPE"
    return "ORG" if last in _ORG_WORDS or last in _PUBLICATION_WORDS else label


# Venues, places whatever the tagger says ("Ameris Bank Amphitheatre", "BB&T Pavilion"); not "center" alone ("Pew
# Research Center" is an organisation) nor "theater" (a theatre company).
_VENUE_WORDS = frozenset(
    "amphitheatre amphitheater pavilion arena stadium ballpark coliseum colosseum speedway raceway fairgrounds".split()
)
_VENUE_PAIRS = frozenset({"music center", "arts center", "events center", "convention center", "music park"})

_ORG_OR_PLACE_WORDS = _ORG_WORDS | _PUBLICATION_WORDS | PLACE_SUFFIXES


def org_word_name(name: str) -> bool:
    """A name of several words ending with a word of organisations, newspapers or places ("White House",
    "Washington Post", "Masten Space Systems")."""
    words = name.split()
    return len(words) > 1 and words[-1].lower().strip(".") in _ORG_OR_PLACE_WORDS


def in_newspaper_name(text: str, end: int) -> bool:
    """The name ending at char *end* of *text* is the first word of a newspaper's ("via USA Today", "told USA
    TODAY"), no mention of the country."""
    return re.match(r"\s(?:Today|TODAY)\b", text[end : end + 7]) is not None


# generational suffixes: "Patrick W. Carlineo Jr." is the "Carlineo" named after him
_NAME_SUFFIXES = frozenset(("jr", "sr", "ii", "iii", "iv"))


def name_suffix(words: list[str]) -> str:
    """The generational suffix ending a person's name of at least three words, lower case ("jr"), else ""
    ("Charles II" and "James II" are kings, not Charles and James)."""
    if len(words) < 3:
        return ""
    last = words[-1].lower().rstrip(",.")
    return last if last in _NAME_SUFFIXES else ""


def without_suffix(words: list[str]) -> list[str]:
    """A person's name words without a generational suffix ("Jr.", "III")."""
    return words[:-1] if name_suffix(words) else words
