"""A big claims file with no cache is read entry by entry, in bounded memory, with the same result
as reading it whole; a file in another layout is still read whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CLAIMS
from gpu_brief.cli import app


def units_json(corpus) -> list[str]:  # type: ignore[no-untyped-def]
    return [unit.to_json() for unit in corpus.units]


def test_the_claims_file_is_parsed_in_small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    from gpu_brief import claimsfile
    from gpu_brief.service import corpus_from_claims_file, load_corpus
    from gpu_brief.store import read_claims

    whole = corpus_from_claims_file(read_claims(CLAIMS))
    sizes: list[int] = []
    real = yaml.load

    def load(stream, Loader):  # type: ignore[no-untyped-def]
        sizes.append(len(stream))
        return real(stream, Loader=Loader)

    monkeypatch.setattr(yaml, "load", load)
    monkeypatch.setattr(claimsfile, "BATCH_BYTES", 4096)
    streamed = load_corpus(CLAIMS)
    assert CLAIMS.stat().st_size > 50_000 and max(sizes) < 12_000
    assert streamed.header == whole.header and streamed.catalog == whole.catalog
    assert units_json(streamed) == units_json(whole)


def test_another_layout_is_read_whole_with_the_same_result(tmp_path: Path) -> None:
    from gpu_brief.claimsfile import stream_corpus
    from gpu_brief.service import corpus_from_claims_file, load_corpus
    from gpu_brief.store import read_claims

    text = CLAIMS.read_text(encoding="utf-8")
    edited = tmp_path / "data" / "claims.yaml"
    edited.parent.mkdir()
    edited.write_text(
        text.replace("\nsources:\n", "\n# edited by hand\nsources:\n").replace(
            'root: "../seeds"', 'root: "' + str(CLAIMS.parent.parent / "seeds") + '"'
        ),
        encoding="utf-8",
    )
    hand = tmp_path / "hand.yaml"
    hand.write_text(edited.read_text(encoding="utf-8").replace("\n- id:", "\n\n- id:", 1), encoding="utf-8")
    assert stream_corpus(hand, validate=True) is None
    assert units_json(load_corpus(hand)) == units_json(corpus_from_claims_file(read_claims(CLAIMS)))


def test_a_broken_entry_keeps_its_usual_message(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = CLAIMS.read_text(encoding="utf-8").replace(
        'root: "../seeds"', f'root: "{CLAIMS.parent.parent / "seeds"}"'
    )
    broken = tmp_path / "c.yaml"
    broken.write_text(text.replace("  line: 1\n", "  line: many\n", 1), encoding="utf-8")
    result = runner.invoke(app, ["ask", "GPU ?", "--claims", str(broken)])
    assert result.exit_code == 2 and "line: Input should be a valid integer" in result.output
