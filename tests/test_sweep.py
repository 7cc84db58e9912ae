"""Fast tests of ``lrinit-verify sweep`` without Dask: grid validation, seed derivation, serial path.

Deterministic tests only (no statistical assertion): expected values come from the engines called
directly with seeds the test derives itself, or from exact identities (orthogonal matrices).
"""

from __future__ import annotations

import glob
import hashlib
import importlib.util
import json
import math
import os

import numpy as np
import pytest

from lrinit_verify.cli.app import main
from lrinit_verify.montecarlo.simulate import spectra
from lrinit_verify.montecarlo.trajectories import energy_trajectories
from lrinit_verify.sweep import grid as g, load, run, store
from lrinit_verify.sweep.grid import Point, parse_grid
from lrinit_verify.sweep.tasks import first_crossing


def block(**kw):
    base = {
        "ensembles": [{"initialiser": "glorot"}],
        "widths": [8],
        "statistics": ["spectral_radius"],
        "trials": 10,
    }
    return {**base, **kw}


def one(**kw):
    return {"grid": [block(**kw)]}


# --- grid validation ----------------------------------------------------------------------------

BAD_GRIDS = [
    pytest.param({}, "missing key 'grid'", id="no-grid"),
    pytest.param({**one(), "seeds": 1}, "unknown key 'seeds'", id="unknown-top-key"),
    pytest.param({**one(), "seed": -1}, "seed=-1", id="negative-seed"),
    pytest.param({**one(), "chunk_trials": 0}, "chunk_trials=0", id="chunk-zero"),
    pytest.param({"grid": []}, "grid=[] must not be empty", id="empty-grid"),
    pytest.param(one(width=[8]), "grid[0]: unknown key 'width'", id="unknown-block-key"),
    pytest.param(one(name=3), "grid[0].name=3 must be a string", id="name-not-string"),
    pytest.param({"grid": [{"widths": [8]}]}, "grid[0]: missing key 'ensembles'", id="missing-key"),
    pytest.param(one(widths=[8, 0]), "grid[0].widths=0", id="width-zero"),
    pytest.param(one(trials=2.5), "grid[0].trials=2.5", id="trials-float"),
    pytest.param(one(chunk_trials=-2), "grid[0].chunk_trials=-2", id="block-chunk"),
    pytest.param(one(statistics=["radius"]), "grid[0].statistics='radius'", id="unknown-statistic"),
    pytest.param(one(statistics=["_exit_worker"]), "grid[0].statistics='_exit_worker'", id="test-hook-off"),
    pytest.param(
        one(ensembles=[{"field": "real"}]),
        "grid[0].ensembles[0]: missing key 'initialiser'",
        id="no-initialiser",
    ),
    pytest.param(
        one(ensembles=[{"initialiser": "xavier"}]),
        "grid[0].ensembles[0].initialiser='xavier'",
        id="unknown-initialiser",
    ),
    pytest.param(
        one(ensembles=[{"initialiser": "glorot", "field": "quaternion"}]),
        "grid[0].ensembles[0].field='quaternion'",
        id="bad-field",
    ),
    pytest.param(
        one(ensembles=[{"initialiser": "glorot", "scale": -1}]),
        "grid[0].ensembles[0].scale=-1",
        id="negative-scale",
    ),
    pytest.param(
        one(ensembles=[{"initialiser": "glorot", "scale": "big"}]),
        "grid[0].ensembles[0].scale='big'",
        id="unknown-scale-name",
    ),
    pytest.param(
        one(ensembles=[{"initialiser": "glorot", "scale": "calibrated@1.5"}]),
        "grid[0].ensembles[0].scale=1.5",
        id="calibrated-level",
    ),
    pytest.param(
        one(ensembles=[{"initialiser": "glorot", "scale": "rescaled"}], widths=[64]),
        "scale='rescaled' at n=64",
        id="rescaled-undefined",
    ),
    pytest.param(
        one(ensembles=[{"initialiser": "glorot", "field": "complex"}], statistics=["real_eigenvalue_count"]),
        "'real_eigenvalue_count' needs field='real'",
        id="real-count-complex",
    ),
    pytest.param(one(statistics=["explosion_length"]), "grid[0]: missing key 'lengths'", id="no-lengths"),
    pytest.param(one(lengths=[5]), "grid[0].lengths applies only", id="lengths-for-spectra"),
    pytest.param(
        one(statistics=["explosion_length"], lengths=[5], threshold=1.0),
        "grid[0].threshold=1.0",
        id="threshold-one",
    ),
    pytest.param(
        {"grid": [block(), block(trials=11)]},
        "grid[1] (trials, chunk_trials)=(11, None) contradicts grid[0]'s (10, None)",
        id="contradicting-trials",
    ),
]


