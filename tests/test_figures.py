"""Figures: every number of the seeds, with its unit and value (hand-checked list)."""

from __future__ import annotations

import pytest
import yaml

from conftest import DATA
from gpu_brief.figures import find_figures, parse_number

CHECKED = yaml.safe_load((DATA / "figures.yaml").read_text(encoding="utf-8"))["figures"]


def same_value(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


@pytest.mark.parametrize("ref", CHECKED, ids=[f"{f['source'][:3]}:{f['text']}" for f in CHECKED])
def test_every_checked_figure_is_in_the_claims(ref, claims_file) -> None:  # type: ignore[no-untyped-def]
    figures = [f for c in claims_file.claims if c.source == ref["source"] for f in c.figures]
    overlapping = [f for f in figures if f.start < ref["end"] and ref["start"] < f.end]
    assert any(same_value(f.value, ref["value"]) for f in overlapping), overlapping


@pytest.mark.parametrize(
    ("text", "value", "unit", "kind"),
    [
        ("qui coûte 20 $ par mois.", 20, "$", "money"),
        ("jusqu’à 30\u2009603\u00a0$ l’unité", 30603, "$", "money"),
        ("environ 48,1 milliards de dollars de GPU", 48.1e9, "$", "money"),
        ("dominé à plus de 80\u00a0% par Nvidia", 80, "%", "percent"),
        ("un projet de centre de données de 3 GW (gigawatts)", 3, "GW", "power"),
        ("4 cents (environ 0,29 yuans)", 4, "cents", "money"),
        ("d'au moins 520 000 $ US.", 520000, "$", "money"),
        ("plus de cinq ans pour développer", 5, "ans", "duration"),
        ("a cost of $2.5bn", 2.5e9, "$", "money"),
    ],
)
def test_figures_are_parsed_with_value_and_unit(text: str, value: float, unit: str, kind: str) -> None:
    first = find_figures(text)[0]
    assert (first.value, first.unit, first.kind) == (pytest.approx(value), unit, kind)
    assert text[first.start : first.end] == first.text


def test_ranges_keep_both_ends() -> None:
    f = find_figures("de 1,5 à 2 millions d’unités en 2024")[0]
    assert (f.value, f.value_max, f.counts) == (1.5e6, 2e6, "unités")


def test_counts_say_what_they_count() -> None:
    f = find_figures("plus de 10\u2009000\u00a0GPU et 13 millions de visiteurs uniques")
    assert [(x.value, x.counts, x.qualifier) for x in f] == [
        (10000, "GPU", "plus de"),
        (13e6, "visiteurs uniques", None),
    ]


def test_a_qualifier_is_a_whole_word() -> None:
    # a twentieth trial: "auprès de 412 foyers" was "près de 412": an approximation never made
    f = find_figures("une enquête auprès de 412 foyers, près de 30 % des sondés")
    assert [(x.text, x.qualifier) for x in f] == [("412 foyers", None), ("30 %", "près de")]


def test_a_year_after_entre_or_a_season_is_a_year() -> None:
    # a twentieth trial (and PIAF's "durant l'été 2005", "Entre 1941 et 2006"): quantities
    f = find_figures("Entre 1941 et 2006, puis durant l'été 2022 et au printemps 2023 ; 2024 salariés")
    assert [(x.text, x.kind) for x in f] == [
        ("1941", "year"),
        ("2006", "year"),
        ("2022", "year"),
        ("2023", "year"),
        ("2024 salariés", "count"),
    ]


def test_a_rate_written_with_a_slash_keeps_it() -> None:
    # "25 km/h" was the figure "25 km": a distance where the article gave a speed
    f = find_figures("Le train roule à 25 km/h, contre 10 Go/s par câble et 200 visiteurs par jour.")
    assert [(x.text, x.counts, x.per) for x in f] == [
        ("25 km/h", None, "/h"),  # a quantity in km (`measure_units`), per hour
        ("10 Go/s", "Go", "/s"),
        ("200 visiteurs", "visiteurs", None),
    ]


def test_energy_is_told_from_power_and_its_unit_keeps_its_case() -> None:
    # "89 TWh" was power, spelt "TWH"; "2 térawattheures" was a count of "térawattheures"
    f = find_figures("La France a exporté 89 TWh, un parc de 250 mégawatts et 2 térawattheures, 3 kWh.")
    assert [(x.text, x.kind, x.unit) for x in f] == [
        ("89 TWh", "energy", "TWh"),
        ("250 mégawatts", "power", "MW"),
        ("2 térawattheures", "energy", "TWh"),
        ("3 kWh", "energy", "kWh"),
    ]


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("La production a été multipliée par trois depuis 2019.", [("2019", None)]),  # not "trois depuis"
        ("Le réacteur numéro 2 de la centrale a redémarré.", []),  # not "2 de la centrale"
        ("Quatre autres candidats ont postulé.", [("Quatre autres candidats", "autres candidats")]),
        # what follows the adjective is what counts: nothing here
        ("Les deux premiers d'entre eux ont signé.", []),
        ("Il a classé 100 premières dont 4 dans le top 10.", [("100", None), ("10", None)]),
        # a twelfth trial: "another figure: 148 millions lors" (counting "lors")
        (
            "Il est estimé à 156 millions d'euros, contre 148 millions lors du vote.",
            [("156 millions d'euros", None), ("148 millions", None)],
        ),
    ],
)
def test_what_follows_a_number_is_what_it_counts_only_when_it_is_a_noun(text: str, figures: list) -> None:
    assert [(x.text, x.counts) for x in find_figures(text)] == figures


