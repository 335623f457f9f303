"""Word documents: .docx (a zip of XML parts) and Word 97-2003 .doc (an OLE compound file).

Both are refused when they carry macros, programs or embedded objects; a .docx is opened
within the zip limits and each of its XML parts is parsed through defusedxml, which refuses
entity declarations (the "billion laughs") and external references.
"""

from __future__ import annotations

import io
from pathlib import PurePosixPath
from zipfile import ZipFile, ZipInfo

import olefile
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from documents.refusal import NOT_ACCEPTED, ContentRefused
from documents.zip_limits import (
    DOCUMENT_ZIP_LIMITS,
    ZipRefused,
    open_zip_within_limits,
    read_entry,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"
WORD_MAIN_PART = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CONTENT_TYPES_PART = "[Content_Types].xml"

MACROS = (
    "contains macros, which are not accepted. Save a copy without macros (in Word: File › "
    "Save As, and choose the type “Word Document”) and upload that copy."
)
EMBEDDED_OBJECT = (
    "has an embedded object inside it (such as an attached file or an old-style equation), "
    "which is not accepted. Remove the object, or save the document as a PDF, and upload that."
)
UNUSUAL_XML = (
    "contains XML that Word does not write (declarations of entities or a document type), "
    "so it was not opened. Open it in Word, save it again, and upload that copy."
)
DAMAGED_WORD = "is damaged or incomplete. Open it in Word, save it again, and upload that copy."

# Content types of parts that hold or run code: VBA projects and ActiveX controls.
MACRO_CONTENT_TYPE_MARKERS = ("macroenabled", "vbaproject", "vbadata", "activex", "ms-office.vba")
MACRO_PART_NAMES = frozenset({"vbaproject.bin", "vbadata.xml", "vbaprojectsignature.bin"})
OLE_OBJECT_CONTENT_TYPE_MARKER = "oleobject"
PROGRAM_SUFFIXES = frozenset(
    {
        ".exe", ".dll", ".com", ".scr", ".msi", ".msp", ".pif", ".cpl", ".sys", ".bat", ".cmd",
        ".ps1", ".vbs", ".vbe", ".js", ".jse", ".wsf", ".wsh", ".hta", ".jar", ".lnk", ".sh",
        ".elf", ".so", ".dylib", ".app", ".reg", ".inf",
    }
)  # fmt: skip
PROGRAM_SIGNATURES = (
    b"MZ",  # Windows
    b"\x7fELF",  # Linux
    b"\xcf\xfa\xed\xfe",  # macOS (64-bit Mach-O)
    b"\xce\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",  # scripts
)
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Storages of a .doc that hold a VBA project, and that hold embedded objects.
DOC_MACRO_STORAGES = frozenset({"macros", "_vba_project_cur", "vba"})
DOC_OBJECT_STORAGES = frozenset({"objectpool", "\x01ole10native"})


def check_docx(content: bytes) -> None:
    """Returns when the .docx is safe to store as sent; raises ContentRefused."""
    try:
        _check_docx_parts(open_zip_within_limits(content, DOCUMENT_ZIP_LIMITS))
    except ZipRefused as error:
        raise ContentRefused(
            f"{error.reason}, so it was not opened. Upload the document as Word saved it, or "
            "save it as a PDF and upload that."
        ) from error


def _check_docx_parts(archive: ZipFile) -> None:
    entries = {entry.filename: entry for entry in archive.infolist()}
    if CONTENT_TYPES_PART not in entries:
        raise ContentRefused(NOT_ACCEPTED)
    content_types = _declared_content_types(archive, entries[CONTENT_TYPES_PART])
    if any(
        marker in declared for declared in content_types for marker in MACRO_CONTENT_TYPE_MARKERS
    ):
        raise ContentRefused(MACROS)
    if any(OLE_OBJECT_CONTENT_TYPE_MARKER in declared for declared in content_types):
        raise ContentRefused(EMBEDDED_OBJECT)
    for entry in entries.values():
        _check_part_name(entry.filename)
    for entry in entries.values():
        _check_part_content(archive, entry)
    if WORD_MAIN_PART not in content_types:
        raise ContentRefused(NOT_ACCEPTED)


def check_doc(content: bytes) -> None:
    """Returns when the Word 97-2003 .doc is safe to store as sent; raises ContentRefused."""
    try:
        with olefile.OleFileIO(io.BytesIO(content)) as compound:
            paths = compound.listdir(streams=True, storages=True)
            is_word = compound.exists("WordDocument")
    except Exception as error:  # olefile raises OSError and assorted errors on forged input
        raise ContentRefused(DAMAGED_WORD) from error
    names = {name.lower() for path in paths for name in path}
    if names & DOC_MACRO_STORAGES:
        raise ContentRefused(MACROS)
    if names & DOC_OBJECT_STORAGES:
        raise ContentRefused(EMBEDDED_OBJECT)
    if not is_word:
        raise ContentRefused(NOT_ACCEPTED)


def _declared_content_types(archive: ZipFile, entry: ZipInfo) -> set[str]:
    root = _parse_xml(read_entry(archive, entry))
    return {
        element.get("ContentType", "").strip().lower()
        for element in root
        if element.tag.rsplit("}", 1)[-1] in {"Default", "Override"}
    }


def _check_part_name(name: str) -> None:
    path = PurePosixPath(name.lower())
    if path.name in MACRO_PART_NAMES:
        raise ContentRefused(MACROS)
    if path.suffix in PROGRAM_SUFFIXES:
        raise ContentRefused(_program_inside(name))


def _check_part_content(archive: ZipFile, entry: ZipInfo) -> None:
    if entry.is_dir():
        return
    data = read_entry(archive, entry, DOCUMENT_ZIP_LIMITS)
    if data.startswith(PROGRAM_SIGNATURES):
        raise ContentRefused(_program_inside(entry.filename))
    if data.startswith(OLE_SIGNATURE):
        raise ContentRefused(EMBEDDED_OBJECT)
    if PurePosixPath(entry.filename.lower()).suffix in {".xml", ".rels"}:
        _parse_xml(data)


def _parse_xml(data: bytes):
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise ContentRefused(UNUSUAL_XML) from error
    except ParseError as error:
        raise ContentRefused(DAMAGED_WORD) from error


def _program_inside(part_name: str) -> str:
    return (
        f"has a program inside it (“{PurePosixPath(part_name).name}”), which is not accepted. "
        "Upload the document without it."
    )
