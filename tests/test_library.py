"""convprop used as a Manim library, the way a course author uses it.

Everything runs for real in a separate process: Manim's own `manim render` on the files in
examples/, a user's project whose own `scenes/` package and `cli.py` would shadow convprop's if
convprop's imports were not its own, an IPython shell running the `%%manim` cell magic, and
Manim's configuration (manim.cfg, -q, the background colour) deciding the render.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import PIL.Image
import pytest

from convprop.scenes.kit.style import THEMES

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
BIN = Path(sys.executable).parent
SHADOWS = "raise ImportError('the user project own {} was imported instead of convprop')\n"

pytestmark = pytest.mark.xdist_group("library")


def run(args, cwd, timeout=600):
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, (args, done.stdout[-1500:], done.stderr[-3000:])
    return done


def last_frame(media: Path, scene: str) -> np.ndarray:
    found = sorted(media.glob(f"images/**/{scene}*.png"))
    assert found, f"no frame of {scene} under {media}"
    return np.asarray(PIL.Image.open(found[-1]).convert("RGB"))


def user_project(tmp_path: Path) -> Path:
    """A course author's folder: their own scenes/ package and cli.py, which must never be used."""
    (tmp_path / "scenes").mkdir()
    (tmp_path / "scenes" / "__init__.py").write_text(SHADOWS.format("scenes package"))
    (tmp_path / "mathcore").mkdir()
    (tmp_path / "mathcore" / "__init__.py").write_text(SHADOWS.format("mathcore package"))
    (tmp_path / "cli.py").write_text(SHADOWS.format("cli.py"))
    return tmp_path


# one `manim render` a file, naming each of its scenes: Manim renders them one after the other
EXAMPLE_SCENES = [
    ("my_lesson.py", ("SevenBySevenForward", "HandPickedKernel")),
    ("my_own_scene.py", ("ForwardThenQuestion",)),
    ("slides_light.py", ("KernelGradientLight",)),
]


@pytest.mark.parametrize("example, scenes", EXAMPLE_SCENES,
                         ids=["-".join((example, *scenes)) for example, scenes in EXAMPLE_SCENES])
def test_every_example_renders_with_manims_own_command(tmp_path, example, scenes):
    project = user_project(tmp_path)
    (project / example).write_text((EXAMPLES / example).read_text())
    run([str(BIN / "manim"), "render", "-ql", "-s", example, *scenes], project)
    for scene in scenes:
        frame = last_frame(project / "media", scene)
        assert frame.shape == (480, 854, 3)
        if scene.endswith("Light"):
            assert (frame[0, 0] == 255).all()  # the light theme's white background


def test_the_cli_works_from_a_project_with_its_own_scenes_and_cli(tmp_path):
    project = user_project(tmp_path)
    data = json.loads(run([str(BIN / "convprop"), "compute", "--json"], project).stdout)
    assert np.shape(data["z"]) == (2, 2)
    # python -c puts the working directory first on sys.path: convprop must still be convprop
    code = "import convprop, convprop.scenes; print(convprop.scenes.__file__)"
    shown = run([sys.executable, "-c", code], project).stdout.strip()
    assert Path(shown).resolve().parent.parent != project.resolve()


def test_a_notebook_cell_renders_a_scene_with_the_manim_magic(tmp_path):
    project = user_project(tmp_path)
    notebook = (
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "from manim.utils.ipython_magic import ManimMagic\n"
        "shell = InteractiveShell.instance()\n"
        "shell.register_magics(ManimMagic)\n"
        "result = shell.run_cell('from convprop import LossGradientScene')\n"
        "result.raise_error()\n"
        "shell.run_cell_magic('manim', '-ql -s StrideOne', "
        "'class StrideOne(LossGradientScene):\\n    stride = 1\\n    input_size = 4\\n')\n"
    )
    run([sys.executable, "-c", notebook], project)
    assert last_frame(project / "media", "StrideOne").shape == (480, 854, 3)


def test_manims_configuration_decides_quality_and_background(tmp_path):
    """manim.cfg's white background picks the light colours by itself; -qm gives 720p."""
    project = user_project(tmp_path)
    (project / "manim.cfg").write_text("[CLI]\nbackground_color = #FFFFFF\n")
    # loss-gradient, the shortest scene: the picture's size and colours are the point, not the story
    (project / "lesson.py").write_text("from convprop import LossGradientScene\n\n\nclass Plain(LossGradientScene):\n    pass\n")
    run([str(BIN / "manim"), "render", "-qm", "-s", "lesson.py", "Plain"], project)
    frame = last_frame(project / "media", "Plain")
    assert frame.shape == (720, 1280, 3)
    assert (frame[0, 0] == 255).all()
    text = np.array([int(THEMES["light"].colours["TEXT"][i:i + 2], 16) for i in (1, 3, 5)])
    assert (np.abs(frame.astype(int) - text).sum(axis=2) < 30).any(), "the light theme's text colour is drawn"
    assert not (frame.min(axis=2) > 240).all()


def test_a_bad_class_attribute_is_a_value_error_naming_it():
    from convprop import ForwardPassScene, SettingError

    class TooWide(ForwardPassScene):
        stride = "two"

    with pytest.raises(ValueError, match="stride"):
        TooWide()

    class PoolTooLarge(ForwardPassScene):
        pool = 9

    with pytest.raises(SettingError, match="pool"):
        PoolTooLarge()
