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

In the voice's language: ``spoken(text, "fr")`` says the numbers in French words (num2words),
by the same rules, with the language's own minus and decimal words, and the symbols as a French
teacher says them (``spoken_words``):

    >>> spoken("∂L/∂w₅ = −0.120", "fr")
    'd L sur d w cinq égale moins zéro virgule un deux zéro'

English ("en", "en-us", "en-gb", ...) is said with inflect's numbers, as it always was. A language
num2words cannot say is refused with a ``VoiceError`` (a ValueError) of one line.
"""
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from num2words import CONVERTER_CLASSES, num2words

from convprop.scenes.voice.clips import VoiceError
from convprop.scenes.voice.spoken_words import PLAIN, SYMBOLS, TABLES, Symbols

MINUSES = "-\u2212"
SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼ₊₋", "0123456789aeoxhklmnpstij+-")
SUBSCRIPT_CHARS = "₀₁₂₃₄₅₆₇₈₉ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼ₊₋"
# How an ordinal is written after its digits ("2nd", "2e", "2.º"); German's "2." is a full stop too.
ORDINALS = {"en": "st|nd|rd|th", "fr": "er|re|ère|e|ème|nde|nd", "es": r"\.?º|\.?ª|\.?er"}
ALIASES = {"nb": "no"}  # espeak-ng's Norwegian Bokmål is num2words' Norwegian
# num2words 0.5.14's Belgian and Swiss French say "sept cents quatre-vingt-quatre" and
# "un millions": French regions are said with France's numbers.
BASE_ONLY = {"fr"}

LETTER = "A-Za-z\u0370-\u03ff"
# What a word is made of: also accented letters, whole or, after NFD, a letter and its accent
# (so the a of "à" or the s of "más" is no name of its own). Not × and ÷.
WORD = LETTER + "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f"
NOT_BEFORE = rf"(?<![{WORD}0-9_'’])"  # nor after an apostrophe: the s of "input's"
NOT_AFTER = rf"(?![{WORD}0-9_])"
# A name: one letter, then a hat, a star, an index (any of them), in that order.
NAME = (rf"[{LETTER}](?:\u0302|_hat(?![{LETTER}0-9]))?\*?"
        rf"(?:_\{{[^}}]*\}}|_[{LETTER}0-9]+|[{SUBSCRIPT_CHARS}]+|[0-9]+)?")
NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"


@lru_cache(maxsize=None)
def _pattern(ordinals: str) -> re.Pattern:
    return re.compile("|".join([
        r"(?P<matrix>\[\s*\[[^\[\]]*\](?:\s*,\s*\[[^\[\]]*\])*\s*\])",
        rf"(?P<flat>\[\s*[{MINUSES}]?[0-9.]+(?:\s*,\s*[{MINUSES}]?[0-9.]+)*\s*\])",
        rf"{NOT_BEFORE}(?P<derivative>[d∂](?P<top>{NAME})/[d∂](?P<bottom>{NAME})){NOT_AFTER}",
        rf"{NOT_BEFORE}(?P<size>[0-9]+(?:[x×][0-9]+)+){NOT_AFTER}",
        rf"(?P<sci>[0-9]+(?:\.[0-9]+)?)[eE](?P<exponent>[{MINUSES}+]?[0-9]+){NOT_AFTER}",
        rf"{NOT_BEFORE}(?P<ordinal>[0-9]+)(?P<suffix>{ordinals or '(?!)'}){NOT_AFTER}",
        rf"{NOT_BEFORE}(?P<name>{NAME}){NOT_AFTER}",
        rf"(?P<sign>[{MINUSES}]\s*)?(?P<number>{NUMBER})",
        r"(?P<symbol>[" + re.escape(SYMBOLS) + "])",
        r"(?P<power>\^\s*(?P<power_of>[" + MINUSES + r"]?[0-9]+))",
    ]))


@lru_cache(maxsize=1)
def _english():
    """inflect's engine, loaded when a number is first said: loading inflect costs about two
    seconds of a process's start, which a render that says nothing need not pay."""
    import inflect

    return inflect.engine()


