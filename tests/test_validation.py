"""Every public calculator rejects bad input with a ValueError naming the argument and value."""

from __future__ import annotations

import math

import numpy as np
import pytest

import lrinit_verify as lv
from lrinit_verify.rigor import stats

BAD = [
    pytest.param(lv.gamma_n, (0,), {}, r"n=0 ", id="gamma_n-zero"),
    pytest.param(lv.gamma_n, (2.5,), {}, r"n=2.5 ", id="gamma_n-float"),
    pytest.param(lv.spectral_radius_cdf, (1.0, -3), {}, r"n=-3 must be a positive integer", id="cdf-neg-n"),
    pytest.param(lv.spectral_radius_cdf, (1.0, 16.0), {}, r"n=16.0 ", id="cdf-float-n"),
    pytest.param(lv.spectral_radius_cdf, (-0.5, 16), {}, r"r=-0.5 must be a non-negative", id="cdf-neg-r"),
    pytest.param(lv.spectral_radius_cdf, (math.nan, 16), {}, r"r=nan must be a finite", id="cdf-nan-r"),
    pytest.param(
        lv.spectral_radius_cdf, (1.0, 16), {"field": "quaternion"}, r"field='quaternion'", id="cdf-field"
    ),
    pytest.param(lv.spectral_radius_cdf, (1.0, True), {}, r"n=True ", id="cdf-bool-n"),
    pytest.param(lv.prob_radius_exceeds, (16,), {"method": "magic"}, r"method='magic'", id="prob-method"),
    pytest.param(lv.prob_radius_exceeds, (16,), {"method": "monte_carlo"}, r"seed=None", id="prob-no-seed"),
    pytest.param(lv.gumbel_quantile, (1.5,), {}, r"p=1.5 must be a probability", id="quantile-p>1"),
    pytest.param(lv.gumbel_quantile, (0.0,), {}, r"p=0.0 must be a probability", id="quantile-p=0"),
    pytest.param(lv.rescale_factor, (100,), {}, r"n=100: gamma_n", id="rescale-undefined"),
    pytest.param(lv.rescale_factor, (1024,), {"x": math.inf}, r"x=inf", id="rescale-x-inf"),
    pytest.param(lv.expected_real_eigenvalues, (0,), {}, r"n=0 ", id="eks-zero"),
    pytest.param(lv.prob_all_real, ("8",), {}, r"n='8' ", id="allreal-str"),
    pytest.param(lv.sample_radius_kostlan, (8, 0), {"seed": 1}, r"trials=0 ", id="kostlan-trials"),
    pytest.param(lv.sample_radius_kostlan, (8, 4), {}, r"seed=None", id="kostlan-no-seed"),
    pytest.param(lv.sample_radius_kostlan, (8, 4), {"seed": -1}, r"seed=-1", id="kostlan-neg-seed"),
    pytest.param(lv.glorot, (8,), {"seed": 1, "dist": "cauchy"}, r"dist='cauchy'", id="glorot-dist"),
    pytest.param(lv.glorot, (8,), {"rng": 3}, r"rng=3 must be a numpy.random.Generator", id="glorot-rng"),
    pytest.param(
        lv.glorot, (8,), {"seed": 1, "rng": np.random.default_rng(1)}, r"give only one", id="glorot-two"
    ),
    pytest.param(lv.sample_batch, ("wigner", 8, 2), {"seed": 1}, r"ensemble='wigner'", id="batch-ensemble"),
    pytest.param(
        lv.spectral_radii, (8, 10), {"seed": 1, "backend": "jax"}, r"backend='jax'", id="radii-backend"
    ),
    pytest.param(lv.spectral_radii, (8, 10), {"seed": 1, "mem_cap": 0}, r"mem_cap=0", id="radii-memcap"),
    pytest.param(lv.clopper_pearson, (5, 3), {"alpha": 0.05}, r"k=5 must not exceed m=3", id="cp-k>m"),
    pytest.param(lv.clopper_pearson, (1, 3), {"alpha": 1.0}, r"alpha=1.0", id="cp-alpha"),
    pytest.param(lv.dkw_epsilon, (0,), {"alpha": 0.1}, r"m=0 ", id="dkw-m"),
    pytest.param(stats.bonferroni, (0.01, [1, -1]), {}, r"weight=-1", id="bonferroni-weight"),
]


@pytest.mark.parametrize("func,args,kwargs,message", BAD)
def test_bad_input_raises_value_error_naming_the_argument(func, args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        func(*args, **kwargs)
