#!/usr/bin/env python3
"""Build presslens' packaged actor gazetteer from the Phoenix/CAMEO actor dictionaries.

Usage (from the project root)::

    .venv/bin/python scripts/build_gazetteer.py [--actors ../shared/data/actors]
                                                 [--out src/presslens/data/gazetteer.json] [-v]

Input: the PETRARCH/TABARI-format dictionaries of the Open Event Data Alliance (Phoenix, MIT licence),
dated 2015 and older. Output: ``{"source": ..., "actors": [{"name", "kind", "aliases", "kb_id"}]}``,
one actor per line, curated actors first, then countries, groups and organisations by name. The build
is deterministic (same input files, same bytes out) and uses the standard library only.

Reading the dictionaries (PETRARCH semantics)
    ``#`` (at line start or after whitespace), ``;`` and ``<!-- -->`` start comments; mis-encoded bytes
    are read as cp1252 and phrases that still hold a replacement character are skipped. A record is a
    primary phrase, optional ``+alias`` lines and TAB-indented ``[CODE dates]`` lines. As in PETRARCH's
    reader, uncoded primary phrases that follow one another share the next codes (``THE_UNITED_NATIONS_``,
    ``UN_``, ``U.N._``, ``[IGOUNO]``). ``+`` lines after a record's date lines start a new record if they
    get codes of their own, and go back to the record before otherwise. A ``+`` inside a phrase separates
    two phrases; ``_`` joins words; the trailing ``_`` (exact word) versus its absence (a TABARI stem) is
    ignored, i.e. every stem becomes the exact word, as PETRARCH itself does. A record's *current* code
    is its open-ended (``>date``) or undated code; records whose codes all lie in past date ranges are
    historical and skipped.

Countries (Phoenix.Countries.actors.txt), kind "country", kb_id "cameo:XXX"
    Records that are not people and whose current code is exactly three letters: the lines like
    ``IRAN_  [IRN]``, plus the few that carry the code on a date line (``IRAQ_``, ``UKRAINE_``,
    ``ARMENIA_``: ``[IRQ >...]``); the former come first when two records share a code, the later ones
    (Leipzig -> DEU, Mayotte -> FRA) only give aliases. NON_COUNTRY_CODES (Soviet Union, GDR, Kinakuta,
    ...) are dropped. The dictionary's +aliases mix spelling variants, foreign names, demonyms, cities,
    provinces, landmarks, nicknames, people and parties (FATAH under Palestine). Only *names of the
    country* are kept: the name plus state words ("Islamic Republic of Iran", "State of Israel"), or a
    spelling variant (difflib ratio >= 0.8, same number of words) that is not a demonym (IRANIAN,
    ISRAELIS, AFGHAN, GUERNSEYMEN). Cities and regions are left out on purpose ("Tel Aviv", "Tehran",
    "Gaza", "Charlotte", "Phoenix" are not names of a country and would make false actor matches).
    COUNTRY_NAMES, COUNTRY_ALIASES and COUNTRY_ALIAS_DROP fix display names, add the short forms news
    uses (US, U.S., UK, UAE, DPRK, ...) and drop what review found wrong.

Armed groups (Phoenix.MilNonState.actors.txt, kind "group") and international organisations
(Phoenix.International.actors.txt, current code IGO* or NGO*, kind "organization"; companies (MNC),
media and people are left out)
    Skipped records: people and roles (``PersonKnowledge.is_person``: a title such as SHEIKH/SIR/GENERAL,
    a first name learnt from the dictionaries' person records, an initial such as ``K.``, a phrase known
    as a person, a kunya (ABU_...) or a comment such as "senior leader"; DESCRIPTOR_WORDS such as
    SECRETARY/SPOKESMAN), the KEDS individuals (IMG* codes without an organisation word), organisation
    names with neither an ORG_HEAD_WORDS word nor a linking word (GILLIAN_MELLSOP, UN_RESIDENT), two-letter
    names, JUNK_NAMES (jokes and tests: Torchwood Institute, Ernst Stavro Blofeld), GENERIC_NAMES, and
    names made of everyday words only (``all_common``: "Black Friday", "Red Line", "Direct Action"),
    unless an alias is distinctive, which then becomes the name.
    Aliases: when the head is clearly an organisation (an ORG_HEAD_WORDS word such as BRIGADES, FRONT,
    ARMY, MOVEMENT, PARTY, ORGANIZATION, COUNCIL, FORCES, GROUP, UNION, COMMITTEE, LEAGUE, JIHAD, or a
    transliterated one such as HARAKAT, JAYSH, KATAIB), an alias is kept only if it has such a word too,
    is an acronym, or is a single token; otherwise only person-like aliases are dropped (KHALED_MESHAAL
    under Hamas). Also dropped: one-word aliases that are a surname of the record's person aliases
    (NASRALLAH) or just one word of the name (AL-AQSA), first names, generic words, two-letter
    abbreviations, descriptor aliases (AL_QAIDA-AFFILIATED), aliases made only of generic words that name
    many actors ("National Liberation Movement", "Peoples Liberation Army"), and aliases that need a
    parenthesised qualifier ("NATIONAL_FRONT_(GREECE)"); a name that has one keeps it: "National
    Liberation Army (Colombia)". A parenthesised acronym becomes an alias ("..._(AAIA)").

Casing (``proper_case``)
    Words are capitalised ("HAMAS" -> "Hamas"); the particles of/the/and/for/... are lower case after the
    first word, and Arabic articles before a hyphen always ("AL-QASSAM_BRIGADES" -> "al-Qassam Brigades",
    "IZZ_AD-DIN" -> "Izz ad-Din"); a leading "The" is dropped; ordinals read "20th". A token stays upper
    case when it is an acronym (``is_acronym``): it has dots ("U.N."), is a roman numeral, is in
    KNOWN_ACRONYMS (NATO, UN, ...), or has 2-5 letters and no vowel (PKK), or at most 4 letters with three
    consonants in a row (IRGC), or spells initials of a phrase of the same record (PLO, FARC, PFLP), or
    (organisation and group records) has a letter pattern English words lack (``unpronounceable``: OAU,
    CFMSA); three-letter aliases are taken as acronyms. Pronounceable words that are not initials become
    title case (HAMAS -> Hamas, FATAH). The source is all upper case, so a one-word organisation name of
    at most 8 letters that is not recognised as an acronym also gets its upper-case form as an alias
    ("Unifem" and "UNIFEM").

Curated block (CURATED below)
    Current actors that the 2015 data lacks or gets wrong. A Phoenix actor whose name or alias equals a
    curated name or alias (compared case-, hyphen- and leading-"the"-insensitively) is dropped in favour
    of the curated one (printed).

Deduplication
    Phoenix actors with the same name and kind are merged. Every name and alias (compared case- and
    hyphen-insensitively) then belongs to one actor only: a string claimed by several actors stays with
    the curated one, or with the actor whose *name* it is, and is dropped elsewhere; when no actor has it
    as its name, it is dropped from all (both cases printed). Within an actor, aliases are unique as
    exact strings (case variants are distinct phrase patterns). Aliases shorter than 2 letters and single
    generic words (GENERIC_WORDS plus every word of Phoenix.agents.txt, with plurals: GOVERNMENT,
    MILITARY, REBELS, POLICE, ARMY, STATE, UNION, FRONT, PARTY, ...) are dropped from Phoenix actors.
    kb_id is "cameo:CODE" when one actor holds the CAMEO code, else "cameo:CODE/slug-of-the-name", so
    kb_ids are unique; curated actors have a CAMEO code where one names exactly that actor, else
    "presslens:slug".
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------------------------------------
# Hand-curated actors: current names the 2015 dictionaries lack or get wrong. These override Phoenix.
# kb_id: the CAMEO code where one names exactly this actor, else a presslens-local id.
# ---------------------------------------------------------------------------------------------------------
CURATED: list[dict] = json.loads((Path(__file__).with_name("gazetteer_curated.json")).read_text(encoding="utf-8"))[
    "actors"
]

# Country display names where the dictionary's head is odd, long, misspelt or out of date
# (the dictionary's own head stays an alias when it passes the alias rules).
COUNTRY_NAMES: dict[str, str] = {
    "USA": "United States",
    "GBR": "United Kingdom",
    "RUS": "Russia",
    "ZAF": "South Africa",
    "TZA": "Tanzania",
    "BRN": "Brunei",
    "MDG": "Madagascar",
    "KNA": "Saint Kitts and Nevis",
    "COG": "Republic of the Congo",
    "COD": "Democratic Republic of the Congo",
    "CIV": "Ivory Coast",
    "TMP": "East Timor",
    "GNB": "Guinea-Bissau",
    "PRK": "North Korea",
    "KOR": "South Korea",
    "LAO": "Laos",
    "FSM": "Micronesia",
    "SWZ": "Eswatini",
    "MKD": "North Macedonia",
    "CPV": "Cape Verde",
    "CZE": "Czech Republic",
    "PSE": "Palestine",
    "ARE": "United Arab Emirates",
    "VNM": "Vietnam",
    "MMR": "Myanmar",
    "SYR": "Syria",
}

# Names of a country that news uses and the similarity rule cannot find (short forms, former names).
COUNTRY_ALIASES: dict[str, list[str]] = {
    "USA": ["United States of America", "US", "U.S.", "USA", "U.S.A.", "America"],
    "GBR": ["UK", "U.K.", "Britain", "Great Britain"],
    "RUS": ["Russian Federation"],
    "ARE": ["UAE", "U.A.E."],
    "PRK": ["DPRK", "Democratic People's Republic of Korea"],
    "KOR": ["Republic of Korea"],
    "COD": ["DRC", "DR Congo", "Congo-Kinshasa"],
    "COG": ["Congo-Brazzaville", "Congo Republic"],
    "CIV": ["Cote d'Ivoire", "Côte d'Ivoire"],
    "TMP": ["Timor-Leste"],
    "SWZ": ["Swaziland"],
    "MKD": ["Macedonia"],
    "CPV": ["Cabo Verde"],
    "CZE": ["Czechia"],
    "TUR": ["Türkiye", "Turkiye"],
    "MMR": ["Burma"],
    "NLD": ["Holland", "The Netherlands"],
    "IRN": ["Islamic Republic of Iran"],
    "SYR": ["Syrian Arab Republic"],
    "PSE": ["State of Palestine"],
    "VAT": ["Holy See", "Vatican City"],
}

# Country codes in the file that are not current sovereign states (or are fictitious).
NON_COUNTRY_CODES = frozenset({"SUN", "DDR", "CSK", "YUG", "SCG", "KNT"})

# Words that make a phrase an organisation ("clearly an organisation" test), English and transliterated.
ORG_HEAD_WORDS = frozenset(
    """
    ACADEMY AGENCY AID ALLIANCE ARMY ARMIES ASSEMBLY ASSOCIATION AUTHORITY BANK BATTALION BATTALIONS BLOC
    BOARD BRIGADE BRIGADES BUREAU CAMPAIGN CELL CELLS CENTER CENTRE CHURCH COALITION COLLEGE COMMAND
    COMMANDO COMMANDOS COMMISSION COMMITTEE COMMITTEES COMMUNITY COMPANY CONFERENCE CONFEDERATION CONGRESS
    CORPS COUNCIL COURT CRESCENT CROSS DIVISION FACTION FEDERATION FIGHTERS FORCE FORCES FORUM FOUNDATION
    FRONT FUND GROUP GROUPS GUARD GUARDS INITIATIVE INSTITUTE INSTITUTION INTERNATIONAL JIHAD LEAGUE LEGION
    LIBERATION MILITIA MISSION MOVEMENT MUJAHEDIN MUJAHIDEEN MUJAHIDIN NETWORK NUCLEI NUCLEUS OFFICE
    ORGANISATION ORGANIZATION PARLIAMENT PARTNERSHIP PARTY PROGRAM PROGRAMME PROJECT REGIMENT REGIMENTS
    RESISTANCE SECRETARIAT SERVICE SERVICES SOCIETY SQUAD SQUADS TALIBAN TRIBUNAL TRUST UNION UNIT UNITS
    UNIVERSITY WATCH
    HARAKAT HARAKAH HARAKA HIZB HEZB JAMAAT JAMAAH JAMA'AT JAMAA JAISH JAYSH JAYSHUL KATAIB KATA'IB
    KATAEB LASHKAR LASKAR LIWA SARAYA TANZIM TANZEEM JABHAT JABHA JABHAH ANSAR MUNAZZAMAT MUNAZZAMAH TEHRIK
    TEHREEK TAHRIK JEMAAH JAMAAH JAMA'AH GAMA'A KUMPULAN QAEDA QAIDA QA'IDA QAI'DAH QA'EDA
    PANEL TREATY COMMONWEALTH FRANCOPHONIE FELLOWSHIP RELIEF BORDERS FRONTIERES HOUSE RIGHTS CHAMBER INC
    ASOCIACION ASSOCIAZIONE ASSOCIACAO ASSOCIATIE CENTRO CENTRUM AGENCE AGENCIA COMITE COMITATO COMISION
    CONSEJO CONSEIL FUNDACION FUNDACAO FONDATION FONDAZIONE STICHTING STIFTUNG BUND VEREIN INSTITUT
    INSTITUTO ISTITUTO ORGANIZACION ORGANIZZAZIONE FEDERACION FEDERAZIONE UNIONE SOCIEDAD SOCIETE SOCIETA
    MOVIMIENTO MOUVEMENT MOVIMENTO FRENTE FRONTE ARMEE EJERCITO ESERCITO PARTIDO PARTITO PARTI GRUPO GRUPPO
    GROUPE BRIGADA BRIGATE COMANDO CONSORZIO AKTION HILFE MEDICOS MEDECINS ACCION CLUB CORPORATION WITNESS
    CHARITIES CROIX CRUZ KREUZ OLYMPICS SORORITY FRATERNITY CONSORTIUM INTERNATIONALIS INTERNACIONAL
    INTERNATIONALE WORLDWIDE VISION
    """.split()
)

# Words that make a phrase a role, a descriptor or a fragment rather than a name of the actor.
DESCRIPTOR_WORDS = frozenset(
    """
    RAPPORTEUR AFFILIATED AFFILIATE LINKED OPERATIVES OPERATIVE OFFSHOOT MEMBERS MEMBER SUPPORTERS LEADER
    LEADERS LEADERSHIP SPOKESMAN SPOKESPERSON SPOKESWOMAN CHIEF CHAIRMAN CHAIRWOMAN CHAIR PRESIDENT VICE
    SECRETARY SECRETARY-GENERAL DIRECTOR DIRECTOR-GENERAL COMMANDER HEAD ENVOY AMBASSADOR REPRESENTATIVE
    COMMISSIONER DELEGATE DELEGATION OFFICIAL OFFICIALS MILITANTS MILITANT GUNMEN FOUNDER EMIR SECY SEC. GEN
    BASED
    QATAR-BASED HAGUE-BASED LONDON-BASED GENEVA-BASED
    """.split()
)

# Titles that start a person's name.
TITLES = frozenset(
    """
    SHEIKH SHEIK SHAIKH SAYYID SAYYED SEYYED SAYED SYED SIR LORD LADY DAME BARON BARONESS DR DR. PROF
    PROF. GENERAL GEN. GEN COLONEL COL. MAJOR CAPTAIN LIEUTENANT ADMIRAL MARSHAL PRESIDENT PREMIER PRIME
    MINISTER KING QUEEN PRINCE PRINCESS EMIR AMIR AYATOLLAH GRAND IMAM MULLAH MAWLAWI MAULANA HAJI HAJJ
    SENATOR JUDGE MR MR. MRS MRS. MS MS. REV REV. REVEREND FATHER POPE BISHOP ARCHBISHOP CARDINAL SULTAN
    CROWN MADAME MONSIEUR HIS HER SECRETARY-GENERAL JONKHEER
    """.split()
)

# A few first names the dictionaries' person records may not carry often enough.
EXTRA_FIRST_NAMES = frozenset(
    """
    KHALED KHALID HASSAN HASAN HUSSEIN HUSSAIN HOSSEIN IMAD MOHAMMED MOHAMMAD MUHAMMAD MOHAMED AHMED
    AHMAD MAHMOUD MARWAN ISMAIL ISMAIL YAHYA SALEH SALAH ABDEL ABDUL ABDULLAH ABDALLAH OSAMA USAMA
    AYMAN MUSA MOUSSA ISMAIL QASSEM QASEM QASIM NAIM NAEEM ALI OMAR UMAR YOUSSEF YOUSEF YUSUF ZIAD
    FATHI RAMADAN SAMI SAMIR NABIL WALID WAEL HAMZA BAKR JAMAL KAMAL FAWZI FAYEZ SALIM MOKTAR MUKHTAR
    """.split()
)

# Tokens never counted as first names (they start organisation names too).
NOT_FIRST_NAMES = frozenset(
    """
    AL EL LE LA DE DI DA DU THE ABU BEN BIN IBN VAN VON DER DEN SAN SANTA SAINT ST ST. GRAND GREAT NEW
    NORTH SOUTH EAST WEST CENTRAL UNITED NATIONAL ISLAMIC ARAB PEOPLE'S PEOPLES REPUBLIC FREE RED BLACK
    WHITE GREEN ALPHA UNION
    """.split()
)

# Particles written in lower case inside a name (not the first word, except Arabic articles).
LOWER_PARTICLES = frozenset(
    """
    OF THE AND FOR IN ON AT TO BY WITH FROM AGAINST OR A AN AS DE DEL DELA DA DAS DOS DI DU DES LA LE LES
    Y ET E VON VAN DER DEN FI LI WAL WA BIN BINT IBN AL EL
    """.split()
)
ARABIC_ARTICLES = frozenset({"AL", "EL", "AD", "AN", "AR", "AS", "ASH", "AT", "ATH", "AZ", "ADH", "UL", "US"})

# Acronyms that pass no mechanical test (pronounceable, or longer than 5 letters).
KNOWN_ACRONYMS = frozenset(
    """
    UN EU US UK USA NATO OPEC ASEAN UNESCO UNICEF UNHCR UNDP UNEP UNFPA UNRWA UNIFIL UNAMID MONUSCO
    MINUSMA UNMISS IAEA ICC ICJ ICRC IMF WHO WTO WFP FAO ILO ITU IOM OSCE OECD OAS OIC ECOWAS SADC AU
    IGAD ETA IRA PLO PFLP DFLP PKK YPG SDF FARC ELN AQAP AQIM ISIS ISIL NGO GCC BRICS APEC ECB
    """.split()
)

# Single words that must never be an alias on their own (besides every word of Phoenix.agents.txt).
GENERIC_WORDS = frozenset(
    """
    GOVERNMENT MILITARY REBELS REBEL POLICE ARMY ARMIES STATE STATES UNION FRONT PARTY GROUP GROUPS FORCE
    FORCES MOVEMENT COUNCIL COMMITTEE LEAGUE BRIGADE BRIGADES ORGANIZATION ORGANISATION ASSEMBLY CONGRESS
    PARLIAMENT SENATE COURT MINISTRY CABINET REGIME OPPOSITION INSURGENTS MILITANTS GUERRILLAS GUERRILLA
    TERRORISTS RESISTANCE ALLIANCE COALITION NATION NATIONS REPUBLIC KINGDOM EMPIRE FEDERATION
    COMMONWEALTH ASSOCIATION FOUNDATION INSTITUTE CENTER CENTRE AGENCY BANK FUND OFFICE SOCIETY NETWORK
    AUTHORITY ADMINISTRATION COMMISSION TRIBUNAL MISSION CHURCH CAMPAIGN PROJECT JIHAD ISLAM MUSLIMS
    CHRISTIANS JEWS ARABS PEOPLE WORKERS STUDENTS YOUTH WOMEN ACTION STRUGGLE REVOLUTION LIBERATION
    FREEDOM JUSTICE PEACE UNITY SOLIDARITY DEMOCRACY ORDER TRUTH HOPE LIGHT DAWN FUTURE PROGRESS REFORM
    RENEWAL DEVELOPMENT CHANGE VICTORY GLORY HONOR HONOUR DIGNITY BROTHERHOOD MARTYRS MUJAHIDEEN
    COMMANDOS SOLDIERS FIGHTERS VOLUNTEERS PARTISANS PATRIOTS NATIONALISTS COMMUNISTS SOCIALISTS
    ANARCHISTS REVOLUTIONARIES UNITED INTERNATIONAL NATIONAL GLOBAL WORLD EUROPE ASIA AFRICA AMERICAS
    CARE PLAN OXFORD GENERAL SECURITY DEFENSE DEFENCE INTELLIGENCE WAR RED CROSS CRESCENT WATCH
    AID RELIEF RESCUE HEALTH EDUCATION CHILDREN FAMILY FRIENDS SISTERS BROTHERS HOUSE HOME GOD ALLAH
    PROPHET MESSENGER SWORD SHIELD EAGLE EAGLES TIGERS LIONS WOLVES HAWKS FALCONS STAR STARS SUN MOON
    CRESCENT LEGION BATTALION REGIMENT DIVISION UNIT CORPS GUARD GUARDS SQUAD CELL CELLS NUCLEI CIRCLE
    TEMPLE MOSQUE SCHOOL UNIVERSITY COLLEGE ACADEMY HOSPITAL CLINIC MEDIA PRESS NEWS TIMES POST
    """.split()
)

# Everyday words: a Phoenix group/organisation name or alias made only of these (and of GENERIC_WORDS,
# particles and numbers), with no ORG_HEAD_WORDS word, is too generic for a case-sensitive phrase pattern
# ("Black Friday", "Red Line", "Direct Action", "Paradise").
COMMON_WORDS = frozenset(
    """
    BLACK WHITE RED GREEN BLUE ORANGE YELLOW GREY GRAY BROWN PURPLE GOLDEN SILVER JANUARY FEBRUARY MARCH
    APRIL MAY JUNE JULY AUGUST SEPTEMBER OCTOBER NOVEMBER DECEMBER MONDAY TUESDAY WEDNESDAY THURSDAY FRIDAY
    SATURDAY SUNDAY ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE TEN FIRST SECOND THIRD FOURTH FIFTH
    DIRECT IMMEDIATE SECRET HOLY FREE NEW OLD GREAT GREATER TRUE REAL LAST BAD GOOD BIG SMALL LINE FLAG
    BANNER BANNERS HAND HANDS STAR STARS PATH LAND FIRE FIRES FLAME FLAMES HELL PARADISE NIGHT MIDNIGHT DAY
    DAYS MEN MAN SONS DAUGHTERS CHILDREN MASSES SOLDIERS WARRIORS AVENGERS HEROES KNIGHTS PATRIOTS
    VOLUNTEERS POPULAR REVOLUTIONARY PROLETARIAN LEFT RIGHT SOUTH NORTH EAST WEST SOUTHERN NORTHERN
    EASTERN WESTERN PATRIOTIC ARMED WINTER SUMMER SPRING AUTUMN RAGE FURY WRATH ANGER REVENGE VENGEANCE
    MEMORY PERSPECTIVE SOCIALISTS CONQUERORS TORRID UNCONTROLLED FAR FURTHER THUS NO SWORD MACHETE
    CORNERSTONE OLIVE EMETIC INEVITABLES BOOGEYMEN WIDOWS STORM TEMPEST TIGERS PANTHERS COBRA FRIENDSHIP GAS
    CANISTERS
    POLITICAL PRISONERS RELATED ITEMS HAND-MADE MADE COOP SABOTEURS TEAMS TEAM PATROL STREET ENRAGED
    CONSCIOUSLY DECORATORS AUTONOMOUS COLLECTIVE INDOMITABLE MARXISTS ANARCHIST ANARCHISTS NIHILISTS
    VANGUARD RUN TORCH-BEARING BEARING REPRISALS CONTRAS EX-CONTRAS PROVOS HOLDERS RIGHTEOUS NOBLES
    HONORABLES SINS EXODUS REJECTION GOVERNMENT UNDERGROUND ISLAMIC MUSLIM CHRISTIAN JEWISH SUNNI SHIA
    SHIITE ARAB GREEK ITALIAN FRENCH SPANISH GERMAN AMERICAN BRITISH IRISH RUSSIAN TURKISH KURDISH
    IRANIAN IRAQI SYRIAN LEBANESE PALESTINIAN ISRAELI EGYPTIAN AFRICAN ASIAN EUROPEAN LATIN IMPERIAL
    NATIONALIST COMMUNIST SOCIALIST REVOLUTIONARIES COUNTER-REVOLUTIONARIES COUNTERREVOLUTIONARY PEACE
    CONQUEST SONS DAUGHTER MOTHERS FATHERS TRUTH SUPREME MESSAGE SHARP EDGE EDGES GOVERNMENT-IN-EXILE
    PEOPLES MAOIST MARXIST LENINIST DEMOCRATIC LIBERAL CONSERVATIVE PROGRESSIVE POPULAR CITIZEN CITIZENS
    """.split()
)

# Dictionary entries that are jokes, tests or fiction.
JUNK_NAMES = frozenset(
    """
    TORCHWOOD_INSTITUTE ERNST_STAVRO_BLOFELD HONG_KIL_DONG RA'S_AL_GHUL KINAKUTA UP_THE_IRS,_INC.
    SPECTRE
    """.split()
)

# Organisation names that are descriptions rather than names.
GENERIC_NAMES = frozenset(
    """
    HUMAN_RIGHTS_ORGANIZATION INTERNATIONAL_GOVERNMENT_ORGANIZATION NON_GOVERNMENT_ORGANIZATION
    NON_GOVERNMENTAL_ORGANIZATION UN_MISSION INTERNATIONAL_ORGANIZATION ISLAMIC_SOCIETY SECURITY_COUNCIL
    AID_GROUP
    """.split()
)

# Linking words that organisation names without a head word have and personal names do not
# ("Doctors Without Borders", "Accion contra el Hambre", "Mayors for Peace").
NAME_LINKS = frozenset(
    "OF FOR AND THE WITHOUT AGAINST ON IN CONTRA CONTRE DE DEL DELLA DES DU LA LE LOS LAS POUR PARA PER FUR "
    "UND ET Y".split()
)

STATE_WORDS = frozenset(
    """
    THE OF AND REPUBLIC KINGDOM STATE STATES ISLAMIC FEDERAL FEDERATION DEMOCRATIC PEOPLE'S PEOPLES
    SOCIALIST UNITED ARAB COMMONWEALTH PRINCIPALITY GRAND DUCHY SULTANATE EMIRATE EMIRATES HASHEMITE
    BOLIVARIAN PLURINATIONAL ORIENTAL COOPERATIVE INDEPENDENT UNION NATION
    """.split()
)

DEMONYM_SUFFIXES = (
    "IANS",
    "IAN",
    "ANS",
    "AN",
    "ESE",
    "ISH",
    "IS",
    "I",
    "ERS",
    "ER",
    "OIS",
    "AIS",
    "IC",
    "MEN",
    "MAN",
    "ANOS",
    "INOS",
    "IDS",
    "IM",
    "ENE",
    "INE",
    "S",
)

# Country aliases that pass the similarity rule but are other places, demonyms or ambiguous (found on review).
COUNTRY_ALIAS_DROP = frozenset(
    """
    CHILOE BUGANDA URUNDI TAINAN LUXEMBOURG-VILLE HMONGOLIA ROMACEDONIA XANADA MOTSWANA BATSWANA CONGO
    """.split()
)

ABBREVIATIONS = frozenset({"ST", "MT", "FT", "DR", "MR", "MRS", "MS", "JR", "SR", "CO", "LTD", "INC"})

SHORT_ALIAS_MIN = 2
TODAY = 20150101  # the data's horizon: codes open at this date are "current"


# --------------------------------------------------------------------------------------------- reading


@dataclass
class Record:
    file: str
    line: int
    phrases: list[str]  # phrases[0] is the head
    codes: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    headless: bool = False
    closed: bool = False  # an indented [CODE] line has been read

    @property
    def head(self) -> str:
        return self.phrases[0]


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _split_phrases(text: str) -> list[str]:
    return [p.strip() for p in text.split("+") if p.strip().strip("_")]


def read_records(path: Path) -> list[Record]:
    """Parse one PETRARCH actor dictionary into records (see the module docstring)."""
    records: list[Record] = []
    cur: Record | None = None
    in_xml = False
    gap = False  # a blank line since the last phrase or code line
    for lineno, raw in enumerate(path.read_bytes().split(b"\n"), 1):
        line = _decode(raw).rstrip("\r")
        if not line.strip():
            gap = True
            continue
        if in_xml:
            if "-->" not in line:
                continue
            in_xml = False
            line = line[line.index("-->") + 3 :]
        while "<!--" in line:
            start = line.index("<!--")
            end = line.find("-->", start)
            if end < 0:
                line, in_xml = line[:start], True
            else:
                line = line[:start] + line[end + 3 :]
        comment = ""
        m = re.search(r"(^|\s)#|;", line)
        if m:
            comment, line = line[m.start() :].strip(), line[: m.start()]
        text = line.strip()
        if not text:
            continue
        after_gap, gap = gap, False
        if text.startswith("["):
            if cur is not None:
                cur.codes.append(text.strip("[] \t"))
                cur.comments.append(comment)
                cur.closed = True
            continue
        if text.startswith("+") or (line[:1] == "\t" and cur is not None and not cur.closed):
            phrases = _split_phrases(text.lstrip("+"))
            if not phrases:
                continue
            if cur is None or cur.closed:  # aliases after date lines: a provisional headless record
                cur = Record(path.name, lineno, phrases, comments=[comment], headless=True)
                records.append(cur)
            else:
                cur.phrases.extend(phrases)
                cur.comments.append(comment)
            continue
        inline = None
        m = re.search(r"\[([^\]]*)\]", text)
        if m:
            inline, text = m.group(1).strip(), (text[: m.start()] + text[m.end() :]).strip()
        phrases = _split_phrases(text)
        if not phrases:
            continue
        if cur is not None and cur.headless and not cur.codes and len(records) > 1:
            # stray '+' lines after a record's dates, then a new primary: the strays go back
            records.pop()
            records[-1].phrases.extend(cur.phrases)
            records[-1].comments.extend(cur.comments)
            cur = records[-1]
        if cur is not None and not cur.codes and inline is None and not after_gap:
            # PETRARCH: an uncoded primary phrase joins the uncoded record just before it (not across a
            # blank line: MDJT_ ... then MORO_ISLAMIC_LIBERATION_FRONT_ [PHLREB] are two actors)
            cur.phrases.extend(phrases)
            cur.comments.append(comment)
            continue
        cur = Record(path.name, lineno, phrases, codes=[inline] if inline else [], comments=[comment])
        records.append(cur)
    merged: list[Record] = []
    for rec in records:  # uncoded headless records belong to the record before them
        if rec.headless and not rec.codes and merged:
            merged[-1].phrases.extend(rec.phrases)
            merged[-1].comments.extend(rec.comments)
        else:
            merged.append(rec)
    return merged


def _date(text: str) -> int | None:
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 8:
        return int(digits[:8])
    if len(digits) == 6:
        year = int(digits[:2])
        return (2000 + year if year <= 30 else 1900 + year) * 10000 + int(digits[2:])
    return None


def current_code(rec: Record) -> str | None:
    """The record's code at TODAY: an open-ended (>date) or undated code; None if all are past ranges."""
    best: tuple[int, str] | None = None
    for restriction in rec.codes:
        parts = restriction.split(None, 1)
        if not parts:
            continue
        code, rest = parts[0].strip("]"), (parts[1] if len(parts) > 1 else "").strip()
        if not re.fullmatch(r"[A-Z]{3,}", code):
            continue
        if not rest:
            rank = (1, code)  # undated default
        elif rest.startswith(">"):
            start = _date(rest)
            if start is None:
                continue
            rank = (2, code)  # open-ended: wins over an undated default
        elif rest.startswith("<"):
            end = _date(rest)
            if end is None or end < TODAY:
                continue
            rank = (1, code)
        elif "-" in rest:
            end = _date(rest.split("-", 1)[1])
            if end is None or end < TODAY:
                continue
            rank = (1, code)
        else:
            continue
        if best is None or rank[0] > best[0]:
            best = rank
    return best[1] if best else None


