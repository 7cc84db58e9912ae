r"""Sinclair's skew Gram matrix of real Ginibre, in the normalised basis (REAL_GINIBRE.md §2–§5).

:math:`G` is :math:`n\times n` with iid :math:`N(0,1)` entries, :math:`R = r\sqrt n`. With :math:`c_0 = (2\sqrt{2\pi})^{1/2}` and
:math:`m_k(z) = z^k e^{-|z|^2/2}/\sqrt{k!}` the basis is :math:`\varphi_{2j} = m_{2j}/c_0`,
:math:`\varphi_{2j+1} = (\sqrt{2j+1}\,m_{2j+1} - \sqrt{2j}\,m_{2j-1})/c_0` (Forrester–Nagao's skew-orthogonal
polynomials times the weight), so that :math:`U(\infty) = J` and :math:`P(\rho(G) \le R) = \operatorname{Pf} U(R)`
(:math:`n` even; :math:`n` odd: the bordered Pfaffian over :math:`\hat\nu_{2m}(\infty)`). :math:`U = \alpha + \beta` with

* :math:`\alpha_{ab} = \int_{-R}^{R}\varphi_b(y)\,[2F_a(y) - F_a(R)]\,dy`, :math:`F_a(y) = \int_{-R}^{y}\varphi_a` in closed
  form: :math:`\varphi_{2j+1} = -\tfrac{d}{dx}\, m_{2j}/c_0`, and :math:`\int_{-R}^{y} m_{2j}` is the exact solution of
  the stable recurrence :math:`J_k = -[m_{k-1}/\sqrt k]_{-R}^{y} + \sqrt{(k-1)/k}\,J_{k-2}`, a regularised
  incomplete gamma function;
* :math:`\beta = -4\,B\,T\,B^T`, :math:`T_{kl} = \int_0^R \rho\,\mu_k\mu_l\,A_{k-l}(\rho)\,d\rho`,
  :math:`A_d(\rho) = \int_0^\pi \operatorname{erfcx}(\sqrt2\rho\sin\theta)\sin(d\theta)\,d\theta` (polar factorisation).

Only the trailing indices :math:`K = \{a_0, \dots, n-1\}` (plus the border), :math:`a_0` the largest even integer
:math:`\le (R - c)^2`, are assembled: the rest of :math:`U` is :math:`J` up to :math:`e^{-c^2}` and couples to :math:`K` through a
rank-one block that drops out of the Pfaffian (§5). All quadrature sizes follow from ``tol``
(:class:`Plan`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from lrinit_verify.theory._real_special import half_gauss_mass_even, log_monomial

#: :math:`c_0 = (2\sqrt{2\pi})^{1/2}`: :math:`\langle\varphi_{2j}, \varphi_{2j+1}\rangle = 1`.
C0 = math.sqrt(2.0 * math.sqrt(2.0 * math.pi))


def margin(tol: float) -> float:
    r"""Edge margin :math:`c = \sqrt{\log(1/\mathrm{tol})} + 2.5` (in units of :math:`|z|`).

    Basis functions decay like :math:`e^{-(|x| - \sqrt a)^2}` on the real line (and faster off it), so indices
    more than :math:`c` inside the disk and nodes more than :math:`c` away from every peak carry mass
    :math:`\lesssim e^{-c^2} \approx 2\cdot 10^{-3}\,\mathrm{tol}`.
    """
    return math.sqrt(math.log(1.0 / tol)) + 2.5


def _gauss(lo: float, hi: float, per_unit: float) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Legendre nodes and weights on [lo, hi] with ``per_unit * (hi - lo) + 12`` points."""
    count = math.ceil(per_unit * (hi - lo)) + 12
    x, w = special.roots_legendre(count)
    half = 0.5 * (hi - lo)
    return lo + half * (x + 1.0), half * w


