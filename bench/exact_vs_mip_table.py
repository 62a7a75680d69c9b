"""The table of bench/exact_vs_mip.sh from its runs.jsonl (one JSON line per run).

Per set: the median over the repeats of wall and CPU seconds (min–max in brackets), the
status / nodes / values of the first repeat (every repeat is deterministic up to the time
limit), and the agreement of the optima: |ours − MIP| / ours, where ours is the exact
trainer's loss and MIP the Bonmin objective ("obj") and the true loss of the MIP's w
("w"); shown only where both sides report optimal. "consistent": the MIP's bound is at most
our loss and the true loss of the MIP's w is at least our lower bound (relative slack 1e-6 for
Ipopt's tolerances), on every repeat.
Usage: python3 bench/exact_vs_mip_table.py RUNS.jsonl
"""

import json
import statistics
import sys


def spread(xs):
    xs = sorted(xs)
    med = statistics.median(xs)
    if len(xs) == 1:
        return f"{med:.3g}"
    return f"{med:.3g} [{xs[0]:.3g}–{xs[-1]:.3g}]"


def main():
    runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    order = []
    by = {}
    for r in runs:
        key = (r["set"], r["kind"])
        if r["set"] not in order:
            order.append(r["set"])
        by.setdefault(key, []).append(r)
    print(
        "| set | samples | d | exact: status | wall s | CPU s | nodes | loss "
        "| MIP: status | wall s | CPU s | nodes | objective | bound | rel. diff (obj / w) | consistent |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---|")
    for s in order:
        e = by.get((s, "exact"), [])
        m = by.get((s, "mip"), [])
        if not e or not m:
            continue
        e0, m0 = e[0], m[0]
        agree = "–"
        if e0["status"].startswith("optimal") and m0["status"] == "optimal":
            ours = e0["loss"]
            d_obj = abs(ours - m0["objective"]) / max(abs(ours), 1e-300)
            d_w = abs(ours - m0.get("w_loss", float("nan"))) / max(abs(ours), 1e-300)
            agree = f"{d_obj:.1e} / {d_w:.1e}"
        ok = True
        for r in m:
            ours_hi = min(x["loss"] for x in e)
            ours_lo = max(x["bound"] for x in e if x.get("bound") is not None)
            ok = ok and r["bound"] <= ours_hi * (1 + 1e-6)
            if "w_loss" in r:
                ok = ok and r["w_loss"] >= ours_lo * (1 - 1e-6)
        estat = sorted({r["status"] for r in e})
        mstat = sorted({r["status"] for r in m})
        print(
            f"| {s} | {m0['samples']} | {m0['dim']} | {', '.join(estat)} | {spread([r['wall_seconds'] for r in e])} "
            f"| {spread([r['cpu_seconds'] for r in e])} | {e0['nodes']} | {e0['loss']:.12g} "
            f"| {', '.join(mstat)} | {spread([r['wall_seconds'] for r in m])} | {spread([r['cpu_seconds'] for r in m])} "
            f"| {m0['nodes']} | {m0['objective']:.12g} | {m0['bound']:.10g} | {agree} | {'yes' if ok else 'NO'} |"
        )


if __name__ == "__main__":
    main()
