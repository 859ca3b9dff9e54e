"""Questions: language, answer type, translation into the corpus's French."""

from __future__ import annotations

import pytest

from gpu_brief.question import detect_language, question_type


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("Pourquoi OpenAI a-t-il reporté GPT-4.5 ?", "fr"),
        ("How much does an H100 cost?", "en"),
        ("prix H100 ?", "fr"),
        ("Who is Stacy Rasgon?", "en"),
        ("combien coute un GPU", "fr"),
    ],
)
def test_language(question: str, lang: str) -> None:
    assert detect_language(question) == lang


def test_terse_english_needs_the_lexicons(answerer) -> None:  # type: ignore[no-untyped-def]
    query = answerer.query("GPT-4.5 price per million output tokens")
    assert query.lang == "en" and query.qtype == "money"


@pytest.mark.parametrize(
    ("question", "lang", "qtype"),
    [
        ("Pourquoi OpenAI a-t-il reporté GPT-4.5 ?", "fr", "why"),
        ("Combien coûte un H100 ?", "fr", "money"),
        ("Combien de GPU Elon Musk a-t-il commandés ?", "fr", "count"),
        ("Quelle part du marché Nvidia détient-elle ?", "fr", "percent"),
        ("Qui est à la tête de Cohere ?", "fr", "who"),
        ("Quand Google compte-t-il se passer de Broadcom ?", "fr", "when"),
        ("Où se trouve le supercalculateur Colossus ?", "fr", "where"),
        ("Comment s'appelle la puce de Microsoft ?", "fr", "name"),
        ("Qu'est-ce qui a obligé OpenAI à brider les images ?", "fr", "why"),
        ("What did Altman say was overloading the GPUs?", "en", "why"),  # what was doing it
        ("How old is Sam Altman?", "en", "what"),
        ("Combien de temps faut-il pour recevoir des GPU ?", "fr", "duration"),
        ("prix H100 ?", "fr", "money"),
        ("How many GPUs did Musk order?", "en", "count"),
        ("What share of the AI chip market does Nvidia hold?", "en", "percent"),
        ("Which US state is Colossus in?", "en", "where"),
        ("What did an Insider analyst estimate ChatGPT costs to run per day?", "en", "money"),
        ("When did Amazon acquire Annapurna Labs?", "en", "when"),
        ("Who warned about AI systems getting too resource hungry?", "en", "who"),
        ("How cheap is GPT-4o?", "en", "money"),
        ("What's the name of Microsoft's AI chip?", "en", "name"),
        ("If not to replace Nvidia, what is Athena really for?", "en", "why"),
        ("Quel est l'objectif de la puce Athena ?", "fr", "why"),
        ("What is the price for a H100?", "en", "money"),
        ("pk openai a du retarder gpt 4.5 ?", "fr", "why"),
        ("According to VentureBeat, what's behind Altman's take on giant models?", "en", "why"),
        ("Which Microsoft exec warned about AI getting resource-hungry?", "en", "who"),
        # yes or no: answered by the passage, not by a date or a name in it
        ("Will OpenAI be able to make its own chips any time soon?", "en", "what"),
        ("OpenAI pourra-t-il bientôt produire ses puces ?", "fr", "what"),
        ("Est-ce que le H100 coûte cher ?", "fr", "money"),
        # what caused it, in other words
        ("Qu'est-ce qui, selon Aidan Gomez, a conduit à des modèles trop gros ?", "fr", "why"),
        ("Qu'est-ce qui a freiné les livraisons de puces ?", "fr", "why"),
        ("À quoi Aidan Gomez attribue-t-il la taille des modèles ?", "fr", "why"),
        ("What does Cohere's boss blame for models being too big?", "en", "why"),
        # a noun that starts like an article ("salaire", "la" + "ngue") is read whole
        ("Quel salaire touche Sam Altman ?", "fr", "money"),
        # people counted, whatever "payants" says of them
        ("Combien d'abonnés payants compte ChatGPT Plus ?", "fr", "count"),
        ("Combien de dollars OpenAI paie-t-il ?", "fr", "money"),
        # terse queries: the first telling word, a rate is no date, a metric counts people
        ("nb de visiteurs uniques par jour sur chatgpt", "fr", "count"),
        ("ChatGPT monthly active users in February?", "en", "count"),
        ("Bernstein's estimate of GPU spend at a tenth of Google search volume?", "en", "money"),
        ("codename of Microsoft's secret AI chip?", "en", "name"),
        ("nom de code de la puce de Microsoft ?", "fr", "name"),
        ("nom de la puce IA de Microsoft", "fr", "name"),
        ("What is Nvidia's share of the AI chip market?", "en", "percent"),
        ("Stacy Rasgon c'est qui ?", "fr", "who"),
        # no amount asked: "pay off" is to succeed, "big-budget" qualifies firms
        ("Until its own chips pay off, what are OpenAI's only two options?", "en", "what"),
        ("Is OpenAI among the big-budget firms that can weather the GPU shortage?", "en", "what"),
        ("What yearly chip spend would ChatGPT require?", "en", "money"),  # the spend, not a chip
        ("what part of AI operating costs is hardware overhead", "en", "percent"),
        ("Apart from cost cuts, what else drives OpenAI toward in-house chips?", "en", "why"),
        ("capacité du centre de données approuvé par la Corée du Sud", "fr", "power"),
        # a terse query opening on a kind of named thing; not on the corpus's topic ("puce")
        ("modele derriere images in chatgpt", "fr", "name"),
        ("model behind images in chatgpt", "en", "name"),
        ("puce penurie raison", "fr", "what"),
        # "cutting costs" is set aside, not asked: no amount
        ("Other than cutting costs, what's pushing OpenAI to develop its own chips?", "en", "what"),
        # what weighs most in the costs: a thing, not an amount
        ("Quel poste pèse le plus dans les coûts d'exploitation de l'IA ?", "fr", "what"),
        ("What makes up the bulk of AI operating costs?", "en", "what"),
        ("Connaît-on le nom de la société qu'OpenAI veut racheter ?", "fr", "name"),
        ("Do we know the name of the company OpenAI wants to buy?", "en", "name"),
        ("Qu'a fait OpenAI au nom de la sécurité ?", "fr", "what"),  # "on behalf of"
        # "à part": except, not a market share; "... quoi ?" asks what
        ("a part fabriquer ses puces, openai compte diversifier quoi ?", "fr", "what"),
        # a way to lower costs, or what accounts for them, is no amount
        ("What's the best way to lower costs for an in-house chip?", "en", "what"),
        ("What accounts for most of the operating costs of AI?", "en", "what"),
        ("Quelle est la meilleure façon de réduire les coûts ?", "fr", "what"),
    ],
)
def test_question_type(question: str, lang: str, qtype: str) -> None:
    assert question_type(question, lang) == qtype