# ------------------------------------------------------------------------------------------ word tests


def clean_phrase(phrase: str) -> tuple[str, list[str]]:
    """Normalise a dictionary phrase to underscore-joined words; return it and any parenthesised parts."""
    phrase = phrase.replace("\t", " ").replace(" ", "_")
    inner = re.findall(r"\(([^)]*)\)", phrase)
    phrase = re.sub(r"\([^)]*\)", "_", phrase)
    phrase = phrase.split("(", 1)[0]  # an unclosed parenthesis: drop the rest
    phrase = re.sub(r"(?<=_)-+(?=_)", "", phrase)  # free-standing dashes
    phrase = re.sub(r"_+", "_", phrase).strip("_-, ")
    phrase = re.sub(r"^THE_", "", phrase, flags=re.I)
    return phrase.upper(), [i.strip("_ ").upper() for i in inner if i.strip("_ ")]


def words(phrase: str) -> list[str]:
    return [w for w in phrase.split("_") if w]


def subwords(phrase: str) -> list[str]:
    return [p for w in words(phrase) for p in re.split(r"[-/]", w) if p]


def letters(token: str) -> str:
    return re.sub(r"[^A-Z]", "", token.upper())


def initials(phrase: str, skip_particles: bool) -> str:
    out = []
    for part in subwords(phrase):
        if skip_particles and (part in LOWER_PARTICLES or part in ARABIC_ARTICLES):
            continue
        if letters(part):
            out.append(letters(part)[0])
    return "".join(out)


