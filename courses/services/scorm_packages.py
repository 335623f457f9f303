"""Checking, storing and serving SCORM packages.

A package is refused before anything is stored unless it is a zip within the limits every
uploaded archive keeps (``documents.zip_limits``: entry count, total size and compression ratio
against zip bombs, every entry named inside the archive, no password), with no link, holding no
program or macro-bearing document,
with an ``imsmanifest.xml`` (parsed with defusedxml) whose default organisation names at least
one SCO, every SCO's launch file in the zip.
The checked files are then written to private storage (the default storage: a folder on disk
or a private S3 bucket) under a prefix of their own.
"""

from __future__ import annotations

import posixpath
import stat
import uuid
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO

from defusedxml import ElementTree
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max

from accounts.models import User
from courses.models import CourseModule, ScormPackage, ScormSco
from documents.zip_limits import (
    MEBIBYTE,
    ZipLimits,
    ZipRefused,
    open_zip_within_limits,
    read_entry,
)

# A course package holds far more files than a document: its own, larger limits.
SCORM_ZIP_LIMITS = ZipLimits(max_entries=5000, max_total_uncompressed_bytes=500 * MEBIBYTE)
MANIFEST = "imsmanifest.xml"
# Programs and documents that can carry macros: never part of web content a browser plays.
REFUSED_SUFFIXES = {
    ".exe", ".dll", ".com", ".bat", ".cmd", ".msi", ".msp", ".scr", ".pif", ".cpl", ".sys",
    ".sh", ".bash", ".ps1", ".psm1", ".vbs", ".vbe", ".wsf", ".wsh", ".jar", ".apk", ".app",
    ".dmg", ".deb", ".rpm", ".elf", ".so", ".dylib", ".py", ".php", ".pl", ".cgi", ".asp",
    ".aspx", ".jsp", ".lnk", ".reg", ".hta",
    ".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".pptm", ".potm", ".ppsm", ".ppam", ".sldm",
}  # fmt: skip
# Windows (MZ), Linux (ELF) and macOS (Mach-O) program headers, whatever the file is called.
PROGRAM_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe")


# More SCOs than any real course has; each becomes a row and a learner's attempt.
MAX_SCOS = 500


@dataclass(frozen=True)
class CheckedSco:
    identifier: str
    title: str
    launch_path: str
    launch_parameters: str
    mastery_score: Decimal | None
    completion_threshold: Decimal | None
    scaled_passing_score: Decimal | None


@dataclass(frozen=True)
class CheckedManifest:
    standard: str
    title: str
    scos: tuple[CheckedSco, ...]

    @property
    def first_sco(self) -> CheckedSco:
        return self.scos[0]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attribute(element, name: str) -> str:
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value.strip()
    return ""


def _children(element, name: str):
    return [child for child in element if _local(child.tag) == name]


def _descendants(element, name: str):
    return [child for child in element.iter() if _local(child.tag) == name]


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip()) if text and text.strip() else None
    except InvalidOperation:
        return None


def _entry_refusal(info: zipfile.ZipInfo) -> str | None:
    """What a package may not hold beyond the zip limits: links and programs."""
    name = info.filename
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"The package contains a link ({name}); links are not accepted."
    suffix = posixpath.splitext(name.lower())[1]
    if suffix in REFUSED_SUFFIXES:
        return (
            f"The package contains a program or a document with macros ({name}); "
            "SCORM packages may only hold web content."
        )
    return None


def _opened_package(upload: IO[bytes]) -> zipfile.ZipFile:
    upload.seek(0)
    try:
        return open_zip_within_limits(upload, SCORM_ZIP_LIMITS)
    except ZipRefused as refused:
        raise ValidationError(f"The package {refused.reason}; it was refused.") from refused


