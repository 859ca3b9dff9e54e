"""Terminal basics: every piece of corpus text is made inert before it is shown, one shared
Rich console, plain writes, one-line errors and warnings.

Corpus text and questions are data: before anything reaches a terminal, control characters,
escape sequences and bidi overrides are made visible (`\\x1b`), and Rich markup in them is
escaped, so an article cannot clear the screen, forge a hyperlink or restyle the output.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text


# C0/C1 controls (but tab and newline), DEL, bidi embeddings/overrides/isolates and marks.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def plural(n: int, word: str) -> str:
    """ "1 citation", "2 citations": counts read as English, not as a template."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def inert(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every terminal control made visible; safe to print. Newlines too, unless
    asked: a file name holding one would otherwise start a line of its own and could forge a
    citation or a quote under it."""
    out = _UNSAFE.sub(_visible, text)
    if not keep_newlines:
        out = out.replace("\n", "\\n").replace("\t", " ")
    return out


def flow(text: str) -> str:
    """Corpus text as one line: the line breaks of a hard-wrapped paragraph (a claim may cross
    them) shown as spaces, one for one, so offsets into the text still hold."""
    return text.replace("\r", " ").replace("\n", " ")


def inert_json(value: Any, *, indent: int | None = None) -> str:
    """JSON that is valid and also inert on a terminal: controls and bidi marks stay escaped.
    When stdout cannot take UTF-8 (`PYTHONIOENCODING=ascii`), every non-ASCII character is a
    JSON escape, so the output stays valid JSON."""
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
    text = json.dumps(value, ensure_ascii=not encoding.startswith("utf"), indent=indent)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_console_cache: dict[bool, Console] = {}


def console(stderr: bool = False) -> Console:
    """The shared Rich console (stdout or stderr); markup off by default, highlighting off."""
    cached = _console_cache.get(stderr)
    if cached is not None and cached.file is (sys.stderr if stderr else sys.stdout):
        return cached
    from rich.console import Console

    made = Console(stderr=stderr, highlight=False, markup=False, emoji=False)
    made.soft_wrap = not made.is_terminal  # piped output: one line per paragraph, no padding
    _console_cache[stderr] = made
    return made


def write(text: str) -> None:
    """Plain output (JSON, Markdown, YAML): exactly these characters, no wrapping or styling."""
    sys.stdout.write(text)
    if not text.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.flush()


def error_line(message: str) -> None:
    sys.stderr.write(f"gpu-brief: error: {inert(message, keep_newlines=False)}\n")
    sys.stderr.flush()


def warning_line(message: str) -> None:
    sys.stderr.write(f"gpu-brief: warning: {inert(message, keep_newlines=False)}\n")
    sys.stderr.flush()


def note_line(message: str) -> None:
    """What the command did on its own, worth knowing but no problem ("took list markers off")."""
    sys.stderr.write(f"gpu-brief: note: {inert(message, keep_newlines=False)}\n")
    sys.stderr.flush()


def styled(text: str, base: int, spans: list[tuple[int, int, str]]) -> Text:
    """Rich Text of `text` (which starts at source offset `base`) with styled spans, made inert."""
    from rich.text import Text

    marks: dict[int, list[str]] = {}
    cuts = {0, len(text)}
    for a, b, style in spans:
        a, b = max(0, a - base), min(len(text), b - base)
        if a < b:
            cuts.update((a, b))
            for i in range(a, b):
                marks.setdefault(i, []).append(style)
    out = Text()
    points = sorted(cuts)
    for a, b in itertools.pairwise(points):
        styles = marks.get(a, [])
        out.append(inert(flow(text[a:b])), style=" ".join(dict.fromkeys(styles)) or None)
    return out


def indented(out: Console, text: Text, left: int = 4) -> RenderableType:
    """Indented text: wrapped under its indent on a terminal, one whole line when piped (so a
    redirected quote is never cut at 80 columns)."""
    from rich.padding import Padding
    from rich.text import Text

    if out.is_terminal:
        return Padding(text, (0, 0, 0, left), expand=False)
    return Text(" " * left) + text
