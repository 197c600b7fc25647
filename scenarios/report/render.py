"""Render a Problem and its Solution as one self-contained HTML page (no external resources)."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from models.problem import Problem
from models.solution import Solution
from scenarios.report import plots
from scenarios.report.content import (
    ATTRIBUTE_LABELS,
    ReportContent,
    money,
    number,
    percent,
    report_content,
)
from scenarios.report.plots import Plot

TEMPLATES = Path(__file__).parent / "templates"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        percent=percent, money=money, number=number, attribute_label=ATTRIBUTE_LABELS.get
    )
    return env


def _fill_plot(content: ReportContent, no_result: str) -> Plot:
    if no_result:
        return plots.missing("plot-fill-by-region", "Fill rate by region", no_result)
    return plots.fill_by_region(content.fill)


def _spend_plot(content: ReportContent, no_result: str) -> Plot:
    title = "Spend against budget"
    if no_result:
        return plots.missing("plot-spend", title, no_result)
    if content.spend.total == 0 and content.spend.budget is None:
        return plots.missing(
            "plot-spend", title, "No package was used and the budget is unlimited."
        )
    return plots.spend_against_budget(content.spend)


def _board_plot(content: ReportContent, no_result: str) -> Plot:
    title = "Board skills matrix, before and after"
    board = content.board_skills
    if not content.board_round:
        note = "Not a board round: no board has requirements and no board-level role was filled."
        return plots.missing("plot-board-skills", title, note)
    if no_result:
        return plots.missing("plot-board-skills", title, no_result)
    if not board.columns or not board.rows:
        note = "No board with board-level roles has skill requirements to chart."
        return plots.missing("plot-board-skills", title, note)
    return plots.board_skills_matrix(board)


def _representation_plot(content: ReportContent, no_result: str) -> Plot:
    title = "Board representation against the community served"
    if no_result:
        return plots.missing("plot-representation", title, no_result)
    overall = [r for r in content.board_representation if r.scope == "all"]
    if all(r.before.suppressed and r.after.suppressed and r.community is None for r in overall):
        note = (
            "Every board count is below the disclosure threshold and no community share is known."
        )
        return plots.missing("plot-representation", title, note)
    return plots.representation_before_after(content.board_representation)


def figures(content: ReportContent) -> dict[str, Plot]:
    """Each figure of the page, or a note saying why it is not drawn."""
    header = content.header
    no_result = (
        "" if header.status_ok else f"No placements to chart: the solve ended {header.status}."
    )
    return {
        "fill": _fill_plot(content, no_result),
        "spend": _spend_plot(content, no_result),
        "board": _board_plot(content, no_result),
        "representation": _representation_plot(content, no_result),
    }


def render_report(problem: Problem, solution: Solution, *, title: str, subtitle: str = "") -> str:
    """The report as one HTML string: figures inline, every value escaped."""
    content = report_content(problem, solution, title=title, subtitle=subtitle)
    template = _environment().get_template("report.html.j2")
    return template.render(c=content, figures=figures(content))


def write_report(
    path: Path, problem: Problem, solution: Solution, *, title: str, subtitle: str = ""
) -> Path:
    """Write the report to `path` (parents created) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        render_report(problem, solution, title=title, subtitle=subtitle), encoding="utf-8"
    )
    return path
