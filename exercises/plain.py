"""The sheets' Typst math as plain text, for a quiz question that shows it where no math is set.

A quiz question in an LMS is read as text (Moodle shows its HTML; GIFT is text), so the names
and formulas the sheet sets as math are written the way the questions' prompts write them:
``(partial L) / (partial z_k)`` is ``dL/dz_k``, ``hat(y)`` is ``y_hat``, ``w_(f c)`` is ``w_fc``.
Only the idioms the topics use are known; anything else passes through as it is.

>>> plain_math('(partial L) / (partial W_(2,2)[3,1])')
'dL/dW_(2,2)[3,1]'
>>> plain_math('s = w_(f c) dot F + b_(f c)')
's = w_fc · F + b_fc'
>>> plain_math('A = op("ReLU")(Z)')
'A = ReLU(Z)'
"""

import re

WORDS = (
    (re.compile(r"hat\((\w)\)"), r"\1_hat"),
    (re.compile(r'op\("(\w+)"\)_\((\w+)\)'), r"\1\2"),
    (re.compile(r'op\("(\w+)"\)'), r"\1"),
    (re.compile(r'"([^"]*)"'), r"\1"),
    (re.compile(r"_\(f c(, )?"), r"_(fc\1"),
    (re.compile(r"_\(fc\)"), "_fc"),
    (re.compile(r"_\((\w+)\)(?![\[(])"), r"_\1"),
    (re.compile(r"\^\(\((\w+)\)\)"), r"^(\1)"),
    (re.compile(r"\^\*"), "*"),
    (re.compile(r"\bsigma\("), "sigmoid("),
    (re.compile(r"\b(sum|Sigma)_(\w)"), r"sum_\2"),
    (re.compile(r" dot\.o "), " ⊙ "),
    (re.compile(r" dot "), " · "),
    (re.compile(r" star "), " ∗ "),
    (re.compile(r" -> "), " → "),
)


def _partials(text: str) -> str:
    """``(partial A) / (partial B)`` -> ``dA/dB``, A and B possibly holding brackets."""
    out, i = [], 0
    while True:
        start = text.find("(partial ", i)
        if start < 0:
            return "".join(out) + text[i:]
        top, after_top = _bracketed(text, start)
        slash = re.compile(r"\s*/\s*\(partial ").match(text, after_top)
        if not slash:
            out.append(text[i:after_top])
            i = after_top
            continue
        bottom, after_bottom = _bracketed(text, slash.end() - len("(partial "))
        out.append(text[i:start] + f"d{top}/d{bottom}")
        i = after_bottom


def _bracketed(text: str, start: int) -> tuple[str, int]:
    """The name inside ``(partial ...)`` starting at ``start``, and the index after its ``)``."""
    depth = 0
    for j in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[j], 0)
        if depth == 0:
            return text[start + len("(partial "):j].strip(), j + 1
    return text[start:], len(text)


def plain_math(source: str) -> str:
    text = _partials(source)
    for pattern, replacement in WORDS:
        text = pattern.sub(replacement, text)
    return text
