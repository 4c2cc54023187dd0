"""The child's photo: checked by its bytes, re-drawn without metadata, kept outside the web root.

A phone photo carries EXIF: often the GPS position of where it was taken, which for a looked-after
child can be the placement's address. Re-encoding from the pixels alone drops all of it, along with
anything else hidden in the file. Only JPEG and PNG are accepted; the browser's name and type for
the file are never trusted.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from ..file_store import FileStore

MAX_BYTES = 10 * 1024 * 1024
# Beyond this a small file can unpack to gigabytes of pixels (a decompression bomb).
MAX_PIXELS = 50_000_000
# Big enough to recognise a face on paper; a police officer gets a print, not the original.
LONGEST_SIDE = 1600
JPEG = "image/jpeg"
PNG = "image/png"

EMPTY = "The selected file is empty"
TOO_BIG = "The selected file must be smaller than 10MB"
NOT_AN_IMAGE = "The selected file must be a JPEG or PNG photo"
DAMAGED = "The selected photo could not be opened. It may be damaged: save it again and upload the new copy"
TOO_MANY_PIXELS = "The selected photo is too large to open. Make it smaller than 50 megapixels and upload it again"


class PhotoRefused(ValueError):
    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.message = message
        self.reason = reason


@dataclass
class CleanPhoto:
    data: bytes
    content_type: str
    width: int
    height: int


def _kind(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def clean(data: bytes) -> CleanPhoto:
    """The photo re-encoded from its pixels alone, turned the right way up; or PhotoRefused."""
    if not data:
        raise PhotoRefused(EMPTY, "empty")
    if len(data) > MAX_BYTES:
        raise PhotoRefused(TOO_BIG, "too_big")
    kind = _kind(data)
    if kind is None:
        raise PhotoRefused(NOT_AN_IMAGE, "not_an_image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise PhotoRefused(TOO_MANY_PIXELS, "too_many_pixels")
            if {JPEG: "JPEG", PNG: "PNG"}[kind] != image.format:
                raise PhotoRefused(NOT_AN_IMAGE, "not_an_image")
            image.load()
            # The orientation lives in the EXIF about to be dropped: apply it to the pixels first.
            image = ImageOps.exif_transpose(image)
    except PhotoRefused:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise PhotoRefused(TOO_MANY_PIXELS, "too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise PhotoRefused(DAMAGED, "damaged") from None
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if kind == PNG and has_alpha else "RGB"
    image = image.convert(mode)
    image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    # A new image from the pixels alone: no EXIF, GPS, XMP, ICC profile or text chunks come across.
    bare = Image.frombytes(mode, image.size, image.tobytes())
    out = io.BytesIO()
    if kind == JPEG:
        bare.save(out, "JPEG", quality=85, optimize=True)
    else:
        bare.save(out, "PNG", optimize=True)
    return CleanPhoto(out.getvalue(), kind, bare.width, bare.height)


# --- Storage: instance/photos/, outside the web root, by generated names ------------------------

_store = FileStore("RHI_PHOTO_DIR", "photos")
folder = _store.folder
new_name = _store.new_name
path_of = _store.path_of
write = _store.write
read = _store.read
remove = _store.remove
rotate = _store.rotate
