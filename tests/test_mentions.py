"""NER at ingest merged with the gazetteer: one entity per name, the gazetteer on top, antecedents.

The rules are tested on hand-made spans (no model), then end to end through the real French model
on a small article of our own (the model loads once per test process).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ingest_to
from gpu_brief.analysis import may_hold_a_name
from gpu_brief.antecedents import antecedents
from gpu_brief.cli import app
from gpu_brief.entities import Found
from gpu_brief.mentions import clean_span, merge
from gpu_brief.ner import NerSpan
from gpu_brief.store import read_claims

HOCKEY = (
    "Martin Brodeur\n\n"
    "Martin Brodeur est un gardien de but canadien né à Montréal. "
    "Brodeur a joué pour les Devils du New Jersey pendant vingt et une saisons. "
    "Il a remporté trois fois la coupe Stanley. "
    "Son frère Claude Brodeur a joué au baseball.\n\n"
    "En 1990, les Devils choisissent Brodeur au repêchage. "
    "Ce dernier signe son premier contrat la même année pour 2 millions de dollars US.\n"
)


def spans(text: str, *names: tuple[str, str]) -> list[NerSpan]:
    """NER spans for the given (surface, type) pairs, at their first occurrence."""
    return [NerSpan(text.index(s), text.index(s) + len(s), kind) for s, kind in names]


def test_a_shorter_name_is_the_full_name_mentioned_before() -> None:
    texts = [
        "Martin Brodeur est gardien.",
        "Brodeur a joué pour les Devils.",
        "Oluf Ier de Danemark et le Danemark.",
    ]
    ner = [
        spans(texts[0], ("Martin Brodeur", "person")),
        spans(texts[1], ("Brodeur", "person"), ("Devils", "organisation")),
        [NerSpan(0, 20, "person"), NerSpan(27, 35, "place")],
    ]
    found = merge(texts, [[], [], []], ner, set())
    assert [f.name for f in found[1]] == ["Martin Brodeur", "Devils"]
    # a place at the end of a person's name ("de Danemark") is another entity
    assert [(f.name, f.type) for f in found[2]] == [("Oluf Ier de Danemark", "person"), ("Danemark", "place")]


def test_an_acronym_in_brackets_after_a_name_is_that_name() -> None:
    """A trial's "Mutuelle Atlantique Assurances (MAA)" and "MAA n'étant pas cotée" were two
    entities: `claims --entity "Mutuelle Atlantique"` found one claim of two."""
    texts = [
        "Le groupe Mutuelle Atlantique Assurances (MAA) a annoncé ses résultats.",
        "MAA n'étant pas cotée, aucun dividende n'est versé.",
        "La Fédération des exportateurs de vins et spiritueux de France (FEVS) et la SNCF.",
    ]
    ner = [
        spans(texts[0], ("Mutuelle Atlantique Assurances", "organisation"), ("MAA", "organisation")),
        spans(texts[1], ("MAA", "organisation")),
        spans(
            texts[2],
            ("Fédération des exportateurs de vins et spiritueux de France", "organisation"),
            ("FEVS", "organisation"),
            ("SNCF", "organisation"),
        ),
    ]
    found = merge(texts, [[], [], []], ner, set())
    assert {f.name for f in found[0]} == {"Mutuelle Atlantique Assurances"}
    assert [f.name for f in found[1]] == ["Mutuelle Atlantique Assurances"]
    fevs = "Fédération des exportateurs de vins et spiritueux de France"
    assert [f.name for f in found[2]] == [fevs, fevs, "SNCF"]  # SNCF spells no one's initials here


def test_a_name_ner_found_once_is_that_name_wherever_the_article_repeats_it() -> None:
    """A twelfth trial: NER tagged "la DNCG" in one sentence and missed "(DNCG)" after the full
    name and "la commission d'appel de la DNCG" in others: `claims --entity DNCG` found 3 of 7
    claims. A repeat takes the original's type and does not vote on it."""
    texts = [
        "La Direction nationale du contrôle de gestion (DNCG) a prononcé la rétrogradation.",
        "Selon nos informations, la DNCG a relevé un besoin de financement.",
        "L'appel sera examiné par la commission d'appel de la DNCG, à Paris.",
        "Les DNCGistes et la sous-DNCG ne sont pas la DNCG-bis.",  # inside other words: no mention
    ]
    ner = [
        spans(texts[0], ("Direction nationale du contrôle de gestion", "organisation")),
        spans(texts[1], ("DNCG", "organisation")),
        spans(texts[2], ("Paris", "place")),
        [],
    ]
    found = merge(texts, [[], [], [], []], ner, set())
    dncg = "Direction nationale du contrôle de gestion"
    assert [(f.name, texts[0][f.start : f.end]) for f in found[0]] == [(dncg, dncg), (dncg, "DNCG")]
    assert [f.name for f in found[1]] == [dncg]
    assert [(f.name, f.type) for f in found[2]] == [(dncg, "organisation"), ("Paris", "place")]
    assert found[3] == []


def test_the_gazetteer_wins_where_it_overlaps_and_figures_block_names() -> None:
    text = "Sam Altman a payé 520 000 $ US."
    gazetteer = [[Found("Sam Altman", "person", 0, 10)]]
    ner = [spans(text, ("Sam Altman", "organisation"), ("US", "place"))]
    found = merge([text], gazetteer, ner, set(), [[(18, 29)]])
    assert found == [[Found("Sam Altman", "person", 0, 10)]]


