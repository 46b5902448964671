"""A worksheet never prints an answer it asks for.

A later section often starts from what an earlier one computes: the chain rule from dL/dZ,
the update from dL/dW. Printed as a given, such a table would show the very number a box on
the same sheet asks for (dL/dz_3, asked in 2.5, in section 3's dL/dZ). So a given value that
is an answer on the sheet is printed as its box's number, [2.5], with a note under it: use
your answer to 2.5. A given is that answer when it comes from the same place in the
command's JSON, or when it prints as the same non-zero answer (ReLU's A holds Z's positive
cells; the batch's first image is the lesson's own).

The quiz does not read these: each of its questions stands alone and prints the numbers.
"""

import copy

from convprop.exercises.document import note
from convprop.exercises.numbers import fixed


def refer(sections: list, questions) -> list:
    """``sections`` with every given that is an answer asked on the sheet replaced by its box."""
    by_source = {q.path: q.number for q in questions if q.command == "compute"}
    by_value = [(q.shown, len(q.shown.partition(".")[2]), q.number) for q in questions
                if q.answer != 0 and "." in q.shown]

    def asked(item: dict) -> str | None:
        if "value" not in item:
            return None
        if item.get("source") in by_source:
            return by_source[item["source"]]
        # the same number reached another way (the batch's first image is the lesson's own)
        return next((n for shown, d, n in by_value if fixed(item["value"], d) == shown), None)

    out = []
    for section in copy.deepcopy(sections):
        blocks = []
        for block in section["blocks"]:
            used = []
            if block["type"] == "grids":
                for grid in block["items"]:
                    for row in grid["cells"]:
                        for cell in row:
                            number = asked(cell)
                            if number:
                                cell["text"] = f"[{number}]"
                                used.append(number)
            for run in block.get("runs", []):
                number = asked(run)
                if number:
                    run["math"] = f"{run['prefix']}\"[{number}]\""
                    used.append(number)
            blocks.append(block)
            if used:
                boxes = sorted(set(used), key=lambda n: tuple(int(p) for p in n.split(".")))
                first, *rest = boxes
                said = f"[{first}]: use your answer to {first}" + (
                    f"; the same for {', '.join(f'[{n}]' for n in rest)}." if rest else ".")
                blocks.append(note(said, worked=block["worked"]))
        out.append({**section, "blocks": blocks})
    return out

