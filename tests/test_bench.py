"""``lrinit-verify bench``: the harness, the baselines compute the same thing, the CLI contract.

No timing is asserted here (timings belong to the bench's report, not to tests).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from lrinit_verify.bench import cases as B, trajectories as T
from lrinit_verify.bench.harness import Row, Spread, paired, time_repeats
from lrinit_verify.cli.app import main

TINY = dict(
    repeats=1,
    radii_trials={32: 4},
    kostlan_eig=2,
    kostlan_draws=50,
    traj_matrices=1,
    naive_probes=2,
    frob_T=(8,),
    cert_n=(6,),
    exact_repeats=2,
)


def test_spread_and_rows():
    s = Spread.of([3.0, 1.0, 2.0])
    assert (s.median, s.low, s.high, s.repeats) == (2.0, 1.0, 3.0, 3)
    rate = s.map(lambda sec: 1 / sec)
    assert (rate.low, rate.high) == (1 / 3, 1.0)
    assert Row("x", "c", "t", "b", Spread.of([2.5]), target=2.0).meets is True
    assert Row("x", "c", "t", "b", Spread.of([0.06]), target=0.05, target_kind="at_most").meets is False
    assert Row("x", "c", "t", "b", None).meets is None


def test_paired_rates_and_repeats():
    tool, base, gain = paired(lambda: None, lambda: sum(range(20000)), 3, toolkit_items=10, baseline_items=10)
    assert tool.repeats == base.repeats == gain.repeats == 3 and gain.median > 1
    with pytest.raises(ValueError, match="repeats=0"):
        time_repeats(lambda: None, 0)


def test_naive_trajectory_baselines_compute_the_engine_quantity():
    from lrinit_verify.montecarlo._backends import NumpyOps
    from lrinit_verify.montecarlo.trajectories import _plan, _power_chunk, _unit_columns

    child = np.random.SeedSequence(3)
    got = _power_chunk(NumpyOps(child, "real"), _plan("power", 9, 50, 1, probes=3), 1)[0]
    replay = NumpyOps(child, "real")
    w = replay.matrices("glorot", 9, 1, 1.0)[0]
    x = _unit_columns(replay, 1, 9, 3)[0]
    assert np.allclose(T._naive_trajectory(w, x, 50), got, atol=1e-9)
    assert np.allclose(T._stacked_trajectory(w, x, 50), got, atol=1e-9)


def test_naive_radii_are_spectral_radii():
    r = B._naive_radii(5, 3, np.random.default_rng(0))
    rng = np.random.default_rng(0)
    want = [np.abs(np.linalg.eigvals(rng.standard_normal((5, 5)) / math.sqrt(5))).max() for _ in range(3)]
    assert np.allclose(r, want)


def test_cases_run_at_tiny_sizes():
    gflops = Spread.of([50.0])
    rows = (
        B.radii(TINY, 0)
        + B.kostlan(TINY, 0, n=16)
        + B.trajectories(TINY, 0, gflops, n=16, t=8, probes=2)
        + B.exact(TINY, 0)
        + B.certified(TINY, 0)
        + B.frobenius(TINY, 0, n=8)
    )
    assert {r.section for r in rows} == {"a", "b", "c", "c'", "d", "e"}
    assert all(r.ratio is None or r.ratio.median > 0 for r in rows)
    json.dumps([r.to_dict() for r in rows])


def test_cli_bench_writes_json(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert main(["bench", "--quick", "--only", "exact", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["profile"] == "quick" and report["machine"]["cores"] >= 1
    assert [r["case"] for r in report["rows"]][0].startswith("log_energy")
    assert "log_energy" in capsys.readouterr().out


def test_cli_bench_rejects_unknown_section(capsys):
    assert main(["bench", "--only", "radii,warp"]) == 2
    assert "--only='radii,warp'" in capsys.readouterr().err
