"""`gpu-brief chat`: one question after another against an index loaded once.

The session is plain logic (commands, answers, the Markdown export); `run` drives it from a line
source, which is `input()` with readline history on a terminal, or stdin lines when piped.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from gpu_brief.errors import ExitCode, GpuBriefError

if TYPE_CHECKING:
    from gpu_brief.qa import Answer, Engine

HELP = """\
Ask a question in French or English, or type a command:
  :help           this help
  :source FILE    only cite FILE (:source alone cites every source again)
  :top N          show N citations per answer
  :export FILE    append this session's answers to a Markdown file (verifiable)
  :history        the questions asked so far
  :quit           leave (Ctrl-D works too)"""


class View(Protocol):
    """What the session needs from a terminal (render.ChatView) or from a test."""

    def answer(self, answer: Answer) -> None: ...
    def info(self, message: str) -> None: ...
    def error(self, message: str) -> None: ...


@dataclass
class ChatSession:
    answerer: Engine
    claims_path: Path
    top: int = 3
    source: str | None = None
    answers: list[Answer] = field(default_factory=list)

    def handle(self, line: str, view: View) -> bool:
        """Act on one line; False when the session should end."""
        line = line.strip()
        if not line:
            return True
        if line.startswith(":"):
            return self._command(line, view)
        from gpu_brief import service
        from gpu_brief.questions import check_question

        try:
            question = check_question(line)
            answer = self.answerer.ask(question, top=self.top, source=self.source)
            service.verify_citations(self.answerer.index, [answer])
        except GpuBriefError as exc:
            view.error(str(exc))
            return True
        self.answers.append(answer)
        view.answer(answer)
        return True

    def _command(self, line: str, view: View) -> bool:
        name, _, arg = line.partition(" ")
        arg = arg.strip()
        if name in (":quit", ":q", ":exit"):
            return False
        if name in (":help", ":h", ":?"):
            view.info(HELP)
        elif name == ":top":
            if not arg.isdigit() or not 1 <= int(arg) <= 50:
                view.error(":top needs a number from 1 to 50")
            else:
                from gpu_brief.render import plural

                self.top = int(arg)
                view.info(f"showing {plural(self.top, 'citation')} per answer")
        elif name == ":source":
            self._set_source(arg or None, view)
        elif name == ":export":
            self._export(arg, view)
        elif name == ":history":
            view.info(
                "\n".join(f"{n}. {a.question}" for n, a in enumerate(self.answers, 1)) or "no questions yet"
            )
        else:
            view.error(f"unknown command {name} (type :help)")
        return True

    def _set_source(self, source: str | None, view: View) -> None:
        from gpu_brief import service

        try:
            service.check_source(self.answerer, source, option=":source")
        except GpuBriefError as exc:
            view.error(str(exc))
            return
        self.source = source
        view.info(f"citing only {source}" if source else "citing every source")

    def _export(self, target: str, view: View) -> None:
        if not target:
            view.error(":export needs a file name")
            return
        if not self.answers:
            view.error("nothing to export yet: ask a question first")
            return
        from gpu_brief import service
        from gpu_brief.render import plural

        try:
            added, held = service.append_answers(
                Path(target), self.answerer.index, self.claims_path, self.answers
            )
        except GpuBriefError as exc:
            view.error(str(exc))
            return
        if not added:
            view.info(
                f"{target} already holds {'this answer' if held == 1 else f'these {held} answers'}: nothing appended"
            )
            return
        already = f" ({held} already in it)" if held else ""
        view.info(f"appended {plural(added, 'answer')} to {target}{already}")


def terminal_lines(prompt: str) -> Iterator[str]:
    """Lines typed at a prompt, with readline editing and history when there is a terminal."""
    if sys.stdin.isatty():
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401 - enables history and line editing for input()
        while True:
            try:
                yield input(prompt)
            except EOFError:  # Ctrl-D: end the prompt's line, so the shell's does not follow "? "
                print()
                return
            except UnicodeDecodeError as exc:  # a line that is not UTF-8: refused, not the session
                yield bytes(exc.object).decode("utf-8", "surrogateescape")
            except KeyboardInterrupt:  # as in a shell: the line typed so far is dropped, a new prompt
                print(file=sys.stderr)
    else:  # bytes, decoded here: a line that is not UTF-8 is refused alone, the session goes on
        for raw in sys.stdin.buffer:
            yield raw.decode("utf-8", "surrogateescape").rstrip("\r\n")


def run(session: ChatSession, view: Any, lines: Callable[[str], Iterator[str]] = terminal_lines) -> int:
    """The prompt loop; returns the exit code (0 on :quit or Ctrl-D). Ctrl-C drops the line
    being typed or stops the answer being worked out, and the session goes on, as a shell's does."""
    view.info("gpu-brief chat: ask a question, :help for commands, Ctrl-D to leave.")
    try:
        for line in lines("? "):
            try:
                if not session.handle(line, view):
                    break
            except KeyboardInterrupt:
                view.info("interrupted (Ctrl-D or :quit leaves)")
    except EOFError:
        pass
    return int(ExitCode.OK)
