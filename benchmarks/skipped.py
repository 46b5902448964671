"""Process seconds of a Manim scene played through with its animations skipped: no frame is
painted and nothing is written, as a parallel lecture's worker plays the sections it skips and as
the tests walk a scene. What the benchmarks of one move (a table filling in, fades) time."""

import tempfile
import time

from manim import tempconfig


def skipped_seconds(scene_cls) -> float:
    """Process seconds to construct and play ``scene_cls`` with animations skipped."""
    with tempfile.TemporaryDirectory() as media, tempconfig({"dry_run": True, "media_dir": media, "verbosity": "ERROR",
                                                             "progress_bar": "none", "disable_caching": True}):
        start = time.process_time()
        scene_cls(skip_animations=True).render()
        return time.process_time() - start