@pytest.mark.parametrize("data, message", BAD_GRIDS)
def test_bad_grid_is_rejected_naming_the_key(data, message):
    with pytest.raises(ValueError) as err:
        parse_grid(data)
    assert message in str(err.value)


def test_bad_grid_file_is_rejected_before_any_work(tmp_path):
    path = tmp_path / "g.toml"
    path.write_text(
        '[[grid]]\nensembles = [{ initialiser = "glorot" }]\nwidths = [8]\n'
        'statistics = ["spectral_radius"]\ntrials = 0\n'
    )
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out)]) == 2
    assert not out.exists()
    path.write_text("widths = [")
    with pytest.raises(ValueError, match="is not valid TOML"):
        g.load_grid(path)


def test_grid_expands_products_and_fills_unused_keys_with_zero():
    grid = parse_grid(
        one(
            ensembles=[{"initialiser": "glorot", "field": ["real", "complex"], "scale": [1, "halved"]}],
            widths=[4, 8],
            statistics=["spectral_radius", "energy_trajectory"],
            lengths=[3, 5],
            probes=2,
        )
    )
    points = [p for p, _, _ in grid.points]
    assert len(points) == 2 * 2 * 2 * (1 + 2)
    assert {p.scale for p in points} == {"1.0", "halved"}
    radius = [p for p in points if p.statistic == "spectral_radius"]
    assert {(p.length, p.probes, p.stride, p.threshold) for p in radius} == {(0, 0, 0, 0.0)}
    traj = [p for p in points if p.statistic == "energy_trajectory"]
    assert {(p.length, p.probes, p.stride) for p in traj} == {(3, 2, 1), (5, 2, 1)}


def test_scale_names_resolve_to_the_toolkit_factors():
    from lrinit_verify.theory.edge import rescale_factor
    from lrinit_verify.theory.rescale import calibrated_scale

    p = Point("spectral_radius", "rescaled_glorot", "real", "halved", 256)
    assert p.engine() == ("glorot", pytest.approx(rescale_factor(256) * math.sqrt(0.5), rel=1e-15))
    q = Point("spectral_radius", "glorot", "complex", "calibrated@0.5", 64)
    assert q.engine()[1] == pytest.approx(1 / calibrated_scale(64, 0.5), rel=1e-15)
    assert Point("spectral_radius", "pytorch_rnn_default", "real", "1.0", 9).engine() == (
        "glorot_uniform",
        pytest.approx(1 / math.sqrt(3), rel=1e-15),
    )


# --- seed derivation ----------------------------------------------------------------------------


def _entropy_by_hand(seed, point_json: str, chunk):
    digest = hashlib.sha256(point_json.encode()).hexdigest()
    return [seed, *(int(digest[8 * i : 8 * i + 8], 16) for i in range(4)), chunk]


def test_seed_derivation_follows_the_documented_formula():
    p = Point("real_eigenvalue_count", "glorot", "real", "1.0", 8)
    canonical = (
        '{"field":"real","initialiser":"glorot","kind":"spectra","length":0,"n":8,'
        '"probes":0,"scale":"1.0","stride":0}'
    )
    assert g.task_entropy(5, p, 2) == _entropy_by_hand(5, canonical, 2)


def test_seed_derivation_is_pinned():
    # Regression pin: changing the hash or its canonical form silently changes every stored sweep.
    p = Point("spectral_radius", "glorot", "complex", "halved", 64)
    assert g.task_entropy(0, p, 0)[1:5] == [int(p.sample_digest()[8 * i : 8 * i + 8], 16) for i in range(4)]
    assert p.sample_digest()[:16] == "10f3644e8332aa13"


def test_task_seeds_do_not_depend_on_the_rest_of_the_grid():
    a = block(widths=[8])
    b = block(widths=[16, 8], ensembles=[{"initialiser": "orthogonal"}, {"initialiser": "glorot"}])
    small = {t.ident: t.entropy() for t in parse_grid({"grid": [a]}).tasks()}
    large = {t.ident: t.entropy() for t in parse_grid({"grid": [b, a]}).tasks()}
    assert small.items() <= large.items()
    assert len(set(map(tuple, large.values()))) == len(large)  # every task its own seed


def test_statistics_of_one_sample_share_their_seeds_but_scales_do_not():
    r = Point("spectral_radius", "glorot", "real", "1.0", 8)
    c = Point("real_eigenvalue_count", "glorot", "real", "1.0", 8)
    s = Point("spectral_radius", "glorot", "real", "2.0", 8)
    assert g.task_entropy(0, r, 0) == g.task_entropy(0, c, 0) != g.task_entropy(0, s, 0)
    assert r.ident() != c.ident()


