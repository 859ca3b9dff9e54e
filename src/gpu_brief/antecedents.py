"""What a claim's pronoun refers back to, within one article.

A sentence opening on "ce dernier", "celui-ci", "il" or "elle" (not an impersonal "il s'agit", "il
faut"; maybe after a detached phrase: "Interrogé, il ...") records an antecedent: the person the
previous sentence names (for "il"/"elle" its subject: the first person named, not one after "par"
or "de", nor one after a subject that is a noun with its verb ("la ministre a rencontré X"), nor
when that sentence's subject is itself a pronoun; for "ce dernier"/"celui-ci" the last one, the
latter), else the previous sentence's own antecedent. A subject that is a role noun ("La ministre
a visité ...", "..., a déclaré l'avocate.") stands for the person the article introduced with it
("La ministre ..., Sylvie Renaudin"), in its own sentence too when that names no one and the noun
is a person's role ("La préfète a, elle, annoncé ...", not "Le royaume entreprend ..."). So does a
quotation whose reporting clause puts its pronoun after the verb ("« ... », raconte-t-elle.", "»,
a-t-il déclaré."). The words are data (`resources/lang/fr_names.yaml`). Measured by
`benchmarks/antecedents.py`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from gpu_brief.name_words import EDGE, RAW, SPACES, WORDS, phrases
from gpu_brief.segment import quote_regions
from gpu_brief.text import FRENCH_STOPWORDS, fold

# a detached phrase before the subject: "Docker depuis vingt-deux ans, il ...", "Ancienne
# professeure de biologie, elle ...", "Interrogé, il ..." (no name in it: lowercase words after
# the sentence's first)
_DETACHED = (
    rf"(?!(?:{phrases('subject_determiners', after=EDGE)}))"
    r"(?-i:[A-ZÀ-Ý][\w'’-]*)(?:\s+(?-i:[a-zà-ÿ0-9][\w'’-]*)){0,8}\s*,\s+"
)


# what follows an impersonal "il" (it refers to nobody): "il s'agit", "il faut", "il n'y a pas",
# "il est difficile de"
_IMPERSONAL_REST = (
    rf"\s+(?:(?:{phrases('impersonal_negations', after=EDGE)})\s*)?(?:{phrases('impersonal_after')}"
    rf"|(?:{phrases('impersonal_notice')})\s+(?:{phrases('notice_verbs')})"
    rf"|(?:{phrases('copulas')})\s+(?:\w+\s+){{0,2}}(?:{phrases('impersonal_adjectives')})\b)"
)


def _opener(detached: str) -> re.Pattern[str]:
    """A sentence opening on a pronoun that speaks of someone, maybe after a detached phrase."""
    return re.compile(
        rf"^(?:{detached}|(?:{phrases('antecedent_connectives', ' ')})\s*,?\s+)?"
        rf"(?:(?:{phrases('notice_frames')})\s+(?:{phrases('notice_verbs')})\s+"
        rf"(?:{phrases('notice_conjunctions', after=SPACES)}))?"
        rf"((?:{phrases('latter_pronouns', ' ')})\b|(?:{phrases('impersonal_pronouns', ' ')})\b"
        # an impersonal "il" refers to nobody; "ce dernier" always does ("Ce dernier restera à la
        # tête ..."), and so does "elle"
        rf"(?!{_IMPERSONAL_REST})"
        rf"|(?:{'|'.join(re.escape(w) for w in RAW['subject_pronouns'] if w not in RAW['impersonal_pronouns'])})\b)",
        re.IGNORECASE,
    )


_OPENER = _opener(_DETACHED)
# a sentence whose subject is an impersonal "il" ("Selon ses calculs, il faudrait 5,5 millions"):
# it speaks of nobody, so a pronoun after it speaks of the subject of the sentence before it
_IMPERSONAL = re.compile(
    rf"^(?:{_DETACHED})?(?:{phrases('impersonal_pronouns', ' ')}){_IMPERSONAL_REST}", re.IGNORECASE
)
# a detached phrase that names someone: "Accueillie par le maire, Jean-Marc Ribéra, elle a ...":
# its pronoun is still the sentence's subject (tried when the sentence names people)
_NAMED_OPENER = _opener(r"(?-i:[A-ZÀ-Ý])[^.;:!?«»()]{0,150}?,\s+")
# a person named right before a subject pronoun, in such a detached phrase, is not the subject
_BEFORE_PRONOUN = re.compile(rf"\s*,\s*(?:{phrases('subject_pronouns')})\s", re.IGNORECASE)

# Before a person who is not the previous sentence's subject: an agent ("dirigé par X"), a noun's
# complement ("le départ de la comtesse X"), or a sentence whose subject is already a pronoun
# ("..., il part ... Prunier").
_NOT_SUBJECT = re.compile(
    rf"\b(?:{phrases('agent_prepositions')})\s+(?:{phrases('articles', after=SPACES)})?"
    rf"(?-i:[a-zà-ÿ]+\s+)?$|(?:^|[\s,;])(?:{phrases('subject_pronouns')})\s",
    re.IGNORECASE,
)
_LOWER_WORD = r"(?-i:[a-zà-ÿ][\w-]*)"  # a word in lowercase: a noun, an adjective
# a subject that is a noun, and its verb: "la ministre a visité ... les deux présidents, X et Y."
# (an article, a noun, a finite auxiliary): a person named after it is no subject
_NOUN_SUBJECT = re.compile(
    rf"(?:^|[\s,;])(?:{phrases('articles', after=SPACES)}){_LOWER_WORD}\s+"
    rf"(?:{phrases('noun_subject_verbs')})\s",
    re.IGNORECASE,
)
_CLAUSE = re.compile(rf"(?:^|[\s,;])(?:{phrases('clause_openers', after=EDGE)})", re.IGNORECASE)
# what joins a name to the one before it ("par Julie Castaing et Romain Fabre"): the same role
_COORDINATED = re.compile(rf"\s*(?:,|(?:{phrases('coordinators')})\b)\s*$", re.IGNORECASE)
_LATTER = frozenset(RAW["latter_pronouns"])
# "« ... », raconte-t-elle." / "a-t-il déclaré.": a subject pronoun joined to its verb by a hyphen
# (its participle after it, in a compound tense), after a quote or
# a comma and before a comma or the sentence's end: a reporting clause, not "est-il vrai que"
_INVERTED = re.compile(
    r"[,»”\"]\s*(?:[^\W\d_]+(?:['’]|\s+))?[^\W\d_]+"  # maybe a clitic first: "se défend-il", "s'insurge-t-elle"
    rf"(?:{'|'.join(re.escape(j) for j in sorted(RAW['inversion_joins'], key=len, reverse=True))})"
    rf"({phrases('subject_pronouns')})\b"
    rf"(?:\s+(?-i:[a-zà-ÿ]+(?:{'|'.join(sorted(RAW['participle_endings'], key=len, reverse=True))})))?"
    # and maybe where or to whom it was said ("», a-t-il déclaré dans un communiqué.")
    rf"(?:\s+(?:{phrases('reporting_complements')})\b[^,.;:!?…«»\"“”]{{0,60}}?)?\s*[,.;:!?…)]",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Antecedent:
    """The entity a claim refers back to, and its mention in an earlier claim (source offsets)."""

    name: str
    claim: str
    start: int
    end: int
    text: str
    pronoun_start: int  # the words standing for it in the claim itself ("ce dernier"), source offsets
    pronoun_end: int


def _after_noun_subject(text: str, start: int) -> bool:
    """Whether a person named at `start` comes after a subject that is a noun and its verb, in
    the same clause: a clause opened after it ("... quand X lance") has a subject of its own."""
    ends = [m.end() for m in _NOUN_SUBJECT.finditer(text, 0, start)]
    return bool(ends) and _CLAUSE.search(text, ends[-1], start) is None


def _quoted(text: str) -> list[tuple[int, int]]:
    """The quotations of a claim's text (none looked for without a quotation mark)."""
    return quote_regions(text) if any(c in text for c in '«“"') else []


