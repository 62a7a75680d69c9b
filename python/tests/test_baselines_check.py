"""relugap.baselines (results folder, resumable JSONL, anytime logs, ECDF) and relugap.check."""
import json
import os
import shutil

import pytest

pytest.importorskip("torch")
pytest.importorskip("matplotlib")

import relugap  # noqa: E402
from relugap import baselines, check  # noqa: E402


_SUITE = {}


def _suite_of(out):
    return _SUITE[out]


@pytest.fixture(scope="module")
def results(suite_dir, tmp_path_factory):
    out = str(tmp_path_factory.mktemp("res") / "r")
    argv = [suite_dir, "--budget", "0.15", "-o", out, "--items", "^(setcover_n8_yes|sat1_n5_yes)$",
            "--solvers", "adam64,lbfgs32,gd", "--quiet"]
    assert baselines.main(argv) == 0
    _SUITE[out] = suite_dir
    return out, argv


def test_results_folder_layout_and_resume(results):
    out, argv = results
    rows = baselines.load_results(out)
    assert sorted(r["solver"] for r in rows) == ["adam64", "adam64", "gd", "gd", "lbfgs32", "lbfgs32"]
    assert {r["item"] for r in rows} == {"setcover_n8_yes", "sat1_n5_yes"}  # dense .npy and sparse .npz
    for r in rows:
        assert r["budget"] == 0.15
        log = baselines.read_anytime_log(os.path.join(out, r["log"]))
        assert log, r
        times = [t for t, _, _ in log]
        losses = [v for _, _, v in log]
        assert times == sorted(times) and losses == sorted(losses, reverse=True)
        assert losses[-1] == r["best_loss"]
        assert os.path.exists(os.path.join(out, r["network"]))
        with open(os.path.join(out, r["log"])) as f:
            assert f.readline() == "% relugap anytime log 1\n"
    assert os.path.getsize(os.path.join(out, "ecdf.png")) > 1000
    assert "| solver |" in open(os.path.join(out, "leaderboard.md")).read()
    assert json.load(open(os.path.join(out, "info.json")))["budget"] == 0.15
    # Rerunning the same command runs nothing new.
    assert baselines.main(argv) == 0
    assert len(baselines.load_results(out)) == 6


def test_a_submission_is_plotted_alongside(results, tmp_path):
    out, _ = results
    sub = str(tmp_path / "acme")
    shutil.copytree(out, sub)
    mine = str(tmp_path / "mine")
    shutil.copytree(out, mine)
    os.remove(os.path.join(mine, "ecdf.png"))
    assert baselines.main([_suite_of(out), "--plot-only", "-o", mine,
                           "--with", sub, "--quiet"]) == 0
    table = open(os.path.join(mine, "leaderboard.md")).read()
    assert "| acme:gd |" in table and "| gd |" in table
    assert os.path.exists(os.path.join(mine, "ecdf.png"))


def test_check_rescored_exactly_and_flags(results, suite_dir, tmp_path, capsys):
    out, _ = results
    rows = check.check(suite_dir, out)
    assert len(rows) == 6 and all(r["flag"] == "" for r in rows)
    assert check.main([suite_dir, out]) == 0
    # A claim that is not what the network achieves.
    bad = str(tmp_path / "bad")
    shutil.copytree(out, bad)
    lines = open(os.path.join(bad, "results.jsonl")).read().splitlines()
    r0 = json.loads(lines[0])
    assert r0["item"] == "setcover_n8_yes"
    claim = r0["best_loss"]
    r0["best_loss"] = claim * (1 - 1e-7)  # above the lower bound, not what the network achieves
    lines[0] = json.dumps(r0)
    open(os.path.join(bad, "results.jsonl"), "w").write("\n".join(lines) + "\n")
    flags = [r["flag"] for r in check.check(suite_dir, bad)]
    assert flags.count("MISMATCH") == 1 and flags.count("") == 5
    # A claim below the certified lower bound, whatever the network does. Taken from the
    # bound itself, not from the claim: a time-limited run under load may end far above it.
    lower = relugap.load(os.path.join(suite_dir, "setcover_n8_yes.npy")).opt_lower
    assert lower is not None and lower > 0
    r0["best_loss"] = float(lower) * 0.5
    lines[0] = json.dumps(r0)
    open(os.path.join(bad, "results.jsonl"), "w").write("\n".join(lines) + "\n")
    rows = check.check(suite_dir, bad)
    assert rows[0]["flag"] == "INVALID" and "claimed loss" in rows[0]["why"]
    assert check.main([suite_dir, bad]) == 4
    # A suite whose certified lower bound lies above every network's loss: all INVALID.
    fake = str(tmp_path / "suite")
    shutil.copytree(suite_dir, fake)
    sc_path = os.path.join(fake, "setcover_n8_yes.npy.json")
    sc = json.load(open(sc_path))
    sc["bounds"]["exact"]["loss_lower"] = "10000000000000"
    json.dump(sc, open(sc_path, "w"))
    rows = check.check(fake, out)
    assert {r["flag"] for r in rows if r["item"] == "setcover_n8_yes"} == {"INVALID"}
    assert {r["flag"] for r in rows if r["item"] != "setcover_n8_yes"} == {""}
    assert check.main([fake, out]) == 4
    assert "INVALID" in capsys.readouterr().out
