"""Checks on a user file before anything parses it: size, emptiness, extension, content, zip safety.

The content check is `gate.verify_content`: the format is decided by extension and content
together. A zip (zipped Shapefile, and .xlsx, which is a zip too) is refused when a member name is
absolute, climbs out with `..` (zip slip) or is too long for a file system, when a member is
encrypted or packed with a method Python cannot unpack (deflate64, ...), when its members add up to more than `max_unzipped_mb`, or
when it expands more than `max_zip_ratio` times (zip bomb; only checked above `RATIO_MIN_BYTES`,
small files compress well without being bombs). A member whose header lies about its size fails
its CRC check while unpacking (see `extract_zip`).
"""

from __future__ import annotations

import re
import shutil
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from locatiescan.errors import InputError
from locatiescan.importers import gate
from locatiescan.settings import settings

MIB = 1024 * 1024
RATIO_MIN_BYTES = 1 * MIB
SNIFF_BYTES = 64 * 1024
CHUNK = 64 * 1024
MAX_MEMBERS = 10_000
MAX_NAME_PART_BYTES = 255  # longest file name on common file systems
MAX_NAME_BYTES = 1024
PACKING = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
THEME_KINDS = {
    ".tif": "geotiff",
    ".tiff": "geotiff",
    ".gpkg": "gpkg",
    ".geojson": "geojson",
    ".json": "geojson",
    ".shp": "shp",
}

KINDS: dict[str, str] = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".zip": "shapezip",
    ".kml": "kml",
    ".csv": "csv",
    ".xlsx": "xlsx",
}
KIND_LABELS = {
    "geojson": "GeoJSON",
    "gpkg": "GeoPackage",
    "shapezip": "zipped Shapefile",
    "kml": "KML",
    "csv": "CSV",
    "xlsx": "Excel (.xlsx)",
}


def _looks_like(kind: str, head: bytes) -> bool:
    """Whether the first bytes fit the format the extension promises."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if kind == "geojson":
        return text.startswith(b"{")
    if kind == "gpkg":
        return head.startswith(b"SQLite format 3\x00")
    if kind in ("shapezip", "xlsx"):
        return head.startswith((b"PK\x03\x04", b"PK\x05\x06"))
    if kind == "kml":
        return text.startswith(b"<") and b"<kml" in head.lower()
    return b"\x00" not in head  # csv: text, no NUL bytes


def check_size(size: int, name: str) -> None:
    """Refuse an empty file and a file above `settings().max_upload_mb`."""
    limit_mb = settings().max_upload_mb
    if size == 0:
        msg = f"{name}: the file is empty"
        raise InputError(msg, f"{name}: het bestand is leeg")
    if size > limit_mb * MIB:
        msg = f"{name}: {size / MIB:.1f} MB is above the limit of {limit_mb:g} MB"
        raise InputError(
            msg, f"{name}: {size / MIB:.1f} MB is groter dan de grens van {limit_mb:g} MB"
        )


def check_file(path: Path, original_name: str | None = None) -> str:
    """The file's kind ("geojson", "gpkg", ...) after size, extension and content checks."""
    name = original_name or path.name
    if not path.is_file():
        msg = f"{name}: file not found"
        raise InputError(msg, f"{name}: bestand niet gevonden")
    check_size(path.stat().st_size, name)
    suffix = Path(name).suffix.casefold()
    if suffix not in KINDS:
        allowed = ", ".join(KINDS)
        msg = f"{name}: unsupported file type {suffix or '(none)'}; supported: {allowed}"
        nl = f"{name}: bestandstype {suffix or '(geen)'} wordt niet ondersteund; wel: {allowed}"
        raise InputError(msg, nl)
    kind = KINDS[suffix]
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not _looks_like(kind, head):
        label = KIND_LABELS[kind]
        msg = f"{name}: the content is not {label}, although the name ends in {suffix}"
        nl = f"{name}: de inhoud is geen {label}, hoewel de naam eindigt op {suffix}"
        raise InputError(msg, nl)
    gate.verify_content(path, kind, name)
    if kind == "xlsx":
        with open_zip(path, name) as archive:
            parts = set(archive.namelist())
        if not all(part in parts for part in XLSX_PARTS):
            msg = f"{name}: cannot be read, the zip is not an Excel workbook (no xl/workbook.xml)"
            nl = f"{name}: kan niet worden gelezen, de zip is geen Excel-werkmap"
            raise InputError(msg, nl)
    return kind


def theme_layer_kind(path: Path) -> str:
    """The kind of a user's theme layer file (GeoTIFF or vector) after all checks."""
    name = path.name
    if not path.is_file():
        raise InputError(f"{name}: file not found", f"{name}: bestand niet gevonden")
    check_size(path.stat().st_size, name)
    kind = THEME_KINDS.get(path.suffix.casefold())
    if kind is None:
        allowed = ", ".join(THEME_KINDS)
        msg = f"{name}: unsupported theme layer type; supported: {allowed}"
        raise InputError(msg, f"{name}: dit type themalaag wordt niet ondersteund; wel: {allowed}")
    gate.verify_content(path, kind, name)
    return kind


