"""The report's figures, drawn with matplotlib and embedded as base64 PNG data URIs.

Figures are built on `matplotlib.figure.Figure` rather than pyplot, so no global figure
registry grows and nothing needs a display; each figure is freed once encoded.
"""

import base64
import io
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, PercentFormatter

from scenarios.report.content import (
    ATTRIBUTE_LABELS,
    BoardRepresentation,
    BoardSkills,
    FillBar,
    Spend,
    money,
    percent,
)

DPI = 110
NHS_BLUE = "#005eb8"
DARK_BLUE = "#003087"
GREY = "#768692"
LIGHT_GREY = "#e8edee"
GROUP_COLOURS = {
    "all": DARK_BLUE,
    "region": NHS_BLUE,
    "challenged": "#ed8b00",
    "difficult": "#7c2855",
}
PACKAGE_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442")
#: Board cells coloured by members above (or below) the requirement: short 2+, 1, met, +1, +2+.
SURPLUS_COLOURS = ("#d55e00", "#f4b183", "#c6dbef", "#6baed6", "#2171b5")
SURPLUS_LABELS = ("short by 2+", "short by 1", "met exactly", "1 spare", "2+ spare")
NAME_WIDTH = 46
#: Inches per skill column of the board heatmaps; beyond SIDE_BY_SIDE_COLUMNS they stack.
CELL_WIDTH = 0.62
SIDE_BY_SIDE_COLUMNS = 5
#: Inches a heatmap figure needs to fit its colour legend on one row.
LEGEND_ONE_ROW_WIDTH = 6.5


@dataclass(frozen=True)
class Plot:
    """One figure of the page, or the note that stands in for it when there is no data."""

    id: str
    title: str
    caption: str
    alt: str = ""
    src: str | None = None
    note: str = ""


def missing(plot_id: str, title: str, note: str) -> Plot:
    """A placeholder saying why a figure is not drawn."""
    return Plot(id=plot_id, title=title, caption="", note=note)


def _data_uri(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _tidy(ax: Axes) -> None:
    ax.spines[["top", "right"]].set_visible(False)


def fill_by_region(bars: list[FillBar]) -> Plot:
    """Horizontal bars of fill rate, one per group, labelled with the counts behind them."""
    fig = Figure(figsize=(7.6, 0.42 * len(bars) + 0.9))
    ax = fig.subplots()
    y = np.arange(len(bars))[::-1]
    ax.barh(y, [b.rate for b in bars], color=[GROUP_COLOURS[b.group] for b in bars], height=0.62)
    for yi, bar in zip(y, bars, strict=True):
        label = f"{percent(bar.rate)}  ({bar.filled} of {bar.roles})"
        ax.text(bar.rate + 0.01, yi, label, va="center", fontsize=9)
    ax.set_yticks(y, [b.label for b in bars])
    ax.set_xlim(0, 1.25)
    ax.set_xticks(np.linspace(0, 1, 6))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("roles filled")
    _tidy(ax)
    alt = "Bar chart of fill rate: " + "; ".join(
        f"{b.label} {percent(b.rate)} ({b.filled} of {b.roles})" for b in bars
    )
    return Plot(
        id="plot-fill-by-region",
        title="Fill rate by region",
        caption=(
            "Share of roles filled, overall and in each region (of the role's organisation), "
            "with the challenged organisations and the difficult-to-recruit roles the review "
            "asks to prioritise."
        ),
        alt=alt,
        src=_data_uri(fig),
    )


def _pounds(value: float, _position: int) -> str:
    return f"£{value / 1000:,.0f}k"


def spend_against_budget(spend: Spend) -> Plot:
    """One stacked bar of spend by paid package, with the budget marked against it."""
    fig = Figure(figsize=(7.6, 1.9))
    ax = fig.subplots()
    paid = [item for item in spend.by_package if item.spend]
    left = 0
    handles = []
    for i, item in enumerate(paid):
        colour = PACKAGE_COLOURS[i % len(PACKAGE_COLOURS)]
        ax.barh(0, item.spend, left=left, color=colour, height=0.6)
        label = f"{item.name}: {item.placements} × {money(item.cost)} = {money(item.spend)}"
        handles.append(Patch(color=colour, label=label))
        left += item.spend
    if spend.budget is not None:
        ax.axvline(spend.budget, color="black", linewidth=2)
        ax.text(spend.budget, 0.42, f" budget {money(spend.budget)}", va="bottom", fontsize=9)
    ax.set_xlim(0, max(spend.total, spend.budget or 0, 1) * 1.15)
    ax.set_ylim(-0.5, 0.75)
    ax.set_yticks([])
    ax.xaxis.set_major_formatter(FuncFormatter(_pounds))
    ax.set_xlabel("package spend")
    _tidy(ax)
    ax.spines["left"].set_visible(False)
    if handles:
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0, -0.42),
            fontsize=8.5,
            frameon=False,
        )
    unpaid = sum(item.placements for item in spend.by_package if not item.spend)
    used = "" if spend.used is None else f" ({percent(spend.used)} of the budget)"
    return Plot(
        id="plot-spend",
        title="Spend against budget",
        caption=(
            f"Package spend {money(spend.total)}{used}, split by paid package; the black line is "
            f"the budget ({money(spend.budget)}). {unpaid} placements need no paid package."
        ),
        alt=(
            f"Stacked bar of package spend {money(spend.total)} against a budget of "
            f"{money(spend.budget)}: "
            + "; ".join(f"{p.name} {p.placements} placements {money(p.spend)}" for p in paid)
        ),
        src=_data_uri(fig),
    )