def test_english_words_are_translated(answerer) -> None:  # type: ignore[no-untyped-def]
    query = answerer.query("Why is there a chip shortage?")
    terms = set().union(*(g.terms() for g in query.groups))
    assert {"puc", "penur"} <= terms


def test_hyphenated_english_words_meet_their_lexicon_entry(answerer) -> None:  # type: ignore[no-untyped-def]
    query = answerer.query("When did Microsoft start working on its in-house AI chip?")
    group = next(g for g in query.groups if g.label == "in-house")
    assert "maison" in group.terms() and "in" not in group.terms()


def test_the_focus_comes_after_an_owner_of_several_words(answerer) -> None:  # type: ignore[no-untyped-def]
    focus = answerer.query("What is Sam Altman's complaint about the chip market?").focus
    assert focus is not None and focus.label == "complaint"


def test_a_name_is_found_by_its_words_not_their_translations(answerer) -> None:  # type: ignore[no-untyped-def]
    query = answerer.query("According to Run AI's co-founder, what does training cost?")
    group = next(g for g in query.groups if g.label == "Run AI")
    assert "exploit" not in group.terms() and "ent:run-ai" in group.terms()


def test_entities_in_questions_resolve_aliases(answerer) -> None:  # type: ignore[no-untyped-def]
    query = answerer.query("Que coûte GPT-4o ?")
    assert query.entities == ["GPT-4o"]
    assert "ent:gpt-4o" in set().union(*(g.terms() for g in query.groups))


