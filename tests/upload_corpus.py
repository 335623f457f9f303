"""The upload corpus: hostile files every upload form must refuse, and genuine files of every
accepted kind it must keep. Nothing here is real malware: EICAR is the antivirus industry's
harmless test string, the "programs" are headers only, and the bombs are zeros.

``python -m tests.upload_corpus OUTDIR`` writes every file to OUTDIR (the zip bomb is about
520 KB on disk and 512 MB once opened); the tests build the same bytes in memory.
"""

from __future__ import annotations

import functools
import io
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, PngImagePlugin
from pypdf import PdfReader, PdfWriter

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
WINDOWS_PROGRAM = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 50 + b"PE\x00\x00"
)
ELF_PROGRAM = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# --- PDF ----------------------------------------------------------------------------------


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF with a correct cross-reference table; object 1 is the catalogue."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_stream(data: bytes, dictionary: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), dictionary, data)


def one_page_pdf(
    *,
    text: bytes = b"Application for Certification of Part-Time Library Staff",
    content_prefix: bytes = b"",
    catalog: bytes = b"",
    page: bytes = b"",
    extra_objects: tuple[bytes, ...] = (),
) -> bytes:
    """A letter-size page with one line of text; extra objects are numbered from 6."""
    content = content_prefix + b"BT /F1 14 Tf 72 720 Td (%s) Tj ET" % text
    return pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R %s >>" % catalog,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R %s >>" % page,
            pdf_stream(content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            *extra_objects,
        ]
    )


def pdf_locked(*, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(one_page_pdf())))
    writer.encrypt(user_password=user_password, owner_password="kdla-owner", algorithm="RC4-128")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


# --- Word ---------------------------------------------------------------------------------

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Application for Certification</w:t></w:r></w:p></w:body>"
    "</w:document>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


def content_types_xml(main: str = WORD_MAIN, defaults: dict[str, str] | None = None) -> str:
    extra = "".join(
        f'<Default Extension="{extension}" ContentType="{content_type}"/>'
        for extension, content_type in (defaults or {}).items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{extra}'
        f'<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
    )


def docx_file(
    *,
    main: str = WORD_MAIN,
    defaults: dict[str, str] | None = None,
    document_xml: str = DOCUMENT_XML,
    extra_parts: dict[str, bytes] | None = None,
) -> bytes:
    """A Word document as Word writes it (the smallest one Word opens)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types_xml(main, defaults))
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document_xml)
        for name, data in (extra_parts or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


@functools.cache
def zip_bomb_docx() -> bytes:
    """A .docx-shaped zip whose one extra part is 512 MB of zeros (about 520 KB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", content_types_xml())
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", DOCUMENT_XML)
        zeros = bytes(1024 * 1024)
        with archive.open("word/media/image1.png", "w", force_zip64=True) as part:
            for _ in range(512):
                part.write(zeros)
    return buffer.getvalue()


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"
)


