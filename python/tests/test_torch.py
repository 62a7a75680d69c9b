"""relugap.torch: ReLUNet agrees with Instance.loss, reads and writes network JSON."""
import json
import os

import numpy as np
import pytest

torch = pytest.importorskip("torch")  # setup.sh installs python3-torch; skipped only without it

import relugap  # noqa: E402
import relugap.torch as rt  # noqa: E402


def load_item(suite_dir, reduction, kind="yes"):
    with open(os.path.join(suite_dir, "manifest.json")) as f:
        it = next(i for i in json.load(f)["instances"] if i["reduction"] == reduction and i["kind"] == kind)
    return relugap.load(os.path.join(suite_dir, it["data"]))


@pytest.mark.parametrize("reduction", ["setcover", "sat1"])  # dense .npy and sparse .npz
def test_relunet_loss_equals_instance_loss(suite_dir, reduction):
    inst = load_item(suite_dir, reduction)
    net = rt.ReLUNet.from_network(inst.certificate)
    for sparse in (False, True):
        X, y, c = rt.tensors(inst, sparse=sparse)
        assert net.loss(X, y, c).item() == pytest.approx(inst.loss(inst.certificate), rel=1e-12, abs=1e-12)
    ds = rt.InstanceDataset(inst)
    assert len(ds) == inst.samples
    x0, y0, c0 = ds[0]
    assert x0.shape == (inst.dim,) and y0.item() == inst.y[0] and c0.item() == inst.c[0]


def test_relunet_json_round_trip_and_gradient_step(suite_dir, tmp_path):
    inst = load_item(suite_dir, "dks")
    g = torch.Generator().manual_seed(5)
    net = rt.ReLUNet(inst.dim, inst.units, generator=g)
    X, y, c = rt.tensors(inst)
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    before = net.loss(X, y, c).item()
    for _ in range(20):
        opt.zero_grad()
        loss = net.loss(X, y, c)
        loss.backward()
        opt.step()
    assert net.loss(X, y, c).item() < before
    p = str(tmp_path / "net.json")
    net.save(p, meta={"trainer": "adam"})
    back = rt.ReLUNet.load(p)
    assert torch.equal(back.W, net.W.detach()) and torch.equal(back.a, net.a.detach())
    # relugap scores the saved file exactly; the float loss agrees.
    s = inst.score(p, exact=True)
    assert float(s.loss) == pytest.approx(net.loss(X, y, c).item(), rel=1e-10)


def test_projection_on_the_unit_ball_class():
    net = rt.ReLUNet(3, 2)
    with torch.no_grad():
        net.W.copy_(torch.tensor([[3.0, 4.0, 0.0], [0.1, 0.0, 0.0]], dtype=torch.float64))
    net.project({"unit_norm": 1.0, "signs": [1, -1]})
    assert net.W[0].norm().item() == pytest.approx(1.0)
    assert net.W[1, 0].item() == pytest.approx(0.1)
    assert net.a.tolist() == [1.0, -1.0]
