"""claims.yaml <-> models: a deterministic writer, a safe validating reader, atomic file writes.

The writer emits YAML itself (every string double-quoted and escaped) because it must be
byte-identical across runs and fast on 300,000 claims; the reader is PyYAML's safe loader
followed by Pydantic validation, so a hand-edited file is checked field by field.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpu_brief import hashing
from gpu_brief.errors import ClaimsFileError, GpuBriefError, InputError

if TYPE_CHECKING:
    from gpu_brief.models import ClaimsFile
    from gpu_brief.units import Unit

ENV_CLAIMS = "GPU_BRIEF_CLAIMS"
DEFAULT_CLAIMS = Path("data") / "claims.yaml"
GAZETTEER_MAX_BYTES = 50_000_000  # a gazetteer is a list of names: anything larger is not one
HEADER = (
    "# gpu-brief claims file, written by `gpu-brief ingest`: one entry per sentence of the sources.\n"
    "# Offsets are str indices into each source decoded as UTF-8 (end exclusive): text == source[start:end].\n"
)


# --- locating files --------------------------------------------------------------------------


def bundled_claims_path() -> Path:
    """The claims file shipped with the package (or the repository's, in a source checkout)."""
    package = Path(__file__).resolve().parent
    shipped = package / "corpus" / "data" / "claims.yaml"
    if shipped.is_file():
        return shipped
    return package.parent.parent / "data" / "claims.yaml"


def resolve_claims_path(option: Path | None) -> Path:
    """`--claims`, else $GPU_BRIEF_CLAIMS, else ./data/claims.yaml when present, else the bundled one."""
    given = (
        option if option is not None else Path(os.environ[ENV_CLAIMS]) if os.environ.get(ENV_CLAIMS) else None
    )
    if given is not None:
        if given.is_dir():
            raise ClaimsFileError(f"{given}: is a folder; pass the claims file")
        from_env = os.environ.get(ENV_CLAIMS) == str(given)  # typer passes it as the option
        if from_env and not given.is_absolute() and not given.exists():
            # a relative $GPU_BRIEF_CLAIMS is read from wherever the command runs
            raise ClaimsFileError(
                f"{given}: claims file not found: ${ENV_CLAIMS} is a relative path, read from the"
                f" current folder ({Path.cwd()}); export it as an absolute path"
            )
        if not given.exists():
            # "run ingest first, or pass --claims" read as a riddle when --claims was passed
            where = f"${ENV_CLAIMS}" if from_env else "--claims"
            raise ClaimsFileError(
                f"{given} (from {where}): no such claims file; `gpu-brief ingest FOLDER -o FILE` makes one"
            )
        return given
    if DEFAULT_CLAIMS.is_file():
        return DEFAULT_CLAIMS
    return bundled_claims_path()


def is_claims_file(path: Path) -> bool:
    """A cheap look at the first lines of a regular file (a FIFO or a device would hang the
    read): does it say it is a gpu-brief claims file?"""
    if not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return b"\ngpu_brief: " in b"\n" + head


def claims_files_here(limit: int = 50) -> list[Path]:
    """Claims files in the current folder: when none was chosen, a user who has one here most
    likely meant it."""
    return [path for path in sorted(Path(".").glob("*.y*ml"))[:limit] if is_claims_file(path)]


def sources_root(claims_path: Path, root: str) -> Path:
    """Where a claims file's sources live: `root` is relative to the claims file's folder."""
    return (claims_path.resolve().parent / root).resolve()


def unsafe_source_name(name: str) -> str | None:
    """Why `name` cannot be a source's `file` (None when it can): a claims file names its sources
    by plain relative paths under its `root`, as ingest writes them. An absolute path or a `..`
    in a claims file received from someone else would read files anywhere on the machine."""
    if not name:
        return "an empty file name"
    if "\x00" in name:
        return "a NUL byte in a file name"
    if name.startswith("/") or Path(name).is_absolute():
        return f"an absolute path ({name!r}); sources are named relative to the claims file's root"
    parts = name.split("/")
    if ".." in parts:
        return f"a path leaving the sources folder ({name!r})"
    if "" in parts or "." in parts:
        return f"not a plain relative name ({name!r})"
    return None


def source_path(root: Path, name: str) -> Path:
    """The path of a source named in a claims file or an index, refusing names that leave `root`."""
    problem = unsafe_source_name(name)
    if problem is not None:
        raise ClaimsFileError(f"source {name!r}: refused: {problem}")
    return root / name


def relative_root(claims_path: Path, folder: Path) -> str:
    """How a claims file records its sources folder: relative when possible, so a clone works."""
    base = claims_path.resolve().parent
    try:
        rel = os.path.relpath(folder.resolve(), base)
    except ValueError:  # another drive on Windows
        return folder.resolve().as_posix()
    return Path(rel).as_posix()


# --- reading ---------------------------------------------------------------------------------


def sha256_bytes(data: bytes) -> str:
    return hashing.sha256(data).hexdigest()


CLAIMS_FORMAT = 1  # the `gpu_brief:` version this gpu-brief reads and writes


def check_format(path: Path, version: object) -> None:
    """A newer claims format is named as such, not as a field that "should be 1"."""
    from gpu_brief.errors import NewerFormatError

    if isinstance(version, int) and not isinstance(version, bool) and version > CLAIMS_FORMAT:
        raise NewerFormatError(
            f"{path}: written by a newer gpu-brief (claims format {version}; this one reads format "
            f"{CLAIMS_FORMAT}): upgrade gpu-brief to read it"
        )


def read_claims(path: Path) -> ClaimsFile:
    """Load and validate a claims file; every failure is one line naming the file and the place."""
    from pydantic import ValidationError

    from gpu_brief.models import ClaimsFile

    try:
        raw = read_regular(path)
    except FileNotFoundError:
        raise ClaimsFileError(
            f"{path}: claims file not found (run `gpu-brief ingest` first, or pass --claims)"
        ) from None
    except IsADirectoryError:
        raise ClaimsFileError(f"{path}: is a folder; pass the claims file") from None
    except OSError as exc:
        hint = "; pass the claims file itself" if exc.errno == errno.EINVAL else ""
        raise ClaimsFileError(f"{path}: cannot read claims file: {exc.strerror}{hint}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ClaimsFileError(f"{path}: not a UTF-8 claims file (byte {exc.start})") from None
    data = load_yaml(text, path, ClaimsFileError, "claims files hold plain data only")
    if not isinstance(data, dict):
        raise ClaimsFileError(f"{path}: not a gpu-brief claims file (expected a mapping at the top)")
    if "gpu_brief" not in data:
        raise ClaimsFileError(f"{path}: not a gpu-brief claims file (no `gpu_brief:` version key)")
    check_format(path, data["gpu_brief"])
    try:
        return ClaimsFile.model_validate(data)
    except ValidationError as exc:
        raise ClaimsFileError(f"{path}: {_validation_problem(exc, data)}") from None


def load_yaml(text: str, path: Path, error: type[GpuBriefError], why: str) -> Any:
    """Plain data from YAML we did not write ourselves: the safe loader (C when available), no
    tags, and no anchors or aliases, with which a 140 KB file repeats a 100 KB string ten
    thousand times (gigabytes once validated and indexed). Nesting is bounded by libyaml (1,000
    levels) and by Python's recursion limit, both reported as one line."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        if ("&" in text or "*" in text) and _has_anchors(text, loader):
            raise error(
                f"{path}: refused: YAML anchors and aliases (&name, *name) are not allowed ({why}; "
                "an alias can expand a small file into gigabytes)"
            )
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader, C or pure Python
    except yaml.constructor.ConstructorError as exc:
        raise error(
            f"{path}: refused: YAML tag {yaml_problem(exc).split('tag ', 1)[-1]} is not allowed ({why})"
        ) from None
    except yaml.YAMLError as exc:
        raise error(f"{path}: invalid YAML: {yaml_problem(exc)}") from None
    except RecursionError:
        raise error(f"{path}: refused: nested too deeply ({why})") from None


def _has_anchors(text: str, loader: Any) -> bool:
    """Whether the YAML defines an anchor or uses an alias (its events say; `&` in a quoted
    string does not count)."""
    import yaml

    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            return True
    return False


def yaml_problem(exc: Exception) -> str:
    """A YAML error in one line, with where it is: "while scanning a quoted scalar (line 6,
    column 17): found unexpected end of stream" (where the broken piece starts, not the end)."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is not None:
        problem = f"{problem} (line {mark.line + 1}, column {mark.column + 1})"
    context, at = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and at is not None and (mark is None or at.line != mark.line):
        problem = f"{context} (line {at.line + 1}, column {at.column + 1}): {problem}"
    return str(problem)


def _validation_problem(exc: Any, data: dict[str, Any]) -> str:
    error = exc.errors()[0]
    loc = list(error["loc"])
    where = ".".join(str(p) for p in loc)
    if len(loc) >= 2 and loc[0] == "claims" and isinstance(loc[1], int):
        claims = data.get("claims") or []
        claim = claims[loc[1]] if loc[1] < len(claims) else None
        claim_id = claim.get("id") if isinstance(claim, dict) else None
        field = ".".join(str(p) for p in loc[2:]) or "claim"
        where = f"claim {claim_id}" if claim_id else f"claims[{loc[1]}]"
        where += f" ({field})" if loc[2:] else ""
    more = f" (and {len(exc.errors()) - 1} more problems)" if len(exc.errors()) > 1 else ""
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = "unknown field"
    elif error["type"] == "value_error":
        message = message.removeprefix("Value error, ")  # our own check's words, as written
    return f"{where}: {message}{more}" if where else f"{message}{more}"


# --- writing ---------------------------------------------------------------------------------

_PLAIN_KEY = re.compile(r"^[a-z_][a-z0-9_]*$")
_NONPRINTABLE = (
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff\x85]"
)


