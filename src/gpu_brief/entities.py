"""Gazetteer + aliases -> entity mentions with exact offsets, and candidate names for review.

Matching works on word tokens of the folded text, so it ignores case, accents, apostrophe style
and spacing (`X. AI` = `X.AI`), yet a mention must start with a capital when its alias does:
"Apple" never matches the fruit. A product name never matches inside a longer one: `GPT-4` is not
found in `GPT-4.5` or `GPT-4o`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gpu_brief.text import FRENCH_STOPWORDS, fold, fold_with_map

_TOKEN = re.compile(r"[^\W_]+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class EntityDef:
    """A gazetteer entry in plain data (loaded from YAML by `store`, or from an index header)."""

    name: str
    type: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Found:
    """A mention found in a text: offsets are into that text."""

    name: str
    type: str
    start: int
    end: int
    role: bool = False


def _tokens(folded: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(folded)]


SLUG_PREFIX = "ent:"


def is_slug(term: str) -> bool:
    """Is an index term an entity's (`slug`), not a word?"""
    return term.startswith(SLUG_PREFIX)


def slug(name: str) -> str:
    """Stable term for an entity in the index: `ent:sam-altman`."""
    return SLUG_PREFIX + "-".join(t for t, _, _ in _tokens(fold(name)) if t.isalnum())


class EntityMatcher:
    """Finds gazetteer names (and role phrases) in text by longest match on word tokens."""

    def __init__(self, entities: Iterable[EntityDef]) -> None:
        self.entities = {e.name: e for e in entities}
        # first token -> list of (token tuple, entity name, alias starts with capital, is role)
        self._index: dict[str, list[tuple[tuple[str, ...], str, bool, bool]]] = {}
        self._seen: set[tuple[tuple[str, ...], bool]] = set()
        for entity in self.entities.values():
            for alias in (entity.name, *entity.aliases):
                self._add(alias, entity.name, role=False)
            for role in entity.roles:
                self._add(role, entity.name, role=True)
        for candidates in self._index.values():
            candidates.sort(key=lambda c: -len(c[0]))
        self._last_words = {c[0][-1] for bucket in self._index.values() for c in bucket if not c[3]}

    def _add(self, alias: str, name: str, role: bool) -> None:
        toks = tuple(t for t, _, _ in _tokens(fold(alias)))
        if not toks:
            return
        capital = alias[:1].isupper() and not role
        entry = (toks, name, capital, role)
        if (toks, role) not in self._seen:
            self._seen.add((toks, role))
            self._index.setdefault(toks[0], []).append(entry)

    def find(self, text: str, *, ignore_case: bool = False) -> list[Found]:
        """Mentions in `text`, names first-longest and non-overlapping; roles listed separately.

        `ignore_case` is for questions, where users type `altman` or `nvidia` in lowercase.
        """
        folded, index = fold_with_map(text)
        toks = _tokens(folded)
        found: list[Found] = []
        for want_role in (False, True):
            i = 0
            inside: tuple[int, int, str] | None = None  # the longer name we are inside of
            while i < len(toks):
                match = self._match_at(text, toks, index, i, want_role, ignore_case)
                if match is None or (inside is not None and match[1] == inside[2]):
                    i += 1
                    if inside is not None and i >= inside[1]:
                        inside = None
                    continue
                length, name = match
                if inside is not None and i + length > inside[1]:
                    i += 1
                    continue
                start = index[toks[i][1]]
                end = index[toks[i + length - 1][2] - 1] + 1
                entity = self.entities[name]
                found.append(Found(name, entity.type, start, end, role=want_role))
                if inside is None and length > 1 and not want_role:
                    # Names inside a longer name are mentions too: "Images in ChatGPT" names ChatGPT.
                    inside = (i, i + length, name)
                    i += 1
                else:
                    i += length
        found.sort(key=lambda f: (f.start, f.role))
        return found

    def _match_at(
        self,
        text: str,
        toks: Sequence[tuple[str, int, int]],
        index: list[int],
        i: int,
        want_role: bool,
        ignore_case: bool,
    ) -> tuple[int, str] | None:
        first = toks[i][0]
        if not first[0].isalnum():
            return None
        if _continues_a_name(toks, i) and not self._joins_names(text, toks, index, i):
            return None  # inside a longer name: `4` of `GPT-4`
        for alias_toks, name, capital, role in self._index.get(first, ()):
            if role != want_role:
                continue
            n = len(alias_toks)
            if tuple(t for t, _, _ in toks[i : i + n]) != alias_toks:
                continue
            if capital and not ignore_case and not text[index[toks[i][1]]].isupper():
                continue
            after = i + n
            if after < len(toks) and _glued(toks[after - 1], toks[after]):
                nxt = toks[after][0]
                if nxt[0].isalnum():
                    continue
                if (
                    after + 1 < len(toks)
                    and _continues_a_name(toks, after + 1)
                    and not self._joins_names(text, toks, index, after + 1)
                ):
                    continue  # `GPT-4` followed by `.5` or `-turbo`: a longer name
            return n, name
        return None

    def _joins_names(self, text: str, toks: Sequence[tuple[str, int, int]], index: list[int], i: int) -> bool:
        """ "le supercalculateur Microsoft-OpenAI": two capitalised names joined by a hyphen are
        two mentions, not one longer name like `GPT-4-turbo`."""
        before, after = toks[i - 2][0], toks[i][0]
        if toks[i - 1][0] != "-" or not (before.isalpha() and after.isalpha()):
            return False
        if not (text[index[toks[i - 2][1]]].isupper() and text[index[toks[i][1]]].isupper()):
            return False
        return before in self._last_words and any(
            tuple(t for t, _, _ in toks[i : i + len(alias)]) == alias
            for alias, _, _, role in self._index.get(after, ())
            if not role
        )