def test_spans_that_are_no_names_are_dropped_or_trimmed() -> None:
    assert clean_span("Directeur et cofondateur", NerSpan(0, 9, "person"), set()) is None  # a title
    assert clean_span("Selon lui", NerSpan(0, 5, "other"), set()) is None  # a stop word
    assert clean_span("Jeux et jeux", NerSpan(0, 4, "other"), {"jeux"}) is None  # written in lowercase too
    text = "dans l'Empire ottoman."
    assert clean_span(text, NerSpan(5, 22, "place"), set()) == (7, 21)  # determiner and full stop off
    # a twenty-fourth trial's interview: "Resterez-vous à la tête de la SEM ?" gave the place "Resterez"
    for verb in ("Resterez-vous à la tête ?", "Peut-on le dire ?", "Viendra-t-il ?"):
        assert clean_span(verb, NerSpan(0, verb.index("-"), "place"), set()) is None
    assert clean_span("Jean-Marc vote.", NerSpan(0, 9, "person"), set()) == (0, 9)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Me Julien Roussel plaide.", "Julien Roussel"),
        ("M. Dupont a voté.", "Dupont"),
        ("Mme Vial-Moreau a défendu le budget.", "Vial-Moreau"),
        ("Dr Arnim Zola réapparaît.", "Arnim Zola"),
        ("Mgr Lustiger est nommé.", "Lustiger"),
        ("Marc Dupont a voté.", "Marc Dupont"),  # a name opening on "M" or "Me..." keeps it
        ("Mehdi Bensaïd a voté.", "Mehdi Bensaïd"),
        ("Mme de Castelnau défend le plan.", "de Castelnau"),  # the particle is her name's
        ("M. d'Ormesson affirme.", "d'Ormesson"),
        ("Maître Olivier Bastide rend son rapport.", "Olivier Bastide"),  # spelled out: the same
        ("Madame Lecanu tient le café.", "Lecanu"),
    ],
)
def test_an_abbreviated_honorific_is_no_part_of_a_name(text: str, name: str) -> None:
    # "Me Julien Roussel" was the entity, and "Roussel" questions met a lawyer's title
    span = clean_span(text, NerSpan(0, text.index(name) + len(name), "person"), set())
    assert span is not None and text[span[0] : span[1]] == name


def test_a_surname_after_an_honorific_is_the_full_name_of_the_article() -> None:
    """A trial's mayor was two entities, "Hélène de Castelnau" and "Mme de Castelnau", so
    `claims --entity Castelnau` named both and found neither; "Maître" alone was a person."""
    texts = [
        "Hélène de Castelnau est maire.",
        "Selon Mme de Castelnau, le plan date.",
        "Maître Aubineau plaide.",
    ]
    ner = [
        spans(texts[0], ("Hélène de Castelnau", "person")),
        spans(texts[1], ("Mme de Castelnau", "person")),
        spans(texts[2], ("Maître", "person")),
    ]
    found = merge(texts, [[], [], []], ner, set())
    assert [[f.name for f in piece] for piece in found] == [
        ["Hélène de Castelnau"],
        ["Hélène de Castelnau"],
        [],
    ]


def test_the_text_says_what_a_name_is() -> None:
    texts = ["Le fabricant britannique Graphcore présente sa puce.", "Graphcore vend.", "Graphcore livre."]
    ner = [spans(t, ("Graphcore", "person")) for t in texts]
    assert {f.type for piece in merge(texts, [[], [], []], ner, set()) for f in piece} == {"organisation"}
    text = "Le Clark Art Institute ouvre."
    assert (
        merge([text], [[]], [spans(text, ("Clark Art Institute", "person"))], set())[0][0].type
        == "organisation"
    )


def test_an_organisation_and_the_place_of_its_complement_are_one_organisation() -> None:
    """A fifteenth trial: NER cut "Rails d'Argoat" into an organisation and a place, and
    `claims --entity "Rails d'Argoat"` found no entity."""
    texts = [
        "L'association Rails d'Argoat compte 850 adhérents, comme la CCI du Morbihan.",
        "Le Roux est né à Pontivy.",
    ]
    ner = [
        spans(
            texts[0],
            ("Rails", "organisation"),
            ("Argoat", "place"),
            ("CCI", "organisation"),
            ("Morbihan", "place"),
        ),
        spans(texts[1], ("Le Roux", "person"), ("Pontivy", "place")),
    ]
    found = merge(texts, [[], []], ner, set())
    assert [(f.name, f.type) for f in found[0]] == [
        ("Rails d'Argoat", "organisation"),
        ("CCI du Morbihan", "organisation"),
    ]
    assert [f.name for f in found[1]] == ["Le Roux", "Pontivy"]  # a person's "de" place is not joined


def test_a_name_ner_stopped_on_its_des_runs_on_over_the_capitalised_words_after_it() -> None:
    """A seventeenth trial: NER cut "Union régionale des SCOP" after "des" (the entity "Union
    régionale des"), and "SCOP" became an entity of its own."""
    texts = [
        "Hervé Masclet, président de l'Union régionale des SCOP de Normandie, assistait.",
        "J'ai appelé l'Union régionale des SCOP.",
        "Le fils des Dupont est venu.",
    ]
    ner = [
        spans(
            texts[0],
            ("Hervé Masclet", "person"),
            ("Union régionale des", "organisation"),
            ("Normandie", "place"),
        ),
        spans(texts[1], ("Union régionale des", "organisation"), ("SCOP", "other")),
        spans(texts[2], ("Dupont", "person")),
    ]
    found = [merge([text], [[]], [spans], set())[0] for text, spans in zip(texts, ner, strict=True)]
    assert [f.name for f in found[0]] == ["Hervé Masclet", "Union régionale des SCOP de Normandie"]
    assert [(f.name, f.type) for f in found[1]] == [("Union régionale des SCOP", "organisation")]
    assert [f.name for f in found[2]] == ["Dupont"]


