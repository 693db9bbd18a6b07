"""Fast tests of the benchmark runner (``benchmarks/``) on tiny fake workloads.

No timing assertions: only structure, statuses, ratios derived from the
recorded times, the written files and the memory measurement.
"""

from __future__ import annotations

import json
import statistics
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `benchmarks` is not installed; run it from the checkout
    sys.path.insert(0, str(ROOT))

from benchmarks import memory  # noqa: E402
from benchmarks.checks import assert_same_arrays  # noqa: E402
from benchmarks.cli import main  # noqa: E402
from benchmarks.registry import REGISTRY, Impl, Registry, Workload, workload  # noqa: E402

FAST = ["--quick", "--repeat", "3", "--no-plot", "--no-memory", "--quiet"]


def _double(x):
    return x * 2


def _fake_registry(implementations=None, quick=(1_000,), full=(10_000,)) -> Registry:
    """``fake.double``: by default a reference, a correct, a wrong and a missing implementation."""
    if implementations is None:
        implementations = {
            "scikit-learn": Impl(_double, requires="numpy"),
            "purecluster": Impl(lambda x: x + x, requires="numpy"),
            "wrong": Impl(lambda x: x * 3, requires="numpy"),
            "absent": Impl(_double, requires="no_such_package_xyz"),
        }
    reg = Registry()
    reg.register(
        Workload(
            name="double",
            group="fake",
            description="double an array",
            setup=lambda n: np.arange(n, dtype=np.float64),
            implementations=implementations,
            check=np.testing.assert_array_equal,
            quick=list(quick),
            full=list(full),
        )
    )
    return reg


def _run(tmp_path, argv, registry, capsys):
    code = main([*argv, "--out", str(tmp_path)], registry=registry)
    out, err = capsys.readouterr()
    return code, out, err


def _table_rows(out: str) -> list[list[str]]:
    lines = [line for line in out.splitlines() if line.startswith("| ")]
    return [[c.strip() for c in line.strip("|").split("|")] for line in lines[1:]]


def _results(tmp_path, stem="results-quick"):
    return json.loads((tmp_path / f"{stem}.json").read_text())


def test_table_has_a_row_per_implementation_with_statuses(tmp_path, capsys):
    code, out, err = _run(tmp_path, FAST, _fake_registry(), capsys)
    rows = {r[2]: r for r in _table_rows(out)}
    assert set(rows) == {"scikit-learn", "purecluster", "wrong", "absent"}
    assert rows["scikit-learn"][-1] == "reference"
    assert rows["purecluster"][-1] == "ok"
    assert rows["wrong"][-1] == "FAILED"
    assert rows["absent"][-1] == "not installed"
    assert rows["scikit-learn"][8] == "1.00×"
    assert rows["absent"][3] == "—"  # no timing for a missing implementation
    assert "no_such_package_xyz" in out  # the notes say why
    assert code == 1  # a FAILED row makes the run fail


def test_failed_row_is_still_timed_and_ratios_use_the_reference(tmp_path, capsys):
    _run(tmp_path, FAST, _fake_registry(), capsys)
    results = {r["implementation"]: r for r in _results(tmp_path)["results"]}
    sk = results["scikit-learn"]
    assert sk["ratio_vs_sklearn"] == 1.0
    for name in ("purecluster", "wrong"):
        r = results[name]
        assert r["repeats"] == 3 and r["first_call_s"] is not None
        assert r["median_s"] == statistics.median(r["times_s"])
        assert r["ratio_vs_sklearn"] == pytest.approx(r["median_s"] / sk["median_s"])
        assert r["ratio_vs"]["scikit-learn"] == pytest.approx(r["ratio_vs_sklearn"])
    assert results["wrong"]["status"] == "FAILED"
    assert "differs from scikit-learn" in results["wrong"]["detail"]
    assert results["absent"]["repeats"] == 0


def test_json_and_markdown_record_the_machine(tmp_path, capsys):
    _run(tmp_path, FAST, _fake_registry(), capsys)
    doc = _results(tmp_path)
    assert doc["machine"]["logical_cpus"] >= 1
    assert doc["machine"]["cpu_model"]
    assert doc["software"]["numpy"] == np.__version__
    assert "OMP_NUM_THREADS" in doc["env"] and "numba" in doc["threads"]
    assert doc["settings"]["quick"] is True and doc["settings"]["repeat"] == 3
    assert "--quick" in doc["command"] and doc["date"]
    md = (tmp_path / "results-quick.md").read_text()
    assert "CPU:" in md and "| fake.double |" in md
    assert not (tmp_path / "results-quick.png").exists()  # --no-plot
    assert not (tmp_path / "results.json").exists()  # quick runs do not overwrite


