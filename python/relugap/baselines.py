"""Baselines on a relugap suite, COCO style.

    /usr/bin/python3 -m relugap.baselines SUITE_DIR --budget S [-o RESULTS] [--solvers ...]
    /usr/bin/python3 -m relugap.baselines SUITE_DIR --plot-only -o RESULTS [--with OTHER_RESULTS ...]

Runs every solver on every suite item for at most S seconds (wall clock) each:
PyTorch Adam, SGD with momentum and L-BFGS, in float32 and float64, with
restarts until the budget is spent, and relugap's own trainers gd, exact and
net through the CLI. Networks have the item's number of units K and, for
families whose bounds hold over a class (a ``class`` block in the sidecar, or
a ``unit_ball`` block), are projected on it (‖w‖ ≤ 1, a = 1) after every step.
A network outside the class reaches no target (``in_class`` in its record);
``exact``, which takes no norm constraint, is refused on such items.

The results folder (the submission format, docs/manual/python.md):

  RESULTS/info.json          who ran what: {"name", "command", "budget", "machine", ...}
  RESULTS/results.jsonl      one JSON object per (item, solver) run; a rerun skips
                             the pairs already there (resumable)
  RESULTS/logs/ITEM__SOLVER.tdat   anytime log (below)
  RESULTS/nets/ITEM__SOLVER.json   the best network, relugap's network JSON
  RESULTS/ecdf.png, RESULTS/leaderboard.md   written at the end

Anytime log format (text, one line per improvement of the best loss):

  % relugap anytime log 1
  % item ITEM solver SOLVER budget SECONDS seed SEED
  % columns: seconds evaluations best_total_loss
  0.0123 1 1234.5
  ...

``seconds`` is wall-clock time since the run started, ``evaluations`` the
number of full-batch loss evaluations so far (for CLI trainers: the trainer's
iteration count, or 1), ``best_total_loss`` the best total weighted loss
Σ c_i (f(x_i) − y_i)² so far, in float64. Targets (COCO's ladder) are
opt_upper + t·gap for t = 1, 0.1, 0.01, where opt_upper is the certified
upper bound on OPT and gap the item's YES/NO gap (no_threshold − yes_threshold);
items without both are left out of the plots.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional

import numpy as np

from . import Instance, Network, load, relugap_binary, write_network
from ._network import _write_atomic

TORCH_SOLVERS = ["adam32", "adam64", "sgd32", "sgd64", "lbfgs32", "lbfgs64"]
CLI_SOLVERS = ["gd", "exact", "net"]
ALL_SOLVERS = TORCH_SOLVERS + CLI_SOLVERS
TARGETS = (1.0, 0.1, 0.01)


# ---------------------------------------------------------------- suite items
def suite_items(suite_dir: str) -> List[dict]:
    with open(os.path.join(suite_dir, "manifest.json"), encoding="utf-8") as f:
        return json.load(f)["instances"]


class AnytimeLog:
    """Records (seconds, evaluations, best loss) at each improvement."""

    def __init__(self):
        self.t0 = time.perf_counter()
        self.evals = 0
        self.best = math.inf
        self.best_net: Optional[Network] = None
        self.rows: List[tuple] = []

    def elapsed(self) -> float:
        return time.perf_counter() - self.t0

    def offer(self, loss: float, net_fn, evals: Optional[int] = None, at: Optional[float] = None) -> None:
        if evals is not None:
            self.evals = evals
        if math.isfinite(loss) and loss < self.best:
            self.best = loss
            self.best_net = net_fn()
            self.rows.append((self.elapsed() if at is None else at, self.evals, loss))

    def write(self, path: str, header: str) -> None:
        lines = ["% relugap anytime log 1", "% " + header, "% columns: seconds evaluations best_total_loss"]
        lines += [f"{t:.6f} {e} {repr(float(v))}" for t, e, v in self.rows]
        _write_atomic(path, ("\n".join(lines) + "\n").encode())


def read_anytime_log(path: str) -> List[tuple]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("%") or not line.strip():
                continue
            t, e, v = line.split()
            rows.append((float(t), int(e), float(v)))
    return rows


# ---------------------------------------------------------------- torch solvers
def run_torch(inst: Instance, solver: str, budget: float, seed: int, log: AnytimeLog) -> dict:
    import torch

    from .torch import tensors

    method, bits = solver[:-2], solver[-2:]
    dtype = torch.float32 if bits == "32" else torch.float64
    torch.set_num_threads(1)
    X, y, c = tensors(inst, dtype=dtype)  # sparse (COO) when the file is .npz / .libsvm
    X64, y64, c64 = tensors(inst, dtype=torch.float64)

    def mm(A, B):
        return torch.sparse.mm(A, B) if A.is_sparse else A @ B
    K, d = inst.units, inst.dim
    cons = inst.constraints or {}
    unit_norm = cons.get("unit_norm")
    fixed_a = cons.get("signs")
    # Scale: a unit with ||w|| ~ s gives outputs of the size of y. We train V with W = s·V and the
    # loss divided by Σ c y², which makes the learning rates below scale free.
    row_norm = float(np.sqrt(np.mean(np.asarray((inst.X.multiply(inst.X)).sum(axis=1)) if hasattr(inst.X, "multiply")
                                     else np.sum(inst.X * inst.X, axis=1)))) or 1.0
    y_rms = float(np.sqrt(np.mean(inst.y ** 2))) or 1.0
    s = y_rms / row_norm if unit_norm is None else 1.0
    norm = float(np.dot(inst.c, inst.y ** 2)) or 1.0
    g = torch.Generator().manual_seed(seed)
    restarts = 0
    status = "budget"

    def net_of(V, a):
        return Network((V.detach().to(torch.float64) * s).numpy().copy(), a.detach().to(torch.float64).numpy().copy())

    def loss64(V, a) -> float:
        with torch.no_grad():
            f = torch.relu(mm(X64, (V.detach().to(torch.float64) * s).t())) @ a.detach().to(torch.float64)
            return float((c64 * (f - y64) ** 2).sum())

    while log.elapsed() < budget:
        restarts += 1
        V = (torch.randn(K, d, generator=g, dtype=torch.float64) / math.sqrt(d)).to(dtype).requires_grad_()
        if fixed_a is not None:
            a = torch.tensor(fixed_a, dtype=dtype)
        else:
            a = torch.where(torch.rand(K, generator=g) < 0.5, -1.0, 1.0).to(dtype) if K > 1 else torch.ones(1, dtype=dtype)
            a.requires_grad_()
        params = [V] + ([a] if a.requires_grad else [])

        def project():
            if unit_norm is not None:
                with torch.no_grad():  # a few ulps inside, so the rounded W is in the class exactly
                    r_in = unit_norm * (1 - 8 * torch.finfo(V.dtype).eps)
                    V.mul_(r_in / V.norm(dim=1, keepdim=True).clamp_min(r_in))

        def objective():
            f = torch.relu(mm(X, (V * s).t())) @ a
            return (c * (f - y) ** 2).sum() / norm

        if method == "lbfgs":
            opt = torch.optim.LBFGS(params, lr=1, max_iter=20, history_size=10, line_search_fn="strong_wolfe")
        elif method == "adam":
            opt = torch.optim.Adam(params, lr=1e-2)
        else:
            opt = torch.optim.SGD(params, lr=1e-2, momentum=0.9)
        best_here, stall = math.inf, 0
        for _ in range(5000):
            if log.elapsed() >= budget:
                break

            def closure():
                opt.zero_grad()
                L = objective()
                L.backward()
                log.evals += 1
                return L

            L = opt.step(closure)
            project()
            val = float(L.detach()) * norm if L is not None else math.inf
            if not math.isfinite(val):
                break  # diverged: restart
            if val < log.best:
                log.offer(loss64(V, a), lambda: net_of(V, a))
            if val < best_here * (1 - 1e-7):
                best_here, stall = val, 0
            else:
                stall += 1
                if stall >= (5 if method == "lbfgs" else 200):
                    break
    return {"restarts": restarts, "status": status, "dtype": str(dtype).replace("torch.", "")}


# ---------------------------------------------------------------- CLI solvers
def run_cli(inst: Instance, solver: str, budget: float, seed: int, log: AnytimeLog, binary: str) -> dict:
    fd, out = tempfile.mkstemp(suffix=".json", prefix="relugap-baseline-")
    os.close(fd)
    if solver == "exact" and inst.network_class is not None:
        # Its branch and bound has no norm constraint: its optimum would be over all networks.
        return {"status": "refused", "message": "the exact trainer takes no class constraint, and this item's "
                                                "bounds hold only over its class (sidecar 'class')"}
    cmd = [binary, "train", inst.path, "--units", str(inst.units), "--algo", solver, "--seed", str(seed),
           "-o", out, "--time-limit", repr(float(budget)), "--json", "--threads", "1"]
    cons = inst.constraints or {}
    if cons.get("unit_norm") is not None:
        cmd += ["--unit-norm", repr(float(cons["unit_norm"]))]
    if cons.get("output_l1") is not None:
        cmd += ["--B", repr(float(cons["output_l1"]))]
    if cons.get("signs") is not None:
        cmd += ["--signs", ",".join("+" if v > 0 else "-" for v in cons["signs"])]
    if solver == "net":
        cmd += ["--budget", "2,0.5"]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=budget * 4 + 30)
    except subprocess.TimeoutExpired:
        os.unlink(out)
        return {"status": "timeout", "message": f"no answer within {budget * 4 + 30:.0f} s"}
    try:
        if p.returncode not in (0, 130) or not p.stdout.strip():
            return {"status": "refused", "message": (p.stderr.strip().splitlines() or [""])[-1][:300]}
        meta = json.loads(p.stdout)
        from . import read_network
        net = read_network(out)
        secs = float(meta.get("seconds") or log.elapsed())
        it = (meta.get("stats") or {}).get("iterations") or (meta.get("stats") or {}).get("nodes") or 1
        log.evals = int(it)
        log.offer(inst.loss(net), lambda: net, at=secs)
        r = {"status": meta.get("status"), "message": meta.get("message")}
        if meta.get("lower_bound") is not None:
            r["lower_bound"] = meta["lower_bound"]
        return r
    finally:
        if os.path.exists(out):
            os.unlink(out)


# ---------------------------------------------------------------- driver
def safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.=-]", "_", name)


def load_results(results_dir: str) -> List[dict]:
    p = os.path.join(results_dir, "results.jsonl")
    out = []
    if os.path.exists(p):
        with open(p, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line:
                    try:
                        out.append(json.loads(line))
                    except json.JSONDecodeError:
                        pass  # a line cut short by an interrupted run: that pair is rerun
    return out


def run_all(args) -> None:
    os.makedirs(os.path.join(args.output, "logs"), exist_ok=True)
    os.makedirs(os.path.join(args.output, "nets"), exist_ok=True)
    info_path = os.path.join(args.output, "info.json")
    if not os.path.exists(info_path):
        info = {"name": args.name, "command": " ".join(["python3 -m relugap.baselines"] + sys.argv[1:]),
                "budget": args.budget, "seed": args.seed, "solvers": args.solvers,
                "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cpus",
                "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        _write_atomic(info_path, (json.dumps(info, indent=1) + "\n").encode())
    done = {(r["item"], r["solver"]) for r in load_results(args.output)}
    binary = relugap_binary() if any(s in CLI_SOLVERS for s in args.solvers) else None
    items = suite_items(args.suite)
    if args.items:
        items = [it for it in items if re.search(args.items, it["name"])]
    with open(os.path.join(args.output, "results.jsonl"), "a", encoding="utf-8") as res:
        for it in items:
            inst = load(os.path.join(args.suite, it["data"]))
            for solver in args.solvers:
                if (it["name"], solver) in done:
                    continue
                log = AnytimeLog()
                if solver in TORCH_SOLVERS:
                    extra = run_torch(inst, solver, args.budget, args.seed, log)
                else:
                    extra = run_cli(inst, solver, args.budget, args.seed, log, binary)
                seconds = log.elapsed()
                base = f"{safe(it['name'])}__{safe(solver)}"
                log.write(os.path.join(args.output, "logs", base + ".tdat"),
                          f"item {it['name']} solver {solver} budget {args.budget} seed {args.seed}")
                rec = {"item": it["name"], "solver": solver, "budget": args.budget, "seed": args.seed,
                       "seconds": round(seconds, 6), "evaluations": log.evals,
                       "best_loss": log.best if math.isfinite(log.best) else None,
                       "log": f"logs/{base}.tdat", "network": None}
                if log.best_net is not None:
                    write_network(os.path.join(args.output, "nets", base + ".json"), log.best_net,
                                  meta={"solver": solver, "item": it["name"], "loss": log.best})
                    rec["network"] = f"nets/{base}.json"
                    inside = inst.in_class(log.best_net)
                    sc = inst.score_loss(log.best, in_class=inside)
                    rec.update({"excess": sc.excess, "verdict": sc.verdict, "in_class": inside})
                rec.update(extra)
                res.write(json.dumps(rec) + "\n")
                res.flush()
                os.fsync(res.fileno())
                if not args.quiet:
                    ex = rec.get("excess")
                    print(f"{it['name']:<20} {solver:<8} loss {rec['best_loss']!s:<24} excess/gap "
                          f"{'-' if ex is None else f'{ex:.4g}':<10} {rec.get('status')}", flush=True)


# ---------------------------------------------------------------- ECDF and leaderboard
def hitting_times(results_dir: str, suite_dir: str, t: float, cutoff: Optional[float]) -> Dict[str, list]:
    """solver -> list over items with a target of the first time the target is reached (inf if never)."""
    items = {it["name"]: it for it in suite_items(suite_dir)}
    targets = {}
    for name, it in items.items():
        inst_targets = _targets(suite_dir, it)
        if inst_targets is not None:
            targets[name] = inst_targets[0] + t * inst_targets[1]
    out: Dict[str, list] = {}
    for r in load_results(results_dir):
        if r["item"] not in targets:
            continue
        # A network outside the item's class reaches nothing: its bounds do not speak about it.
        rows = read_anytime_log(os.path.join(results_dir, r["log"])) if r.get("log") and \
            r.get("in_class", True) else []
        hit = math.inf
        for sec, _, v in rows:
            if v <= targets[r["item"]] and (cutoff is None or sec <= cutoff):
                hit = sec
                break
        out.setdefault(r["solver"], []).append(hit)
    return out


_target_cache: Dict[str, Optional[tuple]] = {}


def _targets(suite_dir: str, it: dict) -> Optional[tuple]:
    key = os.path.join(suite_dir, it["data"])
    if key not in _target_cache:
        sc_path = key + ".json"
        with open(sc_path, encoding="utf-8") as f:
            sc = json.load(f)
        from fractions import Fraction
        ub = ((sc.get("bounds") or {}).get("exact") or {}).get("loss_upper")
        dec = sc.get("decision") or {}
        gap = (dec.get("gap") or {}).get("exact") if isinstance(dec.get("gap"), dict) else None
        if ub is None or gap is None or Fraction(gap) <= 0:
            _target_cache[key] = None
        else:
            _target_cache[key] = (float(Fraction(ub)), float(Fraction(gap)))
    return _target_cache[key]


def plot_ecdf(runs: List[tuple], suite_dir: str, out_png: str, cutoff: Optional[float]) -> None:
    """runs: (label, results_dir). One panel per target t."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    budgets = [float(r.get("budget") or 0) for _, rdir in runs for r in load_results(rdir)]
    x_end = max(budgets + [1e-3]) * 1.5
    fig, axes = plt.subplots(1, len(TARGETS), figsize=(5 * len(TARGETS), 4), sharey=True)
    for ax, t in zip(axes, TARGETS):
        for label, rdir in runs:
            for solver, hits in sorted(hitting_times(rdir, suite_dir, t, cutoff).items()):
                n = len(hits)
                finite = sorted(h for h in hits if math.isfinite(h))
                xs = [max(h, 1e-4) for h in finite]
                ys = [(i + 1) / n for i in range(len(finite))]
                name = solver if label == "" else f"{label}:{solver}"
                ax.step([1e-4] + xs + [max(xs + [x_end])], [0] + ys + [ys[-1] if ys else 0], where="post",
                        label=name, linestyle="--" if solver.endswith("32") else "-")
        ax.set_xscale("log")
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("seconds")
        ax.set_title(f"best loss ≤ OPT upper bound + {t:g}·gap ({len(next(iter(hitting_times(runs[0][1], suite_dir, t, cutoff).values()), []))} items)")
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel("fraction of instances")
    axes[-1].legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(out_png, dpi=110)
    plt.close(fig)