def test_a_role_in_other_words_points_to_its_person(answerer) -> None:  # type: ignore[no-untyped-def]
    def roles(question: str) -> list[str]:
        return answerer.query(question).roles

    assert roles("Qui dirige OpenAI ?") == ["Sam Altman"]
    assert roles("Who is the head of OpenAI?") == ["Sam Altman"]
    assert roles("Qui dirige Cohere, rival d'OpenAI ?") == []  # another company's head
    assert roles("Who is the CEO of OpenAI's rival Cohere?") == []
    assert roles("Quel dirigeant d'un concurrent d'OpenAI pense que les modèles sont trop gros ?") == []
    assert roles("Which executive at an OpenAI competitor thinks models got too big?") == []
    assert roles("Pourquoi OpenAI dirige-t-il ses efforts vers les puces ?") == []  # not a "who"


def test_a_kind_of_thing_asks_about_the_thing(answerer) -> None:  # type: ignore[no-untyped-def]
    """ "quel genre d'intelligence": the answer qualifies "intelligence", not "genre"."""
    for question in (
        "Quel genre d'intelligence GPT-4.5 met-il en avant ?",
        "What kind of intelligence does GPT-4.5 bring?",
    ):
        focus = answerer.query(question).focus
        assert focus is not None and focus.label == "intelligence"


def test_questions_about_wording_want_the_quotation(answerer) -> None:  # type: ignore[no-untyped-def]
    assert answerer.query("Quelle formule Altman a-t-il employée pour ses GPU ?").wants_quote
    assert answerer.query("How did Altman describe GPT-4.5?").wants_quote
    assert not answerer.query("Combien coûte GPT-4.5 ?").wants_quote


def test_whats_asks_about_the_noun_after_it(answerer) -> None:  # type: ignore[no-untyped-def]
    focus = answerer.query("What's Nvidia's current market cap?").focus
    assert focus is not None and focus.label == "market cap"


def test_a_noun_starting_like_an_article_is_the_focus(answerer) -> None:  # type: ignore[no-untyped-def]
    """ "quel salon" is not "quel sa" + "lon", nor "quelle langue" "la" + "ngue"."""
    for question, noun in (
        ("À quel salon Altman a-t-il parlé ?", "salon"),
        ("Sur quels leviers devront porter les progrès ?", "leviers"),
        ("Quelle langue parle GPT-4.5 ?", "langue"),
    ):
        focus = answerer.query(question).focus
        assert focus is not None and focus.label == noun


def test_english_terms_in_a_french_question_are_translated(answerer) -> None:  # type: ignore[no-untyped-def]
    """ "Blackwell sold out jusqu'à quand ?": words the corpus never uses, read as English."""
    query = answerer.query("blackwell sold out jusqu'a quand ?")
    assert query.lang == "fr"
    terms = set().union(*(g.terms() for g in query.groups))
    assert {"complet", "ruptur"} & terms
    # a French word the corpus uses stays French
    groups = answerer.query("Quel est le prix du H100 ?").groups
    assert [g.label for g in groups if not g.anchor] == ["prix"] and not groups[-1].translated


def test_french_function_words_outweigh_english_terms(answerer) -> None:  # type: ignore[no-untyped-def]
    assert answerer.query("tarif gpt-4.5 par million de tokens en input ?").lang == "fr"


@pytest.mark.parametrize(
    ("question", "yes_no"),
    [
        ("Microsoft compte-t-il remplacer les puces Nvidia par Athena ?", True),
        ("Est-ce qu'OpenAI rachète un fabricant de puces ?", True),
        ("Will Nvidia's bigger H100 output end the shortage?", True),
        ("Does OpenAI already have a company in mind?", True),
        ("Quand Microsoft a-t-il commencé Athena ?", False),
        ("Combien coûte un H100 ?", False),
        ("Is it true that GPT-4.5 is delayed? Why?", False),
        ("What did Altman say?", False),
    ],
)
def test_yes_no_questions_are_told_apart(answerer, question: str, yes_no: bool) -> None:  # type: ignore[no-untyped-def]
    assert answerer.query(question).yes_no is yes_no


def test_how_old_asks_for_an_age(answerer) -> None:  # type: ignore[no-untyped-def]
    query = answerer.query("How old is Sam Altman?")
    assert query.focus is not None and "age" in query.focus.terms()


def test_a_compound_the_lexicon_lacks_is_translated_word_by_word(answerer) -> None:  # type: ignore[no-untyped-def]
    query = answerer.query("Why is image generation so compute-hungry?")
    labels = [g.label for g in query.groups]
    assert "compute" in labels and "hungry" in labels
    assert "calcul" in next(g for g in query.groups if g.label == "compute").terms()


