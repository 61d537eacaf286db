"""REFI-QDA export: a coded project as a .qdpx file and a codebook as a .qdc file.

REFI-QDA (https://www.qdasoftware.org) is the exchange standard that ATLAS.ti, NVivo, MAXQDA and
QualCoder read. This module writes it from plain data; it knows nothing of the database or Flask.

What is written
---------------
* ``project_qdpx`` returns a zip (.qdpx) holding ``project.qde``, XML in the namespace
  ``urn:QDA-XML:project:1.0``, and one ``sources/<guid>.txt`` per source: the text in UTF-8 without
  a byte order mark, exactly as given. The ``<TextSource>`` points at its file with
  ``plainTextPath="internal://<guid>.txt"``.
* ``codebook_qdc`` returns the codebook alone (.qdc), XML in the namespace
  ``urn:QDA-XML:codebook:1.0``.
* Element order, attribute names and value types follow the QDA-XML 1.0 schemas (Project.xsd of
  March 2019 and Codebook.xsd); the tests validate the output against them. Empty lists leave
  their container out (the schemas want at least one ``<User>``, ``<Code>`` or source inside).

Positions
---------
``startPosition`` and ``endPosition`` are offsets in characters (Unicode code points, which is
what a Python ``str`` indexes) into the plain text: start inclusive, end exclusive, so
``text[start:end]`` is the coded passage. Line breaks count as written: pass texts with ``\\n``
only if the offsets were taken on such texts. (Tools that count UTF-16 units place a passage after
an emoji or other character outside the Basic Multilingual Plane one unit early per such
character; that is the tool's reading, the file follows the standard.)

Identifiers and values
----------------------
* GUIDs are UUIDs; any form ``uuid.UUID`` reads is accepted and written in the canonical lowercase
  form without braces (the schema's ``GUIDType`` allows upper and lower case, with or without
  braces). Every GUID in a project must be unique. ``stable_guid`` makes reproducible GUIDs from
  database keys, so that exporting the same study twice gives the same GUIDs.
* Each coding becomes one ``<PlainTextSelection>`` (GUID: the coding's) with one ``<Coding>``
  (GUID derived from the coding's, see ``_coding_element_guid``) that refers to the code.
* Dates must be timezone-aware; they are written in UTC as ISO 8601 with ``Z``.
* Colours are ``#RRGGBB`` (``#RGB`` is widened), written in upper case.
* Names and descriptions are escaped by the XML writer; characters that XML 1.0 cannot carry at
  all (control characters other than tab and line breaks, lone surrogates, U+FFFE, U+FFFF) are
  replaced by U+FFFD. A source text that cannot be encoded in UTF-8 is refused.

Bad input (an unknown code or user, offsets outside the text, a start not before its end, a
malformed or repeated GUID, a naive date) raises ``ValueError`` naming the offending item.

``read_qdpx`` is a small reader for the files written here (tests, round trips); it parses with
defusedxml and is not meant as a general importer.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from typing import Any
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from defusedxml.ElementTree import fromstring

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_FILE = "project.qde"
SOURCES_DIR = "sources"
INTERNAL_PREFIX = "internal://"

# Namespace for stable_guid and for the <Coding> GUIDs derived from a coding's GUID.
_FIELDAPP_NS = uuid.UUID("6c0f5a53-2d0e-5b8e-9a43-6a1f3c2b7d10")
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_COLOR = re.compile(r"#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")
# Everything outside XML 1.0's Char production.
_NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SELECTION_NAME_LENGTH = 80


@dataclass(frozen=True)
class QdaCode:
    """A code in the codebook; ``children`` are its sub-codes."""

    guid: str
    name: str
    description: str = ""
    color: str | None = None
    children: tuple[QdaCode, ...] = ()


@dataclass(frozen=True)
class QdaUser:
    """Someone who coded (a researcher or co-researcher), known to the file by GUID and name."""

    guid: str
    name: str


@dataclass(frozen=True)
class QdaCoding:
    """The passage ``text[start:end]`` of a source, coded with one code by one user."""

    guid: str
    code_guid: str
    start: int
    end: int
    user_guid: str
    created: datetime


@dataclass(frozen=True)
class QdaSource:
    """A plain text (an answer, an observation note) with the codings on it."""

    guid: str
    name: str
    text: str
    created: datetime
    codings: tuple[QdaCoding, ...] = ()


def stable_guid(*parts: str | int) -> str:
    """A GUID that depends only on ``parts``, e.g. ``stable_guid("code", study_id, code_id)``."""
    if not parts:
        raise ValueError("stable_guid needs at least one part")
    return str(uuid.uuid5(_FIELDAPP_NS, "\x1f".join(str(part) for part in parts)))


def project_qdpx(
    *,
    name: str,
    origin: str,
    created: datetime,
    users: list[QdaUser],
    codes: list[QdaCode],
    sources: list[QdaSource],
) -> bytes:
    """The project as a .qdpx file: ``project.qde`` plus ``sources/<guid>.txt`` per source."""
    project_created = _timestamp(created, "the project's creation date")
    guids = _GuidRegistry()
    user_guids = {guids.add(user.guid, f"user {user.name!r}") for user in users}
    code_guids: set[str] = set()
    for code in _walk(codes):
        _check_code(code)
        code_guids.add(guids.add(code.guid, f"code {code.name!r}"))
    texts: dict[str, str] = {}
    for source in sources:
        source_guid = guids.add(source.guid, f"source {source.name!r}")
        _check_source(source)
        texts[source_guid] = source.text
        for coding in source.codings:
            _check_coding(coding, source, code_guids, user_guids)
            selection_guid = guids.add(coding.guid, f"coding in source {source.name!r}")
            guids.add(_coding_element_guid(selection_guid), f"coding in source {source.name!r}")

    root = Element("Project", {"xmlns": PROJECT_NS})
    root.set("name", _xml_text(name))
    root.set("origin", _xml_text(origin))
    root.set("creationDateTime", project_created)
    if users:
        users_el = SubElement(root, "Users")
        for user in users:
            SubElement(users_el, "User", {"guid": _guid(user.guid), "name": _xml_text(user.name)})
    if codes:
        _append_codes(SubElement(root, "CodeBook"), codes)
    if sources:
        sources_el = SubElement(root, "Sources")
        for source in sources:
            _append_source(sources_el, source)

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _write(archive, PROJECT_FILE, _serialize(root), created)
        for source_guid, text in texts.items():
            _write(archive, f"{SOURCES_DIR}/{source_guid}.txt", text.encode("utf-8"), created)
    return buffer.getvalue()


def codebook_qdc(*, codes: list[QdaCode], origin: str) -> bytes:
    """The codebook alone as a .qdc file (UTF-8 XML)."""
    if not codes:
        raise ValueError("a codebook needs at least one code")
    guids = _GuidRegistry()
    for code in _walk(codes):
        _check_code(code)
        guids.add(code.guid, f"code {code.name!r}")
    root = Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": _xml_text(origin)})
    _append_codes(root, codes)
    return _serialize(root)


def read_qdpx(data: bytes) -> dict[str, Any]:
    """Read a .qdpx written by ``project_qdpx`` back into plain data.

    Returns ``{"name", "origin", "users": [{"guid", "name"}], "codes": [{"guid", "name",
    "description", "color", "children": [...]}], "sources": [{"guid", "name", "text", "codings":
    [(code name, start, end, passage)]}]}``. Raises ``ValueError`` for a file it cannot read.
    """
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ValueError("not a .qdpx file: not a zip archive") from error
    with archive:
        members = {info.filename: info for info in archive.infolist()}
        if PROJECT_FILE not in members:
            raise ValueError(f"not a .qdpx file: no {PROJECT_FILE}")
        root = fromstring(archive.read(PROJECT_FILE))
        if root.tag != _q("Project"):
            raise ValueError(f"{PROJECT_FILE} has root {root.tag!r}, not a QDA-XML Project")

        users = [
            {"guid": user.get("guid", ""), "name": user.get("name", "")}
            for user in root.iterfind(f"{_q('Users')}/{_q('User')}")
        ]
        codebook = root.find(_q("CodeBook"))
        codes_el = codebook.find(_q("Codes")) if codebook is not None else None
        codes = _read_codes(codes_el) if codes_el is not None else []
        code_names = {code["guid"]: code["name"] for code in _walk_dicts(codes)}

        sources = []
        sources_el = root.find(_q("Sources"))
        for source in () if sources_el is None else sources_el.iterfind(_q("TextSource")):
            text = _read_source_text(archive, members, source)
            codings = []
            for selection in source.iterfind(_q("PlainTextSelection")):
                start = int(selection.get("startPosition", ""))
                end = int(selection.get("endPosition", ""))
                if not 0 <= start < end <= len(text):
                    raise ValueError(
                        f"selection {selection.get('guid')} ({start}-{end}) lies outside "
                        f"its source of {len(text)} characters"
                    )
                for coding in selection.iterfind(_q("Coding")):
                    ref = coding.find(_q("CodeRef"))
                    target = ref.get("targetGUID", "") if ref is not None else ""
                    if target not in code_names:
                        raise ValueError(f"coding {coding.get('guid')} refers to unknown code")
                    codings.append((code_names[target], start, end, text[start:end]))
            sources.append(
                {
                    "guid": source.get("guid", ""),
                    "name": source.get("name", ""),
                    "text": text,
                    "codings": codings,
                }
            )
    return {
        "name": root.get("name", ""),
        "origin": root.get("origin", ""),
        "users": users,
        "codes": codes,
        "sources": sources,
    }


# --- validation -----------------------------------------------------------------------------


class _GuidRegistry:
    """Canonical GUIDs seen so far; refuses a malformed GUID or one used twice."""

    def __init__(self) -> None:
        self._owners: dict[str, str] = {}

    def add(self, value: str, owner: str) -> str:
        guid = _guid(value, owner)
        if guid in self._owners:
            raise ValueError(f"GUID {guid} of {owner} is already used by {self._owners[guid]}")
        self._owners[guid] = owner
        return guid


def _guid(value: str, owner: str = "an item") -> str:
    if not isinstance(value, str):
        raise ValueError(f"the GUID of {owner} is not a string: {value!r}")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValueError(f"the GUID of {owner} is not a UUID: {value!r}") from None


def _check_code(code: QdaCode) -> None:
    if not code.name.strip():
        raise ValueError(f"code {code.guid} has no name")
    if code.color is not None:
        _color(code.color, code)


def _check_source(source: QdaSource) -> None:
    try:
        source.text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(
            f"the text of source {source.name!r} cannot be written as UTF-8 "
            f"(character {error.start} is a lone surrogate)"
        ) from None
    _timestamp(source.created, f"the creation date of source {source.name!r}")


def _check_coding(
    coding: QdaCoding, source: QdaSource, code_guids: set[str], user_guids: set[str]
) -> None:
    where = f"coding {coding.guid} in source {source.name!r}"
    if _guid(coding.code_guid, where) not in code_guids:
        raise ValueError(f"{where} refers to unknown code {coding.code_guid}")
    if _guid(coding.user_guid, where) not in user_guids:
        raise ValueError(f"{where} refers to unknown user {coding.user_guid}")
    for label, value in (("start", coding.start), ("end", coding.end)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"{where}: {label} is not an integer: {value!r}")
    if coding.start < 0:
        raise ValueError(f"{where}: start {coding.start} is negative")
    if coding.start >= coding.end:
        raise ValueError(f"{where}: start {coding.start} is not before end {coding.end}")
    if coding.end > len(source.text):
        raise ValueError(
            f"{where}: end {coding.end} is past the end of the text ({len(source.text)} characters)"
        )
    _timestamp(coding.created, f"the creation date of {where}")


def _timestamp(value: datetime, what: str) -> str:
    if not isinstance(value, datetime):
        raise ValueError(f"{what} is not a datetime: {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} has no timezone; give an aware datetime")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def _color(value: str, code: QdaCode) -> str:
    if not isinstance(value, str) or not _COLOR.fullmatch(value):
        raise ValueError(f"code {code.name!r} has colour {value!r}; expected #RRGGBB")
    digits = value[1:]
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return "#" + digits.upper()


def _xml_text(value: str) -> str:
    return _NOT_XML_CHAR.sub("\ufffd", value)


def _coding_element_guid(selection_guid: str) -> str:
    """The GUID of the ``<Coding>`` inside the selection written for a coding."""
    return str(uuid.uuid5(uuid.UUID(selection_guid), "coding"))


# --- writing --------------------------------------------------------------------------------


def _walk(codes: Iterable[QdaCode]) -> Iterator[QdaCode]:
    for code in codes:
        yield code
        yield from _walk(code.children)


def _append_codes(parent: Element, codes: Iterable[QdaCode]) -> None:
    codes_el = SubElement(parent, "Codes")
    for code in codes:
        _append_code(codes_el, code)


def _append_code(parent: Element, code: QdaCode) -> None:
    code_el = SubElement(
        parent,
        "Code",
        {"guid": _guid(code.guid), "name": _xml_text(code.name), "isCodable": "true"},
    )
    if code.color is not None:
        code_el.set("color", _color(code.color, code))
    if code.description:
        SubElement(code_el, "Description").text = _xml_text(code.description)
    for child in code.children:
        _append_code(code_el, child)


def _append_source(parent: Element, source: QdaSource) -> None:
    guid = _guid(source.guid)
    source_el = SubElement(
        parent,
        "TextSource",
        {
            "guid": guid,
            "name": _xml_text(source.name),
            "plainTextPath": f"{INTERNAL_PREFIX}{guid}.txt",
            "creationDateTime": _timestamp(source.created, "source"),
        },
    )
    for coding in source.codings:
        selection_guid = _guid(coding.guid)
        user_guid = _guid(coding.user_guid)
        created = _timestamp(coding.created, "coding")
        selection = SubElement(
            source_el,
            "PlainTextSelection",
            {
                "guid": selection_guid,
                "name": _xml_text(_selection_name(source.text[coding.start : coding.end])),
                "startPosition": str(coding.start),
                "endPosition": str(coding.end),
                "creatingUser": user_guid,
                "creationDateTime": created,
            },
        )
        coding_el = SubElement(
            selection,
            "Coding",
            {
                "guid": _coding_element_guid(selection_guid),
                "creatingUser": user_guid,
                "creationDateTime": created,
            },
        )
        SubElement(coding_el, "CodeRef", {"targetGUID": _guid(coding.code_guid)})


def _selection_name(passage: str) -> str:
    """The passage on one line, shortened: tools show it as the quotation's name."""
    flat = " ".join(passage.split())
    if len(flat) <= _SELECTION_NAME_LENGTH:
        return flat
    return flat[: _SELECTION_NAME_LENGTH - 1].rstrip() + "…"


