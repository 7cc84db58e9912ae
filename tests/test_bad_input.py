"""Bad input: a clear error naming the argument, raised before any work — never a silent wrong answer.

One table row per case: (callable, expected error class, a regular expression the message must match).
CLI rows: argv -> exit status 2 and one line on stderr naming the option.
"""

from __future__ import annotations

import math
import os

import numpy as np
import pytest
from scipy.stats import norm

from lrinit_verify.claims.energy import _mean_lower_bound
from lrinit_verify.claims.runner import run_claims
from lrinit_verify.cli.app import main
from lrinit_verify.montecarlo._lapack import hessenberg_eigvals
from lrinit_verify.montecarlo.simulate import count_real_eigenvalues, spectral_radii
from lrinit_verify.montecarlo.trajectories import energy_trajectories
from lrinit_verify.rigor import stats as S
from lrinit_verify.rigor.sequential import sequential_probability_test
from lrinit_verify.rigor.stats import order_statistic_interval
from lrinit_verify.rigor.testing import assert_distribution, assert_probability_sequential
from lrinit_verify.sampling.ensembles import glorot
from lrinit_verify.theory import edge, energy as E
from lrinit_verify.theory.rescale import calibrated_factor, explosion_length

NAN = float("nan")
cdf_array = edge.spectral_radius_cdf_array


def _seq(draw_result, relation="=="):
    return lambda: sequential_probability_test(
        lambda m: draw_result(m), p0=0.5, relation=relation, alpha=1e-3, max_trials=100
    )