@functools.cache
def _nonprintable() -> re.Pattern[str]:
    """Compiled on first write: its ranges cost 1.5 ms to compile, and `ask` never writes."""
    return re.compile(_NONPRINTABLE)


_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\t": "\\t",
    "\n": "\\n",
    "\r": "\\r",
    "\x00": "\\0",
    "\u2028": "\\L",
    "\u2029": "\\P",
    "\x85": "\\N",
}


def _escape_char(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02X}"
    if code <= 0xFFFF:
        return f"\\u{code:04X}"
    return f"\\U{code:08X}"


_SPECIAL = re.compile('[\\\\"\t\n\r]')


def quote(value: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly `value`, whatever it contains."""
    escaped = _SPECIAL.sub(_escape_char, value)
    escaped = _nonprintable().sub(_escape_char, escaped)
    return f'"{escaped}"'


def scalar(value: Any) -> str:
    """One YAML scalar: strings quoted, numbers in a fixed format, None as null."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return quote(str(value))


def flow(mapping: dict[str, Any]) -> str:
    """A one-line YAML mapping: `{a: 1, b: "x"}` (None values are left out)."""
    parts = []
    for key, value in mapping.items():
        if value is None or value == [] or value is False:
            continue
        if isinstance(value, list):
            rendered = "[" + ", ".join(scalar(v) for v in value) + "]"
        else:
            rendered = scalar(value)
        parts.append(f"{key}: {rendered}")
    return "{" + ", ".join(parts) + "}"


def flow_list(name: str, items: Sequence[dict[str, Any]], indent: str = "") -> Iterator[str]:
    """A YAML list of one-line mappings under `name` (`name: []` when empty)."""
    yield f"{indent}{name}:" + ("\n" if items else " []\n")
    for item in items:
        yield f"{indent}- " + flow(item) + "\n"


def claims_file_lines(
    header: dict[str, Any], units: Sequence[Unit], catalog: list[dict[str, Any]]
) -> Iterator[str]:
    """The claims file, piece by piece, from ingest's units (their YAML is written already)."""
    sources = [unit.yaml_source for unit in units]
    return _file_lines(header, sources, catalog, [unit.yaml_claims for unit in units if unit.records])


def dump_claims(claims_file: ClaimsFile) -> str:
    """A validated claims file as YAML text; the same input always gives the same bytes."""
    from gpu_brief.units import claims_yaml, source_yaml

    header = {
        "pipeline": claims_file.pipeline,
        "root": claims_file.root,
        "gazetteers": claims_file.gazetteers,
        "domains": claims_file.domains,
        "lexicon": claims_file.lexicon.model_dump() if claims_file.lexicon else None,
    }
    sources = ["".join(source_yaml(s.model_dump())) for s in claims_file.sources]
    claims = [c.model_dump() for c in claims_file.claims]
    catalog = [e.model_dump() for e in claims_file.entities]
    return "".join(_file_lines(header, sources, catalog, ["".join(claims_yaml(claims))] if claims else []))


def _file_lines(
    header: dict[str, Any], sources: list[str], catalog: list[dict[str, Any]], claims: list[str]
) -> Iterator[str]:
    """The canonical layout: header, sources, entities, claims (each list `[]` when empty)."""
    yield HEADER
    yield f"gpu_brief: 1\npipeline: {quote(header['pipeline'])}\nroot: {quote(header['root'])}\n"
    yield "gazetteers: [" + ", ".join(quote(g) for g in header["gazetteers"]) + "]\n"
    yield "domains: [" + ", ".join(quote(d) for d in header.get("domains", [])) + "]\n"
    if header.get("patterns"):  # absent with the default: a file older versions still read
        yield "patterns: [" + ", ".join(quote(p) for p in header["patterns"]) + "]\n"
    if header.get("lexicon"):
        import json

        # one line of JSON (valid YAML): the header stays one line per key
        yield "lexicon: " + json.dumps(header["lexicon"], ensure_ascii=False, sort_keys=True) + "\n"
    yield "sources:\n" if sources else "sources: []\n"
    yield from sources
    yield from flow_list("entities", catalog)
    yield "claims:\n" if claims else "claims: []\n"
    yield from claims


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file, read with a bound; OSError for anything else.

    `/dev/zero`, a FIFO or a socket (or a symlink to one) is refused before a byte is read: the
    file is opened non-blocking (a FIFO with no writer would hang) and checked with fstat, so a
    swap between a check and the open changes nothing. Reading stops one byte past `limit`, so a
    file that grows while it is read cannot exhaust memory either."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, f"not a regular file ({_file_kind(st.st_mode)})")
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read() if limit is None else handle.read(limit + 1)
    finally:
        os.close(fd)
    if limit is not None and len(data) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit / 1e6:g} MB")
    return data


