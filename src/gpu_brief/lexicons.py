"""Lexicon files: finding, reading and validating them (ingest time; `qa.lexicon` compiles them).

Three layers, merged in order: the general EN->FR lexicon (`resources/lang/en-fr.yaml`) with the
French families, the domain packs a claims file was made with
(`resources/domains/NAME/lexicon.yaml`), and the user's own (`ingest --lexicon FILE`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

RESOURCES = Path(__file__).resolve().parent / "resources"
GENERAL_LEXICON = RESOURCES / "lang" / "en-fr.yaml"
FAMILIES = RESOURCES / "lang" / "fr-families.yaml"  # French words across parts of speech
DOMAINS = RESOURCES / "domains"


def lexicon_paths(domains: Iterable[str] = ()) -> list[Path]:
    """The bundled lexicons that apply: the general ones, then each domain pack's."""
    paths = [GENERAL_LEXICON, FAMILIES]
    return paths + [DOMAINS / d / "lexicon.yaml" for d in domains if (DOMAINS / d / "lexicon.yaml").is_file()]


def merge_lexicons(raws: Iterable[dict[str, Any]], names: Iterable[str] = ()) -> dict[str, Any]:
    """Several lexicons as one, validated (what a claims file keeps of `ingest --lexicon`);
    `names` (their files) say which one an error is in."""
    from pydantic import ValidationError

    from gpu_brief.errors import InputError
    from gpu_brief.models import LexiconData

    en_fr: dict[str, list[str]] = {}
    synonyms: list[list[str]] = []
    labels = iter(names)
    for raw in raws:
        name = next(labels, "lexicon")
        if raw.get("version", 1) != 1:
            raise InputError(f"{name}: lexicon version {raw['version']!r} is not supported (`version: 1`)")
        try:
            data = LexiconData.model_validate(
                {"en_fr": raw.get("en_fr") or {}, "fr_synonyms": raw.get("fr_synonyms") or []}
            )
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in error["loc"])
            raise InputError(f"{name}: {where}: {error['msg']} (see the README, 'Lexicons')") from None
        for key, values in data.en_fr.items():
            en_fr[key] = list(dict.fromkeys([*en_fr.get(key, []), *values]))
        synonyms += [g for g in data.fr_synonyms if g not in synonyms]
    return {"version": 1, "en_fr": en_fr, "fr_synonyms": synonyms}


def read_lexicons(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """Each lexicon file's data; a user file that is not a lexicon is an input error."""
    from gpu_brief.errors import InputError
    from gpu_brief.store import load_yaml, read_regular

    out = []
    for path in paths:
        try:
            raw = read_regular(path, 50_000_000)
            text = raw.decode("utf-8")
        except OSError as exc:
            raise InputError(f"{path}: cannot read the lexicon: {exc.strerror or exc}") from None
        except UnicodeDecodeError as exc:
            from gpu_brief.folder import encoding_problem

            raise InputError(f"{path}: {encoding_problem(raw, exc, str(path))}") from None
        data = load_yaml(text, path, InputError, "a lexicon holds plain data only")
        if not isinstance(data, dict):
            raise InputError(
                f"{path}: not a lexicon (expected `en_fr:` and/or `fr_synonyms:`; see the README)"
            )
        if not isinstance(data.get("en_fr") or {}, dict):
            raise InputError(
                f"{path}: the lexicon's `en_fr:` must map English words to French ones (`chip: [puce]`), "
                f"not be a {type(data['en_fr']).__name__}"
            )
        if not isinstance(data.get("fr_synonyms") or [], list):
            raise InputError(
                f"{path}: the lexicon's `fr_synonyms:` must be a list of groups (`- [puce, semi-conducteur]`), "
                f"not a {type(data['fr_synonyms']).__name__}"
            )
        _check_lexicon(path, data)
        out.append(data)
    return out


_LEXICON_KEYS = ("version", "en_fr", "fr_synonyms")


def _check_lexicon(path: Path, data: dict[str, Any]) -> None:
    """A typo in a hand-written lexicon is an error that names it, not a lexicon quietly empty:
    `en-fr:` for `en_fr:` was accepted and stored nothing."""
    import difflib

    from gpu_brief.errors import InputError

    if "questions" in data and "en_fr" not in data:
        raise InputError(
            f"{path}: a question set (for `gpu-brief eval`), not a lexicon (see the README, 'Lexicons')"
        )
    for key in data:
        if key not in _LEXICON_KEYS:
            # a typo ("en-fr"), not any word sharing a few letters ("questions" is no "version")
            close = difflib.get_close_matches(str(key), _LEXICON_KEYS, n=1, cutoff=0.75)
            hint = f" (did you mean `{close[0]}`?)" if close else f" (known: {', '.join(_LEXICON_KEYS)})"
            raise InputError(f"{path}: unknown key `{key}` in the lexicon{hint}")
    for english, french in (data.get("en_fr") or {}).items():
        terms = french if isinstance(french, list) else [french]
        if not any(isinstance(t, str) and t.strip() for t in terms):
            raise InputError(f"{path}: en_fr: `{english}` has no French term")
    if not data.get("en_fr") and not data.get("fr_synonyms"):
        raise InputError(f"{path}: the lexicon holds no entry (`en_fr:` and `fr_synonyms:` are empty)")
