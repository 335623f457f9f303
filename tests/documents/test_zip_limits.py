"""The zip limits on their own, as a course-package upload will use them with its own limits."""

from __future__ import annotations

import io
import zipfile

import pytest

from documents.zip_limits import ZipLimits, ZipRefused, open_zip_within_limits, read_entry


def archive_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_it_opens_an_archive_within_its_limits_and_reads_each_entry():
    content = archive_of({"imsmanifest.xml": b"<manifest/>", "index.html": b"<p>Lesson</p>"})
    archive = open_zip_within_limits(content, ZipLimits(max_entries=2))
    assert [read_entry(archive, entry) for entry in archive.infolist()] == [
        b"<manifest/>",
        b"<p>Lesson</p>",
    ]


@pytest.mark.parametrize(
    ("entries", "limits", "reason"),
    [
        (
            {f"page{n}.html": b"x" for n in range(3)},
            ZipLimits(max_entries=2),
            "holds more than 2 parts",
        ),
        (
            {"video.bin": b"\0" * (3 * 1024 * 1024)},
            ZipLimits(max_total_uncompressed_bytes=2 * 1024 * 1024),
            "would expand to more than 2 MB when opened",
        ),
        ({"zeros.bin": b"\0" * (2 * 1024 * 1024)}, ZipLimits(), "a “zip bomb”"),
        ({"../../etc/cron.d/job": b"x"}, ZipLimits(), "whose name points outside the archive"),
        ({"/etc/passwd": b"x"}, ZipLimits(), "whose name points outside the archive"),
        ({"C:/Windows/win.ini": b"x"}, ZipLimits(), "whose name points outside the archive"),
    ],
    ids=["entries", "total-size", "ratio", "parent-folder", "absolute", "drive"],
)
def test_it_refuses_an_archive_beyond_its_limits_before_reading_it(entries, limits, reason):
    with pytest.raises(ZipRefused) as refused:
        open_zip_within_limits(archive_of(entries), limits)
    assert reason in refused.value.reason


def test_it_refuses_an_entry_whose_declared_size_is_a_lie():
    content = bytearray(archive_of({"part.xml": b"<p>" + b"a" * 5000 + b"</p>"}))
    # Shrink the size the table of contents declares (central directory, offset 24).
    directory = content.rfind(b"PK\x01\x02")
    content[directory + 24 : directory + 28] = (10).to_bytes(4, "little")
    archive = open_zip_within_limits(bytes(content))
    with pytest.raises(ZipRefused) as refused:
        read_entry(archive, archive.infolist()[0])
    assert refused.value.reason == "is damaged or incomplete"


def test_it_refuses_what_is_not_an_archive():
    with pytest.raises(ZipRefused) as refused:
        open_zip_within_limits(b"PK\x03\x04 not really")
    assert refused.value.reason == "is damaged or incomplete"
