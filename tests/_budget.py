"""The test suite's error budget (imported by tests as ``from _budget import TEST_ALPHA``).

Every statistical assertion of the default run uses ``TEST_ALPHA`` as its false-failure
probability. With at most ``MAX_STATISTICAL_ASSERTIONS`` of them per run (hypothesis examples
included), ``pytest`` fails spuriously with probability at most ``SUITE_ALPHA`` (Bonferroni).
"""

SUITE_ALPHA = 1e-3
MAX_STATISTICAL_ASSERTIONS = 200
TEST_ALPHA = SUITE_ALPHA / MAX_STATISTICAL_ASSERTIONS
