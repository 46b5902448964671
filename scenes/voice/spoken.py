"""What a written sentence sounds like: numbers, names and symbols said as a teacher says them.

A narration sentence is written once, with the numbers of the lesson in digits as the screen
shows them ("w₅ was 0.31; its gradient is −0.12"). A speech engine left to itself reads digits
and symbols as it pleases: "−0.12" may lose its sign, "0.120" its last zero, "dL/dw5" comes
out letter by letter with a slash. So the spoken form is made here, from the written one, and
the engine only ever sees words:

    >>> spoken("w5 was 0.31; its gradient is −0.12")
    'w five was zero point three one; its gradient is minus zero point one two'
    >>> spoken("∂L/∂w₅ and dz_k/dw_1")
    'd L by d w five and d z sub k by d w one'
    >>> spoken("ŷ = 0.120, a 3x3 kernel")
    'y hat equals zero point one two zero, a three by three kernel'
    >>> spoken("W = [[0.1, 0.2], [0.3, 0.4]]")
    'W equals a two by two matrix'

Rules, and why:
- A number is said as written, digit for digit after the point ("0.120" keeps its trailing
  zero: the screen shows it). The whole part is said as a number ("784" is "seven hundred
  eighty-four"), unless it has leading zeros, then digit by digit. A minus sign, ASCII or the
  true minus (U+2212), is "minus".
- A name with an index is said with it: a number index as the number ("w_5", "w5", "w₅" are
  "w five"), a letter index with "sub" ("z_k" is "z sub k"). A hat is "hat" ("ŷ", "y_hat"),
  a star "star" ("w*_1" is "w star one").
- A derivative "dA/dB" or "∂A/∂B" is "d A by d B".
- A matrix (a list of lists) is never read cell by cell: its shape is said instead. A flat
  list of more than four numbers likewise; a short one is read.
- Sizes written "3x3" or "3×3" are "three by three"; "×" or "·" between spaced terms is "times".

English only: the words come from inflect's English numbers.
"""

import re
import unicodedata
from functools import lru_cache

import inflect

MINUSES = "-\u2212"
GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
    "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "χ": "chi",
    "ψ": "psi", "ω": "omega", "Γ": "capital gamma", "Δ": "capital delta", "Θ": "capital theta",
    "Λ": "capital lambda", "Π": "capital pi", "Σ": "capital sigma", "Φ": "capital phi",
    "Ψ": "capital psi", "Ω": "capital omega",
}
SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼ₊₋", "0123456789aeoxhklmnpstij+-")
SUBSCRIPT_CHARS = "₀₁₂₃₄₅₆₇₈₉ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼ₊₋"
OPERATORS = {
    "=": "equals", "+": "plus", "\u2212": "minus", "×": "times", "·": "times", "÷": "divided by",
    "≈": "is about", "≠": "is not", "≤": "is at most", "≥": "is at least", "<": "is less than",
    ">": "is greater than", "→": "to", "←": "becomes", "∑": "the sum of", "√": "the square root of",
    "%": "percent", "²": "squared", "³": "cubed", "∞": "infinity", "∂": "d",
}

LETTER = "A-Za-z\u0370-\u03ff"
NOT_BEFORE = rf"(?<![{LETTER}0-9_'’])"  # nor after an apostrophe: the s of "input's"
NOT_AFTER = rf"(?![{LETTER}0-9_])"
# A name: one letter, then a hat, a star, an index (any of them), in that order.
NAME = (rf"[{LETTER}](?:\u0302|_hat(?![{LETTER}0-9]))?\*?"
        rf"(?:_\{{[^}}]*\}}|_[{LETTER}0-9]+|[{SUBSCRIPT_CHARS}]+|[0-9]+)?")
NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"

PATTERN = re.compile("|".join([
    r"(?P<matrix>\[\s*\[[^\[\]]*\](?:\s*,\s*\[[^\[\]]*\])*\s*\])",
    rf"(?P<flat>\[\s*[{MINUSES}]?[0-9.]+(?:\s*,\s*[{MINUSES}]?[0-9.]+)*\s*\])",
    rf"{NOT_BEFORE}(?P<derivative>[d∂](?P<top>{NAME})/[d∂](?P<bottom>{NAME})){NOT_AFTER}",
    rf"{NOT_BEFORE}(?P<size>[0-9]+(?:[x×][0-9]+)+){NOT_AFTER}",
    rf"(?P<sci>[0-9]+(?:\.[0-9]+)?)[eE](?P<exponent>[{MINUSES}+]?[0-9]+){NOT_AFTER}",
    rf"{NOT_BEFORE}(?P<ordinal>[0-9]+)(?:st|nd|rd|th){NOT_AFTER}",
    rf"{NOT_BEFORE}(?P<name>{NAME}){NOT_AFTER}",
    rf"(?P<sign>[{MINUSES}]\s*)?(?P<number>{NUMBER})",
    r"(?P<symbol>[" + re.escape("".join(GREEK) + "".join(OPERATORS)) + "])",
    r"(?P<power>\^\s*(?P<power_of>[" + MINUSES + r"]?[0-9]+))",
]))


