"""Is this article in English? presslens's models read English only; on other languages they find junk actors,
quotes and techniques. ``guess`` looks at the text itself (a declared ``lang`` attribute is often a site
template's default): the share of the most frequent function words of English and of seven other languages
written in Latin script, and the share of letters outside Latin script (web addresses left out).

Deliberately small and conservative: a text is called not English only when it has at least ``MIN_WORDS``
words and either most of its letters are not Latin, or another language's function words outnumber English
ones (and make up at least ``MIN_FOREIGN`` of the words). A short or unusual English text (a score table, a
list of names) stays English.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MIN_WORDS = 20
MIN_FOREIGN = 0.05

ENGLISH = frozenset(
    "the of and to a in is that for it on was with as he by at said his be are from have has not this an but they "
    "or were which who their will been had would its we i you she her more after also about than there what when "
    "if can one all new our into no up out so".split()
)
# Frequent function words of other languages, leaving out those that are also common in English text ("a",
# "in", "die", "as", "do", "un" for UN, "per", "van", "dan", "o" of O'Brien).
FOREIGN: dict[str, frozenset[str]] = {
    "fr": frozenset("de le la les des du une et est que qui dans pour pas sur au avec ce il elle sont".split()),
    "es": frozenset("de la el los las del y en que por con una para es se su lo como más".split()),
    "pt": frozenset("de os da dos das um uma é não em com para que se por mais".split()),
    "it": frozenset("la le si il lo gli della di che è non una con sono del nel alla".split()),
    "de": frozenset("der das und ist nicht mit den dem ein eine zu auf für von sich auch".split()),
    "nl": frozenset("het een van en niet met op voor dat zijn".split()),
    "id": frozenset("yang dan di ini itu dengan untuk dari tidak ada akan".split()),
}
_WORD = re.compile(r"\w+")
_URL = re.compile(r"(?:https?://|www\.)\S+")


@dataclass(frozen=True)
class Guess:
    english: bool
    language: str | None  # "en", a code from FOREIGN, or None (not English, which language not known)
    english_share: float  # share of words that are English function words
    reason: str  # why it is not English ("" when it is)


def _latin(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN")


def guess(text: str) -> Guess:
    """Whether *text* is English, by its words (see the module's docstring)."""
    words = [w for w in _WORD.findall(_URL.sub(" ", text).lower()) if w.isalpha()]
    letters = "".join(words)
    if not letters:
        return Guess(True, "en", 0.0, "")
    nonlatin = sum(not _latin(ch) for ch in letters) / len(letters)
    n = len(words)
    en = sum(w in ENGLISH for w in words) / n
    if nonlatin > 0.5 and len(letters) >= 2 * MIN_WORDS:
        return Guess(False, None, en, f"not English: {nonlatin:.0%} of its letters are not Latin")
    if n < MIN_WORDS:
        return Guess(True, "en", en, "")
    shares = {code: sum(w in vocab for w in words) / n for code, vocab in FOREIGN.items()}
    code, share = max(shares.items(), key=lambda kv: kv[1])
    if share > en and share >= MIN_FOREIGN:
        return Guess(
            False,
            code,
            en,
            f"not English: {share:.0%} of its words are function words of '{code}', {en:.0%} of English",
        )
    return Guess(True, "en", en, "")
