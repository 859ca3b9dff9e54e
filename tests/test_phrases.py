"""Phrase lists matched without regexes give exactly the regex's matches."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from gpu_brief.qa.language import PhraseSet, load_packs, phrase_regex, read_packs

_PACKS = load_packs(read_packs())
_CUES = sorted({p for pack in _PACKS.values() for p in pack.cues})
_PIECES = [
    *_CUES,
    *(w for p in _CUES for w in p.replace("'", "' ").split()),
    " ",
    "-",
    "'",
    "x",
    "é",
    "_",
    "1",
    "?",
]


@given(
    st.lists(st.sampled_from(_PIECES), max_size=12).map("".join),
    st.integers(min_value=0, max_value=20),
)
def test_cue_phrases_are_found_where_the_regex_finds_them(text: str, pos: int) -> None:
    for pack in _PACKS.values():
        phrases = tuple(pack.cues)
        expected = [m.span() for m in re.compile(phrase_regex(phrases)).finditer(text, pos)]
        assert list(PhraseSet(phrases).spans(text, pos)) == expected


def test_the_longest_phrase_at_a_place_wins_and_words_stay_whole() -> None:
    found = PhraseSet(("qui", "qui est-ce qui", "pour quelle raison", "en raison d'"))
    text = "quiconque ? qui est-ce qui vend, pour quelle raison, en raison d'une panne"
    spans = [text[a:b] for a, b in found.spans(text)]
    assert spans == ["qui est-ce qui", "pour quelle raison", "en raison d'"]