@dataclass(frozen=True)
class Language:
    """One language's words: ``code`` is num2words' ("en" means inflect's English)."""

    code: str
    minus: str
    point: str
    symbols: Symbols

    def integer(self, digits: str) -> str:
        """'784' -> 'seven hundred eighty-four'; digit by digit when written with leading zeros."""
        if len(digits) > 1 and digits.startswith("0"):
            return " ".join(self.integer(d) for d in digits)
        if self.code == "en":
            return _english().number_to_words(int(digits), andword="", comma="", zero="zero")
        words = num2words(int(digits), lang=self.code)
        if self.code == "de":  # num2words 0.5.14 says 101000 "einhunderteinstausend": "eins" only ends a number
            words = words.replace("einstausend", "eintausend")
        return words

    def ordinal(self, digits: str, suffix: str) -> str:
        if self.code == "en":
            return _english().ordinal(self.integer(digits))
        suffix = suffix.lstrip(".")
        if self.code.startswith("fr") and suffix in ("nd", "nde") and digits == "2":
            return "second" if suffix == "nd" else "seconde"
        words = num2words(int(digits), lang=self.code, to="ordinal")
        if self.code.startswith("fr") and suffix in ("re", "ère") and digits == "1":
            return "première"
        if self.code.startswith("es") and suffix == "ª":
            return re.sub(r"o\b", "a", words)  # segundo -> segunda
        if self.code.startswith("es") and suffix == "er":
            return re.sub(r"ero$", "er", words)  # primero -> primer, tercero -> tercer
        return words

    def number(self, written: str) -> str:
        """A written number without its sign: '0.120' -> 'zero point one two zero'.

        Every digit after the point is said, trailing zeros too: they are on the screen.
        """
        whole, _, fraction = written.replace(",", "").partition(".")
        words = self.integer(whole)
        if fraction:
            words += f" {self.point} " + " ".join(self.integer(d) for d in fraction)
        return words


ENGLISH = Language("en", "minus", "point", TABLES["en"])


def _minus_and_point(code: str) -> tuple[str, str] | None:
    """num2words' own minus and decimal words for ``code``, or None when it has no usable ones."""
    converter = CONVERTER_CLASSES[code]
    minus, point = getattr(converter, "negword", None), getattr(converter, "pointword", None)
    point = point[0] if isinstance(point, tuple) else point
    try:
        if not (isinstance(minus, str) and isinstance(point, str)):  # read them off "-1.5"
            one, five = num2words(1, lang=code), num2words(5, lang=code)
            said = re.fullmatch(rf"(.+?)\s*{re.escape(one)}\s+(.+?)\s+{re.escape(five)}",
                                num2words(-1.5, lang=code))
            minus, point = said.groups() if said else (None, None)
        [num2words(n, lang=code) for n in (*range(10), 784, 10**11 + 1)]
    except Exception:  # noqa: BLE001 - a converter num2words ships broken is one it cannot speak
        return None
    words = [(w or "").strip() for w in (minus, point)]
    return tuple(words) if all(any(c.isalpha() for c in w) for w in words) else None


@lru_cache(maxsize=1)
def speakable() -> dict[str, tuple[str, str]]:
    """Every num2words language whose numbers, minus and decimal words can be said."""
    found = {code: _minus_and_point(code) for code in CONVERTER_CLASSES}
    return {code: words for code, words in found.items() if words}


@lru_cache(maxsize=None)
def language_of(tag: str) -> Language:
    """The words of a voice's language tag ('fr', 'fr-be', 'pt_BR', 'en-us'); VoiceError if none."""
    base, _, region = (tag or "en").strip().lower().replace("_", "-").partition("-")
    base = ALIASES.get(base, base)
    if base == "en":
        return ENGLISH
    regional = f"{base}_{region.split('-')[0].upper()}"
    code = regional if regional in speakable() and base not in BASE_ONLY else base
    if code not in speakable():
        names = sorted({c.split("_")[0] for c in speakable()})
        raise VoiceError(f"narration cannot be spoken in language '{tag}': there are no number words "
                         f"for it; give one of {', '.join(names)}")
    minus, point = speakable()[code]
    symbols = TABLES.get(base, PLAIN)
    if symbols is PLAIN:
        symbols = Symbols(**{**PLAIN.__dict__, "operators": {"\u2212": minus}})
    return Language(code, minus, point, symbols)


