"""Pillow work: reading a source image's header, normalising its pixels, encoding clean files.

Every encoded file is written from pixels alone: no EXIF (GPS included), XMP, comments or colour
profile survive. Colours are converted to sRGB first, so dropping the profile changes nothing a
reader sees, and the EXIF orientation is applied to the pixels before the tag is dropped.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache

from PIL import ExifTags, Image, ImageCms, ImageOps, features

# Raster formats an author may use (Pillow's names); MPO is how Pillow sees many phone JPEGs.
SUPPORTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "GIF", "WEBP", "AVIF"})
PHOTO_FORMATS = frozenset({"JPEG", "MPO"})
# EXIF orientations that turn the picture by 90 degrees, swapping width and height.
TRANSPOSED_ORIENTATIONS = frozenset({5, 6, 7, 8})


@dataclass(frozen=True)
class Encoding:
    format: str
    mime: str
    suffix: str
    options: dict[str, object] = field(default_factory=dict, hash=False)


JPEG = Encoding("JPEG", "image/jpeg", "jpg", {"quality": 82, "optimize": True, "progressive": True})
PNG = Encoding("PNG", "image/png", "png", {"optimize": True})
WEBP = Encoding("WEBP", "image/webp", "webp", {"quality": 80, "method": 5})
AVIF = Encoding("AVIF", "image/avif", "avif", {"quality": 55, "speed": 7})


class UnsupportedImage(ValueError):
    """Pillow cannot read the file, or it is a kind of image the site does not publish."""


def modern_encodings() -> tuple[Encoding, ...]:
    """Best first, as <source> elements must be: AVIF only when this Pillow can write it."""
    return (AVIF, WEBP) if features.check("avif") else (WEBP,)


@dataclass(frozen=True)
class SourceInfo:
    format: str
    width: int
    height: int
    has_alpha: bool

    def fallback(self) -> Encoding:
        """The format every browser reads: JPEG for photos, PNG where there is transparency or
        where JPEG would blur a drawing (PNG and GIF sources)."""
        if self.format in PHOTO_FORMATS or (self.format in ("WEBP", "AVIF") and not self.has_alpha):
            return JPEG
        return PNG


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def inspect(data: bytes) -> SourceInfo:
    """Format and displayed size from the header alone, without decoding the pixels."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in SUPPORTED_FORMATS:
                raise UnsupportedImage(
                    f"{image.format} images are not supported; use PNG, JPEG, WebP, AVIF, GIF"
                    " or SVG"
                )
            if image.format != "MPO" and getattr(image, "is_animated", False):
                raise UnsupportedImage("animated images are not supported; use a still image")
            width, height = image.size
            if image.getexif().get(ExifTags.Base.Orientation) in TRANSPOSED_ORIENTATIONS:
                width, height = height, width
            return SourceInfo(image.format, width, height, _has_alpha(image))
    except (Image.UnidentifiedImageError, OSError) as error:
        raise UnsupportedImage(f"not a readable image ({error})") from None


@cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def load(data: bytes) -> Image.Image:
    """The picture upright, in sRGB, as RGB or RGBA pixels."""
    with Image.open(io.BytesIO(data)) as opened:
        opened.seek(0)  # the first frame of a multi-picture phone JPEG (MPO)
        mode = "RGBA" if _has_alpha(opened) else "RGB"
        icc = opened.info.get("icc_profile")
        image = ImageOps.exif_transpose(opened) or opened.copy()
    if icc:
        try:
            source_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if image.mode not in ("RGB", "RGBA", "CMYK"):
                image = image.convert(mode)
            return ImageCms.profileToProfile(image, source_profile, _srgb(), outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unusable profile: keep the pixels as they are
    return image if image.mode == mode else image.convert(mode)


def resized(image: Image.Image, width: int) -> Image.Image:
    if width >= image.width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def fitted(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Scaled and cropped around the centre to exactly `size`."""
    return ImageOps.fit(image, size, Image.Resampling.LANCZOS)


def encode(image: Image.Image, encoding: Encoding) -> bytes:
    """The pixels in `encoding`, with no metadata at all."""
    bare = image.copy()
    # Pillow writers fall back to image.info for profiles, comments and XMP: leave them nothing.
    bare.info = {}
    if encoding.format == "JPEG" and bare.mode != "RGB":
        bare = bare.convert("RGB")
    out = io.BytesIO()
    bare.save(out, encoding.format, **encoding.options)
    return out.getvalue()
