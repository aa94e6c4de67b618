"""A small content folder with real images, built with the site's own settings and theme."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

from PIL import ExifTags, Image, ImageDraw

# Where the sample photo claims to have been taken; no output may carry it.
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (38.0, 42.0, 25.0),
    ExifTags.GPS.GPSLongitudeRef: "W",
    ExifTags.GPS.GPSLongitude: (9.0, 8.0, 21.0),
}
XMP_MARKER = b"cf-sample-xmp-location"
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="120" viewBox="0 0 640 240">'
    '<rect width="640" height="240" fill="#0b57a4"/></svg>'
)


def photo_with_gps(size: tuple[int, int] = (1700, 1275)) -> bytes:
    """A JPEG as a phone writes it: EXIF with GPS position, orientation and an XMP packet."""
    image = Image.new("RGB", size, "#dfe7ef")
    draw = ImageDraw.Draw(image)
    draw.ellipse((size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2), fill="#b3470a")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SamplePhone"
    exif[ExifTags.IFD.GPSInfo] = GPS
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + XMP_MARKER + b"</x:xmpmeta>"
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif, xmp=xmp, comment=b"taken at home")
    return out.getvalue()


def diagram_png(size: tuple[int, int] = (1000, 500)) -> bytes:
    image = Image.new("RGBA", size, (253, 253, 252, 255))
    ImageDraw.Draw(image).rectangle(
        (40, 40, size[0] - 40, size[1] - 40), outline="#0b57a4", width=8
    )
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def write(root: Path, relative: str, data: bytes | str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(textwrap.dedent(data).lstrip(), encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def post(title: str, body: str, *, slug: str, extra: str = "") -> str:
    header = (
        f"Title: {title}\nDate: 2026-05-09 14:00\nSlug: {slug}\n"
        "Summary: A sample post for the image, table and social card checks of the build.\n"
    )
    return header + extra + "\n" + textwrap.dedent(body).lstrip()


def sample_content(root: Path) -> Path:
    """content/ with a photo next to its post, a PNG and an SVG under images/, and a page."""
    content = root / "content"
    write(content, "posts/images/photo.jpg", photo_with_gps())
    write(content, "images/diagram.png", diagram_png())
    write(content, "images/logo.svg", SVG)
    write(
        content,
        "posts/pictures.md",
        post(
            "Pictures",
            """
            ![A photo of an orange disc](images/photo.jpg)

            Some text, then a diagram: ![A framed diagram](images/diagram.png "Framed")

            ![](images/diagram.png){decorative}

            ![The site's logo](/images/logo.svg)
            """,
            slug="pictures",
        ),
    )
    write(
        content,
        "pages/about.md",
        "Title: About\nSlug: about\nSummary: About the sample site, long enough to be a real "
        "description.\n\nNo pictures here.\n",
    )
    return content
