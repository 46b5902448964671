"""A small reader of GIFT, the Moodle quiz format, written from its specification, to read back
what the exercises write. It knows what they use: // comments, $CATEGORY lines, an optional
::title::, the question text, and a numerical answer block {#=value:tolerance =%50%value:tolerance}
(or {#value:tolerance}). Inside a title or text the characters ~ = # { } : are escaped with a
backslash. Questions are separated by blank lines.
"""

from dataclasses import dataclass

SPECIAL = "~=#{}:"


@dataclass(frozen=True)
class GiftQuestion:
    title: str
    text: str
    answers: tuple[tuple[float, float, float], ...]  # (percent, value, tolerance)
    category: str | None


def _unescape(s: str) -> str:
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s) and s[i + 1] in SPECIAL + "\\":
            out.append(s[i + 1])
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def _until(s: str, start: int, stop: str) -> int:
    """Index of the first unescaped ``stop`` at or after ``start``."""
    i = start
    while i < len(s):
        if s[i] == "\\":
            i += 2
            continue
        if s.startswith(stop, i):
            return i
        i += 1
    raise ValueError(f"no unescaped {stop!r} after position {start}")


def _numerical(block: str) -> tuple[tuple[float, float, float], ...]:
    if not block.startswith("#"):
        raise ValueError(f"not a numerical answer block: {block!r}")
    body = block[1:].strip()
    parts = body.split() if body.startswith("=") else ["=" + body]
    answers = []
    for part in parts:
        if not part.startswith("="):
            raise ValueError(f"answer {part!r} does not start with =")
        part = part[1:]
        percent = 100.0
        if part.startswith("%"):
            end = part.index("%", 1)
            percent, part = float(part[1:end]), part[end + 1:]
        value, tolerance = part.rsplit(":", 1) if part.count(":") else (part, "0")
        answers.append((percent, float(value), float(tolerance)))
    return tuple(answers)


def read_gift(text: str) -> list[GiftQuestion]:
    questions, category = [], None
    chunks, current = [], []
    for line in text.splitlines():
        if line.strip().startswith("//"):
            continue
        if line.startswith("$CATEGORY:"):
            category = line[len("$CATEGORY:"):].strip()
            continue
        if not line.strip():
            if current:
                chunks.append((category, "\n".join(current)))
                current = []
            continue
        current.append(line)
    if current:
        chunks.append((category, "\n".join(current)))
    for cat, chunk in chunks:
        title, rest = "", chunk
        if chunk.startswith("::"):
            end = _until(chunk, 2, "::")
            title, rest = _unescape(chunk[2:end]), chunk[end + 2:]
        open_ = _until(rest, 0, "{")
        close = _until(rest, open_ + 1, "}")
        if rest[close + 1:].strip():
            raise ValueError("text after the answer block is not used by the exercises")
        questions.append(GiftQuestion(title=title, text=_unescape(rest[:open_]).strip(),
                                      answers=_numerical(rest[open_ + 1:close].strip()), category=cat))
    return questions
