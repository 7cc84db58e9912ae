"""Training-level claims: the fast route against the scan, the failure rule, McNemar, the claim verdicts.

Fast tier: exact or floating-point identities (tolerances derived from the dtype's epsilon), exact
binomial sizes, verdicts on constructed run tables, and one tiny seeded end-to-end run. The slow tier
runs the registered claims at the default budget (``pytest -m slow``); their planted bugs run in the
power tier (tests/test_power.py runs each claim's ``planted`` bug).
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

torch = pytest.importorskip("torch")

from lrinit_verify.claims import Context, get_claim, training as claims_training
from lrinit_verify.theory import edge
from lrinit_verify.training import fit as fit_mod, predict
from lrinit_verify.training.model import causal_conv, impulse_response, scan
from lrinit_verify.training.paired import discordant_counts, mcnemar_exact, rate_verdict
from lrinit_verify.training.phase import load_table, plot_phase_diagram, run_grid, save_table, summarise
from lrinit_verify.training.task import Teacher, draw_inputs, normalised_mse


def _system(n, radius, dtype, seed):
    g = torch.Generator().manual_seed(seed)
    A = torch.randn(n, n, generator=g, dtype=torch.float64)
    A = A * radius / torch.linalg.eigvals(A).abs().max()
    B, C = torch.randn(n, generator=g, dtype=torch.float64), torch.randn(n, generator=g, dtype=torch.float64)
    return A.to(dtype), B.to(dtype), C.to(dtype), g


def _exact_output(A, B, C, u):
    r"""$y = k * u$ with $k_j = C A^j B$ in exact rational arithmetic (inputs are dyadic rationals), and
    $M = \max_t \sum_{j \le t} |k_j||u_{t-j}|$, the magnitude the rounding errors are relative to."""
    a, b, c = (
        [[Fraction(x) for x in row] for row in A.tolist()],
        [Fraction(x) for x in B.tolist()],
        [Fraction(x) for x in C.tolist()],
    )
    rows = [[Fraction(x) for x in row] for row in u.tolist()]
    k, vec = [], b
    for _ in range(u.shape[1]):
        k.append(sum(ci * vi for ci, vi in zip(c, vec)))
        vec = [sum(aij * vj for aij, vj in zip(ai, vec)) for ai in a]
    y = [[sum(k[j] * row[t - j] for j in range(t + 1)) for t in range(len(row))] for row in rows]
    scale = max(sum(abs(k[j] * row[t - j]) for j in range(t + 1)) for row in rows for t in range(len(row)))
    return torch.tensor([[float(x) for x in row] for row in y], dtype=torch.float64), float(scale)


# --- the fast route equals the sequential scan ------------------------------------------------------


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("length", [1, 2, 7, 16, 33, 64])
@pytest.mark.parametrize("radius", [0.9, 1.1])
def test_fft_route_equals_scan(dtype, length, radius):
    """Both routes are within 8 eps (2 + log2 2T) M of the exact output (measured: 0.2-9 eps M), hence of each other."""
    A, B, C, g = _system(6, radius, dtype, seed=length)
    u = torch.randn(2, length, generator=g, dtype=torch.float64).to(dtype)
    fast, slow = causal_conv(impulse_response(A, B, C, length), u), scan(A, B, C, u)
    exact, scale = _exact_output(A, B, C, u)
    tol = 8 * torch.finfo(dtype).eps * (2 + math.log2(2 * length)) * scale
    assert float((fast.double() - exact).abs().max()) <= tol
    assert float((slow.double() - exact).abs().max()) <= tol
    assert float((fast - slow).abs().max()) <= 2 * tol
    # The same tolerance rejects an off-by-one impulse response (evidence that it has teeth).
    if length > 1:
        shifted = impulse_response(A, B, C, length + 1)[1:]
        assert float((causal_conv(shifted, u).double() - exact).abs().max()) > tol


def test_impulse_response_is_c_a_power_b():
    A, B, C, _ = _system(5, 1.05, torch.float64, seed=3)
    direct = torch.stack([C @ torch.linalg.matrix_power(A, j) @ B for j in range(13)])
    assert torch.allclose(impulse_response(A, B, C, 13), direct, rtol=1e-12, atol=0)


def test_impulse_response_gradient():
    A, B, C, _ = _system(3, 0.8, torch.float64, seed=4)
    args = tuple(x.clone().requires_grad_(True) for x in (A, B, C))
    assert torch.autograd.gradcheck(lambda a, b, c: impulse_response(a, b, c, 5), args)


@pytest.mark.parametrize("route", ["fast", "scan"])
def test_overflow_at_the_same_length(route):
    """float32 with A = 2 I: k_j = 2^j, finite up to T - 1 = 127 (2^127 < max) and inf at j = 128 in both routes."""
    A, B, C = 2 * torch.eye(2), torch.tensor([1.0, 0.0]), torch.tensor([1.0, 0.0])

    def impulse(length):
        if route == "fast":
            return impulse_response(A, B, C, length)
        delta = torch.zeros(1, length)
        delta[0, 0] = 1.0
        return scan(A, B, C, delta)[0]

    k = impulse(128)
    assert bool(torch.isfinite(k).all()) and float(k[-1]) == 2.0**127
    assert not bool(torch.isfinite(impulse(129)[-1]))


@pytest.mark.parametrize(
    "radius, length, finite",
    [(1.05, 64, True), (1.5, 64, True), (4.0, 128, False), (1.5, 512, False), (0.95, 2048, True)],
)
def test_loss_finiteness_matches_scan(radius, length, finite):
    A, B, C, g = _system(16, radius, torch.float32, seed=5)
    u = torch.randn(2, length, generator=g)
    y = Teacher(length).target(u)
    power = Teacher(length).target_power()
    losses = [
        normalised_mse(p, y, power)
        for p in (causal_conv(impulse_response(A, B, C, length), u), scan(A, B, C, u))
    ]
    assert [bool(torch.isfinite(x)) for x in losses] == [finite, finite]


# --- the failure rule on constructed cases -------------------------------------------------------


def test_failure_verdict_table():
    assert fit_mod.failure_verdict("", 0.49) == (False, "")
    assert fit_mod.failure_verdict("", 0.5)[0] and fit_mod.failure_verdict("", math.inf)[0]
    assert fit_mod.failure_verdict("non-finite loss (nan) at step 3", 0.0) == (
        True,
        "non-finite loss (nan) at step 3",
    )


def test_nonfinite_reason_names_the_gradient():
    p = torch.zeros(2, requires_grad=True)
    p.grad = torch.tensor([0.0, float("nan")])
    assert fit_mod.nonfinite_reason(torch.tensor(1.0), {"A": p}, 7) == "non-finite gradient of A at step 7"
    assert fit_mod.nonfinite_reason(torch.tensor(float("inf")), {"A": p}, 0).startswith("non-finite loss")
    p.grad = torch.zeros(2)
    assert fit_mod.nonfinite_reason(torch.tensor(1.0), {"A": p}, 0) == ""


def test_exploding_run_aborts_at_the_first_step():
    A = 4 * torch.eye(8)
    res = fit_mod.fit(
        A,
        torch.ones(8),
        torch.ones(8),
        Teacher(128),
        data_seed=0,
        eval_seed=1,
        config=fit_mod.FitConfig(steps=5, batch=2, eval_batch=2),
    )
    assert (
        res.failed
        and res.steps_run == 0
        and res.reason.startswith("non-finite loss")
        and res.final_nmse == math.inf
    )


def test_silent_model_fails_by_nmse():
    """A = B = C = 0 has zero gradients: it predicts 0 and scores NMSE about 1 >= 0.5."""
    z = torch.zeros(8)
    res = fit_mod.fit(
        torch.zeros(8, 8),
        z,
        z,
        Teacher(32),
        data_seed=0,
        eval_seed=1,
        config=fit_mod.FitConfig(steps=3, batch=4, eval_batch=64),
    )
    assert res.failed and res.reason.startswith("final NMSE") and 0.7 < res.final_nmse < 1.3


def test_trivial_predictor_scores_one_in_expectation():
    teacher = Teacher(64)
    u = draw_inputs(4000, 64, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    value = float(normalised_mse(torch.zeros_like(u), teacher.target(u), teacher.target_power()))
    # Mean of 4000 x 32 correlated squares; its sd is below 0.03 (chi-square-like, 4000 independent rows).
    assert abs(value - 1.0) < 0.15


# --- pairing and a tiny end-to-end run ---------------------------------------------------------------


def test_arms_are_paired():
    n = 256
    rows = run_grid(
        [n],
        [4],
        {"glorot": "glorot", "rescaled": "rescaled"},
        pairs=1,
        seed=3,
        config=fit_mod.FitConfig(steps=0, eval_batch=1),
    )
    g, s = rows
    assert s["rho0"] / g["rho0"] == pytest.approx(edge.rescale_factor(n), rel=1e-5)


def test_tiny_end_to_end_run_trains_at_sqrt_n():
    rows = run_grid(
        [256],
        [16],
        {"glorot": "glorot", "rescaled": "rescaled"},
        pairs=1,
        seed=0,
        config=fit_mod.FitConfig(steps=150),
    )
    assert [r["failed"] for r in rows] == [False, False]
    assert all(r["final_nmse"] < 0.1 for r in rows)
    summary = summarise(rows)
    assert {s["init"] for s in summary} == {"glorot", "rescaled"} and all(s["runs"] == 1 for s in summary)


# --- McNemar's exact test and the rate verdicts -----------------------------------------------------


def _binomial_tail(k, m):
    return Fraction(sum(math.comb(m, i) for i in range(k, m + 1)), 2**m)


def test_mcnemar_exact_cases():
    assert mcnemar_exact(5, 0) == 1 / 32
    assert mcnemar_exact(0, 5) == 1.0
    assert mcnemar_exact(0, 0) == 1.0
    assert mcnemar_exact(3, 1) == pytest.approx(5 / 16, rel=1e-12)
    assert mcnemar_exact(3, 1, alternative="two-sided") == pytest.approx(10 / 16, rel=1e-12)
    for m in range(1, 21):
        for b in range(m + 1):
            assert mcnemar_exact(b, m - b) == pytest.approx(float(_binomial_tail(b, m)), rel=1e-12)


@pytest.mark.parametrize("alpha", [0.05, 0.01, 1e-3, 2.0**-12])
def test_mcnemar_size_is_at_most_alpha(alpha):
    """Exact size under H0: P(reject | m discordant pairs) = sum over rejected b of C(m, b)/2^m <= alpha."""
    for m in range(1, 31):
        size = sum(Fraction(math.comb(m, b), 2**m) for b in range(m + 1) if mcnemar_exact(b, m - b) <= alpha)
        assert size <= alpha
    m = math.ceil(math.log2(1 / alpha))  # all-one-way discordance is then just significant
    assert mcnemar_exact(m, 0) <= alpha < mcnemar_exact(m - 1, 0) or alpha >= 0.5


@pytest.mark.parametrize("claim", ["below", "above"])
@pytest.mark.parametrize("level", [0.5, 0.2])
def test_rate_verdict_errors_at_most_alpha(claim, level):
    """At the boundary rate = level both wrong conclusions have exact probability <= alpha."""
    alpha, m = 1e-3, 40
    pmf = [math.comb(m, k) * level**k * (1 - level) ** (m - k) for k in range(m + 1)]
    verdicts = [rate_verdict(k, m, level=level, claim=claim, alpha=alpha) for k in range(m + 1)]
    assert sum(p for p, s in zip(pmf, verdicts) if s == "holds") <= alpha
    assert sum(p for p, s in zip(pmf, verdicts) if s == "violated") <= alpha
    assert {"holds", "violated"} <= set(verdicts)


def test_discordant_counts():
    assert discordant_counts([1, 1, 0, 0, 1], [0, 1, 1, 0, 0]) == (2, 1)


# --- verdicts on constructed run tables ---------------------------------------------------------------


def _rows(n, length, failures, *, rho0=1.05, nmse=0.01):
    return [
        {
            "n": n,
            "T": length,
            "init": init,
            "pair": i,
            "failed": bool(f),
            "mode": "diverged" if f else "",
            "rho0": rho0,
            "reason": "",
            "final_nmse": math.inf if f else nmse,
        }
        for init, fails in failures.items()
        for i, f in enumerate(fails)
    ]


def test_glorot_fails_long_verdicts():
    alpha = 1e-4
    good = _rows(256, 1024, {"glorot": [1] * 16, "rescaled": [0] * 16})
    assert claims_training.verdict_glorot_fails_long(good, alpha=alpha, length=1024).status == "holds"
    both = _rows(256, 1024, {"glorot": [1] * 16, "rescaled": [1] * 16})
    assert claims_training.verdict_glorot_fails_long(both, alpha=alpha, length=1024).status == "violated"
    half = _rows(256, 1024, {"glorot": [1] * 8 + [0] * 8, "rescaled": [0] * 16})
    assert claims_training.verdict_glorot_fails_long(half, alpha=alpha, length=1024).status == "inconclusive"


def test_rescaled_trains_and_control_verdicts():
    alpha = 1e-4
    ok = _rows(256, 1024, {"rescaled": [0] * 16})
    assert claims_training.verdict_rescaled_trains(ok, alpha=alpha, length=1024).status == "holds"
    bad = _rows(256, 1024, {"rescaled": [0] * 16}, nmse=0.3)
    assert claims_training.verdict_rescaled_trains(bad, alpha=alpha, length=1024).status == "violated"
    short = _rows(256, 16, {"glorot": [0] * 16})
    assert claims_training.verdict_glorot_ok_short(short, alpha=alpha).status == "holds"
    assert (
        claims_training.verdict_glorot_ok_short(_rows(256, 16, {"glorot": [1] * 16}), alpha=alpha).status
        == "violated"
    )


def test_failure_mechanism_verdict():
    rows = _rows(256, 1024, {"glorot": [1, 1, 0]}, rho0=1.02)
    assert claims_training.verdict_failure_mechanism(rows).status == "holds"
    rows[1].update(rho0=0.75, mode="underfit", final_nmse=0.69)  # underfitting is reported, not judged
    verdict = claims_training.verdict_failure_mechanism(rows)
    assert verdict.status == "holds" and "1 failed runs underfit" in verdict.summary
    rows[1].update(rho0=0.98, mode="diverged", final_nmse=math.inf)
    verdict = claims_training.verdict_failure_mechanism(rows)
    assert verdict.status == "violated" and verdict.estimate == 1.0 and "rho0=0.9800" in verdict.summary


def test_failure_modes():
    assert [fit_mod.failure_mode(*c) for c in [(False, 0.3), (True, 0.5), (True, 0.99), (True, 1.0)]] == [
        "",
        "underfit",
        "underfit",
        "diverged",
    ]


def test_planted_bugs_cover_the_statistical_claims():
    ids = {
        c.id
        for c in __import__("lrinit_verify.claims", fromlist=["all_claims"]).all_claims()
        if c.id.startswith("training.") and c.statistical
    }
    claims = {c.id: c for c in __import__("lrinit_verify.claims", fromlist=["all_claims"]).all_claims()}
    assert all(claims[i].planted is not None for i in ids)


# --- theory predictions and the figure ------------------------------------------------------------------


def test_prediction_complex_is_exact():
    pred = predict.prob_exceeds(256, 1.0, field="complex")
    assert pred.method == "exact" and pred.value == edge.prob_radius_exceeds(256)


def test_prediction_real_is_the_exact_law_inverted():
    # two routes: the quantile (Brent on the Pfaffian log-CDF) and the survival function at that quantile
    from lrinit_verify.theory.rescale import calibrated_scale

    pred = predict.prob_exceeds(64, calibrated_scale(64, 0.3, field="real"), field="real")
    assert pred.method == "exact" and pred.value == pytest.approx(0.7, abs=1e-9)


def test_phase_diagram_png(tmp_path):
    rows = _rows(256, 16, {"glorot": [0, 0], "rescaled": [0, 0]}) + _rows(
        256, 1024, {"glorot": [1, 1], "rescaled": [0, 0]}
    )
    path = plot_phase_diagram(summarise(rows), tmp_path / "phase.png")
    data = (tmp_path / "phase.png").read_bytes()
    assert path == str(tmp_path / "phase.png")
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
    table = tmp_path / "rows.json"
    save_table(rows, table)
    assert load_table(table) == rows  # including the inf NMSE of failed runs


# --- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, match",
    [
        pytest.param(lambda: Teacher(1), "length=1", id="teacher-length"),
        pytest.param(lambda: Teacher(8, decay=1.0), "decay=1.0", id="teacher-decay"),
        pytest.param(lambda: draw_inputs(0, 4, generator=torch.Generator()), "batch=0", id="batch"),
        pytest.param(
            lambda: impulse_response(torch.eye(3), torch.ones(2), torch.ones(3), 4), "B with shape", id="B"
        ),
        pytest.param(
            lambda: impulse_response(torch.eye(3), torch.ones(3), torch.ones(3), 0), "length=0", id="T"
        ),
        pytest.param(lambda: fit_mod.FitConfig(dtype=torch.float16), "dtype=", id="dtype"),
        pytest.param(lambda: mcnemar_exact(-1, 0), "b=-1", id="mcnemar-b"),
        pytest.param(lambda: rate_verdict(5, 4, level=0.5, claim="below", alpha=0.01), "k=5", id="rate-k"),
        pytest.param(lambda: predict.arm_factor("orthogonal", 256), "arm='orthogonal'", id="arm"),
        pytest.param(lambda: run_grid([8], [4], {"glorot": "nope"}, pairs=1, seed=0), "nope", id="arm-init"),
    ],
)
def test_bad_input_is_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# --- slow tier: the registered claims at the default budget --------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "claim_id",
    [
        "training.glorot_fails_long",
        "training.rescaled_trains",
        "training.glorot_ok_short",
        "training.failure_mechanism",
    ],
)
def test_claim_holds_at_default_budget(claim_id):
    """At the claim's share of the verify error budget (a false 'violated' has probability <= that share)."""
    from lrinit_verify.claims import all_claims
    from lrinit_verify.claims.runner import DEFAULT_ALPHA, allocate_alpha

    alpha = allocate_alpha(all_claims(), DEFAULT_ALPHA)[claim_id]
    verdict = get_claim(claim_id).check(Context(budget="default", seed=0, alpha=alpha))
    assert verdict.status == "holds", verdict.summary


def test_planted_sampler_misses_its_sqrt_n():
    from lrinit_verify.sampling.torch_init import glorot_

    w = claims_training._unnormalised_glorot_(torch.empty(64, 64), generator=torch.Generator().manual_seed(0))
    ref = glorot_(torch.empty(64, 64), generator=torch.Generator().manual_seed(0))
    assert torch.allclose(w, 8 * ref, rtol=1e-6, atol=0)
