"""The spoken form of narration: what the voice says for what the screen writes.

The oracle for numbers is text2num, an independent parser of English number words: whatever
number is written, its spoken words must parse back to the very digits written (sign, every
decimal, trailing zeros), in the same order, and nothing else may turn into a number.
"""

import re

import pytest
from hypothesis import given, settings, strategies as st
from text_to_num import alpha2digit

from convprop.scenes.voice.spoken import spoken

MINUS = "\u2212"


def read_back(said: str) -> list[str]:
    """The numbers in spoken English, as digit strings ('minus zero point one' -> '-0.1')."""
    digits = alpha2digit(said, "en", threshold=0)
    digits = re.sub(r"\bzero\b", "0", digits)  # text2num leaves a lone 'zero' as a word
    digits = re.sub(r"\bminus (?=\d)", "-", digits)
    return re.findall(r"-?\d+(?:\.\d+)?", digits)


def digits_of(written: str) -> str:
    return written.replace(MINUS, "-")


# The examples the narration's spec gives, said as its spec says.
@pytest.mark.parametrize("written, said", [
    ("-0.12", "minus zero point one two"),
    (f"{MINUS}0.12", "minus zero point one two"),
    ("0.120", "zero point one two zero"),
    ("dL/dw5", "d L by d w five"),
    ("∂L/∂w₅", "d L by d w five"),
    ("dL/dw_5", "d L by d w five"),
    ("z_k", "z sub k"),
    ("z sub k", "z sub k"),
    ("ŷ", "y hat"),
    ("y_hat", "y hat"),
    ("dz_k/dw_1", "d z sub k by d w one"),
    ("∂L/∂ŷ", "d L by d y hat"),
    ("dL/dX_c", "d L by d X sub c"),
    ("w*_3", "w star three"),
    ("w₁₂", "w twelve"),
    ("α", "alpha"),
    ("3x3", "three by three"),
    ("28×28", "twenty-eight by twenty-eight"),
    ("s-1 zeros", "s minus one zeros"),
    ("0.5 - 0.2", "zero point five minus zero point two"),
    (f"0.5 {MINUS} 0.2 = 0.3", "zero point five minus zero point two equals zero point three"),
    ("2 × 0.5", "two times zero point five"),
    ("784", "seven hundred eighty-four"),
    ("007", "zero zero seven"),
    ("the 2nd step", "the second step"),
    ("bowl-shaped", "bowl-shaped"),
])
def test_the_spec_examples_are_said_as_written(written, said):
    assert spoken(written) == said


def test_the_spec_sentence():
    written = ("w5 was 0.31. Its gradient is -0.12, so with a learning rate of 0.1 it moves up by 0.012, "
               "to 0.322.")
    assert spoken(written) == (
        "w five was zero point three one. Its gradient is minus zero point one two, so with a learning rate of "
        "zero point one it moves up by zero point zero one two, to zero point three two two.")


def test_words_and_punctuation_stay():
    sentence = "One step of gradient descent moves every weight a little, against its gradient; then (again) it stops!"
    assert spoken(sentence) == sentence


written_numbers = st.builds(
    lambda sign, whole, fraction: sign + str(whole) + ("." + fraction if fraction else ""),
    st.sampled_from(["", "-", MINUS]),
    st.one_of(st.integers(0, 99), st.integers(0, 10**12 - 1)),  # text2num stops below a trillion
    st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=8)),
)


@settings(max_examples=300, deadline=None)
@given(written_numbers)
def test_a_written_number_is_said_digit_for_digit(number):
    assert read_back(spoken(f"The value is {number} here.")) == [digits_of(number)]


@settings(max_examples=200, deadline=None)
@given(st.lists(written_numbers, min_size=1, max_size=5),
       st.lists(st.sampled_from(["plus", "then", "and the weight", "equals", ";", ",", "so"]), min_size=5, max_size=5))
