"""What a question asks: its answer type (the cue's, refined by the noun it governs), that noun
(its focus), and the options it offers as a choice ("A ou B ?")."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import TYPE_CHECKING

from gpu_brief.qa.kinds import CUE_ASKS, Asked, Cue
from gpu_brief.qa.language import LanguagePack
from gpu_brief.text import fold

if TYPE_CHECKING:
    from gpu_brief.qa.query import QueryGroup

# what "combien" may ask besides a count
_MEASURES = (Asked.DURATION, Asked.MONEY, Asked.PERCENT, Asked.QUANTITY)


def asked_type(cue: Cue, noun: Asked | None) -> Asked:
    """The answer type: the cue's, refined by the noun it governs ("quelle ville" -> place)."""
    if noun is None:
        return CUE_ASKS[cue]
    if cue in (Cue.WHICH, Cue.WHAT, Cue.NONE):
        return noun
    if cue == Cue.HOW_MANY and noun in _MEASURES:
        return noun
    if cue == Cue.HOW_MUCH and noun in (*_MEASURES, Asked.COUNT):
        return noun  # "how much electricity" asks a quantity, "how much funding" an amount
    if cue == Cue.WHO and noun == Asked.ORGANISATION:
        return noun
    return CUE_ASKS[cue]


def what_is_asked(
    question: str, cue: Cue, cue_span: tuple[int, int] | None, groups: list[QueryGroup], pack: LanguagePack
) -> tuple[Asked, QueryGroup | None]:
    """The answer type and the noun the cue governs, if any."""
    focus = _focus(question, cue, cue_span, groups, pack)
    # the focus as a whole ("chiffre d'affaires" is money), else its first word ("prix unitaire")
    noun = (
        (pack.noun_type(focus.label) or pack.noun_type(focus.label.split()[0])) if focus is not None else None
    )
    if cue in (Cue.WHICH, Cue.WHAT) and focus is not None and pack.head_last:
        # "which chip company", "what AI chip maker": the compound's head, last, says the type
        compound = [w for g in _run_from(question, focus, groups, pack) for w in g.label.split()]
        noun = next((t for w in reversed(compound) if (t := pack.noun_type(w)) is not None), noun)
    if cue in (Cue.NONE, Cue.WHAT) and noun is None:
        # "What does a Blackwell GPU cost?", "prix h100": the question's first word of a kind; after
        # "que" / "what" a person or a company is the subject ("Que dit la vice-présidente ... ?"):
        # only a measure says what is asked
        kinds = _MEASURES if cue == Cue.WHAT else None
        noun = next(
            (
                t
                for g in groups
                if not g.anchor
                and (t := pack.noun_type(g.label)) is not None
                and (kinds is None or t in kinds)
            ),
            None,
        )
    elif cue == Cue.HOW_MUCH and (own := _cue_measure(question, cue_span, pack)) is not None:
        noun = own  # "combien d'argent", "combien coûte": the cue's own word says what is measured
    elif cue == Cue.HOW_MUCH and focus is not None:
        # the noun it governs says what is measured, its head last ("how much GPU spending");
        # a noun of no kind is measured in its own units ("how much electricity"), not in euros
        compound = [w for g in _run_from(question, focus, groups, pack) for w in g.label.split()]
        noun = (
            next((t for w in reversed(compound) if (t := pack.noun_type(w)) is not None), noun)
            or Asked.QUANTITY
        )
    elif cue == Cue.HOW_MANY and (focus is None or noun not in (*_MEASURES, Asked.COUNT, None)):
        # "ça coûte combien par mois ?" (no noun counted, or one that is no measure): a word of
        # a measure elsewhere says what is asked; "combien d'axes" counts axes
        noun = next((t for g in groups if not g.anchor and (t := pack.noun_type(g.label)) in _MEASURES), noun)
    if cue == Cue.HOW_MANY and focus is not None and fold(focus.label) in pack.duration_units:
        noun = Asked.DURATION  # "combien de jours", "how many years": a duration, counted in its unit
    asked = asked_type(cue, noun)
    if asked == Asked.YES_NO and _asks_a_choice(question, groups, pack):
        asked = Asked.THING  # "rejoint-il Aston Villa ou le FC Bruges ?" asks which one, not whether
    elif asked in _MEASURES and cue == Cue.WHAT and any(g.choice for g in groups):
        # "Qu'est-ce qui coûte le plus cher, le télésiège ou la tyrolienne ?" asks which of them
        asked = Asked.THING
    return asked, focus


