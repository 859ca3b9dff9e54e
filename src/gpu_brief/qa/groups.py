"""A question's words as term groups: French words with their synonyms, English words with their
French translations (a phrase the lexicon knows is one group), English words in a French question
read through the lexicon when the corpus never uses them ("Blackwell sold out jusqu'à quand ?").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from gpu_brief.qa.lexicon import Alternative
from gpu_brief.text import ENGLISH_STOPWORDS, Analyzer, fold

if TYPE_CHECKING:
    from gpu_brief.qa.language import LanguagePack
    from gpu_brief.qa.lexicon import Vocabulary
    from gpu_brief.qa.query import QueryGroup

SYNONYM_WEIGHT = 0.6  # retrieval's prior for a synonym or a translation's synonym
PIVOT_WEIGHT = 0.4  # for a word that translates the same English word (lexicon["pivot"])

_EN_WORD = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*")


def alternative(terms: list[str] | tuple[str, ...], weight: float = 1.0) -> Alternative:
    """One way of saying an idea: its terms share the idea's weight, so that a phrase of two
    words ("directeur général") counts as much as one word ("PDG"), not twice as much."""
    return tuple((t, weight / len(terms)) for t in terms)


def _group(
    label: str, alternatives: list[Alternative], start: int, end: int, translated: bool = False
) -> QueryGroup:
    from gpu_brief.qa.query import QueryGroup

    return QueryGroup(label, alternatives, start, end, translated=translated)


def _synonyms(terms: list[str], lexicon: dict[str, Any], known: list[Alternative]) -> list[Alternative]:
    out: list[Alternative] = []
    seen = {tuple(t for t, _ in alt) for alt in known}
    key = " ".join(terms)
    for table, weight in (("syn", SYNONYM_WEIGHT), ("pivot", PIVOT_WEIGHT)):
        for other in lexicon.get(table, {}).get(key, []):
            if tuple(other) not in seen:
                seen.add(tuple(other))
                out.append(alternative(other, weight))
    return out


def french_groups(
    question: str, analyzer: Analyzer, lexicon: dict[str, Any], pack: LanguagePack, vocabulary: Vocabulary
) -> list[QueryGroup]:
    """Word groups of a French question; a phrase the synonym table knows ("mettre au point") is one."""
    tokens = [t for t in analyzer.tokens(question, "fr") if fold(question[t.start : t.end]) not in pack.frame]
    syn: dict[str, list[list[str]]] = lexicon["syn"]
    groups: list[QueryGroup] = []
    seen: set[str] = set()
    i = 0
    while i < len(tokens):
        n = 1
        for n in range(min(lexicon.get("syn_longest", 1), len(tokens) - i), 0, -1):
            chunk = tokens[i : i + n]
            key = " ".join(t.term for t in chunk)
            if n > 1 and key not in syn and key not in lexicon.get("pivot", {}):
                continue
            if key not in seen:
                seen.add(key)
                alts: list[Alternative] = [alternative([t.term for t in chunk])]
                alts += _synonyms([t.term for t in chunk], lexicon, alts)
                start, end = chunk[0].start, chunk[-1].end
                groups.append(_group(question[start:end], alts, start, end))
            break
        i += n
    return _code_switched(question, analyzer, lexicon, groups, vocabulary, pack)


def _code_switched(
    question: str,
    analyzer: Analyzer,
    lexicon: dict[str, Any],
    words: list[QueryGroup],
    vocabulary: Vocabulary,
    pack: LanguagePack,
) -> list[QueryGroup]:
    """French readers write English terms ("tokens en input"): an English phrase whose words the
    corpus never uses is read through the lexicon."""
    if all(any(vocabulary.known(t) for t, _ in g.alternatives[0]) for g in words):
        return words
    out = list(words)
    for group in english_groups(question, analyzer, lexicon, pack):
        if not group.translated:
            continue
        inside = [w for w in out if group.start <= w.start and w.end <= group.end]
        own = [t for w in inside for t, _ in w.alternatives[0]]
        if not inside or any(vocabulary.known(t) for t in own):
            continue
        out = [w for w in out if w not in inside] + [group]
    return sorted(out, key=lambda g: g.start)


def _lexicon_key(lower: list[str], en_stem: Any) -> str:
    """Lowercase English words stemmed as the lexicon's keys are: "in-house" is "in hous"."""
    return " ".join(en_stem(part) for w in lower for part in re.findall(r"[a-z0-9]+", w))


