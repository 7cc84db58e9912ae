r"""The sweep's grid file: TOML parsing, validation (before any work) and expansion into tasks.

A grid file holds optional top-level ``seed`` and ``chunk_trials`` and one or more ``[[grid]]``
blocks; each block is the Cartesian product of its keys::

    seed = 0
    chunk_trials = 256

    [[grid]]
    name = "edge"                      # a label, not part of the points
    ensembles = [{ initialiser = "glorot", field = ["real", "complex"], scale = [1.0, "halved"] }]
    widths = [16, 64]
    statistics = ["spectral_radius"]
    trials = 1000

Keys of a block: ``ensembles`` (``initialiser`` one of :data:`INITIALISERS`, ``field`` and
``scale`` each a value or a list), ``widths``, ``statistics`` (:data:`STATISTICS`), ``trials``,
optionally ``chunk_trials`` (trials per task for this block: small widths want large chunks),
and for trajectory statistics ``lengths``, ``probes`` (default 1), ``stride`` (default 1,
``energy_trajectory`` only) and ``threshold`` :math:`K` (default 100, ``explosion_length`` only).
A scale is a number or a name: ``"rescaled"`` (the paper's :math:`c_n`), ``"halved"`` (:math:`1/\sqrt2`),
``"calibrated"`` (:math:`1/s_p` with :math:`P(\rho(W) \le s_p) = p` at the nominal :math:`p`) or ``"calibrated@P"``.
Scale labels are checked and turned into factors by :mod:`~lrinit_verify.sweep.scales`.

Reproducibility: the points of one *sample* (all keys but ``statistic`` and ``threshold``)
share their matrices, and chunk :math:`c` of a point draws from
``SeedSequence([seed, h_0, h_1, h_2, h_3, c])`` with :math:`h_i` the first four 32-bit words of the
SHA-256 of the sample's canonical JSON (:func:`task_entropy`): a function of the point alone.

Example:
    >>> g = parse_grid({"grid": [{"ensembles": [{"initialiser": "orthogonal"}], "widths": [4],
    ...                           "statistics": ["spectral_radius"], "trials": 5}]}, chunk_trials=2)
    >>> [(t.chunk, t.start, t.stop) for t in g.tasks()]
    [(0, 0, 2), (1, 2, 4), (2, 4, 5)]
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from dataclasses import asdict, dataclass, replace

from lrinit_verify import _validate as v
from lrinit_verify._errors import InvalidArgument
from lrinit_verify.sweep.scales import _scale_label, scale_factor
from lrinit_verify.theory.rescale import EXPLOSION_THRESHOLD

SPECTRAL = ("spectral_radius", "real_eigenvalue_count")
TRAJECTORY = ("energy_trajectory", "explosion_length")
STATISTICS = SPECTRAL + TRAJECTORY
#: Test-only statistics (they kill or stall their worker); accepted when ``test_hooks=True``.
TEST_STATISTICS = ("_exit_worker",)
#: initialiser -> (engine ensemble, built-in scale name or None).
INITIALISERS = {
    "glorot": ("glorot", None),
    "glorot_uniform": ("glorot_uniform", None),
    "halved_glorot": ("halved_glorot", None),
    "orthogonal": ("orthogonal", None),
    "pytorch_rnn_default": ("glorot_uniform", "pytorch"),
    "rescaled_glorot": ("glorot", "rescaled"),
    "calibrated_glorot": ("glorot", "calibrated"),
}
DEFAULT_SEED = 0
DEFAULT_CHUNK_TRIALS = 256
_TOP_KEYS = ("seed", "chunk_trials", "grid")
_BLOCK_KEYS = (
    "name",
    "ensembles",
    "widths",
    "statistics",
    "trials",
    "chunk_trials",
    "lengths",
    "probes",
    "stride",
    "threshold",
)
_ENSEMBLE_KEYS = ("initialiser", "field", "scale")


@dataclass(frozen=True)
class Point:
    """One grid point; keys that do not apply to its statistic are 0 (``length`` of a spectrum)."""

    statistic: str
    initialiser: str
    field: str
    scale: str
    n: int
    length: int = 0
    probes: int = 0
    stride: int = 0
    threshold: float = 0.0

    @property
    def kind(self) -> str:
        return (
            "spectra" if self.statistic in SPECTRAL or self.statistic in TEST_STATISTICS else "trajectories"
        )

    def sample_key(self) -> dict:
        """The keys that determine the random draws (everything but ``statistic`` and ``threshold``)."""
        key = asdict(self)
        del key["statistic"], key["threshold"]
        return {"kind": self.kind, **key}

    def sample_digest(self) -> str:
        return _sha256(self.sample_key())

    def ident(self) -> str:
        """Short stable id of the whole point (file names, manifest keys)."""
        return _sha256(asdict(self))[:16]

    def engine(self) -> tuple[str, float]:
        """(engine ensemble, total scale factor) for :mod:`lrinit_verify.montecarlo.simulate` / ``trajectories``."""
        ensemble, builtin = INITIALISERS[self.initialiser]
        factor = 1.0 if builtin is None else scale_factor(builtin, self.n, self.field)
        return ensemble, factor * scale_factor(self.scale, self.n, self.field)


def _sha256(obj) -> str:
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def task_entropy(seed: int, point: Point, chunk: int) -> list[int]:
    """Entropy of ``SeedSequence`` for chunk ``chunk`` of ``point``: root seed, 4 hash words, chunk.

    >>> p = Point("spectral_radius", "glorot", "real", "1.0", 8)
    >>> e = task_entropy(7, p, 3)
    >>> e[0], e[-1], len(e), e[1] == int(p.sample_digest()[:8], 16)
    (7, 3, 6, True)
    """
    digest = point.sample_digest()
    return [int(seed), *(int(digest[8 * i : 8 * i + 8], 16) for i in range(4)), int(chunk)]


@dataclass(frozen=True)
class Task:
    """Trials ``start:stop`` (chunk ``chunk``) of ``point``, drawn from :func:`task_entropy`."""

    point: Point
    chunk: int
    start: int
    stop: int
    seed: int

    @property
    def ident(self) -> str:
        return f"{self.point.ident()}-c{self.chunk:05d}-{self.start}-{self.stop}"

    def entropy(self) -> list[int]:
        return task_entropy(self.seed, self.point, self.chunk)


@dataclass(frozen=True)
class Grid:
    """A validated grid: ``points`` as ``(Point, trials, chunk_trials or None)``, the root seed and the
    default chunking (a block's own ``chunk_trials`` wins)."""

    points: tuple
    seed: int
    chunk_trials: int
    source: dict

    def tasks(self) -> list[Task]:
        out = []
        for point, trials, chunk in self.points:
            size = chunk or self.chunk_trials
            for c, start in enumerate(range(0, trials, size)):
                out.append(Task(point, c, start, min(start + size, trials), self.seed))
        return out

    def with_options(self, *, seed=None, chunk_trials=None) -> Grid:
        """The grid with the root seed and/or chunk size overridden (``None`` keeps the file's)."""
        seed = self.seed if seed is None else v.nonnegative_int("seed", seed)
        chunk = self.chunk_trials if chunk_trials is None else v.positive_int("chunk_trials", chunk_trials)
        return replace(
            self, seed=seed, chunk_trials=chunk, source={**self.source, "seed": seed, "chunk_trials": chunk}
        )


def load_grid(path, *, test_hooks: bool = False) -> Grid:
    """Read and validate a grid file (TOML)."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise InvalidArgument(f"grid file {str(path)!r} cannot be read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidArgument(f"grid file {str(path)!r} is not valid TOML: {exc}") from None
    return parse_grid(data, test_hooks=test_hooks)


def _list(where: str, value, *, allow_scalar=True) -> list:
    if isinstance(value, list):
        if not value:
            raise InvalidArgument(f"{where}=[] must not be empty")
        return value
    if allow_scalar:
        return [value]
    raise InvalidArgument(f"{where}={value!r} must be a list")


def _unknown(where: str, table: dict, allowed) -> None:
    if not isinstance(table, dict):
        raise InvalidArgument(f"{where}={table!r} must be a table")  # noqa: TRY004 (the API raises ValueError)
    extra = sorted(set(table) - set(allowed))
    if extra:
        raise InvalidArgument(f"{where}: unknown key {extra[0]!r} (allowed: {', '.join(allowed)})")


def _ensembles(where: str, value) -> list[tuple[str, str, str]]:
    out = []
    for j, ens in enumerate(_list(where, value, allow_scalar=False)):
        w = f"{where}[{j}]"
        _unknown(w, ens, _ENSEMBLE_KEYS)
        if "initialiser" not in ens:
            raise InvalidArgument(f"{w}: missing key 'initialiser'")
        init = v.choice(f"{w}.initialiser", ens["initialiser"], tuple(INITIALISERS))
        fields = [v.choice(f"{w}.field", f, v.FIELDS) for f in _list(f"{w}.field", ens.get("field", "real"))]
        scales = [_scale_label(f"{w}.scale", s) for s in _list(f"{w}.scale", ens.get("scale", 1.0))]
        out += [(init, f, s) for f in fields for s in scales]
    return out


def _block_points(i: int, block: dict, test_hooks: bool) -> list[tuple[Point, tuple]]:
    w = f"grid[{i}]"
    _unknown(w, block, _BLOCK_KEYS)
    for key in ("ensembles", "widths", "statistics", "trials"):
        if key not in block:
            raise InvalidArgument(f"{w}: missing key {key!r}")
    if not isinstance(block.get("name", ""), str):
        raise InvalidArgument(f"{w}.name={block['name']!r} must be a string")  # noqa: TRY004
    allowed = STATISTICS + (TEST_STATISTICS if test_hooks else ())
    stats = [v.choice(f"{w}.statistics", s, allowed) for s in _list(f"{w}.statistics", block["statistics"])]
    widths = [v.positive_int(f"{w}.widths", n) for n in _list(f"{w}.widths", block["widths"])]
    trials = v.positive_int(f"{w}.trials", block["trials"])
    chunk = block.get("chunk_trials")
    chunk = None if chunk is None else v.positive_int(f"{w}.chunk_trials", chunk)
    ensembles = _ensembles(f"{w}.ensembles", block["ensembles"])
    trajectory = [s for s in stats if s in TRAJECTORY]
    for key in ("lengths", "probes", "stride", "threshold"):
        if key in block and not trajectory:
            raise InvalidArgument(f"{w}.{key} applies only to the statistics {', '.join(TRAJECTORY)}")
    if trajectory and "lengths" not in block:
        raise InvalidArgument(f"{w}: missing key 'lengths' (needed by {trajectory[0]!r})")
    lengths = [v.positive_int(f"{w}.lengths", t) for t in _list(f"{w}.lengths", block.get("lengths", 1))]
    probes = v.positive_int(f"{w}.probes", block.get("probes", 1))
    stride = v.positive_int(f"{w}.stride", block.get("stride", 1))
    threshold = v.positive_real(f"{w}.threshold", block.get("threshold", EXPLOSION_THRESHOLD))
    if threshold <= 1.0:
        raise InvalidArgument(f"{w}.threshold={threshold!r} must exceed 1 (the energy at t = 0)")
    out = []
    for stat, (init, field, scale), n in itertools.product(stats, ensembles, widths):
        if stat == "real_eigenvalue_count" and field != "real":
            raise InvalidArgument(
                f"{w}.statistics: 'real_eigenvalue_count' needs field='real', got field={field!r}"
            )
        base = Point(stat, init, field, scale, n)
        if stat == "energy_trajectory":
            pts = [replace(base, length=t, probes=probes, stride=stride) for t in lengths]
        elif stat == "explosion_length":
            pts = [replace(base, length=t, probes=probes, stride=1, threshold=threshold) for t in lengths]
        else:
            pts = [base]
        for p in pts:
            _check_scale(w, p)
            out.append((p, (trials, chunk)))
    return out


def _check_scale(where: str, point: Point) -> None:
    try:
        factor = point.engine()[1]
    except ValueError as exc:
        raise InvalidArgument(
            f"{where}.ensembles: {point.initialiser} with scale={point.scale!r} at n={point.n}, "
            f"field={point.field!r}: {exc}"
        ) from None
    if not (math.isfinite(factor) and factor > 0):
        raise InvalidArgument(
            f"{where}.ensembles: scale={point.scale!r} at n={point.n} gives factor {factor!r}"
        )


def parse_grid(data: dict, *, seed=None, chunk_trials=None, test_hooks: bool = False) -> Grid:
    """Validate a parsed grid (a dict as from TOML) and expand it into points; errors name the key.

    >>> parse_grid({"grid": [{"ensembles": [{"initialiser": "glorot"}], "widths": [0],
    ...             "statistics": ["spectral_radius"], "trials": 1}]})
    Traceback (most recent call last):
    lrinit_verify._errors.InvalidArgument: grid[0].widths=0 must be a positive integer
    """
    _unknown("grid file", data, _TOP_KEYS)
    if "grid" not in data:
        raise InvalidArgument("grid file: missing key 'grid' (one or more [[grid]] blocks)")
    root = v.nonnegative_int("seed", data.get("seed", DEFAULT_SEED))
    chunk = v.positive_int("chunk_trials", data.get("chunk_trials", DEFAULT_CHUNK_TRIALS))
    trials_of: dict = {}
    for i, block in enumerate(_list("grid", data["grid"], allow_scalar=False)):
        for point, sizes in _block_points(i, block, test_hooks):
            if trials_of.setdefault(point, (sizes, i))[0] != sizes:
                (trials, chunk), first = trials_of[point]
                raise InvalidArgument(
                    f"grid[{i}] (trials, chunk_trials)={sizes} contradicts grid[{first}]'s "
                    f"{(trials, chunk)} for the same point {asdict(point)}"
                )
    points = tuple((p, t, c) for p, ((t, c), _) in trials_of.items())
    grid = Grid(points, root, chunk, {**data, "seed": root, "chunk_trials": chunk})
    return grid.with_options(seed=seed, chunk_trials=chunk_trials)
