"""The Numba policy of ``_jit``: defaults, the cache switch, warm-up, thread counts."""

import os
import subprocess
import sys

import numba
import numpy as np
import pytest

from purecluster import _jit

pytestmark = pytest.mark.tiny


def test_defaults_cache_nogil_no_fastmath():
    assert _jit.DEFAULTS["nogil"] is True
    assert "fastmath" not in _jit.DEFAULTS

    @_jit.jit
    def add(a, b):
        return a + b

    assert add(1.0, 2.0) == 3.0
    if not numba.config.DISABLE_JIT:
        assert add.targetoptions["nogil"] is True
        assert add.targetoptions.get("fastmath", False) is False


def test_options_override_defaults():
    @_jit.jit(cache=False)
    def square(x):
        return x * x

    assert square(3) == 9
    if not numba.config.DISABLE_JIT:
        assert square.targetoptions.get("cache", False) is False


@pytest.mark.parametrize("value, expected", [("0", False), ("off", False), ("1", True)])
def test_environment_switch_turns_the_cache_off(value, expected):
    code = "from purecluster import _jit; print(_jit.CACHE)"
    env = dict(os.environ, PURECLUSTER_NUMBA_CACHE=value)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == str(expected)


def test_import_compiles_nothing():
    code = (
        "import numba.core.registry as r, purecluster, purecluster.datasets;"
        "import purecluster._jit as j;"
        "from numba.core.dispatcher import Dispatcher;"
        "import gc;"
        "print(sum(1 for o in gc.get_objects() if isinstance(o, Dispatcher) and o.signatures))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


def test_warmup_runs_registered_steps():
    calls = []

    @_jit.register_warmup("probe")
    def probe(dtype):
        calls.append(np.dtype(dtype))

    try:
        timings = _jit.warmup(dtypes=("float64", "float32"), only=["probe"])
    finally:
        del _jit._WARMUPS["probe"]
    assert calls == [np.dtype("float64"), np.dtype("float32")]
    assert set(timings) == {("probe", "float64"), ("probe", "float32")}


def test_num_threads_restores_the_count_even_on_error():
    before = numba.get_num_threads()
    with pytest.raises(RuntimeError), _jit.num_threads(1):
        assert numba.get_num_threads() == 1
        raise RuntimeError
    assert numba.get_num_threads() == before


@pytest.mark.skipif(numba.config.DISABLE_JIT, reason="compiles nothing without the JIT")
def test_warmup_covers_every_algorithm():
    timings = _jit.warmup(dtypes=("float64",))
    names = {name for name, _ in timings}
    assert {"kmeans", "agglomerative", "dbscan", "mixture", "metrics"} <= names
