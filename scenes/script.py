"""The lecture's script: every beat's id, caption and narration, written out, and read back edited.

``tell`` runs a scene without drawing a frame (as the on-screen checks do) and returns its
beats as told (``narration.Line``): the script is whatever the stories say for this lesson,
never a copy kept beside them. ``document`` makes the script a JSON-able dict, ``markdown`` the
same for people; each beat carries its narration as a template (``{w5}``), as written (digits,
the screen's), as it will be spoken (``voice.spoken``), and its placeholders with their values.

An edited copy (a rewritten or translated script, JSON or Markdown as written here) comes back
with ``read_script``; ``templates_for`` checks it against this lesson's beats and refuses, in
one line naming it, an unknown beat id, a missing beat, an unknown placeholder, a beat given
more or fewer clauses than it plays steps, or a script written for another configuration.

A beat said in steps (``narration.clauses``) is written with one narration per step: a list
in JSON, numbered ``Narration 1:``, ``Narration 2:`` lines in Markdown, and under ``clauses``
each step's sentence with the id its clip or take has (``weight-update/04/2``).
"""

import dataclasses
import json
import re
import tempfile
from pathlib import Path

from manim import tempconfig

from convprop.scenes.narration import Narrator, ScriptError, placeholders
from convprop.scenes.voice.spoken import spoken

NOT_WRITTEN = "caption only: narration not yet written"
FORMATS = ("md", "json")


def tell(scene_cls, trace, templates: dict | None = None, clips: dict | None = None) -> list:
    """The beats ``scene_cls`` tells with ``trace`` (only those that show something), in order;
    timed as a voice's ``clips`` (by clause id) would time them, when given."""
    narrator = Narrator(templates=dict(templates or {}), clips=dict(clips or {}))
    told = type(scene_cls.__name__, (scene_cls,), {"narrator_factory": lambda self=None: narrator})
    with tempfile.TemporaryDirectory() as media, tempconfig(
        {"dry_run": True, "media_dir": media, "verbosity": "ERROR", "quality": "low_quality",
         "disable_caching": True, "progress_bar": "none", "write_to_movie": False}
    ):
        scene = told(trace, skip_animations=True)
        scene.renderer.update_frame = lambda *args, **kwargs: None  # nothing is drawn: no frame is looked at
        scene.renderer.save_static_frame_data = lambda *args, **kwargs: None
        scene.render()
    return narrator.lines


def configuration(trace) -> dict:
    """What a script is written for: the lesson's model settings, as JSON gives them back."""
    return json.loads(json.dumps(dataclasses.asdict(trace.config)))


def _path_text(path) -> str:
    return ".".join(str(step) if not isinstance(step, tuple) else ",".join(map(str, step)) for step in path)


def document(lines, trace, scene: str | None = None, language: str = "en") -> dict:
    """The script as a JSON-able dict: the configuration and one entry per beat, its sentences
    spoken in ``language`` (VoiceError, one line, for a language with no number words)."""
    beats = []
    for line in lines:
        texts = line.narration.texts(trace)
        parts = line.narration.parts
        beat = {
            "id": line.id,
            "caption": line.caption,
            "narration": line.template if len(parts) == 1 else list(parts),
            "written": line.written,
            "spoken": spoken(line.written, language),
            "placeholders": {name: {"value": texts[name], "path": _path_text(num.path), "decimals": num.decimals}
                             for name, num in line.narration.values.items()},
            "status": "written" if line.narration.written_by_teacher else NOT_WRITTEN,
        }
        if len(parts) > 1:  # what each step says, under the id its clip (or take) has
            beat["clauses"] = [{"id": clause, "written": text, "spoken": spoken(text, language)}
                               for clause, text in zip(line.clause_ids, line.narration.written_parts(trace))]
        beats.append(beat)
    return {"scene": scene or "lecture", "configuration": configuration(trace), "beats": beats}


def markdown(doc: dict) -> str:
    """The script for people: a heading per beat; ``Narration:`` is the line to edit, or
    ``Narration 1:``, ``Narration 2:``, ... one per step, for a beat said in clauses."""
    out = [f"# Script: {doc['scene']}", "",
           "Edit the Narration lines only; keep each {placeholder}: it is replaced by this lesson's number.",
           "", f"Configuration: `{json.dumps(doc['configuration'], separators=(', ', ': '))}`", ""]
    for beat in doc["beats"]:
        out += [f"## {beat['id']}", "", f"Caption: {beat['caption']}", ""]
        if isinstance(beat["narration"], str):
            out += [f"Narration: {beat['narration']}", ""]
        else:  # one line per step, numbered as the clauses' ids and takes are
            out += [f"Narration {n}: {part}" for n, part in enumerate(beat["narration"], 1)] + [""]
        out += [f"Written: {beat['written']}", "", f"Spoken: {beat['spoken']}", ""]
        if beat["placeholders"]:
            out += ["Placeholders: " + ", ".join(f"{{{name}}} = {p['value']}" for name, p in beat["placeholders"].items()),
                    ""]
        if beat["status"] != "written":
            out += [f"Status: {beat['status']}", ""]
    return "\n".join(out)


