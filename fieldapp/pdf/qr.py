"""The one QR code helper of fieldapp's PDFs: a symbol drawn as vector squares, sharp on
paper at any size, with the quiet zone the QR standard asks for."""

from __future__ import annotations

from dataclasses import dataclass

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.colors import black, white
from reportlab.pdfgen.canvas import Canvas

QR_BORDER = 4  # modules of quiet zone on each side (the QR standard's minimum)


@dataclass(frozen=True)
class QR:
    """A QR code (error correction M) of one URL."""

    matrix: tuple[tuple[bool, ...], ...]  # with the quiet zone
    modules: int  # symbol width in modules, without the quiet zone

    @classmethod
    def make(cls, url: str) -> QR:
        maker = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QR_BORDER)
        maker.add_data(url)
        maker.make(fit=True)
        matrix = tuple(tuple(bool(cell) for cell in row) for row in maker.get_matrix())
        return cls(matrix=matrix, modules=maker.modules_count)

    def size_for(self, symbol: float) -> float:
        """Drawn width (quiet zone included) for a symbol this wide."""
        return symbol * len(self.matrix) / self.modules

    def draw(self, canvas: Canvas, x: float, y: float, size: float) -> None:
        """Draw with the bottom-left corner of the quiet zone at (x, y)."""
        module = size / len(self.matrix)
        canvas.saveState()
        canvas.setFillColor(white)
        canvas.rect(x, y, size, size, stroke=0, fill=1)
        canvas.setFillColor(black)
        # One path: neighbouring squares render without hairline seams between them.
        path = canvas.beginPath()
        top = y + size
        for row_index, row in enumerate(self.matrix):
            column = 0
            while column < len(row):
                if not row[column]:
                    column += 1
                    continue
                start = column
                while column < len(row) and row[column]:
                    column += 1
                path.rect(
                    x + start * module,
                    top - (row_index + 1) * module,
                    (column - start) * module,
                    module,
                )
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()
