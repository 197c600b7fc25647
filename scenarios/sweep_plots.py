"""Trade-off curves of a sweep: fill rate and fit against the first setting, merit against
representation."""

from itertools import groupby
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from models.common import ATTRIBUTES  # noqa: E402

DPI = 110


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _series(rows: list[dict[str, Any]], paths: list[str]) -> list[tuple[str, list[dict]]]:
    """Rows grouped by the settings other than the first, each group in grid order."""
    others = paths[1:]

    def key(row: dict[str, Any]) -> str:
        return " ".join(f"{p.rsplit('.', 1)[-1]}={row[p]}" for p in others)

    ordered = sorted(rows, key=key)
    return [(label, list(group)) for label, group in groupby(ordered, key=key)]


def plot_fill_and_fit(rows: list[dict[str, Any]], paths: list[str], path: Path) -> Path | None:
    """Fill rate and mean fit against the first varied setting (if it is a number)."""
    x_path = paths[0]
    if not all(_is_number(row[x_path]) for row in rows):
        return None
    fig, (fill_ax, fit_ax) = plt.subplots(1, 2, figsize=(11, 4))
    for label, group in _series(rows, paths):
        xs = [row[x_path] for row in group]
        fill_ax.plot(xs, [row["fill_rate"] for row in group], marker="o", label=label or "fill")
        fit_ax.plot(xs, [row["mean_fit"] for row in group], marker="o", label=label or "fit")
        if any(row["fill_rate_challenged"] is not None for row in group):
            fill_ax.plot(
                xs,
                [row["fill_rate_challenged"] for row in group],
                marker="s",
                linestyle="--",
                label=f"{label} challenged".strip(),
            )
    name = x_path.rsplit(".", 1)[-1]
    fill_ax.set(xlabel=name, ylabel="fill rate", title=f"Fill rate against {name}", ylim=(0, 1.05))
    fit_ax.set(xlabel=name, ylabel="mean fit (0..100)", title=f"Mean fit against {name}")
    for ax in (fill_ax, fit_ax):
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    return _save(fig, path)


def plot_merit_representation(
    rows: list[dict[str, Any]], paths: list[str], path: Path
) -> Path | None:
    """Total fit (merit) against the share of placements with each attribute, per point,
    each point labelled with its settings so the trade-off can be read off."""
    attributes = [a for a in ATTRIBUTES if any(row[f"share_{a}"] is not None for row in rows)]
    if not attributes:
        return None
    fig, axes = plt.subplots(
        1, len(attributes), figsize=(4.8 * len(attributes), 4.2), squeeze=False
    )
    for ax, attribute in zip(axes[0], attributes, strict=True):
        shown = [row for row in rows if row[f"share_{attribute}"] is not None]
        xs = [r[f"share_{attribute}"] for r in shown]
        ys = [r["total_fit"] for r in shown]
        ax.plot(xs, ys, marker="o", linestyle=":", alpha=0.8)
        for row, x, y in zip(shown, xs, ys, strict=True):
            label = ", ".join(str(row[p]) for p in paths)
            ax.annotate(label, (x, y), textcoords="offset points", xytext=(4, 4), fontsize=7)
        ax.set(
            xlabel=f"share {attribute.replace('_', ' ')} among placed",
            ylabel="total fit of placements (merit)",
            title=f"Merit against representation: {attribute.replace('_', ' ')}",
        )
        ax.grid(alpha=0.3)
    names = ", ".join(p.rsplit(".", 1)[-1] for p in paths)
    fig.suptitle(f"Each point is one grid point, labelled {names}", fontsize=9)
    return _save(fig, path)


def _save(fig: plt.Figure, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path
