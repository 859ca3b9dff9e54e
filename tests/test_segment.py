"""Segmentation: sentences, headings and boilerplate, with offsets that slice the text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gpu_brief.segment import boilerplate_reason, hard_wrapped, segment, split_sentences


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in segment(text).sentences]


def test_guillemets_keep_reported_speech_in_one_sentence() -> None:
    text = (
        "Il déclare explicitement\u00a0: «\u2009Je pense que nous sommes à la fin de l’ère des modèles "
        "géants. Nous les améliorerons par d’autres moyens\u2009». Selon lui, c'est tout."
    )
    assert sentences(text) == [
        "Il déclare explicitement\u00a0: «\u2009Je pense que nous sommes à la fin de l’ère des modèles géants. "
        "Nous les améliorerons par d’autres moyens\u2009».",
        "Selon lui, c'est tout.",
    ]


def test_a_quote_opening_a_sentence_closes_inside_it() -> None:
    text = "« Je pense qu’on s’est trop concentré sur le nombre de paramètres » a-t-il déclaré. Fin."
    assert sentences(text)[0].endswith("a-t-il déclaré.")


def test_an_unmatched_quote_does_not_swallow_the_paragraph() -> None:
    text = 'Je ne serais pas surpris." Deuxième phrase ici. Troisième.'
    assert len(sentences(text)) == 3


def test_numbers_with_spaces_and_decimal_commas_do_not_split() -> None:
    text = "Ils coûtent jusqu’à 30\u2009603\u00a0$ l’unité. Le modèle coûte 2,50 $ et 48,1 milliards. Fin."
    assert len(sentences(text)) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("OpenAI a lancé GPT-4.5, mais pas partout. Fin.", 2),
        ("une entreprise d’IA dénommée X. AI. Selon VentureBeat, oui.", 2),
        ("sera d'au moins 520 000 $ US. Un analyste INSIDER a estimé le coût.", 2),
        ("M. Dupont est venu. Il est reparti.", 2),
        ("Voir thanhnien.vn pour plus. Fin.", 2),
    ],
)
def test_dots_that_are_not_sentence_ends(text: str, expected: int) -> None:
    assert len(sentences(text)) == expected


def test_dotted_name_stays_inside_its_sentence() -> None:
    got = sentences("Elon Musk a commandé 10 000 GPU pour X. AI. Selon VentureBeat, c'est massif.")
    assert got[0] == "Elon Musk a commandé 10 000 GPU pour X. AI."


def test_missing_space_after_a_full_stop_still_splits() -> None:
    got = sentences("une puce répondant aux exigences.C'est la difficulté des puces.")
    assert got == ["une puce répondant aux exigences.", "C'est la difficulté des puces."]


def test_space_before_punctuation_is_kept_in_the_sentence() -> None:
    got = sentences("Selon TomsHardware , le PDG a parlé. Puis rien .")
    assert got == ["Selon TomsHardware , le PDG a parlé.", "Puis rien ."]


def test_lowercase_after_a_stop_is_not_a_new_sentence() -> None:
    assert len(sentences("compatible avec Meta. de l'IA sous son égide.")) == 1


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("PHOTO : CAPTURE D'ÉCRAN DE TECHPOWERUP", "photo-credit"),
        ("Crédit 123RF", "photo-credit"),
        ("Crédit photo Reuters", "photo-credit"),
        ("Photo REUTERS/Benoit Tessier", "photo-credit"),
        ("© AFP", "photo-credit"),
        ("Illustration : Shutterstock", "photo-credit"),
        # a bank's name is no credit line, nor is a caption
        ("Crédit Rhodanien : un troisième trimestre porté par la banque de détail", None),
        ("Crédit Agricole : le bénéfice bondit de 12 %", None),
        ("Crédit Mutuel Arkéa cède sa filiale", None),
        ("Images de la manifestation", None),
        ("image.png", "image-file"),
        ("Comment (0)", "comments"),
        ("Laisser un commentaire", "comments"),
        (
            "Ce site utilise Akismet pour réduire les indésirables. En savoir plus sur comment les données "
            "de vos commentaires sont utilisées.",
            "comments",
        ),
        (
            "# Bienvenue pour suivre le compte public officiel WeChat d'aifaner : aifaner (ID WeChat : ifanr).",
            "social-footer",
        ),
        ("Ai Faner | Lien original · Voir les commentaires · Sina Weibo", "social-footer"),
        # a Markdown heading with one word of a footer is a title (a trial's headline was skipped)
        ("# Le département de l'Ariège hésite à suivre la SEM du Pla d'Estibère", None),
        (
            "lire:Intelligence artificielle : ChatGPT, peut maintenant chercher des données sur Internet.",
            "related-link",
        ),
        ("À lire aussi : les puces", "related-link"),
        ("Contenu", "navigation"),
        ("Source : https://thanhnien.vn/article.htm", "source-url"),
        ("Par Sophie Marchand, le 3 mars 2026", "byline"),
        ("By Jane Doe | Reuters", "byline"),
        ("Propos recueillis par Anne Martin", "byline"),
        ("\ufeffPar Sophie Marchand, le 3 mars 2026", "byline"),  # a BOM before it
        # a place and a date alone on their line (a trial's were headings, or a claim)
        ("Nyons, le 12 mars 2025.", "dateline"),
        ("Pierrelatte, le 9 septembre 2025", "dateline"),
        ("*Buis-les-Baronnies, le 4 avril 2025*", "dateline"),
        ("**Saint-Maurice-sur-Eygues, le 22 mai 2025** — Par Julien Arnaud", "dateline"),
        ("Le Puy-en-Velay, le 1er mai 2024", "dateline"),
        ("PARIS (AFP), le 3 mai", "dateline"),
        ("London, May 4, 2025", "dateline"),
        # a dateline that runs into the article's first sentence is content
        ("Valence, le 18 juin 2025 - Le préfet de la Drôme a signé mardi un arrêté.", None),
        ("Paris, le 3 mars, les grévistes ont défilé", None),
        ("Washington, le 3 mai 2024 — Les marchés ont chuté", None),
        # "Par" opening a headline or a sentence is no byline
        ("Par 50 voix contre 12, le conseil adopte le budget", None),
        ("Par ailleurs, le maire a annoncé sa candidature", None),
        ("Par décision du Conseil d'État, le projet est suspendu", None),
    ],
)
def test_boilerplate_lines_are_recognised(line: str, reason: str | None) -> None:
    assert boilerplate_reason(line) == reason


def test_real_sentences_mentioning_social_networks_are_not_boilerplate() -> None:
    line = "Le PDG a annoncé sur la plateforme X (anciennement Twitter) que le lancement est reporté."
    assert boilerplate_reason(line) is None


def test_caption_before_a_credit_is_skipped_and_headings_are_kept_apart() -> None:
    text = "Titre de l’article\n\nUne phrase. Une autre.\n\nGPU\nCrédit 123RF\n\nIntertitre\n\nFin du texte."
    seg = segment(text)
    assert seg.title is not None and text[seg.title.start : seg.title.end] == "Titre de l’article"
    assert [text[h.start : h.end] for h in seg.headings] == ["Titre de l’article", "Intertitre"]
    assert [(text[k.start : k.end], k.reason) for k in seg.skipped] == [
        ("GPU", "caption"),
        ("Crédit 123RF", "photo-credit"),
    ]
    assert sentences(text) == ["Une phrase.", "Une autre.", "Fin du texte."]


def test_source_url_is_recorded() -> None:
    seg = segment("Une phrase.\nSource : https://example.org/a.htm\n")
    assert seg.url == "https://example.org/a.htm"


def test_crlf_offsets_slice_the_text_as_read() -> None:
    text = "Première phrase.\r\nDeuxième phrase. Troisième.\r\n"
    seg = segment(text)
    assert [text[s.start : s.end] for s in seg.sentences] == [
        "Première phrase.",
        "Deuxième phrase.",
        "Troisième.",
    ]
    assert [s.line for s in seg.sentences] == [1, 2, 2]


def test_bom_is_not_part_of_a_sentence() -> None:
    text = "\ufeffUne phrase complète ici."
    assert sentences(text) == ["Une phrase complète ici."]


# --- the seeds -------------------------------------------------------------------------------

EXPECTED_CLAIMS = {
    "000_d8502b6f6bccabaa.txt": 19,
    "001_6ce2a5385cf9571f.txt": 19,
    "002_e1a2d2aab521faef.txt": 38,
    "003_9bd70b1a36d343ca.txt": 31,
    "004_691febe3b6f04adc.txt": 17,
}


def test_seed_sentence_counts_are_the_hand_counted_ones(seed_texts: dict[str, str]) -> None:
    assert {name: len(segment(t).sentences) for name, t in seed_texts.items()} == EXPECTED_CLAIMS


def test_every_character_of_the_seeds_is_in_exactly_one_span(seed_texts: dict[str, str]) -> None:
    for text in seed_texts.values():
        seg = segment(text)
        spans = sorted((s.start, s.end) for s in [*seg.sentences, *seg.headings, *seg.skipped])
        covered = [False] * len(text)
        for a, b in spans:
            assert not any(covered[a:b]), "spans overlap"
            covered[a:b] = [True] * (b - a)
        uncovered = "".join(ch for ch, c in zip(text, covered, strict=False) if not c)
        assert uncovered.strip() == "", f"text outside every span: {uncovered.strip()[:80]!r}"


def test_no_sentence_of_the_seeds_crosses_a_line(seed_texts: dict[str, str]) -> None:
    for text in seed_texts.values():
        for s in segment(text).sentences:
            assert "\n" not in text[s.start : s.end]


# --- properties ------------------------------------------------------------------------------

french_text = st.text(
    alphabet=st.sampled_from(list("abcdeéèàçœ ABCÉ.!?…«»\"’'-,;:0123456789\u00a0\u2009\n\r$%()")),
    max_size=400,
)


@given(french_text)
def test_spans_slice_the_text_and_never_overlap(text: str) -> None:
    seg = segment(text)
    spans = sorted((s.start, s.end) for s in [*seg.sentences, *seg.headings, *seg.skipped])
    previous = 0
    for a, b in spans:
        assert previous <= a < b <= len(text)
        assert text[a:b] == text[a:b].strip() or text[a:b].strip("\ufeff\u200b") == text[a:b]
        assert "\n" not in text[a:b] or hard_wrapped(text)  # a wrapped paragraph's sentences may
        previous = b
    for s in [*seg.sentences, *seg.headings, *seg.skipped]:
        assert s.line == text.count("\n", 0, s.start) + 1  # the line each starts on


@given(st.text(max_size=300))
def test_any_unicode_segments_without_error(text: str) -> None:
    seg = segment(text)
    for s in seg.sentences:
        assert 0 <= s.start < s.end <= len(text)


@given(st.text(alphabet=st.characters(blacklist_characters="\n\r"), max_size=200))
def test_split_sentences_covers_the_line(line: str) -> None:
    pieces = split_sentences(line)
    joined = "".join(line[a:b] for a, b in pieces)
    assert (
        "".join(line.split())
        .replace("\ufeff", "")
        .startswith("".join(joined.split()).replace("\ufeff", "")[:0])
    )
    assert len("".join(joined.split())) == len(
        "".join(c for c in line if not (c.isspace() or c in "\ufeff\u200b\u200c\u200d\u2060"))
    )


def test_a_markdown_heading_marker_is_no_part_of_the_heading() -> None:
    # `sources` showed "# Saint-Émilion ..." as the title, the briefing "\# ..."
    text = "# Vendanges 2027\n\n## La récolte\n\nLa récolte baisse de 18 %. Elle reste bonne.\n#hashtag en tête.\n"
    result = segment(text)
    assert [text[h.start : h.end] for h in result.headings] == ["Vendanges 2027", "La récolte"]
    assert result.title is not None and text[result.title.start : result.title.end] == "Vendanges 2027"
    assert text[result.sentences[-1].start : result.sentences[-1].end] == "#hashtag en tête."


def test_list_items_are_claims_without_their_bullet() -> None:
    # a trial's sales by region were stored as headings: "ventes au Japon" found nothing
    text = (
        "Maison Verlaine : les ventes freinées\n\nVoici la répartition des ventes :\n\n"
        "- Europe : 1,62 milliard d'euros (+3 %)\n• Japon : 0,58 milliard d'euros (+9 %)\n"
        "* Reste du monde\n\n## Perspectives\n\nLe groupe reste prudent.\n"
    )
    result = segment(text)
    assert [text[h.start : h.end] for h in result.headings] == [
        "Maison Verlaine : les ventes freinées",
        "Perspectives",
    ]
    assert [text[s.start : s.end] for s in result.sentences] == [
        "Voici la répartition des ventes :",
        "Europe : 1,62 milliard d'euros (+3 %)",
        "Japon : 0,58 milliard d'euros (+9 %)",
        "Reste du monde",
        "Le groupe reste prudent.",
    ]


def test_a_headline_naming_a_bank_is_its_title() -> None:
    text = (
        "Crédit Rhodanien : un troisième trimestre porté par la banque de détail\n\nLe bénéfice progresse.\n"
    )
    result = segment(text)
    assert result.title is not None
    assert text[result.title.start : result.title.end].startswith("Crédit Rhodanien")
    assert result.skipped == []


def test_a_long_headline_is_still_the_title() -> None:
    # a trial's court-case headline (17 words) was a sentence, and its source had no title
    headline = "Annecy : cinq ans de prison requis contre un ancien notaire accusé d'avoir détourné 1,7 million d'euros"
    text = headline + "\n\nLe procès s'est ouvert lundi. Il a duré trois jours\n"
    result = segment(text)
    assert result.title is not None and text[result.title.start : result.title.end] == headline
    # further down, a line as long is a claim, not a heading
    assert len(segment("Titre\n\n" + headline + "\n").headings) == 1


def test_boilerplate_words_are_read_from_the_resource_file() -> None:
    """Knowledge is data: the lines a page adds are listed in `boilerplate.yaml`, not in the
    Python, and every word listed there is known."""
    import ast
    from pathlib import Path

    import yaml

    from gpu_brief import boilerplate
    from gpu_brief import segment as module

    path = Path(module.__file__)
    words = yaml.safe_load((path.parent / "resources" / "lang" / "boilerplate.yaml").read_text("utf-8"))
    listed = {*words["navigation"], *words["social"]["words"].split(), *words["dateline"]}
    literals = {
        node.value
        for code in (path, Path(boilerplate.__file__))
        for node in ast.walk(ast.parse(code.read_text("utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert not {w for w in listed if any(w in lit.split() for lit in literals)}
    assert frozenset(words["abbreviations"].split()) == module.ABBREVIATIONS
    assert all(boilerplate_reason(w.capitalize()) == "navigation" for w in words["navigation"])
    assert all(boilerplate_reason(f"{w} le 3 mars 2026") == "dateline" for w in words["dateline"])


def test_a_hard_wrapped_paragraph_is_one_paragraph() -> None:
    """A thirteenth trial: an article wrapped at 72 columns made 41 claims and 9 headings ("Le",
    "Transports.", a line starting with a capital taken for a heading) where its unwrapped copy
    made 20 and 1: a full line runs on to the next one. Each sentence keeps the line it starts on."""
    wrapped = (
        "Trains : six mois de retard\n\n"
        "Orléans, le 6 novembre 2025 — De notre correspondante, Anne Rivaud\n\n"
        "Coup dur pour le plan hydrogène de la Région Centre-Val de Loire. Le\n"
        "constructeur Ferrovia Industries a informé mardi 4 novembre l'exécutif\n"
        "régional que la livraison était repoussée. Le directeur, Thierry Vasseur, a\n"
        "Transports.\n\n"
        "- premier point de la liste\n"
        "- second point\n"
    )
    seg = segment(wrapped)
    got = [(wrapped[s.start : s.end], s.line) for s in seg.sentences]
    assert got == [
        ("Coup dur pour le plan hydrogène de la Région Centre-Val de Loire.", 5),
        ("Le\nconstructeur Ferrovia Industries a informé mardi 4 novembre l'exécutif\nrégional que la "
         "livraison était repoussée.", 5),
        ("Le directeur, Thierry Vasseur, a\nTransports.", 7),
        ("premier point de la liste", 10),  # list items stay one a line
        ("second point", 11),
    ]  # fmt: skip
    assert [wrapped[h.start : h.end] for h in seg.headings] == ["Trains : six mois de retard"]
    assert [s.reason for s in seg.skipped] == ["dateline"]  # "De notre correspondante, X"
    # an article of one paragraph a line (the seeds, PIAF) is not hard-wrapped
    assert not hard_wrapped("Titre\n\n" + "Une phrase assez longue pour remplir une ligne. " * 4 + "\nFin.\n")


def test_a_table_row_with_a_dot_leader_is_one_claim() -> None:
    """A thirteenth trial: "Avis défavorables .............. 68 %" made two claims, the label
    and "68 %" (the dots ended a sentence), so "what share was unfavourable?" answered "Avis"."""
    text = "Bilan\n\nAvis défavorables .............. 68 %\nPermanences tenues ............. 14\n"
    seg = segment(text)
    assert [text[s.start : s.end] for s in seg.sentences] == [
        "Avis défavorables .............. 68 %",
        "Permanences tenues ............. 14",
    ]
    line = "Il attend... Puis il part."  # three dots are an ellipsis, a sentence end
    assert [line[a:b] for a, b in split_sentences(line)] == ["Il attend...", "Puis il part."]


def test_claims_under_a_byline_keep_their_title_as_heading() -> None:
    # the byline was a heading: the sentences under it took it for their heading, and lost the
    # title's words ("Cahors", "hôpital") from their index terms
    text = (
        "Cahors : le nouvel hôpital de la vallée du Lot ouvre ses portes\n"
        "Par Sophie Marchand, le 3 mars 2026\n\n"
        "Le nouvel établissement compte 412 lits, dont 24 en réanimation.\n"
    )
    seg = segment(text)
    assert seg.title is not None and text[seg.title.start : seg.title.end].startswith("Cahors")
    assert [text[h.start : h.end] for h in seg.headings] == [text[seg.title.start : seg.title.end]]
    assert [s.reason for s in seg.skipped] == ["byline"]


def test_a_markdown_tables_rows_are_claims_its_header_a_heading_its_rule_skipped() -> None:
    """A seventeenth trial's pipe table became seven headings: its figures ("4,1 M€") were in no
    claim, and NER made "Stölzner Glas |" a person."""
    text = (
        "Deux offres ont été déposées.\n\n"
        "| Critère | SCOP | Stölzner Glas |\n"
        "|---|:---:|---|\n"
        "| Emplois conservés | 148 | 95 |\n"
        "| Investissements sur trois ans | 4,1 M€ | 11 M€ |\n"
    )
    seg = segment(text)
    assert [text[s.start : s.end] for s in seg.sentences] == [
        "Deux offres ont été déposées.",
        "Emplois conservés | 148 | 95",
        "Investissements sur trois ans | 4,1 M€ | 11 M€",
    ]
    assert [text[h.start : h.end] for h in seg.headings] == ["Critère | SCOP | Stölzner Glas"]
    assert [(s.reason, text[s.start : s.end]) for s in seg.skipped] == [("table-rule", "|---|:---:|---|")]
    assert [s.line for s in seg.sentences] == [1, 5, 6]


def test_a_tables_rows_know_their_header_and_its_column_units_give_figures_theirs() -> None:
    """A nineteenth trial: "État | 78 | 25 %" under "Montant (M€)" was the quantity 78, so "how
    much does the State pay" found no money in the table."""
    from gpu_brief.figures import column_units, find_figures

    text = (
        "| Financeur | Montant (M€) | Part | Trafic (en EVP) |\n"
        "|---|---|---|---|\n"
        "| État | 78 | 25 % | 480 000 |\n"
        "| Région | 46,8 | 15 % | 2024 |\n\n"
        "| Autre | 12 |\n"
    )
    seg = segment(text)
    header = seg.headings[0]
    rows = [s for s in seg.sentences if s.start in seg.columns]
    assert [text[s.start : s.end] for s in rows] == [
        "État | 78 | 25 % | 480 000",
        "Région | 46,8 | 15 % | 2024",
    ]
    assert all(seg.columns[s.start] == header for s in rows)
    got = []
    for s in rows:
        row = text[s.start : s.end]
        for f in column_units(find_figures(row), row, text[header.start : header.end]):
            assert row[f.start : f.end] == f.text  # the cell's own text and offsets
            got.append((f.text, f.kind, f.value, f.unit, f.counts))
    assert got == [
        ("78", "money", 78_000_000.0, "€", None),
        ("25 %", "percent", 25.0, "%", None),
        ("480 000", "count", 480_000.0, None, "EVP"),
        ("46,8", "money", 46_800_000.0, "€", None),
        ("15 %", "percent", 15.0, "%", None),
        ("2024", "count", 2024.0, None, "EVP"),  # under "(en EVP)": a count, not a year
    ]
    assert find_figures("x | 12") == column_units(find_figures("x | 12"), "x | 12", "")  # no header: as found


