"""A QR code drawn with text characters (two modules per character cell), via segno."""

from __future__ import annotations

_HALF = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def qr_lines(text: str, *, border: int = 2) -> list[str]:
    """Lines of block characters (dark modules as ink): show them dark on light to scan."""
    import segno

    code = segno.make(text, error="l", micro=False)
    matrix = [[bool(cell) for cell in row] for row in code.matrix]
    size = len(matrix)
    blank = [False] * (size + 2 * border)
    rows = [blank] * border + [[False] * border + r + [False] * border for r in matrix]
    rows += [blank] * border
    if len(rows) % 2:
        rows.append(blank)
    lines = []
    for top, bottom in zip(rows[0::2], rows[1::2], strict=True):
        lines.append("".join(_HALF[(a, b)] for a, b in zip(top, bottom, strict=True)))
    return lines


def qr_fitting(
    texts: list[str], rows: int, cols: int, *, border: int = 2
) -> tuple[str, list[str]] | None:
    """The first text whose drawing fits in rows×cols character cells, with its lines."""
    for text in texts:
        try:
            lines = qr_lines(text, border=border)
        except ValueError:  # too long for any QR code
            continue
        if len(lines) <= rows and len(lines[0]) <= cols:
            return text, lines
    return None
