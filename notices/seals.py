"""Seal images: what an administrator may upload as an organ's seal (a real PNG of a red,
round seal) and the clean copy that is kept (decoded and written again by Pillow, so
nothing but the pixels of the upload is ever stored or embedded in a notice)."""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 2 * 1024 * 1024
MIN_SIDE, MAX_SIDE = 300, 4000
#: Of the seal's ink (pixels neither transparent nor white), at least this share is red.
RED_SHARE = 0.8
#: Of the ink, at most this share may lie outside the circle inscribed in the image.
OUTSIDE_SHARE = 0.02
SAMPLE = 120  # the checks look at the image scaled to this many pixels a side

NOT_PNG = _("印章图像须为 PNG 文件。")


def _is_red(r, g, b) -> bool:
    return r > 140 and g < 120 and b < 120 and r - max(g, b) > 60


def _ink(r, g, b, a) -> bool:
    return a > 128 and min(r, g, b) < 200


def clean_seal(data: bytes) -> bytes:
    """The seal as a fresh RGBA PNG, or ValidationError saying what is wrong with it: not a
    PNG, too big or small, not square, not red, not round."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("印章图像不能超过 2 MB。"))
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValidationError(NOT_PNG)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()  # checksums and structure, before anything is decoded
        image = Image.open(io.BytesIO(data))
        if image.format != "PNG":
            raise ValidationError(NOT_PNG)
        width, height = image.size
        if max(width, height) > MAX_SIDE:
            raise ValidationError(_("印章图像过大（边长不能超过 4000 像素）。"))
        image = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(NOT_PNG) from None
    if min(width, height) < MIN_SIDE:
        raise ValidationError(_("印章图像过小（边长至少 300 像素）。"))
    if abs(width - height) > 0.03 * max(width, height):
        raise ValidationError(_("印章图像须为正方形（圆形印章外切正方形）。"))
    check_red_and_round(image)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def check_red_and_round(image: Image.Image) -> None:
    """ValidationError unless the ink is red and lies within the inscribed circle."""
    small = image.resize((SAMPLE, SAMPLE))
    centre = radius = SAMPLE / 2
    ink = red = outside = 0
    for y in range(SAMPLE):
        for x in range(SAMPLE):
            r, g, b, a = small.getpixel((x, y))
            if not _ink(r, g, b, a):
                continue
            ink += 1
            red += _is_red(r, g, b)
            if (x + 0.5 - centre) ** 2 + (y + 0.5 - centre) ** 2 > (radius + 1) ** 2:
                outside += 1
    if ink < SAMPLE * SAMPLE * 0.03:
        raise ValidationError(_("印章图像几乎是空白的。"))
    if red < RED_SHARE * ink:
        raise ValidationError(_("印章须为红色（图像中大部分笔画应为红色）。"))
    if outside > OUTSIDE_SHARE * ink:
        raise ValidationError(_("印章须为圆形：圆外不应有笔画（请裁切到印章的外切正方形，"
                                "背景透明或白色）。"))
