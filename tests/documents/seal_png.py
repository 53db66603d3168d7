"""A test seal: a red ring with a five-pointed star, as an RGBA PNG drawn with zlib alone."""
import math
import struct
import zlib

RED = (220, 30, 30)


def _chunk(tag, data):
    body = tag + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def _in_star(x, y, cx, cy, r_outer, r_inner):
    angle = math.atan2(y - cy, x - cx)
    dist = math.hypot(x - cx, y - cy)
    sector = (angle + math.pi / 2) % (2 * math.pi / 5)
    half = math.pi / 5
    t = abs(sector - half) / half  # 0 at an inner vertex, 1 at a point
    limit = r_inner + (r_outer - r_inner) * t
    return dist <= limit


def seal_png(size=400, *, alpha=True, colour_type=None):
    """PNG bytes: transparent background (``alpha=False``: white RGB, no transparency)."""
    cx = cy = size / 2
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            d = math.hypot(x - cx, y - cy)
            ink = size * 0.44 <= d <= size * 0.49 or _in_star(x, y, cx, cy, size * 0.2, size * 0.08)
            if alpha:
                row += bytes((*RED, 235)) if ink else b"\xff\xff\xff\x00"
            else:
                row += bytes(RED) if ink else b"\xff\xff\xff"
        rows.append(bytes(row))
    colour = colour_type if colour_type is not None else (6 if alpha else 2)
    return (b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, colour, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(b"".join(rows), 6)) + _chunk(b"IEND", b""))
