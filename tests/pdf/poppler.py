"""Run poppler-utils (pdftoppm, pdftotext, pdfinfo, pdffonts) from PDF tests."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "pdf"
TOOLS = ("pdftoppm", "pdftotext", "pdfinfo", "pdffonts")
# Marks pdftotext puts around right-to-left and embedded left-to-right runs.
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def require_poppler() -> None:
    """Skip when poppler-utils is missing, except on CI (env CI set), where that fails."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    message = (
        "poppler-utils is not installed (missing: " + ", ".join(missing) + "), so PDF "
        "rendering is not checked; install it with `apt-get install poppler-utils`"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def run(*command: str | Path) -> str:
    """Run a tool and return its standard output."""
    result = subprocess.run(
        [str(part) for part in command], check=True, capture_output=True, text=True, timeout=60
    )
    return result.stdout


def render_png(pdf: Path, png: Path, dpi: int) -> Path:
    """Rasterise the first page of a PDF with pdftoppm."""
    run("pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", "1", pdf, png.with_suffix(""))
    assert png.is_file(), f"pdftoppm wrote no {png}"
    return png


def text(pdf: Path) -> str:
    """pdftotext output without bidi marks, whitespace collapsed to single spaces."""
    plain = BIDI_MARKS.sub("", run("pdftotext", "-enc", "UTF-8", pdf, "-"))
    return " ".join(plain.split())


@dataclass(frozen=True)
class Word:
    text: str  # glyphs in drawing (visual) order
    x_min: float
    y_min: float  # from the top of the page
    x_max: float
    y_max: float


def words(pdf: Path) -> list[Word]:
    """Every word pdftotext finds, with its box in points."""
    number = r"(-?[\d.]+)"
    pattern = re.compile(
        f'<word xMin="{number}" yMin="{number}" xMax="{number}" yMax="{number}">(.*?)</word>'
    )
    found = pattern.findall(run("pdftotext", "-bbox", "-enc", "UTF-8", pdf, "-"))
    return [
        Word(html.unescape(w), float(a), float(b), float(c), float(d)) for a, b, c, d, w in found
    ]


def info(pdf: Path) -> dict[str, str]:
    """pdfinfo's fields."""
    fields = {}
    for line in run("pdfinfo", "-enc", "UTF-8", pdf).splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def fonts(pdf: Path) -> list[dict[str, str]]:
    """pdffonts' table: name, type, encoding, emb, sub, uni per font."""
    lines = run("pdffonts", pdf).splitlines()
    rows = []
    for line in lines[2:]:
        *name_and_type, encoding, emb, sub, uni, _object, _generation = line.split()
        rows.append(
            {
                "name": name_and_type[0],
                "encoding": encoding,
                "emb": emb,
                "sub": sub,
                "uni": uni,
            }
        )
    return rows