def test_a_lowercase_headed_name_ends_on_its_proper_name() -> None:
    """An eighteenth trial's headline "... de l'université Jacques-Cœur dit oui, de justesse": NER
    took "université Jacques-Cœur dit oui", which then named the university in the whole article."""
    texts = [
        "Le conseil de l'université Jacques-Cœur dit oui, de justesse",
        "L'université Jacques-Cœur de Bourges vote.",
        "Le Parti socialiste vote.",
    ]
    ner = [
        spans(texts[0], ("université Jacques-Cœur dit oui", "organisation")),
        spans(texts[1], ("université Jacques-Cœur de Bourges", "organisation")),
        spans(texts[2], ("Parti socialiste", "organisation")),
    ]
    found = [merge([text], [[]], [spans], set())[0] for text, spans in zip(texts, ner, strict=True)]
    assert [[f.name for f in names] for names in found] == [
        ["université Jacques-Cœur"],
        ["université Jacques-Cœur de Bourges"],  # its complement: as found
        ["Parti socialiste"],  # a capitalised head takes adjectives after it
    ]


def claim(n: int, text: str, *people: tuple[str, int]) -> dict[str, object]:
    entities = [
        {"name": name, "type": "person", "start": 100 * n + at, "end": 100 * n + at + len(name), "text": name}
        for name, at in people
    ]
    return {"id": f"t-{n}", "start": 100 * n, "text": text, "entities": entities}


def test_antecedents_of_il_elle_ce_dernier() -> None:
    claims = [
        claim(1, "Romen Dar a rencontré Aidan Gomez.", ("Romen Dar", 0), ("Aidan Gomez", 22)),
        claim(2, "Ce dernier dirige Cohere."),  # the latter: the last person named
        claim(3, "Il est à préciser que ce dernier est Directeur."),  # still the latter: Aidan Gomez?
        claim(4, "Le pays était alors dirigé par Julius Nyerere.", ("Julius Nyerere", 31)),
        claim(5, "Il se familiarise avec la politique."),  # "dirigé par X": X is no subject
        claim(6, "Il s'agit d'un enfant."),  # impersonal
    ]
    got = [[(a.name, a.claim, a.start, a.end) for a in refs] for refs in antecedents(claims)]
    assert got[1] == [("Aidan Gomez", "t-1", 122, 133)]
    assert got[2] == [("Aidan Gomez", "t-1", 122, 133)]  # the sentence before names nobody: same person
    assert got[4] == [] and got[5] == []
    # where each claim itself says it: its own pronoun, also when the person is carried over
    said = [[claims[i]["text"][a.pronoun_start - 100 * (i + 1) : a.pronoun_end - 100 * (i + 1)] for a in refs]
            for i, refs in enumerate(antecedents(claims))]  # fmt: skip
    assert said[1] == ["Ce dernier"] and said[2] == ["ce dernier"]


def test_the_latter_is_never_impersonal() -> None:
    """ "Il reste" may be impersonal ("il reste trois jours"); "ce dernier reste" never is."""
    claims = [
        claim(1, "Fondée en 2016 par Karim Benali, Lumenis emploie 180 salariés.", ("Karim Benali", 19)),
        claim(2, "Ce dernier restera à la tête de la filiale."),
        claim(3, "Il reste trois jours avant la vente."),
    ]
    got = [[a.name for a in refs] for refs in antecedents(claims)]
    assert got == [[], ["Karim Benali"], []]  # "il reste trois jours": impersonal, nobody


def test_a_sentence_on_an_impersonal_il_is_stepped_over() -> None:
    """A twenty-fifth trial: "Gérald Mougenot ... a pris acte ... Selon ses calculs, il faudrait
    5,5 millions d'euros ... Il a remis à la ministre un dossier" gave "Il" no antecedent; a
    sentence whose subject is an impersonal "il" speaks of nobody."""
    first = "Face à elle, Gérald Mougenot, président de la coopérative, a pris acte du geste."
    claims = [
        claim(1, first, ("Gérald Mougenot", first.index("Gérald"))),
        claim(2, "Selon ses calculs, il faudrait 5,5 millions d'euros."),
        claim(3, "Il a remis à la ministre un dossier de quarante pages."),
        claim(4, "La crue a tout emporté."),
        claim(5, "Il a fallu trois semaines."),
        claim(6, "Il reste prudent."),  # not after an impersonal sentence: nobody named before it
    ]
    got = [[(a.name, a.claim) for a in refs] for refs in antecedents(claims)]
    assert got == [[], [], [("Gérald Mougenot", "t-1")], [], [], []]


def test_a_name_joined_to_an_agent_is_an_agent_too() -> None:
    """ "Fondée par Julie Castaing et Romain Fabre, l'entreprise ... Elle est valorisée ..." made
    Romain Fabre the antecedent of "Elle" (only the first name after "par" was left out)."""
    text = "Fondée en 2021 par Julie Castaing et Romain Fabre, l'entreprise emploie 140 personnes."
    people = (("Julie Castaing", text.index("Julie")), ("Romain Fabre", text.index("Romain")))
    got = antecedents([claim(1, text, *people), claim(2, "Elle est désormais valorisée 1,1 milliard.")])
    assert got[1] == []
    both = "Julie Castaing et Romain Fabre ont fondé Néolia."
    people = (("Julie Castaing", 0), ("Romain Fabre", both.index("Romain")))
    got = antecedents([claim(1, both, *people), claim(2, "Elle dirige l'entreprise.")])
    assert [a.name for a in got[1]] == ["Julie Castaing"]  # subjects: the first, as before