def _glued(a: tuple[str, int, int], b: tuple[str, int, int]) -> bool:
    return a[2] == b[1]


def _continues_a_name(toks: Sequence[tuple[str, int, int]], i: int) -> bool:
    """Token i is glued by `-` or `.` to a word before it: `4` in `GPT-4`, `5` in `GPT-4.5`."""
    return (
        i > 1
        and toks[i][0][0].isalnum()
        and toks[i - 1][0] in "-."
        and _glued(toks[i - 1], toks[i])
        and _glued(toks[i - 2], toks[i - 1])
        and toks[i - 2][0][0].isalnum()
    )


_CAP_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ][\w’'\-]*[\w]|[A-ZÀ-ÖØ-Þ]")
_PARTICLES = frozenset(
    {"de", "du", "des", "d", "van", "von", "di", "da", "del", "la", "le", "of", "the", "&"}
)
# Words that start French sentences in capitals without being names.
_SENTENCE_WORDS = frozenset(
    """selon cependant toutefois pourtant ainsi depuis lors avant apres outre malgre grace face comme meme
    enfin alors donc mais puis ensuite aujourd'hui hier demain desormais neanmoins par pour dans sur sous
    avec chez contre vers entre voici voila certes bref or si quand lorsque tandis d'apres afin""".split()
)


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \u00a0\u202f\"'«“(-–—")
    return not before or before[-1] in ".!?:;"


def candidate_names(
    text: str, known: Sequence[tuple[int, int]], lowercase_words: set[str]
) -> list[tuple[str, int, int]]:
    """Capitalised spans that look like names but are not in the gazetteer: several words, or one
    word in the middle of a sentence.

    A capitalised word whose lowercase form occurs elsewhere in the corpus (`Selon`, `Cependant`)
    is an ordinary word at a sentence start, not part of a name.
    """
    out: list[tuple[str, int, int]] = []
    words = [(m.group(), m.start(), m.end()) for m in re.finditer(r"[^\W_][\w\-]*", text)]
    run: list[tuple[str, int, int]] = []

    def flush() -> None:
        while run and fold(run[-1][0]) in _PARTICLES:
            run.pop()
        caps = [w for w in run if w[0][:1].isupper()]
        start, end = (run[0][1], run[-1][2]) if run else (0, 0)
        # One capitalised word is a name only mid-sentence ("à Rennes", "chez Scaleway"): at a
        # sentence start it may be any word.
        word = run[0][0] if len(run) == 1 else ""
        single = (
            len(caps) == 1
            and len(word) >= 3
            and not word.isupper()  # "GPU", "PDG": acronyms of common nouns as often as names
            and not _opens_sentence(text, start)
        )
        if (len(caps) >= 2 or single) and not any(a < end and start < b for a, b in known):
            out.append((text[start:end], start, end))
        run.clear()

    for word, start, end in words:
        is_cap = bool(_CAP_WORD.fullmatch(word)) and word[0].isupper()
        plain = fold(word)
        if (
            is_cap
            and plain not in lowercase_words
            and plain not in FRENCH_STOPWORDS
            and plain not in _SENTENCE_WORDS
        ):
            gap = text[run[-1][2] : start] if run else " "
            if run and gap.strip():
                flush()
            run.append((word, start, end))
        elif run and plain in _PARTICLES and text[run[-1][2] : start].strip() == "":
            run.append((word, start, end))
        else:
            flush()
    flush()
    return out


def count_candidates(found: Iterable[tuple[str, str]]) -> list[tuple[str, int, int]]:
    """(name, mentions, files) for candidate names, most frequent first."""
    mentions: Counter[str] = Counter()
    files: dict[str, set[str]] = {}
    for name, source in found:
        mentions[name] += 1
        files.setdefault(name, set()).add(source)
    return sorted(((name, n, len(files[name])) for name, n in mentions.items()), key=lambda r: (-r[1], r[0]))
