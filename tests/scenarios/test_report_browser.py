"""The HTML report as a reader sees it: opened offline in headless Chromium."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from matching.solve import solve
from models.problem import Problem
from models.solution import Conflict, Solution, SolveStatus
from scenarios.generate import generate_problem
from scenarios.report import write_report

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
TITLE = "Midlands placement round"
PLOT_IDS = ("plot-fill-by-region", "plot-spend", "plot-board-skills", "plot-representation")
KPI_CARDS = 9


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    """Headless Chromium driven by the system chromedriver; nothing is downloaded."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.skip(
            "Chromium/chromedriver not installed (Debian packages chromium chromium-driver): "
            f"missing {', '.join(missing)}"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def solved() -> tuple[Problem, Solution]:
    """The size-s full round (every rule in play, board requirements), solved once."""
    problem = generate_problem("s", seed=1)
    return problem, solve(problem, time_limit_s=20)


@pytest.fixture(scope="module")
def report(solved: tuple[Problem, Solution], tmp_path_factory: pytest.TempPathFactory) -> Path:
    problem, solution = solved
    path = tmp_path_factory.mktemp("report") / "report.html"
    return write_report(path, problem, solution, title=TITLE, subtitle="size s, seed 1")


def _open(browser: WebDriver, path: Path) -> None:
    browser.get_log("browser")
    browser.get(path.as_uri())


def _severe(browser: WebDriver) -> list[dict]:
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def _images(browser: WebDriver) -> dict[str, int]:
    """naturalWidth of each figure's image, by the id of the plot that holds it."""
    return browser.execute_script(
        "return Object.fromEntries(Array.from(document.images).map("
        "img => [img.closest('[id^=plot-]').id, img.complete ? img.naturalWidth : 0]));"
    )


def _rows(browser: WebDriver, table_id: str) -> int:
    return len(browser.find_elements(By.CSS_SELECTOR, f"#{table_id} tbody tr"))


def test_report_loads_offline_without_console_errors(browser: WebDriver, report: Path) -> None:
    _open(browser, report)
    assert _severe(browser) == []
    assert browser.title == TITLE
    assert browser.find_element(By.TAG_NAME, "h1").text == TITLE
    fetched = browser.execute_script("return performance.getEntriesByType('resource').length;")
    assert fetched == 0


def test_every_figure_is_an_embedded_decoded_image(browser: WebDriver, report: Path) -> None:
    _open(browser, report)
    widths = _images(browser)
    assert set(widths) == set(PLOT_IDS)
    assert all(width > 0 for width in widths.values())
    sources = [img.get_attribute("src") for img in browser.find_elements(By.TAG_NAME, "img")]
    assert all(src.startswith("data:image/png;base64,") for src in sources)
    assert all(img.get_attribute("alt") for img in browser.find_elements(By.TAG_NAME, "img"))


def test_tables_have_one_row_per_placement_and_unfilled_role(
    browser: WebDriver, report: Path, solved: tuple[Problem, Solution]
) -> None:
    _, solution = solved
    _open(browser, report)
    assert _rows(browser, "placements-table") == len(solution.placements)
    assert _rows(browser, "unfilled-table") == len(solution.unfilled)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#kpis .kpi")) == KPI_CARDS


def test_representation_section_holds_no_per_person_values(
    browser: WebDriver, report: Path, solved: tuple[Problem, Solution]
) -> None:
    problem, _ = solved
    _open(browser, report)
    section = browser.find_element(By.ID, "representation").get_attribute("innerHTML")
    assert "plot-representation" in section
    assert [c.id for c in problem.candidates if c.id in section] == []


def test_board_round_shows_the_board_skills_matrix(
    browser: WebDriver, report: Path, solved: tuple[Problem, Solution]
) -> None:
    problem, _ = solved
    assert any(org.board_requirements for org in problem.organisations)
    _open(browser, report)
    assert _images(browser)["plot-board-skills"] > 0
    assert _rows(browser, "requirements-table") >= 1


def test_infeasible_round_shows_conflicts_and_no_broken_images(
    browser: WebDriver, solved: tuple[Problem, Solution], tmp_path: Path
) -> None:
    problem, _ = solved
    conflict = Conflict(rule="H9", records=["budget"], message="the budget cannot pay for pins")
    solution = Solution(status=SolveStatus.INFEASIBLE, conflicts=[conflict])
    path = write_report(tmp_path / "infeasible.html", problem, solution, title="Infeasible round")
    _open(browser, path)
    assert _severe(browser) == []
    assert browser.find_element(By.ID, "status").text == "infeasible"
    assert _rows(browser, "conflicts-table") == 1
    assert all(width > 0 for width in _images(browser).values())
    notes = browser.find_elements(By.CSS_SELECTOR, "#plots .placeholder")
    assert len(notes) == 2
