"""What `ingest` prints: a row per file, totals, warnings, its progress bar, `--check`."""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from gpu_brief.render.markdown import md_cell
from gpu_brief.render.terminal import console, inert, inert_json, plural, warning_line, write

if TYPE_CHECKING:
    from gpu_brief.ingest import FileReport, IngestResult


def print_ingest(
    result: IngestResult,
    output: Path,
    fmt: str,
    *,
    all_candidates: bool = False,
    read_by_default: bool = True,
) -> None:
    """The ingest summary: a row per file, totals, warnings and candidate names; and, for a
    claims file the other commands do not read by default, how to ask it."""
    for warning in result.warnings:
        warning_line(f"skipped {warning}")
    if result.removed:
        # a re-ingest that drops sources says so: a wrong --pattern must not lose articles quietly
        warning_line(
            f"{plural(len(result.removed), 'source')} of the previous claims file no longer in it "
            f"(gone from the folder, or not matching --pattern): {_first(result.removed, 10)}"
        )
    if result.unmatched:
        from gpu_brief.folder import DEFAULT_PATTERN, pattern_options

        patterns = result.header.get("patterns") or [DEFAULT_PATTERN]
        matching = " or ".join(repr(p) for p in patterns)
        again = pattern_options(patterns, result.unmatched)
        warning_line(
            f"{plural(len(result.unmatched), 'text file')} not matching {matching} left out: "
            f"{_first(result.unmatched, 5)} "
            f"(to ingest {'it' if len(result.unmatched) == 1 else 'them'}: {again})"
        )
    n_sources, n_claims = len(result.units), result.n_claims
    if fmt == "json":
        write(
            inert_json(
                {
                    "claims_file": str(output),
                    "sources": n_sources,
                    "claims": n_claims,
                    "files": [
                        {
                            "file": f.file,
                            "claims": f.claims,
                            "headings": f.headings,
                            "skipped_lines": dict(sorted(f.skipped.items())),
                            "reused": f.reused,
                            "problem": f.problem,
                        }
                        for f in result.files
                    ],
                    "candidates": [{"name": n, "mentions": m, "files": k} for n, m, k in result.candidates],
                    "removed": result.removed,
                    "unmatched": result.unmatched,
                },
                indent=2,
            )
        )
        return
    if fmt == "markdown":
        lines = ["| file | claims | headings | skipped lines | status |", "|---|---:|---:|---|---|"]
        for f in result.files:
            lines.append(
                f"| {md_cell(f.file)} | {f.claims} | {f.headings} | {md_cell(_skipped(f.skipped))} "
                f"| {md_cell(_status(f))} |"
            )
        lines.append(f"\n{plural(n_claims, 'claim')} from {plural(n_sources, 'source')} -> `{output}`")
        write("\n".join(lines))
        return
    from rich.table import Table

    # At 80 columns every header stays whole: the number columns keep their header's width, the
    # folder shared by every file goes to the title, a long name wraps (JSON keeps names whole).
    folder = _shared_folder([f.file for f in result.files])
    title = f"Ingested into {inert(str(output))}" + (f", files in {inert(folder)}" if folder else "")
    table = Table(title=title, title_justify="left")
    names = [inert(f.file[len(folder) :] if folder else f.file) for f in result.files]
    skipped = [_skipped(f.skipped) for f in result.files]
    statuses = [inert(_short_status(f)) for f in result.files]
    widths = _ingest_widths(console().width, names, skipped, statuses)
    for header, width in zip(("file", "claims", "headings", "skipped lines", "status"), widths, strict=True):
        justify = "right" if header in ("claims", "headings") else "left"
        table.add_column(header, width=width, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for f, name, skip, status in zip(result.files, names, skipped, statuses, strict=True):
        table.add_row(name, str(f.claims), str(f.headings), skip, status)
    total_skipped = sum(sum(f.skipped.values()) for f in result.files)
    table.add_section()
    table.add_row(
        plural(n_sources, "source"),
        str(n_claims),
        str(sum(f.headings for f in result.files)),
        str(total_skipped),
        "",
    )
    out = console()
    out.print(table)
    kinds = Counter(e["type"] for e in result.catalog)
    if kinds:
        out.print(
            f"{len(result.catalog)} {'entity' if len(result.catalog) == 1 else 'entities'}: "
            + ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))
        )
    if result.candidates:
        limit = len(result.candidates) if all_candidates else 15
        shown = ", ".join(f"{inert(n)} ({m})" for n, m, _ in result.candidates[:limit])
        more = len(result.candidates) - limit
        out.print(
            f"Capitalised names no entity covers (add them with --gazetteer; --suggest-gazetteer FILE writes a stub): {shown}"
            + (f", and {more} more (--all-candidates lists them)" if more > 0 else "")
        )
    if not read_by_default:
        import os
        import shlex

        named = inert(shlex.quote(str(output)))
        # the variable is read from any folder: a relative path would name another file there
        absolute = inert(shlex.quote(os.path.abspath(output)))
        out.print(
            f"Ask it: gpu-brief ask QUESTION --claims {named} (or export GPU_BRIEF_CLAIMS={absolute}: "
            "every command then reads it, from any folder)",
            soft_wrap=True,
        )


