"""Span finders: the part of a claim that answers, always a slice of it."""

from __future__ import annotations

import pytest

from gpu_brief.answer import (
    _balanced,
    _cause_span,
    _causing_subject,
    _coordinated,
    _enumeration,
    _named,
    _quoted,
    _reported,
    _respectively,
)


def sliced(text: str, span: tuple[int, int] | None) -> str | None:
    """What a span finder found, as text (None when it found nothing)."""
    return None if span is None else text[span[0] : span[1]]


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        ("OpenAI a reporté GPT-4.5 en raison d'une pénurie de GPU.", "en raison d'une pénurie de GPU"),
        (
            "L'avis du PDG serait donc lié à une crise des GPU selon VentureBeat.",
            "lié à une crise des GPU selon VentureBeat",
        ),
        ("Les GPU manquent et coûtent cher, donc OpenAI attend.", "Les GPU manquent et coûtent cher"),
        (
            "La puce réunit calcul et mémoire (sur une plaque), ce qui réduit la consommation.",
            "La puce réunit calcul et mémoire (sur une plaque)",
        ),
        # "A est l'une des raisons pour lesquelles B": why B? A, from its own clause
        (
            "Les géants ne veulent pas dépendre des autres et baisser leurs coûts est l'une des raisons "
            "pour lesquelles ils conçoivent des puces.",
            "baisser leurs coûts",
        ),
    ],
)
def test_cause_clause(text: str, cause: str) -> None:
    assert sliced(text, _cause_span(text)) == cause


def test_quotations_inside_their_marks() -> None:
    text = 'Il parle d\'un modèle « énorme et coûteux » et dit que les "GPU fumaient".'
    assert [text[a:b] for a, b in _quoted(text)] == ["énorme et coûteux", "GPU fumaient"]


def test_a_span_closes_what_it_opened() -> None:
    text = "Les capacités de ChatGPT (texte, image, code) progressent."
    start = text.index("capacités")
    a, b = _balanced(text, (start, text.index(",")))
    assert text[a:b] == "capacités de ChatGPT (texte, image, code)"


def test_a_list_stops_before_its_purpose() -> None:
    text = "OpenAI explore deux pistes : des GPU plus rapides et l'optimisation pour améliorer l'efficacité."
    assert sliced(text, _enumeration(text)) == "des GPU plus rapides et l'optimisation"


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        (
            "Sam Altman a révélé que la demande croissante avait mis à rude épreuve la capacité de calcul.",
            "la demande croissante",
        ),
        (
            "Le PDG pense que « l’observation technique\u2009» a aidé à créer ces modèles.",
            "l’observation technique",
        ),
        (
            "L'achat de puces supplémentaires entraîne déjà des coûts exorbitants.",
            "L'achat de puces supplémentaires",
        ),
    ],
)
def test_a_cause_that_is_the_subject_of_its_verb(text: str, cause: str) -> None:
    assert sliced(text, _causing_subject(text)) == cause


def test_a_pronoun_is_no_cause() -> None:
    """ "Cela a contraint OpenAI": what "cela" is lies in another sentence."""
    assert _causing_subject("Cela a contraint OpenAI à limiter la génération d'images.") is None


def test_figures_paired_by_respectivement_answer_together() -> None:
    text = "GPT-4o ne coûte que 2,50 $ et 10 $ respectivement."
    figures = [(text.index("2,50"), text.index("2,50") + 6), (text.index("10 $"), text.index("10 $") + 4)]
    for figure in figures:
        a, b = _respectively(text, figure, figures)
        assert text[a:b] == "2,50 $ et 10 $"
    plain = "Le H100 coûte 30 000 $ et le B200 40 000 $."
    first = (plain.index("30"), plain.index("30") + 8)
    assert _respectively(plain, first, [first]) == first


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Microsoft développait une puce d'IA nommée Athena.", "Athena"),
        ("un modèle appelé GPT-4.5, qui coûte cher", "GPT-4.5"),
        ("une société dénommée X. AI plus tard", "X. AI"),
        ("le projet baptisé Project Stargate", "Project Stargate"),
    ],
)
def test_a_name_given_stops_before_the_full_stop(text: str, name: str) -> None:
    assert sliced(text, _named(text)) == name


def test_names_and_the_others_answer_together() -> None:
    text = "OpenAI reste tributaire de Nvidia et d'autres fournisseurs pour assurer sa pérennité."
    a = text.index("Nvidia")
    assert sliced(text, _coordinated(text, (a, a + 6), [(a, a + 6)])) == "Nvidia et d'autres fournisseurs"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            'Alex White a déclaré : "La conception de puces prend du temps. Cela exige des experts." de plus',
            "La conception de puces prend du temps",  # its first sentence; the claim shows the rest
        ),
        ("Le PDG a affirmé que la pénurie durerait jusqu'en 2025.", "la pénurie durerait jusqu'en 2025"),
        ("Il a déclaré explicitement : « nous sommes à la fin d'une ère »", "nous sommes à la fin d'une ère"),
        (
            "Le PDG s'est publiquement plaint du fait que la pénurie avait freiné l'entreprise.",
            "la pénurie avait freiné l'entreprise",
        ),
    ],
)
def test_reported_speech_is_what_follows_the_verb(text: str, said: str) -> None:
    assert sliced(text, _reported(text)) == said