def _singular(
    word: str, table: dict[str, list[list[str]]], en_stem: Any, pack: LanguagePack
) -> list[list[str]] | None:
    """A plural the stemmer keeps apart from its singular ("midwives", "firemen"), looked up
    with its ending replaced (the language pack's `plural_endings`)."""
    for end, new in pack.plural_endings:
        if word.endswith(end) and len(word) > len(end) + 1:
            found = table.get(_lexicon_key([word[: -len(end)] + new], en_stem))
            if found is not None:
                return found
    return None


def english_groups(
    question: str, analyzer: Analyzer, lexicon: dict[str, Any], pack: LanguagePack
) -> list[QueryGroup]:
    """Word groups of an English question: the longest phrase the lexicon knows at each place,
    with its French translations and their synonyms; other words as they are (names, numbers,
    words French shares: `infrastructure`)."""
    import Stemmer

    en_stem = Stemmer.Stemmer("english").stemWord
    table: dict[str, list[list[str]]] = lexicon["en"]
    words: list[tuple[str, int, int]] = []
    for m in _EN_WORD.finditer(question.replace("’", "'")):
        word = m.group()
        if "-" in word and word.islower() and _lexicon_key([word], en_stem) not in table:
            # "compute-hungry": a compound the lexicon lacks is its words
            words += [
                (p.group(), m.start() + p.start(), m.start() + p.end()) for p in re.finditer(r"[^-]+", word)
            ]
        else:
            words.append((word, m.start(), m.end()))
    skip = ENGLISH_STOPWORDS | pack.frame
    groups: list[QueryGroup] = []
    seen: set[tuple[str, ...]] = set()
    i = 0
    while i < len(words):
        taken = 0
        for n in range(min(lexicon["longest"], len(words) - i), 0, -1):
            chunk = words[i : i + n]
            lower = [w.lower() for w, _, _ in chunk]
            if n == 1 and lower[0] in skip:
                break
            translations = table.get(_lexicon_key(lower, en_stem))
            if translations is None and n == 1:
                translations = table.get(lower[0])
            if translations is None and n == 1:
                translations = _singular(lower[0], table, en_stem, pack)
            if translations is None:
                continue
            if not translations:  # its every French word is a function word ("already": déjà): so is it
                taken = n
                break
            label = question[chunk[0][1] : chunk[-1][2]]
            options: list[Alternative] = [alternative(alt) for alt in translations]
            for french in translations:  # a translation brings its French synonyms along
                options += _synonyms(french, lexicon, options)
            own = [t for t in analyzer.terms(label, "en") if t not in ENGLISH_STOPWORDS]
            if own and alternative(own) not in options:
                options.append(alternative(own))
            key = tuple(sorted({t for option in options for t, _ in option}))
            if key and key not in seen:
                seen.add(key)
                groups.append(_group(label, options, chunk[0][1], chunk[-1][2], translated=True))
            taken = n
            break
        if taken:
            i += taken
            continue
        word, start, end = words[i]
        i += 1
        if word.lower() in skip:
            continue
        terms = analyzer.terms(word, "en")
        if not terms or tuple(sorted(terms)) in seen:
            continue
        seen.add(tuple(sorted(terms)))
        plain: list[Alternative] = [alternative(terms)]
        plain += _synonyms(terms, lexicon, plain)
        groups.append(_group(word, plain, start, end))
    return groups
