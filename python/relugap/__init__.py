"""relugap for Python: load relugap training sets with their certified bounds,
score networks against them (exactly through the ``relugap`` binary), and
(``relugap.torch``) train them with PyTorch.

    import relugap
    inst = relugap.load("suite/setcover_n8_yes.npy")
    net = inst.certificate                # the lifted optimal network
    print(inst.loss(net), inst.opt_upper) # total loss (float) vs the exact bound
    print(inst.score(net, exact=True))    # through `relugap eval --exact --json`

The manual is docs/manual/python.md.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Optional, Union

import numpy as np

from ._io import format_from_path, read_arrays, read_sidecar, write_npz
from ._network import Network, network_from_json, network_to_json, read_network, write_network

__all__ = ["load", "Instance", "Score", "Network", "read_network", "write_network", "network_from_json",
           "network_to_json", "relugap_binary", "eval_exact", "write_npz", "frac"]

__version__ = "0.1.0"

Number = Union[float, Fraction]


def frac(v: Any) -> Optional[Fraction]:
    """A sidecar value as a Fraction: "p/q" strings, numbers, {"exact": "p/q"}; None stays None."""
    if v is None:
        return None
    if isinstance(v, dict):
        return frac(v.get("exact"))
    if isinstance(v, str):
        return Fraction(v)
    return Fraction(v)


def relugap_binary() -> str:
    """The ``relugap`` command: $RELUGAP_BIN, else build/relugap of this
    checkout, else ``relugap`` on PATH."""
    env = os.environ.get("RELUGAP_BIN")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    cand = os.path.join(here, "..", "..", "build", "relugap")
    if os.path.exists(cand):
        return os.path.normpath(cand)
    found = shutil.which("relugap")
    if found:
        return found
    raise FileNotFoundError("the relugap binary was not found: set RELUGAP_BIN or build it (make build)")


def eval_exact(net: Union[Network, str], data_path: str, binary: Optional[str] = None) -> dict:
    """Runs ``relugap eval --net NET --data DATA --exact --json`` and returns its
    JSON with ``total_loss_exact`` / ``mean_loss_exact`` as Fractions."""
    tmp = None
    try:
        if isinstance(net, Network):
            fd, tmp = tempfile.mkstemp(suffix=".json", prefix="relugap-net-")
            os.close(fd)
            write_network(tmp, net, exact=True)
            net_path = tmp
        else:
            net_path = net
        cmd = [binary or relugap_binary(), "eval", "--net", net_path, "--data", data_path, "--exact", "--json"]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr.strip()}")
        out = json.loads(p.stdout)
    finally:
        if tmp:
            os.unlink(tmp)
    for k in ("total_loss_exact", "mean_loss_exact"):
        if out.get(k) is not None:
            out[k] = Fraction(out[k])
    return out


@dataclass
class Score:
    """A network's standing on an instance. Losses are *total* weighted losses
    Σ c_i (f(x_i) − y_i)², the unit of every bound in the sidecar.

    excess: (loss − opt_upper) / gap, the distance to the certified OPT upper
    bound in units of the YES/NO gap (≤ 0: as good as the certificate).
    verdict: "invalid" (loss below the certified lower bound: impossible, the
    loss or the bound is wrong), "yes" (loss < no_threshold: the network proves
    the instance is not a NO instance), "inconclusive" (loss ≥ no_threshold),
    "unknown" (no thresholds stated), "outside class" (the bounds hold over a
    class of networks, the instance's ``network_class``, and this one is not in it)."""

    loss: Number
    mean_loss: Number
    exact: bool
    excess: Optional[float]
    verdict: str
    reaches_upper: Optional[bool]
    opt_lower: Optional[Fraction] = None
    opt_upper: Optional[Fraction] = None
    gap: Optional[Fraction] = None

    def as_dict(self) -> dict:
        def enc(v):
            if isinstance(v, Fraction):
                return f"{v.numerator}/{v.denominator}"
            return v
        return {k: enc(v) for k, v in self.__dict__.items()}


@dataclass
class Instance:
    """A training set with what its sidecar certifies. Bounds are exact
    Fractions in total loss (``None`` when not stated)."""

    path: str
    X: Any  # numpy array (npy, csv) or scipy.sparse.csr_matrix (npz, libsvm)
    y: np.ndarray
    c: np.ndarray
    format: str
    sidecar: Optional[dict] = None
    opt_lower: Optional[Fraction] = None
    opt_upper: Optional[Fraction] = None
    yes_threshold: Optional[Fraction] = None
    no_threshold: Optional[Fraction] = None
    gap: Optional[Fraction] = None
    epsilon: Optional[Fraction] = None
    answer: Optional[str] = None
    total_weight: Fraction = Fraction(0)
    certificate: Optional[Network] = None
    units: int = 1
    constraints: dict = field(default_factory=dict)
    # The class over which the bounds hold, exact (sidecar "class" block): {"unit_norm",
    # "output_l1": Fraction or None, "output_signs": list or None}; None when they hold for every network.
    network_class: Optional[dict] = None
    provenance: dict = field(default_factory=dict)

    @property
    def samples(self) -> int:
        return int(self.y.shape[0])

    @property
    def dim(self) -> int:
        return int(self.X.shape[1])

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    def __repr__(self) -> str:
        def f(q):
            return "?" if q is None else f"{float(q):.6g}"
        return (f"Instance({self.name!r}, samples={self.samples}, dim={self.dim}, units={self.units}, "
                f"OPT in [{f(self.opt_lower)}, {f(self.opt_upper)}], answer={self.answer})")

    def predict(self, net: Network) -> np.ndarray:
        self._check(net)
        return net(self.X)

    def loss(self, net: Network) -> float:
        """Total weighted square loss Σ c_i (f(x_i) − y_i)² in float64."""
        r = self.predict(net) - self.y
        return float(np.dot(self.c, r * r))

    def mean_loss(self, net: Network) -> float:
        return self.loss(net) / float(self.total_weight)

    def in_class(self, net: Union[Network, str]) -> bool:
        """True when the network lies in the class over which the bounds hold
        (checked exactly on its float64 or file values); always True when the
        bounds hold for every network."""
        if self.network_class is None:
            return True
        if isinstance(net, str):
            net = read_network(net)
        rows, a = net.exact if net.exact is not None else (
            [[Fraction(float(v)) for v in row] for row in net.W], [Fraction(float(v)) for v in net.a])
        R = self.network_class.get("unit_norm")
        if R is not None and any(sum(v * v for v in row) > R * R for row in rows):
            return False
        B = self.network_class.get("output_l1")
        if B is not None and sum(abs(v) for v in a) > B:
            return False
        signs = self.network_class.get("output_signs")
        if signs is not None and any(v * sg < 0 for v, sg in zip(a, signs)):
            return False
        return True

    def score(self, net: Union[Network, str], exact: bool = False) -> Score:
        """Loss, excess over the certified upper bound in gap units and the
        verdict. ``exact=True`` computes the loss with ``relugap eval --exact``.
        A network outside the class of the bounds gets the verdict "outside class"."""
        obj = read_network(net) if isinstance(net, str) else net
        if exact:
            out = eval_exact(net, self.path)
            loss: Number = out["total_loss_exact"]
        else:
            loss = self.loss(obj)
        return self.score_loss(loss, exact, in_class=self.in_class(obj))

    def score_loss(self, loss: Number, exact: bool = False, in_class: bool = True) -> Score:
        """Scores a loss of a network known to be in the class (``in_class``)."""
        lq = loss if isinstance(loss, Fraction) else Fraction(float(loss))
        excess = None
        if self.opt_upper is not None and self.gap:
            excess = float((lq - self.opt_upper) / self.gap)
        if not in_class:
            verdict = "outside class"  # the bounds and thresholds do not speak about this network
        elif self.opt_lower is not None and lq < self.opt_lower:
            verdict = "invalid"
        elif self.no_threshold is not None:
            verdict = "yes" if lq < self.no_threshold else "inconclusive"
        else:
            verdict = "unknown"
        reaches = None if self.opt_upper is None else bool(in_class and lq <= self.opt_upper)
        mean = loss / self.total_weight if isinstance(loss, Fraction) else float(loss) / float(self.total_weight)
        return Score(loss, mean, exact, excess, verdict, reaches, self.opt_lower, self.opt_upper, self.gap)

    def target(self, t: float) -> Optional[float]:
        """The loss a run must reach for target t: opt_upper + t·gap (float)."""
        if self.opt_upper is None or not self.gap:
            return None
        return float(self.opt_upper + Fraction(t) * self.gap)

    def _check(self, net: Network) -> None:
        if net.dim != self.dim:
            raise ValueError(f"the network has dimension {net.dim} but {self.path} has dimension {self.dim}")


def _bounds_from_sidecar(inst: Instance, sc: dict) -> None:
    b = sc.get("bounds") or {}
    ex = b.get("exact") or {}
    inst.opt_lower = frac(ex.get("loss_lower", b.get("loss_lower")))
    inst.opt_upper = frac(ex.get("loss_upper", b.get("loss_upper")))
    dec = sc.get("decision")
    ub = sc.get("unit_ball")
    if isinstance(dec, dict):
        inst.yes_threshold = frac(dec.get("yes_threshold"))
        inst.no_threshold = frac(dec.get("no_threshold"))
        inst.gap = frac(dec.get("gap"))
        inst.epsilon = frac(dec.get("epsilon"))
        inst.answer = dec.get("answer")
    elif isinstance(ub, dict):  # Max-Cut / Max-2Lin(2) (docs/reductions/eps-efficient.md): mean loss, weights 1
        uex = ub.get("exact") or {}
        yes, no = frac(uex.get("yes_upper")), frac(uex.get("no_lower"))
        W = inst.total_weight
        inst.yes_threshold = yes * W if yes is not None else None
        inst.no_threshold = no * W if no is not None else None
        if yes is not None and no is not None:
            inst.epsilon = no - yes
            inst.gap = inst.epsilon * W
    if inst.gap is None and inst.opt_lower is not None and inst.opt_upper is not None and \
            inst.opt_upper > inst.opt_lower:
        inst.gap = inst.opt_upper - inst.opt_lower
    if inst.gap is not None and inst.gap <= 0:
        inst.gap = None


def load(path: str) -> Instance:
    """Reads a training set (.npy, .npz, .libsvm/.svm, .csv) and its sidecar PATH.json."""
    sc = read_sidecar(path)
    X, y, c, fmt = read_arrays(path, sc)
    inst = Instance(path=path, X=X, y=y, c=c, format=fmt, sidecar=sc)
    inst.total_weight = sum((Fraction(float(v)) for v in c), Fraction(0))
    if sc:
        shape = sc.get("shape") or {}
        if shape.get("samples") and shape["samples"] != inst.samples:
            raise ValueError(f"{path}.json: shape.samples is {shape['samples']} but {path} has {inst.samples}")
        if shape.get("dim") and shape["dim"] != inst.dim:
            raise ValueError(f"{path}.json: shape.dim is {shape['dim']} but {path} has dimension {inst.dim}")
        _bounds_from_sidecar(inst, sc)
        if sc.get("certificate") is not None:
            inst.certificate = network_from_json(sc["certificate"], path + ".json")
        suite = sc.get("suite") or {}
        red = sc.get("reduction") or {}
        params = red.get("params") or {}
        inst.units = int(suite.get("units") or params.get("units") or params.get("K") or
                         (inst.certificate.units if inst.certificate else 1))
        inst.constraints = {"units": inst.units}
        if isinstance(sc.get("unit_ball"), dict):
            # one unit ReLU(<w, x>), ||w||_2 <= 1, a = 1 (docs/reductions/eps-efficient.md)
            inst.units = 1
            inst.constraints = {"units": 1, "unit_norm": 1.0, "signs": [1]}
        cls = sc.get("class")
        if isinstance(cls, dict):  # the class the bounds hold over (relugap suite; maxcut)
            inst.network_class = {"unit_norm": frac(cls.get("unit_norm")), "output_l1": frac(cls.get("output_l1")),
                                  "output_signs": cls.get("output_signs")}
            inst.constraints = {"units": inst.units}
            if inst.network_class["unit_norm"] is not None:
                inst.constraints["unit_norm"] = float(inst.network_class["unit_norm"])
            if inst.network_class["output_l1"] is not None:
                inst.constraints["output_l1"] = float(inst.network_class["output_l1"])
            if cls.get("output_signs") is not None:
                inst.constraints["signs"] = list(cls["output_signs"])
        inst.provenance = {k: sc.get(k) for k in ("relugap_version", "generator", "source", "reduction", "suite")
                           if sc.get(k) is not None}
    return inst
