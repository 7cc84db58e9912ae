r"""lrinit_verify: verify how Glorot-type initialisation behaves in long-range linear recurrences.

Every public name is importable from here; ``__all__`` lists them (checked by
``tests/test_public_api.py``). By topic:

Spectral edge (:mod:`lrinit_verify.theory.edge`)
    The law of the spectral radius :math:`\rho(W)` of Glorot matrices: Kostlan's exact product law
    (:func:`spectral_radius_cdf`, :func:`sample_radius_kostlan`), Rider's Gumbel edge
    (:func:`edge_location`, :func:`edge_scale`, :func:`gumbel_radius_cdf`), the exact real law
    (:func:`real_radius_cdf`, Sinclair's Pfaffian, :mod:`lrinit_verify.theory.real_law`), the paper's
    :math:`\gamma_n` and factor :math:`c_n` (:func:`gamma_n`, :func:`rescale_factor`), real eigenvalues.

Energy (:mod:`lrinit_verify.theory.energy`, :mod:`lrinit_verify.theory.frobenius`)
    :math:`S_{n,t} = E\|W^t x\|^2` exactly (:func:`energy_exact`, Wick enumeration
    :func:`genus_coefficients`), in log space (:func:`log_energy`), its critical limit
    :func:`critical_limit`; :math:`\|W^t\|_F^2/n` of one matrix (:func:`frobenius_log_energy`).

Rescaling (:mod:`lrinit_verify.theory.rescale`)
    Exactly calibrated factors (:func:`calibrated_scale`, :func:`calibrated_factor`) and the
    lengths at which Glorot recurrences explode (:func:`explosion_length`).

Samplers and initialisers (:mod:`lrinit_verify.sampling`)
    :func:`glorot`, :func:`halved_glorot`, :func:`orthogonal`, :func:`sample_batch`,
    :func:`sample_hessenberg`; initialisers :func:`rescaled_glorot`, :func:`calibrated_glorot`,
    :func:`spectral_normalised`, :func:`lru_ring` (torch versions in
    :mod:`lrinit_verify.sampling.torch_init`).

Monte Carlo (:mod:`lrinit_verify.montecarlo`)
    Spectra and spectral radii of many matrices (:func:`spectra`, :func:`spectral_radii`),
    trajectories :math:`\log\|W^k x\|^2` and :math:`\log\|h_k\|^2` (:func:`energy_trajectories`,
    :func:`hidden_state_trajectories`).

Rigour and statistics (:mod:`lrinit_verify.rigor`)
    Intervals and tests with stated error probabilities (:func:`clopper_pearson`,
    :func:`dkw_epsilon`, :class:`Verdict`), certified radius bounds (:func:`certify_spectral_radius`),
    pytest assertions (:func:`assert_probability`, :func:`assert_distribution`).

Claims (:mod:`lrinit_verify.claims`, :mod:`lrinit_verify.report.findings`)
    Every encoded claim checked under one error budget (:func:`run_claims`,
    ``lrinit-verify verify``) and the findings report (:func:`findings_rows`).

Example:
    >>> import lrinit_verify as lv
    >>> lv.rescale_factor(1024) < 1 < lv.edge_location(1024)
    True
"""

from importlib.metadata import PackageNotFoundError as _PackageNotFoundError
from importlib.metadata import version as _version