def read_text(path: Path, limit: int, *, doing: str = "cannot read", missing: str | None = None) -> str:
    """A user's UTF-8 file (a document, a gazetteer), bounded: one InputError line saying why it
    cannot be read (`missing`, when the caller has words for a file that is not there). A folder
    is refused by `read_regular` as no regular file."""
    try:
        return read_regular(path, limit).decode("utf-8")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: {missing}" if missing else f"{path}: {doing}: {exc.strerror}") from None
    except OSError as exc:
        raise InputError(f"{path}: {doing}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        from gpu_brief.folder import encoding_problem

        raise InputError(f"{path}: {doing}: {encoding_problem(exc.object, exc, str(path))}") from None


def _file_kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO or pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "not a file"


def check_output_path(path: Path) -> None:
    """An output may replace a regular file (or a symlink to one), never a device, FIFO or socket:
    `-o /dev/null --force` as root would otherwise replace /dev/null for the whole machine."""
    try:
        st = os.stat(path)
    except OSError:
        return  # absent, or a dangling symlink: the rename replaces the link itself
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path}: is a folder")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(
            f"{path}: is {_file_kind(st.st_mode)}, not a regular file; refusing to replace it "
            "(--force only replaces regular files)"
        )


@contextlib.contextmanager
def exclusive(path: Path, *, wait: bool = False, what: str = "`gpu-brief ingest`") -> Iterator[None]:
    """Hold `<path>.lock` for the duration: two writers cannot write one file at once.

    The lock file is opened with O_NOFOLLOW: a symlink planted under its name makes the command
    fail instead of creating or truncating the file it points to. `wait` blocks until the other
    writer is done (chat exports); otherwise a second writer fails at once (ingest)."""
    import fcntl

    lock = path.with_name(f".{path.name}.lock")
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    created = []  # the folders made for the lock, deepest first: removed again if left empty
    folder = lock.parent
    while not folder.exists() and folder != folder.parent:
        created.append(folder)
        folder = folder.parent
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, flags, 0o600)
    except OSError as exc:
        reason = "it is a symlink (remove it)" if exc.errno == errno.ELOOP else exc.strerror
        raise InputError(f"{lock}: cannot create lock file: {reason}") from None
    acquired = False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(f"{lock}: lock file is not a regular file (remove it)")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(f"{path}: another {what} is writing it; wait for it to finish") from None
        acquired = True
        yield
    finally:
        if acquired and not wait:
            with contextlib.suppress(OSError):
                lock.unlink()  # nobody waits on it: a second ingest fails at once instead
        os.close(fd)
        for made in created:  # a failed ingest leaves no empty ./data behind
            with contextlib.suppress(OSError):
                made.rmdir()