@dataclass(frozen=True)
class Plan:
    r"""Index set and quadrature for one :math:`(R, n, \mathrm{tol})`.

    ``a0``: first assembled index (0 for the dense route); ``c``: :func:`margin`; real-line nodes in
    :math:`\pm[y_{lo}, y_{hi}]` and radial nodes in :math:`[\rho_{lo}, \rho_{hi}]` at :math:`1.2\sqrt{L}` and :math:`1.6\sqrt{L}`
    Gauss points per unit length (:math:`L = \log(1/\mathrm{tol})`: Gaussian bumps of width :math:`\ge 1/2` are
    then resolved to :math:`\sim \mathrm{tol}`); :math:`0.6\,d_{max} + 2\sqrt{L\rho_{hi}} + 20` angular points
    (:math:`\sin d\theta` up to :math:`d_{max} = |K|`, and the :math:`1/\rho` boundary layer of erfcx at :math:`\theta = 0`).
    """

    R: float
    n: int
    tol: float
    a0: int

    @property
    def c(self) -> float:
        return margin(self.tol)

    @property
    def m_lo(self) -> int:
        """First monomial index that the basis functions of K use."""
        return max(self.a0 - 1, 0)

    @property
    def size(self) -> int:
        """|K| (without the border)."""
        return self.n - self.a0

    def real_nodes(self) -> tuple[np.ndarray, np.ndarray]:
        hi = min(self.R, math.sqrt(self.n) + self.c)
        lo = max(0.0, math.sqrt(max(self.a0 - 2, 0)) - self.c) if self.a0 > 0 else 0.0
        per_unit = 1.2 * math.sqrt(math.log(1.0 / self.tol))
        if lo == 0.0:
            return _gauss(-hi, hi, per_unit)
        x, w = _gauss(lo, hi, per_unit)
        return np.concatenate([-x[::-1], x]), np.concatenate([w[::-1], w])

    def radial_nodes(self) -> tuple[np.ndarray, np.ndarray]:
        hi = min(self.R, math.sqrt(self.n) + self.c)
        lo = max(0.0, math.sqrt(self.m_lo) - self.c)
        return _gauss(lo, hi, 1.6 * math.sqrt(math.log(1.0 / self.tol)))

    def angular_nodes(self) -> tuple[np.ndarray, np.ndarray]:
        rho_hi = min(self.R, math.sqrt(self.n) + self.c)
        extra = 2.0 * math.sqrt(math.log(1.0 / self.tol) * rho_hi) + 8.0
        return _gauss(0.0, 0.5 * math.pi, (0.6 * self.size + extra) / (0.5 * math.pi))


