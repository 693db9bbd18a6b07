"""The n_init runner (purecluster._runs): draws in order, results in order, errors as a loop."""

import threading
import time

import numpy as np
import pytest

from purecluster import _runs


def _draw_and_run(log):
    """A draw that logs its order and thread, and a run that takes varying time."""

    def draw(i):
        log.append(("draw", i, threading.get_ident()))
        return i

    def run(i):
        time.sleep(0.002 * ((7 * i) % 5))  # runs finish out of order
        return i * i

    return draw, run


@pytest.mark.parametrize("n_workers", [1, 2, 3])
def test_draws_in_order_and_results_in_order(n_workers):
    log = []
    draw, run = _draw_and_run(log)
    results = list(_runs.run_in_order(9, draw, run, n_workers))
    assert results == [i * i for i in range(9)]
    assert [entry[1] for entry in log] == list(range(9))
    if n_workers > 1:  # the runs really went to worker threads
        assert threading.get_ident() not in {entry[2] for entry in log}


def test_first_failing_run_is_raised_and_later_runs_are_not_started():
    started = []

    def draw(i):
        started.append(i)
        return i

    def run(i):
        if i == 2:
            time.sleep(0.05)  # fails after run 3
            raise ValueError("run 2")
        if i == 3:
            raise ValueError("run 3")
        return i

    with pytest.raises(ValueError, match="run 2"):
        list(_runs.run_in_order(20, draw, run, 2))
    # runs are drawn in order and stop once one has failed
    assert started == list(range(len(started)))
    assert len(started) < 20


def test_failing_draw_is_raised():
    def draw(i):
        if i == 1:
            raise TypeError("bad start")
        return i

    with pytest.raises(TypeError, match="bad start"):
        list(_runs.run_in_order(5, draw, lambda s: s, 2))


def test_loop_yields_each_run_before_drawing_the_next():
    log = []

    def draw(i):
        log.append(f"draw {i}")
        return i

    for result in _runs.run_in_order(3, draw, lambda s: s, 1):
        log.append(f"result {result}")
    assert log == ["draw 0", "result 0", "draw 1", "result 1", "draw 2", "result 2"]


def test_single_threaded_blas_restores_the_thread_count():
    libraries = _runs._openblas_libraries()
    if not libraries:
        pytest.skip("NumPy's BLAS is not an OpenBLAS this module can drive")
    before = [blas.get() for blas in libraries]
    with _runs.single_threaded_blas():
        with _runs.single_threaded_blas():  # nested: the outer one restores
            assert all(blas.get() == 1 for blas in libraries)
        assert all(blas.get() == 1 for blas in libraries)
    assert [blas.get() for blas in libraries] == before


def test_single_threaded_blas_restores_after_an_error():
    libraries = _runs._openblas_libraries()
    if not libraries:
        pytest.skip("NumPy's BLAS is not an OpenBLAS this module can drive")
    before = [blas.get() for blas in libraries]
    with pytest.raises(RuntimeError):
        with _runs.single_threaded_blas():
            raise RuntimeError
    assert [blas.get() for blas in libraries] == before


def test_parallel_workers_honours_numba_thread_count():
    import numba

    previous = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        assert _runs.parallel_workers(10) == 1
    finally:
        numba.set_num_threads(previous)
    assert _runs.parallel_workers(1) == 1
    assert 1 <= _runs.parallel_workers(10) <= min(10, previous)


def test_products_are_the_same_in_worker_threads():
    """A BLAS product in a worker (OpenBLAS on one thread) is a valid product."""
    rng = np.random.default_rng(0)
    A, B = rng.random((300, 40)), rng.random((40, 50))
    results = list(_runs.run_in_order(4, lambda i: i, lambda i: A @ B + i, 2))
    for i, product in enumerate(results):
        np.testing.assert_allclose(product, A @ B + i, rtol=1e-13)
