"""Numbers, money, percentages and units in French text -> figures with values and offsets.

French writes `10 000` with any kind of space (often a no-break or thin space), `2,50` with a
decimal comma, and puts the currency after the number (`30 603 $`, `48,1 milliards de dollars`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from gpu_brief.text import FRENCH_STOPWORDS, GROUP_SPACES, fold

_GROUP = f"[{GROUP_SPACES}]"  # between a number's digit groups ("10 000")
# before a number's unit: a space, or a line break inside a sentence ("les 3,6\nmillions
# attendus" in a hard-wrapped article; never between digit groups: "03\n000" is two numbers)
_SP = f"[{GROUP_SPACES}\r\n]"
_NUM = rf"\d{{1,3}}(?:{_GROUP}\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?"
_SCALES = {
    "mille": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "milliard": 1e9,
    "milliards": 1e9,
    "billion": 1e12,
    "billions": 1e12,
}
_SCALE = r"mille|millions?|milliards?|billions?"
_VAGUE = r"dizaines|centaines|milliers|millions|milliards"
_OF = r"(?:\s+de\s+|\s+d['’]\s*|\s+des\s+)"
_MONEY = (
    r"\$(?:\s*US)?|US\s?\$|€|euros?|dollars?(?:\s+(?:US|américains))?|yuans?|cents?|centimes?"
    r"|livres?\s+sterling|£"
)
_PERCENT = r"%|pour\s?cent|percent"
_POWER = r"[kKMGT]Wh?\b|(?:kilo|méga|mega|giga|téra|tera)watts?(?:-?heures?)?\b"
_PREFIXES = {"k": "k", "kilo": "k", "m": "M", "mega": "M", "g": "G", "giga": "G", "t": "T", "tera": "T"}
_WORDS = yaml.safe_load(
    (Path(__file__).resolve().parent / "resources" / "lang" / "fr_figures.yaml").read_text("utf-8")
)
# "douze", "trente-cinq", "soixante et onze", "une trentaine" (resources/lang/fr_figures.yaml)
_WORD_NUMBERS: dict[str, int] = {str(k): int(v) for k, v in _WORDS["word_numbers"].items()}
_APPROXIMATE: dict[str, int] = {str(k): int(v) for k, v in _WORDS["approximate_numbers"].items()}
_ONE_WORD = "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
# the words of a hundred, which a space joins to the number they multiply: "deux cents"
_HUNDRED = "|".join(sorted((w for w, v in _WORD_NUMBERS.items() if v == 100), key=len, reverse=True))
_WORDNUM = (
    rf"une\s+(?:{'|'.join(sorted(_APPROXIMATE, key=len, reverse=True))})"
    rf"|(?:{_ONE_WORD})(?:(?:-|\s+et\s+|\s+(?=(?:{_HUNDRED})\b))(?:{_ONE_WORD}))*"
)
# what joins a range's two numbers: "2 à 3 millions", "2020-2022", "de 5 h à 1 h"
_RANGE_JOIN = "|".join(map(re.escape, _WORDS["range_joins"]))
# "5,2 M€": a multiplier glued to a currency sign
_MULTIPLIERS: dict[str, float] = {str(k): float(v) for k, v in _WORDS["money_multipliers"].items()}
_MULTIPLIER = "|".join(sorted(map(re.escape, _MULTIPLIERS), key=len, reverse=True))
# Words after a number that are not what it counts (resources/lang/fr_figures.yaml)
_NOT_COUNTED = frozenset(fold(w) for w in _WORDS["not_counted"])
# An adjective before the counted noun: "quatre autres candidats" counts candidates
_ADJECTIVES_BEFORE = frozenset(fold(w) for w in _WORDS["before_noun"])
_BEFORE_NOUN = rf"(?:(?:{'|'.join(map(re.escape, _WORDS['before_noun']))})\s+)?"
# a unit of time, not the start of a compound noun ("40 années-lumière" counts light-years)
# units of measure ("900 mètres", "38 ha"), longest first, as written (resources: measure_units)
_MEASURE_UNITS: dict[str, str] = {str(k): str(v) for k, v in _WORDS["measure_units"].items()}
_MEASURE = "|".join(
    re.escape(u).replace(r"\ ", r"\s+") for u in sorted(_MEASURE_UNITS, key=len, reverse=True)
)
_DURATION = r"(?:ans|an|années|année|mois|semaines?|jours?|heures?|minutes?|trimestres?)\b(?!-\w)"
# Adjectives that belong to a counted noun ("visiteurs uniques", "utilisateurs actifs mensuels").
_ADJECTIVE = rf"(?!(?:{'|'.join(map(re.escape, _WORDS['not_counted']))})\b)(?:[^\W\d_]+(?:iques?|ifs?|ives?|els?|elles?|aires?|aux|ales?|eux|euses?|ants?|antes?))\b"
_QUALIFIER = (
    r"environ|près\s+d['’]?e?|plus\s+d['’]?e?|moins\s+d['’]?e?|au\s+moins|d['’]au\s+moins|jusqu['’]à"
    r"|quelque|presque|à\s+peine|au-delà\s+d['’]?e?|autour\s+d['’]?e?|approximativement|près de"
)
# "l'an" is a rate ("50 000 euros l'an"), not in "l'an dernier" (a date: last year); "par 36
# voix" is no rate: a rate is per a word
_PER = (
    r"(?:par|/|per|chaque)\s*(?:(?!\d)\w+(?:\s+(?:de|d['’])\s*\w+)?)|l['’]\s*unité"
    rf"|l['’]\s*an(?!\s+(?:{'|'.join(map(re.escape, _WORDS['year_qualifiers']))})\b)|l['’]\s*heure"
)

_FRACTIONS = {
    "demi": 0.5,
    "moitié": 0.5,
    "tiers": 1 / 3,
    "quart": 0.25,
    "cinquième": 0.2,
    "dixième": 0.1,
    "centième": 0.01,
    "millième": 0.001,
}
_FRACTION = re.compile(
    r"\b(?:un|une|la)\s+(?P<frac>demi|moitié|tiers|quart|cinquième|dixième|centième|millième)\b",
    re.IGNORECASE,
)
_FIGURE = re.compile(
    rf"""
    (?:(?<!\w)(?P<qualifier>{_QUALIFIER})\s*)?
    (?:
        (?P<vague>(?:des|plusieurs|quelques)\s+(?:{_VAGUE})(?:\s+de\s+(?:milliers|millions|milliards))?)
      | \$\s?(?P<prenum>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s*(?P<prescale>{_SCALE}|[kMB]n?)\b)?
      | (?:(?<![^\s(|:;])(?P<sign>[-−+])(?=\d)|(?<![\w\-.,/]))(?P<num>{_NUM})(?!\w|[.,]\d)
        (?:\s*(?:{_RANGE_JOIN})\s*(?P<num2>{_NUM})(?!\w|[.,]\d))?
      | (?<![\w\-])(?P<wordnum>{_WORDNUM})\b(?=\s+(?:{_SCALE}|{_DURATION}|\w))
    )
    (?:{_SP}*(?P<scale>{_SCALE})\b)?
    (?:
        {_SP}*(?P<percent>{_PERCENT})
      | {_SP}*(?-i:(?P<multiplier>{_MULTIPLIER}))\s?(?P<signed>€|\$)
      | (?:{_OF}|{_SP}*)(?P<money>{_MONEY})(?!\w)
      | {_SP}*(?P<power>{_POWER})
      | {_SP}+(?P<duration>{_DURATION})
      | (?:{_OF}|{_SP}*)(?-i:(?P<measure>{_MEASURE}))(?![\w²³])
      | (?:{_OF}|{_SP}+)(?P<noun>{_BEFORE_NOUN}(?!(?:{_SCALE})\b)[^\W\d_][\w\-]*+(?!['’]\w)(?:\s+{_ADJECTIVE}){{0,2}})
    )?
    (?:{_SP}*(?P<per>{_PER}))?
    """,
    re.VERBOSE | re.IGNORECASE,
)

_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
# words right before a four-digit number that make it a year ("en 2024", "l'été 2022")
_YEAR_WORDS = "|".join(sorted(map(re.escape, _WORDS["year_context"]), key=len, reverse=True))
_YEAR_CONTEXT = re.compile(rf"(?:\b(?:{_YEAR_WORDS}|{_MONTHS})|[(,])\s*$", re.IGNORECASE)
_MONTH = re.compile(rf"(?:{_MONTHS})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FoundFigure:
    """A figure found in a text; offsets are into that text."""

    text: str
    kind: str
    value: float | None
    start: int
    end: int
    value_max: float | None = None
    unit: str | None = None
    counts: str | None = None
    per: str | None = None
    qualifier: str | None = None
    column: str | None = None  # a table cell's: its column's header ("Tonnage 2025")


def parse_number(raw: str) -> float:
    """`10 000` -> 10000.0, `2,50` -> 2.5, `48,1` -> 48.1 (French conventions)."""
    compact = re.sub(r"\s|[\u00a0\u202f\u2009\u2007]", "", raw).replace(",", ".")
    return float(compact)


def _money_unit(raw: str) -> str:
    folded = fold(raw).replace(" ", "")
    if folded.startswith(("cent", "centime")):
        return "cents"
    if folded.startswith(("euro", "€")):
        return "€"
    if folded.startswith("yuan"):
        return "yuans"
    if folded.startswith(("livre", "£")):
        return "£"
    return "$"


def _clean(value: float) -> float:
    return float(round(value, 6))


# hours and minutes: "1 h 52", "2h05", "3 h" (a duration), "à 20 h 30" (a time of day: no figure)
_HOURS = re.compile(
    rf"(?<![\w,.])(?P<at>(?:{'|'.join(map(re.escape, _WORDS['clock_before']))})\s+)?"
    r"(?P<hours>\d{1,3})\s?h(?:\s?(?P<minutes>[0-5]\d))?(?![\w,.]\d|\w)"
    rf"(?P<after>\s+(?:{'|'.join(map(re.escape, _WORDS['clock_after']))})\b)?",
    re.IGNORECASE,
)


_HOUR_RANGE = re.compile(rf"\s*(?:{_RANGE_JOIN})\s*\d{{1,2}}\s?h(?!\w)", re.IGNORECASE)  # "de 5 h à 1 h"


def _hours(text: str) -> tuple[list[FoundFigure], list[tuple[int, int]]]:
    """Durations written in hours and minutes, and every such span (times of day included),
    which the general finder must not read as "1 h" counted and "52" alone."""
    found: list[FoundFigure] = []
    spans: list[tuple[int, int]] = []
    for m in _HOURS.finditer(text):
        start = m.start("hours")
        spans.append((start, m.end()))
        # "à 20 h 30", "8h00", "de 5 h à 1 h du matin": a time of day
        if (
            m.group("at")
            or m.group("after")
            or m.group("minutes") == "00"
            or _HOUR_RANGE.match(text, m.end())
        ):
            continue
        hours = int(m.group("hours"))
        if m.group("minutes"):
            value, unit = hours * 60 + int(m.group("minutes")), "minutes"
        else:
            value, unit = hours, "heures"
        found.append(FoundFigure(text[start : m.end()], "duration", float(value), start, m.end(), unit=unit))
    return found, spans


def find_figures(text: str) -> list[FoundFigure]:
    """Every figure in `text`, in order, with its value in base units (None when vague)."""
    out, taken = _hours(text)
    for m in _matches(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        figure = _figure_from_match(text, m)
        if figure is not None:
            out.append(figure)
    for m in _FRACTION.finditer(text):  # "un dixième de l'échelle", "la moitié du marché"
        if not any(f.start < m.end() and m.start() < f.end for f in out):
            value = _FRACTIONS[m.group("frac").lower()]
            out.append(FoundFigure(m.group(), "quantity", _clean(value), m.start(), m.end(), unit="×"))
    out.sort(key=lambda f: f.start)
    return out


def _matches(text: str) -> Iterator[re.Match[str]]:
    """The figure pattern's matches, a "range" that opens on a year and falls apart: "passée de
    2,1 millions d'euros en 2021 à 6,8 millions" is the year 2021, then 6,8 millions, not money
    from 2021 to 6,8 millions ("de 1800 à 2000 euros" is a range)."""
    for m in _FIGURE.finditer(text):
        num, num2 = m.group("num"), m.group("num2")
        year = bool(num2) and re.fullmatch(r"\d{4}", num) is not None and 1800 <= int(num) <= 2100
        if (
            year
            and parse_number(num2) < int(num)
            and _YEAR_CONTEXT.search(text[max(0, m.start() - 30) : m.start("num")])
        ):
            first = _FIGURE.match(text, m.start(), m.end("num"))
            second = _FIGURE.match(text, m.start("num2"))
            yield from (part for part in (first, second) if part is not None)
            continue
        yield m


# a column's unit in its header cell: "Montant (M€)", "Trafic (en EVP)", "Surface (ha)"
_COLUMN_UNIT = re.compile(
    rf"\((?:(?:{'|'.join(map(re.escape, _WORDS['column_unit_prepositions']))})\s+)?([^()]+)\)\s*$",
    re.IGNORECASE,
)


def column_units(figures: list[FoundFigure], row: str, header: str) -> list[FoundFigure]:
    """A table row's figures with the units its header gives their columns, or else its row's
    label: "78" under "Montant (M€)" is 78 M€ (its text and offsets stay the cell's), a bare
    number under "Part (%)" a percentage, "3" in the row "Rabattement (m)" 3 metres (a number
    under ten, which prose leaves out, is a table's value). Only a cell that is a bare number
    alone takes a unit."""
    if not header:
        return figures
    heads = header.split("|")
    units = [_bracketed(cell) for cell in heads]
    cells = row.split("|")
    label = next((i for i, cell in enumerate(cells) if cell.strip()), len(cells))
    row_unit = _bracketed(cells[label]) if label < len(cells) else ""
    by_start = {f.start: f for f in figures}
    ends = []  # where each cell ends in the row
    at = 0
    for column, cell in enumerate(cells):
        start = at + len(cell) - len(cell.lstrip())
        at += len(cell) + 1
        ends.append(at - 1)
        unit = (units[column] if column < len(units) else "") or (row_unit if column > label else "")
        text = cell.strip()
        f = by_start.get(start)
        if not unit or not text or (f is not None and (f.text != text or f.kind not in ("quantity", "year"))):
            continue
        said = f"{text} {unit}"
        found = find_figures(said)
        if len(found) == 1 and (found[0].start, found[0].end) == (0, len(said)):
            g = found[0]
            if f is None or g.kind != f.kind or (g.unit and not f.unit):
                by_start[start] = FoundFigure(
                    text,
                    g.kind,
                    g.value,
                    start,
                    start + len(text),
                    g.value_max,
                    g.unit,
                    g.counts,
                    g.per,
                    None,
                )
        elif _NUMBER_ALONE.fullmatch(text) and (f is None or (f.kind == "quantity" and f.counts is None)):
            # a unit the finder does not know ("(m)") still says what the number measures
            value = parse_number(text.replace("−", "-"))
            by_start[start] = FoundFigure(text, "quantity", value, start, start + len(text), None, None, unit)
    return [_in_column(f, ends, heads, label) for f in sorted(by_start.values(), key=lambda f: f.start)]


def _in_column(f: FoundFigure, ends: list[int], heads: list[str], label: int) -> FoundFigure:
    """The figure with its column's header, when it is a cell's under one (not the row's label):
    "368 000" under "Tonnage 2025" answers for 2025, "412 000" beside it for 2024."""
    column = bisect_right(ends, f.start)
    name = " ".join(heads[column].split()) if column < len(heads) else ""
    return replace(f, column=name) if name and column != label else f


_NUMBER_ALONE = re.compile(r"[-−+]?\d+(?:[.,]\d+)?")


def _bracketed(cell: str) -> str:
    m = _COLUMN_UNIT.search(cell.strip())
    return m.group(1).strip() if m else ""


def _figure_from_match(text: str, m: re.Match[str]) -> FoundFigure | None:
    g = m.groupdict()
    scale = _SCALES.get((g["scale"] or "").lower(), 1.0)
    qualifier = " ".join(g["qualifier"].split()) if g["qualifier"] else None
    start = m.start()
    if g["qualifier"]:
        start = m.end("qualifier")
        while start < len(text) and text[start].isspace():
            start += 1
    end = m.end()
    value: float | None
    value_max: float | None = None
    if g["vague"]:
        value = None
        qualifier = qualifier or fold(g["vague"].split()[0])
    elif g["prenum"]:
        value = float(g["prenum"].replace(",", ""))
        pre = (g["prescale"] or "").lower()
        value *= {"k": 1e3, "m": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9}.get(pre, _SCALES.get(pre, 1.0))
    elif g["num"]:
        scale *= _MULTIPLIERS.get(g["multiplier"] or "", 1.0)
        value = parse_number(g["num"]) * scale
        if g["sign"] in ("-", "−"):  # a deficit, a fall: "-3,2 M€" is not 3,2 M€
            value = -value
        if g["num2"]:
            value_max = parse_number(g["num2"]) * scale
    else:
        word = fold(g["wordnum"])
        has_unit = g["scale"] or g["duration"] or g["money"] or g["percent"] or g["measure"]
        if word in ("un", "une") and not g["scale"]:
            return None  # an article, not a number
        if not has_unit and not g["noun"]:
            return None
        value = word_value(word) * scale
    unit: str | None = None
    counts: str | None = None
    kind: str
    if g["percent"]:
        kind, unit = "percent", "%"
    elif g["money"] or g["signed"] or g["prenum"]:
        kind, unit = "money", _money_unit(g["money"] or g["signed"] or "$")
    elif g["power"]:
        kind, unit = _power_unit(g["power"])
    elif g["measure"]:
        kind, unit = "quantity", _MEASURE_UNITS[" ".join(g["measure"].split())]
    elif g["duration"]:
        kind, unit = "duration", fold(g["duration"]).rstrip("s") + "s"
        unit = "ans" if unit in ("ans", "annees", "annee", "an") else unit
    elif g["noun"] and _MONTH.match(g["noun"]) and g["num"] and value is not None and value <= 31:
        return None  # "14 mars" is a day of a date (the answer finders' date), not 14 of something
    elif g["noun"] and _counted_noun(g["noun"], value) and not _is_year(text, m, g, value):
        kind, counts = "count", g["noun"]
        if g["vague"] and fold(g["noun"]) in ("dollars", "dollar", "euros"):
            kind, unit = "money", _money_unit(g["noun"])
    else:
        # no unit: drop a trailing non-unit word from the span
        end = (
            m.end("scale")
            if g["scale"]
            else m.end("num2")
            if g["num2"]
            else (m.end("num") if g["num"] else m.end("wordnum") if g["wordnum"] else m.end("vague"))
        )
        if (g["vague"] or g["wordnum"]) and not g["scale"]:
            return None  # "des centaines", "trois" alone: no figure
        if _is_year(text, m, g, value):
            kind = "year"
        elif value is not None and g["num"] and not g["scale"] and value < 10 and not qualifier:
            return None  # a bare small number ("étape 2") says nothing on its own
        else:
            kind = "quantity" if g["wordnum"] is None else "count"
        if g["num2"] and kind == "year":
            end = m.end("num")
            value_max = None
        return FoundFigure(text[start:end], kind, value, start, end, value_max, None, None, None, qualifier)
    per: str | None = None
    if g["per"] and (kind == "money" or g["per"].startswith("/")):
        per = " ".join(g["per"].split())  # a rate: "20 $ par mois", "25 km/h", "10 Go/s"
    elif g["per"]:
        end = m.start("per")
        while end > start and text[end - 1].isspace():
            end -= 1
    return FoundFigure(
        text[start:end],
        kind,
        None if value is None else _clean(value),
        start,
        end,
        None if value_max is None else _clean(value_max),
        unit,
        counts,
        per,
        qualifier,
    )


def word_value(words: str) -> int:
    """The value of a number written in words: "trente-cinq" 35, "quatre-vingt-dix" 90,
    "deux cents" 200, "une trentaine" about 30."""
    parts = [w for w in re.split(r"[\s-]+", fold(words)) if w and w != "et"]
    if parts[-1] in _APPROXIMATE:
        return _APPROXIMATE[parts[-1]]
    total = 0
    for part in parts:
        value = _WORD_NUMBERS[part]
        if value == 100:
            total = max(total, 1) * 100
        elif value == 20 and total % 100 == 4:  # "quatre-vingts"
            total += 76
        else:
            total += value
    return total


def _is_year(text: str, m: re.Match[str], g: dict[str, str | None], value: float | None) -> bool:
    raw = g["num"]
    if not raw or g["scale"] or not re.fullmatch(r"\d{4}", raw):
        return False
    if value is None or not 1800 <= value <= 2100:
        return False
    before = text[max(0, m.start() - 30) : m.start("num")]
    if _YEAR_CONTEXT.search(before):
        return True
    return not g["noun"] or not _counted_noun(g["noun"], value)  # "attendre 2033 pour que": counts nothing


def _power_unit(raw: str) -> tuple[str, str]:
    """("power", "GW") or ("energy", "TWh"): "3 GW", "250 mégawatts", "89 TWh", "2 térawattheures"."""
    word = fold(raw)
    m = re.match(r"(kilo|mega|giga|tera|[kmgt])w(?:atts?)?(-?heures?|h)?$", word)
    if m is None:
        return "power", raw
    unit = _PREFIXES[m.group(1)] + "W"
    return ("energy", unit + "h") if m.group(2) else ("power", unit)


def _counted_noun(noun: str, value: float | None = None) -> bool:
    """Is the word after a number what it counts ("13 millions de visiteurs"), not a function
    word or a preposition ("2 de la centrale", "trois depuis 2019")? After two or more, a noun
    is plural: "l'exercice 2025 marqué par" counts nothing (a participle; the year)."""
    written = [w for w in re.split(r"[\s'’]+", noun) if w]
    words = [fold(w) for w in written]
    if words[0] in _ADJECTIVES_BEFORE:
        if len(words) == 1:
            return False  # "les deux premiers": no noun counted
        words, written = words[1:], written[1:]  # "deux premiers d'entre eux": what follows counts
    first = words[0]
    if value is not None and value >= 2 and _singular(written[0]):
        return False
    return fold(noun) not in FRENCH_STOPWORDS and first not in FRENCH_STOPWORDS and first not in _NOT_COUNTED


def _singular(word: str) -> bool:
    """A lowercase word of three letters or more with no final s, x or z; an abbreviation ("10
    Go", "3 kWh") or a capitalised word is left alone."""
    return len(word) >= 3 and word.isalpha() and word.islower() and word[-1] not in "sxz"