def is_acronym(token: str, record_initials: set[str] = frozenset()) -> bool:
    """Whether an upper-case dictionary token is an acronym (kept upper case) rather than a word."""
    if re.fullmatch(r"(?:[A-Z]\.){2,}[A-Z]?\.?|(?:[A-Z]{1,2}\.){1,}[A-Z]{1,2}", token):
        return True  # U.N., U.S.A., EE.UU.
    core = letters(token)
    if not core or re.fullmatch(r"[A-Z]{2,}\.", token) or (core in ABBREVIATIONS and core != "MS"):
        return False  # ST. MT. DR.
    if re.match(r"\d", token):
        return False  # 20TH, 1920
    if core in KNOWN_ACRONYMS:
        return True
    if re.fullmatch(r"[IVX]{2,}", core):
        return True  # roman numeral
    if len(core) > 5 or len(core) < 2:
        return False
    if not (set(core) & set("AEIOU")):
        return True  # PKK, RPLP, DHKP
    if len(core) <= 4 and re.search(r"[^AEIOUY]{3}", core):
        return True  # IRGC
    if core in record_initials:
        return True  # an exact initials match, or a token the caller marked as an acronym
    return len(core) >= 3 and core not in ARABIC_ARTICLES and any(core in ini for ini in record_initials)