def _first(names: list[str], n: int) -> str:
    """The first n names, inert, and how many more."""
    rest = f", and {len(names) - n} more" if len(names) > n else ""
    return ", ".join(inert(f) for f in names[:n]) + rest


def _skipped(counter: Counter[str]) -> str:
    total = sum(counter.values())
    if not total:
        return "0"
    return f"{total}: " + ", ".join(f"{reason} {n}" for reason, n in sorted(counter.items()))


def _ingest_widths(total: int, names: list[str], skipped: list[str], statuses: list[str]) -> list[int]:
    """Column widths of the ingest summary that fit `total` columns: the numbers keep their
    headers' widths, status and skipped lines get what they need up to a quarter each, the file
    name the rest (Rich alone lets a table grow past the terminal and cuts its last column)."""
    room = max(total - 16, 40) - 6 - 8  # 6 borders and 10 of padding; claims and headings
    longest = [max((len(x) for x in column), default=0) for column in (names, skipped, statuses)]
    status = min(max(longest[2], 9), max(9, room // 4))
    skip = min(max(longest[1], 7), max(7, room // 4))
    name = max(room - status - skip, 10)
    spare = name - max(longest[0], 4)
    if spare > 0:  # short names: give the rest back to the wrapped columns
        name -= spare
        extra = min(spare, max(longest[1] - skip, 0))
        skip, status = skip + extra, min(status + spare - extra, max(longest[2], 9))
    return [name, 6, 8, skip, status]


def _shared_folder(files: list[str]) -> str:
    """The folder ("a/b/") every file name starts with, when there is one."""
    import posixpath

    if len(files) < 2 or any("/" not in f for f in files):
        return ""
    common = posixpath.commonpath([posixpath.dirname(f) for f in files])
    return f"{common}/" if common else ""


def _short_status(f: FileReport) -> str:
    """The status cell: a skipped file's reason up to its first detail (the warning above the
    table has it whole)."""
    status = _status(f)
    return re.split(r" \(|; ", status, maxsplit=1)[0] if f.problem else status


def _status(f: FileReport) -> str:
    if f.problem:
        return "skipped: " + str(f.problem).split(": ", 1)[-1]
    return "unchanged" if f.reused else "analysed"


class _NoBar:
    def __enter__(self) -> tuple[None, None]:
        return None, None

    def __exit__(self, *exc: object) -> None:
        return None


class _Bar:
    """A Rich progress bar on stderr, sized once the number of files is known."""

    def __enter__(self) -> tuple[Callable[[int], None], Callable[[int], None]]:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("ingesting"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console(stderr=True),
            transient=False,
        )
        self.progress.start()
        self.task = self.progress.add_task("ingest", total=None)
        return self.on_start, self.advance

    def on_start(self, total: int) -> None:
        self.progress.update(self.task, total=total)

    def advance(self, n: int) -> None:
        self.progress.advance(self.task, n)

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


def progress_bar(enabled: bool | None) -> _NoBar | _Bar:
    """A progress bar when asked, or by default when stderr is a terminal."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    return _Bar() if enabled else _NoBar()


def print_check(path: Path | str, stale: list[str], command: str = "gpu-brief ingest") -> None:
    if not stale:
        console().print(f"{inert(str(path))} is up to date with its sources.")
        return
    sys.stdout.write(f"{inert(str(path))} is stale; run `{inert(command)}` to rebuild it:\n")
    for reason in stale:
        sys.stdout.write(f"  - {inert(reason, keep_newlines=False)}\n")