def test_first_crossing():
    logs = np.log(np.array([[1.0, 99.9, 100.0, 1e3], [1.0, 0.5, 0.1, 99.0], [100.0, 1.0, 1.0, 1.0]]))
    assert first_crossing(logs, 100.0).tolist() == [2.0, math.inf, 0.0]


# --- serial path (Parquet: needs the 'distributed' extra's pyarrow and pandas) -------------------


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


HAVE_PARQUET = all(_installed(m) for m in ("pyarrow", "pandas"))
parquet = pytest.mark.skipif(not HAVE_PARQUET, reason="needs the 'distributed' extra (pyarrow, pandas)")


def digests(root) -> dict:
    out = {}
    for p in glob.glob(os.path.join(root, "parts", "**", "*.parquet"), recursive=True):
        with open(p, "rb") as fh:
            out[os.path.relpath(p, root)] = hashlib.sha256(fh.read()).hexdigest()
    return out


MIXED = {
    "seed": 3,
    "chunk_trials": 4,
    "grid": [
        block(ensembles=[{"initialiser": "glorot", "field": ["real", "complex"]}], widths=[5, 12], trials=9),
        block(
            statistics=["real_eigenvalue_count", "energy_trajectory", "explosion_length"],
            lengths=[6],
            probes=2,
            trials=5,
            widths=[7],
        ),
    ],
}


@parquet
def test_serial_results_equal_direct_engine_calls(tmp_path):
    res = run(MIXED, tmp_path, progress=False)
    assert res.ok and res.done == res.tasks == 2 * 2 * 3 + 3 * 2
    df = load(tmp_path)
    for field, n in [("real", 5), ("complex", 12)]:
        rows = df[(df.statistic == "spectral_radius") & (df.field == field) & (df.n == n)].sort_values(
            "trial"
        )
        p = Point("spectral_radius", "glorot", field, "1.0", n)
        canonical = json.dumps(p.sample_key(), sort_keys=True, separators=(",", ":"))
        want = np.concatenate(
            [
                np.abs(
                    spectra(
                        n,
                        stop - start,
                        field=field,
                        workers=1,
                        rng=np.random.default_rng(np.random.SeedSequence(_entropy_by_hand(3, canonical, c))),
                    )
                ).max(axis=1)
                for c, (start, stop) in enumerate([(0, 4), (4, 8), (8, 9)])
            ]
        )
        assert rows.trial.tolist() == list(range(9))
        assert np.array_equal(rows.value.to_numpy(), want)
    p = Point("energy_trajectory", "glorot", "real", "1.0", 7, length=6, probes=2, stride=1)
    traj = energy_trajectories(
        7, 6, 4, probes=2, rng=np.random.default_rng(np.random.SeedSequence(g.task_entropy(3, p, 0)))
    )
    rows = df[(df.statistic == "energy_trajectory") & (df.chunk == 0)].sort_values(["trial", "probe", "step"])
    assert np.array_equal(rows.value.to_numpy(), traj.ravel())
    expl = df[(df.statistic == "explosion_length") & (df.chunk == 0)].sort_values(["trial", "probe"])
    assert np.array_equal(expl.value.to_numpy(), first_crossing(traj, 100.0).ravel())


@parquet
def test_exact_identities_of_orthogonal_matrices(tmp_path):
    grid = {
        "grid": [
            block(
                ensembles=[{"initialiser": "orthogonal", "scale": [1.0, 2.0]}],
                statistics=["explosion_length", "energy_trajectory"],
                lengths=[8],
                trials=3,
            ),
            block(
                ensembles=[{"initialiser": "orthogonal"}],
                widths=[1],
                trials=4,
                statistics=["spectral_radius", "real_eigenvalue_count"],
            ),
        ]
    }
    run(grid, tmp_path, progress=False)
    df = load(tmp_path)
    expl = df[df.statistic == "explosion_length"]
    assert expl[expl.scale == "2.0"].value.tolist() == [4.0] * 3  # 4^k >= 100 first at k = 4
    assert expl[expl.scale == "1.0"].value.tolist() == [math.inf] * 3  # ||Q^k x|| = 1
    traj = df[(df.statistic == "energy_trajectory") & (df.scale == "2.0")]
    assert np.allclose(traj.value, traj.step * math.log(4.0), atol=1e-12)
    one_by_one = df[df.n == 1]
    assert set(one_by_one.value[one_by_one.statistic == "real_eigenvalue_count"]) == {1.0}
    assert np.allclose(one_by_one.value[one_by_one.statistic == "spectral_radius"], 1.0, atol=1e-15)