ONSETS = frozenset(
    "BL BR CH CL CR DR DW FL FR GH GL GN GR KH KL KN KR PH PL PR PS QU SC SCH SCR SH SHR SK SL SM SN SP SPL "
    "SPR SQ ST STR SW TH THR TR TS TW TZ VL WH WR ZH".split()
)


def unpronounceable(core: str) -> bool:
    """Letter patterns that English-like words do not have (CFMSA, OAU, WAGGGS, AAPSO): an acronym."""
    if len(core) < 2 or len(core) > 7:
        return False
    vowels = [c in "AEIOU" for c in core]
    if not any(vowels) or all(vowels):
        return True
    onset = re.match(r"[^AEIOUY]*", core).group(0)
    if len(onset) >= 2 and onset not in ONSETS:
        return True
    if core[:2] in {"AA", "II", "UU", "IA", "IU", "UA", "UI", "UE", "UO"}:
        return True
    return bool(re.search(r"([^AEIOUY])\1\1|[^AEIOUY]{4}", core))


def all_common(phrase: str, generic: set[str]) -> bool:
    """True when every word is an everyday word (or a number) and none makes it an organisation."""
    if looks_like_org(phrase):
        return False
    parts = subwords(phrase)
    return bool(parts) and all(
        p in COMMON_WORDS
        or p in generic
        or p in LOWER_PARTICLES
        or p.rstrip("'S") in COMMON_WORDS
        or re.fullmatch(r"\d+\w{0,2}", p)
        for p in parts
    )


