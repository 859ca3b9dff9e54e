"""Questions as users give them: one on the command line, in chat, or a file of one per line.

A questions file is read line by line (a batch of 100,000 lines is answered as it is read, in
bounded memory) and each line is checked like a question typed alone: valid UTF-8, at most
`MAX_CHARS` characters, some words. A line that fails is skipped with a warning naming it, the
others are answered. Lists pasted from a document ("1. Qui ...", "- ...", "« ... »", "🚀 ...")
lose their markers and quotes, which would otherwise be searched for as words; the lines changed
are reported.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from gpu_brief.errors import InputError

MAX_CHARS = 1000
_READ_LIMIT = 16 * MAX_CHARS  # bytes read at most for one line; the rest of a longer line is skipped
_SURROGATE = re.compile("[\ud800-\udfff]")
# the first line of a question set written for `gpu-brief eval` (YAML), given where questions
# one per line are expected: its every line would be "asked"
_QUESTION_SET = re.compile(r"^(?:version|questions)\s*:(?:\s*\d*\s*)$")
_MARKER = re.compile(r"^(?:\(?\d{1,4}[.)]|[-*+•·–—>]|[a-z][.)](?=\s))\s+", re.IGNORECASE)
_QUOTES = {"«": "»", '"': '"', "“": "”", "„": "“", "'": "'", "‘": "’", "‹": "›", "`": "`"}


def check_question(question: str) -> str:
    """The question, stripped; an InputError saying what is wrong with it otherwise."""
    bad = _SURROGATE.search(question)
    if bad is not None:
        byte = ord(bad.group()) - 0xDC00
        shown = f" (byte 0x{byte:02x})" if 0x80 <= byte <= 0xFF else ""
        raise InputError(
            f"the question is not valid UTF-8{shown} at character {bad.start() + 1}; "
            "is the terminal or file set to UTF-8?"
        )
    cleaned = question.strip()
    if not cleaned:
        raise InputError("the question is empty")
    if not any(ch.isalnum() for ch in cleaned):
        raise InputError(f"the question has no words: {cleaned!r}")
    if len(cleaned) > MAX_CHARS:
        raise InputError(f"the question is {len(cleaned)} characters long; keep it under {MAX_CHARS}")
    return cleaned


def strip_list_markers(line: str) -> str:
    """`1. Qui ...`, `- Qui ...`, `« Qui ... »`, `🚀 Qui ...` -> `Qui ...`, repeatedly."""
    while True:
        before = line
        line = _MARKER.sub("", line, count=1)
        while line and _is_pictograph(line[0]):
            line = line[1:].lstrip()
        if len(line) >= 2 and _QUOTES.get(line[0]) == line[-1]:
            line = line[1:-1].strip()
        elif len(line) >= 3 and line[-1] in "?!." and _QUOTES.get(line[0]) == line[-2]:
            line = (line[1:-2] + line[-1]).strip()  # « Qui ... »? with the mark outside
        if line == before:
            return line


def _is_pictograph(ch: str) -> bool:
    """Emoji and other symbols that open a line of a list: not part of any question."""
    return unicodedata.category(ch) in ("So", "Sk", "Cf", "Mn") and ch not in "°"


@dataclass
class QuestionsFile:
    """The usable questions of a file, read as they are asked for; what was skipped or changed."""

    name: str
    skipped: list[tuple[int, str]] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    asked: int = 0
    line: int = 0  # the line of the question last read: what a script pairs an answer with

    def __iter__(self) -> Iterator[str]:
        handle = _open(self.name)
        try:
            yield from self._questions(handle)
        finally:
            if handle is not sys.stdin.buffer:
                handle.close()
        if not self.asked and not self.skipped:
            raise InputError(f"{self.shown}: no questions in it (one question per line)")
        if not self.asked:  # nothing to answer: an error, not an empty briefing
            number, why = self.skipped[0]
            others = len(self.skipped) - 1
            more = f" (and {others} more line{'s' if others > 1 else ''})" if others else ""
            raise InputError(f"{self.shown}: no usable question: line {number}: {why}{more}")

    @property
    def shown(self) -> str:
        return "stdin" if self.name == "-" else self.name

    def _questions(self, handle: IO[bytes]) -> Iterator[str]:
        number = 0
        while raw := handle.readline(_READ_LIMIT):
            number += 1
            if b"\x00" in raw:
                raise InputError(f"{self.shown}: a binary file, not questions (one per line, UTF-8 text)")
            if not raw.endswith(b"\n") and len(raw) == _READ_LIMIT:
                while (rest := handle.readline(_READ_LIMIT)) and not rest.endswith(b"\n"):
                    pass
                self.skipped.append((number, f"longer than {MAX_CHARS} characters"))
                continue
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8").strip()
            except UnicodeDecodeError as exc:
                self.skipped.append((number, f"not UTF-8 (byte 0x{raw[exc.start]:02x}); convert the file"))
                continue
            if not line or line.startswith("#"):
                continue
            if not self.asked and not self.skipped and _QUESTION_SET.match(line):
                raise InputError(
                    f"{self.shown}: a question set (for `gpu-brief eval`), not questions one per line"
                )
            plain = strip_list_markers(line)
            if plain != line:
                self.changed.append(number)
            try:
                question = check_question(plain)
            except InputError as exc:
                self.skipped.append((number, str(exc)))
                continue
            self.asked += 1
            self.line = number
            yield question

    def notes(self) -> tuple[list[str], list[str]]:
        """(warnings, notes) to print once the batch is done."""
        warnings = [f"{self.shown} line {n}: skipped: {why}" for n, why in self.skipped[:20]]
        if len(self.skipped) > 20:
            warnings.append(f"{self.shown}: and {len(self.skipped) - 20} more lines skipped")
        notes = []
        if self.changed:
            shown = ", ".join(str(n) for n in self.changed[:20])
            more = f" and {len(self.changed) - 20} more" if len(self.changed) > 20 else ""
            notes.append(f"{self.shown}: took list markers or quotes off line(s) {shown}{more}")
        return warnings, notes


def _open(name: str) -> IO[bytes]:
    if name == "-":
        return sys.stdin.buffer
    try:
        return Path(name).open("rb")
    except FileNotFoundError:
        hint = ""
        if " " in name.strip() or name.rstrip().endswith("?"):  # a question, not a file name
            hint = " (a question? pipe it in and give `-`: echo 'QUESTION' | gpu-brief export -)"
        raise InputError(f"{name}: no such questions file{hint}") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a folder, not a questions file") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror}") from None