def test_a_person_after_a_noun_subject_and_its_verb_is_no_subject() -> None:
    """An eighteenth trial: "..., la ministre a visité ... les deux présidents, Armelle Costes et
    Bertrand Vasseur. Elle a confirmé que l'État apporterait 5 millions" gave the minister's
    words to Armelle Costes. The subject is "la ministre", named by a noun: nobody, not the object."""
    text = (
        "Accompagnée du recteur Jean-Marc Ferrand, la ministre a visité le laboratoire avant de"
        " rencontrer les deux présidents, Armelle Costes et Bertrand Vasseur."
    )
    people = [(n, text.index(n)) for n in ("Jean-Marc Ferrand", "Armelle Costes", "Bertrand Vasseur")]
    claims = [
        claim(1, text, *people),
        claim(2, "Elle a confirmé que l'État apporterait 5 millions d'euros."),
        claim(3, "« Cet argent est sanctuarisé », a-t-elle assuré."),
    ]
    got = [[a.name for a in refs] for refs in antecedents(claims)]
    assert got[1] == got[2] == []
    named = "Après son élection, Armelle Costes a reçu la ministre."
    got = antecedents(
        [claim(1, named, ("Armelle Costes", named.index("Armelle"))), claim(2, "Elle a confirmé.")]
    )
    assert [a.name for a in got[1]] == ["Armelle Costes"]  # the subject, named first, as before
    clause = "Le pays a connu un tournant quand Muhammad Zia lance une politique."
    got = antecedents([claim(1, clause, ("Muhammad Zia", clause.index("Muhammad"))), claim(2, "Il meurt.")])
    assert [a.name for a in got[1]] == ["Muhammad Zia"]  # the subject of a clause of its own


def test_a_role_noun_subject_stands_for_the_person_it_introduced() -> None:
    """An eighteenth trial: after "La ministre ..., Sylvie Renaudin, s'est rendue à Bourges" and
    "..., la ministre a visité ...", "Elle a confirmé ..." is the minister's; "L'agent comptable
    souligne ... Il estime ..." is Sébastien Tixier's; "», a déclaré l'avocate. Elle dispose ..."
    Sandrine Keller's (each had no antecedent, or the wrong one)."""
    first = (
        "La ministre de l'Enseignement supérieur et de la Recherche, Sylvie Renaudin, s'est rendue à Bourges."
    )
    visit = "Accompagnée du recteur, la ministre a visité le campus avec Armelle Costes et Bertrand Vasseur."
    costes, vasseur = visit.index("Armelle"), visit.index("Bertrand")
    report = "Rédigé par l'agent comptable, Sébastien Tixier, le rapport est sévère."
    claims = [
        claim(1, first, ("Sylvie Renaudin", first.index("Sylvie"))),
        claim(2, visit, ("Armelle Costes", costes), ("Bertrand Vasseur", vasseur)),
        claim(3, "Elle a confirmé l'aide de l'État."),
        claim(4, report, ("Sébastien Tixier", report.index("Sébastien"))),
        claim(5, "L'agent comptable souligne que la masse salariale pèse lourd."),
        claim(6, "Il estime que l'établissement serait placé sous tutelle."),
        claim(7, "Leur avocate, Maître Sandrine Keller, plaidait l'urgence.", ("Sandrine Keller", 21)),
        claim(8, "« Le juge dit qu'il n'y a pas d'urgence », a déclaré l'avocate."),
        claim(9, "Elle dispose de quinze jours."),
    ]
    got = antecedents(claims)
    assert [[a.name for a in refs] for refs in got] == [
        [],
        [],
        ["Sylvie Renaudin"],
        [],
        ["Sébastien Tixier"],  # its own subject stands for him too (a twenty-third trial)
        ["Sébastien Tixier"],
        [],
        ["Sandrine Keller"],
        ["Sandrine Keller"],
    ]
    # the name where it was given: a slice of that claim, which answering cites with the answer
    assert (got[2][0].claim, got[2][0].text) == ("t-1", "Sylvie Renaudin")
    assert (got[5][0].claim, got[5][0].text) == ("t-4", "Sébastien Tixier")


def test_a_role_noun_with_two_adjectives_before_its_complement_introduces_its_person() -> None:
    """A twentieth trial: "La ministre déléguée chargée de l'Industrie, Camille Ferrand, ..." /
    "La ministre a qualifié ..." / "Elle a annoncé ..." had no antecedent (one adjective only)."""
    first = "La ministre déléguée chargée de l'Industrie, Camille Ferrand, s'est rendue sur place."
    claims = [
        claim(1, first, ("Camille Ferrand", first.index("Camille"))),
        claim(2, "La ministre a qualifié le projet de « pierre angulaire »."),
        claim(3, "Elle a annoncé une aide de 90 millions d'euros."),
    ]
    assert [[a.name for a in refs] for refs in antecedents(claims)] == [
        [],
        ["Camille Ferrand"],
        ["Camille Ferrand"],
    ]


def test_a_quote_with_its_reporting_pronoun_speaks_for_the_person_before() -> None:
    """A trial's "Cette dernière estime ..." after "« ... », raconte-t-elle." got no antecedent:
    the quote names nobody, so the chain from "Sandrine Ollivier ..." broke there."""
    claims = [
        claim(1, "Sandrine Ollivier cultive 22 hectares.", ("Sandrine Ollivier", 0)),
        claim(2, "Elle a passé deux nuits dans ses vergers."),
        claim(3, "« J'en ai brûlé 1 800 », raconte-t-elle."),
        claim(4, "Cette dernière estime qu'elle récoltera 70 tonnes."),
        claim(5, "Hélène Vasseur préside le syndicat.", ("Hélène Vasseur", 0)),
        claim(6, "« Mais 18 tonnes, c'est peu », tempère-t-elle."),  # the person named just before
        claim(7, "Elle appelle l'État à agir."),
        claim(8, "Mais est-il vrai que la récolte baisse ?"),  # no reporting clause: nobody
    ]
    got = [[a.name for a in refs] for refs in antecedents(claims)]
    assert got[2] == got[3] == ["Sandrine Ollivier"]
    assert got[5] == got[6] == ["Hélène Vasseur"] and got[7] == []
    at = antecedents(claims)[2][0]
    assert claims[2]["text"][at.pronoun_start - 300 : at.pronoun_end - 300] == "elle"


