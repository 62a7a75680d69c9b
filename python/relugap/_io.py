"""Training-set files as relugap writes them (instances/io/io.hpp):

- ``.npy``: one float64 C-order array of shape (m, d+2), columns X | y | c;
- ``.npz``: the same (m, d+2) matrix in CSR, as ``scipy.sparse.save_npz`` writes
  it (members format, shape, data, indices, indptr);
- ``.libsvm`` / ``.svm``: ``y i:v ...`` (1-based), weights in PATH.weights;
- ``.csv``: header ``x0,...,x{d-1},y,c``.

Each data file PATH may have a JSON sidecar PATH.json.
"""
from __future__ import annotations

import json
import os
import zipfile
from typing import Optional, Tuple

import numpy as np

try:  # optional
    import scipy.sparse as _sp
except ImportError:  # pragma: no cover - exercised only without scipy
    _sp = None

__all__ = ["read_arrays", "read_sidecar", "write_npz", "read_npz_arrays", "format_from_path"]


def format_from_path(path: str) -> Optional[str]:
    ext = os.path.splitext(path)[1].lower()
    return {".npy": "npy", ".npz": "npz", ".libsvm": "libsvm", ".svm": "libsvm", ".csv": "csv"}.get(ext)


def read_sidecar(path: str) -> Optional[dict]:
    """The sidecar PATH.json of data file PATH, or None when there is none."""
    sc = path + ".json"
    if not os.path.exists(sc):
        return None
    with open(sc, "r", encoding="utf-8") as f:
        try:
            return json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError(f"{sc}:{e.lineno}: invalid JSON at column {e.colno}: {e.msg}") from None


def read_npz_arrays(path: str):
    """(shape, data, indices, indptr) of a CSR ``.npz`` (no scipy needed)."""
    try:
        with np.load(path, allow_pickle=False) as z:
            for k in ("format", "shape", "data", "indices", "indptr"):
                if k not in z.files:
                    raise ValueError(f"{path}: npz member '{k}.npy' is missing")
            fmt = z["format"].item()
            fmt = fmt.decode("ascii") if isinstance(fmt, bytes) else str(fmt)
            if fmt != "csr":
                raise ValueError(f"{path}: sparse format '{fmt}' not supported (expected 'csr')")
            shape = tuple(int(v) for v in z["shape"])
            data = np.asarray(z["data"], dtype=np.float64)
            indices = np.asarray(z["indices"])
            indptr = np.asarray(z["indptr"])
    except zipfile.BadZipFile as e:
        raise ValueError(f"{path}: not a zip archive ({e})") from None
    if len(shape) != 2 or shape[1] < 3:
        raise ValueError(f"{path}: shape {shape}: expected (samples, dim + 2) with columns X | y | c")
    if indptr.shape != (shape[0] + 1,) or indptr[0] != 0 or indptr[-1] != data.shape[0] or \
            indices.shape != data.shape or np.any(np.diff(indptr) < 0):
        raise ValueError(f"{path}: inconsistent CSR arrays")
    return shape, data, indices, indptr


def _csr_to_xyc(shape, data, indices, indptr, path):
    m, cols = shape
    d = cols - 2
    rows = np.repeat(np.arange(m), np.diff(indptr))
    y = np.zeros(m)
    c = np.zeros(m)
    is_y = indices == d
    is_c = indices == d + 1
    y[rows[is_y]] = data[is_y]
    c[rows[is_c]] = data[is_c]
    keep = indices < d
    if _sp is not None:
        X = _sp.csr_matrix((data[keep], indices[keep], np.concatenate([[0], np.cumsum(np.bincount(rows[keep], minlength=m))])),
                           shape=(m, d))
    else:
        X = np.zeros((m, d))
        X[rows[keep], indices[keep]] = data[keep]
    return X, y, c


def _read_libsvm(path: str, dim: Optional[int]):
    ys, rows, cols, vals = [], [], [], []
    with open(path, "r", encoding="utf-8") as f:
        for line in f:
            t = line.split("#", 1)[0].split()
            if not t:
                continue
            ys.append(float(t[0]))
            for tok in t[1:]:
                i, v = tok.split(":", 1)
                rows.append(len(ys) - 1)
                cols.append(int(i) - 1)
                vals.append(float(v))
    m = len(ys)
    d = dim if dim else (max(cols) + 1 if cols else 1)
    c = np.ones(m)
    wp = path + ".weights"
    if os.path.exists(wp):
        with open(wp, "r", encoding="utf-8") as f:
            w = [float(s) for s in f.read().split()]
        if len(w) != m:
            raise ValueError(f"{wp}: {len(w)} weights for {m} samples")
        c = np.array(w)
    if _sp is not None:
        X = _sp.csr_matrix((vals, (rows, cols)), shape=(m, d))
    else:
        X = np.zeros((m, d))
        X[rows, cols] = vals
    return X, np.array(ys), c


def read_arrays(path: str, sidecar: Optional[dict] = None) -> Tuple[object, np.ndarray, np.ndarray, str]:
    """(X, y, c, format). X is a dense ndarray for npy/csv and a
    scipy.sparse.csr_matrix for npz/libsvm (dense when scipy is absent)."""
    fmt = format_from_path(path)
    if fmt is None:
        with open(path, "rb") as f:
            head = f.read(8)
        fmt = "npy" if head.startswith(b"\x93NUMPY") else "npz" if head.startswith(b"PK") else "libsvm"
    if fmt == "npy":
        A = np.load(path, allow_pickle=False)
        if A.ndim != 2 or A.shape[1] < 3 or A.dtype != np.float64:
            raise ValueError(f"{path}: expected a float64 array of shape (samples, dim + 2), got {A.dtype} {A.shape}")
        return A[:, :-2], A[:, -2].copy(), A[:, -1].copy(), fmt
    if fmt == "npz":
        X, y, c = _csr_to_xyc(*read_npz_arrays(path), path)
        return X, y, c, fmt
    if fmt == "csv":
        A = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2, dtype=np.float64)
        return A[:, :-2], A[:, -2].copy(), A[:, -1].copy(), fmt
    dim = None
    if sidecar and isinstance(sidecar.get("shape"), dict):
        dim = sidecar["shape"].get("dim") or None
    X, y, c = _read_libsvm(path, dim)
    return X, y, c, fmt


def write_npz(path: str, X, y, c, compressed: bool = True) -> None:
    """Writes (X | y | c) as a CSR ``.npz`` that relugap and
    ``scipy.sparse.load_npz`` read (no sidecar)."""
    m = len(y)
    if _sp is not None and _sp.issparse(X):
        Xc = _sp.csr_matrix(X)
    else:
        if _sp is None:
            raise ImportError("write_npz needs scipy")
        Xc = _sp.csr_matrix(np.asarray(X, dtype=np.float64))
    A = _sp.hstack([Xc, _sp.csr_matrix(np.asarray(y, dtype=np.float64).reshape(m, 1)),
                    _sp.csr_matrix(np.asarray(c, dtype=np.float64).reshape(m, 1))], format="csr")
    A.sort_indices()
    A.eliminate_zeros()
    _sp.save_npz(path, A, compressed=compressed)
