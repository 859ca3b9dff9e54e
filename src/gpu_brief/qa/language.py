"""Language packs: the cue words of `resources/lang/*.yaml`, folded and ready to match.

The YAML is read when an index is built and stored in its header as plain data, so answering
never imports YAML; `LanguagePack.from_data` compiles that data once per engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from gpu_brief.qa.kinds import Asked, Cue, Lang
from gpu_brief.text import ENGLISH_STOPWORDS, fold

LANG_DIR = Path(__file__).resolve().parent.parent / "resources" / "lang"


def read_packs() -> dict[str, Any]:
    """The language packs as plain data (YAML read here, at index build time only)."""
    import yaml

    from gpu_brief.name_words import RAW

    out: dict[str, Any] = {}
    for lang in Lang:
        data = yaml.safe_load((LANG_DIR / f"{lang.value}.yaml").read_text(encoding="utf-8"))
        out[lang.value] = data
    # the role nouns of a person that ingest reads ("l'avocate de X") ask for a person too ("Quel
    # avocat défend X ?"): one list, fr_names' person_roles
    french = out[Lang.FR.value]
    nouns = french.setdefault("nouns", {})
    adjectives = set(french.get("roles_not_asked") or ())
    roles = [w for w in RAW["person_roles"] if w not in adjectives]
    nouns["person"] = list(dict.fromkeys([*nouns.get("person", []), *roles]))
    return out


def _folded(words: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(fold(str(w)).replace("’", "'") for w in words or ()))


def phrase_regex(phrases: tuple[str, ...]) -> str:
    """The regex of a list of folded phrases, longest first, matched as whole words (kept as
    text so that patterns built from several lists are compiled once: compiling is most of
    what a cold question spends on these)."""
    ordered = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not ordered:
        return r"(?!x)x"
    body = "|".join(re.escape(p) for p in ordered)
    # a phrase ending in an elision ("en raison d'") runs on into its word: "d'une"
    return rf"(?<![\w'-])(?:{body})(?:(?<=')|(?!\w))"


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # exactly the characters regex `\w` matches


class PhraseSet:
    """Finds what `phrase_regex`'s pattern finds (whole-word phrases, the longest at a place, left to
    right), by looking the text's slices up in sets: no regex to compile for a list read once
    per question (the question cues compiled in 2 ms, more than reading the question took)."""

    def __init__(self, phrases: tuple[str, ...]) -> None:
        by_length: dict[int, set[str]] = {}
        for phrase in phrases:
            if phrase:
                by_length.setdefault(len(phrase), set()).add(phrase)
        self._lengths = sorted(by_length, reverse=True)
        self._by_length = {n: frozenset(found) for n, found in by_length.items()}

    def spans(self, text: str, pos: int = 0) -> Iterator[tuple[int, int]]:
        """(start, end) of each phrase found in `text` from `pos`, as `finditer` would give."""
        i, n = pos, len(text)
        while i < n:
            end = (
                self._at(text, i)
                if i == 0 or (text[i - 1] not in "'-" and not _word_char(text[i - 1]))
                else None
            )
            if end is None:
                i += 1
                continue
            yield i, end
            i = end if end > i else i + 1

    def _at(self, text: str, i: int) -> int | None:
        for length in self._lengths:
            end = i + length
            if text[i:end] in self._by_length[length] and (
                text[end - 1] == "'" or end == len(text) or not _word_char(text[end])
            ):
                return end
        return None


@dataclass
class LanguagePack:
    """One language's cue words, folded (lowercase, no accents, straight apostrophes)."""

    lang: Lang
    markers: frozenset[str]
    cues: dict[str, Cue]  # folded phrase -> cue
    yes_no: tuple[str, ...]
    nouns: dict[str, Asked]  # folded noun -> the answer type it asks for
    frame: frozenset[str]
    classes: dict[str, tuple[str, ...]]  # folded function word -> its classes
    markers_of: dict[str, tuple[str, ...]] = field(default_factory=dict)  # clause kind -> phrases
    months: frozenset[str] = frozenset()
    date_words: frozenset[str] = frozenset()
    anaphora: tuple[str, ...] = ()
    number_words: frozenset[str] = frozenset()
    number_parts: frozenset[str] = frozenset()
    number_links: frozenset[str] = frozenset()
    duration_units: frozenset[str] = frozenset()
    measured_in: dict[str, frozenset[str]] = field(default_factory=dict)  # "distance" -> {m, km}
    century_suffixes: tuple[str, ...] = ()  # longest first: "ème" is tried before "e"
    century_words: frozenset[str] = frozenset()
    qualifiers: tuple[str, ...] = ()
    markers_before_infinitive: dict[str, tuple[str, ...]] = field(default_factory=dict)
    infinitive_endings: tuple[str, ...] = ()
    coordinators: tuple[str, ...] = ()  # join the last item of a list ("X, Y et Z")
    choices: frozenset[str] = frozenset()  # offer alternatives in a question ("A ou B ?")
    possessives: frozenset[str] = frozenset()  # join an owner to its noun ("the village's budget")
    focus_links: frozenset[str] = frozenset()  # may stand between "what" and its noun ("is the")
    complements: frozenset[str] = frozenset()  # join a noun to its complement ("évacuations de foyers")
    name_particles: frozenset[str] = frozenset()  # inside a name: "Racing Club de Castelbourg"
    denials: tuple[str, ...] = ()  # deny the figure after them: "32 euros, et non 34 euros"
    head_last: bool = False  # a compound's head is its last noun ("chip company"), not its first
    plural_endings: tuple[tuple[str, str], ...] = ()  # ("ves", "fe"): "midwives" is "midwife"
    # sets of words that exclude one another, each member its synonyms ("Japon", "japonais"), as
    # written: the analyzer reads them ("né" folded is the negation "ne", which it drops)
    contrasts: tuple[tuple[tuple[str, ...], ...], ...] = ()

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> LanguagePack:
        cues = {p: Cue(kind) for kind, phrases in (data.get("cues") or {}).items() for p in _folded(phrases)}
        nouns = {n: Asked(kind) for kind, words in (data.get("nouns") or {}).items() for n in _folded(words)}
        classes: dict[str, tuple[str, ...]] = {}
        for kind, words in (data.get("classes") or {}).items():
            for w in _folded(words):
                classes[w] = (*classes.get(w, ()), str(kind))
        return cls(
            lang=Lang(data["lang"]),
            markers=frozenset(_folded(data.get("markers"))),
            cues=cues,
            yes_no=_folded(data.get("yes_no")),
            nouns=nouns,
            frame=frozenset(_folded(data.get("frame"))),
            classes=classes,
            markers_of={str(k): _folded(v) for k, v in (data.get("markers_of") or {}).items()},
            months=frozenset(_folded(data.get("months"))),
            date_words=frozenset(_folded(data.get("date_words"))),
            anaphora=_folded(data.get("anaphora")),
            number_words=frozenset(_folded(data.get("number_words"))),
            number_parts=frozenset(_folded(data.get("number_parts"))),
            number_links=frozenset(_folded(data.get("number_links"))),
            duration_units=frozenset(_folded(data.get("duration_units"))),
            measured_in={
                fold(str(k)): frozenset(str(u) for u in v) for k, v in (data.get("measured_in") or {}).items()
            },
            century_suffixes=tuple(sorted(_folded(data.get("century_suffixes")), key=len, reverse=True)),
            century_words=frozenset(_folded(data.get("century_words"))),
            qualifiers=_folded(data.get("qualifiers")),
            markers_before_infinitive={
                str(k): _folded(v) for k, v in (data.get("markers_before_infinitive") or {}).items()
            },
            infinitive_endings=_folded(data.get("infinitive_endings")),
            coordinators=_folded(data.get("coordinators")),
            choices=frozenset(_folded(data.get("choices"))),
            possessives=frozenset(str(w) for w in data.get("possessives") or ()),
            focus_links=frozenset(_folded(data.get("focus_links"))),
            complements=frozenset(_folded(data.get("complements"))),
            name_particles=frozenset(_folded(data.get("name_particles"))),
            denials=_folded(data.get("denials")),
            head_last=data.get("compound_head") == "last",
            plural_endings=tuple(
                (str(end), str(new))
                for end, news in (data.get("plural_endings") or {}).items()
                for new in news or ()
            ),
            contrasts=tuple(
                tuple(tuple(str(w) for w in member) for member in members or ())
                for members in (data.get("contrasts") or {}).values()
            ),
        )

    @cached_property
    def cue_phrases(self) -> PhraseSet:
        return PhraseSet(tuple(self.cues))

    @cached_property
    def yes_no_pattern(self) -> re.Pattern[str]:
        """Inversions ("-t-il") match anywhere; other phrases only at the start."""
        glued = [p for p in self.yes_no if p.startswith("-")]
        opening = [p for p in self.yes_no if not p.startswith("-")]
        parts = []
        if opening:
            parts.append(
                r"^(?:" + "|".join(re.escape(p) for p in sorted(opening, key=len, reverse=True)) + r")\b"
            )
        if glued:
            parts.append(
                r"\w(?:" + "|".join(re.escape(p) for p in sorted(glued, key=len, reverse=True)) + r")\b"
            )
        return re.compile("|".join(parts) or r"(?!x)x")

    @cached_property
    def yes_no_opening(self) -> re.Pattern[str]:
        """The yes/no phrases that open a question ("est-ce que"), with what follows them."""
        opening = sorted(
            (p for p in self.yes_no if not p.startswith("-") and " " in p), key=len, reverse=True
        )
        body = "|".join(re.escape(p) for p in opening)
        return re.compile(rf"^(?:{body})\s*" if body else r"(?!x)x")

    @cached_property
    def qualifier_pattern(self) -> re.Pattern[str]:
        """A qualifier ending right where a candidate starts (matched on folded text)."""
        body = "|".join(re.escape(p) for p in sorted(self.qualifiers, key=len, reverse=True))
        return re.compile(rf"(?<![\w'-])(?:{body})\s*$" if body else r"(?!x)x")

    @cached_property
    def marker_patterns(self) -> dict[str, re.Pattern[str]]:
        """Per clause kind, one regex: its markers, and those that count only before a verb in
        the infinitive (a pronoun may come between)."""
        out = {kind: phrase_regex(phrases) for kind, phrases in self.markers_of.items()}
        if self.infinitive_endings:
            pronouns = sorted((w for w, c in self.classes.items() if "pronoun" in c), key=len, reverse=True)
            clitic = "|".join(re.escape(w) + (r"" if w.endswith("'") else r"\s+") for w in pronouns)
            endings = "|".join(re.escape(e) for e in self.infinitive_endings)
            function = "|".join(re.escape(w) for w, c in self.classes.items() if "pronoun" not in c)
            verb = rf"(?=\s+(?:{clitic})?(?!(?:{function})(?!\w))[\w-]*(?:{endings})(?!\w))"
            for kind, phrases in self.markers_before_infinitive.items():
                before = phrase_regex(phrases) + verb
                out[kind] = f"{out[kind]}|{before}" if kind in out else before
        return {kind: re.compile(pattern) for kind, pattern in out.items()}

    @cached_property
    def anaphora_pattern(self) -> re.Pattern[str]:
        body = "|".join(re.escape(p) for p in sorted(self.anaphora, key=len, reverse=True))
        return re.compile(rf"^(?:{body})(?![\w])" if body else r"(?!x)x")

    @cached_property
    def denial_pattern(self) -> re.Pattern[str]:
        """A denial and at most one word (a preposition) right before the end of folded text
        (`phrase_regex` matches whole words, and nothing when the pack lists none)."""
        return re.compile(rf"{phrase_regex(self.denials)}(?:\s+[\w']+)?\s*$")

    def noun_type(self, word: str) -> Asked | None:
        """The answer type a noun asks for ("villes" -> place), plural or not."""
        w = fold(word)
        found = self.nouns.get(w)
        if found is None and len(w) > 3 and w[-1] in "sx":
            found = self.nouns.get(w[:-1])
        return found

    def word_classes(self, word: str) -> tuple[str, ...]:
        return self.classes.get(fold(word).replace("’", "'"), ())

    def function_word(self, word: str) -> bool:
        """A word of a class (French), or a stopword of a pack that lists no classes (English)."""
        return bool(self.word_classes(word)) or (not self.classes and word in ENGLISH_STOPWORDS)

    def links_focus(self, word: str) -> bool:
        """May the word stand between a cue and the noun it asks about ("quel est le", "what is the")?"""
        return word in self.focus_links if self.focus_links else bool(self.word_classes(word))


def load_packs(data: dict[str, Any]) -> dict[Lang, LanguagePack]:
    return {Lang(lang): LanguagePack.from_data(d) for lang, d in data.items()}
