"""The lecture's script: every beat's id, caption and narration, written out, and read back edited.

``tell`` runs a scene without drawing a frame (as the on-screen checks do) and returns its
beats as told (``narration.Line``): the script is whatever the stories say for this lesson,
never a copy kept beside them. ``document`` makes the script a JSON-able dict, ``markdown`` the
same for people; each beat carries its narration as a template (``{w5}``), as written (digits,
the screen's), as it will be spoken (``voice.spoken``), and its placeholders with their values.

An edited copy (a rewritten or translated script, JSON or Markdown as written here) comes back
with ``read_script``; ``templates_for`` checks it against this lesson's beats and refuses, in
one line naming it, an unknown beat id, a missing beat, an unknown placeholder or a script
written for another configuration.
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


def tell(scene_cls, trace, templates: dict | None = None) -> list:
    """The beats ``scene_cls`` tells with ``trace`` (only those that show something), in order."""
    narrator = Narrator(templates=dict(templates or {}))
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


def document(lines, trace, scene: str | None = None) -> dict:
    """The script as a JSON-able dict: the configuration and one entry per beat."""
    beats = []
    for line in lines:
        texts = line.narration.texts(trace)
        beats.append({
            "id": line.id,
            "caption": line.caption,
            "narration": line.template,
            "written": line.written,
            "spoken": spoken(line.written),
            "placeholders": {name: {"value": texts[name], "path": _path_text(num.path), "decimals": num.decimals}
                             for name, num in line.narration.values.items()},
            "status": "written" if line.narration.written_by_teacher else NOT_WRITTEN,
        })
    return {"scene": scene or "lecture", "configuration": configuration(trace), "beats": beats}


def markdown(doc: dict) -> str:
    """The script for people: a heading per beat; ``Narration:`` is the line to edit."""
    out = [f"# Script: {doc['scene']}", "",
           "Edit the Narration lines only; keep each {placeholder}: it is replaced by this lesson's number.",
           "", f"Configuration: `{json.dumps(doc['configuration'], separators=(', ', ': '))}`", ""]
    for beat in doc["beats"]:
        out += [f"## {beat['id']}", "", f"Caption: {beat['caption']}", "", f"Narration: {beat['narration']}", "",
                f"Written: {beat['written']}", "", f"Spoken: {beat['spoken']}", ""]
        if beat["placeholders"]:
            out += ["Placeholders: " + ", ".join(f"{{{name}}} = {p['value']}" for name, p in beat["placeholders"].items()),
                    ""]
        if beat["status"] != "written":
            out += [f"Status: {beat['status']}", ""]
    return "\n".join(out)


def read_script(path: Path) -> tuple[dict | None, dict]:
    """An edited script file -> (its configuration, {beat id: narration template}); ScriptError
    (one line) when it cannot be read as one."""
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
            return doc.get("configuration"), {beat["id"]: beat["narration"] for beat in beats}
        except (json.JSONDecodeError, KeyError, TypeError) as err:
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
    if not templates:
        raise ScriptError(f"script '{path}' has no beats (## <scene>/<NN> headings); export it with `convprop script`")
    empty = [beat for beat, template in templates.items() if not template]
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
        try:
            names = placeholders(template)
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
        template = templates.get(line.id, line.template)
        narration = dataclasses.replace(line.narration, template=template)
        out.append(dataclasses.replace(line, narration=narration, written=narration.written(trace)))
    return out


def _shown(value) -> str:
    if isinstance(value, list):
        return "x".join(map(str, value))
    return json.dumps(value)


def _span(ids: list[str]) -> str:
    return ", ".join(ids) if len(ids) <= 4 else f"{ids[0]} to {ids[-1]}"
