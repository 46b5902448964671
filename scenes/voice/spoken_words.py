"""The words a teacher says for the symbols of a lesson, one table per language.

``spoken`` says numbers in any language num2words knows; what it cannot get from num2words is
how a teacher reads a derivative, a hat, an equals sign or a Greek letter aloud. Those words are
here, written as a teacher of that language says them (French "d L sur d w cinq", German
"y Dach", Spanish "igual a"). A language without a table here (Italian, Dutch, ...) has its
numbers said in its own words and its symbols in their plainest form (``PLAIN``): the names and
indices alone, and every other symbol left as written for the speech engine, which reads "=",
"≈" or "α" in its own language.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Symbols:
    """How one language says what is not a number. ``{}`` fields are filled with spoken words."""

    derivative: str  # "d {top} by d {bottom}"
    hat: str
    star: str
    sub: str  # before a letter index: "z sub k"; "" says the index alone
    by: str  # between the sides of a size: "three by three"
    matrix: str  # "a {rows} by {columns} matrix"
    matrix_rows: str  # a ragged one: "a matrix of {rows} rows"
    long_list: str  # "a list of {count} numbers"
    power: str  # "to the power of {exponent}"
    scientific: str  # "{mantissa} times {ten} to the power of {exponent}"
    operators: dict = field(default_factory=dict)  # a symbol missing here is left as written
    greek: dict = field(default_factory=dict)


ENGLISH = Symbols(
    derivative="d {top} by d {bottom}", hat="hat", star="star", sub="sub", by="by",
    matrix="a {rows} by {columns} matrix", matrix_rows="a matrix of {rows} rows",
    long_list="a list of {count} numbers", power="to the power of {exponent}",
    scientific="{mantissa} times {ten} to the power of {exponent}",
    operators={
        "=": "equals", "+": "plus", "\u2212": "minus", "×": "times", "·": "times", "÷": "divided by",
        "≈": "is about", "≠": "is not", "≤": "is at most", "≥": "is at least", "<": "is less than",
        ">": "is greater than", "→": "to", "←": "becomes", "∑": "the sum of",
        "√": "the square root of", "%": "percent", "²": "squared", "³": "cubed", "∞": "infinity",
        "∂": "d",
    },
    greek={
        "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
        "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
        "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi",
        "χ": "chi", "ψ": "psi", "ω": "omega", "Γ": "capital gamma", "Δ": "capital delta",
        "Θ": "capital theta", "Λ": "capital lambda", "Π": "capital pi", "Σ": "capital sigma",
        "Φ": "capital phi", "Ψ": "capital psi", "Ω": "capital omega",
    },
)

FRENCH = Symbols(
    derivative="d {top} sur d {bottom}", hat="chapeau", star="étoile", sub="indice", by="par",
    matrix="une matrice {rows} par {columns}", matrix_rows="une matrice de {rows} lignes",
    long_list="une liste de {count} nombres", power="puissance {exponent}",
    scientific="{mantissa} fois {ten} puissance {exponent}",
    operators={
        "=": "égale", "+": "plus", "\u2212": "moins", "×": "fois", "·": "fois", "÷": "divisé par",
        "≈": "environ égal à", "≠": "différent de", "≤": "inférieur ou égal à",
        "≥": "supérieur ou égal à", "<": "inférieur à", ">": "supérieur à", "→": "tend vers",
        "←": "devient", "∑": "la somme de", "√": "racine carrée de", "%": "pour cent",
        "²": "au carré", "³": "au cube", "∞": "l'infini", "∂": "d",
    },
    greek={
        "α": "alpha", "β": "bêta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "dzêta",
        "η": "êta", "θ": "thêta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
        "ξ": "ksi", "π": "pi", "ρ": "rhô", "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi",
        "χ": "khi", "ψ": "psi", "ω": "oméga", "Γ": "gamma majuscule", "Δ": "delta majuscule",
        "Θ": "thêta majuscule", "Λ": "lambda majuscule", "Π": "pi majuscule",
        "Σ": "sigma majuscule", "Φ": "phi majuscule", "Ψ": "psi majuscule",
        "Ω": "oméga majuscule",
    },
)

GERMAN = Symbols(
    derivative="d {top} nach d {bottom}", hat="Dach", star="Stern", sub="Index", by="mal",
    matrix="eine {rows}-mal-{columns}-Matrix", matrix_rows="eine Matrix mit {rows} Zeilen",
    long_list="eine Liste von {count} Zahlen", power="hoch {exponent}",
    scientific="{mantissa} mal {ten} hoch {exponent}",
    operators={
        "=": "gleich", "+": "plus", "\u2212": "minus", "×": "mal", "·": "mal", "÷": "geteilt durch",
        "≈": "ungefähr gleich", "≠": "ungleich", "≤": "kleiner oder gleich",
        "≥": "größer oder gleich", "<": "kleiner als", ">": "größer als", "→": "gegen",
        "←": "wird zu", "∑": "die Summe von", "√": "die Wurzel aus", "%": "Prozent",
        "²": "Quadrat", "³": "hoch drei", "∞": "unendlich", "∂": "d",
    },
    greek={
        "α": "Alpha", "β": "Beta", "γ": "Gamma", "δ": "Delta", "ε": "Epsilon", "ζ": "Zeta",
        "η": "Eta", "θ": "Theta", "ι": "Iota", "κ": "Kappa", "λ": "Lambda", "μ": "My", "ν": "Ny",
        "ξ": "Xi", "π": "Pi", "ρ": "Rho", "σ": "Sigma", "τ": "Tau", "υ": "Ypsilon", "φ": "Phi",
        "χ": "Chi", "ψ": "Psi", "ω": "Omega", "Γ": "großes Gamma", "Δ": "großes Delta",
        "Θ": "großes Theta", "Λ": "großes Lambda", "Π": "großes Pi", "Σ": "großes Sigma",
        "Φ": "großes Phi", "Ψ": "großes Psi", "Ω": "großes Omega",
    },
)

SPANISH = Symbols(
    derivative="d {top} entre d {bottom}", hat="gorro", star="estrella", sub="sub", by="por",
    matrix="una matriz de {rows} por {columns}", matrix_rows="una matriz de {rows} filas",
    long_list="una lista de {count} números", power="elevado a {exponent}",
    scientific="{mantissa} por {ten} elevado a {exponent}",
    operators={
        "=": "igual a", "+": "más", "\u2212": "menos", "×": "por", "·": "por", "÷": "entre",
        "≈": "aproximadamente igual a", "≠": "distinto de", "≤": "menor o igual que",
        "≥": "mayor o igual que", "<": "menor que", ">": "mayor que", "→": "tiende a",
        "←": "pasa a ser", "∑": "la suma de", "√": "la raíz cuadrada de", "%": "por ciento",
        "²": "al cuadrado", "³": "al cubo", "∞": "infinito", "∂": "d",
    },
    greek={
        "α": "alfa", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "épsilon", "ζ": "dseta",
        "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
        "ξ": "xi", "π": "pi", "ρ": "ro", "σ": "sigma", "τ": "tau", "υ": "ípsilon", "φ": "fi",
        "χ": "ji", "ψ": "psi", "ω": "omega", "Γ": "gamma mayúscula", "Δ": "delta mayúscula",
        "Θ": "theta mayúscula", "Λ": "lambda mayúscula", "Π": "pi mayúscula",
        "Σ": "sigma mayúscula", "Φ": "fi mayúscula", "Ψ": "psi mayúscula",
        "Ω": "omega mayúscula",
    },
)

# Any other language: names and indices alone, sizes and shapes with the "x" the screen writes,
# every other symbol as written (the engine reads it in its language).
PLAIN = Symbols(
    derivative="d {top} / d {bottom}", hat="", star="", sub="", by="x",
    matrix="{rows} x {columns}", matrix_rows="[{rows}]", long_list="[{count}]",
    power="^ {exponent}", scientific="{mantissa} x {ten} ^ {exponent}",
)

TABLES = {"en": ENGLISH, "fr": FRENCH, "de": GERMAN, "es": SPANISH}
# Every symbol any table says; the pattern that finds them is one for all languages.
SYMBOLS = "".join(dict.fromkeys([*ENGLISH.greek, *ENGLISH.operators]))
