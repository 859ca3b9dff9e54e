"""The documented exit codes, one case each, and unexpected errors reported on one line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import CLAIMS
from gpu_brief.cli import app


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["ask", "How much does an H100 cost?"], 0),
        (["ask", "Quel est le cours du Bitcoin ?"], 1),
        (["claims", "--grep", "zzzz"], 1),
        (["claims", "--entity", "nobody at all"], 2),
        (["claims", "--grep", "("], 2),
        (["ask"], 2),
        (["show", "nope-1"], 2),
    ],
)
def test_exit_codes(runner, args: list[str], code: int) -> None:  # type: ignore[no-untyped-def]
    assert runner.invoke(app, [*args, "--claims", str(CLAIMS)]).exit_code == code


def test_usage_errors_from_the_console_script_are_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gpu_brief", "ask", "--top", "zero", "x"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and result.stderr.startswith("gpu-brief: error:")


def test_an_unexpected_exception_is_one_line_with_exit_70(tmp_path) -> None:  # type: ignore[no-untyped-def]
    script = (
        "import gpu_brief.service as s\n"
        "def boom(*a, **k): raise RuntimeError('boom')\n"
        "s.answerer_for = boom\n"
        "import sys; sys.argv = ['gpu-brief', 'ask', 'x']\n"
        "from gpu_brief.cli import main; main()\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 70
    assert "internal error: RuntimeError: boom" in result.stderr and "Traceback" not in result.stderr
