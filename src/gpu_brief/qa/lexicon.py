"""Lexicons: how English questions and French synonyms meet the corpus's terms.

Three layers, merged in order: the general EN->FR lexicon (`resources/lang/en-fr.yaml`), the
domain packs a claims file was made with (`resources/domains/NAME/lexicon.yaml`), and the user's
own (`ingest --lexicon FILE`). They are compiled into analyzed terms when an index is built.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from gpu_brief.text import Analyzer, fold

FALLBACK_WEIGHT = 0.5  # a corpus word standing in for a question word it begins like
PREFIX = 5  # letters a question word must share with a corpus word to stand in for it
HYPHEN_WHOLES = 3  # a word is a name's part ("Mirabel" of "Mirabel-aux-Baronnies") in at most so many names

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


_WIDTH = 8  # hex digits of one offset in a packed table


class Table(Mapping[str, list[list[str]]]):
    """One compiled table as the index keeps it: sorted keys and their JSON values, one a line,
    with each line's offset in fixed-width hex. A key is found by bisection and its value decoded
    when asked for: a question reads 10 to 100 of the lexicon's thousands of entries, and
    splitting the tables into dictionaries cost 2 ms of each cold question, decoding them all
    more than answering did."""

    def __init__(self, keys: str, values: str, key_at: str, value_at: str) -> None:
        self._keys, self._values, self._key_at, self._value_at = keys, values, key_at, value_at
        self._n = len(key_at) // _WIDTH - 1 if key_at else 0
        self._decoded: dict[str, list[list[str]]] = {}

    def _at(self, offsets: str, i: int) -> int:
        return int(offsets[i * _WIDTH : (i + 1) * _WIDTH], 16)

    def _key(self, i: int) -> str:
        return self._keys[self._at(self._key_at, i) : self._at(self._key_at, i + 1) - 1]

    def _find(self, key: str) -> int | None:
        lo, hi = 0, self._n
        while lo < hi:
            mid = (lo + hi) // 2
            if self._key(mid) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < self._n and self._key(lo) == key else None

    def __getitem__(self, key: str) -> list[list[str]]:
        value = self._decoded.get(key)
        if value is None:
            i = self._find(key) if isinstance(key, str) else None
            if i is None:
                raise KeyError(key)
            raw = self._values[self._at(self._value_at, i) : self._at(self._value_at, i + 1) - 1]
            value = self._decoded[key] = json.loads(raw)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and (key in self._decoded or self._find(key) is not None)

    def __iter__(self) -> Iterator[str]:
        return (self._key(i) for i in range(self._n))

    def __len__(self) -> int:
        return self._n


def _lines(items: list[str]) -> tuple[str, str]:
    """Items one a line (each ending in a newline), and each line's offset then the end's."""
    offsets, at = [], 0
    for item in items:
        offsets.append(at)
        at += len(item) + 1
    offsets.append(at)
    return "".join(item + "\n" for item in items), "".join(f"{o:0{_WIDTH}x}" for o in offsets)


def pack_lexicon(lexicon: dict[str, Any]) -> dict[str, Any]:
    """A compiled lexicon as the index header stores it: each table as `Table` reads it."""
    out: dict[str, Any] = {k: v for k, v in lexicon.items() if k not in TABLES}
    for name in TABLES:
        table = lexicon.get(name) or {}
        keys = sorted(table)
        values = [json.dumps(table[k], ensure_ascii=False, separators=(",", ":")) for k in keys]
        (keys_text, key_at), (values_text, value_at) = _lines(keys), _lines(values)
        out[name] = {"keys": keys_text, "values": values_text, "key_at": key_at, "value_at": value_at}
    return out


def unpack_lexicon(data: dict[str, Any]) -> dict[str, Any]:
    """What `pack_lexicon` stored, its tables read lazily."""
    out: dict[str, Any] = {k: v for k, v in data.items() if k not in TABLES}
    for name in TABLES:
        packed = data.get(name) or {}
        out[name] = Table(
            str(packed.get("keys", "")),
            str(packed.get("values", "")),
            str(packed.get("key_at", "")),
            str(packed.get("value_at", "")),
        )
    return out


class Vocabulary:
    """What the corpus says, to repair question words it never uses.

    Snowball leaves some families apart (`cofondée` / `cofondateur`, `GPUs` / `GPU`), users
    misspell (`nvidea`, "Romain Dar") and write part of a hyphenated name ("Mirabel" for
    "Mirabel-aux-Baronnies"); a word the corpus never uses gets the hyphenated names it is part
    of, and, at a lower weight, the corpus words that share its first letters or are one edit
    away, or for a name the nearest words of the corpus's entity names.
    """

    def __init__(
        self,
        known: Any,
        surface: dict[str, str],
        parts: Callable[[], Mapping[str, tuple[str, ...]]] | None = None,
        names: Callable[[], Iterable[str]] | None = None,
    ) -> None:
        import bisect

        self._known = known
        self._parts = parts
        self._names = names
        self._name_words: dict[str, list[str]] | None = None
        self.surface = surface
        self._words = sorted(surface)
        self._bisect = bisect.bisect_left

    def known(self, term: str) -> bool:
        return bool(self._known(term))

    def variants(self, word: str, by_prefix: bool = True) -> list[Alternative]:
        """Corpus terms a word the corpus never uses may stand for: its singular, the hyphenated
        names it is part of (or its hyphen's parts), then words beginning like it, then for a
        name (`by_prefix` False) the entity names' words near it, else words one edit away."""
        word = fold(word.lower())
        out: list[Alternative] = []
        if " " in word or len(word) < 3:
            return out
        for cut in ("s", "es", "x"):
            if word.endswith(cut) and self.known(word[: -len(cut)]):
                out.append(((word[: -len(cut)], 1.0),))
        if any(c.isdigit() for c in word):
            return out
        # names written with or without their hyphens: "Mirabel" or "Tite Live" for the corpus's
        # "Mirabel-aux-Baronnies", "Tite-Live"; "Jean-Paul" for its "Jean Paul"
        wholes = self._parts().get(word, ()) if self._parts is not None else ()
        if 0 < len(wholes) <= HYPHEN_WHOLES:
            out.extend(((whole, 1.0),) for whole in wholes)
        pieces = word.split("-")
        if len(pieces) > 1 and all(self.known(p) for p in pieces):
            out.append(tuple((p, 1.0 / len(pieces)) for p in pieces))
        if by_prefix and len(word) >= PREFIX + 1:
            prefix = word[:PREFIX]
            i = self._bisect(self._words, prefix)
            while i < len(self._words) and self._words[i].startswith(prefix) and len(out) < 6:
                alt = ((self.surface[self._words[i]], FALLBACK_WEIGHT),)
                if alt not in out:
                    out.append(alt)
                i += 1
        named = False
        if not by_prefix and not out:
            # a name (misspelt beyond one edit, "Romain Dar" for Romen Dar, or short, "Musc") is
            # first mended to the words of the corpus's entity names: one edit away for 4 or 5
            # letters, two beyond, before any common word ("romaine")
            for other in self._near_names(word, 1 if len(word) < 6 else 2):
                out.append(((self.surface[other], FALLBACK_WEIGHT),))
                named = True
        if len(word) >= 5 and len(out) < 2 and not named:
            for other in self._one_edit(word):
                alt = ((self.surface[other], FALLBACK_WEIGHT),)
                if alt not in out:
                    out.append(alt)
        return out[:4]

    def _near_names(self, word: str, most: int) -> list[str]:
        """Words of the corpus's entity names (as the corpus spells them) at most `most` edits
        from `word`, closest first; only those of its first letter are compared."""
        if self._names is None or len(word) < 4:
            return []
        if self._name_words is None:
            by_letter: dict[str, set[str]] = {}
            for name in self._names():
                for w in re.findall(r"[^\W\d_]{4,}", fold(name)):
                    if w in self.surface:
                        by_letter.setdefault(w[0], set()).add(w)
            self._name_words = {k: sorted(v) for k, v in by_letter.items()}
        near = []
        for other in self._name_words.get(word[0], ()):
            if other != word and abs(len(other) - len(word)) <= most:
                d = _edits(word, other, most)
                if d <= most:
                    near.append((d, other))
        return [w for _, w in sorted(near)[:2]]

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


def _edits(a: str, b: str, most: int) -> int:
    """Substitutions, insertions, deletions and swaps of two neighbours from a to b (optimal
    string alignment), or most + 1 as soon as it must exceed `most`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], previous2[j - 2] + 1)
        if min(row) > most:
            return most + 1
        previous2, previous = previous, row
    return previous[-1]
