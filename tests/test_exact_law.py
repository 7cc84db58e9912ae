"""Radii from the exact law (montecarlo._exact_law, spectral_radii's exact route).

* The generic tabulated inverse CDF is checked against the exact complex CDF (Kostlan's product of
  incomplete gammas, theory.edge.spectral_radius_cdf_array): a route independent of Kostlan's
  product *sampler* and of eigenvalues.
* Statistical assertions (two-sample KS against the eigenvalue route, exact p-values) run at
  false-failure probability TEST_ALPHA each (tests/_budget.py); each has a planted-bug companion
  (a table of the law of 1.03 rho) that the same test must reject.
* The real wiring is also exercised with a stand-in "real law" (the complex CDF, cheap to tabulate) for
  the table mechanics; the done criterion uses the exact real law itself.
"""

from __future__ import annotations

import numpy as np
import pytest
from _budget import TEST_ALPHA
from scipy import stats

from lrinit_verify._errors import InvalidArgument
from lrinit_verify.montecarlo import _exact_law as X, simulate as S
from lrinit_verify.theory.edge import spectral_radius_cdf_array

TOL = 1e-9


def _complex_cdf(n, stretch=1.0):
    """CDF of stretch * rho(W), W complex Glorot of width n (Kostlan's product)."""
    return lambda r: spectral_radius_cdf_array(np.asarray(r) / stretch, n)


@pytest.fixture
def stand_in_real_law(monkeypatch):
    """The complex CDF in place of the real law (wiring only: cheap to tabulate)."""
    X.forget_tables()
    monkeypatch.setattr(X, "_real_cdf", _complex_cdf)
    yield
    X.forget_tables()


# --- the generic table ------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 4, 64, 256])
def test_table_is_within_tol_of_the_exact_cdf_everywhere(n):
    """Deterministic: sup |F_table - F| over 20 001 radii (20x finer than any check point) <= tol."""
    table = X.InverseCdfTable(_complex_cdf(n), tol=TOL)
    r = np.linspace(0.0, 1.05 * table.upper, 20001)
    assert np.max(np.abs(table.cdf(r) - spectral_radius_cdf_array(r, n))) <= TOL
    assert table.check_error <= TOL / 2 and table.evaluations < 400


def test_planted_table_of_the_wrong_law_is_far_from_the_exact_cdf():
    table = X.InverseCdfTable(_complex_cdf(64, 1.03), tol=TOL)
    r = np.linspace(0.8, 1.6, 2001)
    assert np.max(np.abs(table.cdf(r) - spectral_radius_cdf_array(r, 64))) > 0.1


def test_quantile_inverts_the_tabulated_cdf_exactly():
    table = X.InverseCdfTable(_complex_cdf(16), tol=1e-8)
    p = np.linspace(0.0, 0.999, 1000)
    assert np.allclose(table.cdf(table.quantile(p)), p, atol=1e-12, rtol=0)
    assert np.all(np.diff(table.quantile(p)) >= 0)


def test_table_of_a_closed_form_law():
    """Exp(1): quantiles -log(1 - p) are known in closed form."""
    table = X.InverseCdfTable(lambda r: -np.expm1(-np.asarray(r)), tol=1e-8)
    p = np.array([1e-6, 0.1, 0.5, 0.9, 0.999])
    assert np.allclose(table.quantile(p), -np.log1p(-p), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"cdf": 3}, r"cdf=3"),
        ({"tol": 0.5}, r"tol=0.5"),
        ({"tol": -1.0}, r"tol=-1.0"),
        ({"hint": 0.0}, r"hint=0.0"),
    ],
)
def test_bad_table_arguments(kwargs, match):
    args = {"cdf": _complex_cdf(4), **kwargs}
    with pytest.raises(InvalidArgument, match=match):
        X.InverseCdfTable(args.pop("cdf"), **args)


def test_non_monotone_or_invalid_cdf_is_refused():
    with pytest.raises(X.TableError):
        X.InverseCdfTable(lambda r: np.full(np.shape(r), 2.0), tol=1e-6)


# --- spectral_radii's exact route ---------------------------------------------------------------


def test_route_resolution():
    assert S.resolve_radii_route("auto", "glorot", "complex", 512, 1) == "exact"
    assert S.resolve_radii_route("auto", "halved_glorot", "complex", 8, 1) == "exact"
    assert S.resolve_radii_route("auto", "glorot", "complex", 512, 1, backend="torch") != "exact"
    assert S.resolve_radii_route("eigvals", "glorot", "complex", 512, 1) == "hessenberg"
    assert S.resolve_radii_route("auto", "glorot_uniform", "complex", 512, 10**6) == "dense"
    assert S.resolve_radii_route("auto", "orthogonal", "complex", 512, 10**6) == "dense"
    with pytest.raises(InvalidArgument, match="route='exact'"):
        S.resolve_radii_route("exact", "glorot_uniform", "complex", 8, 1)
    with pytest.raises(InvalidArgument, match="route='fast'"):
        S.spectral_radii(8, 2, seed=0, route="fast")


def test_real_auto_uses_the_table_only_where_it_pays(stand_in_real_law):
    assert S.resolve_radii_route("auto", "glorot", "real", 64, 10) == "hessenberg"
    assert S.resolve_radii_route("auto", "glorot", "real", 64, 10**5) == "exact"
    S.spectral_radii(64, 10, field="real", seed=0, route="exact")  # builds the table
    assert S.resolve_radii_route("auto", "glorot", "real", 64, 10) == "exact"


