"""The analyzer: folding, French tokens, numbers, names; offsets always slice the input."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from gpu_brief.text import Analyzer, fold, fold_with_map, normalize_number, span_from_folded

ANALYZER = Analyzer()


def test_fold_ignores_case_accents_apostrophes_and_ligatures() -> None:
    assert fold("Électricité") == "electricite"
    assert fold("l’entreprise") == fold("l'entreprise") == "l'entreprise"
    assert fold("cœurs") == "coeurs"
    assert fold("30\u2009603\u00a0$") == "30 603 $"


def test_fold_with_map_points_back_to_original_offsets() -> None:
    text = "Les cœurs d’IA"
    folded, mapping = fold_with_map(text)
    start = folded.index("coeurs")
    a, b = span_from_folded(mapping, start, start + len("coeurs"))
    assert text[a:b] == "cœurs"


def test_both_apostrophes_and_elisions_give_the_same_terms() -> None:
    assert ANALYZER.terms("l’entreprise d’OpenAI") == ANALYZER.terms("l'entreprise d'OpenAI")
    assert ANALYZER.terms("jusqu'à lorsqu'il qu'elle") == []


def test_ligatures_and_accents_are_one_term() -> None:
    assert ANALYZER.terms("cœurs") == ANALYZER.terms("coeurs")
    assert ANALYZER.terms("pénurie") == ANALYZER.terms("Pénuries")


def test_numbers_are_normalised_whatever_the_spaces() -> None:
    assert (
        ANALYZER.terms("10 000")
        == ANALYZER.terms("10\u2009000")
        == ANALYZER.terms("10\u00a0000")
        == ["10000"]
    )
    assert ANALYZER.terms("10000") == ["10000"]
    assert ANALYZER.terms("2,50 $") == ["2.5"]
    assert ANALYZER.terms("48,1 milliards") == ["48.1", "milliard"]
    assert ANALYZER.terms("10,000 GPUs", "en")[0] == "10000"
    assert normalize_number("2.50", "en") == normalize_number("2,50") == "2.5"


def test_product_names_stay_whole() -> None:
    assert ANALYZER.terms("GPT-4.5") == ["gpt-4.5"]
    assert ANALYZER.terms("H100 et GPT-4o") == ["h100", "gpt-4o"]
    assert "gpt-4" in ANALYZER.terms("développer GPT-4.")


def test_names_in_capitals_or_camel_case_are_not_stemmed() -> None:
    assert ANALYZER.terms("OpenAI, ChatGPT et les GPUs") == ["openai", "chatgpt", "gpu"]
    assert Analyzer(surface={"openai": "openai"}).terms("openai") == ["openai"]


def test_third_person_plurals_meet_their_singular() -> None:
    assert ANALYZER.terms("coûtent") == ANALYZER.terms("coûte") == ANALYZER.terms("coût")
    assert ANALYZER.terms("intelligent") != ANALYZER.terms("intellig")


def test_irregular_verbs_meet_their_infinitive() -> None:
    a = Analyzer()
    for forms in (
        "conçoit conçu conçues concevoir",
        "détient détenu détiennent détenir",
        "prévoit prévu prévoient prévoir",
        "produit produisent produire",
        "atteint atteignent atteindre",
    ):
        assert len(set(a.terms(forms))) == 1, forms
    assert a.terms("l'entreprise")[0] != a.terms("entreprendre")[0]  # a company, not a verb


def test_surface_map_repairs_missing_accents() -> None:
    analyzer = Analyzer(surface={"electricite": "electr"})
    assert analyzer.terms("electricite") == ["electr"]


@given(st.text(max_size=300))
def test_token_offsets_slice_the_input(text: str) -> None:
    previous_end = 0
    for token in ANALYZER.tokens(text):
        assert 0 <= token.start < token.end <= len(text)
        assert token.start >= previous_end
        previous_end = token.end
        assert token.term


@given(st.text(alphabet=st.characters(categories=["L", "N", "Zs", "P"]), max_size=200))
@example("A-¼")  # a hyphen part without letters: "¼" alone is no word, so neither is it here
@example("é-ⅷ")
def test_a_token_reanalysed_alone_gives_its_term(text: str) -> None:
    for token in ANALYZER.tokens(text):
        assert ANALYZER.terms(text[token.start : token.end]) == [token.term]


@given(st.text(max_size=200))
def test_fold_with_map_is_consistent_with_fold(text: str) -> None:
    folded, mapping = fold_with_map(text)
    assert folded == fold(text)
    assert len(mapping) == len(folded) + 1
    assert all(0 <= i <= len(text) for i in mapping)


def test_the_users_are_not_the_use() -> None:
    """Snowball stems "utilisateurs" and "utilisation" alike; an agent noun keeps its own term."""
    analyzer = Analyzer()
    assert analyzer.terms("utilisateurs") == analyzer.terms("utilisateur") == analyzer.terms("utilisatrices")
    assert analyzer.terms("utilisateurs") != analyzer.terms("utilisation")
    assert analyzer.terms("accélérateurs") != analyzer.terms("accélération")


def test_a_feminine_agent_noun_meets_its_masculine() -> None:
    """A twenty-third trial: "chief financial officer" is "directeur financier" in the lexicon and
    the article wrote "directrice financière": Snowball stems "directric" and "directeur"."""
    a = Analyzer()
    for feminine, masculine in (
        ("directrice", "directeur"),
        ("actrices", "acteur"),
        ("électrice", "électeur"),
    ):
        assert a.terms(feminine) == a.terms(masculine)


@given(
    st.lists(
        st.sampled_from(
            ["GPU", "H100", "4.5", "10 000", "coûtent", "Jean-Christophe", "l'OpenAI", "2,50", " ", ", ", "."]
        ),
        max_size=12,
    )
)
def test_a_word_analysed_again_gives_what_a_fresh_analyzer_gives(parts: list[str]) -> None:
    """The analyzer keeps each word's pieces; the same text gives the same tokens, cached or not."""
    text = "".join(parts)
    warm = Analyzer()
    warm.tokens(text)
    for lang in ("fr", "en"):
        assert warm.tokens(text, lang) == Analyzer().tokens(text, lang)


@given(st.text(max_size=200))
def test_fold_by_table_is_fold_character_by_character(text: str) -> None:
    # fold translates through a table filled on demand; it must give what folding each
    # character alone gives (ligatures and decompositions widen the text)
    from gpu_brief.text import _fold_char

    assert fold(text) == "".join(_fold_char(c) for c in text)