def test_numbers_in_a_sentence_keep_their_order_and_digits(numbers, words):
    sentence = " ".join(f"{n} {w}" for n, w in zip(numbers, words))
    assert read_back(spoken(sentence)) == [digits_of(n) for n in numbers]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from("wzbxW"), st.integers(0, 999),
       st.sampled_from(["{l}_{i}", "{l}{i}", "{l}{sub}", "dL/d{l}{i}", "∂L/∂{l}{sub}"]))
def test_an_index_is_said_as_its_number(letter, index, form):
    sub = str(index).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
    said = spoken(form.format(l=letter, i=index, sub=sub))
    assert read_back(said) == [str(index)]
    assert said.startswith("d L by d " if form.startswith(("d", "∂")) else "")
    assert f"{letter} " in said


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 6), st.integers(2, 6), st.data())
def test_a_matrix_is_never_read_cell_by_cell(rows, columns, data):
    cells = [[data.draw(written_numbers) for _ in range(columns)] for _ in range(rows)]
    matrix = "[" + ", ".join("[" + ", ".join(row) + "]" for row in cells) + "]"
    said = spoken(f"The kernel W = {matrix}.")
    assert said.endswith(" matrix.")
    assert read_back(said) == [str(rows), str(columns)]


def test_a_short_list_is_read_and_a_long_one_counted():
    assert spoken("[0.1, -0.2, 0.3]") == "zero point one, minus zero point two, zero point three"
    assert spoken("F = [1, 2, 3, 4, 5, 6]") == "F equals a list of six numbers"


# In the voice's language. The sentences below are written by hand, as a teacher of that
# language reads them aloud; numbers are read back by text2num's parser of that language.
@pytest.mark.parametrize("language, written, said", [
    ("fr", "∂L/∂w₅", "d L sur d w cinq"),
    ("fr", "ŷ = 0.120", "y chapeau égale zéro virgule un deux zéro"),
    ("fr", f"{MINUS}21.05", "moins vingt et un virgule zéro cinq"),
    ("fr", "784", "sept cent quatre-vingt-quatre"),
    ("fr", "un noyau 3x3", "un noyau trois par trois"),
    ("fr", "2 × 0.5", "deux fois zéro virgule cinq"),
    ("fr", "z_k et w*_1", "z indice k et w étoile un"),
    ("fr", "W = [[0.1, 0.2], [0.3, 0.4]]", "W égale une matrice deux par deux"),
    ("fr", "le taux α", "le taux alpha"),
    ("fr", "la 1re couche, la 2e couche", "la première couche, la deuxième couche"),
    ("de", "∂L/∂w₅", "d L nach d w fünf"),
    ("de", "ŷ = 0.120", "y Dach gleich null Komma eins zwei null"),
    ("de", "-0.12", "minus null Komma eins zwei"),
    ("de", "784", "siebenhundertvierundachtzig"),
    ("de", "2 × 0.5", "zwei mal null Komma fünf"),
    ("de", "ein Kern der Größe 3x3", "ein Kern der Größe drei mal drei"),
    ("de", "w*_1", "w Stern eins"),
    ("es", "∂L/∂w₅", "d L entre d w cinco"),
    ("es", "ŷ = 0.120", "y gorro igual a cero punto uno dos cero"),
    ("es", f"{MINUS}21.05", "menos veintiuno punto cero cinco"),
    ("es", "784", "setecientos ochenta y cuatro"),
    ("es", "28×28", "veintiocho por veintiocho"),
    ("es", "2 × 0.5", "dos por cero punto cinco"),
    ("es", "el 2.º paso", "el segundo paso"),
    ("it", "∂L/∂w₅ = −0.5", "d L / d w cinque = meno zero virgola cinque"),  # no table: plain symbols
])
def test_other_languages_are_said_as_their_teachers_say_them(language, written, said):
    assert spoken(written, language) == said