def _subjects(people: list[dict[str, Any]], text: str, base: int) -> list[dict[str, Any]]:
    """The people a sentence names who may be its subject: not after an agent or a noun ("dirigé
    par X", "le départ de X"), nor joined to one who is ("par X et Y")."""
    for a, b in _quoted(text):
        text = text[:a] + " " * (b - a) + text[b:]  # "« On nous parle ... », lance X": X is the subject
    out, after = [], None
    for m in people:
        start = int(m["start"]) - base
        if (
            _NOT_SUBJECT.search(text, 0, start)
            or _after_noun_subject(text, start)
            or (start > 0 and _BEFORE_PRONOUN.match(text, int(m["end"]) - base))
            or (after is not None and _COORDINATED.match(text, after, start))
        ):
            after = int(m["end"]) - base
            continue
        out.append(m)
    return out


def _speakers(claim: dict[str, Any]) -> list[dict[str, Any]]:
    """The people a claim names outside its quotations (no role): those its next sentence may
    speak of. One named inside a quotation ("« ... la Coste ... », se défend-il") is what the
    speaker talks about, not who the next "il" or "ce dernier" is."""
    text, base = str(claim["text"]), int(claim["start"])
    quoted = _quoted(text)
    return [
        m
        for m in claim["entities"]
        if m["type"] == "person"
        and not m.get("role")
        and not any(a <= int(m["start"]) - base and int(m["end"]) - base <= b for a, b in quoted)
    ]


