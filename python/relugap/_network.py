"""Depth-2 ReLU networks f(x) = sum_j a_j ReLU(<w_j, x>) and relugap's network JSON.

The JSON (instances/io/io_network.cpp, instances/io/sidecar.cpp network_to_json) is
``{"kind": "network", "dim": d, "units": [{"a": a_j, "w": [w_j1, ...]}, ...]}``
with optional ``"relugap_version"`` and ``"meta"``. Every entry is a JSON
number or a ``"p/q"`` string (an exact rational). A training-set sidecar is
also accepted: its ``"certificate"`` is the network.
"""
from __future__ import annotations

import json
import os
import tempfile
from fractions import Fraction
from typing import Any, Optional, Sequence

import numpy as np

__all__ = ["Network", "read_network", "write_network", "network_from_json", "network_to_json"]


def _exact(v: Any, where: str) -> Fraction:
    if isinstance(v, bool):
        raise ValueError(f"{where}: expected a number or a \"p/q\" string, got {v!r}")
    if isinstance(v, int):
        return Fraction(v)
    if isinstance(v, float):
        if not np.isfinite(v):
            raise ValueError(f"{where}: value is not finite")
        return Fraction(v)
    if isinstance(v, str):
        try:
            return Fraction(v.strip())
        except (ValueError, ZeroDivisionError) as e:
            raise ValueError(f"{where}: not a rational number: {v!r}") from e
    raise ValueError(f"{where}: expected a number or a \"p/q\" string, got {v!r}")


class Network:
    """k units over dimension d: ``W`` (k x d) and ``a`` (k,), float64.

    ``exact`` keeps the file's values as Fractions (``(W_rows, a)``) when the
    network was read from JSON, so that writing it back is lossless.
    """

    def __init__(self, W, a, exact: Optional[tuple] = None, meta: Optional[dict] = None):
        self.W = np.array(W, dtype=np.float64, ndmin=2)
        self.a = np.array(a, dtype=np.float64).reshape(-1)
        if self.W.shape[0] != self.a.shape[0]:
            raise ValueError(f"W has {self.W.shape[0]} rows but a has {self.a.shape[0]} entries")
        if self.W.shape[0] == 0 or self.W.shape[1] == 0:
            raise ValueError("a network needs at least one unit and dimension >= 1")
        self.exact = exact
        self.meta = meta or {}

    @property
    def units(self) -> int:
        return int(self.a.shape[0])

    @property
    def dim(self) -> int:
        return int(self.W.shape[1])

    def __call__(self, X):
        """f(x_i) for every row of X (numpy array or scipy.sparse matrix)."""
        Z = X @ self.W.T
        Z = np.asarray(Z)
        return np.maximum(Z, 0.0) @ self.a

    def __repr__(self) -> str:
        return f"Network(units={self.units}, dim={self.dim})"


def network_from_json(j: dict, name: str = "<json>") -> Network:
    if not isinstance(j, dict):
        raise ValueError(f"{name}: a network must be a JSON object")
    kind = j.get("kind")
    if kind == "training_set":
        if j.get("certificate") is None:
            raise ValueError(f"{name}: this training-set sidecar has no certificate network")
        return network_from_json(j["certificate"], name)
    if kind is not None and kind != "network":
        raise ValueError(f"{name}: kind is {kind!r}, expected 'network'")
    dim = j.get("dim")
    units = j.get("units")
    if not isinstance(dim, int) or isinstance(dim, bool) or dim <= 0:
        raise ValueError(f"{name}: network: 'dim' must be a positive integer")
    if not isinstance(units, list) or not units:
        raise ValueError(f"{name}: network: 'units' must be a non-empty array")
    W_ex, a_ex = [], []
    for u, unit in enumerate(units, 1):
        ctx = f"{name}: network: unit {u}"
        if not isinstance(unit, dict) or "a" not in unit or "w" not in unit:
            raise ValueError(f"{ctx}: needs keys 'a' and 'w'")
        w = unit["w"]
        if not isinstance(w, list) or len(w) != dim:
            raise ValueError(f"{ctx}: 'w' must be an array of {dim} numbers")
        a_ex.append(_exact(unit["a"], ctx + " 'a'"))
        W_ex.append([_exact(v, f"{ctx} w[{t}]") for t, v in enumerate(w)])
    W = np.array([[float(v) for v in row] for row in W_ex], dtype=np.float64)
    a = np.array([float(v) for v in a_ex], dtype=np.float64)
    return Network(W, a, exact=(W_ex, a_ex), meta=j.get("meta") or {})


def _cell(v) -> Any:
    if isinstance(v, Fraction):
        return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"
    f = float(v)
    if not np.isfinite(f):
        raise ValueError("network entries must be finite")
    return f


def network_to_json(net: Network, meta: Optional[dict] = None, exact: bool = False) -> dict:
    """The JSON object of relugap's network format. With ``exact=True`` and a
    network read from a file, the file's exact values are written back."""
    if exact and net.exact is not None:
        W_rows, a_vals = net.exact
    else:
        W_rows, a_vals = net.W.tolist(), net.a.tolist()
    units = [{"a": _cell(a_vals[j]), "w": [_cell(v) for v in W_rows[j]]} for j in range(net.units)]
    j = {"kind": "network", "dim": net.dim, "units": units, "relugap_version": "python"}
    m = net.meta if meta is None else meta
    if m:
        j["meta"] = m
    return j


def read_network(path: str) -> Network:
    """Reads a network file, or the certificate of a training-set sidecar."""
    with open(path, "r", encoding="utf-8") as f:
        try:
            j = json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}:{e.lineno}: invalid JSON at column {e.colno}: {e.msg}") from None
    return network_from_json(j, path)


def write_network(path: str, net: Network, meta: Optional[dict] = None, exact: bool = False) -> None:
    """Writes ``net`` atomically (temporary file + rename). Floats are written in
    their shortest round-trip form, so relugap reads the same doubles back."""
    text = json.dumps(network_to_json(net, meta, exact), indent=1) + "\n"
    _write_atomic(path, text.encode("utf-8"))


def _write_atomic(path: str, data: bytes) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path) + ".tmp.", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
