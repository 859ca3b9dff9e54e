"""Question -> Query: its language, what it asks (cue and answer type), and its ideas as term groups.

A group is one idea of the question (a word, a phrase, an entity) with its alternatives: the
word itself, its French translations when the question is in English, its synonyms, spellings the
corpus uses. Retrieval scores a group once per claim, with its best alternative. The words that
only shape the question (its interrogative, "frame" words) are no idea of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from typing import Any

from gpu_brief.qa.asked import join_choices, what_is_asked
from gpu_brief.qa.kinds import Asked, Cue, Lang
from gpu_brief.qa.language import LanguagePack
from gpu_brief.qa.lexicon import Alternative, Vocabulary
from gpu_brief.text import ENGLISH_STOPWORDS, Analyzer, fold

SYNONYM_WEIGHT = 0.6  # a synonym counts less than the word itself (retrieval's prior; the model
# weighs coverage by synonyms separately)


@dataclass
class QueryGroup:
    """One idea of the question and the ways the corpus may say it."""

    label: str  # the question's own words, for explanations
    alternatives: list[Alternative]
    start: int = 0  # where the label is in the question
    end: int = 0
    anchor: bool = False  # a name or a number: the answer must be about it
    entity: str | None = None  # the catalog entity it names
    role: bool = False  # the entity is designated by a role the question spells ("dirige OpenAI")
    translated: bool = False  # found in the lexicon: a common word, never a name
    choice: bool = False  # two ideas offered as a choice ("A ou B"): either says it

    @cached_property
    def terms(self) -> frozenset[str]:
        return frozenset(t for alt in self.alternatives for t, _ in alt)

    def name_entity(self, name: str) -> None:
        """This name is an entity the corpus knows (found by NER): its slug joins the group."""
        from gpu_brief.entities import slug

        self.entity = name
        self.alternatives.append(((slug(name), 1.0),))
        self.__dict__.pop("terms", None)

    @cached_property
    def own(self) -> frozenset[str]:
        """Its first alternative's terms: the word as asked, or its first translation."""
        return frozenset(t for t, _ in self.alternatives[0]) if self.alternatives else frozenset()


@dataclass
class Query:
    text: str
    lang: Lang
    cue: Cue
    asked: Asked
    groups: list[QueryGroup]
    entities: list[str] = field(default_factory=list)  # catalog names the question mentions
    focus: QueryGroup | None = None  # the noun a "quel X" / "which X" question asks about
    cue_span: tuple[int, int] | None = None  # the interrogative, in the question
    focus_types: bool = False  # the focus is one word naming a type of answer ("quelle date", "what sum")
    # the units it asks a measure in: "quelle distance", "how far" (the language pack's `measured_in`)
    units: frozenset[str] = frozenset()

    @cached_property
    def terms(self) -> frozenset[str]:
        return frozenset(t for g in self.groups for t in g.terms)

    @cached_property
    def choice_terms(self) -> frozenset[str]:
        """The terms of the ideas it offers as a choice ("Bernstein ou UBS ?")."""
        return frozenset(t for g in self.groups if g.choice for t in g.terms)

    @cached_property
    def bound(self) -> list[tuple[int, int]]:
        """(idea, entity) pairs of groups the question binds: next to each other, with at most
        two small words between ("the CEO of Nvidia", "Nvidia's CEO", "Amazon spend"). A
        passage that says the idea of another entity says something else."""
        order = sorted(range(len(self.groups)), key=lambda i: self.groups[i].start)
        out = []
        for i, j in pairwise(order):
            a, b = self.groups[i], self.groups[j]
            between = self.text[a.end : b.start]
            if len(between.split()) > 2 or any(c in between for c in ",;:()?!"):
                continue
            for idea, name in ((i, j), (j, i)):
                g, e = self.groups[idea], self.groups[name]
                # an idea, or a word taken for a name that no entity is ("PDG"): not a number
                if e.entity and not g.entity and not g.choice and not any(c.isdigit() for c in g.label):
                    out.append((idea, name))
        return out

    @property
    def search_groups(self) -> list[list[Alternative]]:
        return [g.alternatives for g in self.groups]


# --- language --------------------------------------------------------------------------------

_WORD = re.compile(r"[a-zà-ÿœ']+")
_PLAIN_WORD = re.compile(r"\w+")  # apostrophes apart: "d'altitude" holds "altitude"