def _cue_measure(question: str, cue_span: tuple[int, int] | None, pack: LanguagePack) -> Asked | None:
    """What a "how much" cue measures by its own words ("combien d'argent": money), if it says."""
    if cue_span is None:
        return None
    words = re.findall(r"[\w-]+", question[cue_span[0] : cue_span[1]])
    return next((t for w in words if (t := pack.noun_type(w)) in _MEASURES), None)


def _asks_a_choice(question: str, groups: list[QueryGroup], pack: LanguagePack) -> bool:
    """Are the options a yes/no question offers what it asks ("rejoint-il A ou B ?"), not its
    subject ("A, B ou C reçoivent-ils ... ?"): they come after its inversion or its opening."""
    options = [g.start for g in groups if g.choice]
    if not options:
        return False
    inversion = pack.yes_no_pattern.search(fold(question).replace("’", "'"))
    return inversion is not None and min(options) >= inversion.end()


def join_choices(question: str, groups: list[QueryGroup], pack: LanguagePack) -> None:
    """Two ideas the question offers as a choice ("Bernstein ou UBS ?", "GPT-4.5 or GPT-4o?")
    are each said when either is: the articles name the alternative that holds ("analyste chez
    Bernstein"), or both when they compare them. Each keeps its place and weight and takes the
    other's ways of being said. Only small words may stand between them besides the choice word."""
    for prev, g in pairwise(groups):
        if prev.role or g.role or not _offers_choice(question[prev.end : g.start], pack):
            continue
        mine, theirs = list(prev.alternatives), list(g.alternatives)
        prev.alternatives += [a for a in theirs if a not in mine]
        g.alternatives += [a for a in mine if a not in theirs]
        for group in (prev, g):
            group.choice = True
            group.__dict__.pop("terms", None)  # `own`, the first alternative, is unchanged


def _offers_choice(between: str, pack: LanguagePack) -> bool:
    # accents kept: "où" (where) is no "ou" (or)
    words = re.findall(r"[\w']+", between.lower().replace("’", "'").replace("'s", " "))
    rest = f" {' '.join(words)} "
    for choice in sorted(pack.choices, key=len, reverse=True):  # "ou bien" before "ou"
        rest = rest.replace(f" {choice} ", " ")
    if len(rest.split()) == len(words):
        return False
    # only articles and prepositions may join it: "État ou se trouve" misspells "où", a clause
    # (English's pack has no word classes: its function words are the stopwords)
    return all(
        set(pack.word_classes(w)) & _JOINING or (not pack.classes and pack.function_word(w))
        for w in rest.split()
    )


_JOINING = frozenset({"determiner", "preposition"})  # word classes that may stand by a choice word


def _run_from(
    question: str, first: QueryGroup, groups: list[QueryGroup], pack: LanguagePack
) -> list[QueryGroup]:
    """The ideas written one after the other from `first` on, nothing but spaces (or a
    possessive) between: a compound whose head is last ("GPU spending", "the village's budget")."""
    run = [first]
    for g in groups:
        if g.start < run[-1].end:
            continue
        between = question[run[-1].end : g.start].strip()
        if between and between not in pack.possessives:
            break
        run.append(g)
    return run


def _focus(
    question: str, cue: Cue, cue_span: tuple[int, int] | None, groups: list[QueryGroup], pack: LanguagePack
) -> QueryGroup | None:
    """The noun right after "quel(le)" / "which" / "combien de": the thing the question asks about."""
    if cue_span is None or cue not in (Cue.WHICH, Cue.WHAT, Cue.HOW_MANY, Cue.HOW_MUCH, Cue.NAME):
        return None
    # a name between the cue and its noun qualifies the noun: "which Google executive"
    named = cue in (Cue.WHICH, Cue.WHAT, Cue.NAME)
    after = [g for g in groups if g.start >= cue_span[1] and not g.entity and not (named and g.anchor)]
    if not after:
        return None
    chars = list(question[cue_span[1] : after[0].start])
    for g in groups:
        if cue_span[1] <= g.start and g.end <= after[0].start and (g.entity or g.anchor):
            chars[g.start - cue_span[1] : g.end - cue_span[1]] = " " * (g.end - g.start)
    between = fold("".join(chars)).replace("’", "'")
    words = re.findall(r"[\w']+", between)
    if cue in (Cue.HOW_MANY, Cue.HOW_MUCH) and words:
        return None  # "combien le projet coûte-t-il ?" counts no projects: "combien de X" counts X
    if any(not pack.links_focus(w) for w in words):
        return None  # a content word in between: "quel est l'impact de X" asks about "impact"
    return after[0]