def test_l_an_dernier_is_a_date_not_a_rate() -> None:
    f = find_figures("Le club a dépensé 9 millions d'euros l'an dernier, pour 50 000 euros l'an.")
    assert [(x.text, x.per) for x in f] == [("9 millions d'euros", None), ("50 000 euros l'an", "l'an")]


def test_product_names_and_urls_are_not_figures() -> None:
    assert find_figures("GPT-4.5, GPT-40, H100 et 123RF sur thanhnien.vn/185250301222736674.htm") == []


def test_a_day_of_a_month_is_not_a_count() -> None:
    found = [(f.text, f.kind) for f in find_figures("Le 14 mars, la banque fermera 45 agences sur 180.")]
    assert found == [("45 agences", "count"), ("180", "quantity")]
    assert [f.kind for f in find_figures("Née le 1er janvier 1990, elle a 3 juillet.")] == ["year"]


def test_a_unit_of_time_that_starts_a_compound_is_no_duration() -> None:
    # "40 années-lumière" is a distance: cut at "années" it answered "40 années"
    found = [(f.text, f.kind, f.counts) for f in find_figures("à 40 années-lumière de la Terre, en 19 jours")]
    assert found == [("40 années-lumière", "count", "années-lumière"), ("19 jours", "duration", None)]


def test_years_are_years() -> None:
    assert [
        (f.text, f.kind) for f in find_figures("dès 2019, puis en 2024 et dans les années 1990 et 2000")
    ] == [("2019", "year"), ("2024", "year"), ("1990", "year"), ("2000", "year")]


def test_parse_number_reads_french_notation() -> None:
    assert parse_number("10\u202f000") == 10000
    assert parse_number("2,50") == 2.5


def test_a_multiplier_glued_to_a_currency_sign_scales_the_amount() -> None:
    """ "5,2 M€" is the press's 5.2 million euros; "m€" is no million."""
    found = [
        (f.text, f.kind, f.value, f.unit)
        for f in find_figures("Digue du Port ........ 5,2 M€ ; 800 k€ ; 1,3 Md€.")
    ]
    assert found == [
        ("5,2 M€", "money", 5_200_000.0, "€"),
        ("800 k€", "money", 800_000.0, "€"),
        ("1,3 Md€", "money", 1_300_000_000.0, "€"),
    ]