def name_words(name: str, language: Language = ENGLISH) -> str:
    """'w_5' / 'w5' / 'w₅' -> 'w five'; 'z_k' -> 'z sub k'; 'ŷ' / 'y_hat' -> 'y hat'."""
    said = language.symbols
    base, rest = name[0], name[1:]
    words = [said.greek.get(base, base)]
    if rest.startswith("\u0302") or rest.startswith("_hat"):
        words.append(said.hat)
        rest = rest[1:] if rest.startswith("\u0302") else rest[4:]
    if rest.startswith("*"):
        words.append(said.star)
        rest = rest[1:]
    index = rest.lstrip("_").removeprefix("{").removesuffix("}").translate(SUBSCRIPTS)
    if index.isdigit():
        words.append(language.integer(index))
    elif index:
        words += [said.sub, _spoken(index, language)]
    return " ".join(w for w in words if w)


def _matrix_words(text: str, language: Language) -> str:
    rows = re.findall(r"\[([^\[\]]*)\]", text)
    widths = {len([c for c in row.split(",") if c.strip()]) for row in rows}
    if len(widths) == 1:
        return language.symbols.matrix.format(rows=language.integer(str(len(rows))),
                                              columns=language.integer(str(widths.pop())))
    return language.symbols.matrix_rows.format(rows=language.integer(str(len(rows))))


def _flat_words(text: str, language: Language) -> str:
    items = [c.strip() for c in text.strip()[1:-1].split(",")]
    if len(items) > 4:
        return language.symbols.long_list.format(count=language.integer(str(len(items))))
    return ", ".join(_spoken(item, language) for item in items)


def _signed(written: str, language: Language) -> str:
    """An exponent, its sign said: '-3' -> 'minus three'."""
    sign = f"{language.minus} " if written[0] in MINUSES else ""
    return sign + language.integer(written.lstrip(MINUSES + "+"))


def _say(match: re.Match, language: Language) -> str:
    group, said = match.groupdict(), language.symbols
    if group["matrix"]:
        return _matrix_words(group["matrix"], language)
    if group["flat"]:
        return _flat_words(group["flat"], language)
    if group["derivative"]:
        return said.derivative.format(top=name_words(group["top"], language),
                                      bottom=name_words(group["bottom"], language))
    if group["size"]:
        return f" {said.by} ".join(language.integer(n) for n in re.split("[x×]", group["size"]))
    if group["sci"]:
        return said.scientific.format(mantissa=language.number(group["sci"]), ten=language.integer("10"),
                                      exponent=_signed(group["exponent"], language))
    if group["ordinal"]:
        return language.ordinal(group["ordinal"], group["suffix"])
    if group["name"]:
        return name_words(group["name"], language)
    if group["number"]:
        return (f"{language.minus} " if group["sign"] else "") + language.number(group["number"])
    if group["symbol"]:
        symbol = group["symbol"]
        return said.greek.get(symbol) or said.operators.get(symbol, symbol)
    if group["power"]:
        return said.power.format(exponent=_signed(group["power_of"], language))
    raise AssertionError(match.lastgroup)  # every alternative of the pattern is handled above


def _spoken(written: str, language: Language) -> str:
    pattern = _pattern(ORDINALS.get(language.code.split("_")[0], ""))
    text = unicodedata.normalize("NFD", written)  # 'ŷ' -> 'y' + combining circumflex
    said = pattern.sub(lambda m: f" {_say(m, language)} ", text)
    said = re.sub(r"\s+([,.;:!?)])", r"\1", said)  # no space before punctuation
    said = re.sub(r"\s+(['’]s\b)", r"\1", said)  # "filter one's", not "filter one 's"
    said = re.sub(r"(?<!\w)(\w)\s+(['’]\w)", r"\1\2", said)  # "c'est", "l'entrée": an elided letter
    said = re.sub(r"([(])\s+", r"\1", said)
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", said).strip())


def spoken(written: str, language: str = "en") -> str:
    """The words a narrator says for ``written`` in ``language`` (a voice's language tag, such as
    'en-us' or 'fr'); see the module's docstring for the rules. VoiceError if it has no words."""
    return _spoken(written, language_of(language))