def compound_file(children: list[tuple[str, object]]) -> bytes:
    """An OLE compound file (what Word 97-2003 writes): ``(name, bytes)`` is a stream,
    ``(name, [children])`` a storage. Streams are padded to 4 KB so none goes in the mini
    stream; the first stream starts right after the 512-byte header."""
    sector = 512
    entries: list[dict] = [{"name": "Root Entry", "type": 5, "children": children}]
    data = bytearray()
    chains: list[tuple[int, int]] = []

    def add(items: list[tuple[str, object]]) -> int:
        ordered = sorted(items, key=lambda item: (len(item[0]), item[0].upper()))
        ids = []
        for name, body in ordered:
            entry = {"name": name}
            entries.append(entry)
            ids.append(len(entries) - 1)
            if isinstance(body, bytes):
                padded = body.ljust(max(4096, -(-len(body) // sector) * sector), b"\0")
                entry.update(type=2, start=len(data) // sector, size=len(padded))
                chains.append((len(data) // sector, len(padded) // sector))
                data.extend(padded)
            else:
                entry.update(type=1, child=add(body))
        for position, entry_id in enumerate(ids):
            entries[entry_id]["right"] = ids[position + 1] if position + 1 < len(ids) else None
        return ids[0] if ids else None

    entries[0]["child"] = add(children)
    nostream, end, free = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFF
    directory = bytearray()
    for entry in entries:
        name = entry["name"].encode("utf-16-le") + b"\0\0"
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ",
            name,
            len(name),
            entry["type"],
            1,
            nostream,
            nostream if entry.get("right") is None else entry["right"],
            nostream if entry.get("child") is None else entry["child"],
            b"",
            0,
            0,
            0,
            entry.get("start", end if entry["type"] == 5 else 0),
            entry.get("size", 0),
        )
    empty = struct.pack(
        "<64sHBBIII16sIQQIQ", b"", 0, 0, 0, nostream, nostream, nostream, b"", 0, 0, 0, 0, 0
    )
    while len(directory) % sector:
        directory += empty
    directory_start = len(data) // sector
    directory_sectors = len(directory) // sector
    fat_sector = directory_start + directory_sectors
    fat = [free] * (sector // 4)
    for start, count in [*chains, (directory_start, directory_sectors)]:
        for index in range(start, start + count):
            fat[index] = index + 1 if index + 1 < start + count else end
    fat[fat_sector] = 0xFFFFFFFD
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        OLE_SIGNATURE, b"", 0x3E, 3, 0xFFFE, 9, 6, b"", 0, 1, directory_start, 0, 4096,
        end, 0, end, 0,
    ) + struct.pack("<109I", fat_sector, *([free] * 108))  # fmt: skip
    return header + bytes(data) + bytes(directory) + struct.pack(f"<{len(fat)}I", *fat)


WORD_97_FIB = b"\xec\xa5\xc1\x00"  # wIdent and nFib: the start of every Word 97-2003 file


def word_97_file(*, with_macros: bool = False) -> bytes:
    children: list[tuple[str, object]] = [
        ("WordDocument", WORD_97_FIB + b"\0" * 508),
        ("1Table", b"\0" * 512),
    ]
    if with_macros:
        children.append(("Macros", [("VBA", [("dir", b'Attribute VB_Name = "AutoOpen"')])]))
    return compound_file(children)


# --- Pictures -----------------------------------------------------------------------------


def picture(size: tuple[int, int] = (64, 48)) -> Image.Image:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).rectangle((8, 8, size[0] - 8, size[1] // 2), fill=(0, 82, 147))
    return image


def jpeg_with_metadata() -> bytes:
    """A phone photo: EXIF with a description, the software, and "rotate 90°" orientation."""
    exif = Image.Exif()
    exif[0x010E] = "Home address: 100 Main Street, Frankfort"  # ImageDescription
    exif[0x0131] = "Phone Camera 1.0"  # Software
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to show
    output = io.BytesIO()
    picture().save(output, format="JPEG", exif=exif.tobytes(), comment=b"taken at home")
    return output.getvalue()


def plain_jpeg() -> bytes:
    output = io.BytesIO()
    picture().save(output, format="JPEG", quality=85)
    return output.getvalue()


def png_with_metadata() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Home address: 100 Main Street, Frankfort")
    output = io.BytesIO()
    picture().save(output, format="PNG", pnginfo=info)
    return output.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@functools.cache
def png_bomb() -> bytes:
    """20,000 × 20,000 black-and-white pixels (400 million) in about 60 KB."""
    width = height = 20_000
    row = b"\0" + bytes(-(-width // 8))
    compressor = zlib.compressobj(9)
    packed = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + png_chunk(b"IDAT", packed)
        + png_chunk(b"IEND", b"")
    )


def truncated_png() -> bytes:
    return png_with_metadata()[:80]


# --- The corpus ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadCase:
    """One file: refused with ``refusal`` in the message, or kept when ``refusal`` is None.
    ``needs_virus_scan``: only the clamd hook can tell this file is hostile."""

    key: str
    file_name: str
    build: Callable[[], bytes]
    refusal: str | None = None
    needs_virus_scan: bool = False

    @property
    def hostile(self) -> bool:
        return self.refusal is not None


NOT_ACCEPTED = "is not a PDF, Word document or image"
MACROS = "contains macros, which are not accepted"
PROGRAM_INSIDE = "has a program inside it"

HOSTILE = (
    UploadCase("zip-bomb", "application.docx", zip_bomb_docx, "would expand to more than 100 MB"),
    UploadCase(
        "docm-renamed-docx",
        "application.docx",
        lambda: docx_file(
            main=MACRO_MAIN,
            defaults={"bin": "application/vnd.ms-office.vbaProject"},
            extra_parts={"word/vbaProject.bin": OLE_SIGNATURE + b"\0" * 512},
        ),
        MACROS,
    ),
    UploadCase(
        "docm",
        "application.docm",
        lambda: docx_file(
            main=MACRO_MAIN, extra_parts={"word/vbaProject.bin": OLE_SIGNATURE + b"\0" * 512}
        ),
        MACROS,
    ),
    UploadCase(
        "zip-with-exe-and-word-parts",
        "application.docx",
        lambda: docx_file(extra_parts={"word/embeddings/setup.exe": WINDOWS_PROGRAM}),
        PROGRAM_INSIDE,
    ),
    UploadCase(
        "docx-with-program-named-as-picture",
        "application.docx",
        lambda: docx_file(extra_parts={"word/media/image1.png": WINDOWS_PROGRAM}),
        PROGRAM_INSIDE,
    ),
    UploadCase(
        "docx-with-embedded-ole-object",
        "application.docx",
        lambda: docx_file(
            defaults={"bin": "application/vnd.openxmlformats-officedocument.oleObject"},
            extra_parts={"word/embeddings/oleObject1.bin": OLE_SIGNATURE + b"\0" * 512},
        ),
        "has an embedded object inside it",
    ),
    UploadCase(
        "docx-billion-laughs",
        "application.docx",
        lambda: docx_file(document_xml=BILLION_LAUGHS),
        "contains XML that Word does not write",
    ),
    UploadCase("plain-zip-named-docx", "application.docx", lambda: _plain_zip(), NOT_ACCEPTED),
    UploadCase(
        "doc-with-macros", "application.doc", lambda: word_97_file(with_macros=True), MACROS
    ),
    UploadCase("four-byte-pdf", "application.pdf", lambda: b"%PDF", "is not a readable PDF"),
    UploadCase(
        "pdf-header-then-garbage",
        "application.pdf",
        lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8,
        "is not a readable PDF",
    ),
    UploadCase(
        "pdf-open-action-javascript",
        "application.pdf",
        lambda: one_page_pdf(
            catalog=b"/OpenAction 6 0 R",
            extra_objects=(
                b"<< /Type /Action /S /JavaScript /JS (app.alert('Hello from PDF');) >>",
            ),
        ),
        "contains JavaScript and actions that run by themselves when it is opened",
    ),
    UploadCase(
        "pdf-javascript-spelled-with-escapes",
        "application.pdf",
        lambda: one_page_pdf(
            page=b"/Annots [6 0 R]",
            extra_objects=(
                b"<< /Type /Annot /Subtype /Link /Rect [72 600 300 620] "
                b"/A << /S /J#61vaScript /J#53 (app.alert(1);) >> >>",
            ),
        ),
        "contains JavaScript",
    ),
    UploadCase(
        "pdf-page-additional-action",
        "application.pdf",
        lambda: one_page_pdf(
            page=b"/AA << /O 6 0 R >>",
            extra_objects=(b"<< /S /URI /URI (https://attacker.example/track) >>",),
        ),
        "contains actions that run by themselves when it is opened",
    ),
    UploadCase(
        "pdf-launch-action",
        "application.pdf",
        lambda: one_page_pdf(
            page=b"/Annots [6 0 R]",
            extra_objects=(
                b"<< /Type /Annot /Subtype /Link /Rect [72 600 300 620] "
                b"/A << /S /Launch /F (cmd.exe) >> >>",
            ),
        ),
        "contains actions that open other programs or files",
    ),
    UploadCase(
        "pdf-with-eicar-attached",
        "application.pdf",
        lambda: one_page_pdf(
            catalog=b"/Names << /EmbeddedFiles << /Names [(eicar.com) 6 0 R] >> >>",
            extra_objects=(
                b"<< /Type /Filespec /F (eicar.com) /EF << /F 7 0 R >> >>",
                pdf_stream(EICAR, b"/Type /EmbeddedFile"),
            ),
        ),
        "contains files attached inside it",
    ),
    UploadCase(
        "pdf-locked-with-password",
        "application.pdf",
        lambda: pdf_locked(user_password="secret"),
        "is protected by a password",
    ),
    UploadCase(
        "pdf-with-eicar-in-its-text",
        "application.pdf",
        lambda: one_page_pdf(content_prefix=b"% " + EICAR + b"\n"),
        "the virus scanner found “Eicar-Test-Signature”",
        needs_virus_scan=True,
    ),
    UploadCase("windows-exe-named-pdf", "application.pdf", lambda: WINDOWS_PROGRAM, NOT_ACCEPTED),
    UploadCase("linux-program-named-docx", "application.docx", lambda: ELF_PROGRAM, NOT_ACCEPTED),
    UploadCase("eicar-named-pdf", "application.pdf", lambda: EICAR, NOT_ACCEPTED),
    UploadCase(
        "html-named-pdf",
        "application.pdf",
        lambda: b"<html><script>alert(document.cookie)</script></html>",
        NOT_ACCEPTED,
    ),
    UploadCase(
        "svg-with-script-named-png",
        "scan.png",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        NOT_ACCEPTED,
    ),
    UploadCase("image-bomb", "scan.png", png_bomb, "the largest picture accepted has 40 million"),
    UploadCase("truncated-png", "scan.png", truncated_png, "is not a readable picture"),
    UploadCase("png-named-pdf", "application.pdf", png_with_metadata, "does not match its content"),
)

GENUINE = (
    UploadCase("pdf", "application.pdf", one_page_pdf),
    UploadCase(
        "pdf-with-link-and-opening-page",
        "application.pdf",
        lambda: one_page_pdf(
            catalog=b"/OpenAction [3 0 R /Fit]",
            page=b"/Annots [6 0 R]",
            extra_objects=(
                b"<< /Type /Annot /Subtype /Link /Rect [72 600 300 620] "
                b"/A << /S /URI /URI (https://kdla.ky.gov/) >> >>",
            ),
        ),
    ),
    UploadCase(
        "pdf-with-owner-password-only", "application.pdf", lambda: pdf_locked(user_password="")
    ),
    UploadCase("docx", "application.docx", docx_file),
    UploadCase(
        "docx-with-picture",
        "application.docx",
        lambda: docx_file(
            defaults={"png": "image/png"},
            extra_parts={"word/media/image1.png": png_with_metadata()},
        ),
    ),
    UploadCase("doc", "application.doc", word_97_file),
    UploadCase("jpg-with-metadata", "photo.jpg", jpeg_with_metadata),
    UploadCase("jpeg", "scan.jpeg", plain_jpeg),
    UploadCase("png-with-metadata", "scan.png", png_with_metadata),
)

CORPUS = HOSTILE + GENUINE


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "Not a Word document.")
    return buffer.getvalue()


def write_corpus(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for case in CORPUS:
        prefix = "hostile" if case.hostile else "genuine"
        path = folder / f"{prefix}-{case.key}-{case.file_name}"
        path.write_bytes(case.build())
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_corpus(Path(sys.argv[1] if len(sys.argv) > 1 else "upload-corpus")):
        print(f"{path.stat().st_size:>10,}  {path}")