def _short_name(name: str) -> str:
    return name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 1].rstrip() + "…"


def _surplus(counts: list[list[int]], needs: list[list[int | None]]) -> np.ndarray:
    """Members above the requirement (NaN where the board has none), clipped to -2..2."""
    values = np.array(
        [
            [np.nan if n is None else c - n for c, n in zip(cr, nr, strict=True)]
            for cr, nr in zip(counts, needs, strict=True)
        ],
        dtype=float,
    )
    return np.clip(values, -2, 2)


def _matrix_panel(
    ax: Axes, counts: list[list[int]], needs: list[list[int | None]], title: str
) -> None:
    cmap = ListedColormap(SURPLUS_COLOURS).with_extremes(bad=LIGHT_GREY)
    norm = BoundaryNorm(np.arange(-2.5, 3.0, 1.0), cmap.N)
    surplus = _surplus(counts, needs)
    ax.imshow(np.ma.masked_invalid(surplus), cmap=cmap, norm=norm, aspect="auto")
    for i, (row, row_needs) in enumerate(zip(counts, needs, strict=True)):
        for j, (count, need) in enumerate(zip(row, row_needs, strict=True)):
            text = str(count) if need is None else f"{count}/{need}"
            dark = need is not None and surplus[i, j] in (-2, 2)
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=8.5,
                color="white" if dark else "black",
            )
    ax.set_title(title, fontsize=10)
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)


def _matrix_axes(fig: Figure, n_columns: int) -> tuple[Axes, Axes]:
    """Before and after side by side; stacked when the skills would make the pair too wide."""
    if n_columns <= SIDE_BY_SIDE_COLUMNS:
        before_ax, after_ax = fig.subplots(1, 2, sharey=True)
        fig.subplots_adjust(left=0.0, right=1.0, bottom=0.02, top=1.0, wspace=0.1)
    else:
        before_ax, after_ax = fig.subplots(2, 1)
        fig.subplots_adjust(left=0.0, right=1.0, bottom=0.02, top=1.0, hspace=0.18)
    return before_ax, after_ax


