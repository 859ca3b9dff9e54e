"""Article text -> sentence, heading and boilerplate spans with exact offsets.

Offsets are Python str indices into the text exactly as decoded (no newline translation), so
`text[start:end]` always gives back the span. A paragraph is a line, except in a hard-wrapped
file (`_wrap_width`), where the lines of a paragraph are one: a sentence may then cross lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from gpu_brief.boilerplate import (
    ABBREVIATIONS,
    INVISIBLE,
    MARKDOWN_HEADING,
    boilerplate_reason,
    leading_dateline,
    source_url,
)
from gpu_brief.text import FRENCH_STOPWORDS, fold

TERMINALS = ".!?…"
LEADER_DOTS = 4  # a run of this many dots leads a label to its value, as in a table: no sentence end
CLOSERS = '»”"’)]'
OPENERS = '«“"([¿¡'


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a source: `kind` is sentence, heading or skipped (with the reason)."""

    kind: str
    start: int
    end: int
    line: int
    reason: str = ""


@dataclass
class Segmentation:
    """Everything `segment` found in one text; spans never overlap and are in text order."""

    sentences: list[Span] = field(default_factory=list)
    headings: list[Span] = field(default_factory=list)
    skipped: list[Span] = field(default_factory=list)
    title: Span | None = None
    url: str | None = None
    # a Markdown table's row (its sentence's start) -> the table's header row, which names its
    # columns ("Montant (M€)": the unit of the figures under it)
    columns: dict[int, Span] = field(default_factory=dict)


# --- sentences -------------------------------------------------------------------------------


def quote_regions(line: str) -> list[tuple[int, int]]:
    """Spans of matched quotations in a line; sentence ends inside them do not split.

    Guillemets and curly quotes nest; a straight `"` opens when it follows a space or an opening
    bracket and is followed by a non-space, closes otherwise. An unmatched quote protects nothing,
    so a typo cannot swallow the rest of a paragraph.
    """
    regions: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    pairs = {"»": "«", "”": "“"}
    for i, ch in enumerate(line):
        if ch in "«“":
            stack.append((ch, i))
        elif ch in pairs:
            opener = pairs[ch]
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == opener:
                    if depth == 0:
                        regions.append((stack[0][1], i + 1))
                    del stack[depth:]
                    break
        elif ch == '"':
            before = line[i - 1] if i > 0 else " "
            after = line[i + 1] if i + 1 < len(line) else " "
            opens = (before.isspace() or before in "([{«—–-:") and not after.isspace()
            if not opens and stack and stack[-1][0] == '"':
                if len(stack) == 1:
                    regions.append((stack[0][1], i + 1))
                stack.pop()
            elif opens:
                stack.append(('"', i))
    return regions


_INITIAL_THEN = re.compile(r"\s+(\w+)\s+(\w)")  # the two words after an initial's dot


def _word_before(line: str, end: int) -> str:
    """The last word of `line[:end]` (what `(\\w+)\\W*$` finds), read backwards from `end`: a
    search over the whole prefix at every initial made a line of many initials cubic."""
    k = end
    while k > 0 and not _is_word_char(line[k - 1]):
        k -= 1
    stop = k
    while k > 0 and _is_word_char(line[k - 1]):
        k -= 1
    return line[k:stop]


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what `re` matches with \w


def _is_abbreviation(line: str, dot: int) -> bool:
    """True when the `.` at `dot` closes an initial (`X.`) or a known abbreviation (`M.`)."""
    j = dot
    while j > 0 and (line[j - 1].isalpha() or line[j - 1] == "."):
        j -= 1
    word = line[j:dot]
    if not word:
        return False
    if len(word) == 1 and word.isupper():
        # an initial: `X. AI`, `J. Smith`, `B. Le Maire`; not a letter closing a sentence:
        # `en série A. Le tour est mené par ...` (a lowercase word before, a function word and a
        # lowercase word after)
        before = _word_before(line, j)
        after = _INITIAL_THEN.match(line, dot + 1)
        return not (
            before.islower()
            and after is not None
            and fold(after.group(1)) in FRENCH_STOPWORDS
            and after.group(2).islower()
        )
    return fold(word).rstrip(".") in ABBREVIATIONS