from lrinit_verify.claims.runner import (
    run_claims as run_claims,
)
from lrinit_verify.montecarlo._lapack import (
    hessenberg_eigvals as hessenberg_eigvals,
)
from lrinit_verify.montecarlo.simulate import (
    count_real_eigenvalues as count_real_eigenvalues,
)
from lrinit_verify.montecarlo.simulate import (
    spectra as spectra,
)
from lrinit_verify.montecarlo.simulate import (
    spectral_radii as spectral_radii,
)
from lrinit_verify.montecarlo.trajectories import (
    energy_trajectories as energy_trajectories,
)
from lrinit_verify.montecarlo.trajectories import (
    hidden_state_trajectories as hidden_state_trajectories,
)
from lrinit_verify.report.findings import (
    findings_rows as findings_rows,
)
from lrinit_verify.report.findings import (
    write_findings_markdown as write_findings_markdown,
)
from lrinit_verify.rigor.certify import (
    certified_variance_bound as certified_variance_bound,
)
from lrinit_verify.rigor.certify import (
    certify_radius_above as certify_radius_above,
)
from lrinit_verify.rigor.certify import (
    certify_radius_below as certify_radius_below,
)
from lrinit_verify.rigor.certify import (
    certify_spectral_radius as certify_spectral_radius,
)
from lrinit_verify.rigor.certify import (
    radius_bounds as radius_bounds,
)
from lrinit_verify.rigor.search import (
    transient_search as transient_search,
)
from lrinit_verify.rigor.sequential import (
    sequential_probability_test as sequential_probability_test,
)
from lrinit_verify.rigor.stats import (
    Verdict as Verdict,
)
from lrinit_verify.rigor.stats import (
    clopper_pearson as clopper_pearson,
)
from lrinit_verify.rigor.stats import (
    dkw_epsilon as dkw_epsilon,
)
from lrinit_verify.rigor.stats import (
    empirical_bernstein as empirical_bernstein,
)
from lrinit_verify.rigor.stats import (
    holm_rejections as holm_rejections,
)
from lrinit_verify.rigor.stats import (
    ks_distance as ks_distance,
)
from lrinit_verify.rigor.stats import (
    quantile_interval as quantile_interval,
)
from lrinit_verify.rigor.testing import (
    assert_distribution as assert_distribution,
)
from lrinit_verify.rigor.testing import (
    assert_probability as assert_probability,
)
from lrinit_verify.rigor.testing import (
    assert_probability_sequential as assert_probability_sequential,
)
from lrinit_verify.sampling._hessenberg import (
    sample_hessenberg as sample_hessenberg,
)
from lrinit_verify.sampling.ensembles import (
    ENSEMBLES as ENSEMBLES,
)
from lrinit_verify.sampling.ensembles import (
    glorot as glorot,
)
from lrinit_verify.sampling.ensembles import (
    halved_glorot as halved_glorot,
)
from lrinit_verify.sampling.ensembles import (
    orthogonal as orthogonal,
)
from lrinit_verify.sampling.ensembles import (
    sample_batch as sample_batch,
)
from lrinit_verify.sampling.init import (
    calibrated_glorot as calibrated_glorot,
)
from lrinit_verify.sampling.init import (
    diagonal_glorot as diagonal_glorot,
)
from lrinit_verify.sampling.init import (
    lru_parameters as lru_parameters,
)
from lrinit_verify.sampling.init import (
    lru_ring as lru_ring,
)
from lrinit_verify.sampling.init import (
    pytorch_rnn_default as pytorch_rnn_default,
)
from lrinit_verify.sampling.init import (
    rescaled_glorot as rescaled_glorot,
)
from lrinit_verify.sampling.init import (
    spectral_normalised as spectral_normalised,
)
from lrinit_verify.theory.edge import (
    FIRST_DEFINED_WIDTH as FIRST_DEFINED_WIDTH,
)
from lrinit_verify.theory.edge import (
    GUMBEL_MEAN_PLUS_STD as GUMBEL_MEAN_PLUS_STD,
)
from lrinit_verify.theory.edge import (
    edge_location as edge_location,
)
from lrinit_verify.theory.edge import (
    edge_scale as edge_scale,
)
from lrinit_verify.theory.edge import (
    eigenvalue_modulus_cdf as eigenvalue_modulus_cdf,
)
from lrinit_verify.theory.edge import (
    expected_real_eigenvalues as expected_real_eigenvalues,
)
from lrinit_verify.theory.edge import (
    gamma_n as gamma_n,
)
from lrinit_verify.theory.edge import (
    gumbel_quantile as gumbel_quantile,
)
from lrinit_verify.theory.edge import (
    gumbel_radius_cdf as gumbel_radius_cdf,
)
from lrinit_verify.theory.edge import (
    log_spectral_radius_cdf as log_spectral_radius_cdf,
)
from lrinit_verify.theory.edge import (
    prob_all_real as prob_all_real,
)
from lrinit_verify.theory.edge import (
    prob_radius_exceeds as prob_radius_exceeds,
)
from lrinit_verify.theory.edge import (
    rescale_factor as rescale_factor,
)
from lrinit_verify.theory.edge import (
    sample_radius_kostlan as sample_radius_kostlan,
)
from lrinit_verify.theory.edge import (
    spectral_radius_cdf as spectral_radius_cdf,
)
from lrinit_verify.theory.edge import (
    spectral_radius_cdf_array as spectral_radius_cdf_array,
)
from lrinit_verify.theory.edge import (
    spectral_radius_cdf_mp as spectral_radius_cdf_mp,
)
from lrinit_verify.theory.edge import (
    spectral_radius_sf as spectral_radius_sf,
)
from lrinit_verify.theory.energy import (
    COMPLEX_ENUMERATION_MAX_T as COMPLEX_ENUMERATION_MAX_T,
)
from lrinit_verify.theory.energy import (
    REAL_ENUMERATION_MAX_T as REAL_ENUMERATION_MAX_T,
)
from lrinit_verify.theory.energy import (
    critical_correction as critical_correction,
)
from lrinit_verify.theory.energy import (
    critical_limit as critical_limit,
)
from lrinit_verify.theory.energy import (
    cumulative_energy as cumulative_energy,
)
from lrinit_verify.theory.energy import (
    energy_exact as energy_exact,
)
from lrinit_verify.theory.energy import (
    energy_polynomial as energy_polynomial,
)
from lrinit_verify.theory.energy import (
    energy_variance as energy_variance,
)
from lrinit_verify.theory.energy import (
    feedforward_energy as feedforward_energy,
)
from lrinit_verify.theory.energy import (
    genus_coefficients as genus_coefficients,
)
from lrinit_verify.theory.energy import (
    hidden_state_energy as hidden_state_energy,
)
from lrinit_verify.theory.energy import (
    log_energy as log_energy,
)
from lrinit_verify.theory.energy import (
    log_energy_mp as log_energy_mp,
)
from lrinit_verify.theory.energy import (
    verify_closed_form as verify_closed_form,
)
from lrinit_verify.theory.frobenius import (
    frobenius_log_energy as frobenius_log_energy,
)
from lrinit_verify.theory.frobenius import (
    frobenius_log_energy_direct as frobenius_log_energy_direct,
)
from lrinit_verify.theory.frobenius import (
    frobenius_log_energy_eig as frobenius_log_energy_eig,
)
from lrinit_verify.theory.real_law import (
    real_log_radius_cdf as real_log_radius_cdf,
)
from lrinit_verify.theory.real_law import (
    real_radius_cdf as real_radius_cdf,
)
from lrinit_verify.theory.real_law import (
    real_radius_cdf_array as real_radius_cdf_array,
)
from lrinit_verify.theory.real_law import (
    real_radius_quantile as real_radius_quantile,
)
from lrinit_verify.theory.real_law import (
    real_radius_sf as real_radius_sf,
)
from lrinit_verify.theory.rescale import (
    EXPLOSION_THRESHOLD as EXPLOSION_THRESHOLD,
)
from lrinit_verify.theory.rescale import (
    NOMINAL_PROBABILITY as NOMINAL_PROBABILITY,
)
from lrinit_verify.theory.rescale import (
    calibrated_factor as calibrated_factor,
)
from lrinit_verify.theory.rescale import (
    calibrated_scale as calibrated_scale,
)
from lrinit_verify.theory.rescale import (
    calibration_interval as calibration_interval,
)
from lrinit_verify.theory.rescale import (
    critical_length as critical_length,
)
from lrinit_verify.theory.rescale import (
    explosion_length as explosion_length,
)

