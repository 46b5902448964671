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
