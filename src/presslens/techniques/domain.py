"""Is this text about public affairs? The technique model's domain, measured by its words.

The technique model learnt from PTC: news and opinion about politics, government, law, war, diplomacy,
religion's institutions. On reviews, recipes, entertainment, lifestyle and science pages it labels ordinary
praise and description as persuasion ("stunning", "a hell of a laptop", "offending substance"): the hand check
of real pages found 3 plausible labels in 21 on such pages (``docs/hand-check-techniques.md``). So the default
output ("likely" spans) is empty for a text whose share of public-affairs words is below
``PUBLIC_AFFAIRS_MIN``; ``keep="all"`` and ``keep="f1"`` (research, the PTC benchmark) are not gated.

``PUBLIC_AFFAIRS_MIN`` was set on the training side: 361 of PTC's 371 training articles (97%) and all 84
PolNeAR dev articles reach it (``python scripts/public_affairs_share.py`` prints the distributions). A short
page can reach the share on one word said twice (a celebrity caption's "social media ... media mogul"), so the
text must also use ``PUBLIC_AFFAIRS_MIN_WORDS`` different public-affairs words: every PTC article and every
PolNeAR article (dev and training) that reaches the share uses at least two.
"""

from __future__ import annotations

import re

# Words of politics, government, law, conflict, diplomacy, the economy as policy, and religious institutions
# (lower case; plural and adjective forms listed as they occur).
PUBLIC_AFFAIRS_WORDS = frozenset(
    """government governments minister ministers ministry president presidents presidential prime parliament
    parliamentary congress congressional senate senator senators house representative representatives lawmaker
    lawmakers legislator legislators legislation law laws bill bills court courts judge judges justice supreme
    trial election elections electoral vote votes voter voters voting campaign campaigns candidate candidates
    party parties democrat democrats democratic republican republicans political politics politician
    politicians policy policies official officials administration regime state states federal national nation
    nations country countries war wars military army troops soldiers forces force attack attacks attacked
    strike strikes airstrike missile missiles weapons weapon nuclear militant militants terrorist terrorists
    terrorism rebel rebels insurgent conflict ceasefire invasion occupation security intelligence police protest
    protests protesters demonstrators rally riot crackdown diplomat diplomats diplomatic ambassador embassy
    sanctions treaty talks negotiations summit allies alliance nato un united foreign border borders refugees
    migrants immigration citizens citizen rights human freedom democracy dictator authoritarian opposition
    coalition governor mayor council authorities authority agency agencies investigation impeachment prosecutor
    prosecutors indictment charges charged accused crime criminal corruption scandal fraud economy economic tax
    taxes tariff tariffs trade budget spending deficit debt inflation unemployment islamic muslim muslims jihad
    jihadist israel israeli palestinian palestinians iran iranian russia russian china chinese ukraine syria
    syrian america american trump obama clinton biden putin netanyahu hamas hezbollah isis taliban media press
    propaganda church pope bishop bishops cardinal cardinals vatican catholic catholics clergy priest priests
    religious faith""".split()
)
# Below this share of public-affairs words the default output keeps no technique span.
PUBLIC_AFFAIRS_MIN = 0.006
# ... nor with fewer different public-affairs words than this.
PUBLIC_AFFAIRS_MIN_WORDS = 2

_WORD = re.compile(r"[A-Za-z]+")


def public_affairs_share(text: str) -> float:
    """The share of the words of *text* (runs of ASCII letters, case folded) that are public-affairs words."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    return sum(w.lower() in PUBLIC_AFFAIRS_WORDS for w in words) / len(words)


def public_affairs_words(text: str) -> set[str]:
    """The different public-affairs words *text* uses (case folded)."""
    return {w for w in (m.lower() for m in _WORD.findall(text)) if w in PUBLIC_AFFAIRS_WORDS}


def in_domain(text: str) -> bool:
    """Whether the default technique output should be shown for *text*: its public-affairs share reaches
    ``PUBLIC_AFFAIRS_MIN`` and it uses at least ``PUBLIC_AFFAIRS_MIN_WORDS`` different public-affairs words."""
    if public_affairs_share(text) < PUBLIC_AFFAIRS_MIN:
        return False
    return len(public_affairs_words(text)) >= PUBLIC_AFFAIRS_MIN_WORDS
