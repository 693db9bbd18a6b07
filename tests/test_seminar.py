"""The seminar notebook runs top to bottom on purecluster alone, with scikit-learn's numbers.

The notebook is executed in a kernel that cannot import scikit-learn or
scipy; its printed numbers are then compared with scikit-learn's, computed
here, where scikit-learn is available as the oracle.
"""

import os
import re
import subprocess
import sys

import numpy as np
import pytest
from conftest import REPO_ROOT, without_oracles_env

NOTEBOOK = os.path.join(REPO_ROOT, "docs", "seminar.ipynb")
TWIN = os.path.join(REPO_ROOT, "docs", "seminar.py")

_EXECUTE = """
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=900, kernel_name="python3",
               resources={"metadata": {"path": sys.argv[3]}}).execute()
nbformat.write(nb, sys.argv[2])
"""


def test_notebook_and_its_text_twin_hold_the_same_cells():
    jupytext = pytest.importorskip("jupytext")
    notebook = jupytext.read(NOTEBOOK)
    twin = jupytext.read(TWIN)
    assert [c.source for c in notebook.cells] == [c.source for c in twin.cells]
    assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code")


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    import nbformat

    folder = tmp_path_factory.mktemp("seminar")
    target = folder / "seminar.executed.ipynb"
    result = subprocess.run(
        [sys.executable, "-c", _EXECUTE, NOTEBOOK, str(target), str(folder)],
        capture_output=True,
        text=True,
        env=without_oracles_env(),
        timeout=1200,
    )
    assert result.returncode == 0, result.stderr[-5000:]
    return nbformat.read(str(target), as_version=4)


def _text(cell):
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output.get("text", ""))
        elif "data" in output and "text/plain" in output["data"]:
            parts.append(output["data"]["text/plain"])
    return "".join(parts)


def _cell_containing(nb, snippet):
    for cell in nb.cells:
        if cell.cell_type == "code" and (snippet in cell.source or snippet == cell.source.strip()):
            return cell
    raise AssertionError(f"no cell contains {snippet!r}")


def test_every_cell_ran_without_error(executed):
    for cell in executed.cells:
        if cell.cell_type == "code":
            assert all(o.get("output_type") != "error" for o in cell.get("outputs", []))


def test_notebook_never_imported_the_oracles(executed):
    for cell in executed.cells:
        assert "blocked in this test" not in _text(cell)


def test_every_plotting_cell_drew_a_figure(executed):
    drawing = [
        c
        for c in executed.cells
        if c.cell_type == "code" and "plt.show()" in c.source and not c.source.startswith("def ")
    ]
    assert len(drawing) >= 15
    for cell in drawing:
        kinds = {k for o in cell.get("outputs", []) for k in o.get("data", {})}
        assert "image/png" in kinds, cell.source[:80]


def test_kmeans_cell_prints_scikit_learns_numbers(executed):
    sklearn_cluster = pytest.importorskip("sklearn.cluster")
    from purecluster.datasets import make_blobs

    X, _ = make_blobs(n_samples=500, n_features=2, centers=5, cluster_std=1.5, random_state=12345)
    reference = sklearn_cluster.KMeans(
        n_clusters=5, max_iter=100, init="random", n_init=10, random_state=10
    ).fit(X)
    text = _text(_cell_containing(executed, 'print("Inertia:", model.inertia_)'))
    inertia = float(re.search(r"Inertia: ([0-9.eE+-]+)", text).group(1))
    np.testing.assert_allclose(inertia, reference.inertia_, rtol=1e-12)
    first = re.search(r"Pred labels \(first 5\): \[([0-9 ]+)\]", text).group(1).split()
    np.testing.assert_array_equal(np.array(first, dtype=int), reference.labels_[:5])


def test_digits_contingency_matrix_is_scikit_learns(executed):
    sklearn_cluster = pytest.importorskip("sklearn.cluster")
    sklearn_metrics = pytest.importorskip("sklearn.metrics.cluster")
    from purecluster.datasets import load_digits

    digits = load_digits()
    X = digits.images.reshape(len(digits.images), -1)
    labels = sklearn_cluster.KMeans(n_clusters=10, n_init=10, random_state=12345).fit(X).labels_
    expected = sklearn_metrics.contingency_matrix(digits.target, labels)
    text = _text(_cell_containing(executed, "contingency_matrix(labels_true, labels_pred)"))
    numbers = np.array(re.findall(r"\d+", text), dtype=int)
    np.testing.assert_array_equal(numbers, expected.ravel())