def _pronoun(claim: dict[str, Any]) -> re.Match[str] | None:
    """The pronoun that makes a claim speak of someone named before: the one it opens on, or
    the one after the verb of its reporting clause when it names nobody outside its quotations
    ("« ... », raconte-t-elle.": the quote is the person's the sentence before speaks of, and so
    is a "Cette dernière ..." after it)."""
    text = str(claim["text"])
    opener = _OPENER.match(text)
    if opener is not None:
        return opener
    speakers = _speakers(claim)
    if speakers:
        named = _NAMED_OPENER.match(text)
        base = int(claim["start"])
        # every name in the detached phrase, none opening the sentence ("Jean Dupont, il ...")
        if named is not None and all(
            int(m["start"]) - base > 0 and int(m["end"]) - base <= named.start(1) for m in speakers
        ):
            return named
        return None
    return _INVERTED.search(text)


def antecedents(claims: Sequence[dict[str, Any]]) -> list[list[Antecedent]]:
    """For each claim (one article's, in order): what its pronoun (`_pronoun`) refers back to."""
    out: list[list[Antecedent]] = []
    roles: dict[str, tuple[int, dict[str, Any]]] = {}  # a role noun -> the person it last introduced
    for i, claim in enumerate(claims):
        found: list[Antecedent] = []
        pronoun = _pronoun(claim) if i else None
        if pronoun is not None:
            previous = claims[i - 1]
            people = _speakers(previous)
            role = None
            if pronoun.group(1).lower() not in _LATTER:  # the subject: not "dirigé par X", "de X"
                people = _subjects(people, str(previous["text"]), int(previous["start"]))[:1]
                role = _role_subject(previous, roles, people)
            at = int(claim["start"]) + pronoun.start(1), int(claim["start"]) + pronoun.end(1)
            if role is not None:
                found.append(_by_role(claims, i, role, at))
            elif people:
                m = people[-1]
                found.append(Antecedent(m["name"], str(previous["id"]), m["start"], m["end"], m["text"], *at))
            elif out[-1]:  # "Il ... . Il ...": the same person as the sentence before, said by this pronoun
                found.extend(replace(a, pronoun_start=at[0], pronoun_end=at[1]) for a in out[-1])
            elif (
                i > 1 and pronoun.group(1).lower() not in _LATTER and _IMPERSONAL.match(str(previous["text"]))
            ):
                # "X a jugé ... . Selon ses calculs, il faudrait ... . Il a remis ...": X
                before = claims[i - 2]
                named = _subjects(_speakers(before), str(before["text"]), int(before["start"]))[:1]
                found.extend(
                    Antecedent(m["name"], str(before["id"]), m["start"], m["end"], m["text"], *at)
                    for m in named
                )
        elif i and not _speakers(claim):
            # its own subject a role noun the article introduced a person with, and no name:
            # "La préfète a, elle, annoncé ..." after "la préfète des Vosges, Anne-Sophie Leclerc"
            role = _role_subject(claim, roles, [])
            # a person's role, not "le royaume"
            if role is not None and i - role.claim <= ROLE_REACH and role.noun in WORDS["person_roles"]:
                m = role.mention
                found.append(
                    Antecedent(
                        m["name"],
                        str(claims[role.claim]["id"]),
                        m["start"],
                        m["end"],
                        m["text"],
                        role.start,
                        role.end,
                    )
                )
        out.append(found)
        _learn_roles(claim, i, roles)
    return out


