"""Entities: the hand-checked list of name mentions is found exactly (recall and precision 1.0)."""

from __future__ import annotations

import pytest
import yaml

from conftest import DATA
from gpu_brief.entities import EntityDef, EntityMatcher, candidate_names

CHECKED = yaml.safe_load((DATA / "entity_mentions.yaml").read_text(encoding="utf-8"))["entities"]


def recorded_mentions(claims_file) -> set[tuple[str, int, int, str]]:  # type: ignore[no-untyped-def]
    """Name mentions recorded in the claims file: in claims and in headings."""
    found = {(c.source, m.start, m.end, m.name) for c in claims_file.claims for m in c.entities if not m.role}
    for s in claims_file.sources:
        found |= {(s.file, m.start, m.end, m.name) for h in s.headings for m in h.entities if not m.role}
    return found


def test_the_checked_list_covers_at_least_twelve_entities() -> None:
    assert len(CHECKED) >= 12


@pytest.mark.parametrize("entity", CHECKED, ids=[e["name"] for e in CHECKED])
def test_every_name_mention_is_found_and_nothing_else(entity, claims_file, seed_texts) -> None:  # type: ignore[no-untyped-def]
    want = {
        (m["source"], m["start"], m["end"], entity["name"])
        for m in entity["mentions"]
        if not m.get("boilerplate")
    }
    for source, start, end, _ in want:
        assert seed_texts[source][start:end]  # the checked list itself slices the seeds
    got = {m for m in recorded_mentions(claims_file) if m[3] == entity["name"]}
    assert got == want


def test_role_mentions_resolve_to_sam_altman(claims_file) -> None:  # type: ignore[no-untyped-def]
    checked = next(e for e in CHECKED if e["name"] == "Sam Altman")
    roles = {(r["source"], r["start"], r["end"]) for r in checked["roles"] if "OpenAI" in r["text"]}
    got = {(c.source, m.start, m.end) for c in claims_file.claims for m in c.entities if m.role}
    got |= {
        (s.file, m.start, m.end)
        for s in claims_file.sources
        for h in s.headings
        for m in h.entities
        if m.role
    }
    assert roles <= got


MATCHER = EntityMatcher(
    [
        EntityDef("GPT-4", "product", ("GPT-4",)),
        EntityDef("GPT-4o", "product", ("GPT-4o", "GPT-40")),
        EntityDef("GPT-4.5", "product", ("GPT-4.5",)),
        EntityDef("xAI", "organisation", ("xAI", "X. AI")),
        EntityDef("Apple", "organisation", ("Apple",)),
        EntityDef("Sam Altman", "person", ("Altman",), ("PDG d'OpenAI",)),
        EntityDef("OpenAI", "organisation", ("OpenAI",)),
        EntityDef("Microsoft", "organisation", ("Microsoft",)),
    ]
)


def names(text: str, **kw: bool) -> list[tuple[str, str]]:
    return [(f.name, text[f.start : f.end]) for f in MATCHER.find(text, **kw)]


def test_a_product_name_never_matches_inside_a_longer_one() -> None:
    assert names("GPT-4.5, GPT-4o, GPT-40 et GPT-4.") == [
        ("GPT-4.5", "GPT-4.5"),
        ("GPT-4o", "GPT-4o"),
        ("GPT-4o", "GPT-40"),
        ("GPT-4", "GPT-4"),
    ]


def test_two_names_joined_by_a_hyphen_are_two_mentions() -> None:
    assert names("le supercalculateur Microsoft-OpenAI", ignore_case=True) == [
        ("Microsoft", "Microsoft"),
        ("OpenAI", "OpenAI"),
    ]
    assert names("GPT-4-turbo") == []  # a longer product name, not GPT-4 and a word


def test_dotted_and_typo_aliases_resolve() -> None:
    assert names("sa nouvelle entreprise d’IA dénommée X. AI.") == [("xAI", "X. AI")]


def test_a_capitalised_alias_does_not_match_a_common_noun() -> None:
    assert names("une apple pie") == []
    assert names("Apple et la pomme") == [("Apple", "Apple")]
    assert names("une question sur apple", ignore_case=True) == [("Apple", "apple")]


def test_apostrophes_and_accents_do_not_matter() -> None:
    assert ("Sam Altman", "PDG d’OpenAI") in names("le PDG d’OpenAI a parlé")


def test_candidate_names_are_capitalised_runs_not_in_the_gazetteer() -> None:
    text = "Selon Stacy Rasgon, analyste chez Bernstein, et Jean de La Fontaine."
    found = [name for name, _, _ in candidate_names(text, [], set())]
    assert "Stacy Rasgon" in found and "Jean de La Fontaine" in found
    assert not any(n.startswith("Selon") for n in found)


def test_a_tables_header_row_names_columns_not_entities() -> None:
    """A twenty-fourth trial: NER took a table's header cells "Part du capital" and "Montant (€)"
    for an organisation and a place; the rows under it keep their names."""
    from gpu_brief.analysis import analyse_text
    from gpu_brief.ner import NerSpan
    from gpu_brief.segment import segment

    text = (
        "Les actionnaires\n\n"
        "| Actionnaire | Part du capital | Montant (€) |\n|---|---|---|\n"
        "| Commune de Sarrabère | 62 % | 744 000 |\n"
    )
    seg = segment(text)
    pieces = [text[h.start : h.end] for h in seg.headings] + [text[p.start : p.end] for p in seg.sentences]
    header = pieces.index("Actionnaire | Part du capital | Montant (€)")

    def ner(piece: str) -> list[NerSpan]:
        words = ("Part du capital", "Montant", "Commune de Sarrabère")
        return [NerSpan(piece.index(w), piece.index(w) + len(w), "organisation") for w in words if w in piece]

    article = analyse_text("a.md", text.encode(), text, MATCHER, "t", [ner(p) for p in pieces], seg)
    assert not article.source["headings"][header]["entities"]
    assert [m["name"] for c in article.claims for m in c["entities"]] == ["Commune de Sarrabère"]