def _unsafe_name(member: str) -> bool:
    """Absolute paths, drive letters and `..` components."""
    unified = member.replace("\\", "/")
    return (
        unified.startswith("/")
        or bool(re.match(r"^[A-Za-z]:", unified))
        or ".." in PurePosixPath(unified).parts
    )


def _long_name(member: str) -> bool:
    encoded = member.encode("utf-8", "surrogateescape")
    parts = encoded.replace(b"\\", b"/").split(b"/")
    return len(encoded) > MAX_NAME_BYTES or any(len(p) > MAX_NAME_PART_BYTES for p in parts)


def _member_problem(members: list[zipfile.ZipInfo]) -> tuple[str, str] | None:
    """Why the members cannot be unpacked safely (English, Dutch), or None."""
    if len(members) > MAX_MEMBERS:
        count = len(members)
        return (
            f"the zip has {count} members (limit {MAX_MEMBERS})",
            f"de zip bevat {count} bestanden (grens {MAX_MEMBERS})",
        )
    checks = [
        (_unsafe_name, "the zip contains unsafe paths", "de zip bevat onveilige paden"),
        (_long_name, "the zip contains over-long names", "de zip bevat te lange namen"),
    ]
    for test, en, nl in checks:
        found = [m.filename[:80] for m in members if test(m.filename)]
        if found:
            return f"{en}: {', '.join(found[:5])}", f"{nl}: {', '.join(found[:5])}"
    encrypted = [m.filename[:80] for m in members if m.flag_bits & 0x1]
    if encrypted:
        listed = ", ".join(encrypted[:5])
        return (
            f"the zip contains encrypted (password-protected) members: {listed}",
            f"de zip bevat versleutelde bestanden (met wachtwoord): {listed}",
        )
    packed = [f"{m.filename[:80]} (method {m.compress_type})" for m in members]
    unsupported = [
        p for m, p in zip(members, packed, strict=True) if m.compress_type not in PACKING
    ]
    if unsupported:
        listed = ", ".join(unsupported[:5])
        en = f"the zip uses a packing method that cannot be unpacked (e.g. deflate64): {listed}"
        nl = f"de zip gebruikt een inpakmethode die niet uitgepakt kan (bijv. deflate64): {listed}"
        return f"{en}; zip it again normally", f"{nl}; pak opnieuw in met gewone compressie"
    return None


def open_zip(path: Path, name: str | None = None) -> zipfile.ZipFile:
    """Open a zip after the slip and bomb checks; a corrupt zip is an InputError."""
    name = name or path.name
    try:
        archive = zipfile.ZipFile(path)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        msg = f"{name}: corrupt or truncated zip file ({err})"
        raise InputError(msg, f"{name}: beschadigd of afgebroken zipbestand ({err})") from err
    problem = _member_problem(members)
    if problem is not None:
        archive.close()
        raise InputError(f"{name}: refused, {problem[0]}", f"{name}: geweigerd, {problem[1]}")
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    limit = settings().max_unzipped_mb * MIB
    ratio = total / packed if packed else float("inf")
    max_mb, max_ratio = settings().max_unzipped_mb, settings().max_zip_ratio
    if total > limit or (total > RATIO_MIN_BYTES and ratio > max_ratio):
        archive.close()
        msg = (
            f"{name}: refused as a possible zip bomb: {total / MIB:.1f} MB unpacked "
            f"(limit {max_mb:g} MB), ratio {ratio:.0f} (limit {max_ratio:g})"
        )
        nl = (
            f"{name}: geweigerd als mogelijke zipbom: {total / MIB:.1f} MB uitgepakt "
            f"(grens {max_mb:g} MB), verhouding {ratio:.0f} (grens {max_ratio:g})"
        )
        raise InputError(msg, nl)
    return archive


def extract_zip(path: Path, dest: Path, name: str | None = None) -> list[Path]:
    """Extract a checked zip into `dest`; the extracted file paths.

    `zipfile` never yields more bytes than a member's declared size and verifies its CRC, so a
    member whose header understates its size fails here instead of passing the size checks.
    """
    name = name or path.name
    files = []
    with open_zip(path, name) as archive:
        for member in archive.infolist():
            if member.is_dir():
                continue
            target = dest / PurePosixPath(member.filename.replace("\\", "/"))
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as source, target.open("wb") as sink:
                    shutil.copyfileobj(source, sink, CHUNK)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as err:
                msg = f"{name}: cannot unpack {member.filename}: {err}"
                raise InputError(
                    msg, f"{name}: kan {member.filename} niet uitpakken: {err}"
                ) from err
            files.append(target)
    return files