def board_skills_matrix(board: BoardSkills) -> Plot:
    """Heatmaps of board members holding each required skill, before and after the round."""
    rows, columns = board.rows, board.columns
    side_by_side = len(columns) <= SIDE_BY_SIDE_COLUMNS
    panel_width = max(1.6, CELL_WIDTH * len(columns))
    panel_height = 0.3 * len(rows) + 0.6
    fig = Figure(
        figsize=(2 * panel_width + 0.2, panel_height)
        if side_by_side
        else (panel_width, 2 * panel_height + 0.6)
    )
    before_ax, after_ax = _matrix_axes(fig, len(columns))
    needs = [r.need for r in rows]
    _matrix_panel(before_ax, [r.before for r in rows], needs, "Before")
    _matrix_panel(after_ax, [r.after for r in rows], needs, "After")
    labels = [f"{_short_name(r.name)} (+{r.placed})" for r in rows]
    for ax in (before_ax, after_ax):
        ax.set_yticks(range(len(rows)), labels, fontsize=8.5)
        ax.set_xticks(
            range(len(columns)),
            [f"{c.skill.replace('_', ' ')}\n≥ {c.level}" for c in columns],
            fontsize=8.5,
        )
        ax.xaxis.tick_top()
    handles = [
        Patch(color=c, label=s) for c, s in zip(SURPLUS_COLOURS, SURPLUS_LABELS, strict=True)
    ]
    handles.append(Patch(color=LIGHT_GREY, label="no requirement"))
    fig.legend(
        handles=handles,
        loc="upper center",
        ncol=len(handles) if fig.get_figwidth() >= LEGEND_ONE_ROW_WIDTH else 3,
        fontsize=8,
        frameon=False,
        bbox_to_anchor=(0.5, 0.0),
    )
    met_before = sum(r.met_before for r in board.requirements)
    met_after = sum(r.met_after for r in board.requirements)
    total = sum(r.boards for r in board.requirements)
    shown = (
        f"the {len(rows)} of {board.boards_with_roles} boards with board-level roles that "
        "received most placements"
        if len(rows) < board.boards_with_roles
        else f"all {len(rows)} boards with board-level roles"
    )
    return Plot(
        id="plot-board-skills",
        title="Board skills matrix, before and after",
        caption=(
            f"Rows: {shown} (+n: board-level placements this round). Before: the existing "
            "board; after: with this round's placements. Each cell: members at or above the "
            "skill level / members the board requires; colour shows how far the board is above "
            "or below its requirement, grey where it has none."
        ),
        alt=(
            f"Heatmaps of board skills for {len(rows)} boards and {len(columns)} required skills; "
            f"board requirements met: {met_before} of {total} before, {met_after} of {total} after."
        ),
        src=_data_uri(fig),
    )


def _bar_label(ax: Axes, x: float, share: float | None, suppressed: bool) -> None:
    if suppressed:
        ax.text(
            x, 0.02, "suppressed", rotation=90, ha="center", va="bottom", fontsize=8, color=GREY
        )
    elif share is not None:
        ax.text(x, share + 0.01, percent(share, 0), ha="center", va="bottom", fontsize=8.5)


def representation_before_after(rows: list[BoardRepresentation]) -> Plot:
    """Grouped bars per attribute: boards before, after, and the community they serve."""
    overall = [r for r in rows if r.scope == "all"]
    fig = Figure(figsize=(7.6, 3.6))
    ax = fig.subplots()
    x = np.arange(len(overall))
    series = (
        ("Board before", GREY, lambda r: (r.before.share, r.before.suppressed)),
        ("Board after", NHS_BLUE, lambda r: (r.after.share, r.after.suppressed)),
        ("Community served", "#41b6e6", lambda r: (r.community, False)),
    )
    for k, (label, colour, value) in enumerate(series):
        offset = (k - 1) * 0.26
        for xi, row in zip(x, overall, strict=True):
            share, suppressed = value(row)
            ax.bar(
                xi + offset,
                share or 0.0,
                width=0.24,
                color=colour,
                label=label if xi == 0 else None,
            )
            _bar_label(ax, xi + offset, share, suppressed)
    ax.set_xticks(x, [ATTRIBUTE_LABELS[r.attribute] for r in overall])
    ax.set_ylim(0, 1.0)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylabel("share of people whose attribute is known")
    ax.legend(frameon=False, fontsize=9, loc="upper right")
    _tidy(ax)
    alt = "Grouped bar chart of board representation: " + "; ".join(
        f"{ATTRIBUTE_LABELS[r.attribute]} before "
        f"{'suppressed' if r.before.suppressed else percent(r.before.share)}, after "
        f"{'suppressed' if r.after.suppressed else percent(r.after.share)}, community "
        f"{percent(r.community)}"
        for r in overall
    )
    return Plot(
        id="plot-representation",
        title="Board representation against the community served",
        caption=(
            "Share of board members with each attribute across all boards: existing members "
            "(before), existing members plus the people placed in board-level roles, each counted "
            "once (after), and the mean community share of the organisations. People whose "
            "attribute is unknown or not disclosed are left out of the denominator."
        ),
        alt=alt,
        src=_data_uri(fig),
    )