@pytest.mark.parametrize(
    "question",
    [
        "Connaît-on le nom de la société qu'OpenAI veut racheter ?",
        "Sait-on quelle société OpenAI veut racheter ?",
        "Is it known which company OpenAI wants to buy?",
    ],
)
def test_asking_whether_it_is_known_is_no_word_of_the_question(answerer, question: str) -> None:  # type: ignore[no-untyped-def]
    labels = {g.label.lower() for g in answerer.query(question).groups}
    assert not labels & {"connaît", "sait", "known", "is it known"}


@pytest.mark.parametrize(
    ("question", "aside"),
    [
        ("Besides building its own chip, what else is OpenAI considering?", "building"),
        ("À part concevoir ses puces, quelles autres options OpenAI étudie-t-il ?", "concevoir"),
    ],
)
def test_what_the_asker_sets_aside_weighs_less(answerer, question: str, aside: str) -> None:  # type: ignore[no-untyped-def]
    query = answerer.query(question)
    assert query.asks_more
    group = next(g for g in query.groups if g.label == aside)
    assert all(w < 1 for alt in group.alternatives for _, w in alt)
    assert not {"besides", "autres", "autre", "part"} & {g.label.lower() for g in query.groups}


@pytest.mark.parametrize(
    ("question", "qtype"),
    [
        ("What is Microsoft CEO Satya Nadella cautioning against?", "what"),
        ("What did OpenAI do when image requests overwhelmed its GPUs?", "what"),
        ("Qu'a fait OpenAI quand les demandes d'images ont afflué ?", "what"),
        ("When did OpenAI delay GPT-4.5?", "when"),
        ("Est-ce que tu sais quand Microsoft a commencé Athena ?", "when"),
        ("Jusqu'à quand les cartes Blackwell sont-elles épuisées ?", "when"),
        ("production h100 nvidia 2024 ?", "count"),
        ("How big is the Korean data center?", "size"),
        ("Quelle est la taille du supercalculateur ?", "size"),
        ("How big does Musk want Colossus to get, in GPU count?", "count"),
    ],
)
def test_a_subordinate_when_or_a_name_after_what_is_does_not_set_the_type(
    answerer, question: str, qtype: str
) -> None:  # type: ignore[no-untyped-def]
    assert answerer.query(question).qtype == qtype


@pytest.mark.parametrize(
    "question",
    [
        "Qu'a dit Sam Altman à propos des modèles géants ?",
        "What did the SambaNova executive say about chips?",
        "What did Altman say was happening to the GPUs?",  # what was happening: his words
        "Qu'est-ce qu'Altman a dit sur les GPU ?",
        "De quoi Sam Altman s'est-il plaint ?",
        "Qu'a lâché Altman sur ses GPU ?",
        "How does Altman see model size?",
        "According to TechCrunch, how does Altman view model size?",
        "Comment Altman juge-t-il la taille des modèles ?",
        "What did Altman publicly complain about?",
    ],
)
def test_what_someone_said_wants_their_words(answerer, question: str) -> None:  # type: ignore[no-untyped-def]
    assert answerer.query(question).wants_quote


def test_about_is_no_word_of_the_question(answerer) -> None:  # type: ignore[no-untyped-def]
    """ "à propos de" is "about"; "ses propos" (his remarks) are a word."""
    labels = {g.label for g in answerer.query("Qu'a dit Altman à propos des GPU ?").groups}
    assert "propos" not in labels and "GPU" in labels
    assert "propos" in {g.label for g in answerer.query("Quels propos d'Altman ont surpris ?").groups}


def test_what_someone_says_is_causing_something_asks_why(answerer) -> None:  # type: ignore[no-untyped-def]
    assert answerer.query("What did Altman say was overloading the GPUs?").qtype == "why"
    assert answerer.query("What did Altman say was happening to the GPUs?").qtype == "what"


def test_a_step_taken_is_the_frame_of_the_question(answerer) -> None:  # type: ignore[no-untyped-def]
    query = answerer.query("Quelle mesure OpenAI a-t-il prise face à la saturation de ses GPU ?")
    assert query.asks_action and query.focus is None
    assert not {"mesure", "prise"} & {g.label for g in query.groups}
