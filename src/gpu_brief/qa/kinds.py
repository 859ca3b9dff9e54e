"""The typed vocabulary of the answering core: languages, question kinds, answer and span types."""

from __future__ import annotations

from enum import StrEnum


class Lang(StrEnum):
    FR = "fr"
    EN = "en"


class Cue(StrEnum):
    """What the question's interrogative asks, before the noun it governs refines it."""

    WHY = "why"
    WHO = "who"
    WHEN = "when"
    WHERE = "where"
    HOW_MANY = "how_many"
    HOW_MUCH = "how_much"
    BY_HOW_MUCH = "by_how_much"  # a change's size: a percentage, a count, an amount
    HOW_LONG = "how_long"
    HOW = "how"
    WHICH = "which"
    WHAT = "what"
    NAME = "name"  # "comment s'appelle", "what is X called": a name
    YES_NO = "yes_no"
    NONE = "none"  # a terse query ("prix h100")


class Asked(StrEnum):
    """The kind of answer a question asks for: its cue, refined by the noun it governs."""

    PERSON = "person"
    ORGANISATION = "organisation"
    PLACE = "place"
    DATE = "date"
    MONEY = "money"
    PERCENT = "percent"
    COUNT = "count"
    DURATION = "duration"
    QUANTITY = "quantity"
    REASON = "reason"
    MANNER = "manner"
    NAME = "name"
    LANGUAGE = "language"
    YES_NO = "yes_no"
    THING = "thing"  # "que / what": a noun phrase or a clause
    ANY = "any"  # a terse query: anything the passage says


# A cue's answer type when no noun refines it.
CUE_ASKS = {
    Cue.WHY: Asked.REASON,
    Cue.WHO: Asked.PERSON,
    Cue.WHEN: Asked.DATE,
    Cue.WHERE: Asked.PLACE,
    Cue.HOW_MANY: Asked.COUNT,
    Cue.HOW_MUCH: Asked.MONEY,
    Cue.BY_HOW_MUCH: Asked.QUANTITY,
    Cue.HOW_LONG: Asked.DURATION,
    Cue.HOW: Asked.MANNER,
    Cue.WHICH: Asked.THING,
    Cue.WHAT: Asked.THING,
    Cue.NAME: Asked.NAME,
    Cue.YES_NO: Asked.YES_NO,
    Cue.NONE: Asked.ANY,
}


class SpanKind(StrEnum):
    """What a candidate answer is; a candidate may be several (a mention that is a name)."""

    PERSON = "person"
    ORGANISATION = "organisation"
    PLACE = "place"
    PRODUCT = "product"
    MEDIA = "media"
    ENTITY = "entity"  # a named entity of another type
    NAME = "name"  # capitalised words no entity list knows
    MONEY = "money"
    PERCENT = "percent"
    COUNT = "count"
    YEAR = "year"
    DATE = "date"
    DURATION = "duration"
    POWER = "power"
    QUANTITY = "quantity"
    NUMBER = "number"  # a number the figure parser gave no kind
    CAUSE = "cause"
    PURPOSE = "purpose"
    CONSEQUENCE = "consequence"
    REPORTED = "reported"
    QUOTE = "quote"
    UNKNOWN = "unknown"  # a clause saying what is asked is not known
    LIST = "list"  # typed spans of one kind joined by commas and a coordinator ("X, Y et Z")
    DETAIL = "detail"  # what follows a colon, to the end of its clause ("deux pistes : A et B")
    CLAUSE = "clause"  # the rest of a clause after the question's words
    PHRASE = "phrase"  # a phrase between function words
    SENTENCE = "sentence"  # the whole claim