CASES = [
    pytest.param(
        lambda: assert_distribution(np.full(1000, NAN), norm.cdf, alpha=1e-3),
        "sample has 1000 non-finite",
        id="assert_distribution-nan",
    ),
    pytest.param(lambda: S.ks_distance([NAN, 0.5], lambda x: x), "sample has 1 non-finite", id="ks-nan"),
    pytest.param(
        lambda: S.ks_distance([0.2, 0.5], lambda x: 2 * x + 1), r"cdf\(x\) must return", id="ks-bad-cdf"
    ),
    pytest.param(
        lambda: assert_probability_sequential(
            lambda m: np.full(m, 0.3), at_least=0.5, alpha=1e-3, max_trials=100
        ),
        "dtype float64",
        id="sequential-float-outcomes",
    ),
    pytest.param(
        lambda: assert_probability_sequential(
            lambda m: np.ones(m + 1, bool), at_least=0.5, alpha=1e-3, max_trials=100
        ),
        "returned 26 outcomes",
        id="sequential-length",
    ),
    pytest.param(_seq(lambda m: np.full(m, NAN)), "dtype float64", id="sequential-nan-draws"),
    pytest.param(_seq(lambda m: m + 5), "more than the 25 trials", id="sequential-count-too-big"),
    pytest.param(
        lambda: S.empirical_bernstein([0.5, 2.0, 0.1], bound=1, alpha=0.01),
        r"values must lie in \[0, bound=1",
        id="eb-above-bound",
    ),
    pytest.param(
        lambda: S.empirical_bernstein([-0.1, 0.5], bound=1, alpha=0.01),
        r"values must lie in",
        id="eb-negative",
    ),
    pytest.param(
        lambda: S.empirical_bernstein([NAN, 0.5, 0.2], bound=1, alpha=0.01),
        "values has 1 non-finite",
        id="eb-nan",
    ),
    pytest.param(
        lambda: S.quantile_interval([1.0, NAN, 3.0], 0.5, alpha=0.1),
        "sample has 1 non-finite",
        id="quantile-nan",
    ),
    pytest.param(
        lambda: order_statistic_interval([1.0, NAN, 3.0], 0.5, alpha=0.1),
        "sample has 1 NaN",
        id="order-statistic-nan",
    ),
    pytest.param(
        lambda: S.median_of_means([NAN] + [1.0] * 389, 1.0, 1e-3),
        "values has 1 non-finite",
        id="median-of-means-nan",
    ),
    pytest.param(
        lambda: _mean_lower_bound(np.array([1.0, NAN, 2.0]), 0.01),
        "x has 1 non-finite",
        id="mean-lower-bound-nan",
    ),
    pytest.param(
        lambda: _mean_lower_bound(np.array([1.0, -0.5, 2.0]), 0.01),
        "x has 1 negative",
        id="mean-lower-bound-negative",
    ),
    # Array calculators: the scalar twins raise, so must they (no answer at r = -1 or NaN).
    pytest.param(lambda: cdf_array([-1, 1], 16), "r has 1 negative", id="cdf-array-negative"),
    pytest.param(lambda: cdf_array([NAN, 1], 16), "r has 1 non-finite", id="cdf-array-nan"),
    pytest.param(
        lambda: cdf_array([-1, 1], 16, field="real"),
        "finite non-negative radii",
        id="cdf-array-real-negative",
    ),
    pytest.param(
        lambda: edge.eigenvalue_modulus_cdf([-2, -1, 1, NAN], 16), "s has 1 non-finite", id="modulus-cdf-nan"
    ),
    pytest.param(
        lambda: edge.eigenvalue_modulus_cdf([-2, -1, 1], 16), "s has 2 negative", id="modulus-cdf-negative"
    ),
    pytest.param(
        lambda: count_real_eigenvalues(np.full((2, 3), NAN)),
        "eigenvalues has 6 non-finite",
        id="count-real-nan",
    ),
    pytest.param(
        lambda: hessenberg_eigvals(np.full((4, 4), NAN)), r"h\[0\] .* non-finite entries", id="hessenberg-nan"
    ),
    pytest.param(
        lambda: _torch_init().spectral_normalise_(_tensor(NAN)),
        "tensor must have finite entries",
        id="torch-normalise-nan",
    ),
    pytest.param(
        lambda: _torch_init().spectral_radius(_tensor(np.inf)),
        "tensor must have finite entries",
        id="torch-radius-inf",
    ),
    # Unbounded work: refused up front, with the limit and the reason.
    pytest.param(
        lambda: E.verify_closed_form(12),
        r"t_max=12 exceeds max_t=10: .* t! permutations",
        id="verify-closed-form-12",
    ),
    pytest.param(
        lambda: E.genus_coefficients(10**4),
        r"t=10000 exceeds CLOSED_FORM_MAX_T=2000",
        id="genus-coefficients-1e4",
    ),
    pytest.param(
        lambda: E.closed_form_polynomial(10**4),
        r"t=10000 exceeds CLOSED_FORM_MAX_T",
        id="closed-form-polynomial-1e4",
    ),
    pytest.param(
        lambda: explosion_length(10**9),
        r"n=1000000000 exceeds KOSTLAN_MAX_WIDTH=1048576",
        id="explosion-length-1e9",
    ),
    pytest.param(
        lambda: calibrated_factor(10**7, 0.5),
        r"n=10000000 exceeds KOSTLAN_MAX_WIDTH",
        id="calibrated-factor-1e7",
    ),
    pytest.param(
        lambda: calibrated_factor(10**6, 0.5, field="real"),
        r"n=1000000 exceeds the real law's limit",
        id="calibrated-factor-real-1e6",
    ),
    pytest.param(
        lambda: edge.prob_radius_exceeds(10**12),
        r"n=1000000000000 exceeds KOSTLAN_MAX_WIDTH",
        id="prob-radius-exceeds-1e12",
    ),
    # Silently ignored input.
    pytest.param(
        lambda: spectral_radii(4, 2, backend="numpy", device="cuda", seed=0),
        r"device='cuda' needs backend='torch'",
        id="spectra-device-numpy",
    ),
    pytest.param(
        lambda: energy_trajectories(4, 3, 2, backend="numpy", device="cuda", seed=0),
        r"device='cuda' needs backend='torch'",
        id="trajectories-device-numpy",
    ),
    pytest.param(
        lambda: run_claims(["edge.gumbel_slow"], device="cuda"),
        r"device='cuda' needs backend=",
        id="run-claims-device-numpy",
    ),
    pytest.param(
        lambda: glorot(3, scale=-1, seed=0), r"scale=-1 must be a positive", id="glorot-negative-scale"
    ),  # fixed by the redesign already
    pytest.param(
        lambda: run_claims(["edge.gumbel_slow", "nope"]),
        r"claim_id='nope' is not registered",
        id="run-claims-unknown-id",
    ),
    pytest.param(
        lambda: run_claims([3]),
        r"claims item 3 must be a Claim or a registered claim id",
        id="run-claims-not-a-claim",
    ),
    pytest.param(
        lambda: E.energy_exact(4, E.ENERGY_EXACT_MAX_T + 1),
        r"t=100001 exceeds ENERGY_EXACT_MAX_T=100000.*log_energy",
        id="energy-exact-huge-t",
    ),
    pytest.param(
        lambda: edge.spectral_radius_cdf_mp(1.0, edge.MP_MAX_WIDTH + 1),
        r"n=4097 exceeds MP_MAX_WIDTH=4096",
        id="cdf-mp-huge-n",
    ),
    pytest.param(
        lambda: edge.spectral_radius_sf_mp(1.0, edge.MP_MAX_WIDTH + 1),
        r"n=4097 exceeds MP_MAX_WIDTH=4096",
        id="sf-mp-huge-n",
    ),
]