def test_full_run_writes_results_and_plot(tmp_path, capsys):
    argv = ["--repeat", "2", "--no-memory", "--only", "fake"]
    code, _, err = _run(tmp_path, argv, _fake_registry(), capsys)
    # a run restricted with --only publishes under its own name
    expected = {"results-fake.json", "results-fake.md", "results-fake.png"}
    assert expected <= {p.name for p in tmp_path.iterdir()}
    assert "repeat 2/2" in err and "warm-up" in err  # progress display
    assert _results(tmp_path, "results-fake")["results"][0]["size"] == 10_000


def test_missing_scikit_learn_shows_a_dash(tmp_path, capsys):
    reg = Registry()
    reg.register(
        Workload(
            name="only_purecluster",
            group="fake",
            setup=lambda n: np.ones(n),
            implementations={
                "purecluster": Impl(np.sum, requires="numpy"),
                "scikit-learn": Impl(np.sum, requires="no_such_sklearn_xyz"),
            },
            check=np.testing.assert_allclose,
            quick=[10],
        )
    )
    code, out, _ = _run(tmp_path, FAST, reg, capsys)
    rows = {r[2]: r for r in _table_rows(out)}
    assert rows["purecluster"][8] == "—"
    assert rows["purecluster"][-1] == "reference"  # first available implementation
    assert rows["scikit-learn"][-1] == "not installed"
    assert code == 0


def test_an_implementation_that_raises_is_an_error_row(tmp_path, capsys):
    def boom(x):
        raise RuntimeError("kaput")

    reg = _fake_registry()
    reg.get("fake.double").implementations["purecluster"] = Impl(boom, requires="numpy")
    code, out, _ = _run(tmp_path, FAST, reg, capsys)
    rows = {r[2]: r for r in _table_rows(out)}
    assert rows["purecluster"][-1] == "ERROR"
    assert "RuntimeError: kaput" in out
    assert code == 1


def test_per_unit_times_are_divided_by_the_count(tmp_path, capsys):
    reg = Registry()
    w = reg.register(
        Workload(
            name="iterate",
            group="fake",
            setup=lambda n: n,
            implementations={"scikit-learn": Impl(lambda n: n, requires="numpy")},
            per="iteration",
            count=lambda result: result,
            flops=lambda n: 1e3,
            quick=[1_000_000],
        )
    )
    _, out, _ = _run(tmp_path, FAST, reg, capsys)
    assert "/iteration" in out and "GFLOP/s" in out
    (row,) = _results(tmp_path)["results"]
    assert row["per"] == "iteration"
    assert row["gflops"] == pytest.approx(1e3 / row["median_s"] / 1e9)
    with pytest.raises(ValueError):
        Workload(name="bad", group="fake", setup=w.setup, per="iteration")


def test_only_selects_by_name_group_prefix_and_comma_list(capsys):
    reg = Registry()
    for full in ("alpha.one", "alpha.two", "beta.one", "beta.other"):
        group, name = full.split(".")
        reg.register(Workload(name=name, group=group, setup=lambda s: s))

    def names(*tokens):
        return [w.full_name for w in reg.select(tokens)]

    assert names() == ["alpha.one", "alpha.two", "beta.one", "beta.other"]
    assert names("alpha") == ["alpha.one", "alpha.two"]
    assert names("beta.o") == ["beta.one", "beta.other"]
    assert names("beta.one,alpha.two") == ["alpha.two", "beta.one"]
    assert names("alpha.one", "beta.other") == ["alpha.one", "beta.other"]
    assert names("*.one") == ["alpha.one", "beta.one"]
    with pytest.raises(KeyError):
        reg.select(["gamma"])

    assert main(["--list", "--only", "beta"], registry=reg) == 0
    listed = capsys.readouterr().out
    assert "beta.one" in listed and "alpha.one" not in listed
    assert main(["--list", "--only", "gamma"], registry=reg) == 2


def test_only_runs_just_the_selected_workloads(tmp_path, capsys):
    reg = _fake_registry()
    reg.register(
        Workload(
            name="other",
            group="skipped",
            setup=lambda n: n,
            implementations={"scikit-learn": Impl(lambda n: n, requires="numpy")},
        )
    )
    _, out, _ = _run(tmp_path, [*FAST, "--only", "fake.double"], reg, capsys)
    assert {r[0] for r in _table_rows(out)} == {"fake.double"}


