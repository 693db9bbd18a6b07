"""The package as a user meets it: installed metadata, no oracle needed, the demo."""

import os
import subprocess
import sys

import pytest

import purecluster

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_version_is_defined_once():
    from purecluster._version import __version__

    assert purecluster.__version__ == __version__


def test_imports_and_generates_data_without_sklearn_or_scipy(run_without_oracles):
    result = run_without_oracles(
        """
        import numpy as np
        import purecluster
        from purecluster import datasets
        from purecluster.datasets import seminar_datasets, load_digits
        for name, (X, y) in seminar_datasets():
            assert X.shape == (500, 2) and y.shape == (500,), name
        digits = load_digits()
        assert digits.data.shape == (1797, 64)
        import sklearn
        """
    )
    # the last line proves the block is in force
    assert "sklearn is blocked in this test" in result.stderr, result.stderr
    assert result.stderr.count("Traceback") == 1, result.stderr


def test_demo_draws_every_seminar_figure(tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=REPO_ROOT)
    out = subprocess.run(
        [sys.executable, "-m", "purecluster", "demo", "--no-animations", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    expected = [
        "datasets.png",
        "kmeans_blobs.png",
        "kmeans_iterations.png",
        "grid_KMeans.png",
        "grid_AgglomerativeClustering.png",
        "grid_DBSCAN.png",
        "grid_GaussianMixture.png",
        "agglomerative_dendrogram.png",
        "dbscan_roles.png",
        "gmm_em.png",
        "digits_kmeans_centers.png",
        "digits_kmeans_members.png",
        "digits_mistakes.png",
        "digits_kmeans_confusion.png",
        "digits_kmeans_confusion_matched.png",
        "digits_gmm_means.png",
        "digits_gmm_confusion.png",
        "digits_gmm_confusion_matched.png",
        "digits_gmm_samples.png",
    ]
    for name in expected:
        assert (tmp_path / name).stat().st_size > 5_000, name
        assert str(tmp_path / name) in out.stdout
    # the summary table: 4 families x 5 data sets
    rows = [line for line in out.stdout.splitlines() if line.startswith("| ") and "ms |" in line]
    assert len(rows) == 20
    assert "| KMeans | blobs | 5 |" in out.stdout


@pytest.mark.tiny
def test_plotting_is_the_only_module_importing_matplotlib():
    package = os.path.join(REPO_ROOT, "purecluster")
    offenders = []
    for folder, _, files in os.walk(package):
        for name in files:
            if not name.endswith(".py") or name == "plotting.py":
                continue
            with open(os.path.join(folder, name)) as handle:
                for line in handle:
                    if line.lstrip().startswith(("import matplotlib", "from matplotlib")):
                        if not line.startswith(" "):
                            offenders.append(name)
    assert offenders == []
