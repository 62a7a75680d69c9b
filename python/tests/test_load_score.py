"""relugap.load / Instance.loss / Instance.score against the C++ side."""
import json
import os
import subprocess
from fractions import Fraction

import numpy as np
import pytest

import relugap


def items(suite_dir):
    with open(os.path.join(suite_dir, "manifest.json")) as f:
        return json.load(f)["instances"]


def test_load_every_item_with_bounds_and_certificate(suite_dir):
    seen_npz = 0
    for it in items(suite_dir):
        inst = relugap.load(os.path.join(suite_dir, it["data"]))
        assert inst.samples == it["samples"] and inst.dim == it["dim"]
        assert inst.answer == it["kind"]
        assert inst.units == it["units"]
        if it["opt_upper"] is not None:
            assert inst.opt_upper == Fraction(it["opt_upper"]["exact"])
            assert isinstance(inst.opt_upper, Fraction)
            # The certificate's float loss is its exact loss up to rounding: the stated
            # upper bound, or at most it (maxcut, whose bound rounds a square root up).
            assert inst.certificate is not None
            cert_loss = Fraction(it["certificate_loss"]["exact"])
            assert cert_loss <= inst.opt_upper
            if it["reduction"] != "maxcut":
                assert cert_loss == inst.opt_upper
            assert inst.loss(inst.certificate) == pytest.approx(float(cert_loss), rel=1e-9, abs=1e-9)
        if it["opt_lower"] is not None:
            assert inst.opt_lower == Fraction(it["opt_lower"]["exact"])
        assert inst.provenance["suite"]["key"] == it["key"]
        assert inst.provenance["generator"]["seed"] == it["effective_seed"]
        if it["reduction"] != "satk":
            assert inst.gap == Fraction(it["decision"]["no_threshold"]["exact"]) - \
                Fraction(it["decision"]["yes_threshold"]["exact"])
            assert inst.epsilon == inst.gap / inst.total_weight
        if it["data"].endswith(".npz"):
            seen_npz += 1
            import scipy.sparse as sp
            A = sp.load_npz(os.path.join(suite_dir, it["data"]))
            assert A.shape == (it["samples"], it["dim"] + 2)
            assert np.array_equal(A[:, -1].toarray().ravel(), inst.c)
            assert np.array_equal(A[:, -2].toarray().ravel(), inst.y)
            assert (A[:, :-2] != inst.X).nnz == 0
    assert seen_npz > 0


def test_score_exact_matches_certificate_and_flags_claims(suite_dir):
    it = next(i for i in items(suite_dir) if i["reduction"] == "setcover" and i["kind"] == "yes")
    inst = relugap.load(os.path.join(suite_dir, it["data"]))
    s = inst.score(inst.certificate, exact=True)
    assert s.exact and s.loss == inst.opt_upper
    assert s.excess == 0.0 and s.reaches_upper
    assert s.verdict == "yes"  # a YES item's certificate is below the NO threshold
    f = inst.score(inst.certificate)
    assert not f.exact and abs(f.excess) < 1e-9
    # A zero network: loss = Σ c y², scored the same both ways.
    zero = relugap.Network(np.zeros((inst.units, inst.dim)), np.ones(inst.units))
    se, sf = inst.score(zero, exact=True), inst.score(zero)
    assert float(se.loss) == pytest.approx(sf.loss, rel=1e-12)
    assert se.loss == sum(Fraction(float(c)) * Fraction(float(y)) ** 2 for c, y in zip(inst.c, inst.y))
    # A claimed loss below the certified lower bound is impossible.
    assert inst.score_loss(inst.opt_lower - 1).verdict == "invalid"
    assert inst.score_loss(inst.no_threshold).verdict == "inconclusive"
    assert inst.target(0) == float(inst.opt_upper)
    assert inst.target(1) == pytest.approx(float(inst.opt_upper + inst.gap))


def test_network_json_round_trip_is_exact(tmp_path, suite_dir, binary):
    it = next(i for i in items(suite_dir) if i["reduction"] == "dks" and i["kind"] == "yes")
    path = os.path.join(suite_dir, it["data"])
    cert = relugap.read_network(path + ".json")  # a sidecar: its certificate
    p = str(tmp_path / "cert.json")
    relugap.write_network(p, cert, exact=True)
    back = relugap.read_network(p)
    assert back.exact[0] == cert.exact[0] and back.exact[1] == cert.exact[1]
    out = relugap.eval_exact(p, path)
    assert out["total_loss_exact"] == Fraction(it["opt_upper"]["exact"])
    # Float networks: written in shortest round-trip form, relugap reads the same doubles.
    rng = np.random.default_rng(3)
    net = relugap.Network(rng.standard_normal((2, cert.dim)) / 3, [1.0, -0.5])
    relugap.write_network(p, net)
    assert np.array_equal(relugap.read_network(p).W, net.W)
    inst = relugap.load(path)
    out = json.loads(subprocess.run([binary, "eval", "--net", p, "--data", path, "--json"], check=True,
                                    capture_output=True, text=True).stdout)
    assert out["total_loss"] == pytest.approx(inst.loss(net), rel=1e-12)


def test_bad_network_files_are_refused(tmp_path):
    p = tmp_path / "n.json"
    p.write_text('{"kind": "network", "dim": 2, "units": [{"a": 1, "w": [1]}]}')
    with pytest.raises(ValueError, match="unit 1: 'w' must be an array of 2"):
        relugap.read_network(str(p))
    p.write_text('{"kind": "network", "dim": 1, "units": [{"a": "1/0", "w": [1]}]}')
    with pytest.raises(ValueError, match="not a rational"):
        relugap.read_network(str(p))
    p.write_text('{"kind": "network",\n "dim": }')
    with pytest.raises(ValueError, match=r"n.json:2: invalid JSON"):
        relugap.read_network(str(p))


def test_npz_written_by_python_is_read_by_relugap(tmp_path, binary):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((30, 5)) * (rng.random((30, 5)) < 0.3)
    y = rng.standard_normal(30)
    c = rng.integers(1, 4, 30).astype(float)
    p = str(tmp_path / "set.npz")
    relugap.write_npz(p, X, y, c)
    inst = relugap.load(p)
    assert np.array_equal(inst.X.toarray(), X) and np.array_equal(inst.y, y) and np.array_equal(inst.c, c)
    q = str(tmp_path / "set.csv")
    subprocess.run([binary, "convert", p, q], check=True, capture_output=True)
    back = relugap.load(q)
    assert np.array_equal(back.X, X) and np.array_equal(back.y, y) and np.array_equal(back.c, c)
    # uncompressed archives too (np.savez's default)
    relugap.write_npz(p, X, y, c, compressed=False)
    r = subprocess.run([binary, "info", p], capture_output=True, text=True)
    assert r.returncode == 0 and "training set (npz), 30 samples, dim 5" in r.stdout