def test_a_table_row_label_gives_its_bare_numbers_a_unit_and_small_values_are_kept() -> None:
    """A twentieth trial: in "Rabattement de la nappe (m) | 3 | 12" under a header of names, the
    3 was no figure (prose leaves numbers under ten out) and neither number measured metres."""
    from gpu_brief.figures import column_units, find_figures

    header = "Indicateur | Lithoria | Contre-expertise"
    got = []
    for row in ("Rabattement de la nappe (m) | 3 | 12", "Part recyclée (%) | 70 | 55", "Emplois | 4 | 12"):
        for f in column_units(find_figures(row), row, header):
            assert row[f.start : f.end] == f.text
            got.append((f.text, f.kind, f.value, f.counts or f.unit))  # "(m)": a unit of measure
    assert got == [
        ("3", "quantity", 3.0, "m"),
        ("12", "quantity", 12.0, "m"),
        ("70", "percent", 70.0, "%"),
        ("55", "percent", 55.0, "%"),
        ("12", "quantity", 12.0, None),  # no unit anywhere: as found, and 4 left out as in prose
    ]


def test_a_dateline_opening_a_paragraph_is_skipped_not_part_of_its_first_sentence() -> None:
    """A nineteenth trial: "Brévannes-sur-Mer, le 9 avril 2025 — À marée basse, ..." kept the
    dispatch's place and date in its first claim (a dateline alone on its line was skipped)."""
    text = (
        "La vasière de la Pointe du Grouin\n\n"
        "Brévannes-sur-Mer, le 9 avril 2025 — À marée basse, la vasière s'étend sur 38 hectares. "
        "Les barges y font halte.\n\n"
        "Lyon, capitale des Gaules, accueille le congrès.\n"
    )
    seg = segment(text)
    assert [text[s.start : s.end] for s in seg.sentences] == [
        "À marée basse, la vasière s'étend sur 38 hectares.",
        "Les barges y font halte.",
        "Lyon, capitale des Gaules, accueille le congrès.",
    ]
    assert [(s.reason, text[s.start : s.end]) for s in seg.skipped] == [
        ("dateline", "Brévannes-sur-Mer, le 9 avril 2025 —")
    ]
    assert seg.sentences[0].line == 3
    # a ligature after the date ("cœur" folds to "coeur", one character longer) changes nothing
    text = "Le port\n\nParis, le 3 mai 2025 — Le cœur du projet reste le quai.\n"
    seg = segment(text)
    assert [text[s.start : s.end] for s in seg.sentences] == ["Le cœur du projet reste le quai."]
    assert [(s.reason, text[s.start : s.end]) for s in seg.skipped] == [
        ("dateline", "Paris, le 3 mai 2025 —")
    ]