def test_a_reporting_clause_in_a_compound_tense_speaks_for_the_person_before() -> None:
    """A trial's seven quotes closed by "», a-t-il déclaré." and the like had no speaker, while
    "», prévient-il." had one."""
    claims = [
        claim(1, "François Lemarchand préside la CCI.", ("François Lemarchand", 0)),
        claim(2, "« Sans trésorerie, certains ne rouvriront pas », a-t-il déclaré."),
        claim(3, "Claire Aubineau défend le collectif.", ("Claire Aubineau", 0)),
        claim(4, "« Nous irons jusqu'au bout », a-t-elle insisté, avant de partir."),
        claim(5, "« Bof », a-t-il mangé une pomme."),  # no participle of a reporting verb: nobody
    ]
    got = [[a.name for a in refs] for refs in antecedents(claims)]
    assert got[1] == ["François Lemarchand"] and got[3] == ["Claire Aubineau"] and got[4] == []


def test_a_reporting_clause_may_say_where_and_il_y_is_impersonal_only_with_avoir() -> None:
    """A seventeenth trial's "», a-t-il déclaré dans un communiqué." had no speaker (the clause had
    to end on its participle), and "Il y rappelle que ..." no antecedent ("il y" was taken for the
    impersonal "il y a")."""
    claims = [
        claim(1, "Matteo Ferrandi dirige le groupe.", ("Matteo Ferrandi", 0)),
        claim(2, "« La facture a triplé », a-t-il déclaré dans un communiqué."),
        claim(3, "Le maire, Jean-Luc Dufresnoy, a adressé une lettre.", ("Jean-Luc Dufresnoy", 10)),
        claim(4, "Il y rappelle que la commune a perdu 600 habitants."),
        claim(5, "Il y a trois fours sur le site."),  # impersonal: nobody
    ]
    got = [[a.name for a in refs] for refs in antecedents(claims)]
    assert got[1] == ["Matteo Ferrandi"] and got[3] == ["Jean-Luc Dufresnoy"] and got[4] == []


def test_only_sentences_that_may_hold_a_name_go_through_ner() -> None:
    assert not may_hold_a_name("Il a remporté trois fois la coupe.")
    assert may_hold_a_name("Il a joué avec Brodeur.")
    assert may_hold_a_name("Montréal est une ville.")


