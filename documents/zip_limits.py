"""Opening a zip archive someone uploaded without letting it exhaust memory or disk.

Word documents (.docx) are zip archives, and so are SCORM course packages: both are opened
through :func:`open_zip_within_limits` and read entry by entry with :func:`read_entry`, so a
"zip bomb" (a small file that expands to gigabytes) is refused from its table of contents,
before anything is decompressed.
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from documents.refusal import ContentRefused

MEBIBYTE = 1024 * 1024
# What reading a forged or truncated entry raises: zipfile's own errors, an unsupported or
# encrypted method, and the decompressors' errors.
UNREADABLE_ENTRY_ERRORS = (
    zipfile.BadZipFile,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
    EOFError,
    zlib.error,
    lzma.LZMAError,
)


@dataclass(frozen=True)
class ZipLimits:
    """What an archive may hold. The defaults suit documents; a course package passes its own
    (more entries, a larger total)."""

    max_entries: int = 1000
    max_total_uncompressed_bytes: int = 100 * MEBIBYTE
    # Text compresses about 10:1 and pictures barely; a ratio above this is a bomb. Small
    # entries are exempt: a few kilobytes of repeated XML compress far more without harm.
    max_compression_ratio: int = 100
    ratio_exempt_below_bytes: int = MEBIBYTE


DOCUMENT_ZIP_LIMITS = ZipLimits()


class ZipRefused(ContentRefused):
    """The archive breaks a limit or cannot be read; ``reason`` says why in plain words,
    completing a sentence that starts with the file's name."""


def open_zip_within_limits(
    content: bytes | IO[bytes], limits: ZipLimits = DOCUMENT_ZIP_LIMITS
) -> zipfile.ZipFile:
    """The archive (from its bytes or a file open for reading), once its table of contents
    keeps every limit; raises ZipRefused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content) if isinstance(content, bytes) else content)
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise ZipRefused("is damaged or incomplete") from error
    if len(entries) > limits.max_entries:
        raise ZipRefused(f"holds more than {limits.max_entries:,} parts")
    total = sum(entry.file_size for entry in entries)
    if total > limits.max_total_uncompressed_bytes:
        megabytes = limits.max_total_uncompressed_bytes // MEBIBYTE
        raise ZipRefused(f"would expand to more than {megabytes:,} MB when opened")
    for entry in entries:
        _check_entry(entry, limits)
    return archive


def read_entry(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limits: ZipLimits = DOCUMENT_ZIP_LIMITS
) -> bytes:
    """An entry's bytes. zipfile stops at the size the table of contents declared (already
    within the limits) and checks the CRC, so an archive that lies about its sizes ends in
    ZipRefused rather than in a larger read."""
    try:
        with archive.open(entry) as stream:
            data = stream.read(entry.file_size + 1)
    except UNREADABLE_ENTRY_ERRORS as error:
        raise ZipRefused("is damaged or incomplete") from error
    if len(data) != entry.file_size:
        raise ZipRefused("is damaged or incomplete")
    return data


def _check_entry(entry: zipfile.ZipInfo, limits: ZipLimits) -> None:
    if entry.flag_bits & 0x1:
        raise ZipRefused("is protected by a password")
    if not _is_safe_name(entry.filename):
        raise ZipRefused(f"holds a part whose name points outside the archive ({entry.filename})")
    compressed = max(entry.compress_size, 1)
    if (
        entry.file_size >= limits.ratio_exempt_below_bytes
        and entry.file_size / compressed > limits.max_compression_ratio
    ):
        raise ZipRefused(
            f"holds a part compressed far more than any real file can be ({entry.filename}: "
            "a “zip bomb”)"
        )


def _is_safe_name(name: str) -> bool:
    """Relative, forward-slash names that stay inside the archive (what extracting a course
    package relies on)."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    path = PurePosixPath(name)
    return ".." not in path.parts and not (path.parts and path.parts[0].endswith(":"))
