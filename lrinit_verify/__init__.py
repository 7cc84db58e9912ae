"""lrinit_verify: verify how Glorot-type initialisation behaves in long-range linear recurrences.

The public surface is listed in ``__all__`` (checked by ``tests/test_public_api.py``).
"""

from .edge import (
    FIRST_DEFINED_WIDTH,
    GUMBEL_MEAN_PLUS_STD,
    edge_location,
    edge_scale,
    eigenvalue_modulus_cdf,
    expected_real_eigenvalues,
    gamma_n,
    gumbel_quantile,
    gumbel_radius_cdf,
    log_spectral_radius_cdf,
    prob_all_real,
    prob_radius_exceeds,
    quantile_for_probability,
    rescale_factor,
    sample_radius_kostlan,
    spectral_radius_cdf,
    spectral_radius_cdf_array,
    spectral_radius_cdf_mp,
    spectral_radius_sf,
)
from .ensembles import ENSEMBLES, glorot, halved_glorot, orthogonal, sample_batch
from .runner import run_claims
from .simulate import count_real_eigenvalues, spectra, spectral_radii
from .stats import Verdict, clopper_pearson, dkw_epsilon, empirical_bernstein, ks_distance

__version__ = "0.1.0"

__all__ = [
    "ENSEMBLES",
    "FIRST_DEFINED_WIDTH",
    "GUMBEL_MEAN_PLUS_STD",
    "Verdict",
    "clopper_pearson",
    "count_real_eigenvalues",
    "dkw_epsilon",
    "edge_location",
    "edge_scale",
    "eigenvalue_modulus_cdf",
    "empirical_bernstein",
    "expected_real_eigenvalues",
    "gamma_n",
    "glorot",
    "gumbel_quantile",
    "gumbel_radius_cdf",
    "halved_glorot",
    "ks_distance",
    "log_spectral_radius_cdf",
    "orthogonal",
    "prob_all_real",
    "prob_radius_exceeds",
    "quantile_for_probability",
    "rescale_factor",
    "run_claims",
    "sample_batch",
    "sample_radius_kostlan",
    "spectra",
    "spectral_radii",
    "spectral_radius_cdf",
    "spectral_radius_cdf_array",
    "spectral_radius_cdf_mp",
    "spectral_radius_sf",
]