def detect_language(
    question: str, packs: dict[Lang, LanguagePack], english: dict[str, Any], french: dict[str, str]
) -> Lang:
    """Counts each language's function words, then words only one side knows (`english`: the
    EN->FR table by stem; `french`: the corpus's folded words); accents tip it to French. Terse
    queries ("GPT-4.5 price per million output tokens") need the lexicons."""
    import Stemmer

    lowered = question.lower().replace("’", "'")
    words = _WORD.findall(lowered)
    en_markers, fr_markers = packs[Lang.EN].markers, packs[Lang.FR].markers
    en = sum(1 for w in words if w in en_markers)
    fr = sum(1 for w in words if fold(w) in fr_markers)
    if words and (words[0] in en_markers) != (fold(words[0]) in fr_markers):
        # the opening word sets the question's frame ("When did ...", "Combien de ..."); it counts twice
        en, fr = (en + 1, fr) if words[0] in en_markers else (en, fr + 1)
    # accents tip it to French, but not those of a name ("When did Nadège Varin ...")
    spelled = [w for i, w in enumerate(question.split()) if i == 0 or not w[:1].isupper()]
    if any(c in "àâçéèêëîïôûùüÿœ" for c in " ".join(spelled).lower()):
        fr += 2
    if re.search(r"\w\s+[?!]", question):
        fr += 1  # French typography spaces "?" and "!" off; English never does
    if "'s " in lowered + " ":
        en += 1
    stem = Stemmer.Stemmer("english").stemWord
    for raw in re.findall(r"[A-Za-zÀ-ÿœŒ']+", question.replace("’", "'")):
        w = raw.lower()
        if raw[0].isupper() or w in en_markers or fold(w) in fr_markers:
            continue  # names belong to no language; function words were counted above
        in_fr = fold(w) in french
        if w in ENGLISH_STOPWORDS:
            # an English function word: evidence unless French writes it too ("or", "an", "on")
            en += 0 if in_fr else 1
            continue
        in_en = stem(w) in english or w in english
        if in_en and not in_fr:
            en += 1
        elif in_fr and not in_en:
            fr += 1
    return Lang.EN if en > fr else Lang.FR


# --- what is asked ---------------------------------------------------------------------------


def find_cue(question: str, pack: LanguagePack) -> tuple[Cue, tuple[int, int] | None]:
    """The question's interrogative (the first one, the longest at a place) and where it is.

    A yes/no opening ("est-ce que") is no interrogative itself: the cue is searched after it.
    A one-word cue spelt like a function word when its accents are dropped ("ou" for "où")
    counts only where the question starts, or when typed with its accents."""
    lowered = question.lower().replace("’", "'")
    folded = fold(lowered)
    opening = pack.yes_no_opening.match(folded)
    begin = opening.end() if opening else 0
    best: tuple[int, int, Cue] | None = None
    for start, end in pack.cue_phrases.spans(folded, begin):
        phrase = folded[start:end]
        ambiguous = " " not in phrase and bool(pack.word_classes(phrase))
        if ambiguous and start > begin and lowered[start:end] == phrase:
            continue  # "Nvidia ou AMD": "or", not "where"
        if best is None or start < best[0]:
            best = (start, end, pack.cues[phrase])
    if best is not None and not _inside_a_name(question, best[0]):
        return best[2], (best[0], best[1])
    if pack.yes_no_pattern.search(folded):
        return Cue.YES_NO, None
    return Cue.NONE, None


def _inside_a_name(question: str, start: int) -> bool:
    return start > 0 and question[start].isupper()


# --- the query -------------------------------------------------------------------------------


@dataclass
class QueryContext:
    """What a question is analysed with: the corpus's analyzer, lexicon, entities and words."""

    analyzer: Analyzer
    lexicon: dict[str, Any]
    packs: dict[Lang, LanguagePack]
    matcher: Any  # entities.EntityMatcher
    vocabulary: Vocabulary


