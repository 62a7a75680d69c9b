"""Fixtures: the relugap binary ($RELUGAP_BIN, set by ctest; else build/relugap)
and a small suite built once per session."""
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

import relugap  # noqa: E402


@pytest.fixture(scope="session")
def binary():
    try:
        return relugap.relugap_binary()
    except FileNotFoundError as e:
        pytest.fail(str(e))


@pytest.fixture(scope="session")
def suite_dir(binary, tmp_path_factory):
    d = tmp_path_factory.mktemp("suite") / "s"
    subprocess.run([binary, "suite", "-o", str(d), "--seed", "1"], check=True, capture_output=True)
    return str(d)
