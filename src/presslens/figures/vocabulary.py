"""What the figure parser (``figures.parse``) reads: number words, magnitudes, fractions, vague amounts,
units, qualifier and change patterns; and the ``Parsed`` figure it returns."""

from __future__ import annotations

import re
from dataclasses import dataclass

QUALIFIERS = ("exact", "approx", "at_least", "more_than", "at_most", "less_than")


@dataclass
class Parsed:
    """One quantity found in a text: ``[start, end)`` span, value (low end of a range) and the rest."""

    start: int
    end: int
    value: float
    high: float | None = None
    qualifier: str = "exact"
    change: str | None = None
    unit: str | None = None
    words: bool = False  # written in words only ("two", "hundreds")


# --- number words -------------------------------------------------------------------------------------
SMALL = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "lakh": 1e5,
          "lakhs": 1e5, "crore": 1e7, "crores": 1e7}
VULGAR = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 0.3333, "⅔": 0.6667, "⅛": 0.125}
MAG_ABBR = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "mil": 1e6, "b": 1e9, "bn": 1e9, "bln": 1e9,
            "tn": 1e12, "trn": 1e12, "tr": 1e12}
FRACTIONS = {"half": 0.5, "halves": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25, "quarters": 0.25,
             "fifth": 0.2, "fifths": 0.2, "tenth": 0.1, "tenths": 0.1}
# Plural magnitudes used as vague amounts: "hundreds" 100..1000, "dozens" 24..100.
VAGUE = {"dozens": (24.0, 100.0), "scores": (40.0, 100.0), "hundreds": (100.0, 1e3), "thousands": (1e3, 1e4),
         "millions": (1e6, 1e7), "billions": (1e9, 1e10), "tens": (10.0, 100.0)}

MONTHS = ("jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
          "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december")
LABELS = {"no", "nos", "number", "page", "pages", "p", "pp", "section", "article", "chapter", "resolution", "flight",
          "route", "highway", "interstate", "room", "episode", "season", "vol", "volume", "issue", "version", "level",
          "grade", "district", "precinct", "channel", "exit", "line", "category", "proposition", "prop", "top",
          "paragraph", "clause", "amendment", "phase", "stage", "rule", "model", "iphone", "windows", "ps", "xbox",
          "galaxy", "pixel", "apollo", "covid", "mh", "f", "su", "boeing", "airbus", "studio",
          "platform", "gate", "terminal", "lot", "unit", "apartment", "apt", "suite", "box", "bus", "tier", "week",
          "day", "game", "round", "act", "scene", "part", "mark", "mk", "type", "class", "group", "size", "figure",
          "fig", "table", "step", "term", "psalm", "verse", "title", "code", "bill", "hr", "ward", "zone",
          "pier", "berth", "spot", "ranked", "seed", "seeded", "fi", "series", "gen", "generation", "ios", "android"}

# Unit phrases (lower-case word sequences) and their normalised names. Longest phrase wins.
_UNITS: dict[str, str] = {}


def _add(name: str, *phrases: str) -> None:
    for p in phrases:
        _UNITS[p] = name


_add("percent", "%", "percent", "per cent", "pct", "percentage")
_add("percentage point", "percentage point", "percentage points", "percent point", "percent points", "pp", "ppt",
     "ppts")