def _checked_entries(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    entries = archive.infolist()
    for info in entries:
        refusal = _entry_refusal(info)
        if refusal:
            raise ValidationError(refusal)
    return [info for info in entries if not info.is_dir()]


def _standard(root) -> str:
    versions = _descendants(root, "schemaversion")
    version_text = (versions[0].text or "").strip() if versions else ""
    if "2004" in version_text or "CAM 1.3" in version_text:
        return ScormPackage.Standard.SCORM_2004
    return ScormPackage.Standard.SCORM_12


def _default_organization(root):
    """The organisation named by ``<organizations default>``, else the first one."""
    organizations = _descendants(root, "organization")
    holders = _descendants(root, "organizations")
    default = _attribute(holders[0], "default") if holders else ""
    chosen = [org for org in organizations if default and _attribute(org, "identifier") == default]
    return (chosen or organizations or [None])[0]


def _own(element, name: str) -> list:
    """Descendants called ``name`` that belong to this item, not to an item nested in it."""
    found = []
    for child in element:
        if _local(child.tag) == "item":
            continue
        if _local(child.tag) == name:
            found.append(child)
        found.extend(_own(child, name))
    return found


def _is_sco(resource) -> bool:
    # Both editions require the attribute (1.2 scormtype, 2004 scormType); a resource that
    # leaves it out is taken as a SCO, as it was before SCO rows, rather than skipped.
    return _attribute(resource, "scormtype").lower() in ("sco", "")


def _launch_parameters(href: str, parameters: str) -> str:
    """The query and fragment of the launch address: the href's own, then the item's
    ``parameters`` (IMS CP: joined with ``&`` when the href already has a query)."""
    path_and_query, _, href_fragment = href.partition("#")
    query = path_and_query.partition("?")[2]
    extra, _, extra_fragment = parameters.strip().partition("#")
    extra = extra.lstrip("?&")
    query = "&".join(part for part in (query, extra) if part)
    fragment = extra_fragment or href_fragment
    return (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")


def _completion_threshold(item) -> Decimal | None:
    """SCORM 2004 3rd edition gives the threshold as the element's text; 4th edition as
    ``minProgressMeasure``, applied only when ``completedByMeasure`` is true (its default is
    false: the SCO's own completion status then stands)."""
    thresholds = _own(item, "completionThreshold")
    if not thresholds:
        return None
    element = thresholds[0]
    if _attribute(element, "completedByMeasure") or _attribute(element, "minProgressMeasure"):
        if _attribute(element, "completedByMeasure").lower() != "true":
            return None
        return _decimal(_attribute(element, "minProgressMeasure") or "1.0")
    return _decimal(element.text or "")


def _scaled_passing_score(item) -> Decimal | None:
    """The primary objective's minimum normalised measure, applied only when the objective is
    satisfied by measure (default false: the SCO's own success status then stands); 1.0 when
    the measure is not given, as the standard says."""
    objectives = _own(item, "primaryObjective")
    if not objectives or _attribute(objectives[0], "satisfiedByMeasure").lower() != "true":
        return None
    measures = _descendants(objectives[0], "minNormalizedMeasure")
    return _decimal(measures[0].text or "") if measures else Decimal("1.0")


def _item_thresholds(item) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """The item's mastery score (1.2), completion threshold and passing score (2004)."""
    mastery = _own(item, "masteryscore")
    return (
        _decimal(mastery[0].text or "") if mastery else None,
        _completion_threshold(item),
        _scaled_passing_score(item),
    )


def _checked_sco(item, resource, names: set[str], *, number: int, count: int) -> CheckedSco:
    base = _attribute(resource, "base")
    href = _attribute(resource, "href")
    titles = _children(item, "title")
    title = (titles[0].text or "").strip()[:300] if titles else ""
    launch_path = posixpath.normpath(posixpath.join(base, href.split("?", 1)[0].split("#", 1)[0]))
    if not href or launch_path.startswith("../") or launch_path not in names:
        which = (
            f" It is the launch file of “{title}”, SCO {number} of {count}." if count > 1 else ""
        )
        raise ValidationError(
            f"The launch file named in imsmanifest.xml ({href or 'none'}) is not in the "
            f"package.{which}"
        )
    parameters = _launch_parameters(href, _attribute(item, "parameters"))
    if len(parameters) > 1000 or any(char.isspace() or char in "\"'<>" for char in parameters):
        raise ValidationError(
            f"The launch parameters of “{title}” in imsmanifest.xml are not a web address's "
            "query (too long, or with spaces or quotes)."
        )
    mastery, threshold, passing = _item_thresholds(item)
    for name, value, low, high in (
        ("mastery score", mastery, 0, 100),
        ("completion threshold", threshold, 0, 1),
        ("passing score (minimum normalised measure)", passing, -1, 1),
    ):
        if value is not None and not low <= value <= high:
            raise ValidationError(
                f"imsmanifest.xml gives “{title}” a {name} of {value}; it must be between "
                f"{low} and {high}."
            )
    return CheckedSco(
        identifier=_attribute(item, "identifier")[:200],
        title=title,
        launch_path=launch_path,
        launch_parameters=parameters,
        mastery_score=mastery,
        completion_threshold=threshold,
        scaled_passing_score=passing,
    )


def _checked_scos(organization, resources: dict, names: set[str]) -> tuple[CheckedSco, ...]:
    """Every SCO of the organisation, nested items flattened in document order; each SCO's
    launch file must be in the package."""
    items = _descendants(organization, "item") if organization is not None else []
    launchable = [
        (item, resources[_attribute(item, "identifierref")])
        for item in items
        if _attribute(item, "identifierref") in resources
        and _is_sco(resources[_attribute(item, "identifierref")])
    ]
    if not launchable:
        raise ValidationError(
            "The package's imsmanifest.xml names no item with a resource to launch."
        )
    if len(launchable) > MAX_SCOS:
        raise ValidationError(
            f"The package has more than {MAX_SCOS} SCOs; split it into several modules."
        )
    identifiers = [_attribute(item, "identifier") for item, _ in launchable]
    repeated = sorted({name for name in identifiers if name and identifiers.count(name) > 1})
    if repeated:
        raise ValidationError(
            f"The package's imsmanifest.xml gives more than one item the identifier "
            f"{repeated[0]}; each item needs its own."
        )
    count = len(launchable)
    return tuple(
        _checked_sco(item, resource, names, number=number, count=count)
        for number, (item, resource) in enumerate(launchable, start=1)
    )


def _checked_manifest(archive: zipfile.ZipFile, names: set[str]) -> CheckedManifest:
    if MANIFEST not in names:
        raise ValidationError(
            "The package has no imsmanifest.xml at its top level, so it is not a SCORM package."
        )
    manifest = _read_package_entry(archive, archive.getinfo(MANIFEST))
    try:
        root = ElementTree.fromstring(manifest)
    except Exception as error:  # defusedxml raises several kinds for hostile or broken XML
        raise ValidationError("The package's imsmanifest.xml could not be read as XML.") from error
    resources = {
        _attribute(resource, "identifier"): resource for resource in _descendants(root, "resource")
    }
    organization = _default_organization(root)
    titles = _children(organization, "title") if organization is not None else []
    return CheckedManifest(
        standard=_standard(root),
        title=(titles[0].text or "").strip()[:300] if titles else "",
        scos=_checked_scos(organization, resources, names),
    )


def _refuse_programs(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    for info in entries:
        with archive.open(info) as member:
            if member.read(4).startswith(PROGRAM_MAGIC):
                raise ValidationError(
                    f"The package contains a program ({info.filename}); SCORM packages may "
                    "only hold web content."
                )


def scorm_package_checked(upload: IO[bytes]) -> tuple[CheckedManifest, list[zipfile.ZipInfo]]:
    """Refuses anything but a well-formed, contained SCORM package (see the module's doc)."""
    if not zipfile.is_zipfile(upload):
        raise ValidationError(
            "The file is not a zip file. Upload the .zip your authoring tool exported."
        )
    archive = _opened_package(upload)
    entries = _checked_entries(archive)
    manifest = _checked_manifest(archive, {info.filename for info in entries})
    _refuse_programs(archive, entries)
    return manifest, entries


def _read_package_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        return read_entry(archive, info, SCORM_ZIP_LIMITS)
    except ZipRefused as refused:
        raise ValidationError(f"The package {refused.reason}; it was refused.") from refused


@transaction.atomic
def scorm_package_upload(
    *, module: CourseModule, upload: IO[bytes], original_name: str, uploaded_by: User
) -> ScormPackage:
    """Checks the package, stores its files privately and records it as the module's next
    version."""
    if module.kind != CourseModule.Kind.SCORM:
        raise ValidationError(f"{module.title} is not a SCORM module.")
    manifest, entries = scorm_package_checked(upload)
    prefix = f"scorm/{uuid.uuid4().hex}"
    for info in entries:
        # Storage cleans file names (spaces, odd characters); a package whose pages link to
        # names that would change cannot be played, so it is refused before anything is written.
        if (
            default_storage.generate_filename(f"{prefix}/{info.filename}")
            != f"{prefix}/{info.filename}"
        ):
            raise ValidationError(
                f"The package has a file whose name cannot be stored as it is ({info.filename}). "
                "Re-export it with file names made of letters, digits, dots, dashes and underscores."
            )
    module = CourseModule.objects.select_for_update().get(pk=module.pk)
    last = ScormPackage.objects.filter(module=module).aggregate(last=Max("version"))["last"]
    archive = _opened_package(upload)
    for info in entries:
        content = _read_package_entry(archive, info)
        stored = default_storage.save(f"{prefix}/{info.filename}", ContentFile(content))
        if stored != f"{prefix}/{info.filename}":
            raise ValidationError(f"{info.filename} could not be stored under its own name.")
    first = manifest.first_sco
    package = ScormPackage.objects.create(
        module=module,
        version=(last or 0) + 1,
        standard=manifest.standard,
        title=manifest.title,
        launch_path=first.launch_path,
        storage_prefix=prefix,
        original_name=original_name[:255],
        entry_count=len(entries),
        total_bytes=sum(info.file_size for info in entries),
        mastery_score=first.mastery_score,
        completion_threshold=first.completion_threshold,
        scaled_passing_score=first.scaled_passing_score,
        uploaded_by=uploaded_by,
    )
    ScormSco.objects.bulk_create(
        ScormSco(
            package=package,
            order=order,
            identifier=sco.identifier,
            title=sco.title,
            launch_path=sco.launch_path,
            launch_parameters=sco.launch_parameters,
            mastery_score=sco.mastery_score,
            completion_threshold=sco.completion_threshold,
            scaled_passing_score=sco.scaled_passing_score,
        )
        for order, sco in enumerate(manifest.scos, start=1)
    )
    return package


def scorm_package_file_path(*, package: ScormPackage, path: str) -> str | None:
    """The storage name of a file of the package, or None for a path that leaves it."""
    if "\\" in path or "\x00" in path:
        return None
    normal = posixpath.normpath(path)
    if normal.startswith(("/", "../")) or normal in ("..", "."):
        return None
    return f"{package.storage_prefix}/{normal}"
