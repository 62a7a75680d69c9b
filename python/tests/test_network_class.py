"""The class a suite item's bounds hold over (sidecar "class"): Max-Cut's bounds speak
only about ||w|| <= 1, ||a||_1 <= 1, a >= 0. A network outside it may go below opt_lower
without contradiction: it is scored "outside class", and relugap.check does not flag it."""
import json
import os
import subprocess
from fractions import Fraction

import numpy as np

import relugap
from relugap import check
from relugap.baselines import suite_items


def test_only_maxcut_items_state_a_class(suite_dir):
    seen = 0
    for it in suite_items(suite_dir):
        inst = relugap.load(os.path.join(suite_dir, it["data"]))
        if it["reduction"] == "maxcut":
            seen += 1
            assert it["class"]["unit_norm"]["exact"] == "1"
            assert inst.network_class == {"unit_norm": Fraction(1), "output_l1": Fraction(1), "output_signs": [1]}
            assert inst.constraints == {"units": 1, "unit_norm": 1.0, "output_l1": 1.0, "signs": [1]}
            assert inst.in_class(inst.certificate)
        else:
            assert it["class"] is None and inst.network_class is None
            assert inst.in_class(relugap.Network(np.full((inst.units, inst.dim), 1e6), np.ones(inst.units)))
    assert seen == 2


def test_membership_is_exact(suite_dir):
    inst = relugap.load(os.path.join(suite_dir, "maxcut_n32_no.npz"))
    w = np.zeros((1, inst.dim))
    w[0, 0] = 1.0
    assert inst.in_class(relugap.Network(w, [1.0]))
    assert not inst.in_class(relugap.Network(w * np.nextafter(1.0, 2.0), [1.0]))  # one ulp outside
    assert not inst.in_class(relugap.Network(w, [np.nextafter(1.0, 2.0)]))
    assert not inst.in_class(relugap.Network(w, [-0.5]))  # a must be >= 0
    assert inst.in_class(relugap.Network(w, [0.0]))


def _unconstrained_gd(binary, data, out, extra=()):
    subprocess.run([binary, "train", data, "--units", "1", "--algo", "gd", "--seed", "1", "--time-limit", "2",
                    "-o", out, *extra], check=True, capture_output=True)
    return relugap.read_network(out)


def test_an_unconstrained_network_below_opt_lower_is_outside_not_invalid(suite_dir, binary, tmp_path):
    data = os.path.join(suite_dir, "maxcut_n32_no.npz")
    inst = relugap.load(data)
    net = _unconstrained_gd(binary, data, str(tmp_path / "free.json"))
    # Without the class, gd finds a network far below the stated lower bound (loss 32 = half
    # the samples fitted): the bound is about the class only.
    assert inst.loss(net) < float(inst.opt_lower)
    assert not inst.in_class(net)
    s = inst.score(net, exact=True)
    assert s.verdict == "outside class" and s.reaches_upper is False
    # With the class flags, gd's network lies in the class exactly (its projection pulls in
    # by a relative 1e-12, so rounding cannot leave it a hair outside).
    inside = _unconstrained_gd(binary, data, str(tmp_path / "class.json"),
                               ("--unit-norm", "1", "--B", "1", "--signs", "+"))
    assert inst.in_class(inside)
    assert inst.score(inside, exact=True).loss >= inst.opt_lower

    res = tmp_path / "res"
    (res / "nets").mkdir(parents=True)
    for name, n in (("free", net), ("class", inside)):
        relugap.write_network(str(res / "nets" / f"{name}.json"), n)
    with open(res / "results.jsonl", "w") as f:
        for name, n in (("free", net), ("class", inside)):
            f.write(json.dumps({"item": "maxcut_n32_no", "solver": name, "network": f"nets/{name}.json",
                                "best_loss": inst.loss(n)}) + "\n")
    rows = {r["solver"]: r for r in check.check(suite_dir, str(res))}
    assert rows["free"]["flag"] == "OUTSIDE" and rows["free"]["verdict"] == "outside class"
    assert rows["class"]["flag"] == ""
    assert check.main([suite_dir, str(res)]) == 0  # OUTSIDE is not an impossible claim
