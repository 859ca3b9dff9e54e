"""Typed spans found in a claim's words with the language pack's data: dates, numbers written in
words, runs of capitalised words, clauses opened by a marker, and what follows a colon. The
candidate proposer (candidates.py) gathers them; none of them decides.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from typing import TYPE_CHECKING

from gpu_brief.qa.kinds import SpanKind
from gpu_brief.text import fold

if TYPE_CHECKING:
    from gpu_brief.qa.candidates import Word, Words
    from gpu_brief.qa.language import LanguagePack

_CLAUSE_END = re.compile(r"[,;:.!?()«»\"“”]|\s[–—-]\s")


_DETAIL = re.compile(r"(?<!\d):\s+(?!\d)")
_DETAIL_END = re.compile(r";|[.!?](?:\s|$)")
_TWO_WORDS = re.compile(r"\s*\S+\s+\S")


def details(text: str) -> Iterator[tuple[int, int]]:
    """What follows a colon to the end of its clause (the next semicolon or the sentence's end):
    the things a sentence announces ("explore deux pistes : A et B"). The ends are found in one
    pass, so a text of many colons is not read again from each."""
    colons = [m.end() for m in _DETAIL.finditer(text)]
    if not colons:
        return
    ends = [m.start() for m in _DETAIL_END.finditer(text)]
    for start in colons:
        k = bisect_left(ends, start)
        stop = ends[k] if k < len(ends) else len(text)
        if _TWO_WORDS.match(text, start, stop):
            yield start, stop


def dates(words: Words, pack: LanguagePack) -> Iterator[tuple[int, int]]:
    """A month, with its day before it and its year after it when there are ("12 mars 2024")."""
    items = words.items
    for i, w in enumerate(items):
        if w.folded.rstrip(".") not in pack.months:
            continue
        a, b = i, i
        if i > 0 and items[i - 1].folded.rstrip("er").isdigit():
            a = i - 1
        if i + 1 < len(items) and items[i + 1].folded.isdigit() and len(items[i + 1].folded) == 4:
            b = i + 1
        yield items[a].start, items[b].end


_ROMAN = frozenset("ivxlcdm")


def _is_century(word: Word, pack: LanguagePack) -> bool:
    """ "XVIe", "IIIème": a Roman numeral with an ordinal suffix."""
    text = word.folded
    if text[:1] not in _ROMAN:  # most words: no numeral to strip a suffix from
        return False
    for suffix in pack.century_suffixes:
        if text.endswith(suffix) and len(text) > len(suffix) and set(text[: -len(suffix)]) <= _ROMAN:
            return word.text[:1].isupper()
    return False


def _is_number_word(word: Word, pack: LanguagePack) -> bool:
    """ "deux", "mille", "quatre-vingt-dix", "vingt-et-un"; not "un" alone (an article)."""
    parts = word.folded.split("-")
    if len(parts) == 1:
        return parts[0] in pack.number_words
    return all(p in pack.number_words or p in pack.number_parts for p in parts)


def numbers_in_words(words: Words, pack: LanguagePack) -> Iterator[tuple[int, int, SpanKind]]:
    """Numbers written in words, with the noun they count ("quatre-vingt-dix mille hommes"; a
    duration when it is a unit of time: "dix-huit mois"), and centuries ("XVIe siècle")."""
    items = words.items
    i = 0
    while i < len(items):
        w = items[i]
        if _is_century(w, pack) and i + 1 < len(items) and items[i + 1].folded in pack.century_words:
            yield w.start, items[i + 1].end, SpanKind.DATE
            i += 2
            continue
        if not _is_number_word(w, pack):
            i += 1
            continue
        j = i
        while j + 1 < len(items):
            if _is_number_word(items[j + 1], pack):
                j += 1
            elif (
                items[j + 1].folded in pack.number_links
                and j + 2 < len(items)
                and _is_number_word(items[j + 2], pack)
            ):
                j += 2  # one number: "dizaines de milliers", "centaines de millions"
            else:
                break
        k = j + 1
        if k < len(items) and items[k].folded in pack.number_links and k + 1 < len(items):
            k += 1
        if k < len(items) and not words.classes[k]:
            unit = items[k].folded in pack.duration_units
            yield w.start, items[k].end, SpanKind.DURATION if unit else SpanKind.COUNT
        yield w.start, items[j].end, SpanKind.COUNT
        i = j + 1


def _is_capital(word: Word) -> bool:
    return word.text[:1].isupper() and any(c.isalpha() for c in word.text)


def names(words: Words) -> Iterator[tuple[int, int]]:
    """Runs of capitalised words ("Jean-Christophe Boullion", "William M. Jennings"), with up to
    two lowercase function words between two of them ("Ministère des Sports"); not a sentence's
    first word alone (a name there comes from the entities ingest found)."""
    items, classes = words.items, words.classes

    def joins(k: int) -> bool:
        """Word k may sit inside a name: a particle, or the full stop of an initial ("M.")."""
        if items[k].text == ".":
            return len(items[k - 1].text) == 1 and _is_capital(items[k - 1])
        return bool(classes[k]) and "punct" not in classes[k] and not _is_capital(items[k])

    i = 0
    while i < len(items):
        if not _is_capital(items[i]) or (i == 0 and classes[0]):
            i += 1
            continue
        j = i
        while True:
            k = j + 1
            while k < len(items) and k - j <= 2 and joins(k):
                k += 1
            if k < len(items) and _is_capital(items[k]):
                j = k
                continue
            if k == j + 1 and k < len(items) and items[k].folded.isdigit() and len(items[k].folded) <= 3:
                j = k  # "Lola 13", "GPT 4"
            break
        if i > 0 or j > 0:  # one capitalised word opening a sentence may be any word ("Récemment")
            yield items[i].start, items[j].end
        i = j + 1


def clauses(text: str, pack: LanguagePack) -> Iterator[tuple[SpanKind, int, int]]:
    """From each clause marker to the end of its clause; the marker included and not."""
    folded = fold(text).replace("’", "'")
    for kind, pattern in pack.marker_patterns.items():
        span_kind = _CLAUSE_KINDS.get(kind)
        if span_kind is None:
            continue
        for m in pattern.finditer(folded):
            end = _clause_end(text, m.end())
            if end - m.end() < 3:
                continue
            yield span_kind, m.start(), end
            yield span_kind, m.end(), end


_CLAUSE_KINDS = {
    "cause": SpanKind.CAUSE,
    "purpose": SpanKind.PURPOSE,
    "consequence": SpanKind.CONSEQUENCE,
    "reported": SpanKind.REPORTED,
    "unknown": SpanKind.UNKNOWN,
}


def _clause_end(text: str, start: int) -> int:
    m = _CLAUSE_END.search(text, start + 1)
    end = m.start() if m else len(text)
    # a parenthesis, or a decimal comma, does not end a clause: "3 GW (gigawatts)", "2,5 %"
    while m and (text[m.start()] == "(" or (text[m.start()] in ",." and _digit_around(text, m.start()))):
        close = text.find(")", m.start()) if text[m.start()] == "(" else m.start()
        m = _CLAUSE_END.search(text, close + 1) if close >= 0 else None
        end = m.start() if m else len(text)
    return end


def _digit_around(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