def atomic_write(path: Path, data: str | bytes | Iterable[str] | Iterable[bytes]) -> None:
    """Write via a temporary file in the same folder and rename: readers see old or new, never half.

    `data` may be an iterable of strings, written as they come (a 150 MB claims file is never
    held in memory twice)."""
    path = Path(path)
    check_output_path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{folder}: cannot create folder: {exc.strerror}") from None
    import tempfile

    pieces: Iterable[bytes]
    if isinstance(data, bytes):
        pieces = [data]
    elif isinstance(data, str):
        pieces = [data.encode("utf-8")]
    else:
        pieces = (piece.encode("utf-8") if isinstance(piece, str) else piece for piece in data)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as handle:
            for piece in pieces:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            if path.exists():
                os.chmod(tmp, path.stat().st_mode & 0o777)
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise InputError(f"{path}: cannot write: {exc.strerror}") from None
        raise


def read_gazetteer(path: Path) -> list[Any]:
    """Load a gazetteer file (the bundled one or a user's) into validated entries."""
    from pydantic import ValidationError

    from gpu_brief.models import Gazetteer

    text = read_text(path, GAZETTEER_MAX_BYTES, doing="cannot read gazetteer", missing="gazetteer not found")
    data = load_yaml(text, path, InputError, "gazetteers hold plain data only")
    if not isinstance(data, dict):
        shown = "empty" if data is None else f"a {type(data).__name__}"
        raise InputError(
            f"{path}: not a gazetteer: the file is {shown} (expected `version: 1` and `entities:`)"
        )
    try:
        return list(Gazetteer.model_validate(data).entities)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        raise InputError(f"{path}: {where}: {error['msg']}") from None


DOMAINS = Path(__file__).resolve().parent / "resources" / "domains"


def bundled_domains() -> list[str]:
    """Names of the domain packs shipped with gpu-brief (`ai-news`)."""
    return sorted(p.name for p in DOMAINS.iterdir() if (p / "gazetteer.yaml").is_file())


def domain_gazetteer_path(domain: str) -> Path:
    """The gazetteer of a bundled domain pack; an unknown name is an error listing the packs."""
    path = DOMAINS / domain / "gazetteer.yaml"
    if not path.is_file():
        raise InputError(f"--domain {domain}: no such domain pack (bundled: {', '.join(bundled_domains())})")
    return path
