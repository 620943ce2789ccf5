"""The sample project's workbook and report as LibreOffice prints them: page counts, page
orientation, nothing past the margins, header cells whole, numbered pages.

Needs LibreOffice (``soffice``; Debian's libreoffice-calc-nogui and libreoffice-writer-nogui) and
poppler's ``pdftotext``; ``.ci/run`` installs them, and the tests skip when they are absent.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from collabcoder.io.sample_project import build_sample_project, default_sample_folder
from collabcoder.synthesis.docx_report import write_report
from collabcoder.synthesis.frames import SynthesisData
from collabcoder.synthesis.load import load_synthesis_data
from collabcoder.synthesis.xlsx import write_workbook

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        SOFFICE is None or PDFTOTEXT is None,
        reason="LibreOffice (soffice) and poppler (pdftotext) are needed to render exports",
    ),
]
CM = 72 / 2.54  # PDF points per centimetre
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


@dataclass
class Page:
    width: float
    height: float
    words: list[tuple[float, float, float, float, str]]

    @property
    def text(self) -> str:
        return " ".join(word[4] for word in self.words)

    def header(self) -> list[str]:
        """The words of the page's top line (its running header), left to right."""
        top = min(w[1] for w in self.words)
        return [w[4] for w in sorted(self.words, key=lambda w: w[0]) if w[1] < top + 3]


def _pages(pdf: Path) -> list[Page]:
    """Every page of ``pdf`` with its words' boxes (poppler's bounding-box output)."""
    out = subprocess.run(
        [str(PDFTOTEXT), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for width, height, body in _PAGE.findall(out):
        words = [
            (float(a), float(b), float(c), float(d), html.unescape(t))
            for a, b, c, d, t in _WORD.findall(body)
        ]
        pages.append(Page(float(width), float(height), words))
    return pages


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[SynthesisData, dict[str, Path]]:
    """The sample project's workbook and report (default choices), converted to PDF."""
    from collabcoder.core.project import Project

    folder = tmp_path_factory.mktemp("render")
    location = build_sample_project(default_sample_folder(), folder / "sample.ccproj")
    with Project.open(location, coder="Test", read_only=True) as project:
        data = load_synthesis_data(project)
    write_workbook(folder / "workbook.xlsx", data)
    write_report(folder / "report.docx", data)
    profile = (folder / "lo-profile").as_uri()  # never the user's own LibreOffice profile
    subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), str(folder / "workbook.xlsx"), str(folder / "report.docx")],
        capture_output=True, check=True, timeout=300, env={**os.environ, "HOME": str(folder)},
    )  # fmt: skip
    return data, {"workbook": folder / "workbook.pdf", "report": folder / "report.pdf"}


def _numbered(pages: list[Page], first: int = 1) -> None:
    for number, page in enumerate(pages[first - 1 :], first):
        assert f"Page {number} of {len(pages)}" in page.text, f"page {number} is not numbered"


def test_workbook_prints_in_few_landscape_pages(
    rendered: tuple[SynthesisData, dict[str, Path]],
) -> None:
    """The sample workbook prints landscape in a handful of pages (it printed 46-69 before the
    layout work), every page numbered, the Matrix and the Framework each on one page across."""
    pages = _pages(rendered[1]["workbook"])
    assert 4 <= len(pages) <= 15
    assert all(page.width > page.height for page in pages)
    _numbered(pages)
    sheets = [page.header()[-1] for page in pages]  # the sheet name sits top right
    assert sheets.count("Matrix") == 1 and sheets.count("Framework") == 1
    assert {"Evidence", "Codebook", "Cases", "Provenance"} <= set(sheets)


def test_workbook_header_cells_are_whole(rendered: tuple[SynthesisData, dict[str, Path]]) -> None:
    """Every word of every theme's name shows in the Matrix and Framework header rows (nothing is
    cut to one line), and no text runs past the right edge of its page."""
    data, pdfs = rendered
    pages = _pages(pdfs["workbook"])
    themes = [str(name) for name in data.codes.loc[data.codes["depth"] == 1, "name"]]
    for sheet in ("Matrix", "Framework"):
        page = next(p for p in pages if p.header()[-1] == sheet)
        words = {w[4] for w in page.words}
        for theme in themes:
            missing = [word for word in theme.split() if word not in words]
            assert not missing, f"{sheet}: {theme!r} shows without {missing}"
    for page in pages:
        assert max(w[2] for w in page.words) <= page.width


def test_report_pages_stay_inside_the_margins(
    rendered: tuple[SynthesisData, dict[str, Path]],
) -> None:
    """The report prints on A4 portrait pages, numbered from the second (the title page is
    bare), with every word, tables included, inside the 2 cm side margins."""
    pages = _pages(rendered[1]["report"])
    assert 5 <= len(pages) <= 40
    assert all(abs(p.width - 21 * CM) < 2 and abs(p.height - 29.7 * CM) < 2 for p in pages)
    assert "Page 1 of" not in pages[0].text
    _numbered(pages, first=2)
    for number, page in enumerate(pages, 1):
        left = min(w[0] for w in page.words)
        right = max(w[2] for w in page.words)
        assert left >= 2 * CM - 2 and right <= page.width - 2 * CM + 2, f"page {number} overflows"


def test_report_reads_in_order(rendered: tuple[SynthesisData, dict[str, Path]]) -> None:
    """Title page, contents, then the chapters each starting a page; every quote of the sample's
    first coded cell is printed."""
    data, pdfs = rendered
    pages = _pages(pdfs["report"])
    assert data.project.split()[0] in pages[0].text and "Coding report" in pages[0].text
    assert pages[1].text.startswith(pages[1].header()[0]) and "Contents" in pages[1].text
    starts = {}
    for number, page in enumerate(pages, 1):
        top = min(w[1] for w in page.words)
        body = [w[4] for w in page.words if w[1] > top + 3]
        for chapter in ("About", "Codebook", "Findings"):
            if body[:1] == [chapter] and chapter not in starts:
                starts[chapter] = number
    assert list(starts) == ["About", "Codebook", "Findings"]
    assert starts["About"] < starts["Codebook"] < starts["Findings"] <= len(pages)