def leaderboard(runs: List[tuple], suite_dir: str, cutoff: Optional[float]) -> str:
    lines = ["| solver | instances | reached t=1 | t=0.1 | t=0.01 | loss < NO threshold | median excess/gap |",
             "|---|---|---|---|---|---|---|"]
    rows = []
    for label, rdir in runs:
        res = load_results(rdir)
        per = {}
        for r in res:
            per.setdefault(r["solver"], []).append(r)
        hits = {t: hitting_times(rdir, suite_dir, t, cutoff) for t in TARGETS}
        for solver, rs in per.items():
            ex = [r["excess"] for r in rs if r.get("excess") is not None]
            yes = sum(1 for r in rs if r.get("verdict") == "yes")
            reach = [sum(1 for h in hits[t].get(solver, []) if math.isfinite(h)) for t in TARGETS]
            n_t = len(hits[1.0].get(solver, []))
            name = solver if label == "" else f"{label}:{solver}"
            rows.append((-reach[2], -reach[1], -reach[0], name,
                         f"| {name} | {len(rs)} | {reach[0]}/{n_t} | {reach[1]}/{n_t} | {reach[2]}/{n_t} | {yes} | "
                         f"{'-' if not ex else f'{float(np.median(ex)):.3g}'} |"))
    lines += [r[-1] for r in sorted(rows)]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m relugap.baselines", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("suite", help="suite folder (relugap suite -o DIR)")
    p.add_argument("--budget", type=float, default=1.0, help="seconds per (item, solver) run")
    p.add_argument("-o", "--output", default=None, help="results folder (default SUITE/../baselines)")
    p.add_argument("--solvers", default=",".join(ALL_SOLVERS), help="comma list of " + ",".join(ALL_SOLVERS))
    p.add_argument("--items", default=None, help="regular expression on item names")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--name", default="relugap-baselines", help="name recorded in info.json")
    p.add_argument("--cutoff", type=float, default=None, help="plots and table: ignore log lines after S seconds")
    p.add_argument("--with", dest="others", action="append", default=[],
                   help="another results folder (a submission) to plot alongside; repeatable")
    p.add_argument("--plot-only", action="store_true", help="only draw ecdf.png and leaderboard.md")
    p.add_argument("--quiet", action="store_true")
    args = p.parse_args(argv)
    args.solvers = [s for s in args.solvers.split(",") if s]
    bad = [s for s in args.solvers if s not in ALL_SOLVERS]
    if bad:
        p.error(f"unknown solver(s) {','.join(bad)}; choose from {','.join(ALL_SOLVERS)}")
    if args.output is None:
        args.output = os.path.join(os.path.dirname(os.path.abspath(args.suite)), "baselines")
    if not args.plot_only:
        try:
            run_all(args)
        except KeyboardInterrupt:
            print("interrupted; rerun the same command to resume", file=sys.stderr)
            return 130
    runs = [("", args.output)] + [(os.path.basename(os.path.normpath(o)), o) for o in args.others]
    table = leaderboard(runs, args.suite, args.cutoff)
    _write_atomic(os.path.join(args.output, "leaderboard.md"), table.encode())
    plot_ecdf(runs, args.suite, os.path.join(args.output, "ecdf.png"), args.cutoff)
    print(table, end="")
    print(f"wrote {os.path.join(args.output, 'ecdf.png')} and leaderboard.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
