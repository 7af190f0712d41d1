"""A tiny dependency-free PNG line plot (zlib + struct only), for the benchmark's latency chart.

matplotlib is not a ticketflow dependency and one chart does not justify it: this draws axes,
a log-scale y axis, labelled ticks in a 3×5 pixel font, one polyline with dots per series and a
legend. ``line_plot`` returns the PNG bytes; nothing here does I/O.
"""

from __future__ import annotations

import itertools
import math
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

Color = tuple[int, int, int]

# 3×5 glyphs, one string of 15 bits per character, rows top to bottom.
_FONT: dict[str, str] = {
    "0": "111101101101111", "1": "010110010010111", "2": "111001111100111",
    "3": "111001111001111", "4": "101101111001001", "5": "111100111001111",
    "6": "111100111101111", "7": "111001001010010", "8": "111101111101111",
    "9": "111101111001111", ".": "000000000000010", "/": "001001010100100",
    "-": "000000111000000", " ": "000000000000000", "k": "100101110101101",
    "a": "000011101101011", "c": "000111100100111", "d": "001001111101111",
    "e": "000111111100111", "f": "011100110100100", "g": "000111101011110",
    "l": "110010010010111", "m": "000111111101101", "n": "000110101101101",
    "o": "000111101101111", "p": "000111101111100", "r": "000111100100100",
    "s": "000011110001110", "t": "010111010010011", "y": "000101111001110",
    "(": "010100100100010", ")": "010001001001010", "x": "000101010101101",
    "@": "111101111100111", "b": "100100111101111", "h": "100100111101101",
    "i": "010000010010010", "u": "000101101101111", "v": "000101101101010",
    "w": "000101101111111",
}


@dataclass(frozen=True)
class Series:
    label: str
    xs: Sequence[float]
    ys: Sequence[float | None]  # None: no point (the run did not produce this figure)
    color: Color


class Canvas:
    def __init__(self, width: int, height: int, background: Color = (255, 255, 255)) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(background) * (width * height))

    def set(self, x: int, y: int, color: Color) -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            i = 3 * (y * self.width + x)
            self.pixels[i:i + 3] = bytes(color)

    def get(self, x: int, y: int) -> Color:
        i = 3 * (y * self.width + x)
        return self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]

    def rect(self, x0: int, y0: int, x1: int, y1: int, color: Color) -> None:
        for y in range(min(y0, y1), max(y0, y1) + 1):
            for x in range(min(x0, x1), max(x0, x1) + 1):
                self.set(x, y, color)

    def line(self, x0: int, y0: int, x1: int, y1: int, color: Color, width: int = 1) -> None:
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        half = width // 2
        for i in range(steps + 1):
            x = round(x0 + (x1 - x0) * i / steps)
            y = round(y0 + (y1 - y0) * i / steps)
            self.rect(x - half, y - half, x - half + width - 1, y - half + width - 1, color)

    def text(self, x: int, y: int, text: str, color: Color, scale: int = 2) -> None:
        for n, char in enumerate(text.lower()):
            glyph = _FONT.get(char, _FONT[" "])
            for bit, on in enumerate(glyph):
                if on == "1":
                    gx, gy = x + (n * 4 + bit % 3) * scale, y + (bit // 3) * scale
                    self.rect(gx, gy, gx + scale - 1, gy + scale - 1, color)

    def png(self) -> bytes:
        rows = b"".join(b"\x00" + bytes(self.pixels[3 * y * self.width:3 * (y + 1) * self.width])
                        for y in range(self.height))

        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def text_width(text: str, scale: int = 2) -> int:
    return len(text) * 4 * scale


def log_ticks(low: float, high: float) -> list[float]:
    """1, 2, 5 × powers of ten covering [low, high] (both > 0)."""
    ticks = []
    for exponent in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for mantissa in (1, 2, 5):
            value = mantissa * 10.0 ** exponent
            if low <= value <= high:
                ticks.append(value)
    return ticks


def tick_label(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def line_plot(series: Sequence[Series], x_label: str, y_label: str, width: int = 640,
              height: int = 420) -> bytes:
    """Lines with dots, x linear, y log10; points with y ≤ 0 or None are left out."""
    canvas = Canvas(width, height)
    black, grey = (0, 0, 0), (220, 220, 220)
    left, right, top, bottom = 70, width - 20, 34, height - 50
    points = [(x, y) for s in series for x, y in zip(s.xs, s.ys, strict=True)
              if y is not None and y > 0]
    if points:
        x_low, x_high = min(p[0] for p in points), max(p[0] for p in points)
        y_low, y_high = min(p[1] for p in points), max(p[1] for p in points)
    else:
        x_low, x_high, y_low, y_high = 0.0, 1.0, 1.0, 10.0
    x_low, x_high = (x_low - 1, x_high + 1) if x_low == x_high else (x_low, x_high)
    x_pad = (x_high - x_low) * 0.08
    x_low, x_high = max(0.0, x_low - x_pad), x_high + x_pad
    y_low = 10 ** math.floor(math.log10(y_low))
    y_high = 10 ** math.ceil(math.log10(y_high * 1.0001))

    def px(x: float) -> int:
        return round(left + (x - x_low) / (x_high - x_low) * (right - left))

    def py(y: float) -> int:
        span = math.log10(y_high) - math.log10(y_low)
        return round(bottom - (math.log10(y) - math.log10(y_low)) / span * (bottom - top))

    for tick in log_ticks(y_low, y_high):
        canvas.line(left, py(tick), right, py(tick), grey)
        label = tick_label(tick)
        canvas.text(left - 6 - text_width(label), py(tick) - 5, label, black)
    xs = sorted({p[0] for p in points}) if points else [x_low, x_high]
    for tick in xs:
        canvas.line(px(tick), top, px(tick), bottom, grey)
        label = tick_label(tick)
        canvas.text(px(tick) - text_width(label) // 2, bottom + 8, label, black)
    canvas.line(left, top, left, bottom, black)
    canvas.line(left, bottom, right, bottom, black)
    canvas.text((left + right - text_width(x_label)) // 2, height - 20, x_label, black)
    canvas.text(4, 4, y_label, black)
    for n, s in enumerate(series):
        drawn = [(px(x), py(y)) for x, y in zip(s.xs, s.ys, strict=True)
                 if y is not None and y > 0]
        for (x0, y0), (x1, y1) in itertools.pairwise(drawn):
            canvas.line(x0, y0, x1, y1, s.color, width=2)
        for x, y in drawn:
            canvas.rect(x - 3, y - 3, x + 3, y + 3, s.color)
        legend_y = top + 6 + 16 * n
        canvas.line(left + 12, legend_y + 4, left + 36, legend_y + 4, s.color, width=3)
        canvas.text(left + 42, legend_y, s.label, black)
    return canvas.png()