@pytest.fixture(scope="module")
def hockey(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sport")
    (folder / "brodeur.txt").write_text(HOCKEY, encoding="utf-8")
    (folder / "claude.txt").write_text(
        "Claude Lemieux\n\nClaude Lemieux joue au hockey à Montréal.\n", "utf-8"
    )
    claims = folder.parent / "sport-claims.yaml"
    ingest_to(folder, claims)
    return claims


def test_a_users_folder_gets_people_and_places_from_ner_not_the_ai_gazetteer(hockey: Path) -> None:
    cf = read_claims(hockey)
    types = {e.name: e.type for e in cf.entities}
    assert types["Martin Brodeur"] == "person" and types["Montréal"] == "place"
    assert types["Claude Lemieux"] == "person" and "Claude" not in types  # not the AI product
    assert cf.domains == [] and all(e.type != "product" for e in cf.entities)
    for c in cf.claims:
        for m in c.entities:
            assert HOCKEY_OR_CLAUDE(c.source)[m.start : m.end] == m.text


def HOCKEY_OR_CLAUDE(source: str) -> str:
    return (
        HOCKEY if source == "brodeur.txt" else "Claude Lemieux\n\nClaude Lemieux joue au hockey à Montréal.\n"
    )


def test_claims_entity_finds_short_names_and_antecedents(hockey: Path, runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        app,
        ["claims", "--entity", "Brodeur", "--claims", str(hockey), "--format", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    texts = [c["text"] for c in found]
    assert any(t.startswith("Brodeur a joué") for t in texts)
    assert any(t.startswith("Il a remporté") for t in texts)  # by its antecedent
    signed = next(c for c in found if c["text"].startswith("Ce dernier signe"))
    assert [(a["name"], a["text"]) for a in signed["antecedents"]] == [("Martin Brodeur", "Brodeur")]
    source = HOCKEY
    for a in signed["antecedents"]:
        assert source[a["start"] : a["end"]] == a["text"]
    assert not any(e["name"] == "US" for c in found for e in c["entities"])  # "2 millions de dollars US"


def test_entities_json_gives_types_for_a_users_folder(hockey: Path, runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        app, ["entities", "--claims", str(hockey), "--format", "json"], catch_exceptions=False
    )
    rows = {r["name"]: r for r in json.loads(result.output)}
    assert rows["Martin Brodeur"]["type"] == "person"
    assert "Brodeur" in rows["Martin Brodeur"]["aliases"]
    result = runner.invoke(app, ["entities", "--claims", str(hockey), "--type", "other", "--format", "json"])
    others = json.loads(result.output)
    assert result.exit_code == 0 and others and {r["type"] for r in others} == {"other"}


def test_ask_never_imports_spacy(hockey: Path, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from gpu_brief.cli import main\n"
        "sys.argv = ['gpu-brief', 'ask', 'Qui est Brodeur ?', '--claims', sys.argv[1], '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('spacy', 'thinc', 'gpu_brief.ner', 'gpu_brief.mentions', 'gpu_brief.analysis')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy)\n"
        "print('IMPORTED', bad, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(hockey)], capture_output=True, text=True, check=False, timeout=120
    )
    assert '"question"' in done.stdout  # it did answer (or abstain) in JSON
    assert "IMPORTED []" in done.stderr, done.stderr


def test_ner_reads_only_the_words_around_capitals() -> None:
    from gpu_brief.ner import windows

    text = "un deux trois quatre cinq six sept huit neuf dix onze Brodeur douze treize quatorze"
    ((a, b),) = windows(text, context=2)
    assert text[a:b] == "dix onze Brodeur douze treize"
    assert windows("rien ici", context=2) == []
    text = "Martin Brodeur un deux trois quatre cinq six sept Devils"
    assert [text[a:b] for a, b in windows(text, context=1)] == ["Martin Brodeur un", "sept Devils"]


def test_a_question_finds_ner_names_through_the_catalog_without_requiring_them(hockey: Path) -> None:
    from gpu_brief.qa import Engine
    from gpu_brief.service import open_index

    engine = Engine(open_index(hockey))
    query = engine.analyse("Pour quelle équipe Brodeur a-t-il joué ?").query
    assert "Martin Brodeur" in query.entities  # written "Brodeur" in a passage and the question
    assert "Devils" not in query.entities  # in the passages, not in the question
    assert {e.ner for e in read_claims(hockey).entities} == {True}


def test_a_person_named_inside_a_quotation_is_not_who_the_next_sentence_speaks_of() -> None:
    """A trial's "« ... le dossier de la Coste ... », se défend-il. Ce dernier ajoute ..." made the
    quarter "Coste" (typed person by NER, inside the quotation) the antecedent of "Ce dernier":
    the speaker is Marc Aubanel. And "Elle y a perdu ..." was taken for an impersonal "il y a"."""
    quote = "« Rien que le dossier de la Coste a pris vingt-sept mois », se défend-il."
    claims = [
        claim(1, "Marc Aubanel rejette ces accusations.", ("Marc Aubanel", 0)),
        claim(2, "Il explique que le retard tient aux procédures."),
        claim(3, quote, ("Coste", quote.index("Coste"))),
        claim(4, "Ce dernier ajoute que le coût a bondi de 45 %."),
        claim(5, "Rue de la République, Josiane Pellegrin balaie la boue.", ("Josiane Pellegrin", 22)),
        claim(6, "Elle y a perdu sa collection d'automne."),
        claim(7, "Il y a trois jours, la rivière a débordé."),  # still impersonal
    ]
    got = [[a.name for a in refs] for refs in antecedents(claims)]
    assert got[2] == got[3] == ["Marc Aubanel"]
    assert got[5] == ["Josiane Pellegrin"] and got[6] == []


def test_a_name_with_particles_in_a_question_is_one_entity(hockey: Path) -> None:
    """A twelfth trial: "Qui a racheté le Racing Club de Castelbourg ?" named the place
    "Castelbourg" (the "de" between the words split the name) and answered "RCC", the club's
    own acronym. Words joined by particles, written so in a retrieved claim, are one name."""
    from gpu_brief.qa import Engine
    from gpu_brief.qa.names import link_names
    from gpu_brief.service import open_index

    engine = Engine(open_index(hockey))
    particles = engine.corpus_pack.name_particles
    said = [("Racing Club de Castelbourg", "Racing Club de Castelbourg"), ("Castelbourg", "Castelbourg")]
    query = engine.query("Qui a racheté le Racing Club de Castelbourg ?")
    link_names(query, said, particles)
    assert query.entities == ["Racing Club de Castelbourg"]
    assert "Racing Club de Castelbourg" in [g.label for g in query.groups]
    query = engine.query("Quel est le siège de la Banque de l’Ouest ?")
    link_names(query, [("Banque de l'Ouest", "Banque de l'Ouest")], particles)
    assert query.entities == ["Banque de l'Ouest"]
    query = engine.query("Paris et Lyon ont-ils voté ?")  # "et" joins two names, not one
    link_names(query, [("Paris et Lyon", "X"), ("Paris", "Paris")], particles)
    assert query.entities == ["Paris"]


def test_a_pronoun_after_a_detached_phrase_and_a_speaker_after_a_quote_are_found() -> None:
    """A nineteenth trial: "Docker depuis vingt-deux ans, il connaît ..." after "« On nous parle
    ... », lance Yannick Le Floch, ..." had no antecedent (the pronoun did not open the sentence,
    and the quote's "On" made the speaker look like no subject), nor had the two "Il ..." after
    it. A detached noun phrase with its determiner is the subject a pronoun takes up: nobody."""
    claims = [
        claim(
            1,
            "« On nous parle de 420 emplois », lance Yannick Le Floch, du syndicat.",
            ("Yannick Le Floch", 36),
        ),
        claim(2, "Docker depuis vingt-deux ans, il connaît chaque mètre du quai."),
        claim(3, "Il réclame un accord écrit."),
        claim(4, "Camille Rouxel a voté contre.", ("Camille Rouxel", 0)),
        claim(5, "L'opposition de droite, elle, a voté pour."),
        claim(6, "Ancienne professeure de biologie, elle milite depuis 2015."),
    ]
    got = [[a.name for a in refs] for refs in antecedents(claims)]
    assert got[1] == got[2] == ["Yannick Le Floch"]
    assert got[4] == [] and got[5] == []
    at = antecedents(claims)[1][0]
    assert claims[1]["text"][at.pronoun_start - 200 : at.pronoun_end - 200] == "il"


def test_the_nearest_role_noun_before_a_name_introduces_it() -> None:
    """A twenty-first trial: "la visite de la ministre déléguée chargée du Numérique, Claire
    Aubertin" learnt the role "visite", so "La ministre a passé ... Elle a ensuite ..." had no
    antecedent."""
    first = "Attendue depuis des semaines, la visite de la ministre déléguée chargée du Numérique, Claire Aubertin, a eu lieu."
    claims = [
        claim(1, first, ("Claire Aubertin", first.index("Claire"))),
        claim(2, "La ministre a passé deux heures avec le maire."),
        claim(3, "Elle a ensuite tenu une conférence de presse."),
    ]
    # "La ministre" stands for her in its own sentence too (a twenty-third trial)
    assert [[a.name for a in refs] for refs in antecedents(claims)] == [
        [],
        ["Claire Aubertin"],
        ["Claire Aubertin"],
    ]


def test_a_reporting_clause_may_say_how_and_il_faudra_is_impersonal() -> None:
    """A twenty-first trial: "», a-t-elle lancé sous les applaudissements." had no speaker, so the
    "Elle a remis ..." after it had none either; "Il faudra construire ..." was given a person."""
    claims = [
        claim(1, "Maëlle Rouxel, porte-parole du collectif, a pris la parole.", ("Maëlle Rouxel", 0)),
        claim(
            2, "« Vous allez boire deux fois plus que le village », a-t-elle lancé sous les applaudissements."
        ),
        claim(3, "Elle a remis au maire une pétition."),
        claim(4, "Olivier Prigent a détaillé les travaux.", ("Olivier Prigent", 0)),
        claim(5, "Il faudra construire un nouveau poste électrique."),
    ]
    got = [[a.name for a in refs] for refs in antecedents(claims)]
    assert got[1] == got[2] == ["Maëlle Rouxel"] and got[4] == []


def test_the_words_before_a_mention_give_its_type_across_the_corpus() -> None:
    """A twenty-first trial: "Le groupe américain Valtara Cloud" in one article, "de Valtara Cloud"
    in eight that NER read as a person, and the corpus's entity was a person; "le maire de
    Plouvenec" made no place of the town ("Qui préside la FDSEA ?" -> "Plouvenec")."""
    from gpu_brief.ingest import build_catalog
    from gpu_brief.name_words import said_kind
    from gpu_brief.units import Unit, record_found

    assert said_kind("Le maire de Plouvenec", 12) == "place"
    assert said_kind("Le groupe américain Valtara Cloud", 20) == "organisation"
    assert said_kind("La cheffe de projet de Valtara Cloud", 23) is None

    def unit(text: str, name: str, kind: str) -> Unit:
        at = text.index(name)
        mention = {"name": name, "type": kind, "start": 10 + at, "end": 10 + at + len(name), "text": name}
        u = Unit({}, "", "", [], [], "", [])
        record_found(u, {"headings": []}, [{"start": 10, "text": text, "entities": [mention]}], [], set())
        return u

    units = [unit("Le groupe américain Valtara Cloud arrive.", "Valtara Cloud", "organisation")]
    units += [unit(f"Le projet {n} de Valtara Cloud avance.", "Valtara Cloud", "person") for n in range(3)]
    units += [unit("Le maire de Plouvenec parle.", "Plouvenec", "person")]
    units += [unit(f"Plouvenec {n} vote.", "Plouvenec", "person") for n in range(3)]
    assert units[0].found[0][4] == {"organisation": 1} and units[4].found[0][4] == {"place": 1}
    catalog = {e["name"]: e["type"] for e in build_catalog(units, [])}
    assert catalog == {"Valtara Cloud": "organisation", "Plouvenec": "place"}


def test_a_name_in_guillemets_and_an_acronym_after_its_lowercase_long_form() -> None:
    """A twenty-second trial: the collective « Naître en Oisane » was the person "Naître"; "l'agence
    régionale de santé (ARS)" left ARS the place NER guessed; "la vallée de l'Oisane" and "les
    habitantes de Val-Clarens" typed nothing."""
    from gpu_brief.name_words import said_kind

    texts = [
        "Sandrine Moulin préside le collectif « Naître en Oisane ».",
        "Pour l'association Naître en Oisane, le constat est simple.",
        "L'agence régionale de santé (ARS) Auvergne-Rhône-Alpes a annoncé la fermeture.",
    ]
    ner = [
        spans(texts[0], ("Sandrine Moulin", "person"), ("Naître", "person"), ("Oisane", "place")),
        spans(texts[1], ("Naître", "person"), ("Oisane", "place")),
        spans(texts[2], ("ARS", "place"), ("Auvergne-Rhône-Alpes", "place")),
    ]
    found = merge(texts, [[], [], []], ner, set())
    assert [(f.name, f.type) for f in found[0]] == [
        ("Sandrine Moulin", "person"),
        ("Naître en Oisane", "organisation"),
    ]
    assert [(f.name, f.type) for f in found[1]] == [("Naître en Oisane", "organisation")]
    assert ("ARS", "organisation") in [(f.name, f.type) for f in found[2]]
    assert said_kind("au fond de la vallée de l'Oisane", 26) == "place"
    assert said_kind("les habitantes de Val-Clarens", 18) == "place"
    assert said_kind("Le Centre de recherche (ARS)", 24, "ARS") is None  # the letters spell no head


def test_a_firm_s_short_name_is_the_firm_in_every_article() -> None:
    """A twenty-third trial: "Barthel Emballages" was a person (NER's guess, no word around it
    said otherwise), and "Nordfiber", the short name of "Nordfiber Packaging", a place, in the
    article that wrote both and in those that wrote only "Nordfiber"."""
    from gpu_brief.ingest import build_catalog
    from gpu_brief.units import Unit, record_found

    texts = [
        "La première offre émane de Nordfiber Packaging, groupe finlandais.",
        "Jussi Korhonen, directeur de Nordfiber, défend le projet de Barthel Emballages.",
    ]
    ner = [
        spans(texts[0], ("Nordfiber Packaging", "organisation")),
        spans(
            texts[1], ("Jussi Korhonen", "person"), ("Nordfiber", "place"), ("Barthel Emballages", "person")
        ),
    ]
    found = merge(texts, [[], []], ner, set())
    assert [(f.name, f.type) for f in found[1]] == [
        ("Jussi Korhonen", "person"),
        ("Nordfiber Packaging", "organisation"),
        ("Barthel Emballages", "organisation"),
    ]

    def unit(text: str, name: str, kind: str, written: str) -> Unit:
        at = text.index(written)
        mention = {"name": name, "type": kind, "start": at, "end": at + len(written), "text": written}
        u = Unit({}, "", "", [], [], "", [])
        record_found(u, {"headings": []}, [{"start": 0, "text": text, "entities": [mention]}], [], set())
        return u

    units = [
        unit("Nordfiber Packaging arrive.", "Nordfiber Packaging", "organisation", "Nordfiber Packaging"),
        unit("L'offre de Nordfiber est meilleure.", "Nordfiber Packaging", "organisation", "Nordfiber"),
        unit("Seul Nordfiber prévoit de convertir la machine.", "Nordfiber", "place", "Nordfiber"),
        unit("Nordfiber promet davantage.", "Nordfiber", "place", "Nordfiber"),
    ]
    catalog = {e["name"]: e["type"] for e in build_catalog(units, [])}
    assert catalog == {"Nordfiber Packaging": "organisation", "Nordfiber": "organisation"}
    # "la marque Hennequin" was a person too: a brand is no one's name
    from gpu_brief.name_words import said_kind

    assert said_kind("sous la marque Hennequin", 15) == "organisation"


def test_a_role_noun_opening_a_sentence_that_names_no_one_stands_for_its_person() -> None:
    """A twenty-third trial: "La préfète a, elle, annoncé la réunion d'un comité de suivi" named no
    one, so "Qu'a annoncé Anne-Sophie Leclerc ?" was answered with what the minister did in the
    sentence naming both. A role noun that introduced a person stands for them in a sentence it
    opens that names no one; a noun of no person ("le royaume") does not, nor a sentence naming
    someone."""
    first = "Accompagnée de la préfète des Vosges, Anne-Sophie Leclerc, elle a visité l'atelier."
    claims = [
        claim(1, first, ("Anne-Sophie Leclerc", first.index("Anne"))),
        claim(2, "La préfète a, elle, annoncé la réunion d'un comité de suivi."),
        claim(3, "La préfète et Hélène Marchal ont quitté le site.", ("Hélène Marchal", 15)),
        claim(4, "Sous son règne, le royaume de Valdemar, Knut Ier, s'étend.", ("Knut Ier", 42)),
        claim(5, "Le royaume entreprend des conquêtes."),
    ]
    got = antecedents(claims)
    assert [[a.name for a in refs] for refs in got] == [[], ["Anne-Sophie Leclerc"], [], [], []]
    text, start = claims[1]["text"], claims[1]["start"]
    assert text[got[1][0].pronoun_start - start : got[1][0].pronoun_end - start] == "La préfète"


def test_a_name_in_a_detached_phrase_before_a_subject_pronoun_is_not_the_subject() -> None:
    """A twenty-fourth trial: after "Accueillie par le maire de Sarrabère, Jean-Marc Ribéra, elle a
    d'abord rencontré les salariés.", "Elle a ensuite annoncé ..." (the minister) was recorded as
    the mayor's. The pronoun after the detached phrase is that sentence's subject: the person the
    sentence before named."""
    second = "Accueillie par le maire de Sarrabère, Jean-Marc Ribéra, elle a d'abord rencontré les salariés."
    claims = [
        claim(
            1,
            "La ministre déléguée, Nathalie Guerrand, s'est rendue jeudi à la station.",
            ("Nathalie Guerrand", 22),
        ),
        claim(2, second, ("Jean-Marc Ribéra", second.index("Jean"))),
        claim(3, "Elle a ensuite annoncé une aide de l'État."),
        # a name opening the sentence is its subject ("Jean Dupont, il ..."): no detached phrase
        claim(4, "Paul Martin, il le sait, attendra.", ("Paul Martin", 0)),
        claim(5, "Il a voté contre."),
        # an impersonal "il", negated too, refers to nobody (PIAF: "Selon Claude Gautier, ..., il n'y a pas")
        claim(6, "Selon Claude Gautier, inspiré de Hume, il n’y a pas de fanatisme.", ("Claude Gautier", 6)),
        claim(7, "Il ne faut pas l'oublier."),
    ]
    assert [[a.name for a in refs] for refs in antecedents(claims)] == [
        [],
        ["Nathalie Guerrand"],
        ["Nathalie Guerrand"],
        [],
        ["Paul Martin"],
        [],
        [],
    ]


def test_a_role_and_its_complement_are_no_name() -> None:
    """A twenty-fifth trial: "Porte-parole des bateliers grévistes" was an organisation; a title
    with a capitalised name after it is still one ("Général de Gaulle", "maréchal Soult")."""
    texts = [
        "Le maréchal Soult et le duc d'Orléans sont venus.",
        "Porte-parole des bateliers grévistes, elle a parlé.",
        "Le Général de Gaulle a parlé.",
        "La Chambre nationale de la batellerie artisanale a voté.",
    ]
    ner = [
        spans(texts[0], ("maréchal Soult", "person"), ("duc d'Orléans", "person")),
        spans(texts[1], ("Porte-parole des bateliers grévistes", "organisation")),
        spans(texts[2], ("Général de Gaulle", "person")),
        spans(texts[3], ("Chambre nationale de la batellerie artisanale", "place")),
    ]
    found = [merge([text], [[]], [s], set())[0] for text, s in zip(texts, ner, strict=True)]
    assert [[(f.name, f.type) for f in names] for names in found] == [
        [("maréchal Soult", "person"), ("duc d'Orléans", "person")],
        [],
        [("Général de Gaulle", "person")],
        [("Chambre nationale de la batellerie artisanale", "organisation")],  # its head says so
    ]
