"""Render a scene to a file that appears whole or not at all.

Manim writes partial movie files and caches as it goes; all of that happens in a temporary
directory, and only the finished file is moved into the output directory.
"""

import os
from pathlib import Path

from manim import tempconfig
from manim.scene.scene_file_writer import SceneFileWriter

from convprop import interrupts
from convprop.scenes.captions import from_srt
from convprop.scenes.outputs import QUALITIES
from convprop.scenes.workdir import scratch_dir



def _manim_options(quality: str, fmt: str, media_dir: str, name: str, sections: bool, look: dict) -> dict:
    options = {**look,
        "quality": QUALITIES[quality], "media_dir": media_dir, "output_file": name,
        "verbosity": "WARNING", "progress_bar": "none", "disable_caching": True,
        "preview": False, "save_sections": sections and fmt != "png",
    }
    if fmt == "png":
        options.update(save_last_frame=True, write_to_movie=False)
    else:
        options.update(format=fmt, write_to_movie=True)
    return options


class _ClipsOnlyWriter(SceneFileWriter):
    """Manim's file writer without its join of the whole movie: each section's clip is still
    joined from the partial movie files, the movie made of all of them is not."""

    def combine_to_movie(self) -> None:
        pass


def render_scene(scene_cls, trace, name: str, quality: str, fmt: str, output_dir: Path,
                 sections: bool = False, look: dict | None = None, movie: bool = True) -> dict:
    """Render and move the results into ``output_dir``; returns {'video'|'image': path, ...}.

    With ``sections``, each Manim section is also saved as its own clip, in ``NAME-sections/``.
    ``look`` holds Manim settings of the picture (see ``scenes.kit.style.look``: theme, transparency).
    ``movie=False`` (with ``sections`` and a video format) leaves out the whole movie, and
    'video' from the result: for a caller that joins the clips itself (the parallel lecture),
    Manim's join of the same packets into one more file is work thrown away.
    """
    if not movie and not (sections and fmt != "png"):
        raise ValueError("movie=False keeps only the section clips: it needs sections=True and a video format")
    output_dir = Path(output_dir)
    created = not output_dir.exists()
    output_dir.mkdir(parents=True, exist_ok=True)
    try:
        return _render_into(scene_cls, trace, name, quality, fmt, output_dir, sections, look or {}, movie)
    except BaseException:
        if created and not any(output_dir.iterdir()):
            output_dir.rmdir()  # a failed render leaves no trace, not even its directory
        raise


def _render_into(scene_cls, trace, name, quality, fmt, output_dir: Path, sections: bool, look: dict,
                 movie: bool) -> dict:
    with scratch_dir(output_dir) as tmp:
        with tempconfig(_manim_options(quality, fmt, str(tmp), name, sections, look)):
            scene = scene_cls(trace)
            if not movie:  # before anything is written: the writer Manim made is unused so far
                scene.renderer.file_writer = _ClipsOnlyWriter(scene.file_writer_settings)
            scene.render()
            writer = scene.renderer.file_writer
            produced = Path(writer.image_file_path if fmt == "png" else writer.movie_file_path)
            srt = produced.with_suffix(".srt")
            if movie and fmt != "png" and getattr(getattr(scene, "narrator", None), "clips", None):
                from convprop.scenes.soundtrack import finish

                finish(produced, scene.sound_track)  # a voice spoke: as long as the picture, -16 LUFS, 48 kHz
            clips = writer.sections_output_dir if sections and fmt != "png" else None
        interrupts.check()  # a Ctrl-C whose KeyboardInterrupt a library swallowed: move nothing into place
        results = {}
        if clips is not None and clips.is_dir():
            clip_dir = output_dir / f"{name}-sections"
            for old in clip_dir.glob("*") if clip_dir.is_dir() else ():
                old.unlink()  # clips of an earlier render of the same name
            os.replace(clips, clip_dir)
            results["sections"] = sorted(clip_dir.glob(f"*.{fmt}"))
        if movie:
            final = output_dir / f"{name}.{fmt}"
            os.replace(produced, final)
            results["image" if fmt == "png" else "video"] = final
        if srt.exists():
            vtt = srt.with_suffix(".vtt")
            vtt.write_text(from_srt(srt.read_text(encoding="utf-8")), encoding="utf-8")
            os.replace(srt, output_dir / f"{name}.srt")
            os.replace(vtt, output_dir / f"{name}.vtt")
            results["captions"] = [output_dir / f"{name}.srt", output_dir / f"{name}.vtt"]
        return results