def read_script(path: Path) -> tuple[dict | None, dict]:
    """An edited script file -> (its configuration, {beat id: narration template, or a tuple of
    one per clause}); ScriptError (one line) when it cannot be read as one."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScriptError(f"script '{path}' does not exist; write one with `convprop script --format json`") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ScriptError(f"script '{path}' cannot be read ({getattr(err, 'strerror', None) or err}); "
                          "give a UTF-8 file `convprop script` wrote") from None
    if text.lstrip().startswith("{"):
        try:
            doc = json.loads(text)
            beats = doc["beats"]
            templates = {beat["id"]: _template(beat["narration"]) for beat in beats}
            return doc.get("configuration"), templates
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as err:
            raise ScriptError(f"script '{path}' is not a script `convprop script --format json` writes ({err}); "
                              "export it again") from None
    found = re.search(r"^Configuration: `(.*)`\s*$", text, re.M)
    try:
        config = json.loads(found.group(1)) if found else None
    except json.JSONDecodeError:
        raise ScriptError(f"script '{path}': its Configuration line is not the JSON it was written with; "
                          "export it again") from None
    templates, current = {}, None
    for row in text.splitlines():
        if row.startswith("## "):
            current = row[3:].strip()
            if current in templates:
                raise ScriptError(f"script '{path}' has beat {current} twice; keep one")
            templates[current] = None
        elif row.startswith("Narration:") and current is not None:
            templates[current] = row[len("Narration:"):].strip()
        elif (numbered := re.match(r"Narration (\d+):(.*)$", row)) and current is not None:
            clause, text = int(numbered.group(1)), numbered.group(2).strip()
            parts = templates[current] if isinstance(templates[current], tuple) else ()
            if clause != len(parts) + 1:
                raise ScriptError(f"script '{path}': beat {current} has Narration {clause} after "
                                  f"{f'Narration {len(parts)}' if parts else 'no numbered Narration'}; "
                                  "number its lines 1, 2, 3 in order")
            templates[current] = (*parts, text)
    if not templates:
        raise ScriptError(f"script '{path}' has no beats (## <scene>/<NN> headings); export it with `convprop script`")
    empty = [beat for beat, template in templates.items() if not template or not all(_parts(template))]
    if empty:
        raise ScriptError(f"script '{path}': beat {empty[0]} has no Narration line; give it one")
    return config, templates


def templates_for(path: Path, lines, trace) -> dict:
    """The edited script at ``path`` checked against the beats ``lines`` of this lesson: its
    templates by beat id; ScriptError naming the first problem."""
    config, templates = read_script(path)
    ours = configuration(trace)
    if config is not None and config != ours:
        changed = next(key for key in sorted(set(config) | set(ours)) if config.get(key) != ours.get(key))
        raise ScriptError(f"script '{path}' was written for {changed.replace('_', '-')} {_shown(config.get(changed))}, "
                          f"this lesson has {_shown(ours.get(changed))}; give the same options, or export the script "
                          "again and edit that")
    known = {line.id: line for line in lines}
    unknown = [beat for beat in templates if beat not in known]
    if unknown:
        raise ScriptError(f"script '{path}' has beat {unknown[0]}, which this lesson does not tell; "
                          f"its beats are {_span(list(known))}")
    missing = [beat for beat in known if beat not in templates]
    if missing:
        raise ScriptError(f"script '{path}' lacks beat {missing[0]}"
                          f"{f' and {len(missing) - 1} more' if len(missing) > 1 else ''}; "
                          "give every beat its narration")
    for beat, template in templates.items():
        want, have = len(known[beat].narration.parts), len(_parts(template))
        if want != have:
            raise ScriptError(f"script '{path}', beat {beat} has {have} clause{'s' if have > 1 else ''}, and "
                              f"this beat plays {want} step{'s' if want > 1 else ''}: give it "
                              + ("one Narration line" if want == 1 else f"Narration 1 to {want}, one per step"))
        try:
            names = [name for part in _parts(template) for name in placeholders(part)]
        except ScriptError as err:
            raise ScriptError(f"script '{path}', beat {beat}: {err}") from None
        bound = known[beat].narration.values
        for name in names:
            if name not in bound:
                have = ", ".join(f"{{{n}}}" for n in bound) or "none"
                raise ScriptError(f"script '{path}', beat {beat} names {{{name}}}, which this beat does not have; "
                                  f"its placeholders are {have}")
    return templates


def edited(lines, templates: dict, trace) -> list:
    """``lines`` saying the edited ``templates`` (checked by ``templates_for``) with this lesson's numbers."""
    out = []
    for line in lines:
        narration = line.narration.edited(templates.get(line.id, line.narration.parts))
        parts = tuple(narration.written_parts(trace))
        out.append(dataclasses.replace(line, narration=narration, written=" ".join(parts), clauses=parts))
    return out


def _template(narration):
    """A JSON script's narration: a string, or a list of one string per clause (a tuple here)."""
    if isinstance(narration, str):
        return narration
    if isinstance(narration, list) and narration and all(isinstance(part, str) for part in narration):
        return tuple(narration) if len(narration) > 1 else narration[0]
    raise TypeError(f"a narration is a string or a list of strings, not {narration!r:.40}")


def _parts(template) -> tuple:
    return (template,) if isinstance(template, str) else tuple(template)


def _shown(value) -> str:
    if isinstance(value, list):
        return "x".join(map(str, value))
    return json.dumps(value)


def _span(ids: list[str]) -> str:
    return ", ".join(ids) if len(ids) <= 4 else f"{ids[0]} to {ids[-1]}"