# "la ministre de l'Enseignement supérieur, Sylvie Renaudin", "le recteur Jean-Marc Ferrand": a
# role noun (one person: a singular article) right before a person's name, the nearest one ("la
# visite de la ministre déléguée ..., X": the minister, not the visit; hence the greedy prefix)...
_ROLE_BEFORE = re.compile(
    rf"(?s:.*)(?:^|[\s,;(])(?:{phrases('role_determiners', after=SPACES)})(?P<noun>{_LOWER_WORD})"
    rf"(?:\s+{_LOWER_WORD}){{0,2}}"  # adjectives: "l'agent comptable X", "la ministre déléguée chargée de"
    # "de l'Enseignement supérieur et de la Recherche,": a complement of a few words
    rf"(?:\s+(?:{phrases('complements', after=SPACES)})(?:[^\s,.;:!?«»()]+\s*){{1,8}})?"
    # then maybe a comma and an honorific: "Leur avocate, Maître X"
    rf"\s*,?\s*(?:(?-i:{phrases('honorifics')})\s+)?$",
    re.IGNORECASE,
)
# ... or right after it: "Sébastien Tixier, agent comptable de l'université, ..."
_ROLE_AFTER = re.compile(rf"\s*,\s*(?P<noun>{_LOWER_WORD})\b")
# a role noun with its article, as a subject says it ("la ministre", "l'avocate")
_ROLE = rf"(?P<role>(?:{phrases('role_articles', after=SPACES)})(?P<noun>{_LOWER_WORD}))"
# a sentence whose subject is such a noun: "L'agent comptable souligne ...", "Accompagnée du
# recteur, la ministre a visité ..."; or whose reporting clause ends on one: "..., a lancé la
# syndicaliste.", "», a déclaré l'avocate."
_ROLE_SUBJECT = re.compile(
    rf"^(?:[^,«»]{{0,80}},\s*)?{_ROLE}\b",
    re.IGNORECASE,
)
_ROLE_SPEAKER = re.compile(
    rf"[,»”]\s*(?:[^\W\d_]+\s+){{1,2}}{_ROLE}\s*[.!?…]?\s*$",
    re.IGNORECASE,
)
# claims back a role's person may be named and still be cited with the answer (answering looks
# as far back for an antecedent's claim: `qa/decide.py`, ANTECEDENT_REACH)
ROLE_REACH = 20
ROLE_WINDOW = 120  # characters before a name that `_ROLE_BEFORE` reads (it is anchored at the name)


def _learn_roles(claim: dict[str, Any], i: int, roles: dict[str, tuple[int, dict[str, Any]]]) -> None:
    """The role nouns a claim introduces a person with ("la ministre ..., Sylvie Renaudin")."""
    text, base = str(claim["text"]), int(claim["start"])
    people = _speakers(claim)
    for k, m in enumerate(people):
        a, b = int(m["start"]) - base, int(m["end"]) - base
        after = people[k + 1 : k + 2]
        if after and _COORDINATED.match(text[: int(after[0]["start"]) - base], b):
            continue  # "les deux présidents, X et Y": a pair has no one role
        for found in (_ROLE_BEFORE.search(text[max(0, a - ROLE_WINDOW) : a]), _ROLE_AFTER.match(text, b)):
            if found is not None and fold(found.group("noun")) not in FRENCH_STOPWORDS:
                roles[fold(found.group("noun"))] = (i, m)


class _Role(NamedTuple):
    """A role noun standing for a person: the claim that named them, their mention there, the role
    noun's source offsets (with its article) and the noun itself, folded."""

    claim: int
    mention: dict[str, Any]
    start: int
    end: int
    noun: str


def _role_subject(
    claim: dict[str, Any], roles: dict[str, tuple[int, dict[str, Any]]], named: list[dict[str, Any]]
) -> _Role | None:
    """The person a sentence's subject stands for when that subject is a role noun introduced
    before ("la ministre" after "La ministre ..., Sylvie Renaudin"), unless a person named before
    it is the subject."""
    text, base = str(claim["text"]), int(claim["start"])
    for pattern in (_ROLE_SUBJECT, _ROLE_SPEAKER):
        m = pattern.search(text)
        if m is None or fold(m.group("noun")) not in roles:
            continue
        if named and int(named[0]["start"]) - base < m.start("noun"):
            return None
        noun = fold(m.group("noun"))
        j, mention = roles[noun]
        return _Role(j, mention, base + m.start("role"), base + m.end("role"), noun)
    return None


def _by_role(claims: Sequence[dict[str, Any]], i: int, role: _Role, at: tuple[int, int]) -> Antecedent:
    """The person a role noun stands for: their name where it was given, when that claim is near
    enough to be cited with the answer; else the role noun itself in the sentence before."""
    m = role.mention
    if i - role.claim <= ROLE_REACH:
        return Antecedent(m["name"], str(claims[role.claim]["id"]), m["start"], m["end"], m["text"], *at)
    previous = claims[i - 1]
    words = str(previous["text"])[role.start - int(previous["start"]) : role.end - int(previous["start"])]
    return Antecedent(m["name"], str(previous["id"]), role.start, role.end, words, *at)