def _in_url_or_number(line: str, i: int) -> bool:
    """A dot inside `thanhnien.vn`, `GPT-4.5` or `www.x.com` is not a sentence end."""
    j = i
    while j > 0 and not line[j - 1].isspace():
        j -= 1
    k = i
    while k < len(line) and not line[k].isspace():
        k += 1
    chunk = line[j:k].lower()
    return "://" in chunk or chunk.startswith("www.") or "@" in chunk


def _sentence_ends(line: str) -> Iterator[int]:
    """Indices (exclusive) in `line` where a sentence ends, before the end of the line."""
    protected = quote_regions(line)
    yield from sorted({*_ends_outside_quotes(line, protected), *_quoted_sentence_ends(line, protected)})


def _quoted_sentence_ends(line: str, protected: list[tuple[int, int]]) -> Iterator[int]:
    """After a quotation whose last sentence ends inside it ("... de moitié. » Elle estime
    ..."), the sentence ends with the closing quote when a new one opens after it."""
    for _, b in protected:
        k = b - 1
        while k > 0 and _blank(line[k - 1]):
            k -= 1
        if k == 0 or line[k - 1] not in TERMINALS:
            continue
        j = b
        while j < len(line) and line[j].isspace():
            j += 1
        if j > b and j < len(line) and _opens_sentence(line[j]):
            yield b


def _opens_sentence(ch: str) -> bool:
    """May a sentence start on this character: a capital, a digit, an opener or a bullet?"""
    return ch.isupper() or ch.isdigit() or ch in OPENERS or ch in "-–—•*"


def _ends_outside_quotes(line: str, protected: list[tuple[int, int]]) -> Iterator[int]:
    """A terminal outside quotations, then a capital, an opener or a bullet."""

    def inside_quote(pos: int) -> bool:
        return any(a < pos < b - 1 for a, b in protected)

    i = 0
    n = len(line)
    while i < n:
        ch = line[i]
        if ch not in TERMINALS or inside_quote(i):
            i += 1
            continue
        end = i + 1
        while end < n and (line[end] in TERMINALS or line[end] in CLOSERS):
            end += 1
        if ch == "." and end == i + 1 and _is_abbreviation(line, i):
            i = end
            continue
        if "." * LEADER_DOTS in line[i:end]:  # "Avis défavorables ........ 68 %": a leader
            i = end
            continue
        if end >= n:
            return
        nxt = line[end]
        if nxt.isspace():
            k = end
            while k < n and line[k].isspace():
                k += 1
            if k >= n:
                return
            if _opens_sentence(line[k]):
                yield end
            i = k
            continue
        # A missing space after a full stop: `exigences.C'est`. Only between a lowercase word
        # and a capitalised one, and never inside a URL, an address or a version number.
        if (
            ch == "."
            and end == i + 1
            and i >= 2
            and line[i - 1].islower()
            and line[i - 2].isalpha()
            and nxt.isupper()
            and end + 1 < n
            and (line[end + 1].islower() or line[end + 1] in "'’")
            and not _in_url_or_number(line, i)
        ):
            yield end
        i = end


def _blank(ch: str) -> bool:
    return ch.isspace() or ch in INVISIBLE


def _trim(line: str, a: int, b: int) -> tuple[int, int]:
    while a < b and _blank(line[a]):
        a += 1
    while b > a and _blank(line[b - 1]):
        b -= 1
    return a, b


def split_sentences(line: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) within one line, whitespace trimmed, in order."""
    spans: list[tuple[int, int]] = []
    start = 0
    for end in _sentence_ends(line):
        a, b = _trim(line, start, end)
        if b > a:
            spans.append((a, b))
        start = end
    a, b = _trim(line, start, len(line))
    if b > a:
        spans.append((a, b))
    return spans


# A Markdown table: "| Emplois conservés | 148 | 95 |" rows, a "|---|:--:|" rule under the header
_TABLE_ROW = re.compile(r"[ \t]*\|[^\n]*\|[ \t]*")
_TABLE_RULE = re.compile(r"[ \t]*\|[ \t:|-]*-[ \t:|-]*\|[ \t]*")
_BULLET = re.compile(r"[ \t]*[-*•–—▪◦·][ \t]+(?=\S)")  # "- Japon : 0,58 milliard d'euros (+9 %)"


def _looks_like_heading(line: str, pieces: list[tuple[int, int]], first: bool = False) -> bool:
    """A short single-piece line without closing punctuation is a heading, not a claim; an
    article's first line, its headline, may be longer ("Annecy : cinq ans de prison requis
    contre un ancien notaire accusé d'avoir détourné 1,7 million d'euros", 17 words)."""
    if len(pieces) != 1:
        return False
    a, b = pieces[0]
    piece = line[a:b]
    words = piece.split()
    most_words, most_chars = (30, 220) if first else (16, 140)
    if not words or len(words) > most_words or len(piece) > most_chars:
        return False
    if "." * LEADER_DOTS in piece:  # "Avis favorables ........ 27 %": a table's row, a claim
        return False
    last = piece.rstrip('»”"’) ')[-1:] if piece.rstrip('»”"’) ') else ""
    if last in ".!;:,…":
        return False
    if last == "?":  # a headline may ask ("..., dernier refuge des barges à queue noire ?")
        return len(words) <= (QUESTION_HEADLINE_WORDS if first else QUESTION_HEADING_WORDS)
    return not piece[0].islower()