_add("basis point", "basis point", "basis points", "bp", "bps")
_add("point", "point", "points", "pts")
_add("US dollar", "dollar", "dollars", "us dollars", "usd", "u.s. dollars", "bucks")
_add("canadian dollar", "canadian dollars", "cad")
_add("australian dollar", "australian dollars", "aud")
_add("hong kong dollar", "hong kong dollars", "hkd")
_add("euro", "euro", "euros", "eur")
_add("pound sterling", "pound", "pounds", "pounds sterling", "sterling", "gbp", "quid")
_add("japanese yen", "yen", "jpy")
_add("chinese yuan", "yuan", "renminbi", "rmb", "cny")
_add("rupee", "rupee", "rupees", "rs")
_add("ruble", "ruble", "rubles", "rouble", "roubles")
_add("shekel", "shekel", "shekels", "nis")
_add("swiss franc", "swiss francs", "swiss franc", "chf")
_add("franc", "franc", "francs")
_add("penny", "pence", "penny", "pennies")
_add("peseta", "peseta", "pesetas")
_add("netherlands guilder", "guilder", "guilders", "dutch guilders")
_add("finnish markka", "markka", "markkaa", "finnish markka", "finnish markkas")
_add("mexican peso", "mexican pesos")
_add("peso", "peso", "pesos")
_add("turkish lira", "lira", "liras", "turkish lira")
_add("south african rand", "rand")
_add("saudi riyal", "riyal", "riyals")
_add("uae dirham", "dirham", "dirhams")
_add("brazilian real", "reais")
_add("cent", "cent", "cents")
_add("bitcoin", "bitcoin", "bitcoins", "btc")
_add("kilometre", "km", "kms", "kilometre", "kilometres", "kilometer", "kilometers")
_add("metre", "metre", "metres", "meter", "meters")
_add("centimetre", "cm", "centimetre", "centimetres", "centimeter", "centimeters")
_add("millimetre", "mm", "millimetre", "millimetres", "millimeter", "millimeters")
_add("mile", "mile", "miles", "mi")
_add("nautical mile", "nautical mile", "nautical miles")
_add("foot", "foot", "feet", "ft")
_add("inch", "inch", "inches")
_add("yard", "yard", "yards", "yd", "yds")
_add("mile per hour", "mph", "miles per hour", "mile per hour", "miles an hour", "mile an hour")
_add("kilometre per hour", "km/h", "kph", "kmh", "kilometres per hour", "kilometers per hour",
     "kilometres an hour", "kilometers an hour")