@pytest.mark.parametrize(
    "paragraph",
    [
        # in emphasis, as an interview writes it
        "*Sarrabère, le 27 février 2026* — Directrice générale de la SEM, elle répond.",
        # hard-wrapped: the paragraph runs on to the next line
        "Sarrabère, le 27 février 2026 — Directrice générale de la SEM,\nelle répond.",
    ],
)
def test_a_dateline_in_emphasis_or_in_a_wrapped_paragraph_is_skipped(paragraph: str) -> None:
    """A twenty-fourth trial: both datelines stayed in their paragraph's first claim."""
    text = f"Le titre\n\n{paragraph}\n"
    seg = segment(text)
    assert [s.reason for s in seg.skipped] == ["dateline"]
    assert text[seg.sentences[0].start :].startswith("Directrice générale")


def test_an_articles_first_line_asking_a_question_is_its_headline() -> None:
    """A nineteenth trial's 14-word headline ending on "?" was a claim, and its file had no title."""
    text = (
        "La vasière de la Pointe du Grouin, dernier refuge des barges à queue noire ?\n\n"
        "Les ornithologues comptent 1 200 oiseaux.\n"
    )
    seg = segment(text)
    assert [text[h.start : h.end] for h in seg.headings][:1] == [text.split("\n")[0]]
    assert [text[s.start : s.end] for s in seg.sentences] == ["Les ornithologues comptent 1 200 oiseaux."]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("*Propos recueillis par Lucie Hamelin*", "byline"),  # emphasis around a byline
        ("_Par Jean Dupont_", "byline"),
        ("*Le texte est en italique.*", None),
    ],
)
def test_markdown_emphasis_around_a_line_is_no_part_of_it(line: str, reason: str | None) -> None:
    assert boilerplate_reason(line) == reason


