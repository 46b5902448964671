"""A render killed with SIGKILL leaves its scratch directory; the next render into the same
directory removes it, and never one whose owner still runs.

Both processes are real: a `convprop render` killed mid-render, and a live process owning a
scratch directory of its own. The next render is a PNG in the light theme, which is checked too
(for test_themes and test_render, which would otherwise render the same picture): the last frame,
at the quality chosen, on the light theme's white. The scene is the shortest, on a tiny lesson:
what it draws is not the point.
"""

import signal
import subprocess
import sys
import time
from pathlib import Path

import av

SCRIPT = Path(sys.executable).parent / "convprop"
RENDER = [str(SCRIPT), "render", "loss-gradient", "--quality", "low", "--input-size", "3", "--kernel-size", "2",
          "--stride", "1"]


def _wait_for(pattern: str, directory: Path, proc, seconds=120) -> Path:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = sorted(directory.glob(pattern))
        if found:
            return found[0]
        assert proc.poll() is None, "the render ended before its scratch directory was seen"
        time.sleep(0.05)
    raise AssertionError(f"no {pattern} in {directory}")


def test_a_killed_render_is_swept_by_the_next_and_a_live_one_is_kept(tmp_path):
    out = tmp_path / "out"
    killed = subprocess.Popen([*RENDER, "--output", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        left = _wait_for(f".convprop-{killed.pid}-*", out, killed)
    finally:
        killed.send_signal(signal.SIGKILL)
        killed.wait()
    assert left.is_dir(), "SIGKILL gives no chance to clean up: the scratch directory stays"

    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    try:
        owned = out / f".convprop-{live.pid}-keep"
        owned.mkdir()
        done = subprocess.run([*RENDER, "--format", "png", "--theme", "light", "--output", str(out)],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        assert not left.exists(), "the leftover of the killed render must be removed"
        assert owned.is_dir(), "a scratch directory whose owner still runs must be kept"
        image = out / "loss-gradient.png"
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        with av.open(str(image)) as container:
            frame = next(container.decode(video=0)).to_ndarray(format="rgb24")
        assert frame.shape == (480, 854, 3)  # --quality low
        assert (frame[0, 0] == 255).all() and (frame[-1, -1] == 255).all()  # the light theme's white
        assert not (frame.min(axis=2) > 240).all()  # something is drawn on it
        assert not [p for p in out.glob(".convprop-*") if p != owned]
    finally:
        live.kill()
        live.wait()