def generic_alias(phrase: str, generic: set[str]) -> bool:
    """An alias made only of everyday, generic and organisation words ("National Liberation Movement",
    "Peoples Liberation Army", "Red Brigades" under another record): it names many actors, not this one."""
    return all(
        p in COMMON_WORDS
        or p in generic
        or p in ORG_HEAD_WORDS
        or p in LOWER_PARTICLES
        or p in STATE_WORDS
        or p.rstrip("'S") in COMMON_WORDS | generic
        or re.fullmatch(r"\d+\w{0,2}", p)
        for p in subwords(phrase)
    )


def looks_like_org(phrase: str) -> bool:
    return any(w in ORG_HEAD_WORDS for w in subwords(phrase)) or any(w in ORG_HEAD_WORDS for w in words(phrase))


# ------------------------------------------------------------------------------------------ casing


def _case_part(part: str, first: bool, last: bool) -> str:
    if not part:
        return part
    if part in ARABIC_ARTICLES and not last:
        return part.lower()
    if part in {"I", "E", "O", "UL"} and not first:
        return part.lower()
    m = re.fullmatch(r"([DL])'(.+)", part)
    if m:
        return m.group(1).lower() + "'" + m.group(2).capitalize()
    m = re.fullmatch(r"(O|MC)'?(.+)", part)
    if m and part.startswith("O'"):
        return "O'" + m.group(2).capitalize()
    if re.fullmatch(r"\d+(ST|ND|RD|TH|S)", part):
        return part.lower()  # 20TH -> 20th, 1920S -> 1920s
    return part.capitalize()


def proper_case(phrase: str, record_initials: set[str] = frozenset()) -> str:
    """'AL-QASSAM_BRIGADES' -> 'al-Qassam Brigades'; 'NATO' -> 'NATO'; 'HAMAS' -> 'Hamas'."""
    out = []
    toks = words(phrase)
    for i, tok in enumerate(toks):
        if is_acronym(tok, record_initials) and not (tok in LOWER_PARTICLES and i > 0):
            out.append(tok)
            continue
        if tok in LOWER_PARTICLES and (i > 0 or tok == "AL") and len(toks) > 1:
            out.append(tok.lower())
            continue
        pieces = re.split(r"([-/])", tok)
        cased = []
        n = len([p for p in pieces if p not in "-/"])
        k = 0
        for p in pieces:
            if p in ("-", "/"):
                cased.append(p)
                continue
            if len(pieces) > 1 and is_acronym(p, record_initials) and not (p in ARABIC_ARTICLES and k < n - 1):
                cased.append(p)
            else:
                cased.append(_case_part(p, first=(k == 0), last=(k == n - 1)))
            k += 1
        out.append("".join(cased))
    return " ".join(out)