@pytest.mark.parametrize("language, written, said", [
    ("fr", "Le poids w₅ valait 0.31, son gradient est −0.12 : avec un pas de 0.1, il passe à 0.322.",
     "Le poids w cinq valait zéro virgule trois un, son gradient est moins zéro virgule un deux: "
     "avec un pas de zéro virgule un, il passe à zéro virgule trois deux deux."),
    ("de", "Das Gewicht w₅ war 0.31, sein Gradient ist −0.12, also wächst es um 0.012 auf 0.322.",
     "Das Gewicht w fünf war null Komma drei eins, sein Gradient ist minus null Komma eins zwei, "
     "also wächst es um null Komma null eins zwei auf null Komma drei zwei zwei."),
    ("es", "El peso w₅ valía 0.31; su gradiente es −0.12, así que sube 0.012 y llega a 0.322.",
     "El peso w cinco valía cero punto tres uno; su gradiente es menos cero punto uno dos, así que "
     "sube cero punto cero uno dos y llega a cero punto tres dos dos."),
])
def test_a_lesson_sentence_in_another_language(language, written, said):
    assert spoken(written, language) == said


@pytest.mark.parametrize("tag", ["en", "en-us", "en-gb", "EN_us"])
def test_every_english_voice_is_said_in_english(tag):
    assert spoken("ŷ = −0.120, dL/dw5", tag) == "y hat equals minus zero point one two zero, d L by d w five"


def test_a_region_of_a_language_is_said_in_that_language():
    assert spoken("0.5", "fr-be") == spoken("0.5", "fr-fr") == "zéro virgule cinq"


@pytest.mark.parametrize("tag", ["cmn", "xx", "yue-hk"])
def test_a_language_without_number_words_is_refused_in_one_line(tag):
    with pytest.raises(ValueError) as err:
        spoken("0.5", tag)
    message = str(err.value)
    assert f"'{tag}'" in message and "\n" not in message
    assert all(code in message.split("give one of ")[1].split(", ") for code in ["de", "es", "fr", "it"])


MINUS_WORDS = {"fr": "moins", "de": "minus", "es": "menos"}
# words between the numbers; text2num leaves "neuf" (also "new") unread after a verb such as
# "vaut", so the French fillers avoid it: the parser's blind spot, not the spoken form's
FILLERS = {
    "fr": ["puis", "donc", "et le poids est de", ";", ","],
    "de": ["dann", "also", "und das Gewicht ist", ";", ","],
    "es": ["luego", "entonces", "y el peso vale", ";", ","],
}


def read_back_in(language: str, said: str) -> list[str]:
    """The numbers in spoken French, German or Spanish, as digit strings."""
    digits = alpha2digit(said, language, threshold=0)
    digits = re.sub(r"\beine (?=\d)", "", digits)  # German: text2num reads "Million", leaves "eine"
    digits = re.sub(rf"\b{MINUS_WORDS[language]} (?=\d)", "-", digits)
    # French and Spanish decimals come back as "0,7 3 6" or "0.1 00": the digits said one by one
    # after the first, in runs of their own.
    digits = re.sub(r"(\d[.,]\d+)((?: \d+\b)+)", lambda m: m[1] + m[2].replace(" ", ""), digits)
    return [n.replace(",", ".") for n in re.findall(r"-?\d+(?:[.,]\d+)?", digits)]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(FILLERS)), st.lists(written_numbers, min_size=1, max_size=5), st.data())
def test_in_another_language_no_digit_is_dropped(language, numbers, data):
    words = [data.draw(st.sampled_from(FILLERS[language])) for _ in numbers]
    sentence = " ".join(f"{n} {w}" for n, w in zip(numbers, words))
    assert read_back_in(language, spoken(sentence, language)) == [digits_of(n) for n in numbers]


def test_german_says_one_hundred_and_one_thousand_as_a_teacher_does():
    """Found by the property above: num2words says 101000 "einhunderteinstausend"."""
    assert spoken("101000", "de") == "einhunderteintausend"
    assert read_back_in("de", spoken("36026101000 Zellen", "de")) == ["36026101000"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(FILLERS)), st.sampled_from("wzbx"), st.integers(0, 999))
def test_in_another_language_an_index_is_said_as_its_number(language, letter, index):
    sub = str(index).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
    assert read_back_in(language, spoken(f"∂L/∂{letter}{sub}", language)) == [str(index)]
