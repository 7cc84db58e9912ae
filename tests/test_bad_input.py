"""Bad input: a clear error naming the argument, raised before any work — never a silent wrong answer.

One table row per case: (callable, expected error class, a regular expression the message must match).
CLI rows: argv -> exit status 2 and one line on stderr naming the option.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from scipy.stats import norm

from lrinit_verify.cli.app import main
from lrinit_verify.rigor import stats as S
from lrinit_verify.rigor.sequential import sequential_probability_test
from lrinit_verify.rigor.stats import order_statistic_interval
from lrinit_verify.rigor.testing import assert_distribution, assert_probability_sequential

NAN = float("nan")


def _seq(draw_result, relation="=="):
    return lambda: sequential_probability_test(lambda m: draw_result(m), p0=0.5, relation=relation, alpha=1e-3,
                                                 max_trials=100)


CASES = [
    pytest.param(lambda: assert_distribution(np.full(1000, NAN), norm.cdf, alpha=1e-3), "sample has 1000 non-finite",
                 id="assert_distribution-nan"),
    pytest.param(lambda: S.ks_distance([NAN, 0.5], lambda x: x), "sample has 1 non-finite", id="ks-nan"),
    pytest.param(lambda: S.ks_distance([0.2, 0.5], lambda x: 2 * x + 1), r"cdf\(x\) must return", id="ks-bad-cdf"),
    pytest.param(lambda: assert_probability_sequential(lambda m: np.full(m, 0.3), at_least=0.5, alpha=1e-3,
                                                       max_trials=100), "dtype float64", id="sequential-float-outcomes"),
    pytest.param(lambda: assert_probability_sequential(lambda m: np.ones(m + 1, bool), at_least=0.5, alpha=1e-3,
                                                       max_trials=100), "returned 26 outcomes", id="sequential-length"),
    pytest.param(_seq(lambda m: np.full(m, NAN)), "dtype float64", id="sequential-nan-draws"),
    pytest.param(_seq(lambda m: m + 5), "more than the 25 trials", id="sequential-count-too-big"),
    pytest.param(lambda: S.empirical_bernstein([0.5, 2.0, 0.1], bound=1, alpha=0.01), r"values must lie in \[0, bound=1",
                 id="eb-above-bound"),
    pytest.param(lambda: S.empirical_bernstein([-0.1, 0.5], bound=1, alpha=0.01), r"values must lie in", id="eb-negative"),
    pytest.param(lambda: S.empirical_bernstein([NAN, 0.5, 0.2], bound=1, alpha=0.01), "values has 1 non-finite",
                 id="eb-nan"),
    pytest.param(lambda: S.quantile_interval([1.0, NAN, 3.0], 0.5, alpha=0.1), "sample has 1 non-finite",
                 id="quantile-nan"),
    pytest.param(lambda: order_statistic_interval([1.0, NAN, 3.0], 0.5, alpha=0.1), "sample has 1 NaN",
                 id="order-statistic-nan"),
]


@pytest.mark.parametrize("call, needle", CASES)
def test_bad_input_raises_a_clear_value_error(call, needle):
    with pytest.raises(ValueError, match=needle):
        call()


def test_good_input_still_works():
    """The guards do not reject what is valid: booleans, counts, values at the bounds, infinite quantile data."""
    assert _seq(lambda m: np.ones(m, bool))().status == "violated"
    assert S.empirical_bernstein([0.0, 1.0], bound=1, alpha=0.5)[0] == 0.5
    assert order_statistic_interval([-np.inf, 0.0, np.inf], 0.5, alpha=0.9)[0] == 0.0


# --- the command line: output paths checked before the work ------------------------------------------


def _cli_cases(tmp):
    d = str(tmp)
    missing = os.path.join(d, "no", "such", "dir", "r.json")
    return [
        (["verify", "--only", "edge.gumbel_slow", "--json", d], "--json="),
        (["verify", "--only", "edge.gumbel_slow", "--report", d], "--report="),
        (["verify", "--only", "edge.gumbel_slow", "--json", missing], "does not exist"),
        (["findings", "--out", d], "--out="),
        (["bench", "--quick", "--json", d], "--json="),
        (["docs", "--out", os.path.join(d, "f.txt")], "--out="),
        (["docs", "--seed", "-1"], "argument --seed: '-1'"),
    ]


def test_cli_output_paths_and_seed_fail_fast_with_one_line(tmp_path, capsys):
    (tmp_path / "f.txt").write_text("a file, not a directory")
    for argv, needle in _cli_cases(tmp_path):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and needle in err, (argv, err)
