"""A folder of articles: which files are articles (`--pattern`), and reading one safely.

Only regular files inside the folder are read (a symlink that leaves it, a FIFO or a device is
skipped with a reason), never more than `--max-size` of one; a file that is not UTF-8 text is a
one-line problem that says how to convert it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from gpu_brief.errors import InputError

DEFAULT_MAX_BYTES = 2_000_000
DEFAULT_PATTERN = "*.txt"
# plain-text articles a pattern can leave out: `ingest` names them, so "*.txt" alone does not
# drop a folder's Markdown articles without a word
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})


class SourceProblem(Exception):
    """One file cannot be ingested; the message names the file and says why."""


def matches(name: str, pattern: str) -> bool:
    """Does the file at `name` (relative to the folder, with "/") match a --pattern? A pattern
    without "/" reads the file's own name at any depth ("*.md"); one with "/" reads the whole
    relative path, "**/" standing for any folders or none ("**/*.md", "lavande/*.txt"), as a
    shell's globstar would."""
    if "/" not in pattern:
        return Path(Path(name).name).match(pattern)
    import re

    out, i = [], 0
    pattern = pattern.lstrip("/")
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] in "*?":
            out.append("[^/]*" if pattern[i] == "*" else "[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            inside = pattern[i + 1 : end]
            out.append(
                "[" + ("^" + inside[1:] if inside.startswith("!") else inside).replace("\\", "\\\\") + "]"
            )
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.fullmatch("".join(out), name, re.DOTALL) is not None


def discover(
    folder: Path, patterns: Sequence[str] = (DEFAULT_PATTERN,), *, follow_links: bool = False
) -> tuple[list[tuple[str, Path]], list[tuple[str, str]], list[str]]:
    """(name relative to folder, path) of every matching file, sorted; (name, why) of each
    entry left out: symlinks that leave the folder (unless `follow_links`: `ln -s /etc/passwd
    p.txt` must not copy the password file into a claims file), and anything that is not a
    regular file (a FIFO would hang the read, /dev/zero would fill memory). Symlink loops and a
    folder reached twice are skipped silently; and the plain-text files (`TEXT_SUFFIXES`) that
    no pattern matched."""
    if not folder.exists():
        raise InputError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder (give the folder that holds the articles)")
    top = folder.resolve()
    found: list[tuple[str, Path]] = []
    skipped: list[tuple[str, str]] = []
    unmatched: list[str] = []
    seen_dirs: set[tuple[int, int]] = set()

    def outside(path: Path) -> bool:
        return not follow_links and path.is_symlink() and not path.resolve().is_relative_to(top)

    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True, onerror=None):
        try:
            st = os.stat(dirpath)
        except OSError:
            dirnames[:] = []
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:  # a symlink loop, or the same folder reached twice
            dirnames[:] = []
            continue
        seen_dirs.add(key)
        kept = []
        for d in sorted(d for d in dirnames if not d.startswith(".")):
            if outside(Path(dirpath) / d):
                name = (Path(dirpath) / d).relative_to(folder).as_posix()
                skipped.append((name + "/", _LEAVES))
            else:
                kept.append(d)
        dirnames[:] = kept
        for name in filenames:
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(folder).as_posix()
            if not any(matches(rel, p) for p in patterns):
                if Path(name).suffix.lower() in TEXT_SUFFIXES:
                    unmatched.append(rel)
                continue
            if outside(path):
                skipped.append((rel, _LEAVES))
                continue
            try:
                mode = os.stat(path).st_mode
            except OSError as exc:
                skipped.append((rel, f"cannot read: {exc.strerror}"))
                continue
            if not stat.S_ISREG(mode):
                skipped.append((rel, "not a regular file (a device, FIFO or socket)"))
                continue
            found.append((rel, path))
    found.sort(key=lambda item: item[0])
    skipped.sort()
    return found, skipped, sorted(unmatched)


_LEAVES = "a symlink that leaves the folder (--follow-links to read it)"


def _megabytes(size: int) -> str:
    """A size in MB that never reads 0.0 for a file that is not empty (a tiny --max-size)."""
    mb = size / 1e6
    return f"{mb:.1f}" if mb >= 0.1 else f"{mb:.2g}"


