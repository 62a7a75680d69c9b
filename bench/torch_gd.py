#!/usr/bin/env python3
"""PyTorch CPU float64 reference for BM_GdEpoch / BM_GdEpochSparse in bench_train.cpp.

One "epoch" = forward + backward of the full-batch weighted square loss of
f(x) = sum_j a_j ReLU(<w_j, x>) on m samples, i.e. exactly what
train_detail::ReluObjective::value_grad computes. Usage (Debian's python3-torch):
  /usr/bin/python3 bench/torch_gd.py [--threads T]
Prints CPU microseconds per epoch for the same shapes as the C++ benchmark.
"""
import argparse
import time

import torch


def epoch_time(m, d, k, density, reps):
    g = torch.Generator().manual_seed(1)
    X = torch.randn(m, d, generator=g, dtype=torch.float64)
    if density < 1:
        mask = torch.rand(m, d, generator=g, dtype=torch.float64) < density
        X = (X * mask).to_sparse()
    y = torch.randn(m, generator=g, dtype=torch.float64)
    c = torch.ones(m, dtype=torch.float64)
    W = (torch.randn(k, d, generator=g, dtype=torch.float64) / d**0.5).requires_grad_()
    a = torch.ones(k, dtype=torch.float64, requires_grad=True)
    C = c.sum()

    def step():
        W.grad = None
        a.grad = None
        Z = torch.sparse.mm(X, W.t()) if X.is_sparse else X @ W.t()
        f = torch.relu(Z) @ a
        loss = (c * (f - y) ** 2).sum() / C
        loss.backward()
        return loss

    for _ in range(5):
        step()
    # CPU time of this process (the C++ benchmark's "CPU" column), robust to a loaded machine.
    t0 = time.process_time()
    for _ in range(reps):
        step()
    return (time.process_time() - t0) / reps * 1e6


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, float64")
    for m, d, k, dens in [(10000, 50, 1, 1.0), (10000, 50, 4, 1.0), (10000, 50, 8, 1.0),
                          (10000, 1000, 4, 0.01), (10000, 1000, 8, 0.01)]:
        us = epoch_time(m, d, k, dens, reps=200)
        name = "GdEpoch" if dens >= 1 else "GdEpochSparse"
        print(f"{name}/{m}/{d}/{k}: {us:.1f} us/epoch")


if __name__ == "__main__":
    main()
