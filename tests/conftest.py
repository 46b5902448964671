"""Hypothesis profiles for the suite.

"ci" (chosen when the environment variable CI is set, as CI sets it): every property runs the same
examples on every run (derandomize), from no saved database, with no per-example deadline on a
busy machine, and a failure prints the blob that replays it. A CI run is reproducible.

"dev" (the default, or HYPOTHESIS_PROFILE=dev): the working loop keeps exploring new examples and
replays the failures saved in .hypothesis/. A failure it finds is kept in the test as an
``@example(...)``, so that every later run, CI's included, checks it.

The example counts are each test's own (``@settings(max_examples=...)``): they are what the suite's
time allows, in both profiles.
"""

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


# -- the order the suite starts in, and the fast tier -------------------------------------------------

# The files whose tests take longest (measured with --durations), longest first: pytest-xdist hands
# out work in collection order, so starting these first keeps both workers busy to the end instead
# of leaving one running a long group alone.
LONG_FIRST = (
    "test_course.py", "test_batch_jobs.py", "test_batch_kill.py", "test_parallel_lecture.py", "test_narrated_lecture.py",
    "test_render.py", "test_cli.py", "test_narrated_render.py", "test_themes.py", "test_course_voice.py",
    "test_scenes_onscreen.py", "test_course_cli.py", "test_channels_oracle.py", "test_given_layer_values.py",
    "test_large_forward_layer.py", "test_large_pipeline.py", "test_large_input_gradient.py",
    "test_large_kernel_gradient.py", "test_large_loss_and_update.py", "test_large_chain_rule.py",
    "test_farm_progress_checks.py", "test_explorer.py", "test_exact_decisions.py", "test_geometry.py",
    "test_exercises.py", "test_exercises_layers.py", "test_library.py",
)

# `make check`, the working loop's tier: mathcore against its oracles, the on-screen checker on the
# default lesson of every scene (the lecture's walk, and the checker's self-tests), and the CLI's
# one-line errors.
CHECK_FILES = (
    "test_conv_oracle.py", "test_layers_oracle.py", "test_mlp_oracle.py", "test_descent.py", "test_kernels.py",
    "test_flatten_oracle.py", "test_inputs.py", "test_verdicts.py", "test_backward_pieces.py",
    "test_full_window_gaps.py", "test_cli.py", "test_cli_images.py",
)


def _in_check(item) -> bool:
    name = item.path.name
    if name in CHECK_FILES:
        return True
    if name == "test_scenes_onscreen.py":
        return item.name == "test_lecture_draws_the_trace_inside_the_frame" or "checker_catches" in item.name
    return False


def pytest_configure(config):
    config.addinivalue_line("markers", "check: the fast tier `make check` runs (set in tests/conftest.py)")


@pytest.hookimpl(tryfirst=True)  # before -m reads the markers set here
def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(LONG_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: a file keeps its order
    for item in items:
        if _in_check(item):
            item.add_marker("check")


def pytest_runtest_setup(item):
    """Under ``--dist loadgroup`` a worker suffixes each grouped test's id with its group, which is
    how the tests sharing a costly fixture reach one worker. Where a pytest release stops the suffix
    from taking (see the pin in pyproject.toml), every such fixture is silently built on each worker
    (and the suite runs minutes longer): a grouped test fails instead."""
    if getattr(item.config.option, "loadgroup", False) and item.get_closest_marker("xdist_group") and "@" not in item.nodeid:
        pytest.fail("--dist loadgroup did not group this test: install the pytest that pyproject.toml pins", pytrace=False)