def read_source(path: Path, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, str]:
    """Bytes and text of one article; raises SourceProblem with a one-line reason. Only a regular
    file is read, and never more than `max_bytes` of it, whatever its size said before."""
    from gpu_brief.store import read_regular

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceProblem(f"{name}: cannot read: {exc.strerror}") from None
    if size > max_bytes:
        raise SourceProblem(
            f"{name}: {_megabytes(size)} MB is larger than the {max_bytes / 1e6:g} MB limit "
            "(not an article? raise it with --max-size)"
        )
    try:
        data = read_regular(path, max_bytes)
    except OSError as exc:
        raise SourceProblem(f"{name}: cannot read: {exc.strerror}") from None
    if not data.strip():
        raise SourceProblem(f"{name}: empty file")
    if b"\x00" in data:
        if encoding := _utf16(data):  # Windows' "Unicode" text: NUL bytes, yet text
            raise SourceProblem(f"{name}: not UTF-8 (looks like UTF-16); {_convert(encoding, name)}")
        raise SourceProblem(f"{name}: binary file (contains NUL bytes), not a text article")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceProblem(f"{name}: {_not_utf8(data, exc, name)}") from None
    return data, text


def pattern_options(patterns: Sequence[str], unmatched: Sequence[str]) -> str:
    """The --pattern options that ingest these patterns and the text files they left out
    (`TEXT_SUFFIXES`, so each has a suffix): "--pattern '*.txt' --pattern '*.md'"."""
    suffixes = sorted({"*" + Path(f).suffix.lower() for f in unmatched})
    return " ".join(f"--pattern '{p}'" for p in [*patterns, *suffixes])


def encoding_problem(data: bytes, exc: UnicodeDecodeError, name: str) -> str:
    """Why a file that is no article (a question set, a lexicon) cannot be read as UTF-8, with its
    likely encoding and the command that converts it."""
    import shlex

    why, source_encoding = _undecodable(data, exc)
    if source_encoding is None:
        return why
    path = Path(name)
    fixed = str(path.with_suffix(".utf8" + path.suffix)) if path.suffix else f"{name}.utf8"
    command = f"iconv -f {source_encoding} -t UTF-8 {shlex.quote(name)} > {shlex.quote(fixed)}"
    return f"{why}; convert it first, e.g. `{command}`"


def _undecodable(data: bytes, exc: UnicodeDecodeError) -> tuple[str, str | None]:
    """ "not UTF-8 (the byte, where; what it looks like)", and iconv's name for its encoding."""
    looks, source_encoding = _likely_encoding(data)
    return (
        f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}; looks like {looks})",
        source_encoding,
    )


def _likely_encoding(data: bytes) -> tuple[str, str | None]:
    """What text that is not UTF-8 looks like, and iconv's name for it (None: unknown). A UTF-16
    one here has its byte-order mark: a NUL-free one (no Latin text)."""
    encoding = _utf16(data)
    if encoding is not None:
        return "UTF-16", encoding
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "an unknown encoding", None
    return "Windows-1252 (Latin-1)", "CP1252"


def _not_utf8(data: bytes, exc: UnicodeDecodeError, name: str) -> str:
    """Why a file is refused, with the command that converts it (run in the folder ingested)."""
    why, source_encoding = _undecodable(data, exc)
    return f"{why}; " + _convert(source_encoding or "...", name)


def _convert(source_encoding: str, name: str) -> str:
    import shlex

    return (
        f"convert it first, e.g. from the folder ingested `iconv -f {source_encoding} -t UTF-8 {shlex.quote(name)}"
        f" > {shlex.quote(name + '.utf8')} && mv {shlex.quote(name + '.utf8')} {shlex.quote(name)}`"
    )


def _utf16(data: bytes) -> str | None:
    """The UTF-16 that `iconv` reads the data as: its byte-order mark says which, or (without one)
    a NUL in every other byte of Latin text; None when it is no UTF-16 text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "UTF-16"
    elif data[1::2].count(0) > 0.9 * (len(data) // 2):
        encoding = "UTF-16LE"
    elif data[0::2].count(0) > 0.9 * (len(data) // 2):
        encoding = "UTF-16BE"
    else:
        return None
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return encoding
