"""Lexicons: how English questions and French synonyms meet the corpus's terms.

Three layers, merged in order: the general EN->FR lexicon (`resources/lang/en-fr.yaml`), the
domain packs a claims file was made with (`resources/domains/NAME/lexicon.yaml`), and the user's
own (`ingest --lexicon FILE`). They are compiled into analyzed terms when an index is built.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from typing import Any

from gpu_brief.text import Analyzer, fold

FALLBACK_WEIGHT = 0.5  # a corpus word standing in for a question word it begins like
PREFIX = 5  # letters a question word must share with a corpus word to stand in for it

Alternative = tuple[tuple[str, float], ...]


def compile_lexicon(raws: Iterable[dict[str, Any]], analyzer: Analyzer) -> dict[str, Any]:
    """Lexicon data -> lookup tables in analyzed terms (done once, when an index is built).

    `en`: English stem sequence (joined by spaces) -> alternatives (lists of French terms);
    `syn`: French term sequence -> alternatives from its synonym groups.
    """
    import Stemmer

    en_stem = Stemmer.Stemmer("english").stemWord
    en: dict[str, list[list[str]]] = {}
    syn: dict[str, list[list[str]]] = {}
    for raw in raws:
        for key, values in (raw.get("en_fr") or {}).items():
            stems = " ".join(en_stem(w) for w in re.findall(r"[a-z0-9]+", str(key).lower()))
            alts = en.setdefault(stems, [])
            for value in values or ():
                terms = analyzer.terms(str(value))
                if terms and terms not in alts:
                    alts.append(terms)
        for group in raw.get("fr_synonyms") or []:
            alts = [a for a in (analyzer.terms(str(w)) for w in group) if a]
            for alt in alts:
                bucket = syn.setdefault(" ".join(alt), [])
                for other in alts:
                    if other != alt and other not in bucket:
                        bucket.append(other)
    # French words that translate one English word stand for one another, less surely than
    # synonyms: "réussite" and "succès" (success), "débourser" and "payer" (pay)
    pivot: dict[str, list[list[str]]] = {}
    for alts in en.values():
        for alt in alts:
            bucket = pivot.setdefault(" ".join(alt), [])
            for other in alts:
                if other != alt and other not in bucket and other not in syn.get(" ".join(alt), []):
                    bucket.append(other)
    pivot = {k: v for k, v in pivot.items() if v}
    longest = max((len(k.split()) for k in en), default=1)
    syn_longest = max((len(k.split()) for k in [*syn, *pivot]), default=1)
    return {"en": en, "syn": syn, "pivot": pivot, "longest": longest, "syn_longest": syn_longest}


TABLES = ("en", "syn", "pivot")


class Table(Mapping[str, list[list[str]]]):
    """One compiled table as the index keeps it: keys and JSON values, one a line, each value
    decoded when asked for. A question reads a handful of the lexicon's thousands of entries;
    decoding them all at every start cost more than answering did."""

    def __init__(self, keys: str, values: str) -> None:
        self._keys, self._values = keys, values
        self._decoded: dict[str, list[list[str]]] = {}

    @cached_property
    def _raw(self) -> dict[str, str]:
        if not self._keys:
            return {}
        return dict(zip(self._keys.split("\n"), self._values.split("\n"), strict=True))

    def __getitem__(self, key: str) -> list[list[str]]:
        value = self._decoded.get(key)
        if value is None:
            value = self._decoded[key] = json.loads(self._raw[key])
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def pack_lexicon(lexicon: dict[str, Any]) -> dict[str, Any]:
    """A compiled lexicon as the index header stores it: each table as two strings."""
    out: dict[str, Any] = {k: v for k, v in lexicon.items() if k not in TABLES}
    for name in TABLES:
        table = lexicon.get(name) or {}
        keys = sorted(table)
        out[name] = {
            "keys": "\n".join(keys),
            "values": "\n".join(
                json.dumps(table[k], ensure_ascii=False, separators=(",", ":")) for k in keys
            ),
        }
    return out


def unpack_lexicon(data: dict[str, Any]) -> dict[str, Any]:
    """What `pack_lexicon` stored, its tables read lazily."""
    out: dict[str, Any] = {k: v for k, v in data.items() if k not in TABLES}
    for name in TABLES:
        packed = data.get(name) or {}
        out[name] = Table(str(packed.get("keys", "")), str(packed.get("values", "")))
    return out


class Vocabulary:
    """What the corpus says, to repair question words it never uses.

    Snowball leaves some families apart (`cofondée` / `cofondateur`, `GPUs` / `GPU`), and users
    misspell (`nvidea`); a word the corpus never uses gets, at a lower weight, the corpus words
    that share its first letters, or are one edit away.
    """

    def __init__(self, known: Any, surface: dict[str, str]) -> None:
        import bisect

        self._known = known
        self.surface = surface
        self._words = sorted(surface)
        self._bisect = bisect.bisect_left

    def known(self, term: str) -> bool:
        return bool(self._known(term))

    def variants(self, word: str, by_prefix: bool = True) -> list[Alternative]:
        """Corpus terms a word the corpus never uses may stand for: its singular, then words
        beginning like it, then words one edit away (a typo)."""
        word = fold(word.lower())
        out: list[Alternative] = []
        if " " in word or len(word) < 3:
            return out
        for cut in ("s", "es", "x"):
            if word.endswith(cut) and self.known(word[: -len(cut)]):
                out.append(((word[: -len(cut)], 1.0),))
        if any(c.isdigit() for c in word):
            return out
        if by_prefix and len(word) >= PREFIX + 1:
            prefix = word[:PREFIX]
            i = self._bisect(self._words, prefix)
            while i < len(self._words) and self._words[i].startswith(prefix) and len(out) < 6:
                alt = ((self.surface[self._words[i]], FALLBACK_WEIGHT),)
                if alt not in out:
                    out.append(alt)
                i += 1
        if len(word) >= 5 and len(out) < 2:
            for other in self._one_edit(word):
                alt = ((self.surface[other], FALLBACK_WEIGHT),)
                if alt not in out:
                    out.append(alt)
        return out[:4]

    def _one_edit(self, word: str) -> list[str]:
        """Corpus words one substitution, insertion, deletion or swap away ("nvidea" -> "nvidia")."""
        letters = "abcdefghijklmnopqrstuvwxyz"
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        edits = {a + b[1:] for a, b in splits if b}
        edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        edits |= {a + c + b[1:] for a, b in splits if b for c in letters}
        edits |= {a + c + b for a, b in splits for c in letters}
        edits.discard(word)
        return sorted(w for w in edits if w in self.surface)