def build_query(question: str, ctx: QueryContext) -> Query:
    """Analyze a question in French or English into its cue, answer type and term groups."""
    from gpu_brief.entities import slug
    from gpu_brief.qa.groups import alternative, english_groups, french_groups

    found_names = ctx.matcher.find(question, ignore_case=True)
    # names belong to no language: "musk colossus memphis how many gpus" is English
    unnamed = question
    for found in found_names:
        if not found.role:
            unnamed = unnamed[: found.start] + "_" * (found.end - found.start) + unnamed[found.end :]
    lang = detect_language(unnamed, ctx.packs, ctx.lexicon["en"], ctx.vocabulary.surface)
    pack = ctx.packs[lang]
    cue, cue_span = find_cue(question, pack)
    content = question
    if cue_span is not None:
        content = content[: cue_span[0]] + " " * (cue_span[1] - cue_span[0]) + content[cue_span[1] :]
    groups: list[QueryGroup] = []
    entities: list[str] = []
    for found in found_names:
        if found.name in entities:
            continue
        entities.append(found.name)
        groups.append(
            QueryGroup(
                question[found.start : found.end],
                [((slug(found.name), 1.0),)],
                found.start,
                found.end,
                anchor=not found.role,
                entity=found.name,
            )
        )
    words = (
        english_groups(content, ctx.analyzer, ctx.lexicon, pack)
        if lang == Lang.EN
        else french_groups(content, ctx.analyzer, ctx.lexicon, pack, ctx.vocabulary)
    )
    for group in words:
        owner = next((g for g in groups if g.entity and g.start <= group.start and group.end <= g.end), None)
        if owner is not None:
            # The words of a name join its entity: one idea, found by name or by alias
            terms = ctx.analyzer.terms(content[group.start : group.end], lang.value)
            own = alternative(terms) if terms else ()
            if own and own not in owner.alternatives:
                owner.alternatives.append(own)
                owner.__dict__.pop("terms", None)
            continue
        if _is_name(question, group, pack):
            group.anchor = True
        if not any(ctx.vocabulary.known(t) for t in group.terms):
            group.alternatives.extend(ctx.vocabulary.variants(group.label, by_prefix=not group.anchor))
            group.__dict__.pop("terms", None)  # the cached terms were read above: the variants join them
        if any(t.replace(".", "").isdigit() for t in group.own):
            group.anchor = True
        groups.append(group)
    groups.sort(key=lambda g: g.start)
    join_choices(question, groups, pack)
    for person, role in _roles_spelt(groups, entities, ctx):
        # "Qui dirige OpenAI ?" spells the gazetteer's "PDG d'OpenAI" in other words: its person
        # is who the question is about (a role, not a name the answer must differ from)
        groups.append(QueryGroup(role, [((slug(person), 1.0),)], 0, 0, entity=person, role=True))
        entities.append(person)
    asked, focus = what_is_asked(question, cue, cue_span, groups, pack)
    typed = focus is not None and " " not in focus.label and pack.noun_type(focus.label) is not None
    units = frozenset(u for w in _PLAIN_WORD.findall(fold(question)) for u in pack.measured_in.get(w, ()))
    return Query(question, lang, cue, asked, groups, entities, focus, cue_span, typed, units)


def _roles_spelt(groups: list[QueryGroup], entities: list[str], ctx: QueryContext) -> list[tuple[str, str]]:
    """(person, role) for each gazetteer role whose words the question says, or their synonyms
    and translations, around one of its named entities: "dirige" (PDG among its synonyms) and
    OpenAI spell "PDG d'OpenAI". A question naming the role's person already needs none."""
    if not entities:
        return []
    said = frozenset().union(*(g.terms for g in groups if not g.entity))
    named = frozenset().union(*(g.terms for g in groups if g.entity))
    out = []
    for entity in ctx.matcher.entities.values():
        if entity.name in entities:
            continue
        for role in entity.roles:
            terms = ctx.analyzer.terms(role)
            inside = [f.name for f in ctx.matcher.find(role) if not f.role]
            if not inside or not set(inside) <= set(entities):
                continue  # the role of someone at another company
            own = {t for name in inside for t in ctx.analyzer.terms(name)}
            rest = [t for t in terms if t not in own]
            if rest and all(t in said for t in rest) and own & named | {t for t in terms if t in named}:
                if not _nearest_is(groups, rest, inside):
                    continue  # "Nvidia CEO Jensen Huang ... OpenAI's plan": Nvidia's CEO
                out.append((entity.name, role))
                break
    return out


def _nearest_is(groups: list[QueryGroup], rest: list[str], inside: list[str]) -> bool:
    """Is the entity named nearest to the role's words one of the role's own? A role word
    belongs to the name next to it, not to any name of the question."""
    named = [g for g in groups if g.entity and not g.role]
    for g in groups:
        if g.entity or not g.terms & set(rest):
            continue
        nearest = min(named, key=lambda e: max(e.start - g.end, g.start - e.end, 0), default=None)
        if nearest is not None and nearest.entity not in inside:
            return False
    return True


def _is_name(question: str, group: QueryGroup, pack: LanguagePack) -> bool:
    """A capitalised word inside a question is a name unless it is an ordinary word: one the
    lexicon translates ("Cup" in "Stanley Cup"), or a function word."""
    if group.translated or not question[group.start : group.start + 1].isupper():
        return False
    before = question[: group.start].rstrip(" \"'«“(")
    if not before or before[-1] in ".!?:;":
        return False  # a sentence's first word
    word = fold(question[group.start : group.end])
    return word not in ENGLISH_STOPWORDS and not pack.word_classes(word)
