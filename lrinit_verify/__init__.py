r"""lrinit_verify: verify how Glorot-type initialisation behaves in long-range linear recurrences.

Every public name is importable from here; ``__all__`` lists them (checked by
``tests/test_public_api.py``). By topic:

Spectral edge (:mod:`lrinit_verify.theory.edge`)
    The law of the spectral radius :math:`\rho(W)` of Glorot matrices: Kostlan's exact product law
    (:func:`spectral_radius_cdf`, :func:`sample_radius_kostlan`), Rider's Gumbel edge
    (:func:`edge_location`, :func:`edge_scale`, :func:`gumbel_radius_cdf`), the exact real law
    (:func:`real_radius_cdf`, Sinclair's Pfaffian, :mod:`lrinit_verify.theory.real_law`), the paper's
    :math:`\gamma_n` and factor :math:`c_n` (:func:`gamma_n`, :func:`rescale_factor`), real eigenvalues
    (:mod:`lrinit_verify.theory.real_eigenvalues`).

Energy (:mod:`lrinit_verify.theory.energy`, :mod:`lrinit_verify.theory.frobenius`)
    :math:`S_{n,t} = E\|W^t x\|^2` exactly (:func:`energy_exact`, Wick enumeration
    :func:`genus_coefficients` and :mod:`lrinit_verify.theory.enumeration`), in log space
    (:func:`log_energy`), its critical limit :func:`critical_limit`; :math:`\|W^t\|_F^2/n` of one
    matrix (:func:`frobenius_log_energy`).

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
    :func:`hidden_state_trajectories`), simulated explosion lengths (:func:`explosion_length_quantiles`),
    an initialiser's audit (:func:`audit`).

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

from importlib.metadata import PackageNotFoundError as _PackageNotFoundError, version as _version

from lrinit_verify.claims.runner import (
    run_claims as run_claims,
)
from lrinit_verify.montecarlo._lapack import (
    hessenberg_eigvals as hessenberg_eigvals,
)
from lrinit_verify.montecarlo.explosion import (
    explosion_length_quantiles as explosion_length_quantiles,
)
from lrinit_verify.montecarlo.simulate import (
    RADII_ROUTES as RADII_ROUTES,
    count_real_eigenvalues as count_real_eigenvalues,
    resolve_radii_route as resolve_radii_route,
    spectra as spectra,
    spectral_radii as spectral_radii,
)
from lrinit_verify.montecarlo.trajectories import (
    energy_trajectories as energy_trajectories,
    hidden_state_trajectories as hidden_state_trajectories,
)
from lrinit_verify.report.findings import (
    findings_rows as findings_rows,
    write_findings_markdown as write_findings_markdown,
)
from lrinit_verify.rigor.certify import (
    certified_variance_bound as certified_variance_bound,
    certify_radius_above as certify_radius_above,
    certify_radius_below as certify_radius_below,
    certify_spectral_radius as certify_spectral_radius,
    radius_bounds as radius_bounds,
)
from lrinit_verify.rigor.decisions import (
    holm_rejections as holm_rejections,
)
from lrinit_verify.rigor.search import (
    transient_search as transient_search,
)
from lrinit_verify.rigor.sequential import (
    sequential_probability_test as sequential_probability_test,
)
from lrinit_verify.rigor.stats import (
    Verdict as Verdict,
    clopper_pearson as clopper_pearson,
    dkw_epsilon as dkw_epsilon,
    empirical_bernstein as empirical_bernstein,
    ks_distance as ks_distance,
    quantile_interval as quantile_interval,
)
from lrinit_verify.rigor.testing import (
    assert_distribution as assert_distribution,
    assert_probability as assert_probability,
    assert_probability_sequential as assert_probability_sequential,
)
from lrinit_verify.sampling._hessenberg import (
    sample_hessenberg as sample_hessenberg,
)
from lrinit_verify.sampling.ensembles import (
    ENSEMBLES as ENSEMBLES,
    glorot as glorot,
    halved_glorot as halved_glorot,
    orthogonal as orthogonal,
    sample_batch as sample_batch,
)
from lrinit_verify.sampling.init import (
    calibrated_glorot as calibrated_glorot,
    diagonal_glorot as diagonal_glorot,
    lru_parameters as lru_parameters,
    lru_ring as lru_ring,
    pytorch_rnn_default as pytorch_rnn_default,
    rescaled_glorot as rescaled_glorot,
    spectral_normalised as spectral_normalised,
)
from lrinit_verify.theory.edge import (
    FIRST_DEFINED_WIDTH as FIRST_DEFINED_WIDTH,
    GUMBEL_MEAN_PLUS_STD as GUMBEL_MEAN_PLUS_STD,
    edge_location as edge_location,
    edge_scale as edge_scale,
    eigenvalue_modulus_cdf as eigenvalue_modulus_cdf,
    gamma_n as gamma_n,
    gumbel_quantile as gumbel_quantile,
    gumbel_radius_cdf as gumbel_radius_cdf,
    log_spectral_radius_cdf as log_spectral_radius_cdf,
    prob_radius_exceeds as prob_radius_exceeds,
    rescale_factor as rescale_factor,
    sample_radius_kostlan as sample_radius_kostlan,
    spectral_radius_cdf as spectral_radius_cdf,
    spectral_radius_cdf_array as spectral_radius_cdf_array,
    spectral_radius_cdf_mp as spectral_radius_cdf_mp,
    spectral_radius_sf as spectral_radius_sf,
)
from lrinit_verify.theory.energy import (
    critical_correction as critical_correction,
    critical_limit as critical_limit,
    cumulative_energy as cumulative_energy,
    energy_exact as energy_exact,
    feedforward_energy as feedforward_energy,
    genus_coefficients as genus_coefficients,
    hidden_state_energy as hidden_state_energy,
    log_energy as log_energy,
    log_energy_mp as log_energy_mp,
    verify_closed_form as verify_closed_form,
)
from lrinit_verify.theory.enumeration import (
    COMPLEX_ENUMERATION_MAX_T as COMPLEX_ENUMERATION_MAX_T,
    REAL_ENUMERATION_MAX_T as REAL_ENUMERATION_MAX_T,
    energy_polynomial as energy_polynomial,
    energy_variance as energy_variance,
)
from lrinit_verify.theory.frobenius import (
    frobenius_log_energy as frobenius_log_energy,
    frobenius_log_energy_direct as frobenius_log_energy_direct,
    frobenius_log_energy_eig as frobenius_log_energy_eig,
)
from lrinit_verify.theory.real_eigenvalues import (
    expected_real_eigenvalues as expected_real_eigenvalues,
    prob_all_real as prob_all_real,
)
from lrinit_verify.theory.real_law import (
    real_log_radius_cdf as real_log_radius_cdf,
    real_radius_cdf as real_radius_cdf,
    real_radius_cdf_array as real_radius_cdf_array,
    real_radius_quantile as real_radius_quantile,
    real_radius_sf as real_radius_sf,
)
from lrinit_verify.theory.rescale import (
    EXPLOSION_THRESHOLD as EXPLOSION_THRESHOLD,
    NOMINAL_PROBABILITY as NOMINAL_PROBABILITY,
    calibrated_factor as calibrated_factor,
    calibrated_scale as calibrated_scale,
    calibration_interval as calibration_interval,
    critical_length as critical_length,
    explosion_length as explosion_length,
)


def audit(init_fn, widths, **options):
    """Audit a recurrent-matrix initialiser at ``widths`` (needs torch; ``lrinit-verify audit``).

    The same as :func:`lrinit_verify.auditing.api.audit` (imported here on first call, so that this
    package does not import torch): per width, :math:`P(\\rho > 1)`, quantiles of :math:`\\rho`, simulated
    explosion lengths, the comparison with Glorot, the paper's :math:`c_n` and the exact calibration,
    and a verdict. Returns an :class:`~lrinit_verify.auditing.report.AuditReport`.
    """
    from lrinit_verify.auditing.api import audit as _audit

    return _audit(init_fn, widths, **options)


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
    "RADII_ROUTES",
    "REAL_ENUMERATION_MAX_T",
    "Verdict",
    "assert_distribution",
    "assert_probability",
    "assert_probability_sequential",
    "audit",
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
    "explosion_length_quantiles",
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
    "resolve_radii_route",
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
