"""`gpu-brief chat` driven through stdin."""

from __future__ import annotations

from pathlib import Path

from conftest import CLAIMS
from gpu_brief.cli import app


def test_a_session_answers_runs_commands_and_exports(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "session.md"
    script = "\n".join(
        [
            ":help",
            "Pourquoi OpenAI a-t-il reporté GPT-4.5 ?",
            ":top 1",
            ":source 003_9bd70b1a36d343ca.txt",
            "How much does an H100 cost?",
            ":source nope.txt",
            ":top zero",
            ":bogus",
            "Quel est le cours du Bitcoin ?",
            f":export {out}",
            ":history",
            ":quit",
            "never asked",
        ]
    )
    result = runner.invoke(
        app, ["chat", "--claims", str(CLAIMS)], input=script + "\n", catch_exceptions=False
    )
    assert result.exit_code == 0
    out_text = result.stdout
    assert ":source FILE" in out_text
    assert "pénurie de GPU" in out_text and "30" in out_text
    assert "No grounded answer in the corpus" in out_text
    assert (
        "unknown command :bogus" in result.stderr
        and ":source nope.txt: no such source" in result.stderr  # the command typed, not --source
        and ":top needs" in result.stderr
    )
    assert "never asked" not in out_text
    exported = out.read_text(encoding="utf-8")
    assert exported.count("## ") == 3 and "gpu-brief-export" in exported
    verified = runner.invoke(app, ["verify", str(out)])
    assert verified.exit_code == 0, verified.output


def test_end_of_input_leaves_cleanly(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["chat", "--claims", str(CLAIMS)], input="GPU ?\n")
    assert result.exit_code == 0 and "Traceback" not in result.output


def test_export_appends(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "session.md"
    for question in ("Combien coûte un H100 ?", "Qui est Aidan Gomez ?"):
        runner.invoke(app, ["chat", "--claims", str(CLAIMS)], input=f"{question}\n:export {out}\n:quit\n")
    text = out.read_text(encoding="utf-8")
    assert "H100" in text and "Aidan Gomez" in text
    assert runner.invoke(app, ["verify", str(out)]).exit_code == 0


def test_exporting_twice_adds_only_what_the_file_does_not_hold(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "x.md"
    script = (
        f"Combien coûte un H100 ?\n:export {out}\nQui dirige OpenAI ?\n:export {out}\n:export {out}\n:quit\n"
    )
    result = runner.invoke(app, ["chat", "--claims", str(CLAIMS)], input=script, catch_exceptions=False)
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("\n## ") + text.startswith("## ") == 2
    assert f"appended 1 answer to {out}\n" in result.stdout
    assert f"appended 1 answer to {out} (1 already in it)" in result.stdout
    assert f"{out} already holds these 2 answers: nothing appended" in result.stdout
    assert runner.invoke(app, ["verify", str(out)]).exit_code == 0


def test_ctrl_c_drops_the_line_or_the_answer_and_the_session_goes_on(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Ctrl-C left a dead session (a newline, no prompt, the next question swallowed, exit 130):
    as in a shell, it drops what was typed or stops the answer, and the next prompt comes."""
    import builtins
    import sys

    from gpu_brief import chat

    typed = iter([KeyboardInterrupt, "première", "seconde", EOFError])

    def fake_input(prompt: str) -> str:
        item = next(typed)
        if isinstance(item, type) and issubclass(item, BaseException):
            raise item
        return str(item)

    monkeypatch.setattr(builtins, "input", fake_input)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    handled: list[str] = []

    class Session:
        def handle(self, line: str, view: object) -> bool:
            handled.append(line)
            if line == "première":
                raise KeyboardInterrupt  # Ctrl-C while the answer is worked out
            return True

    said: list[str] = []

    class View:
        def info(self, text: str) -> None:
            said.append(text)

    view = View()
    assert chat.run(Session(), view) == 0  # type: ignore[arg-type]
    assert handled == ["première", "seconde"]
    assert any("interrupted" in s for s in said)


def test_ctrl_d_at_the_prompt_ends_its_line(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """A thirteenth trial: leaving chat with Ctrl-D left the shell's prompt glued to "? "."""
    import builtins
    import sys

    from gpu_brief.chat import terminal_lines

    typed = iter(["Qui dirige OpenAI ?"])

    def fake_input(prompt: str) -> str:
        sys.stdout.write(prompt)
        try:
            return next(typed)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(builtins, "input", fake_input)
    assert list(terminal_lines("? ")) == ["Qui dirige OpenAI ?"]
    assert capsys.readouterr().out == "? ? \n"