def fold(text: str) -> str:
    """Comparison key: case-, hyphen-, dot-spacing- and leading-'the'-insensitive."""
    t = text.casefold().replace("-", " ").replace("\u2019", "'")
    t = re.sub(r"\s+", " ", t).strip()
    return re.sub(r"^the ", "", t)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


# ---------------------------------------------------------------------------------- person knowledge


@dataclass
class PersonKnowledge:
    first_names: set[str]
    phrases: set[str]  # cleaned person phrases seen anywhere
    surnames: set[str]

    def is_person(self, phrase: str) -> bool:
        if looks_like_org(phrase):
            return False
        toks = words(phrase)
        if not toks:
            return False
        if phrase in self.phrases:
            return True
        if any(t in DESCRIPTOR_WORDS for t in subwords(phrase)):
            return True  # roles count as people here
        if toks[0] in TITLES:
            return True
        if len(toks) == 1:
            return toks[0] in self.first_names or toks[0] in self.surnames
        if any(re.fullmatch(r"[A-Z]\.?", t) for t in toks[:-1]) and len(toks) <= 4:
            return True  # K._ANNAN, JAMES_A._ROBERTS
        return 2 <= len(toks) <= 5 and toks[0] in self.first_names


def gather_people(all_records: list[Record]) -> PersonKnowledge:
    """Learn first names and person phrases from records the dictionaries mark as people."""
    firsts: Counter[str] = Counter()
    phrases: set[str] = set()
    surnames: set[str] = set()
    for rec in all_records:
        marked = any(("CountryInfo" in c or "IGOrulers" in c or "COUNTRYINFO" in c) for c in rec.comments)
        if not marked:
            continue
        for p in rec.phrases:
            cp, _ = clean_phrase(p)
            toks = words(cp)
            if len(toks) < 2 or looks_like_org(cp):
                continue
            phrases.add(cp)
            lead = [t for t in toks if t not in TITLES]
            if len(lead) >= 2:
                firsts[lead[0]] += 1
                if len(letters(lead[-1])) >= 4:
                    surnames.add(lead[-1])
    first_names = {n for n, c in firsts.items() if c >= 2 and len(letters(n)) >= 2} | set(EXTRA_FIRST_NAMES)
    first_names -= NOT_FIRST_NAMES
    return PersonKnowledge(first_names, phrases, surnames)


# ------------------------------------------------------------------------------------------ actors


@dataclass
class Actor:
    name: str
    kind: str
    aliases: list[str]
    code: str
    curated: bool = False
    kb_id: str = ""
    origin: str = ""


def record_initials(phrases: list[str]) -> set[str]:
    out = set()
    for p in phrases:
        if len(subwords(p)) >= 2:
            out.add(initials(p, True))
            out.add(initials(p, False))
    return out


def _alias_ok_single(tok: str, people: PersonKnowledge, generic: set[str]) -> bool:
    core = letters(tok)
    if len(core) < SHORT_ALIAS_MIN or (len(core) == 2 and core not in KNOWN_ACRONYMS):
        return False
    if tok in generic or core in generic:
        return False
    return tok not in people.first_names and tok not in people.surnames


PERSON_COMMENT = re.compile(
    r"\b(leader|member|commander|founder|co-founder|chief|spokes\w*|alias of|he|his|she|her|bomb maker|"
    r"cleric|preacher|fought|president|minister|secretary|director)\b",
    re.I,
)
KUNYA = frozenset({"ABU", "UMM", "IBN", "BIN", "EBU", "ABOU"})


def org_actor(rec: Record, kind: str, people: PersonKnowledge, generic: set[str], log: Counter) -> Actor | None:
    code = current_code(rec)
    if code is None:
        log["skip: historical (no current code)"] += 1
        return None
    head0, _ = clean_phrase(rec.head)
    org_any = any(looks_like_org(clean_phrase(p)[0]) for p in rec.phrases)
    if not org_any and not is_acronym(head0):
        if code.startswith("IMG"):
            log["skip: militarized-group individual (IMG code, no organisation word)"] += 1
            return None
        if any(PERSON_COMMENT.search(c) for c in rec.comments) or words(head0)[0] in KUNYA:
            log["skip: head is a person or role"] += 1
            return None
    cleaned: list[str] = []
    extra_acronyms: list[str] = []
    qualifier: dict[str, str] = {}  # "PEOPLE'S_REVOLUTIONARY_ARMY_(COLOMBIA)": the bare phrase is ambiguous
    for p in rec.phrases:
        cp, inner = clean_phrase(p)
        if "\ufffd" in cp or not letters(cp):
            continue
        cp_inits = record_initials([cp])
        acr = [
            i for i in inner if "_" not in i and (any(letters(i) in x for x in cp_inits) or unpronounceable(letters(i)))
        ]
        other = [i for i in inner if i not in acr]
        if other:
            if cleaned:
                log["alias dropped: ambiguous without its (qualifier)"] += 1
                continue
            qualifier[cp] = other[0]
        cleaned.append(cp)
        extra_acronyms += acr
    if not cleaned:
        return None
    head = cleaned[0]
    if head in JUNK_NAMES or head in GENERIC_NAMES:
        log["skip: joke/test entry or generic description"] += 1
        return None

    if all_common(head, generic):
        better = [
            c
            for c in cleaned[1:]
            if not all_common(c, generic)
            and not generic_alias(c, generic)
            and not people.is_person(c)
            and (looks_like_org(c) or len(words(c)) > 1)
        ]
        if not better:
            log["skip: name made of everyday words only"] += 1
            log["  (dropped names: " + proper_case(head) + ")"] += 1
            return None
        log["name replaced: everyday-word name, distinctive alias used"] += 1
        cleaned = [better[0]] + [c for c in cleaned if c != better[0]]
        head = cleaned[0]
    if people.is_person(head) or any(t in DESCRIPTOR_WORDS for t in subwords(head)):
        log["skip: head is a person or role"] += 1
        return None
    if (
        kind == "organization"
        and not looks_like_org(head)
        and len(words(head)) > 1
        and not (set(words(head)) & NAME_LINKS or words(head)[0] in {"AL", "EL"})
    ):
        # "GILLIAN_MELLSOP", "UN_RESIDENT", "ASEAN_COUNTRIES": no organisation word, no "of/for/without"
        log["skip: organisation head without an organisation word or linking word"] += 1
        return None
    if len(letters(head)) <= 2 and letters(head) not in KNOWN_ACRONYMS:
        log["skip: two-letter name"] += 1
        return None
    if len(words(head)) == 1 and (head in generic or letters(head) in generic):
        log["skip: head is a generic word"] += 1
        return None
    inits = record_initials(cleaned)
    inits |= {letters(t) for c in cleaned for t in words(c) if unpronounceable(letters(t))}
    clearly_org = looks_like_org(head)
    person_tokens = set()
    kept: list[str] = []
    for cp in cleaned[1:] + extra_acronyms:
        toks = words(cp)
        if any(t in DESCRIPTOR_WORDS for t in subwords(cp)):
            log["alias dropped: descriptor/role"] += 1
            continue
        extends_name = "_" + head + "_" in "_" + cp + "_"  # "WORLD_BANK_GROUP" under WORLD_BANK
        if all_common(cp, generic) or (generic_alias(cp, generic) and not extends_name):
            log["alias dropped: everyday/generic words only"] += 1
            continue
        if people.is_person(cp):
            person_tokens.update(toks)
            log["alias dropped: person-like"] += 1
            continue
        if len(toks) == 1:
            if len(letters(cp)) == 2 and letters(cp) not in KNOWN_ACRONYMS:
                log["alias dropped: two-letter abbreviation"] += 1
                continue
            if len(letters(cp)) == 3 and "-" not in cp:
                inits.add(letters(cp))  # a three-letter alias is an acronym (ELA, AUC)
            if is_acronym(cp, inits) or _alias_ok_single(cp, people, generic):
                kept.append(cp)
            else:
                log["alias dropped: generic/person single word"] += 1
            continue
        if clearly_org and not looks_like_org(cp) and not all(is_acronym(t, inits) for t in toks):
            log["alias dropped: no organisation word (head is an organisation)"] += 1
            continue
        kept.append(cp)

    def like_a_person_token(k: str) -> bool:  # AWLAQI, AULAQI beside ANWAR_AL_AWLAKI
        return any(difflib.SequenceMatcher(None, letters(k), letters(t)).ratio() >= 0.65 for t in person_tokens)

    person_tokens = {t for t in person_tokens if len(letters(t)) >= 4 and t not in TITLES}
    kept = [k for k in kept if not (len(words(k)) == 1 and not is_acronym(k, inits) and like_a_person_token(k))]
    # a one-word alias that is just a word of a longer name names something else too
    # ("AL-AQSA" under AL-AQSA_MARTYRS_BRIGADES is the mosque; "Operation al-Aqsa Storm")
    truncations = [k for k in kept if len(words(k)) == 1 and len(words(head)) > 1 and k in words(head)]
    if truncations:
        log["alias dropped: one word of the name"] += len(truncations)
        kept = [k for k in kept if k not in truncations or is_acronym(k, inits)]
    name = proper_case(head, inits)
    if head in qualifier:
        name += f" ({proper_case(qualifier[head], inits)})"
    aliases = [proper_case(k, inits) for k in kept]
    if kind == "organization" and len(words(head)) == 1 and name != head and len(letters(head)) <= 8:
        if head in people.first_names or any(p.startswith(head + "_") for p in people.phrases):
            name = head  # "Amit" would match people; AMIT is the organisation
        else:
            aliases.append(head)  # casing unknown in the all-caps source: "Unifem" and "UNIFEM"
    return Actor(name, kind, aliases, code, origin=f"{rec.file}:{rec.line}")


