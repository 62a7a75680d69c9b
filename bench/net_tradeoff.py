#!/usr/bin/python3
"""Time for the net learner to decide maxcut unit-ball instances, against 1/eps^2.

For each n: a planted Max-2Lin(2) instance (D = 4 regular, c = 1), reduced to the unit-ball
set (`reduce maxcut --solve --c 1 --s 0.8`); its certified gap eps_gap (mean loss, the
sidecar's unit_ball.epsilon). net decides the promise problem once its agnostic budget
eps_budget < eps_gap.
  - measured: net runs with --epsilon eps (agnostic, class |w| <= 1, a in [0, 1]) for
    eps = eps_0 * 0.8^j down to the first run that takes more than --max-seconds;
  - decide: the budget at eps_budget = 0.99 eps_gap (`train --plan`: its candidate count),
    its time = candidates / the candidate rate measured on the largest run of that n
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
        rate, last = None, None
        for _ in range(80):
            plan = json.loads(run([rg, "train", stem + ".npy", "-o", stem + ".net.json", "--epsilon", repr(eps),
                                   "--plan"] + net))
            if last is None or plan["points"] != last["points"] or plan["r"] != last["r"]:
                t0 = time.perf_counter()
                out = json.loads(run([rg, "train", stem + ".npy", "-o", stem + ".net.json", "--epsilon", repr(eps),
                                      "--json"] + net))
                secs = time.perf_counter() - t0
                cand = plan["candidates"]
                measured.append({"n": n, "eps": plan["epsilon_agnostic"], "r": plan["r"], "eta": plan["eta"],
                                 "candidates": cand, "seconds": secs, "train_seconds": out.get("seconds")})
                rate = cand / max(secs, 1e-9)
                last = plan
                if secs > a.max_seconds or plan["epsilon_agnostic"] < gap:
                    break
            eps *= 0.8
        budget = 0.99 * gap
        dplan = json.loads(run([rg, "train", stem + ".npy", "-o", stem + ".net.json", "--epsilon", repr(budget),
                                "--plan"] + net))
        ran = last is not None and dplan["points"] == last["points"] and dplan["r"] == last["r"]
        t = measured[-1]["seconds"] if ran else dplan["candidates"] / rate
        rows.append({"n": n, "samples": dplan["samples"], "dim": dplan["dim"], "gap": gap, "eps_budget": budget,
                     "inv_eps2": 1 / budget ** 2, "r": dplan["r"], "eta": dplan["eta"],
                     "candidates": dplan["candidates"], "rate": rate, "seconds": t,
                     "kind": "measured" if ran else "predicted"})
        print(f"n={n}: gap {gap:.4g}, budget r={dplan['r']} eta={dplan['eta']:.3g}, "
              f"{dplan['candidates']:.3g} candidates, rate {rate:.3g}/s -> {t:.3g} s ({rows[-1]['kind']})",
              flush=True)
    with open(os.path.join(a.out, "net_tradeoff.json"), "w") as f:
        json.dump({"decide": rows, "measured": measured}, f, indent=1)
    with open(os.path.join(a.out, "net_tradeoff.csv"), "w") as f:
        f.write("n,samples,dim,gap,eps_budget,inv_eps2,r,eta,candidates,rate_per_s,seconds,kind\n")
        for r in rows:
            f.write(f"{r['n']},{r['samples']},{r['dim']},{r['gap']:.6g},{r['eps_budget']:.6g},{r['inv_eps2']:.6g},"
                    f"{r['r']},{r['eta']:.6g},{r['candidates']:.6g},{r['rate']:.6g},{r['seconds']:.6g},{r['kind']}\n")
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
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    for n in sorted({m["n"] for m in measured}):
        pts = [m for m in measured if m["n"] == n]
        ax.plot([1 / m["eps"] ** 2 for m in pts], [m["seconds"] for m in pts], ".-", lw=0.8, ms=4, alpha=0.6,
                label=f"measured runs, n={n}")
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
    xlo, xhi = min(xs) * 0.8, max(xs) * 1.1
    grid = [xlo + (xhi - xlo) * i / 100 for i in range(101)]
    ax.plot(grid, [2 ** (a0 + b * x) for x in grid], "r-", lw=1,
            label=f"fit: t = 2^({a0:.3g} + {b:.3g}/eps^2)")
    # The lower bound's shape 2^{c/eps^2} (Gap-ETH), anchored at the smallest decide point.
    x0, y0 = xs[0], rows[0]["seconds"]
    c = max(b, 1e-9)
    ax.plot(grid, [y0 * 2 ** (c * 0.5 * (x - x0)) for x in grid], "b--", lw=1,
            label="2^{Omega(1/eps^2)} (Gap-ETH lower bound): a line here; drawn at half the fitted slope")
    ax.set_yscale("log")
    ax.set_xlabel("1 / eps^2  (eps: net's agnostic mean-loss budget)")
    ax.set_ylabel("seconds (log)")
    ax.set_title("net on maxcut unit-ball sets (D = 4): time to decide vs 1/eps^2")
    ax.legend(fontsize=6, loc="upper left")
    fig.tight_layout()
    fig.savefig(os.path.join(a.out, "net_tradeoff.png"), dpi=110)


if __name__ == "__main__":
    main()