def test_decorator_registration():
    reg = Registry()

    @workload("triple", group="fake", registry=reg, quick=[3])
    def triple(n):
        """Triple a range."""
        return np.arange(n)

    @triple.implementation("scikit-learn", requires="numpy")
    def _(x):
        return 3 * x

    assert reg.get("fake.triple") is triple
    assert triple.description == "Triple a range."
    assert list(triple.impls()) == ["scikit-learn"]


@pytest.mark.parametrize("free_inside", [False, True])
def test_peak_memory_sees_a_50_mb_allocation(free_inside):
    n = 50_000_000 // 8

    def allocate(_):
        a = np.ones(n)  # written, so resident
        return float(a.sum()) if free_inside else a

    mb = memory.peak_mb(allocate, None)
    assert 40 < mb < 90, (mb, memory.method())


def test_dataset_workloads_are_registered_with_an_exact_check():
    from benchmarks.workloads import load_all

    registry = load_all()
    expected = {"make_blobs", "make_classification", "make_moons", "make_circles", "load_digits"}
    datasets = {w.name: w for w in registry.select(["datasets"])}
    assert expected <= set(datasets)
    for w in datasets.values():
        assert {"purecluster", "scikit-learn"} <= set(w.implementations)
        assert w.quick and w.full and w.check is not None
    x = np.arange(6.0).reshape(3, 2)
    y = np.array([0, 1, 0])
    datasets["make_moons"].check((x, y), (x.copy(), y.copy()))
    with pytest.raises(AssertionError, match="y: dtype"):
        assert_same_arrays((x, y), (x, y.astype(np.int32)))
    x2 = x.copy()
    x2[1, 0] += 0.5
    with pytest.raises(AssertionError, match="X: 1 of 6 elements differ"):
        assert_same_arrays((x, y), (x2, y))


def test_cold_compile_runs_in_fresh_processes(tmp_path, capsys):
    module = tmp_path / "fake_cold_workload.py"
    module.write_text(
        textwrap.dedent(
            """
            import numpy as np
            from benchmarks.registry import Impl, Workload, register

            register(Workload(
                name="cold", group="fakecold", setup=lambda n: np.arange(n),
                implementations={"purecluster": Impl(np.cumsum, requires="numpy")},
                quick=[100],
            ))
            """
        )
    )
    from benchmarks.cold import _load_file

    _load_file(str(module))
    try:
        argv = [*FAST, "--cold", "--only", "fakecold", "--out", str(tmp_path / "out")]
        assert main(argv) == 0
    finally:
        REGISTRY.unregister("fakecold.cold")
    out = capsys.readouterr().out
    assert "cold compile" in out and "warm cache" in out
    (row,) = _results(tmp_path / "out", "results-fakecold-quick")["results"]
    assert row["cold"]["cold_first_call_s"] is not None, row["cold"]
    assert row["cold"]["warm_cache_first_call_s"] is not None


def test_short_calls_are_timed_in_samples_of_back_to_back_calls(tmp_path, capsys):
    """A call under MIN_SAMPLE_S is repeated within each timed sample; a longer one is not.

    The counts of calls are structural (a 60 ms sleep is never under 50 ms);
    the recorded time is per call, the sample's mean.
    """
    from benchmarks import runner

    counts = {"fast": 0, "slow": 0}

    def fast(x):
        counts["fast"] += 1
        return x + x

    def slow(x):
        counts["slow"] += 1
        import time

        time.sleep(runner.MIN_SAMPLE_S + 0.01)
        return x + x

    reg = _fake_registry(
        {"scikit-learn": Impl(slow, requires="numpy"), "purecluster": Impl(fast, requires="numpy")},
        quick=[10],
        full=[10],
    )
    _, out, _ = _run(tmp_path, FAST, reg, capsys)
    results = {r["implementation"]: r for r in _results(tmp_path)["results"]}
    fast_calls = results["purecluster"]["calls"]
    assert fast_calls > 1 and results["scikit-learn"]["calls"] == 1
    # warm-up, calibration (four calls unless the first takes over a second), 3 samples
    assert counts["slow"] == 1 + 1 + runner.CALIBRATION_CALLS + 3
    assert counts["fast"] == 1 + 1 + runner.CALIBRATION_CALLS + 3 * fast_calls
    assert results["scikit-learn"]["min_s"] >= runner.MIN_SAMPLE_S  # per call, not per sample
    rows = {r[2]: r for r in _table_rows(out)}
    assert rows["purecluster"][5] == f"3×{fast_calls}" and rows["scikit-learn"][5] == "3"
    assert runner.calls_per_sample(0.0) == runner.MAX_CALLS
    assert runner.calls_per_sample(runner.MIN_SAMPLE_S / 4) == 4
    assert runner.calls_per_sample(1.0) == 1