def test_a_signed_figure_keeps_its_sign() -> None:
    """A table's deficit "-3,2 M€" was no figure (its hyphen read as a word's, as in "GPT-4"), so
    an answer could cut it to "3,2 M", a deficit shown as an unsigned amount."""
    found = find_figures("Résultat 2024 | -3,2 M€ | +5,1 M€")
    assert [(f.text, f.value) for f in found[1:]] == [("-3,2 M€", -3_200_000.0), ("+5,1 M€", 5_100_000.0)]
    assert [(f.text, f.value) for f in find_figures("une baisse (−12 %)")] == [("−12 %", -12.0)]
    # a hyphen inside a word or between numbers is no sign
    assert [f.text for f in find_figures("GPT-4 coûte 20 $, du 3-4 mai")] == ["20 $"]


def test_numbers_written_in_words_and_approximate_numbers_are_figures() -> None:
    """A twenty-first trial: "trente-cinq sites" was no figure, so "sites" alone answered "combien
    de jours ?"; "Une centaine de manifestants" gave "centaine" without its article."""
    found = [
        (f.text, f.kind, f.value, f.counts)
        for f in find_figures(
            "Trente-cinq sites et soixante et onze communes ; une centaine de manifestants."
        )
    ]
    assert found == [
        ("Trente-cinq sites", "count", 35.0, "sites"),
        ("soixante et onze communes", "count", 71.0, "communes"),
        ("une centaine de manifestants", "count", 100.0, "manifestants"),
    ]
    assert [(f.text, f.value) for f in find_figures("quatre-vingt-dix jours, dix-huit mois")] == [
        ("quatre-vingt-dix jours", 90.0),
        ("dix-huit mois", 18.0),
    ]
    assert find_figures("la quinzaine commerciale") == []  # "la quinzaine" is an event, not fifteen


def test_a_four_digit_number_counting_nothing_is_a_year() -> None:
    """ "Elle estime qu'il faudra attendre 2033 pour que ..." gave the quantity 2033, which then
    answered "How many indirect jobs ...?"."""
    assert [(f.text, f.kind) for f in find_figures("il faudra attendre 2033 pour que la commune")] == [
        ("2033", "year")
    ]
    assert [(f.text, f.kind) for f in find_figures("avec 1500 personnes")] == [("1500 personnes", "count")]


def test_hours_and_minutes_are_a_duration_and_deux_cents_is_two_hundred() -> None:
    """A twenty-second trial: "Val-Clarens : 94 km, 1 h 52" gave the count "1 h" and the quantity
    "52" (and "2 h 05" lost its minutes), so "Combien de temps faut-il ...?" had no duration to
    give; "à deux cents mètres" was the money "2 cents"."""
    found = [(f.text, f.kind, f.value, f.unit) for f in find_figures("94 km, 1 h 52 ; 2h05 ; pendant 3 h")]
    assert found[1:] == [
        ("1 h 52", "duration", 112.0, "minutes"),
        ("2h05", "duration", 125.0, "minutes"),
        ("3 h", "duration", 3.0, "heures"),
    ]
    for time_of_day in ("La séance reprend à 20 h 30.", "de 5 h à 1 h du matin", "aux alentours de 8h00"):
        assert find_figures(time_of_day) == []  # no figure
    assert [(f.text, f.kind, f.value) for f in find_figures("à deux cents mètres, trois cents euros")] == [
        ("deux cents mètres", "quantity", 200.0),
        ("trois cents euros", "money", 300.0),
    ]
    assert [(f.kind, f.value) for f in find_figures("4 cents par action")] == [("money", 4.0)]


