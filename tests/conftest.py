"""Shared fixtures for every test module.

* ``seminar_data``: the seminar's five 2-D data sets, as ``(name, (X, y))``.
* ``dtype``: runs a test once for float64 and once for float32.
* ``seed``: a few fixed seeds, for tests that compare random streams.
* ``run_without_oracles``: runs Python code in a subprocess where importing
  scikit-learn or scipy fails, to prove the package does not need them.

Slow, exhaustive tests carry ``@pytest.mark.slow`` and run only with
``--runslow``. Tests on tiny data carry ``@pytest.mark.tiny``; CI runs those a
second time with ``NUMBA_DISABLE_JIT=1`` so every kernel also runs as Python.

Hypothesis draws the same examples on every run (profile ``ci``, the default):
a red CI run is then reproducible, and a green one does not depend on luck.
``HYPOTHESIS_PROFILE=explore`` draws new examples each time, to hunt for bugs.
"""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# A folder whose sitecustomize.py makes scikit-learn and scipy unimportable in
# any Python started with it first on PYTHONPATH (subprocesses, notebook kernels).
NO_ORACLES_DIR = os.path.join(REPO_ROOT, "tests", "_no_oracles")


def without_oracles_env():
    """Environment for a subprocess in which importing sklearn or scipy fails."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([NO_ORACLES_DIR, REPO_ROOT, env.get("PYTHONPATH", "")])
    env.setdefault("MPLBACKEND", "Agg")
    return env


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", help="also run tests marked slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip_slow = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)


@pytest.fixture(scope="session")
def seminar_data():
    from purecluster.datasets import seminar_datasets

    return seminar_datasets()


@pytest.fixture(params=[np.float64, np.float32], ids=["float64", "float32"])
def dtype(request):
    return request.param


@pytest.fixture(params=[0, 42, 12345])
def seed(request):
    return request.param


@pytest.fixture
def run_without_oracles():
    """Return ``run(code) -> CompletedProcess`` with scikit-learn and scipy blocked."""

    def run(code, timeout=600):
        return subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            capture_output=True,
            text=True,
            env=without_oracles_env(),
            timeout=timeout,
            cwd=REPO_ROOT,
        )

    return run
