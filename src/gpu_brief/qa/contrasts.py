"""Words that exclude one another: a question's idea and a passage that says another member of
its set ("japonais" against "sud-coréen", "dernier" against "prochain", 2019 against 2027).

Such a passage speaks of another thing than the one asked about; the answerable model reads it
(`other_of_set` in `answerable.py`) and learns how much it counts. The sets are the language pack's
`contrasts` (data); a year is told from its digits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

YEARS = (1800, 2100)  # a number of four digits in this range is read as a year


def is_year(term: str) -> bool:
    return len(term) == 4 and term.isdigit() and YEARS[0] <= int(term) <= YEARS[1]


@dataclass(frozen=True)
class Member:
    """One member of a contrast set: the analyzer's terms of each of its words."""

    group: int
    words: tuple[frozenset[str], ...]
    surface: tuple[str, ...]  # the words as the language pack writes them (folded)

    def said(self, terms: frozenset[str]) -> bool:
        return any(w <= terms for w in self.words)


def analyse_sets(
    sets: Iterable[Iterable[Iterable[str]]], analyse: Callable[[str], list[str]]
) -> list[list[list[tuple[str, list[str]]]]]:
    """Each word of each member of each set with its index terms (done when an index is built:
    the index header keeps them, so a question analyses none)."""
    return [[[(w, analyse(w)) for w in member] for member in members] for members in sets]


class Contrasts:
    """The contrast sets as the analyzer's terms, ready to test a question's ideas."""

    def __init__(self, sets: Iterable[Iterable[Iterable[tuple[str, Iterable[str]]]]]) -> None:
        self.members: list[Member] = []
        for n, members in enumerate(sets):
            for words in members:
                kept = [(w, frozenset(terms)) for w, terms in words]
                kept = [(w, a) for w, a in kept if a]
                self.members.append(Member(n, tuple(a for _, a in kept), tuple(w for w, _ in kept)))
        self._by_term: dict[str, list[Member]] = {}
        for m in self.members:
            for w in m.words:
                for t in w:
                    self._by_term.setdefault(t, []).append(m)

    def of(self, terms: frozenset[str]) -> list[Member]:
        """The members an idea (its terms, alternatives included) is."""
        found = {id(m): m for t in terms for m in self._by_term.get(t, ()) if m.said(terms)}
        return list(found.values())

    def rival(self, idea: frozenset[str], said: frozenset[str], sentence: frozenset[str]) -> bool:
        """Does a passage that says none of the idea's terms (in `said`: its sentence and
        context) say another member of the idea's set in its sentence (or another year)?"""
        if idea & said:
            return False
        if any(is_year(t) for t in idea):
            return any(is_year(t) for t in sentence)
        own = self.of(idea)
        groups = {m.group for m in own}
        return any(
            m.group in groups and m not in own and m.said(said)
            for t in sentence
            for m in self._by_term.get(t, ())
        )
