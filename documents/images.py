"""Pictures (.jpg, .png): decoded and written again with Pillow, so what is stored holds only
the pixels, none of the original's metadata (camera, GPS position, comments, colour
profiles) nor anything hidden after or between its image data."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from documents.refusal import NOT_ACCEPTED, ContentRefused

JPEG = "image/jpeg"
PNG = "image/png"
# About a 300 dpi scan of a tabloid page, or a 40-megapixel photo.
MAX_IMAGE_PIXELS = 40_000_000
# Formats Pillow may report for each accepted type: cameras write MPO (a JPEG with a preview).
PILLOW_FORMATS = {JPEG: frozenset({"JPEG", "MPO"}), PNG: frozenset({"PNG"})}
SAVE_FORMATS = {JPEG: "JPEG", PNG: "PNG"}
UNREADABLE = (
    "is not a readable picture (it is damaged or incomplete). Open it in a picture viewer, "
    "save it again, and upload that copy."
)


def reencode_jpeg(content: bytes) -> bytes:
    return reencode_image(content, content_type=JPEG)


def reencode_png(content: bytes) -> bytes:
    return reencode_image(content, content_type=PNG)


def reencode_image(content: bytes, *, content_type: str) -> bytes:
    """The picture's pixels written afresh; raises ContentRefused."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.format not in PILLOW_FORMATS[content_type]:
                    raise ContentRefused(NOT_ACCEPTED)
                _check_pixels(*image.size)
                image.load()
                return _written_without_metadata(image, content_type=content_type)
    except ContentRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ContentRefused(f"has too many pixels: {_too_many_pixels_text()}") from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
        raise ContentRefused(UNREADABLE) from error


def _check_pixels(width: int, height: int) -> None:
    if width * height > MAX_IMAGE_PIXELS:
        raise ContentRefused(f"is {width:,} × {height:,} pixels: {_too_many_pixels_text()}")


def _too_many_pixels_text() -> str:
    return (
        f"the largest picture accepted has {MAX_IMAGE_PIXELS // 1_000_000} million pixels. "
        "Scan or export it at a lower resolution (300 dpi is plenty) and upload that."
    )


def _written_without_metadata(image: Image.Image, *, content_type: str) -> bytes:
    # Turned upright first: dropping the EXIF orientation would otherwise turn photos of a
    # document on their side.
    upright = ImageOps.exif_transpose(image)
    transparency = upright.info.get("transparency")
    upright.info = {}
    options: dict[str, object] = {}
    if content_type == JPEG:
        options["quality"] = 90
    elif transparency is not None:
        options["transparency"] = transparency
    output = io.BytesIO()
    upright.save(output, format=SAVE_FORMATS[content_type], **options)
    return output.getvalue()