def test_a_year_before_a_smaller_figure_is_no_range() -> None:
    """A twenty-third trial: "passée de 2,1 millions d'euros en 2021 à 6,8 millions d'euros en
    2023" gave money from 2021 to 6,8 millions (2 021 000 000 to 6 800 000 €), so "Quelle est la
    facture de gaz en 2023 ?" answered "2021 à 6,8 millions d'euros"."""
    text = "La facture est passée de 2,1 millions d'euros en 2021 à 6,8 millions d'euros en 2023."
    assert [(f.text, f.kind, f.value, f.value_max) for f in find_figures(text)] == [
        ("2,1 millions d'euros", "money", 2_100_000.0, None),
        ("2021", "year", 2021.0, None),
        ("6,8 millions d'euros", "money", 6_800_000.0, None),
        ("2023", "year", 2023.0, None),
    ]
    # a range that rises stays one: its first number is no year
    assert [(f.kind, f.value, f.value_max) for f in find_figures("de 1800 à 2000 euros")] == [
        ("money", 1800.0, 2000.0)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Luge sur rail de 900 mètres", ("900 mètres", "quantity", 900.0, "m")),
        ("une exploitation de 38 ha", ("38 ha", "quantity", 38.0, "ha")),
        ("3 millions de mètres cubes d'eau", ("3 millions de mètres cubes", "quantity", 3e6, "m³")),
        ("deux kilomètres", ("deux kilomètres", "quantity", 2.0, "km")),
        ("il mesure 1,80 m", ("1,80 m", "quantity", 1.8, "m")),
        ("5 M€", ("5 M€", "money", 5e6, "€")),  # "M" is a million, "m" a metre
    ],
)
def test_a_unit_of_measure_makes_a_quantity_not_a_count(text: str, expected: tuple[object, ...]) -> None:
    """A twenty-fourth trial: "Luge sur rail de 900 mètres" was a count of metres with no unit,
    so "Quelle est la longueur ... ?" had no length to give."""
    assert [(f.text, f.kind, f.value, f.unit) for f in find_figures(text)] == [expected]


def test_a_line_break_inside_a_sentence_is_a_space_for_figures() -> None:
    """A hard-wrapped article: "les 3,6\nmillions attendus" gave no figure, "348\nsignatures" a
    bare quantity."""
    text = "les 3,6\nmillions attendus, une pétition forte de 348\r\nsignatures"
    assert [(f.text, f.kind, f.value) for f in find_figures(text)] == [
        ("3,6\nmillions attendus", "count", 3.6e6),
        ("348\r\nsignatures", "count", 348.0),
    ]


def test_an_elided_word_after_a_number_is_not_cut_at_its_apostrophe() -> None:
    """ "contre moins de 6 000 aujourd'hui" counted "aujourd"."""
    assert [(f.text, f.counts) for f in find_figures("contre moins de 6 000 aujourd'hui")] == [
        ("6 000", None)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a twenty-fifth trial: "Combien de tonnes de céréales en 2025 ?" answered "2025 marqué"
        ("les comptes d'un exercice 2025 marqué par la sécheresse", [("2025", "year", None)]),
        ("un bilan 1998 publié en mars", [("1998", "year", None)]),
        # "par 36" is no rate: the 36 votes were lost
        ("réélu par 36 voix sur 39.", [("36 voix", "count", "voix"), ("39", "quantity", None)]),
        # a fraction counts nothing, and "pendant" is no adjective of what is counted
        ("chargés aux deux tiers pendant cinq semaines", [("cinq semaines", "duration", None)]),
        ("les 58 bateaux et 10 Go", [("58 bateaux", "count", "bateaux"), ("10 Go", "count", "Go")]),
    ],
)
def test_after_two_or_more_a_counted_noun_is_plural(text: str, expected: list[tuple[object, ...]]) -> None:
    assert [(f.text, f.kind, f.counts) for f in find_figures(text)] == expected


def test_a_table_cell_records_its_columns_header() -> None:
    """So that "Tonnage des céréales en 2025 ?" can tell the 2025 cell from the 2024 one."""
    from gpu_brief.figures import column_units

    row, header = "Céréales | 412 000 | 368 000", "Marchandise | Tonnage 2024 | Tonnage 2025"
    got = [(f.text, f.column) for f in column_units(find_figures(row), row, header)]
    assert got == [("412 000", "Tonnage 2024"), ("368 000", "Tonnage 2025")]
    assert [f.column for f in column_units(find_figures("en 2024"), "en 2024", "")] == [None]