@parquet
def test_resume_of_a_finished_sweep_submits_nothing_and_changes_nothing(tmp_path):
    run(MIXED, tmp_path, progress=False)
    before = digests(tmp_path)
    again = run(MIXED, tmp_path, progress=False)
    assert (again.submitted, again.skipped) == (0, again.tasks)
    assert digests(tmp_path) == before
    manifest = store.read_manifest(tmp_path)
    assert {r["status"] for r in manifest["tasks"].values()} == {"done"}
    assert {r["sha256"] for r in manifest["tasks"].values()} == set(before.values())


@parquet
def test_resume_refuses_another_seed(tmp_path):
    run(MIXED, tmp_path, progress=False, chunk_trials=100)
    with pytest.raises(ValueError, match="seed=4 differs from 3"):
        run(MIXED, tmp_path, progress=False, chunk_trials=100, seed=4)
    assert run(MIXED, tmp_path, progress=False, chunk_trials=100, seed=4, resume=False).ok


@parquet
def test_crash_mid_write_leaves_nothing_that_load_reads(tmp_path, monkeypatch):
    fresh = tmp_path / "fresh"
    run(MIXED, fresh, progress=False)
    out = tmp_path / "crashed"
    real_replace, calls = os.replace, []

    def crash_on_third_part(src, dst):
        if str(dst).endswith(".parquet"):
            calls.append(dst)
            if len(calls) == 3:
                raise KeyboardInterrupt  # the process dies between writing the temp file and the rename
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_third_part)
    with pytest.raises(KeyboardInterrupt):
        run(MIXED, out, progress=False)
    monkeypatch.setattr(os, "replace", real_replace)
    assert glob.glob(os.path.join(out, "parts", "**", ".*.tmp"), recursive=True)  # the torn write
    partial = load(out)
    assert partial.groupby(["statistic", "n", "field", "chunk"]).ngroups == 2
    resumed = run(MIXED, out, progress=False)
    assert resumed.submitted == resumed.tasks - 2
    assert digests(out) == digests(fresh)
    assert not glob.glob(os.path.join(out, "parts", "**", ".*.tmp"), recursive=True)


@parquet
def test_grid_extension_leaves_existing_parts_byte_identical(tmp_path):
    run(MIXED, tmp_path, progress=False)
    before = digests(tmp_path)
    grown = {
        **MIXED,
        "grid": [*MIXED["grid"], block(widths=[3], ensembles=[{"initialiser": "halved_glorot"}])],
    }
    res = run(grown, tmp_path, progress=False)
    assert res.submitted == 3 and res.skipped == len(before)
    after = digests(tmp_path)
    assert {k: after[k] for k in before} == before


@parquet
def test_failed_task_is_recorded_and_the_cli_exits_non_zero(tmp_path, monkeypatch, capsys):
    path = tmp_path / "poison.toml"
    path.write_text(
        'chunk_trials = 2\n[[grid]]\nensembles = [{ initialiser = "glorot" }]\nwidths = [4]\n'
        'statistics = ["spectral_radius", "_exit_worker"]\ntrials = 4\n'
    )
    monkeypatch.setenv("LRINIT_SWEEP_TEST_HOOKS", "1")
    assert main(["sweep", str(path), "--out", str(tmp_path / "out")]) == 1
    tasks = store.read_manifest(tmp_path / "out")["tasks"].values()
    status = sorted((r["point"]["statistic"], r["status"]) for r in tasks)
    assert status == [("_exit_worker", "failed")] * 2 + [("spectral_radius", "done")] * 2
    assert "failed" in capsys.readouterr().err


@parquet
def test_parts_read_as_a_hive_dataset(tmp_path):
    import pyarrow.dataset as ds

    run(MIXED, tmp_path, progress=False)
    table = ds.dataset(str(tmp_path / "parts"), partitioning="hive").to_table()
    assert table.num_rows == len(load(tmp_path))
    assert {"statistic", "n", "scale", "value"} <= set(table.column_names)


def test_example_grid_covers_the_shipped_witnesses():
    import pathlib

    from lrinit_verify.theory.rescale import real_calibration

    path = pathlib.Path(__file__).resolve().parents[1] / "docs" / "examples" / "sweep.toml"
    grid = g.load_grid(path)
    radius = {
        p.n: trials for p, trials, _ in grid.points if p.statistic == "spectral_radius" and p.field == "real"
    }
    for rec in real_calibration()["widths"]:  # the shipped calibration's widths, at least its trials
        assert radius[rec["n"]] >= rec["trials"]
    thorough_cross_check = {24: 8000, 48: 8000, 96: 4000, 200: 1500, 400: 300}
    thorough_ladder = {2: 8000, 8: 8000, 32: 8000, 128: 6000, 512: 1500}
    for n, m in {**thorough_cross_check, **thorough_ladder}.items():
        assert radius[n] >= m
