"""PDFs: parsed with pypdf and refused when they are unreadable, locked, empty, or carry
anything that runs or hides another file (docs/decisions/0010-deep-upload-checks.md).

Every object reachable from the trailer is visited once, so a feature is found wherever it
sits (document catalogue, a page, an annotation, a form field) and however its name is
spelled (``/J#61vaScript`` is read as ``/JavaScript``).
"""

from __future__ import annotations

import io

from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

from documents.refusal import ContentRefused

PDF = "application/pdf"
UNREADABLE = (
    "is not a readable PDF (it is damaged or incomplete). Open it in a PDF reader, save or "
    "print it as a new PDF, and upload that copy."
)
LOCKED = "is protected by a password, so KDLA cannot open it. Upload a copy without a password."
NO_PAGES = "has no pages. Upload the completed document."
TOO_COMPLEX = "holds more objects than any document needs, so it was not opened."
# More than a 10 MB document holds; beyond it the walk would only cost time.
MAX_VISITED_OBJECTS = 500_000

JAVASCRIPT = "JavaScript"
AUTOMATIC_ACTION = "actions that run by themselves when it is opened"
PROGRAM_LAUNCH = "actions that open other programs or files"
ATTACHED_FILES = "files attached inside it"
FINDING_ORDER = (JAVASCRIPT, AUTOMATIC_ACTION, PROGRAM_LAUNCH, ATTACHED_FILES)

SCRIPT_KEYS = frozenset({"/JS", "/JavaScript", "/XFA"})
ATTACHMENT_KEYS = frozenset({"/EmbeddedFiles", "/EF"})
LAUNCH_ACTIONS = frozenset({"/Launch", "/ImportData"})
ATTACHMENT_ACTIONS = frozenset({"/GoToE"})
ATTACHMENT_TYPES = frozenset({"/EmbeddedFile", "/FileAttachment", "/RichMedia"})


def check_pdf(content: bytes) -> None:
    """Returns when the PDF is safe to store as sent; raises ContentRefused."""
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise ContentRefused(LOCKED)
        findings = _features_refused(reader)
        page_count = len(reader.pages)
    except ContentRefused:
        raise
    except Exception as error:  # pypdf raises many kinds of error on forged input
        raise ContentRefused(UNREADABLE) from error
    if findings:
        raise ContentRefused(
            f"contains {_listed(findings)}, which uploaded PDFs may not carry. Print it to a new "
            "PDF (File › Print, then “Save as PDF” or “Microsoft Print to PDF”) and upload that "
            "copy."
        )
    if page_count == 0:
        raise ContentRefused(NO_PAGES)


def _features_refused(reader: PdfReader) -> set[str]:
    findings: set[str] = set()
    seen: set[tuple[int, int]] = set()
    pending: list[PdfObject] = [reader.trailer]
    visited = 0
    while pending:
        node = pending.pop()
        if isinstance(node, IndirectObject):
            reference = (node.idnum, node.generation)
            if reference in seen:
                continue
            seen.add(reference)
            node = node.get_object()
        visited += 1
        if visited > MAX_VISITED_OBJECTS:
            raise ContentRefused(TOO_COMPLEX)
        if isinstance(node, DictionaryObject):
            findings |= _dictionary_features(node)
            pending.extend(dict.values(node))
        elif isinstance(node, ArrayObject):
            pending.extend(list.__iter__(node))
    return findings


def _dictionary_features(node: DictionaryObject) -> set[str]:
    keys = set(node.keys())
    found = set()
    if keys & SCRIPT_KEYS or _name(node, "/S") == "/JavaScript":
        found.add(JAVASCRIPT)
    if "/AA" in keys or ("/OpenAction" in keys and not _only_shows_a_page(node["/OpenAction"])):
        found.add(AUTOMATIC_ACTION)
    if _name(node, "/S") in LAUNCH_ACTIONS:
        found.add(PROGRAM_LAUNCH)
    if (
        keys & ATTACHMENT_KEYS
        or _name(node, "/S") in ATTACHMENT_ACTIONS
        or _name(node, "/Type") in ATTACHMENT_TYPES
        or _name(node, "/Subtype") in ATTACHMENT_TYPES
    ):
        found.add(ATTACHED_FILES)
    return found


def _only_shows_a_page(open_action: PdfObject) -> bool:
    """An opening destination (which page, which zoom) is kept: many PDF writers add one.
    Any other opening action (a script, a link, a form submission) is refused."""
    if isinstance(open_action, ArrayObject):
        return True
    return isinstance(open_action, DictionaryObject) and _name(open_action, "/S") == "/GoTo"


def _name(node: DictionaryObject, key: str) -> str | None:
    value = node.get(key)
    value = value.get_object() if isinstance(value, IndirectObject) else value
    return str(value) if isinstance(value, str) else None


def _listed(findings: set[str]) -> str:
    ordered = [finding for finding in FINDING_ORDER if finding in findings]
    if len(ordered) == 1:
        return ordered[0]
    return ", ".join(ordered[:-1]) + " and " + ordered[-1]