_add("kilogram", "kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "kilogrammes")
_add("gram", "gram", "grams", "gramme", "grammes")
_add("milligram", "mg", "milligram", "milligrams")
_add("tonne", "tonne", "tonnes", "ton", "tons", "metric ton", "metric tons")
_add("pound-mass", "lb", "lbs")
_add("ounce", "ounce", "ounces", "oz")
_add("litre", "litre", "litres", "liter", "liters")
_add("gallon", "gallon", "gallons")
_add("barrel", "barrel", "barrels", "bbl")
_add("barrel per day", "barrels per day", "barrels a day", "bpd", "b/d")
_add("acre", "acre", "acres")
_add("hectare", "hectare", "hectares", "ha")
_add("square kilometre", "square kilometres", "square kilometers", "sq km", "km2", "km²")
_add("square mile", "square miles", "sq miles", "sq mi")
_add("square metre", "square metres", "square meters", "sq m", "m2", "m²")
_add("square foot", "square feet", "square foot", "sq ft")
_add("degree Celsius", "°c", "degrees celsius", "degree celsius", "degrees c", "celsius", "degrees centigrade",
     "deg c", "deg celsius", "deg. c", "celcius", "degrees celcius", "centigrade", "c°")
_add("degree Fahrenheit", "°f", "degrees fahrenheit", "degree fahrenheit", "degrees f", "fahrenheit", "deg f",
     "deg fahrenheit", "deg. f", "farenheit", "degrees farenheit", "f°")
_add("degree", "degrees", "degree", "°", "deg", "deg.")
_add("year", "year", "years", "yr", "yrs")
_add("month", "month", "months")
_add("week", "week", "weeks")
_add("day", "day", "days")
_add("hour", "hour", "hours", "hrs")
_add("minute", "minute", "minutes", "mins")
_add("second", "seconds")
_add("year of age", "years old", "year old", "year-old", "years-old", "yrs old", "years of age", "year olds",
     "year-olds")
_add("month of age", "months old", "month-old", "month old", "months of age")
_add("week of age", "weeks old", "week-old", "week old")
_add("day of age", "days old", "day-old", "day old")
_add("gigabyte", "gb", "gigabyte", "gigabytes")
_add("megabyte", "mb", "megabyte", "megabytes")
_add("terabyte", "tb", "terabyte", "terabytes")
_add("megawatt", "mw", "megawatt", "megawatts")
_add("gigawatt", "gw", "gigawatt", "gigawatts")
_add("kilowatt", "kw", "kilowatt", "kilowatts")
_add("kilowatt hour", "kwh", "kilowatt hours", "kilowatt-hours")
_add("megawatt hour", "mwh", "megawatt hours", "megawatt-hours")
_add("calorie", "calorie", "calories", "kcal")
_add("vote", "vote", "votes")
_add("horsepower", "hp", "horsepower", "bhp")
_add("metric horsepower", "ps")
_add("newton metre", "nm", "newton metres", "newton meters", "newton-metres", "newton-meters")
_add("frame per second", "fps", "frames per second", "frames a second")
_add("pixel", "pixel", "pixels")
_add("pixel per inch", "pixels per inch", "ppi")
_add("cup", "cup", "cups")
_add("teaspoon", "tsp", "tsp.", "teaspoon", "teaspoons")
_add("tablespoon", "tbsp", "tbsp.", "tablespoon", "tablespoons")
_add("century", "century", "centuries")
_add("decade", "decade", "decades")
_add("minute", "min", "mins")
_add("light-year", "light-year", "light-years", "light year", "light years")
_add("seat", "seat", "seats")

# Units that may only follow a numeral directly ("5km", "10 kg"), never a number word or a loose word.
_SHORT = {"t", "g", "l", "mi", "ha", "b", "pp", "bp", "rs", "ft", "yd", "oz", "mg", "mb", "gb", "tb", "mw", "gw",
          "kw", "kwh", "mwh", "cm", "mm", "km", "kg", "lb", "lbs", "bbl", "bpd", "b/d", "kms", "kgs", "yds", "hp", "ps",
          "nm", "fps", "ppi", "min", "mins", "tsp", "tsp.", "tbsp", "tbsp.", "pt", "bhp", "mph", "km/h", "kph"}
# Short units that may stand apart from the numeral ("2.1 GW", "12 km").
_SPACED = {"km", "kg", "cm", "mm", "ft", "lbs", "lb", "mph", "gb", "mb", "tb", "mw", "gw", "kw", "kwh", "mwh", "bpd",
           "hp", "bhp", "ps", "nm", "fps", "ppi", "min", "mins", "tsp", "tsp.", "tbsp", "tbsp.", "km/h", "kph", "oz",
           "mg", "kms", "kgs"}
_MAX_UNIT_WORDS = max(len(p.split()) for p in _UNITS)

CURRENCY_SYMBOLS = {"$": "US dollar", "us$": "US dollar", "c$": "canadian dollar", "ca$": "canadian dollar",
                    "a$": "australian dollar", "au$": "australian dollar", "hk$": "hong kong dollar",
                    "nt$": "new taiwan dollar", "nz$": "new zealand dollar", "€": "euro", "£": "pound sterling",
                    "¥": "japanese yen", "₹": "rupee", "₽": "ruble", "₪": "shekel", "₩": "south korean won",
                    "rs": "rupee", "rs.": "rupee"}

_Q_BEFORE = [
    ("approx", r"about|around|roughly|approximately|approx\.?|some|nearly|almost|an estimated|estimated|close to|"
               r"circa|ca\.|c\.|~|just about|more or less|an approximate|approximate|on the order of|"
               r"in the region of|the equivalent of"),
    ("more_than", r"more than|over|above|in excess of|upwards of|upward of|exceeding|greater than|north of|"
                  r"just over|well over|higher than|>"),
    ("at_least", r"at least|no fewer than|no less than|a minimum of|minimum of|not less than|≥|>="),
    ("at_most", r"up to|at most|no more than|as many as|as much as|a maximum of|maximum of|not more than|"
                r"≤|<=|as high as|within"),
    ("less_than", r"fewer than|less than|under|below|just under|lower than|<|shy of|short of"),
]
_Q_BEFORE_RE = [(q, re.compile(r"(?:^|[\s(\[“\"'])(?:" + pat + r")(?:\s+(?:a|an))?\s*$", re.I))
                for q, pat in _Q_BEFORE]
_Q_AFTER_RE = [("at_least", re.compile(r"^\s*(?:or more|or higher|or above|or greater|and up|and above|plus)\b", re.I)),
               ("at_most", re.compile(r"^\s*(?:or less|or fewer|or lower|or below|at most|tops|or under)\b", re.I)),
               ("approx", re.compile(r"^\s*(?:or so|odd|-odd|ish|-ish)\b", re.I))]
_UP = (r"rose|rise|rises|rising|risen|increased|increase|increases|increasing|grew|grow|grows|growing|grown|"
       r"climbed|climb|climbs|climbing|jumped|jump|jumps|soared|soar|soars|surged|surge|surges|gained|gain|gains|"
       r"up|added|raised|raising|boosted|expanded|spiked|rebounded|advanced|hiked|higher|strengthened|strengthens|"
       r"appreciated|improved|widened")
_DOWN = (r"fell|fall|falls|falling|fallen|dropped|drop|drops|dropping|declined|decline|declines|declining|"
         r"decreased|decrease|decreases|slipped|slid|slide|slides|plunged|plunge|plunges|plummeted|sank|sink|sinks|"
         r"tumbled|down|dipped|dip|dips|shrank|shrunk|shrink|slumped|slump|eased|cut|reduced|lowered|lower|lost|"
         r"shed|retreated|contracted|tanked|weakened|weakens|depreciated|narrowed|slashed|trimmed")
_ANY_Q = "|".join(pat for _, pat in _Q_BEFORE)
_PRE = (r"(?:\s+(?:" + _ANY_Q + r"|just|only|another|a further|an additional|an average of|a total of|a whopping|"
        r"well over|well below|nearly|almost))?(?:\s+(?:a|an))?\s*$")
_CHANGE_BEFORE = [("up", re.compile(r"\b(?:" + _UP + r")(?:\s+by)?" + _PRE, re.I)),
                  ("down", re.compile(r"\b(?:" + _DOWN + r")(?:\s+by)?" + _PRE, re.I))]
_CHANGE_NOUN_OF = [("up", re.compile(r"\b(?:growth|increase|increases|rise|gain|gains|jump|hike|boost|expansion)\s+of"
                                     + _PRE, re.I)),
                   ("down", re.compile(r"\b(?:drop|decline|fall|decrease|reduction|cut|cuts|loss|slump|dip|"
                                       r"contraction)\s+of" + _PRE, re.I))]
_BY = re.compile(r"\bby" + _PRE, re.I)
_BY_VERB = re.compile(r"\b(?:(?P<up>rais|increas|expand|boost|grow|grew|rose|rise|lift|hike|extend|improv|strengthen|"
                      r"widen|gain|jump|climb|accelerat)|(?P<down>reduc|cut|lower|decreas|declin|fell|fall|drop|shrink|"
                      r"shrank|slash|trim|weaken|narrow|lose|lost|sank|sink|plung|slid|slip|dip|curb))[a-z]*\b", re.I)
_CHANGE_AFTER = [("up", re.compile(r"^\s*(?:-\s*)?(?:year-on-year\s+|annual\s+|yearly\s+|monthly\s+)?(?:increase|"
                                   r"increases|rise|rises|jump|jumps|gain|gains|growth|hike|hikes|surge|boost|"
                                   r"uptick|spike|climb|higher|more than (?:a|the) year|up|improvement|"
                                   r"improvements)\b", re.I)),
                 ("down", re.compile(r"^\s*(?:-\s*)?(?:year-on-year\s+|annual\s+|yearly\s+|monthly\s+)?(?:decrease|"
                                     r"decreases|drop|drops|decline|declines|fall|falls|cut|cuts|reduction|"
                                     r"reductions|slump|plunge|dip|lower|fewer than (?:a|the) year|down)\b", re.I))]

_TOKEN_RE = re.compile(
    r"[0-9]+(?:[.,][0-9]+)*|[A-Za-z]+|[$€£¥₹₽₪₩%°]|[-–—‑]|[^\sA-Za-z0-9]", re.UNICODE)
_NUM_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
_DASHES = {"-", "–", "—", "‑"}