def is_demonym(alias: str, country: str) -> bool:
    a, c = letters(alias), letters(country)
    if not a or a == c:
        return False
    for suf in DEMONYM_SUFFIXES:
        if a.endswith(suf) and not c.endswith(suf) and len(a) > len(suf) + 2:
            stem = a[: -len(suf)]
            if c.startswith(stem[: max(3, len(stem) - 2)]) or difflib.SequenceMatcher(None, stem, c).ratio() > 0.7:
                return True
    return len(a) < len(c) and c.startswith(a) and len(a) >= 4  # AFGHAN < AFGHANISTAN


def country_alias_ok(alias: str, names: list[str]) -> bool:
    """Keep names of the country: the name plus state words, or a close non-demonym spelling variant."""
    a_words = words(alias)
    for name in names:
        n_words = words(name)
        if not n_words:
            continue
        for i in range(len(a_words) - len(n_words) + 1):
            if a_words[i : i + len(n_words)] == n_words:
                rest = a_words[:i] + a_words[i + len(n_words) :]
                if rest and all(w in STATE_WORDS for w in rest):
                    return True
        if is_demonym(alias, name):
            return False
        if len(a_words) == len(n_words) and difflib.SequenceMatcher(None, letters(alias), letters(name)).ratio() >= 0.8:
            return True
    return False


def country_actors(records: list[Record], people: PersonKnowledge, log: Counter) -> list[Actor]:
    candidates: list[tuple[int, Record, str]] = []
    for rec in records:
        code = current_code(rec)
        if code is None or not re.fullmatch(r"[A-Z]{3}", code) or code in NON_COUNTRY_CODES:
            continue
        if any("CountryInfo" in c or "COUNTRYINFO" in c for c in rec.comments):
            continue  # a person
        head, _ = clean_phrase(rec.head)
        if "\ufffd" in head:
            log["country file: 3-letter code but not a place: " + head] += 1
            continue
        direct = 0 if re.fullmatch(r"[A-Z]{3}", rec.codes[0].split()[0]) and not rec.closed else 1
        candidates.append((direct, rec, code))
    by_code: dict[str, Actor] = {}
    order: list[str] = []
    # records carrying the code directly (IRAN_  [IRN]) first, then those coded on a date line (IRAQ_)
    for _, rec, code in sorted(candidates, key=lambda c: (c[0], c[1].line)):
        phrases = [p for p in (clean_phrase(x)[0] for x in rec.phrases) if "\ufffd" not in p]
        if code in by_code:  # a second record with the same code (Mayotte -> FRA): aliases only
            by_code[code].aliases.extend(phrases)
            log[f"country merged into {code}: {phrases[0]}"] += 1
            continue
        order.append(code)
        by_code[code] = Actor(phrases[0], "country", phrases[1:], code, origin=f"{rec.file}:{rec.line}")
        log["country records"] += 1
    order.sort(key=lambda c: by_code[c].origin.split(":")[1].zfill(8))
    actors = []
    for code in order:
        act = by_code[code]
        head = act.name
        display = COUNTRY_NAMES.get(code)
        names = [head] + ([display.upper().replace(" ", "_")] if display else [])
        kept = []
        for alias in act.aliases:
            if alias == head or len(words(alias)) > 8:
                continue
            if alias in COUNTRY_ALIAS_DROP or not alias[:1].isalpha() or re.search(r"-" + re.escape(head) + "$", alias):
                log["country alias dropped (city, demonym, person, other name)"] += 1
                continue
            if country_alias_ok(alias, names) and not any(c.isdigit() for c in alias):
                kept.append(alias)
            else:
                log["country alias dropped (city, demonym, person, other name)"] += 1
        inits = record_initials([head] + kept)
        aliases = [proper_case(a, inits) for a in kept]
        if display and head not in COUNTRY_ALIAS_DROP:
            aliases.insert(0, proper_case(head, inits))
        aliases += COUNTRY_ALIASES.get(code, [])
        actors.append(Actor(display or proper_case(head, inits), "country", aliases, code, origin=act.origin))
    return actors


# ------------------------------------------------------------------------------------------ merging


def curated_actors() -> list[Actor]:
    out = []
    for entry in CURATED:
        out.append(
            Actor(
                entry["name"],
                entry["kind"],
                list(entry["aliases"]),
                "",
                curated=True,
                kb_id=entry["kb_id"],
                origin="curated",
            )
        )
    return out


