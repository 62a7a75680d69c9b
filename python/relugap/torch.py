"""PyTorch bindings: a Dataset over an Instance and ``ReLUNet``, the module
f(x) = Σ_j a_j ReLU(<w_j, x>) that reads and writes relugap's network JSON.

    import relugap, relugap.torch as rt
    inst = relugap.load("suite/dks_n8_yes.npy")
    net = rt.ReLUNet(inst.dim, inst.units, dtype=torch.float64)
    X, y, c = rt.tensors(inst)
    loss = net.loss(X, y, c)          # total weighted loss, as inst.loss
    net.save("net.json")              # read back by `relugap eval --net net.json`
"""
from __future__ import annotations

from typing import Optional

import numpy as np
import torch
from torch import nn

from ._network import Network, read_network, write_network

__all__ = ["InstanceDataset", "ReLUNet", "tensors"]


def _dense(X) -> np.ndarray:
    return X.toarray() if hasattr(X, "toarray") else np.asarray(X)


def tensors(inst, dtype=torch.float64, sparse: Optional[bool] = None):
    """(X, y, c) as tensors. X is a sparse COO tensor when the instance is
    stored sparse (npz/libsvm) unless ``sparse=False``."""
    is_sp = hasattr(inst.X, "tocsr")
    if sparse is None:
        sparse = is_sp
    if sparse:
        import scipy.sparse as sp
        A = sp.coo_matrix(inst.X)
        idx = torch.from_numpy(np.vstack([A.row, A.col]).astype(np.int64))
        X = torch.sparse_coo_tensor(idx, torch.from_numpy(A.data).to(dtype), size=A.shape).coalesce()
    else:
        X = torch.from_numpy(np.ascontiguousarray(_dense(inst.X))).to(dtype)
    return X, torch.from_numpy(inst.y).to(dtype), torch.from_numpy(inst.c).to(dtype)


class InstanceDataset(torch.utils.data.Dataset):
    """Samples (x_i, y_i, c_i) of an Instance as dense tensors, one per index."""

    def __init__(self, inst, dtype=torch.float64):
        self.inst = inst
        self.X = torch.from_numpy(np.ascontiguousarray(_dense(inst.X))).to(dtype)
        self.y = torch.from_numpy(inst.y).to(dtype)
        self.c = torch.from_numpy(inst.c).to(dtype)

    def __len__(self) -> int:
        return int(self.y.shape[0])

    def __getitem__(self, i):
        return self.X[i], self.y[i], self.c[i]


class ReLUNet(nn.Module):
    """f(x) = Σ_j a_j ReLU(<w_j, x>), no bias (coordinate 0 is the anchor).
    ``W``: (units, dim); ``a``: (units,). ``train_a=False`` keeps ``a`` fixed."""

    def __init__(self, dim: int, units: int, dtype=torch.float64, train_a: bool = True,
                 generator: Optional[torch.Generator] = None):
        super().__init__()
        W = torch.randn(units, dim, dtype=dtype, generator=generator) / max(1.0, dim ** 0.5)
        self.W = nn.Parameter(W)
        a = torch.ones(units, dtype=dtype)
        self.a = nn.Parameter(a, requires_grad=train_a)

    @property
    def dim(self) -> int:
        return int(self.W.shape[1])

    @property
    def units(self) -> int:
        return int(self.W.shape[0])

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        Z = torch.sparse.mm(X, self.W.t()) if X.is_sparse else X @ self.W.t()
        return torch.relu(Z) @ self.a

    def loss(self, X: torch.Tensor, y: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """Total weighted square loss Σ c_i (f(x_i) − y_i)²."""
        r = self.forward(X) - y
        return (c * r * r).sum()

    @torch.no_grad()
    def project(self, constraints: dict) -> None:
        """Projects on a class: ``unit_norm`` R (‖w_j‖ ≤ R), ``signs`` (a_j = ±1 fixed)."""
        R = constraints.get("unit_norm")
        if R is not None:
            # Pulled in by a few ulps so that the rounded result is inside the ball exactly
            # (Instance.in_class checks it in rationals).
            R_in = R * (1 - 8 * torch.finfo(self.W.dtype).eps)
            n = self.W.norm(dim=1, keepdim=True).clamp_min(R_in)
            self.W.mul_(R_in / n)
        s = constraints.get("signs")
        if s is not None:
            self.a.copy_(torch.tensor(s, dtype=self.a.dtype))

    # ---- relugap's network JSON ----
    def to_network(self) -> Network:
        return Network(self.W.detach().cpu().double().numpy(), self.a.detach().cpu().double().numpy())

    @classmethod
    def from_network(cls, net: Network, dtype=torch.float64, train_a: bool = True) -> "ReLUNet":
        m = cls(net.dim, net.units, dtype=dtype, train_a=train_a)
        with torch.no_grad():
            m.W.copy_(torch.from_numpy(net.W))
            m.a.copy_(torch.from_numpy(net.a))
        return m

    @classmethod
    def load(cls, path: str, dtype=torch.float64, train_a: bool = True) -> "ReLUNet":
        """Reads a network JSON file (or a sidecar's certificate)."""
        return cls.from_network(read_network(path), dtype=dtype, train_a=train_a)

    def save(self, path: str, meta: Optional[dict] = None) -> None:
        """Writes relugap's network JSON (values as float64, shortest round trip)."""
        write_network(path, self.to_network(), meta=meta)
