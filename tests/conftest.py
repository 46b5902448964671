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

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