def _torch_init():
    pytest.importorskip("torch")
    from lrinit_verify.sampling import torch_init

    return torch_init


def _tensor(value):
    import torch

    return torch.full((3, 3), value, dtype=torch.float64)


@pytest.mark.parametrize("call, needle", CASES)
def test_bad_input_raises_a_clear_value_error(call, needle):
    with pytest.raises(ValueError, match=needle):
        call()


def test_good_input_still_works():
    """The guards do not reject what is valid: booleans, counts, values at the bounds, infinite quantile data."""
    assert _seq(lambda m: np.ones(m, bool))().status == "violated"
    assert S.empirical_bernstein([0.0, 1.0], bound=1, alpha=0.5)[0] == 0.5
    assert order_statistic_interval([-np.inf, 0.0, np.inf], 0.5, alpha=0.9)[0] == 0.0
    assert edge.spectral_radius_cdf_array([0.0, 1.0], 16)[1] == pytest.approx(0.1464, abs=1e-4)
    h = np.triu(np.arange(1.0, 10.0).reshape(3, 3), -1)
    h[2, 0] = NAN  # below the first subdiagonal: never read, so not an error
    expected = np.sort_complex(np.linalg.eigvals(np.triu(h, -1)))
    assert np.allclose(np.sort_complex(hessenberg_eigvals(h)), expected)
    assert run_claims(["edge.gumbel_slow"], budget="quick").results[0].claim.id == "edge.gumbel_slow"
    assert E.critical_limit(40.0) == np.inf and E.critical_correction(40.0) == -np.inf
    assert E.critical_correction(-40.0) == np.inf


def test_limits_sit_where_the_work_is_still_done():
    """At each limit the function still answers (the limits refuse only what is beyond them)."""
    assert len(E.verify_closed_form(3, max_t=3)) == 4
    assert len(E.genus_coefficients(E.CLOSED_FORM_MAX_T // 10)) > 1
    assert edge.kostlan_width(edge.KOSTLAN_MAX_WIDTH) == edge.KOSTLAN_MAX_WIDTH
    assert E.energy_exact(2, 10_000) > 1  # 0.1 s; the limit itself (10x t) takes about 13 s
    assert 0 < edge.spectral_radius_cdf_mp(1.2, 256, dps=20) < 1  # well inside MP_MAX_WIDTH
    r = edge.edge_location(10**12)  # the asymptotic law has no width limit; at its centring P = 1 - 1/e
    assert edge.prob_radius_exceeds(10**12, r, method="gumbel") == pytest.approx(1 - math.exp(-1), rel=1e-12)


def test_critical_limits_large_argument_branch_is_continuous():
    """F(c) and G(c) switch to a log-space branch at y = c^2/2 = 700; both sides agree to rounding."""
    c = math.sqrt(1400.0)
    for f in (E.critical_limit, E.critical_correction):
        below, above = f(c * (1 - 1e-12)), f(c * (1 + 1e-12))
        assert above / below == pytest.approx(1.0, rel=1e-8), f


def test_expected_real_eigenvalues_closed_form_agrees_with_the_sum():
    """Two routes: the double-factorial sum (n <= 10^6) and EKS's hypergeometric form (O(1), any n)."""
    for n in (*range(1, 40), 1000, 4097, edge.EKS_SUM_MAX_WIDTH):
        assert edge.eks_closed_form(n) == pytest.approx(edge.expected_real_eigenvalues(n), rel=1e-12), n
    # Planted bug: the sum at n + 1 is distinguishable at this tolerance.
    assert edge.eks_closed_form(1000) != pytest.approx(edge.expected_real_eigenvalues(1001), rel=1e-12)
    n = 10**12  # EKS: E_n = sqrt(2n/pi) + 1/2 + O(n^-1/2)
    assert edge.expected_real_eigenvalues(n) == pytest.approx(math.sqrt(2 * n / math.pi) + 0.5, abs=1e-5)


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
        (["verify", "--list", "--only", "nope"], "claim_id='nope' is not registered"),
        (["threshold", "--widths", "64,,128"], "has an empty item"),
        (["threshold", "--widths", "10000000000"], "exceeds 1048576"),
        (["verify", "--only", "edge.gumbel_slow", "--device", "cuda"], "--device='cuda' needs --backend"),
    ]


def test_cli_output_paths_and_seed_fail_fast_with_one_line(tmp_path, capsys):
    (tmp_path / "f.txt").write_text("a file, not a directory")
    for argv, needle in _cli_cases(tmp_path):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and needle in err, (argv, err)