def make_plan(R: float, n: int, tol: float, route: str) -> Plan:
    """The trailing-block plan (``route="edge"``) or the full matrix (``route="dense"``)."""
    if route == "dense":
        return Plan(R, n, tol, 0)
    a0 = 2 * int(max(R - margin(tol), 0.0) ** 2 // 2)
    return Plan(R, n, tol, min(a0, n - n % 2))


# --- basis functions ------------------------------------------------------------------------------


def monomials(x: np.ndarray, ks: np.ndarray) -> np.ndarray:
    r""":math:`m_k(x) = x^k e^{-x^2/2}/\sqrt{k!}` for real :math:`x` (rows: nodes, columns: ``ks``), via :func:`log_monomial`."""
    ax = np.abs(x)[:, None]
    out = np.exp(log_monomial(np.where(ax > 0, ax, 1.0), ks))
    out = np.where(ax == 0, np.where(ks == 0, 1.0, 0.0), out)
    return np.where((x[:, None] < 0) & (ks % 2 == 1), -out, out)


def basis_rows(values: np.ndarray, a0: int, n: int) -> np.ndarray:
    r"""Apply :math:`B`: rows :math:`m_k` (:math:`k \ge \max(a_0-1, 0)`) to rows :math:`\varphi_a`, :math:`a = a_0..n-1`."""
    m_lo = max(a0 - 1, 0)
    out = np.empty((n - a0,) + values.shape[1:])
    for a in range(a0, n):
        row = values[a - m_lo]
        if a % 2 == 1 and a >= 3:  # (phi_1 = m_1 / c0: the m_{-1} term has weight sqrt(0))
            row = math.sqrt(a) * row - math.sqrt(a - 1) * values[a - 2 - m_lo]
        out[a - a0] = row
    return out / C0


def even_primitive(y: np.ndarray, R: float, js: np.ndarray) -> np.ndarray:
    r""":math:`\int_{-R}^{y} m_{2j}` for nodes :math:`|y| \le R` (rows) and ``js`` (columns), without cancellation."""
    s = js + 0.5
    g = half_gauss_mass_even(js)
    yy = 0.5 * y[:, None] ** 2
    pos = special.gammainc(s, yy) + special.gammainc(s, 0.5 * R * R)
    neg = special.gammaincc(s, yy) - special.gammaincc(s, 0.5 * R * R)
    return g * np.where(y[:, None] >= 0, pos, neg)


def border(R: float, a0: int, n: int) -> np.ndarray:
    r""":math:`\nu_a(R) = \int_{-R}^{R}\varphi_a = F_a(R)` for :math:`a = a_0..n-1` (zero for odd :math:`a`)."""
    a = np.arange(a0, n)
    nu = 2.0 * half_gauss_mass_even(a // 2) * special.gammainc(0.5 * (a + 1.0), 0.5 * R * R) / C0
    return np.where(a % 2 == 0, nu, 0.0)


def border_normaliser(n: int) -> float:
    r""":math:`\hat\nu_{n-1}(\infty) = \sqrt{2\pi}\,(n-2)!!/(c_0\sqrt{(n-1)!})` for odd :math:`n`."""
    return float(2.0 * half_gauss_mass_even((n - 1) // 2) / C0)


# --- the two parts of U and the assembly -----------------------------------------------------------


def real_part(plan: Plan) -> np.ndarray:
    r""":math:`\alpha_{ab} = \int_{-R}^{R}\varphi_b(y)[2F_a(y) - F_a(R)]\,dy` on :math:`K \times K` (Gauss–Legendre in :math:`y`)."""
    y, w = plan.real_nodes()
    a0, n = plan.a0, plan.n
    phi = basis_rows(monomials(y, np.arange(plan.m_lo, n)).T, a0, n)
    a = np.arange(a0, n)
    even, odd = a[a % 2 == 0], a[a % 2 == 1]
    prim = np.empty((len(a), len(y)))
    prim[even - a0] = even_primitive(y, plan.R, even // 2).T / C0
    if odd.size:  # phi_{2j+1} = -(d/dx) m_{2j} / c0
        m_y = monomials(y, odd - 1.0).T
        m_R = monomials(np.array([plan.R]), odd - 1.0).T
        prim[odd - a0] = (m_R - m_y) / C0
    alpha = (2.0 * prim - border(plan.R, a0, n)[:, None]) @ (w * phi).T
    return 0.5 * (alpha - alpha.T)


def angular_transform(rho: np.ndarray, count: int, plan: Plan) -> np.ndarray:
    r""":math:`A_d(\rho_q) = 2\int_0^{\pi/2}\operatorname{erfcx}(\sqrt2\rho_q\sin\theta)\sin(d\theta)\,d\theta`, $d < $ ``count``.

    (Only odd :math:`d` are used; for even :math:`d` the integral over :math:`[0, \pi]` vanishes.)
    """
    theta, w = plan.angular_nodes()
    kernel = 2.0 * w * special.erfcx(math.sqrt(2.0) * rho[:, None] * np.sin(theta))
    return kernel @ np.sin(np.outer(theta, np.arange(count)))


def complex_part(plan: Plan) -> np.ndarray:
    r""":math:`\beta = -4BTB^T` on :math:`K\times K`, :math:`T_{kl} = \int \rho\,\mu_k\mu_l A_{k-l}\,d\rho` (antisymmetric)."""
    rho, w = plan.radial_nodes()
    ks = np.arange(plan.m_lo, plan.n)
    count = len(ks)
    mu = monomials(rho, ks)
    weighted = mu * (w * rho)[:, None]
    A = angular_transform(rho, count, plan)
    T = np.zeros((count, count))
    for d in range(1, count, 2):
        diag = (weighted[:, d:] * mu[:, : count - d]).T @ A[:, d]
        idx = np.arange(count - d)
        T[idx + d, idx] = diag
        T[idx, idx + d] = -diag
    bt = basis_rows(T, plan.a0, plan.n)
    return -4.0 * basis_rows(bt.T, plan.a0, plan.n).T


def bordered(U: np.ndarray, nu: np.ndarray) -> np.ndarray:
    r""":math:`\begin{pmatrix} U & \nu \\ -\nu^T & 0 \end{pmatrix}`."""
    k = len(nu)
    out = np.zeros((k + 1, k + 1))
    out[:k, :k] = U
    out[:k, k] = nu
    out[k, :k] = -nu
    return out


def gram(plan: Plan, *, parts: str = "both") -> np.ndarray:
    r""":math:`U(R)` on :math:`K` (bordered for odd :math:`n`); ``parts="real"``/``"complex"`` keeps :math:`\alpha` or :math:`\beta` only."""
    U = np.zeros((plan.size, plan.size))
    if parts in ("both", "real"):
        U += real_part(plan)
    if parts in ("both", "complex"):
        U += complex_part(plan)
    if plan.n % 2 == 1:
        U = bordered(U, border(plan.R, plan.a0, plan.n))
    return U
