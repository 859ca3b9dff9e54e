"""Contrast sets: a question's idea against a passage that says another member of its set."""

from __future__ import annotations

import pytest

from gpu_brief.qa.answerable import answerable_features
from gpu_brief.qa.contrasts import Contrasts, analyse_sets, is_year
from gpu_brief.qa.kinds import Lang
from gpu_brief.qa.language import load_packs, read_packs
from gpu_brief.text import Analyzer

ANALYZER = Analyzer()
CONTRASTS = Contrasts(analyse_sets(load_packs(read_packs())[Lang.FR].contrasts, ANALYZER.terms))


def _terms(text: str) -> frozenset[str]:
    return frozenset(ANALYZER.terms(text))


def test_every_word_of_a_contrast_set_is_an_index_term() -> None:
    """A word the analyzer drops ("été", a function word) would never be said: it must not be listed."""
    pack = load_packs(read_packs())[Lang.FR]
    dropped = [w for members in pack.contrasts for m in members for w in m if not ANALYZER.terms(w)]
    assert dropped == []
    assert all(len(m.words) == len(m.surface) >= 1 for m in CONTRASTS.members)


@pytest.mark.parametrize(
    ("idea", "sentence"),
    [
        ("japonais", "Le gouvernement sud-coréen a approuvé un centre de données de 3 GW."),
        ("Japon", "Le gouvernement sud-coréen a approuvé un centre de données de 3 GW."),
        ("dernière", "OpenAI ajoutera des GPU la semaine prochaine."),
        ("mars", "ChatGPT comptait 100 millions d'utilisateurs en février."),
        ("mort", "Anselm Franz est né à Trèves."),
        ("baisse", "Les ventes ont augmenté de 5 %."),
        ("2023", "Nvidia produira 2 millions de puces en 2024."),
    ],
)
def test_a_passage_saying_another_member_of_the_set_is_a_rival(idea: str, sentence: str) -> None:
    said = _terms(sentence)
    assert CONTRASTS.rival(_terms(idea), said, said)


@pytest.mark.parametrize(
    ("idea", "sentence"),
    [
        # the idea said: no rival
        ("sud-coréen", "Le gouvernement sud-coréen a approuvé un centre de données de 3 GW."),
        ("2024", "Nvidia produira 2 millions de puces en 2024."),
        # nothing of the idea's set said
        ("japonais", "OpenAI ajoutera des GPU la semaine prochaine."),
        ("mars", "Nvidia produira 2 millions de puces."),
        # a word of no set
        ("capacité", "Le gouvernement sud-coréen a approuvé un centre de données."),
    ],
)
def test_no_rival_when_the_idea_is_said_or_its_set_is_not(idea: str, sentence: str) -> None:
    said = _terms(sentence)
    assert not CONTRASTS.rival(_terms(idea), said, said)


def test_the_idea_said_in_the_context_is_no_rival() -> None:
    """The sentence says 2024, its context (the sentence before, a dateline) 2023."""
    sentence = _terms("Elle en produira 2 millions en 2024.")
    assert not CONTRASTS.rival(_terms("2023"), sentence | _terms("En 2023, Nvidia"), sentence)


def test_a_year_is_four_digits_in_range() -> None:
    assert is_year("2027") and is_year("1800")
    assert not is_year("3000") and not is_year("202") and not is_year("20a7")


def test_the_answerable_model_reads_the_rival(answerer) -> None:  # type: ignore[no-untyped-def]
    """The seeds say the South Korean government approved a 3 GW data centre; asked of the
    Japanese government, the passage found speaks of another one."""
    asked = "Quelle capacité a le centre de données approuvé par le gouvernement japonais ?"
    rival = answerable_features(answerer.analyse(asked), answerer.model, answerer)
    assert rival["other_of_set_any"] == 1.0 and rival["other_of_set"] > 0
    said = asked.replace("japonais", "sud-coréen")
    assert "other_of_set" not in answerable_features(answerer.analyse(said), answerer.model, answerer)
