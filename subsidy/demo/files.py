"""Small but valid files for the demo's attachments: a one-page PDF that reads like the
document it stands for (title, the application's facts, a red seal), and a PNG "scan".

Both are written byte by byte, in microseconds, so hundreds of attachments cost nothing;
they pass the upload checks (libmagic reads them as application/pdf and image/png). The PDF
names the standard Chinese font STSong-Light without embedding it: every viewer (PDFium,
pdf.js, poppler) substitutes an installed CJK font, and the file stays a few kilobytes.
"""

import math
import struct
import zlib
from functools import cache

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
_FONT_OBJECTS = [
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
    b"/DescendantFonts [6 0 R] >>",
    # CIDs 1-95 are the half-width ASCII glyphs of Adobe-GB1: half an em wide
    b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
    b"<< /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R "
    b"/DW 1000 /W [1 95 500] >>",
    b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
    b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
]


def _text(x: float, y: float, size: int, text: str) -> str:
    return f"BT /F1 {size} Tf {x:.1f} {y:.1f} Td <{text.encode('utf-16-be').hex().upper()}> Tj ET"


def _seal(cx: float, cy: float, r: float, label: str) -> list[str]:
    """A red round seal: a double ring (four Bézier arcs each) and the label across it."""
    ops = ["q 0.8 0.1 0.1 RG 0.8 0.1 0.1 rg 2.5 w"]
    for radius in (r, r - 5):
        k = 0.5523 * radius  # a quarter circle's Bézier handle
        quarters = [((radius, k), (k, radius), (0, radius)),
                    ((-k, radius), (-radius, k), (-radius, 0)),
                    ((-radius, -k), (-k, -radius), (0, -radius)),
                    ((k, -radius), (radius, -k), (radius, 0))]
        path = [f"{cx + radius:.1f} {cy:.1f} m"]
        for quarter in quarters:
            path.append(" ".join(f"{cx + dx:.1f} {cy + dy:.1f}" for dx, dy in quarter) + " c")
        ops.append(" ".join(path) + " S")
    size = max(6, min(11, int((2 * r - 18) / max(len(label), 1))))
    ops.append(_text(cx - len(label) * size / 2, cy - size / 3, size, label))
    ops.append("Q")
    return ops


def pdf_document(title: str, lines: list[str], seal: str = "") -> bytes:
    """A one-page A4 PDF: `title` centred, `lines` below it in a ruled box, and `seal` (the
    organisation's name) as a red seal at the foot."""
    ops = ["0.2 0.2 0.2 RG 0.8 w 60 110 475 620 re S"]
    ops.append(_text((PAGE_WIDTH - len(title) * 20) / 2, 760, 20, title))
    y = 700
    for line in lines:
        ops.append(_text(80, y, 12, line))
        ops.append(f"0.75 0.75 0.75 RG 0.5 w 75 {y - 8} m 520 {y - 8} l S")
        y -= 30
        if y < 200:
            break
    if seal:
        ops += _seal(430, 170, 48, seal[:12])
    content = "\n".join(ops).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 5 0 R "
        b">> >> /Contents 4 0 R >>" % (PAGE_WIDTH, PAGE_HEIGHT),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        *_FONT_OBJECTS,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _png(width: int, rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"".join(b"\x00" + row for row in rows)
    header = struct.pack(">IIBBBBB", width, len(rows), 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


@cache
def png_scan(width: int = 420, height: int = 300) -> bytes:
    """A certificate "photographed": cream paper, a double frame, grey lines where the text
    is and a red seal (the same bytes every time)."""
    paper, ink, grey, red = b"\xf7\xf1\xe1", b"\x8a\x6d\x3b", b"\xb8\xb2\xa6", b"\xc6\x28\x28"
    cx, cy, r = width * 0.75, height * 0.72, height * 0.13
    rows = []
    for y in range(height):
        row = bytearray(paper * width)

        def paint(x0, x1, colour, row=row):
            x0, x1 = max(0, int(x0)), min(width, int(x1))
            if x1 > x0:
                row[3 * x0:3 * x1] = colour * (x1 - x0)

        if y in (10, 11, height - 12, height - 11):
            paint(10, width - 10, ink)
        if 10 <= y < height - 10:
            paint(10, 12, ink)
            paint(width - 12, width - 10, ink)
        if y in (18, height - 19):
            paint(18, width - 18, ink)
        if 18 <= y < height - 18:
            paint(18, 19, ink)
            paint(width - 19, width - 18, ink)
        if 40 <= y < 52:
            paint(width * 0.3, width * 0.7, ink)  # the heading
        for top in range(80, int(height * 0.6), 22):
            if top <= y < top + 6:
                paint(45, width - 45 - (top * 7) % 90, grey)
        dy = y - cy
        if abs(dy) <= r:
            outer = math.sqrt(r * r - dy * dy)
            inner = math.sqrt(max(0.0, (r - 4) ** 2 - dy * dy)) if abs(dy) < r - 4 else 0
            if inner:
                paint(cx - outer, cx - inner, red)
                paint(cx + inner, cx + outer, red)
            else:
                paint(cx - outer, cx + outer, red)
        rows.append(bytes(row))
    return _png(width, rows)
