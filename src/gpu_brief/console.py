"""The `gpu-brief` command (and `python -m gpu_brief`): settings of the process, then the CLI.

Kept apart from `cli.py` so that importing the CLI as a library (tests, scripts) leaves the
interpreter's settings alone.
"""

from __future__ import annotations

import gc


def main() -> None:
    # The collector's default pass every 700 new objects makes 50 to 60 passes while Typer, Rich
    # and the answering code load and run: 5 to 7 ms of a one-question process, for almost no
    # cyclic garbage. Rarer young-generation passes still bound it in long commands (ingest).
    gc.set_threshold(20_000, 20, 20)
    from gpu_brief.cli import main as cli_main

    cli_main()
