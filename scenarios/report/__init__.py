"""The HTML report of a placement round: one self-contained page, figures embedded."""

from scenarios.report.render import render_report, write_report

__all__ = ["render_report", "write_report"]
