"""Re-scores every submitted network exactly and flags impossible claims.

    /usr/bin/python3 -m relugap.check SUITE_DIR RESULTS [--json OUT]

RESULTS is a results folder (relugap.baselines' format: results.jsonl whose
lines name "item", "solver", "network" (a path relative to RESULTS) and the
claimed "best_loss"). Every network is scored with ``relugap eval --exact``
on the suite's file. A line is flagged

  INVALID   the exact loss, or the claimed loss, is below the item's certified
            lower bound on OPT (impossible: the claim, the bound or the evaluation
            is wrong; exit code 4);
  MISMATCH  the claimed loss differs from the exact loss by more than 1e-9
            relative (the claim is not what the network achieves);
  MISSING   the network file is missing or unreadable, or has the wrong dimension;
  OUTSIDE   the item's bounds hold over a class of networks (its sidecar's
            "class" block, e.g. ||w|| <= 1 for Max-Cut) and this network is not in
            it: its loss is not compared (not counted as flagged).

Exit code 0 when nothing is flagged, 4 when a line is flagged, 1 on bad input.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from fractions import Fraction

from . import eval_exact, load
from .baselines import load_results, suite_items


def _class_text(c: dict) -> str:
    parts = []
    if c.get("unit_norm") is not None:
        parts.append(f"||w_j|| <= {c['unit_norm']}")
    if c.get("output_l1") is not None:
        parts.append(f"||a||_1 <= {c['output_l1']}")
    if c.get("output_signs") is not None:
        parts.append("signs of a " + ",".join("+" if v > 0 else "-" for v in c["output_signs"]))
    return ", ".join(parts)


def check(suite_dir: str, results_dir: str, tol: float = 1e-9):
    items = {it["name"]: it for it in suite_items(suite_dir)}
    insts = {}
    rows = []
    for r in load_results(results_dir):
        row = {"item": r.get("item"), "solver": r.get("solver"), "claimed": r.get("best_loss")}
        it = items.get(r.get("item"))
        if it is None:
            row.update(flag="MISSING", why="no such suite item")
            rows.append(row)
            continue
        if not r.get("network"):
            row.update(flag="", why="no network submitted")
            rows.append(row)
            continue
        data = os.path.join(suite_dir, it["data"])
        if data not in insts:
            insts[data] = load(data)
        inst = insts[data]
        net_path = os.path.join(results_dir, r["network"])
        try:
            out = eval_exact(net_path, data)
        except (RuntimeError, OSError, ValueError) as e:
            row.update(flag="MISSING", why=str(e)[:300])
            rows.append(row)
            continue
        exact: Fraction = out["total_loss_exact"]
        inside = inst.in_class(net_path)
        sc = inst.score_loss(exact, exact=True, in_class=inside)
        row.update(exact=f"{exact.numerator}/{exact.denominator}", loss=float(exact), excess=sc.excess,
                   verdict=sc.verdict, flag="", why="")
        claimed = r.get("best_loss")
        if not inside:
            # Not an impossible claim: the item's bounds speak only about its class.
            row.update(flag="OUTSIDE", why=f"the network is outside the class the bounds hold over "
                                            f"({_class_text(inst.network_class)}): its loss is not compared")
        elif sc.verdict == "invalid":
            row.update(flag="INVALID", why=f"exact loss {float(exact):.17g} < certified lower bound "
                                            f"{float(inst.opt_lower):.17g}")
        elif claimed is not None and inst.opt_lower is not None and Fraction(float(claimed)) < inst.opt_lower:
            row.update(flag="INVALID", why=f"claimed loss {claimed!r} < certified lower bound "
                                            f"{float(inst.opt_lower):.17g} (the network's exact loss is "
                                            f"{float(exact):.17g})")
        elif r.get("best_loss") is not None and \
                abs(float(r["best_loss"]) - float(exact)) > tol * max(1.0, abs(float(exact))):
            row.update(flag="MISMATCH", why=f"claimed {r['best_loss']!r}, exact {float(exact):.17g}")
        rows.append(row)
    return rows


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m relugap.check", description=__doc__.split("\n\n")[0])
    p.add_argument("suite")
    p.add_argument("results")
    p.add_argument("--json", default=None, help="also write the rows as JSON lines to this file")
    p.add_argument("--tol", type=float, default=1e-9, help="relative tolerance for MISMATCH")
    a = p.parse_args(argv)
    try:
        rows = check(a.suite, a.results, a.tol)
    except (OSError, ValueError, KeyError) as e:
        print(f"relugap.check: error: {e}", file=sys.stderr)
        return 1
    flagged = 0
    for r in rows:
        if r["flag"] in ("INVALID", "MISMATCH", "MISSING"):
            flagged += 1
        ex = r.get("excess")
        print(f"{r['flag'] or 'ok':<9} {r['item']!s:<20} {r['solver']!s:<10} exact {r.get('loss', '-')!s:<24} "
              f"excess/gap {'-' if ex is None else f'{ex:.4g}':<10} {r.get('verdict', '')} {r['why']}")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
    outside = sum(1 for r in rows if r["flag"] == "OUTSIDE")
    print(f"{len(rows)} submissions, {flagged} flagged" + (f", {outside} outside the class" if outside else ""))
    return 4 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