def test_a_paragraph_wrapped_in_emphasis_loses_its_markers() -> None:
    """An eighteenth trial's Markdown interview: "**Le conseil ... majorité. Est-ce une victoire
    ?**" became two claims each holding half of the markup (and one was quoted in a briefing),
    "**Le campus de Vierzon va-t-il fermer ?**" a heading with its asterisks."""
    text = (
        "# Entretien\n\n**Le conseil a voté la fusion. Est-ce une victoire ?**\n\n"
        "Ce n'est pas une victoire.\n\n__Le campus va-t-il fermer ?__\n\n"
        "**Pourquoi ne pas avoir organisé un référendum, comme le demandent les syndicats ?**\n\n"
        "Un **mot** en gras et **un autre**.\n\n*Tout un paragraphe en italique. Il dit deux choses.*\n"
    )
    result = segment(text)
    assert [text[s.start : s.end] for s in result.sentences] == [
        "Le conseil a voté la fusion.",
        "Est-ce une victoire ?",
        "Ce n'est pas une victoire.",
        "Un **mot** en gras et **un autre**.",  # emphasis inside: as written
        "Tout un paragraphe en italique.",
        "Il dit deux choses.",
    ]
    assert [text[s.start : s.end] for s in result.headings] == [
        "Entretien",
        "Le campus va-t-il fermer ?",
        # a question of 13 words, in emphasis: a heading, as it was with its markers
        "Pourquoi ne pas avoir organisé un référendum, comme le demandent les syndicats ?",
    ]


def test_a_quotation_ending_a_sentence_ends_it_when_a_new_one_follows() -> None:
    """A twenty-first trial: "... : « ... de moitié. » Elle estime qu'il faudra attendre 2033 ..."
    was one claim, and its second sentence's year answered a question about the first's speaker."""
    line = (
        "Elle rappelle : « Les exonérations réduisent la taxe de moitié. » Elle estime qu'il faudra attendre."
    )
    assert [line[a:b] for a, b in split_sentences(line)] == [
        "Elle rappelle : « Les exonérations réduisent la taxe de moitié. »",
        "Elle estime qu'il faudra attendre.",
    ]
    for one in ("« Vous allez boire. », a-t-elle lancé.", "« C'est fini. » a dit Paul.", "« Non. »"):
        assert [one[a:b] for a, b in split_sentences(one)] == [one]