try:
    __version__ = _version("lrinit-verify")
except _PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "COMPLEX_ENUMERATION_MAX_T",
    "ENSEMBLES",
    "EXPLOSION_THRESHOLD",
    "FIRST_DEFINED_WIDTH",
    "GUMBEL_MEAN_PLUS_STD",
    "NOMINAL_PROBABILITY",
    "REAL_ENUMERATION_MAX_T",
    "Verdict",
    "assert_distribution",
    "assert_probability",
    "assert_probability_sequential",
    "calibrated_factor",
    "calibrated_glorot",
    "calibrated_scale",
    "calibration_interval",
    "certified_variance_bound",
    "certify_radius_above",
    "certify_radius_below",
    "certify_spectral_radius",
    "clopper_pearson",
    "count_real_eigenvalues",
    "critical_correction",
    "critical_length",
    "critical_limit",
    "cumulative_energy",
    "diagonal_glorot",
    "dkw_epsilon",
    "edge_location",
    "edge_scale",
    "eigenvalue_modulus_cdf",
    "empirical_bernstein",
    "energy_exact",
    "energy_polynomial",
    "energy_trajectories",
    "energy_variance",
    "expected_real_eigenvalues",
    "explosion_length",
    "feedforward_energy",
    "findings_rows",
    "frobenius_log_energy",
    "frobenius_log_energy_direct",
    "frobenius_log_energy_eig",
    "gamma_n",
    "genus_coefficients",
    "glorot",
    "gumbel_quantile",
    "gumbel_radius_cdf",
    "halved_glorot",
    "hessenberg_eigvals",
    "hidden_state_energy",
    "hidden_state_trajectories",
    "holm_rejections",
    "ks_distance",
    "log_energy",
    "log_energy_mp",
    "log_spectral_radius_cdf",
    "lru_parameters",
    "lru_ring",
    "orthogonal",
    "prob_all_real",
    "prob_radius_exceeds",
    "pytorch_rnn_default",
    "quantile_interval",
    "radius_bounds",
    "real_log_radius_cdf",
    "real_radius_cdf",
    "real_radius_cdf_array",
    "real_radius_quantile",
    "real_radius_sf",
    "rescale_factor",
    "rescaled_glorot",
    "run_claims",
    "sample_batch",
    "sample_hessenberg",
    "sample_radius_kostlan",
    "sequential_probability_test",
    "spectra",
    "spectral_normalised",
    "spectral_radii",
    "spectral_radius_cdf",
    "spectral_radius_cdf_array",
    "spectral_radius_cdf_mp",
    "spectral_radius_sf",
    "transient_search",
    "verify_closed_form",
    "write_findings_markdown",
]
