#!/usr/bin/python3
"""Time for the net learner to decide maxcut unit-ball instances, against 1/eps^2.

For each n: a planted Max-2Lin(2) instance (D = 4 regular, c = 1), reduced to the unit-ball
set (`reduce maxcut --solve --c 1 --s 0.8`); its certified gap eps_gap (mean loss, the
sidecar's unit_ball.epsilon). net decides the promise problem once its agnostic budget
eps_budget < eps_gap.
  - measured: net runs with --epsilon eps (agnostic, class |w| <= 1, a in [0, 1]) for
    eps = eps_0 * 0.8^j down to the first run that takes more than --max-seconds;
  - decide: the budget at eps_budget = 0.99 eps_gap (`train --plan`: its candidate count),
    its time = its work / the rate (work per second) measured on the largest run of that n
    (runs stop before one predicted over 3 x --max-seconds at >= 1e8 work/s; plus one fixed
    calibration budget r = 4, eta = 0.08 per n),
    work = candidates x (samples x max(r, 1) + 8)
    (predicted, unless it was itself run).
Writes DIR/net_tradeoff.csv, DIR/net_tradeoff.json and DIR/net_tradeoff.png (log-scale time
against 1/eps^2, a fit log2(t) = a + b/eps^2 on the decide points, and the 2^{c/eps^2} shape).

  /usr/bin/python3 bench/net_tradeoff.py --relugap build/relugap --sizes 8,12,16,24,32,48,64 -o OUT
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("failed: " + " ".join(cmd) + "\n" + r.stderr)
    return r.stdout


def work(plan):
    """The learner's work for a one-unit plan: points x (samples x max(r, 1) + 8) (train_net.cpp plan_work)."""
    return plan["candidates"] * (plan["samples"] * max(plan["r"], 1) + 8)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--relugap", default="build/relugap")
    ap.add_argument("--sizes", default="8,12,16,24,32,48,64")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-seconds", type=float, default=4.0, help="stop measuring an n after a run this long")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("-o", "--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rg = a.relugap
    net = ["--units", "1", "--algo", "net", "--seed", "1", "--agnostic", "--unit-norm", "1", "--B", "1",
           "--signs", "+", "--threads", str(a.threads)]
    rows, measured = [], []
    for n in [int(x) for x in a.sizes.split(",")]:
        stem = os.path.join(a.out, f"maxcut_n{n}")
        run([rg, "gen", "maxcut", "--vertices", str(n), "--degree", "4", "--planted", "--c", "1", "--seed",
             str(a.seed), "-o", stem + ".lin2"])
        run([rg, "reduce", "maxcut", stem + ".lin2", "-o", stem + ".npy", "--solve", "--c", "1", "--s", "0.8"])
        side = json.load(open(stem + ".npy.json"))
        gap = float(side["unit_ball"]["epsilon"])
        # Measured runs, coarse to fine.
        trivial = json.loads(run([rg, "train", stem + ".npy", "-o", stem + ".net.json", "--budget", "0,1",
                                  "--plan"] + net))
        eps = trivial["epsilon_agnostic"]
        rate, last, biggest = None, None, None
        for _ in range(80):
            plan = json.loads(run([rg, "train", stem + ".npy", "-o", stem + ".net.json", "--epsilon", repr(eps),
                                   "--plan"] + net))
            if last is None or plan["points"] != last["points"] or plan["r"] != last["r"]:
                # Guard with a rate of at least 1e8 work/s: small runs are dominated by start-up.
                if rate is not None and work(plan) / max(rate, 1e8) > 3 * a.max_seconds:
                    break  # the next budget would take too long: the decide time is predicted from `rate`
                t0 = time.perf_counter()
                out = json.loads(run([rg, "train", stem + ".npy", "-o", stem + ".net.json", "--epsilon", repr(eps),
                                      "--json"] + net))
                wall = time.perf_counter() - t0
                secs = out.get("seconds", wall)  # the learner's own time (no process start-up)
                cand = plan["candidates"]
                measured.append({"n": n, "eps": plan["epsilon_agnostic"], "r": plan["r"], "eta": plan["eta"],
                                 "candidates": cand, "seconds": secs, "wall_seconds": wall})
                if biggest is None or work(plan) >= biggest:  # the rate of the largest run: least overhead
                    biggest = work(plan)
                    rate = work(plan) / max(secs, 1e-9)  # work units per second
                last = plan
                if wall > a.max_seconds or plan["epsilon_agnostic"] < gap:
                    break
            eps *= 0.8
        # Calibration: a fixed budget (r = 4, eta = 0.08; about 1.6e5 points) measures the rate
        # at every n, including those whose eps-derived budgets jump from tiny to huge.
        cplan = json.loads(run([rg, "train", stem + ".npy", "-o", stem + ".net.json", "--budget", "4,0.08",
                                "--plan"] + net))
        t0 = time.perf_counter()
        out = json.loads(run([rg, "train", stem + ".npy", "-o", stem + ".net.json", "--budget", "4,0.08",
                              "--json"] + net))
        wall = time.perf_counter() - t0
        secs = out.get("seconds", wall)
        measured.append({"n": n, "eps": cplan["epsilon_agnostic"], "r": cplan["r"], "eta": cplan["eta"],
                         "candidates": cplan["candidates"], "seconds": secs, "wall_seconds": wall,
                         "calibration": True})
        if biggest is None or work(cplan) >= biggest:
            biggest = work(cplan)
            rate = work(cplan) / max(secs, 1e-9)
        budget = 0.99 * gap
        dplan = json.loads(run([rg, "train", stem + ".npy", "-o", stem + ".net.json", "--epsilon", repr(budget),
                                "--plan"] + net))
        ran = last is not None and dplan["points"] == last["points"] and dplan["r"] == last["r"]
        t = measured[-1]["seconds"] if ran else work(dplan) / rate
        rows.append({"n": n, "samples": dplan["samples"], "dim": dplan["dim"], "gap": gap, "eps_budget": budget,
                     "inv_eps2": 1 / budget ** 2, "r": dplan["r"], "eta": dplan["eta"],
                     "candidates": dplan["candidates"], "rate": rate, "work": work(dplan), "seconds": t,
                     "kind": "measured" if ran else "predicted"})
        print(f"n={n}: gap {gap:.4g}, budget r={dplan['r']} eta={dplan['eta']:.3g}, "
              f"{dplan['candidates']:.3g} candidates, rate {rate:.3g} work/s -> {t:.3g} s ({rows[-1]['kind']})",
              flush=True)
    with open(os.path.join(a.out, "net_tradeoff.json"), "w") as f:
        json.dump({"decide": rows, "measured": measured}, f, indent=1)
    with open(os.path.join(a.out, "net_tradeoff.csv"), "w") as f:
        f.write("n,samples,dim,gap,eps_budget,inv_eps2,r,eta,candidates,work,rate_work_per_s,seconds,kind\n")
        for r in rows:
            f.write(f"{r['n']},{r['samples']},{r['dim']},{r['gap']:.6g},{r['eps_budget']:.6g},{r['inv_eps2']:.6g},"
                    f"{r['r']},{r['eta']:.6g},{r['candidates']:.6g},{r['work']:.6g},{r['rate']:.6g},{r['seconds']:.6g},"
                    f"{r['kind']}\n")
    # Fit log2(t) = a + b / eps^2 on the decide points.
    xs = [r["inv_eps2"] for r in rows]
    ys = [math.log2(r["seconds"]) for r in rows]
    k = len(xs)
    mx, my = sum(xs) / k, sum(ys) / k
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx > 0 else 0.0
    a0 = my - b * mx
    fit = {"a": a0, "b": b}
    with open(os.path.join(a.out, "net_tradeoff_fit.json"), "w") as f:
        json.dump(fit, f)
    print(f"fit: log2(seconds) = {a0:.4g} + {b:.4g} / eps^2")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(12, 4.8))
    pm = [r for r in rows if r["kind"] == "measured"]
    pp = [r for r in rows if r["kind"] == "predicted"]
    if pm:
        ax.plot([r["inv_eps2"] for r in pm], [r["seconds"] for r in pm], "ks", label="decide (measured)")
    if pp:
        ax.plot([r["inv_eps2"] for r in pp], [r["seconds"] for r in pp], "k^", mfc="none",
                label="decide (candidates / measured rate)")
    for r in rows:
        ax.annotate(f"n={r['n']}", (r["inv_eps2"], r["seconds"]), textcoords="offset points", xytext=(4, -10),
                    fontsize=7)
    xlo, xhi = min(xs) * 0.9, max(xs) * 1.05
    grid = [xlo + (xhi - xlo) * i / 100 for i in range(101)]
    ax.plot(grid, [2 ** (a0 + b * x) for x in grid], "r-", lw=1, label=f"fit: t = 2^({a0:.3g} + {b:.3g}/eps^2)")
    # The lower bound's shape: 2^{c/eps^2} is a straight line here (any c > 0; Gap-ETH).
    x0, y0 = xs[0], rows[0]["seconds"]
    c = max(b, 1e-9) / 2
    ax.plot(grid, [y0 * 2 ** (c * (x - x0)) for x in grid], "b--", lw=1,
            label=f"2^(Omega(1/eps^2)) shape (Gap-ETH): c = {c:.3g} drawn")
    ax.set_yscale("log")
    ax.set_xlabel("1 / eps^2  (eps = 0.99 x certified gap, mean loss)")
    ax.set_ylabel("seconds to decide (log)")
    ax.set_title("net on maxcut unit-ball sets (D = 4): time to decide")
    ax.legend(fontsize=7, loc="upper left")
    for n in sorted({m["n"] for m in measured}):
        pts = [m for m in measured if m["n"] == n and not m.get("calibration")]
        ax2.plot([1 / m["eps"] ** 2 for m in pts], [max(m["seconds"], 1e-6) for m in pts], ".-", lw=0.8, ms=4,
                 label=f"n={n}")
    ax2.set_yscale("log")
    ax2.set_xlabel("1 / eps^2  (eps: net's agnostic budget)")
    ax2.set_ylabel("seconds, measured (log)")
    ax2.set_title("measured runs at budgets above the gap")
    ax2.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(a.out, "net_tradeoff.png"), dpi=110)


if __name__ == "__main__":
    main()