def test_exact_route_is_reproducible_and_scales(caplog):
    with caplog.at_level("INFO", logger=S.__name__):
        a = S.spectral_radii(128, 500, field="complex", seed=3)
    assert "route=exact" in caplog.text
    assert np.array_equal(a, S.spectral_radii(128, 500, field="complex", seed=3))
    rng = np.random.default_rng(np.random.SeedSequence(3).spawn(1)[0])
    b = S.spectral_radii(128, 500, field="complex", rng=rng, ensemble="halved_glorot", scale=-2.0)
    assert b.shape == (500,) and np.all(b > 0)
    assert np.allclose(np.median(b) / np.median(a), 2 * np.sqrt(0.5), rtol=0.02)


def _ks_vs_eigenvalues(sample, n, m_eig, seed):
    eig = S.spectral_radii(n, m_eig, field="complex", seed=seed, route="eigvals")
    return stats.ks_2samp(sample, eig).pvalue


def test_exact_route_matches_eigenvalues():
    """Two-sample KS (exact p-value), Kostlan route vs eigenvalues at n=32: P(false failure) <= TEST_ALPHA."""
    sample = S.spectral_radii(32, 2000, field="complex", seed=0)
    assert _ks_vs_eigenvalues(sample, 32, 2000, seed=1) > TEST_ALPHA


def test_table_route_matches_eigenvalues(stand_in_real_law):
    """Same, the table route (field='real' wired to the stand-in complex law) vs complex eigenvalues."""
    sample = S.spectral_radii(32, 2000, field="real", seed=0, route="exact")
    assert _ks_vs_eigenvalues(sample, 32, 2000, seed=2) > TEST_ALPHA


def test_planted_mis_scaled_table_is_rejected():
    """Companion: a table of the law of 1.03 rho. At n=32 the shift is ~0.5 sd of rho, so the KS
    distance is ~0.2 against a critical value ~0.08 at TEST_ALPHA with 2000 + 2000 draws."""
    table = X.InverseCdfTable(_complex_cdf(32, 1.03), tol=TOL)
    sample = table.sample(2000, np.random.default_rng(0))
    assert _ks_vs_eigenvalues(sample, 32, 2000, seed=1) <= TEST_ALPHA


@pytest.mark.slow
@pytest.mark.parametrize("field", ["complex", "real"])
def test_done_criterion_at_512(field):
    """The issue's criterion at n = 512: 2000 radii by ``route="auto"`` (the exact law) vs 200 by
    eigenvalues, KS at TEST_ALPHA; companion: a table of the law of 1.03 rho (KS distance ~0.5
    against a critical value ~0.19) must be rejected."""
    assert S.resolve_radii_route("auto", "glorot", field, 512, 2000) == "exact"
    sample = S.spectral_radii(512, 2000, field=field, seed=0)
    eig = S.spectral_radii(512, 200, field=field, seed=1, route="eigvals")
    assert stats.ks_2samp(sample, eig).pvalue > TEST_ALPHA
    cdf = _complex_cdf(512) if field == "complex" else X._real_cdf(512)
    planted = X.InverseCdfTable(lambda r: cdf(np.asarray(r) / 1.03), tol=TOL)
    assert stats.ks_2samp(planted.sample(2000, np.random.default_rng(0)), eig).pvalue <= TEST_ALPHA


# --- users: the findings table and the bench section -------------------------------------------------


def _findings_real_row(monkeypatch, stretch):
    from lrinit_verify.report.findings import findings_rows

    monkeypatch.setattr(X, "_real_cdf", lambda n: _complex_cdf(n, stretch))
    return findings_rows(budget="quick", seed=0, widths=(64,), alpha=TEST_ALPHA)[0]


def test_findings_draw_real_radii_from_the_exact_law_when_installed(stand_in_real_law, monkeypatch):
    """Wiring: with the stand-in law, P(rho > 1) 'real' is the complex one; its Clopper-Pearson
    interval (error TEST_ALPHA/3) contains the exact value."""
    row = _findings_real_row(monkeypatch, 1.0)
    assert row["real_route"] == "exact law (table)" and row["real_trials"] == 20000
    _, (lo, hi) = row["glorot_exceeds_real"]
    assert lo <= 1 - spectral_radius_cdf_array(1.0, 64) <= hi


def test_findings_planted_stretched_law_is_detected(stand_in_real_law, monkeypatch):
    """Companion: a table of 1.03 rho moves P(rho > 1) from 0.978 to ~0.995, far outside the interval."""
    _, (lo, hi) = _findings_real_row(monkeypatch, 1.03)["glorot_exceeds_real"]
    assert not lo <= 1 - spectral_radius_cdf_array(1.0, 64) <= hi


TINY_BENCH = {
    "repeats": 1,
    "exact_widths": (16,),
    "exact_eig": {16: 2},
    "exact_draws": 100,
    "amortise_draws": 100,
}


def test_bench_section_runs(stand_in_real_law):
    from lrinit_verify.bench.exact_radii import exact_radii

    rows = exact_radii(TINY_BENCH, 0)
    cases = [r.case for r in rows]
    assert "real table n=16, build + 100 draws" in cases and len(rows) == 5
    assert all(r.ratio.median > 0 for r in rows)