def _serialize(root: Element) -> bytes:
    indent(root, space="  ")
    return (_XML_DECLARATION + tostring(root, encoding="unicode") + "\n").encode("utf-8")


def _write(archive: zipfile.ZipFile, name: str, data: bytes, created: datetime) -> None:
    """Add a file with a fixed date and mode, so the same project gives the same bytes."""
    moment = created.astimezone(UTC)
    date_time = (1980, 1, 1, 0, 0, 0) if moment.year < 1980 else moment.timetuple()[:6]
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


# --- reading --------------------------------------------------------------------------------


def _q(tag: str) -> str:
    return f"{{{PROJECT_NS}}}{tag}"


def _read_codes(codes_el: Any) -> list[dict[str, Any]]:
    return [_read_code(code) for code in codes_el.iterfind(_q("Code"))]


def _read_code(code_el: Any) -> dict[str, Any]:
    description = code_el.find(_q("Description"))
    return {
        "guid": code_el.get("guid", ""),
        "name": code_el.get("name", ""),
        "description": (description.text or "") if description is not None else "",
        "color": code_el.get("color"),
        "children": [_read_code(child) for child in code_el.iterfind(_q("Code"))],
    }


def _walk_dicts(codes: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for code in codes:
        yield code
        yield from _walk_dicts(code["children"])


def _read_source_text(
    archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], source: Any
) -> str:
    content = source.find(_q("PlainTextContent"))
    if content is not None:
        return content.text or ""
    path = source.get("plainTextPath", "")
    if not path.startswith(INTERNAL_PREFIX):
        raise ValueError(f"source {source.get('name')!r} has no text inside the file ({path!r})")
    member = f"{SOURCES_DIR}/{path[len(INTERNAL_PREFIX) :]}"
    if member not in members:
        # Some tools write the folder as "Sources".
        matches = [name for name in members if name.lower() == member.lower()]
        if not matches:
            raise ValueError(f"source {source.get('name')!r}: {member} is missing")
        member = matches[0]
    return archive.read(member).decode("utf-8")
