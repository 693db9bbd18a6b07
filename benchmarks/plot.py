"""``results.png``: median time relative to scikit-learn, one bar per implementation."""

from __future__ import annotations

from pathlib import Path

from benchmarks.runner import REFERENCE, Row

COLORS = ("#1f77b4", "#7f7f7f", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2")


def plot(rows: list[Row], path: Path, title: str) -> bool:
    """Horizontal bars on a log scale; returns False when there is nothing to draw.

    Bars show ``ratio_vs_sklearn`` (left of the line at 1: faster than
    scikit-learn; scikit-learn itself is the line).  Without any scikit-learn
    timing, median times are drawn instead.  FAILED rows are hatched and labelled.
    """
    use_ratio = any(r.ratio_vs_sklearn is not None and r.implementation != REFERENCE for r in rows)
    value = (lambda r: r.ratio_vs_sklearn) if use_ratio else (lambda r: r.median_s)
    drawn = [r for r in rows if value(r) and not (use_ratio and r.implementation == REFERENCE)]
    if not drawn:
        return False

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cases = list(dict.fromkeys((r.workload, r.size_label) for r in drawn))
    impls = list(dict.fromkeys(r.implementation for r in drawn))
    height = 0.8 / len(impls)
    fig, ax = plt.subplots(figsize=(9, 1.0 + 0.35 * len(drawn) + 0.3 * len(cases)))
    for j, impl in enumerate(impls):
        for r in (r for r in drawn if r.implementation == impl):
            y = cases.index((r.workload, r.size_label)) + (j - (len(impls) - 1) / 2) * height
            _bar(ax, y, value(r), height, COLORS[j % len(COLORS)], r, impl, j)
    ax.set_yticks(range(len(cases)), [f"{w}\n{s}" for w, s in cases], fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    if use_ratio:
        ax.axvline(1.0, color="black", linewidth=0.8)
        ax.set_xlabel(f"median time / {REFERENCE} median (log; < 1 is faster)")
    else:
        ax.set_xlabel("median time, s (log)")
    ax.set_title(title, fontsize=10)
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    ax.legend(list(unique.values()), list(unique), fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


def _bar(ax, y: float, x: float, height: float, color: str, row: Row, impl: str, j: int) -> None:
    failed = row.status in ("FAILED", "ERROR")
    ax.barh(
        y,
        x,
        height=height,
        color=color,
        hatch="//" if failed else None,
        edgecolor="red" if failed else color,
        label=impl,
    )
    text = f"{x:.3g}" + (f" {row.status}" if failed else "")
    ax.annotate(text, (x, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=7)