@lru_cache(maxsize=1)
def _english():
    return inflect.engine()


def integer_words(digits: str) -> str:
    """'784' -> 'seven hundred eighty-four'; digit by digit when written with leading zeros."""
    if len(digits) > 1 and digits.startswith("0"):
        return " ".join(_english().number_to_words(d) for d in digits)
    return _english().number_to_words(int(digits), andword="", comma="", zero="zero")


def number_words(written: str) -> str:
    """A written number without its sign: '0.120' -> 'zero point one two zero'.

    Every digit after the point is said, trailing zeros too: they are on the screen.
    """
    whole, _, fraction = written.replace(",", "").partition(".")
    words = integer_words(whole)
    if fraction:
        words += " point " + " ".join(integer_words(d) for d in fraction)
    return words


def name_words(name: str) -> str:
    """'w_5' / 'w5' / 'w₅' -> 'w five'; 'z_k' -> 'z sub k'; 'ŷ' / 'y_hat' -> 'y hat'."""
    base, rest = name[0], name[1:]
    words = [GREEK.get(base, base)]
    if rest.startswith("\u0302") or rest.startswith("_hat"):
        words.append("hat")
        rest = rest[1:] if rest.startswith("\u0302") else rest[4:]
    if rest.startswith("*"):
        words.append("star")
        rest = rest[1:]
    index = rest.lstrip("_").removeprefix("{").removesuffix("}").translate(SUBSCRIPTS)
    if index.isdigit():
        words.append(integer_words(index))
    elif index:
        words += ["sub", spoken(index)]
    return " ".join(words)


def _matrix_words(text: str) -> str:
    rows = re.findall(r"\[([^\[\]]*)\]", text)
    widths = {len([c for c in row.split(",") if c.strip()]) for row in rows}
    if len(widths) == 1:
        return f"a {integer_words(str(len(rows)))} by {integer_words(str(widths.pop()))} matrix"
    return f"a matrix of {integer_words(str(len(rows)))} rows"


def _flat_words(text: str) -> str:
    items = [c.strip() for c in text.strip()[1:-1].split(",")]
    if len(items) > 4:
        return f"a list of {integer_words(str(len(items)))} numbers"
    return ", ".join(spoken(item) for item in items)


def _say(match: re.Match) -> str:
    kind = match.lastgroup if match.lastgroup not in ("top", "bottom", "power_of", "exponent") else None
    group = match.groupdict()
    if group["matrix"]:
        return _matrix_words(group["matrix"])
    if group["flat"]:
        return _flat_words(group["flat"])
    if group["derivative"]:
        return f"d {name_words(group['top'])} by d {name_words(group['bottom'])}"
    if group["size"]:
        return " by ".join(integer_words(n) for n in re.split("[x×]", group["size"]))
    if group["sci"]:
        exponent = group["exponent"]
        sign = "minus " if exponent[0] in MINUSES else ""
        return (f"{number_words(group['sci'])} times ten to the power of "
                f"{sign}{integer_words(exponent.lstrip(MINUSES + '+'))}")
    if group["ordinal"]:
        return _english().ordinal(integer_words(group["ordinal"]))
    if group["name"]:
        return name_words(group["name"])
    if group["number"]:
        return ("minus " if group["sign"] else "") + number_words(group["number"])
    if group["symbol"]:
        return GREEK.get(group["symbol"]) or OPERATORS[group["symbol"]]
    if group["power"]:
        power = group["power_of"]
        sign = "minus " if power[0] in MINUSES else ""
        return f"to the power of {sign}{integer_words(power.lstrip(MINUSES))}"
    raise AssertionError(kind)  # every alternative of PATTERN is handled above


def spoken(written: str) -> str:
    """The words a narrator says for ``written``; see the module's docstring for the rules."""
    text = unicodedata.normalize("NFD", written)  # 'ŷ' -> 'y' + combining circumflex
    said = PATTERN.sub(lambda m: f" {_say(m)} ", text)
    said = re.sub(r"\s+([,.;:!?)])", r"\1", said)  # no space before punctuation
    said = re.sub(r"\s+(['’]s\b)", r"\1", said)  # "filter one's", not "filter one 's"
    said = re.sub(r"([(])\s+", r"\1", said)
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", said).strip())