QUESTION_HEADING_WORDS = 12  # a line asking a question up to this long is a heading...
QUESTION_HEADLINE_WORDS = 20  # ...and an article's first line up to this long
EMPHASIS_HEADING_WORDS = 30  # an emphasised one-sentence paragraph up to this long is a heading
WRAP_MOST = 100  # a hard-wrapped file's lines are at most this long...
WRAP_FULL = 0.6  # ...and a line this share of the longest or more runs on to the next
WRAP_PAIRS = 2  # lines running on to the next a file needs to be taken for hard-wrapped


def _wrap_width(lines: list[tuple[int, int, str]]) -> int | None:
    """The width a file is hard-wrapped at ("Le constructeur ne livrera pas les premières rames
    de la ligne" / "Tours–Loches–Châteauroux avant ..."), None when its lines are paragraphs:
    no line longer than WRAP_MOST, and full lines followed by another line."""
    lengths = [len(content.rstrip()) for _, _, content in lines]
    width = max(lengths, default=0)
    if width == 0 or width > WRAP_MOST:
        return None
    full = sum(
        1
        for k in range(len(lines) - 1)
        if lengths[k] >= WRAP_FULL * width and lines[k + 1][2].strip() and not _starts_block(lines[k + 1][2])
    )
    return width if full >= WRAP_PAIRS else None


def _starts_block(content: str) -> bool:
    """A line that never continues the one before: a list item, a Markdown heading or table row."""
    return bool(_BULLET.match(content) or MARKDOWN_HEADING.match(content) or _TABLE_ROW.fullmatch(content))


