"""Which Spanish page a Spanish question is about: the page it names, else the page its own
words describe, else none (no drift to another page)."""

from healthqa.answer.topic_es import (
    AGREE_DEPTH,
    agreed_page,
    choose_spanish_topic,
    english_query,
)
from healthqa.records import Candidate, Passage, Question, Term


def passage(title: str, text: str, synonyms: tuple[str, ...] = ()) -> Passage:
    slug = title.lower().replace(" ", "-")
    return Passage(
        id=f"es:{slug}#0#0",
        doc_id=f"es:{slug}#0",
        sentences=(text,),
        title=title,
        focus=title,
        synonyms=synonyms,
        collection="es",
        page=f"es:{slug}",
        language="es",
    )


CRAMPS = passage("Calambre muscular", "Los calambres musculares son espasmos súbitos.")
GOUT = passage("Gota", "La gota es un tipo de artritis que causa dolor en el dedo gordo del pie.")
ALL = [Candidate(CRAMPS, score=1.0), Candidate(GOUT, score=0.5)]


def question(text: str, *terms: Term) -> Question:
    return Question(raw=text, text=text, summary=text, terms=terms, language="es")


def flat_idf(words: set[str]) -> dict[str, float]:
    return dict.fromkeys(words, 1.0)


def test_the_named_page_wins_over_a_better_ranked_one():
    asked = question("¿qué causa la gota?", Term("got", "Gota", "medlineplus-es"))
    assert choose_spanish_topic(asked, ALL, flat_idf).focus == "Gota"


def test_a_weak_name_counts_only_when_no_page_is_named():
    asked = question(
        "¿espasmos por la gota?",
        Term("espasm", "Calambre muscular", "medlineplus-es", weak=True),
        Term("got", "Gota", "medlineplus-es"),
    )
    assert choose_spanish_topic(asked, ALL, flat_idf).focus == "Gota"
    weak_only = question("¿espasmos?", Term("espasm", "Calambre muscular", "x", weak=True))
    assert choose_spanish_topic(weak_only, ALL, flat_idf).focus == "Calambre muscular"


def test_a_named_topic_without_its_page_gives_no_other_page():
    asked = question("¿qué es el lupus?", Term("lupus", "Lupus", "medlineplus-es"))
    assert choose_spanish_topic(asked, ALL, flat_idf) is None
    says_it = [Candidate(passage("Artritis", "El lupus puede causar artritis."), score=1.0)]
    assert choose_spanish_topic(asked, says_it, flat_idf).focus == "Artritis"


def test_own_words_must_name_the_page_and_be_in_its_text():
    asked = question("¿la gota duele en el dedo del pie?")
    assert choose_spanish_topic(asked, ALL, flat_idf).focus == "Gota"
    assert choose_spanish_topic(question("¿la mejor pizza de la ciudad?"), ALL, flat_idf) is None


def test_an_everyday_word_sharing_a_stem_with_a_page_name_does_not_describe_it():
    grief = passage("Duelo", "El duelo es la reacción a la pérdida de un ser querido.")
    candidates = [Candidate(grief, score=1.0), *ALL]
    assert choose_spanish_topic(question("me duele mucho"), candidates, flat_idf) is None
    named = question("el duelo por un ser querido")
    assert choose_spanish_topic(named, candidates, flat_idf).focus == "Duelo"


def test_words_of_asking_are_not_what_is_asked_about():
    asked = question("¿cuáles son las causas y el tratamiento?")
    assert choose_spanish_topic(asked, ALL, flat_idf, frozenset({"caus", "tratamient"})) is None


def test_english_query_keeps_the_names_the_languages_share():
    asked = question("¿Qué es el síndrome de Townes-Brocks y cuáles son sus causas?")
    # "síndrome" is a Spanish word (Zipf 2.8 in Spanish, 1.0 in English), not a shared name
    assert english_query(asked, frozenset({"caus", "cual"})) == "Townes Brocks"


def test_english_query_leaves_out_numbers_and_spanish_words():
    # "15" named "isodicentric chromosome 15 syndrome" and "fumar" "fumarase deficiency" for
    # a teenager who started to vape; "psoriasis" is a name both languages write
    asked = question("mi hijo de 15 empezo a fumar y yo tengo psoriasis")
    assert english_query(asked, frozenset()).split() == ["psoriasis"]


def test_the_bridged_page_is_a_last_resort_only_when_asked_for():
    asked = question("¿qué es un charley horse?")  # names no Spanish topic
    bridged = [Candidate(GOUT, score=1.0), Candidate(CRAMPS, scores={"bridge": 0.7}, score=0.9)]
    assert choose_spanish_topic(asked, bridged, flat_idf) is None
    found = choose_spanish_topic(asked, bridged, flat_idf, bridge=True)
    assert found.focus == "Calambre muscular"
    # a question that names a topic keeps it
    named = question("¿qué causa la gota?", Term("got", "Gota", "medlineplus-es"))
    assert choose_spanish_topic(named, bridged, flat_idf, bridge=True).focus == "Gota"


def scored(page: Passage, lexical: float, dense: float) -> Candidate:
    return Candidate(page, scores={"lexical": lexical, "dense": dense}, score=lexical + dense)


def test_a_page_both_signals_rank_first_answers_a_question_naming_none():
    asked = question("me duele el dedo gordo del pie en la noche")
    agreed = [scored(GOUT, 9.0, 0.6), scored(CRAMPS, 4.0, 0.5)]
    assert choose_spanish_topic(asked, agreed, flat_idf).focus == "Gota"
    # the BM25 and the vectors share none of their best pages: no page rather than a guess
    split = [scored(GOUT, 9.0, 0.0), scored(CRAMPS, 0.0, 0.5)]
    assert choose_spanish_topic(asked, split, flat_idf) is None


def test_the_page_with_the_best_ranks_in_both_signals_is_the_agreed_one():
    pages = [passage(name, "x.") for name in ("A", "B", "C")]
    # BM25 order A, B, C; vectors B, C, A: B has the best rank sum (1 + 0)
    ranked = [scored(pages[0], 3.0, 0.1), scored(pages[1], 2.0, 0.9), scored(pages[2], 1.0, 0.5)]
    assert agreed_page(ranked, depth=3).focus == "B"
    assert agreed_page(ranked) is None  # the shipped depth: only both first pages agree
    # equal rank sums: the BM25 order decides
    tie = [scored(pages[0], 3.0, 0.9), scored(pages[1], 2.0, 0.95)]
    assert agreed_page(tie, depth=2).focus == "A"


def test_pages_below_the_agreement_depth_do_not_agree():
    lexical = [scored(passage(f"L{i}", "x."), 10.0 - i, 0.0) for i in range(AGREE_DEPTH)]
    dense = [scored(passage(f"D{i}", "x."), 0.0, 0.9 - i / 10) for i in range(AGREE_DEPTH)]
    shared = scored(passage("S", "x."), 0.5, 0.05)  # in both, below both tops
    assert agreed_page([*lexical, *dense, shared]) is None