def merge(curated: list[Actor], phoenix: list[Actor], generic: set[str], log: Counter) -> list[Actor]:
    curated_keys = {fold(s) for a in curated for s in [a.name, *a.aliases]}
    kept_phoenix = []
    for act in phoenix:
        hit = [s for s in [act.name, *act.aliases] if fold(s) in curated_keys]
        if hit:
            print(f"  overridden by curated entry: {act.name!r} ({act.kind}, {act.origin}) via {hit[0]!r}")
            log["phoenix actors overridden by curated"] += 1
            continue
        kept_phoenix.append(act)

    # same display name twice among Phoenix actors: keep the first, drop the rest
    seen_names: dict[str, Actor] = {}
    unique_phoenix = []
    for act in kept_phoenix:
        key = fold(act.name)
        if key in seen_names:
            first = seen_names[key]
            if first.kind == act.kind:
                first.aliases.extend(act.aliases)
                log["phoenix duplicate names merged"] += 1
            else:
                print(f"  duplicate name {act.name!r}: kept the {first.kind}, dropped the {act.kind}")
                log["phoenix duplicate names dropped"] += 1
            continue
        seen_names[key] = act
        unique_phoenix.append(act)

    actors = curated + unique_phoenix
    for act in actors:  # per-actor clean-up
        seen = {act.name}  # exact strings: case and hyphen variants are distinct phrase patterns
        out = []
        for alias in act.aliases:
            alias = re.sub(r"\s+", " ", alias).strip()
            key = alias
            core = re.sub(r"[^A-Za-z]", "", alias)
            if key in seen:
                continue
            if len(alias.strip()) < SHORT_ALIAS_MIN or len(core) < SHORT_ALIAS_MIN:
                log["alias dropped: too short"] += 1
                continue
            if not act.curated and " " not in alias and (alias.upper() in generic or core.upper() in generic):
                log["alias dropped: generic word"] += 1
                continue
            seen.add(key)
            out.append(alias)
        act.aliases = out

    # every string to one actor: curated first, then the actor whose name it is
    owners: dict[str, list[tuple[int, Actor, bool]]] = defaultdict(list)
    for idx, act in enumerate(actors):
        owners[fold(act.name)].append((idx, act, True))
        for alias in act.aliases:
            owners[fold(alias)].append((idx, act, False))
    drop: dict[int, set[str]] = defaultdict(set)
    for key, claims in owners.items():
        if len({idx for idx, _, _ in claims}) < 2:
            continue
        # names are never dropped, and Phoenix actors that share a string with a curated one are gone already
        winner = ([c for c in claims if c[1].curated] or [c for c in claims if c[2]] or [None])[0]
        losers = sorted({act.name for idx, act, _ in claims if winner is None or idx != winner[0]})
        for idx, _act, is_name in claims:
            if (winner is None or idx != winner[0]) and not is_name:
                drop[idx].add(key)
        if winner is None:
            print(f"  alias claimed by several actors, dropped from all: {key!r} <- {', '.join(losers)}")
            log["aliases claimed by several actors, dropped"] += 1
        else:
            print(f"  alias {key!r} kept for {winner[1].name!r} (its name), dropped from {', '.join(losers)}")
            log["aliases equal to another actor's name, dropped there"] += 1
    for idx, keys in drop.items():
        actors[idx].aliases = [a for a in actors[idx].aliases if fold(a) not in keys]
    return actors


def assign_kb_ids(actors: list[Actor]) -> None:
    count = Counter(a.code for a in actors if not a.curated)
    taken = {a.kb_id for a in actors if a.curated}
    for act in actors:
        if act.curated:
            continue
        kb = f"cameo:{act.code}"
        if count[act.code] > 1 or kb in taken:
            kb = f"cameo:{act.code}/{slug(act.name)}"
        n = 2
        base = kb
        while kb in taken:
            kb, n = f"{base}-{n}", n + 1
        taken.add(kb)
        act.kb_id = kb


SOURCE_NOTE = (
    "Built by scripts/build_gazetteer.py from the Phoenix/CAMEO actor dictionaries of the Open Event Data "
    "Alliance / Computational Event Data System Project (Phoenix.Countries.actors.txt, "
    "Phoenix.MilNonState.actors.txt, Phoenix.International.actors.txt, Phoenix.agents.txt; MIT licence, "
    "Copyright (c) 2014 Open Event Data Alliance, as stated in the Countries and agents file headers; "
    "data dated 2015 and older). Selected and cleaned: countries keep only names of the country (no "
    "cities, demonyms or people); armed groups and IGOs/NGOs drop people, roles, historical records, "
    "person-like, generic and descriptor aliases; casing restored from the all-caps source. A hand-curated "
    "block of current actors (presslens' own) overrides the dictionaries. kb_id 'cameo:CODE' is the CAMEO "
    "actor code (with '/name-slug' where several actors share a code); 'presslens:...' ids are local to "
    "the curated block."
)


def build(actors_dir: Path) -> tuple[dict, Counter]:
    log: Counter = Counter()
    files = {
        "countries": actors_dir / "Phoenix.Countries.actors.txt",
        "groups": actors_dir / "Phoenix.MilNonState.actors.txt",
        "intl": actors_dir / "Phoenix.International.actors.txt",
        "agents": actors_dir / "Phoenix.agents.txt",
    }
    for path in files.values():
        if not path.is_file():
            sys.exit(f"missing dictionary file: {path}")
    recs = {k: read_records(p) for k, p in files.items() if k != "agents"}
    for k, rs in recs.items():
        print(f"read {files[k].name}: {len(rs)} records")
    people = gather_people([r for rs in recs.values() for r in rs])
    print(f"person knowledge: {len(people.first_names)} first names, {len(people.phrases)} person phrases")

    generic = set(GENERIC_WORDS)
    for line in files["agents"].read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.split("#", 1)[0]
        m = re.match(r"\s*([A-Z][A-Z_'!-]*)", line)
        if not m or "=" in line:
            continue
        for w in re.split(r"[_!]", m.group(1)):
            if len(w) >= 3 and w not in ("PERSON", "MINIST"):
                generic.update({w, w + "S", w[:-1] + "IES" if w.endswith("Y") else w + "ES"})
    print(f"generic single words: {len(generic)}")

    countries = country_actors(recs["countries"], people, log)
    print(f"countries: {len(countries)} (from {log['country records']} country records)")

    groups = []
    for rec in recs["groups"]:
        act = org_actor(rec, "group", people, generic, log)
        if act:
            groups.append(act)
    print(f"armed groups kept: {len(groups)}")

    orgs = []
    for rec in recs["intl"]:
        code = current_code(rec)
        if code is None or not code.startswith(("IGO", "NGO")):
            log["international: not IGO/NGO or historical"] += 1
            continue
        act = org_actor(rec, "organization", people, generic, log)
        if act:
            orgs.append(act)
    print(f"international organisations kept: {len(orgs)}")

    curated = curated_actors()
    actors = merge(curated, countries + groups + orgs, generic, log)
    assign_kb_ids(actors)
    kind_rank = {"country": 0, "group": 1, "organization": 2}
    cur = [a for a in actors if a.curated]
    rest = sorted((a for a in actors if not a.curated), key=lambda a: (kind_rank[a.kind], fold(a.name), a.kb_id))
    out = {
        "source": SOURCE_NOTE,
        "actors": [{"name": a.name, "kind": a.kind, "aliases": a.aliases, "kb_id": a.kb_id} for a in cur + rest],
    }
    return out, log


def dump(doc: dict) -> str:
    lines = ["{", f'"source": {json.dumps(doc["source"], ensure_ascii=False)},', '"actors": [']
    rows = [json.dumps(a, ensure_ascii=False) for a in doc["actors"]]
    lines += [r + ("," if i < len(rows) - 1 else "") for i, r in enumerate(rows)]
    lines += ["]", "}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--actors",
        type=Path,
        default=PROJECT_ROOT.parent / "shared" / "data" / "actors",
        help="folder with the Phoenix dictionaries (default: ../shared/data/actors)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=PROJECT_ROOT / "src" / "presslens" / "data" / "gazetteer.json",
        help="output JSON (default: src/presslens/data/gazetteer.json)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print every rule counter")
    args = parser.parse_args(argv)

    doc, log = build(args.actors)
    text = dump(doc)
    json.loads(text)  # sanity
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")

    for key, n in sorted(log.items()):
        if args.verbose or not key.startswith(("country merged", "country file", "  (dropped")):
            print(f"  {key}: {n}")
    kinds = Counter(a["kind"] for a in doc["actors"])
    n_alias = sum(len(a["aliases"]) for a in doc["actors"])
    print(
        f"wrote {args.out} ({len(text.encode('utf-8')) / 1e6:.2f} MB): {len(doc['actors'])} actors, {n_alias} aliases"
    )
    for kind in ("country", "group", "organization"):
        print(f"  {kind}: {kinds.get(kind, 0)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