def _paragraphs(text: str, lines: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The lines as paragraphs: in a hard-wrapped file a full line and the ones it runs on to
    are one (its content the source's text from the first to the last, newlines included)."""
    width = _wrap_width(lines)
    if width is None:
        return lines
    out: list[tuple[int, int, str]] = []
    joining = False
    for number, offset, content in lines:
        if joining and content.strip() and not _starts_block(content):
            first, start, _ = out[-1]
            out[-1] = (first, start, text[start : offset + len(content)])
        else:
            out.append((number, offset, content))
        joining = bool(content.strip()) and len(content.rstrip()) >= WRAP_FULL * width
    return out


def physical_lines(text: str) -> list[tuple[int, int, str]]:
    """(line number, offset, content without \r) of each line of a text."""
    lines: list[tuple[int, int, str]] = []
    offset = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        content = raw[:-1] if raw.endswith("\r") else raw
        lines.append((number, offset, content))
        offset += len(raw) + 1
    return lines


def paragraphs(text: str) -> list[tuple[int, int, str]]:
    """(first line number, offset, content) of each paragraph as ingest reads it."""
    return _paragraphs(text, physical_lines(text))


def hard_wrapped(text: str) -> bool:
    """Is the text hard-wrapped (its sentences may cross lines)?"""
    return _wrap_width(physical_lines(text)) is not None


def segment(text: str) -> Segmentation:
    """Split one article into sentences, headings and skipped boilerplate lines."""
    result = Segmentation()
    lines = _paragraphs(text, physical_lines(text))

    nonblank = [entry for entry in lines if entry[2].strip(" \t" + INVISIBLE).strip()]
    reasons = [boilerplate_reason(content) for _, _, content in nonblank]
    # A short line right before a photo credit, or right after an image file, is a caption.
    for k, (_, _, content) in enumerate(nonblank):
        if reasons[k] is not None or len(content.split()) > 12 or content.rstrip().endswith("."):
            continue
        nxt = reasons[k + 1] if k + 1 < len(reasons) else None
        prev = reasons[k - 1] if k > 0 else None
        if nxt == "photo-credit" or prev == "image-file":
            reasons[k] = "caption"

    header: Span | None = None  # the header row of the table being read
    for k, (number, base, content) in enumerate(nonblank):
        reason = reasons[k]
        table_row = _TABLE_ROW.fullmatch(content) is not None
        if not table_row or (k and number != nonblank[k - 1][0] + 1):
            header = None  # a blank line or a paragraph ends a table
        if reason is not None:
            a, b = _trim(content, 0, len(content))
            result.skipped.append(Span("skipped", base + a, base + b, number, reason))
            if reason == "source-url" and result.url is None:
                result.url = source_url(content)
            continue
        if table_row:
            is_header = k + 1 < len(nonblank) and _is_rule(nonblank[k + 1][2])
            row = _table_row(result, content, base, number, is_header)
            if is_header:
                header = row
            elif row is not None and header is not None:
                result.columns[row.start] = header
            continue
        marker = MARKDOWN_HEADING.match(content)
        if marker is not None:  # "## Titre": the marker is no part of the title (same length: offsets hold)
            content = " " * marker.end() + content[marker.end() :]
        bullet = _BULLET.match(content) if marker is None else None
        if bullet is not None:  # a list item says something (a figure, a name): a claim, never a heading
            content = " " * bullet.end() + content[bullet.end() :]
        lead = leading_dateline(content) if marker is None and bullet is None and k else 0
        if lead:  # "Brévannes-sur-Mer, le 9 avril 2025 — À marée basse, ...": the dispatch's own line
            a, b = _trim(content, 0, lead)
            result.skipped.append(Span("skipped", base + a, base + b, number, "dateline"))
            content = " " * lead + content[lead:]
        unwrapped = _unwrapped(content)
        # a paragraph in emphasis, one sentence long, is a heading as its markers made it look
        # ("**Pourquoi ne pas avoir organisé un référendum, comme le demandent les syndicats ?**")
        emphasised, content = unwrapped != content, unwrapped
        pieces = split_sentences(content)
        if bullet is None and (
            _looks_like_heading(content, pieces, first=k == 0)
            or (emphasised and len(pieces) == 1 and len(content.split()) <= EMPHASIS_HEADING_WORDS)
        ):
            a, b = pieces[0]
            span = Span("heading", base + a, base + b, number + content.count("\n", 0, a))
            result.headings.append(span)
            if k == 0:
                result.title = span
            continue
        for a, b in pieces:  # the line a sentence starts on (a wrapped paragraph holds several)
            result.sentences.append(Span("sentence", base + a, base + b, number + content.count("\n", 0, a)))
    return result


# a whole paragraph in Markdown emphasis ("**Est-ce une victoire ?**", an interview's question):
# the markers are no part of its sentences
_WRAPPED = re.compile(
    r"(?P<lead>[ \t]*)(?P<mark>\*\*|__|\*|_)(?=\S)(?P<body>.*?\S)(?P=mark)[ \t\r]*", re.DOTALL
)


def _unwrapped(content: str) -> str:
    """The paragraph with its emphasis markers blanked (same length: offsets hold), when they
    wrap it whole and nothing inside is emphasised the same way."""
    m = _WRAPPED.fullmatch(content)
    if m is None or m.group("mark") in m.group("body"):
        return content
    width = len(m.group("mark"))
    a, b = m.start("mark"), m.end("body")
    return content[:a] + " " * width + content[a + width : b] + " " * width + content[b + width :]


def _is_rule(content: str) -> bool:
    return bool(_TABLE_RULE.fullmatch(content))


def _table_row(result: Segmentation, content: str, base: int, number: int, header: bool) -> Span | None:
    """A Markdown table's row is one claim, its cells as written ("Emplois conservés | 148 |
    95", without the outer bars); the row above the rule names the columns, a heading; the rule
    says nothing."""
    if _is_rule(content):
        a, b = _trim(content, 0, len(content))
        result.skipped.append(Span("skipped", base + a, base + b, number, "table-rule"))
        return None
    first, last = content.index("|"), content.rindex("|")
    a, b = _trim(content, first + 1, last)
    if a >= b:
        return None
    span = Span("heading" if header else "sentence", base + a, base + b, number)
    (result.headings if header else result.sentences).append(span)
    return span
