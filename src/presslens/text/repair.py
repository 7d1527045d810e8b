"""Repair text that cannot be encoded before it is analysed, keeping every offset valid.

A Python ``str`` may hold surrogate code points (U+D800 to U+DFFF): a JSON ``"\\ud800"`` escape, bytes read
with ``surrogateescape``, a caller's own string. They cannot be written as UTF-8, so the record could not be
printed or stored. Each one is replaced by U+FFFD (one character for one, so the text keeps its length) and
each run of them is noted as an ``ignored`` region.
"""

from __future__ import annotations

import re

from presslens.text.clean import Ignored

#: The ``ignored`` reason recorded for a run of replaced surrogates.
SURROGATE_REASON = "unpaired surrogate replaced"
REPLACEMENT = "\ufffd"

_SURROGATES = re.compile("[\ud800-\udfff]+")


def has_unencodable(text: str) -> bool:
    """Whether *text* holds a code point that UTF-8 cannot encode (a surrogate)."""
    return _SURROGATES.search(text) is not None


def repair_text(text: str) -> tuple[str, list[Ignored]]:
    """*text* with each surrogate replaced by U+FFFD (same length), and one :class:`Ignored` per run of them."""
    notes = [Ignored((m.start(), m.end()), SURROGATE_REASON) for m in _SURROGATES.finditer(text)]
    if not notes:
        return text, []
    return _SURROGATES.sub(lambda m: REPLACEMENT * len(m.group()), text), notes


def repair_value(value: str | None) -> str | None:
    """A metadata string with surrogates replaced by U+FFFD (no offsets point into metadata)."""
    if value is None or not isinstance(value, str):
        return value
    return repair_text(value)[0]
