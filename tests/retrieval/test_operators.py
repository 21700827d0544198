"""Search operators: exact phrases, words and phrases left out, OR (retrieval.search.operators)."""

from __future__ import annotations

import pytest

from retrieval.search.operators import OperatorError, Term, as_prose, parse_operators, unquoted


def test_an_exact_phrase_is_those_words_in_that_order_as_written() -> None:
    ops = parse_operators('"Белый дом" санкции')
    assert ops.text == "Белый дом санкции"  # what ranks: the phrase's words too
    assert ops.qualifies("В Белый  дом, по словам источника, пришли")  # case, spaces, punctuation aside
    assert not ops.qualifies("Представитель Белого дома заявил")  # no other form
    assert not ops.qualifies("дом белый")  # not in that order
    assert parse_operators("«Белый дом»").required == ((Term("Белый дом", exact=True),),)


def test_a_word_left_out_leaves_out_every_form_of_it_and_a_phrase_left_out_only_itself() -> None:
    ops = parse_operators("выборы -Китай")
    assert ops.text == "выборы"
    assert not ops.qualifies("Выборы и позиция Китаю")
    assert ops.qualifies("Выборы: китайские наблюдатели")  # another word, not a form of it
    phrase = parse_operators('выборы -"Белого дома"')
    assert not phrase.qualifies("позиция Белого дома")
    assert phrase.qualifies("Белый дом промолчал")


def test_or_asks_for_either_side_in_any_form_and_russian_или_too() -> None:
    ops = parse_operators("Путин OR Трамп саммит")
    assert ops.text == "Путин Трамп саммит"
    assert ops.qualifies("Встреча с Трампом")
    assert ops.qualifies("Путина ждут")
    assert not ops.qualifies("Саммит без них")
    assert parse_operators("Путин ИЛИ Трамп").required == parse_operators("Путин OR Трамп").required


def test_a_query_without_operators_ranks_as_it_is_and_lets_everything_through() -> None:
    ops = parse_operators("ставка ЦБ - 2025")
    assert ops.text == "ставка ЦБ - 2025"
    assert not ops.any and ops.qualifies("что угодно")


@pytest.mark.parametrize("query", ['"unclosed', "«unclosed", "OR x", "x OR", "x OR OR y", "x OR -y"])
def test_operators_that_cannot_be_read_are_a_clear_error(query: str) -> None:
    with pytest.raises(OperatorError, match=r"quote|OR needs"):
        parse_operators(query)


def test_a_word_left_out_in_a_form_its_stem_misses_is_left_out_by_its_dictionary_form() -> None:
    ops = parse_operators("выборы -Китай")
    assert not ops.qualifies("Наблюдатели из Китая не приехали")  # the stemmer: "кита" and "кит"
    assert parse_operators("выборы -Johnson").qualifies("Выборы без Джонсона") is False  # transcribed


def test_lower_case_or_and_a_signed_number_are_words_of_the_question() -> None:
    assert not parse_operators("Trump or Biden?").any
    assert not parse_operators("или нет").any
    assert not parse_operators("морозы до -25 градусов").any
    assert parse_operators("“Белый дом”").required == ((Term("Белый дом", exact=True),),)  # typographic too


def test_each_alternative_of_ors_is_the_words_a_count_looks_for() -> None:
    ops = parse_operators('санкции Путин OR Трамп "Белый дом"')
    assert ops.alternatives() == ["санкции Путин Белый дом", "санкции Трамп Белый дом"]


def test_parts_of_an_article_decide_it_only_when_the_whole_text_could_not_say_otherwise() -> None:
    phrase = parse_operators('"Белый дом" санкции')
    assert phrase.decided(["В Белый дом пришли", "о санкциях"]) is True
    assert phrase.decided(["Белого дома"]) is None  # the phrase may stand in another part
    left_out = parse_operators('"Белый дом" -Китай')
    assert left_out.decided(["В Белый дом пришли"]) is None  # Китай may stand in another part
    assert left_out.decided(["В Белый дом", "посол Китая"]) is False


def test_a_question_loosened_keeps_what_it_leaves_out_and_read_as_prose_has_no_operators() -> None:
    assert (
        unquoted('санкции "Белый дом" -"Китай Пекин" OR «Кремль»')
        == 'санкции Белый дом -"Китай Пекин" OR Кремль'
    )
    prose = as_prose('Для какой серии "Доктора Кто» OR -это?')
    assert prose == "Для какой серии Доктора Кто or это?"
    assert not parse_operators(prose).any
