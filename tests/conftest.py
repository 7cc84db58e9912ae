"""Shared test configuration: hypothesis profiles and the suite's error budget.

Profiles (``HYPOTHESIS_PROFILE``): ``dev`` (default locally), ``ci`` (derandomised; loaded
automatically when ``CI`` is set), ``thorough`` (many examples).

Error budget: every statistical assertion in the default run uses ``TEST_ALPHA`` as its
false-failure probability. With at most ``MAX_STATISTICAL_ASSERTIONS`` such assertions per run
(hypothesis examples included), the family-wise false-failure probability of ``pytest`` is at most
``SUITE_ALPHA`` (Bonferroni).
"""

from __future__ import annotations

import os

from _budget import MAX_STATISTICAL_ASSERTIONS, SUITE_ALPHA, TEST_ALPHA  # noqa: F401
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=25, deadline=None)
settings.register_profile(
    "ci", max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
