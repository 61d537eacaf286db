"""REFI-QDA export: .qdpx layout, schema validity, exact passages, round trip, bad input refused."""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
import xmlschema
from defusedxml.ElementTree import fromstring
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldapp.analysis.refiqda import (
    QdaCode,
    QdaCoding,
    QdaSource,
    QdaUser,
    codebook_qdc,
    project_qdpx,
    read_qdpx,
    stable_guid,
)

P = "{urn:QDA-XML:project:1.0}"
C = "{urn:QDA-XML:codebook:1.0}"
CREATED = datetime(2026, 11, 27, 14, 30, 5, tzinfo=UTC)
AMSTERDAM = timezone(timedelta(hours=1))


def guid() -> str:
    return str(uuid.uuid4())


# --- the project ------------------------------------------------------------------------------

ANOUK = QdaUser(guid(), "Anouk de Vries")
KARIM = QdaUser(guid(), "كريم الحسيني")

SUB_CODE = QdaCode(guid(), "Bewegen & sport", "Buiten spelen, wandelen, sportclubs.", "#3A7")
THEMES = [
    QdaCode(guid(), "Gezond in de wijk", "Gezondheid dicht bij huis.", "#2E7D32", (SUB_CODE,)),
    QdaCode(guid(), "Wonen & woonomgeving", 'Wat "thuis" is: <huur> & koop.', "#1565c0"),
    QdaCode(guid(), "Veiligheid", "Zich veilig voelen op straat, ’s avonds."),
    QdaCode(guid(), "Armoede en schulden", "Rondkomen, schulden, hulp vragen."),
    QdaCode(guid(), "Werk en inkomen"),
    QdaCode(guid(), "Opgroeien en onderwijs", "اللعب والمدرسة والشباب"),
    QdaCode(guid(), "Zorg en welzijn", "Coördinatie van zorg, mantelzorg."),
    QdaCode(guid(), "Meedoen en ontmoeten", "Eenzaamheid, buurthuis, café."),
    QdaCode(guid(), "Groen en duurzaamheid", "Parken, bomen, hitte."),
]
HEALTH, HOUSING, SAFETY, _, _, YOUTH, CARE, MEETING, GREEN = THEMES

DUTCH_TEXT = (
    "Ik woon al 23 jaar in de wijk 🏘️ en ik vind het café op het pleintje geweldig 😊. "
    "Maar de coördinatie van de zorg is één grote puzzel 🧩👨‍👩‍👧!\n"
    "’s Avonds is het bij de brug niet veilig."
)
ARABIC_TEXT = (
    "الحي هادئ لكن لا توجد أماكن للعب الأطفال.\nنحتاج إلى حديقة قريبة ومساحة خضراء للعائلات."
)
NOTE_TEXT = 'Observatie bij "Hoek & Co": <geen> bankjes, wel 3 > 2 fietsen.'


def coding(source_text: str, passage: str, code: QdaCode, user: QdaUser) -> QdaCoding:
    start = source_text.index(passage)
    return QdaCoding(guid(), code.guid, start, start + len(passage), user.guid, CREATED)


DUTCH_CODED = [
    ("het café op het pleintje geweldig 😊", MEETING, ANOUK),
    ("de coördinatie van de zorg is één grote puzzel 🧩👨‍👩‍👧", CARE, ANOUK),
    ("’s Avonds is het bij de brug niet veilig.", SAFETY, KARIM),
    ("in de wijk 🏘️", HOUSING, KARIM),
]
ARABIC_CODED = [
    ("لا توجد أماكن للعب الأطفال", YOUTH, KARIM),
    ("حديقة قريبة ومساحة خضراء", GREEN, KARIM),
    ("حديقة قريبة ومساحة خضراء", SUB_CODE, ANOUK),
]

SOURCES = [
    QdaSource(
        guid(),
        "Interview 1 – Transvaal (nl)",
        DUTCH_TEXT,
        CREATED,
        tuple(coding(DUTCH_TEXT, passage, code, user) for passage, code, user in DUTCH_CODED)
        + (QdaCoding(guid(), HEALTH.guid, 0, len(DUTCH_TEXT), ANOUK.guid, CREATED),),
    ),
    QdaSource(
        guid(),
        "مقابلة 2 – Schilderswijk (ar)",
        ARABIC_TEXT,
        CREATED.astimezone(AMSTERDAM),
        tuple(coding(ARABIC_TEXT, passage, code, user) for passage, code, user in ARABIC_CODED),
    ),
    QdaSource(
        guid(),
        'Observatie <plein> & "bankjes"',
        NOTE_TEXT,
        CREATED,
        (QdaCoding(guid(), HOUSING.guid, 0, len(NOTE_TEXT), KARIM.guid, CREATED),),
    ),
]


def build(**overrides) -> bytes:
    arguments = {
        "name": 'Buurtonderzoek "Samen" <2026> & meer',
        "origin": "fieldapp 0.1.0",
        "created": CREATED,
        "users": [ANOUK, KARIM],
        "codes": THEMES,
        "sources": SOURCES,
    }
    arguments.update(overrides)
    return project_qdpx(**arguments)


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def all_codes(codes):
    for code in codes:
        yield code
        yield from all_codes(code.children)


# --- the .qdpx --------------------------------------------------------------------------------


def test_qdpx_holds_project_qde_and_one_text_file_per_source():
    files = members(build())

    assert set(files) == {"project.qde"} | {f"sources/{source.guid}.txt" for source in SOURCES}
    for source in SOURCES:
        raw = files[f"sources/{source.guid}.txt"]
        assert not raw.startswith(b"\xef\xbb\xbf")
        assert raw.decode("utf-8") == source.text


def test_project_qde_is_utf8_xml_in_the_project_namespace():
    qde = members(build())["project.qde"]

    assert qde.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = fromstring(qde)
    assert root.tag == f"{P}Project"
    assert root.get("name") == 'Buurtonderzoek "Samen" <2026> & meer'
    assert root.get("origin") == "fieldapp 0.1.0"
    assert root.get("creationDateTime") == "2026-11-27T14:30:05Z"
    assert [child.tag for child in root] == [f"{P}Users", f"{P}CodeBook", f"{P}Sources"]
    users = {user.get("guid"): user.get("name") for user in root.iter(f"{P}User")}
    assert users == {ANOUK.guid: "Anouk de Vries", KARIM.guid: "كريم الحسيني"}
    # Escaped by the writer, not by hand: the raw bytes hold entities, the parsed tree the text.
    assert b"&lt;huur&gt; &amp; koop" in qde
    assert b"<huur>" not in qde


def test_codebook_keeps_themes_sub_code_descriptions_and_colours():
    root = fromstring(members(build())["project.qde"])
    codes = root.find(f"{P}CodeBook/{P}Codes")

    top = codes.findall(f"{P}Code")
    assert [code.get("name") for code in top] == [theme.name for theme in THEMES]
    assert all(code.get("isCodable") == "true" for code in codes.iter(f"{P}Code"))
    health = top[0]
    assert health.get("color") == "#2E7D32"
    assert health.find(f"{P}Description").text == "Gezondheid dicht bij huis."
    (sub,) = health.findall(f"{P}Code")
    assert (sub.get("name"), sub.get("guid"), sub.get("color")) == (
        "Bewegen & sport",
        SUB_CODE.guid,
        "#33AA77",
    )
    housing = top[1]
    assert housing.get("color") == "#1565C0"
    assert housing.find(f"{P}Description").text == 'Wat "thuis" is: <huur> & koop.'
    assert top[5].find(f"{P}Description").text == "اللعب والمدرسة والشباب"
    assert top[4].find(f"{P}Description") is None
    assert top[4].get("color") is None


def test_every_selection_points_at_exactly_the_coded_passage():
    files = members(build())
    root = fromstring(files["project.qde"])
    expected = {}
    for source in SOURCES:
        for item in source.codings:
            expected[item.guid] = (source.guid, source.text[item.start : item.end], item)
    # The passages the tests meant to code, written out independently of the offsets.
    meant = {passage for passage, _, _ in DUTCH_CODED + ARABIC_CODED} | {DUTCH_TEXT, NOTE_TEXT}
    assert {passage for _, passage, _ in expected.values()} == meant

    seen = set()
    for source_el in root.iter(f"{P}TextSource"):
        source_guid = source_el.get("guid")
        assert source_el.get("plainTextPath") == f"internal://{source_guid}.txt"
        text = files[f"sources/{source_guid}.txt"].decode("utf-8")
        for selection in source_el.findall(f"{P}PlainTextSelection"):
            in_source, passage, item = expected[selection.get("guid")]
            assert in_source == source_guid
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end] == passage
            assert selection.get("creatingUser") == item.user_guid
            assert selection.get("creationDateTime") == "2026-11-27T14:30:05Z"
            (coding_el,) = selection.findall(f"{P}Coding")
            assert coding_el.get("creatingUser") == item.user_guid
            assert coding_el.find(f"{P}CodeRef").get("targetGUID") == item.code_guid
            seen.add(selection.get("guid"))
    assert seen == set(expected)


def test_offsets_count_code_points_not_bytes_or_utf16_units():
    root = fromstring(members(build())["project.qde"])
    passage = "’s Avonds is het bij de brug niet veilig."
    start = DUTCH_TEXT.index(passage)
    prefix = DUTCH_TEXT[:start]
    # The prefix has emoji outside the BMP, a variation selector, a ZWJ family and ’ é ö é.
    assert len(prefix.encode("utf-16-le")) // 2 > len(prefix)
    assert len(prefix.encode("utf-8")) > len(prefix.encode("utf-16-le")) // 2

    (selection,) = [el for el in root.iter(f"{P}PlainTextSelection") if el.get("name") == passage]
    assert int(selection.get("startPosition")) == len(prefix) == start
    assert int(selection.get("endPosition")) == len(DUTCH_TEXT)


def test_dates_are_utc_with_z():
    root = fromstring(members(build())["project.qde"])
    arabic = [el for el in root.iter(f"{P}TextSource") if el.get("guid") == SOURCES[1].guid][0]
    # Given as 15:30 in UTC+1, written as 14:30Z.
    assert arabic.get("creationDateTime") == "2026-11-27T14:30:05Z"


def test_project_qde_is_valid_against_the_qda_xml_project_schema():
    schema = xmlschema.XMLSchema(PROJECT_XSD)

    schema.validate(fromstring(members(build())["project.qde"]))
    empty = build(users=[], codes=[], sources=[])
    schema.validate(fromstring(members(empty)["project.qde"]))


def test_the_schema_check_is_not_vacuous():
    schema = xmlschema.XMLSchema(PROJECT_XSD)
    qde = members(build())["project.qde"].decode("utf-8")

    with pytest.raises(xmlschema.XMLSchemaValidationError):
        schema.validate(fromstring(qde.replace('isCodable="true"', 'isCodable="ja"', 1)))
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        schema.validate(fromstring(qde.replace(f'guid="{ANOUK.guid}"', 'guid="anouk"', 1)))


def test_read_qdpx_round_trip():
    project = read_qdpx(build())

    assert project["name"] == 'Buurtonderzoek "Samen" <2026> & meer'
    assert project["origin"] == "fieldapp 0.1.0"
    assert [user["name"] for user in project["users"]] == [ANOUK.name, KARIM.name]
    assert [code["name"] for code in project["codes"]] == [theme.name for theme in THEMES]
    assert project["codes"][0]["children"][0]["name"] == "Bewegen & sport"
    assert project["codes"][1]["description"] == 'Wat "thuis" is: <huur> & koop.'

    names = {code.guid: code.name for code in all_codes(THEMES)}
    assert [source["name"] for source in project["sources"]] == [s.name for s in SOURCES]
    for read, source in zip(project["sources"], SOURCES, strict=True):
        assert read["guid"] == source.guid
        assert read["text"] == source.text
        assert read["codings"] == [
            (names[item.code_guid], item.start, item.end, source.text[item.start : item.end])
            for item in source.codings
        ]
    assert ("Zorg en welzijn", *_span(DUTCH_CODED[1][0], DUTCH_TEXT)) in project["sources"][0][
        "codings"
    ]
    assert ("Gezond in de wijk", 0, len(DUTCH_TEXT), DUTCH_TEXT) in project["sources"][0]["codings"]


def _span(passage: str, text: str) -> tuple[int, int, str]:
    start = text.index(passage)
    return start, start + len(passage), passage


@st.composite
def text_with_spans(draw):
    text = draw(st.text(min_size=1, max_size=60))
    spans = []
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text) - 1))
        spans.append((start, draw(st.integers(start + 1, len(text)))))
    return text, spans


@settings(max_examples=60)
@given(text_with_spans())
def test_any_text_and_spans_survive_the_round_trip(case):
    text, spans = case
    codings = tuple(
        QdaCoding(guid(), THEMES[0].guid, start, end, ANOUK.guid, CREATED) for start, end in spans
    )
    data = build(sources=[QdaSource(guid(), "Willekeurig", text, CREATED, codings)])

    (source,) = read_qdpx(data)["sources"]
    assert source["text"] == text
    assert source["codings"] == [
        ("Gezond in de wijk", start, end, text[start:end]) for start, end in spans
    ]


def test_same_input_same_bytes_and_guids_are_canonical():
    assert build() == build()

    upper = replace(SOURCES[2], guid="{" + SOURCES[2].guid.upper() + "}")
    files = members(build(sources=[upper]))
    assert f"sources/{SOURCES[2].guid}.txt" in files
    assert f'plainTextPath="internal://{SOURCES[2].guid}.txt"'.encode() in files["project.qde"]


def test_characters_xml_cannot_carry_are_replaced_in_names():
    code = QdaCode(guid(), "Veilig\x0bheid\x00")
    root = fromstring(members(build(codes=[code], sources=[]))["project.qde"])

    assert root.find(f"{P}CodeBook/{P}Codes/{P}Code").get("name") == "Veilig\ufffdheid\ufffd"


def test_stable_guid_is_reproducible_and_distinct():
    once = stable_guid("code", 7)
    assert once == stable_guid("code", 7) == str(uuid.UUID(once))
    assert once != stable_guid("code", 8)
    assert stable_guid("code", "1", "2") != stable_guid("code", "12")


# --- the .qdc ---------------------------------------------------------------------------------


def test_codebook_qdc_is_valid_and_holds_the_tree():
    qdc = codebook_qdc(codes=THEMES, origin="fieldapp 0.1.0")

    assert qdc.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = fromstring(qdc)
    assert root.tag == f"{C}CodeBook"
    assert root.get("origin") == "fieldapp 0.1.0"
    xmlschema.XMLSchema(CODEBOOK_XSD).validate(root)
    top = root.findall(f"{C}Codes/{C}Code")
    assert [code.get("name") for code in top] == [theme.name for theme in THEMES]
    assert top[0].find(f"{C}Code").get("name") == "Bewegen & sport"
    assert top[1].find(f"{C}Description").text == 'Wat "thuis" is: <huur> & koop.'


def test_codebook_qdc_needs_codes():
    with pytest.raises(ValueError, match="at least one code"):
        codebook_qdc(codes=[], origin="fieldapp")


# --- bad input --------------------------------------------------------------------------------


def _with_coding(**changes) -> list[QdaSource]:
    source = SOURCES[2]
    return [replace(source, codings=(replace(source.codings[0], **changes),))]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end": len(NOTE_TEXT) + 1}, "past the end of the text"),
        ({"start": len(NOTE_TEXT), "end": len(NOTE_TEXT) + 2}, "past the end of the text"),
        ({"code_guid": str(uuid.uuid4())}, "unknown code"),
        ({"user_guid": str(uuid.uuid4())}, "unknown user"),
        ({"start": 5, "end": 5}, "start 5 is not before end 5"),
        ({"start": 9, "end": 4}, "start 9 is not before end 4"),
        ({"start": -1}, "negative"),
        ({"created": datetime(2026, 11, 27, 14, 30)}, "no timezone"),
        ({"guid": "niet-een-guid"}, "not a UUID"),
        ({"guid": ANOUK.guid}, "already used"),
    ],
)
def test_bad_codings_are_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        build(sources=_with_coding(**changes))


def test_other_bad_input_is_refused():
    with pytest.raises(ValueError, match="already used"):
        build(codes=[*THEMES, replace(THEMES[3], name="Dubbel")])
    with pytest.raises(ValueError, match="expected #RRGGBB"):
        build(codes=[replace(THEMES[0], color="groen")])
    with pytest.raises(ValueError, match="has no name"):
        build(codes=[QdaCode(guid(), "  ")], sources=[])
    with pytest.raises(ValueError, match="no timezone"):
        build(created=datetime(2026, 11, 27))
    with pytest.raises(ValueError, match="UTF-8"):
        build(sources=[replace(SOURCES[2], text="kapot \ud800", codings=())])
    with pytest.raises(ValueError, match="unknown user"):
        build(users=[ANOUK])


def test_read_qdpx_refuses_what_it_cannot_read():
    with pytest.raises(ValueError, match="not a zip"):
        read_qdpx(b"geen zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("iets.txt", "hallo")
    with pytest.raises(ValueError, match="no project.qde"):
        read_qdpx(buffer.getvalue())


# --- the schemas ------------------------------------------------------------------------------
# Project.xsd: QDA-XML 1.0, release date 18 March 2019 (the REFI "Project-mrt2019.xsd"), as kept
# in QualCoder's hard-coded copy (ccbogel/QualCoder); only indentation and line breaks differ.
# Codebook.xsd: QDA-XML codebook 1.0 as printed in the REFI-QDA specification; the stored copy had
# PDF typography (U+2010 hyphens, lost spaces), repaired here to plain ASCII.
#
# Both: Copyright 2019 REFI www.qdasoftware.org. Licensed under the MIT license: Permission is
# hereby granted, free of charge, to any person obtaining a copy of this software and associated
# documentation files (the "Software"), to deal in the Software without restriction, including
# without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense,
# and/or sell copies of the Software, and to permit persons to whom the Software is furnished to
# do so, subject to the following conditions: The above copyright notice and this permission
# notice shall be included in all copies or substantial portions of the Software. THE SOFTWARE IS
# PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO
# THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO
# EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
# LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
# CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.

_GUID_PATTERN = (
    r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
    r"|(\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\})"
)

PROJECT_XSD = """<?xml version="1.0" encoding="UTF-8"?>
<!--  Library: QDA-XML version 1.0  Release Date: 18 March 2019 Module: Project.xsd  -->
<xsd:schema xmlns="urn:QDA-XML:project:1.0" xmlns:xsd="http://www.w3.org/2001/XMLSchema"
 targetNamespace="urn:QDA-XML:project:1.0" elementFormDefault="qualified"
 attributeFormDefault="unqualified" version="1.0">
 <xsd:element name="Project" type="ProjectType"/>
 <xsd:complexType name="ProjectType">
  <xsd:sequence>
   <xsd:element name="Users" type="UsersType" minOccurs="0"/>
   <xsd:element name="CodeBook" type="CodeBookType" minOccurs="0"/>
   <xsd:element name="Variables" type="VariablesType" minOccurs="0"/>
   <xsd:element name="Cases" type="CasesType" minOccurs="0"/>
   <xsd:element name="Sources" type="SourcesType" minOccurs="0"/>
   <xsd:element name="Notes" type="NotesType" minOccurs="0"/>
   <xsd:element name="Links" type="LinksType" minOccurs="0"/>
   <xsd:element name="Sets" type="SetsType" minOccurs="0"/>
   <xsd:element name="Graphs" type="GraphsType" minOccurs="0"/>
   <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
   <xsd:element name="NoteRef" type="NoteRefType" minOccurs="0" maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="name" type="xsd:string" use="required"/>
  <xsd:attribute name="origin" type="xsd:string"/>
  <xsd:attribute name="creatingUserGUID" type="GUIDType"/>
  <xsd:attribute name="creationDateTime" type="xsd:dateTime"/>
  <xsd:attribute name="modifyingUserGUID" type="GUIDType"/>
  <xsd:attribute name="modifiedDateTime" type="xsd:dateTime"/>
  <xsd:attribute name="basePath" type="xsd:string"/>
 </xsd:complexType>
 <xsd:complexType name="UsersType">
  <xsd:sequence>
   <xsd:element name="User" type="UserType" maxOccurs="unbounded"/>
  </xsd:sequence>
 </xsd:complexType>
 <xsd:complexType name="UserType">
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string"/>
  <xsd:attribute name="id" type="xsd:string"/>
 </xsd:complexType>
 <xsd:complexType name="CodeBookType">
  <xsd:sequence>
   <xsd:element name="Codes" type="CodesType"/>
  </xsd:sequence>
 </xsd:complexType>
 <xsd:complexType name="CodesType">
  <xsd:sequence>
   <xsd:element name="Code" type="CodeType" maxOccurs="unbounded"/>
  </xsd:sequence>
 </xsd:complexType>
 <xsd:complexType name="CodeType">
  <xsd:sequence>
   <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
   <xsd:element name="NoteRef" type="NoteRefType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="Code" type="CodeType" minOccurs="0" maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string" use="required"/>
  <xsd:attribute name="isCodable" type="xsd:boolean" use="required"/>
  <xsd:attribute name="color" type="RGBType"/>
 </xsd:complexType>
 <xsd:complexType name="CasesType">
  <xsd:sequence>
   <xsd:element name="Case" type="CaseType" maxOccurs="unbounded"/>
  </xsd:sequence>
 </xsd:complexType>
 <xsd:complexType name="CaseType">
  <xsd:sequence>
   <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
   <xsd:element name="CodeRef" type="CodeRefType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="VariableValue" type="VariableValueType" minOccurs="0"
    maxOccurs="unbounded"/>
   <xsd:element name="SourceRef" type="SourceRefType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="SelectionRef" type="SelectionRefType" minOccurs="0"
    maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string"/>
 </xsd:complexType>
 <xsd:complexType name="VariablesType">
  <xsd:sequence>
   <xsd:element name="Variable" type="VariableType" maxOccurs="unbounded"/>
  </xsd:sequence>
 </xsd:complexType>
 <xsd:complexType name="VariableType">
  <xsd:sequence>
   <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string" use="required"/>
  <xsd:attribute name="typeOfVariable" type="typeOfVariableType" use="required"/>
 </xsd:complexType>
 <xsd:complexType name="VariableValueType">
  <xsd:sequence>
   <xsd:element name="VariableRef" type="VariableRefType"/>
   <xsd:choice>
    <xsd:element name="TextValue" type="xsd:string" minOccurs="0"/>
    <xsd:element name="BooleanValue" type="xsd:boolean" minOccurs="0"/>
    <xsd:element name="IntegerValue" type="xsd:integer" minOccurs="0"/>
    <xsd:element name="FloatValue" type="xsd:decimal" minOccurs="0"/>
    <xsd:element name="DateValue" type="xsd:date" minOccurs="0"/>
    <xsd:element name="DateTimeValue" type="xsd:dateTime" minOccurs="0"/>
   </xsd:choice>
  </xsd:sequence>
 </xsd:complexType>
 <xsd:complexType name="SetsType">
  <xsd:sequence>
   <xsd:element name="Set" type="SetType" maxOccurs="unbounded"/>
  </xsd:sequence>
 </xsd:complexType>
 <xsd:complexType name="SetType">
  <xsd:sequence>
   <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
   <xsd:element name="MemberCode" type="CodeRefType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="MemberSource" type="SourceRefType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="MemberNote" type="NoteRefType" minOccurs="0" maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string" use="required"/>
 </xsd:complexType>
 <xsd:complexType name="SourcesType">
  <xsd:choice maxOccurs="unbounded">
   <xsd:element name="TextSource" type="TextSourceType"/>
   <xsd:element name="PictureSource" type="PictureSourceType"/>
   <xsd:element name="PDFSource" type="PDFSourceType"/>
   <xsd:element name="AudioSource" type="AudioSourceType"/>
   <xsd:element name="VideoSource" type="VideoSourceType"/>
  </xsd:choice>
 </xsd:complexType>
 <xsd:complexType name="TextSourceType">
  <xsd:sequence>
   <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
   <xsd:element name="PlainTextContent" type="xsd:string" minOccurs="0"/>
   <xsd:element name="PlainTextSelection" type="PlainTextSelectionType" minOccurs="0"
    maxOccurs="unbounded"/>
   <xsd:element name="Coding" type="CodingType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="NoteRef" type="NoteRefType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="VariableValue" type="VariableValueType" minOccurs="0"
    maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string"/>
  <xsd:attribute name="richTextPath" type="xsd:string"/>
  <xsd:attribute name="plainTextPath" type="xsd:string"/>
  <xsd:attribute name="creatingUser" type="GUIDType"/>
  <xsd:attribute name="creationDateTime" type="xsd:dateTime"/>
  <xsd:attribute name="modifyingUser" type="GUIDType"/>
  <xsd:attribute name="modifiedDateTime" type="xsd:dateTime"/>
  <!-- Either PlainTextContent or plainTextPath MUST be filled, not both -->
 </xsd:complexType>
 <xsd:complexType name="PlainTextSelectionType">
  <xsd:sequence>
   <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
   <xsd:element name="Coding" type="CodingType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="NoteRef" type="NoteRefType" minOccurs="0" maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string"/>
  <xsd:attribute name="startPosition" type="xsd:integer" use="required"/>
  <xsd:attribute name="endPosition" type="xsd:integer" use="required"/>
  <xsd:attribute name="creatingUser" type="GUIDType"/>
  <xsd:attribute name="creationDateTime" type="xsd:dateTime"/>
  <xsd:attribute name="modifyingUser" type="GUIDType"/>
  <xsd:attribute name="modifiedDateTime" type="xsd:dateTime"/>
 </xsd:complexType>
 <xsd:complexType name="PictureSourceType">
  <xsd:sequence>
   <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
   <xsd:element name="TextDescription" type="TextSourceType" minOccurs="0"/>
   <xsd:element name="PictureSelection" type="PictureSelectionType" minOccurs="0"
    maxOccurs="unbounded"/>
   <xsd:element name="Coding" type="CodingType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="NoteRef" type="NoteRefType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="VariableValue" type="VariableValueType" minOccurs="0"
    maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string"/>
  <xsd:attribute name="path" type="xsd:string"/>
  <xsd:attribute name="currentPath" type="xsd:string"/>
  <xsd:attribute name="creatingUser" type="GUIDType"/>
  <xsd:attribute name="creationDateTime" type="xsd:dateTime"/>
  <xsd:attribute name="modifyingUser" type="GUIDType"/>
  <xsd:attribute name="modifiedDateTime" type="xsd:dateTime"/>
 </xsd:complexType>
 <xsd:complexType name="PictureSelectionType">
  <xsd:sequence>
   <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
   <xsd:element name="Coding" type="CodingType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="NoteRef" type="NoteRefType" minOccurs="0" maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string"/>
  <xsd:attribute name="firstX" type="xsd:integer" use="required"/>
  <xsd:attribute name="firstY" type="xsd:integer" use="required"/>
  <xsd:attribute name="secondX" type="xsd:integer" use="required"/>
  <xsd:attribute name="secondY" type="xsd:integer" use="required"/>
  <xsd:attribute name="creatingUser" type="GUIDType"/>
  <xsd:attribute name="creationDateTime" type="xsd:dateTime"/>
  <xsd:attribute name="modifyingUser" type="GUIDType"/>
  <xsd:attribute name="modifiedDateTime" type="xsd:dateTime"/>
 </xsd:complexType>
 <xsd:complexType name="PDFSourceType">
  <xsd:sequence>
   <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
   <xsd:element name="PDFSelection" type="PDFSelectionType" minOccurs="0"
    maxOccurs="unbounded"/>
   <xsd:element name="Representation" type="TextSourceType" minOccurs="0"/>
   <xsd:element name="Coding" type="CodingType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="NoteRef" type="NoteRefType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="VariableValue" type="VariableValueType" minOccurs="0"
    maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string"/>
  <xsd:attribute name="path" type="xsd:string"/>
  <xsd:attribute name="currentPath" type="xsd:string"/>
  <xsd:attribute name="creatingUser" type="GUIDType"/>
  <xsd:attribute name="creationDateTime" type="xsd:dateTime"/>
  <xsd:attribute name="modifyingUser" type="GUIDType"/>
  <xsd:attribute name="modifiedDateTime" type="xsd:dateTime"/>
 </xsd:complexType>
 <xsd:complexType name="PDFSelectionType">
  <xsd:sequence>
   <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
   <xsd:element name="Representation" type="TextSourceType" minOccurs="0"/>
   <xsd:element name="Coding" type="CodingType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="NoteRef" type="NoteRefType" minOccurs="0" maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string"/>
  <xsd:attribute name="page" type="xsd:integer" use="required"/>
  <xsd:attribute name="firstX" type="xsd:integer" use="required"/>
  <xsd:attribute name="firstY" type="xsd:integer" use="required"/>
  <xsd:attribute name="secondX" type="xsd:integer" use="required"/>
  <xsd:attribute name="secondY" type="xsd:integer" use="required"/>
  <xsd:attribute name="creatingUser" type="GUIDType"/>
  <xsd:attribute name="creationDateTime" type="xsd:dateTime"/>
  <xsd:attribute name="modifyingUser" type="GUIDType"/>
  <xsd:attribute name="modifiedDateTime" type="xsd:dateTime"/>
 </xsd:complexType>
 <xsd:complexType name="AudioSourceType">
  <xsd:sequence>
   <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
   <xsd:element name="Transcript" type="TranscriptType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="AudioSelection" type="AudioSelectionType" minOccurs="0"
    maxOccurs="unbounded"/>
   <xsd:element name="Coding" type="CodingType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="NoteRef" type="NoteRefType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="VariableValue" type="VariableValueType" minOccurs="0"
    maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string"/>
  <xsd:attribute name="path" type="xsd:string"/>
  <xsd:attribute name="currentPath" type="xsd:string"/>
  <xsd:attribute name="creatingUser" type="GUIDType"/>
  <xsd:attribute name="creationDateTime" type="xsd:dateTime"/>
  <xsd:attribute name="modifyingUser" type="GUIDType"/>
  <xsd:attribute name="modifiedDateTime" type="xsd:dateTime"/>
 </xsd:complexType>
 <xsd:complexType name="AudioSelectionType">
  <xsd:sequence>
   <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
   <xsd:element name="Coding" type="CodingType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="NoteRef" type="NoteRefType" minOccurs="0" maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string"/>
  <xsd:attribute name="begin" type="xsd:integer" use="required"/>
  <xsd:attribute name="end" type="xsd:integer" use="required"/>
  <xsd:attribute name="creatingUser" type="GUIDType"/>
  <xsd:attribute name="creationDateTime" type="xsd:dateTime"/>
  <xsd:attribute name="modifyingUser" type="GUIDType"/>
  <xsd:attribute name="modifiedDateTime" type="xsd:dateTime"/>
 </xsd:complexType>
 <xsd:complexType name="VideoSourceType">
  <xsd:sequence>
   <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
   <xsd:element name="Transcript" type="TranscriptType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="VideoSelection" type="VideoSelectionType" minOccurs="0"
    maxOccurs="unbounded"/>
   <xsd:element name="Coding" type="CodingType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="NoteRef" type="NoteRefType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="VariableValue" type="VariableValueType" minOccurs="0"
    maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string"/>
  <xsd:attribute name="path" type="xsd:string"/>
  <xsd:attribute name="currentPath" type="xsd:string"/>
  <xsd:attribute name="creatingUser" type="GUIDType"/>
  <xsd:attribute name="creationDateTime" type="xsd:dateTime"/>
  <xsd:attribute name="modifyingUser" type="GUIDType"/>
  <xsd:attribute name="modifiedDateTime" type="xsd:dateTime"/>
 </xsd:complexType>
 <xsd:complexType name="VideoSelectionType">
  <xsd:sequence>
   <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
   <xsd:element name="Coding" type="CodingType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="NoteRef" type="NoteRefType" minOccurs="0" maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string"/>
  <xsd:attribute name="begin" type="xsd:integer" use="required"/>
  <xsd:attribute name="end" type="xsd:integer" use="required"/>
  <xsd:attribute name="creatingUser" type="GUIDType"/>
  <xsd:attribute name="creationDateTime" type="xsd:dateTime"/>
  <xsd:attribute name="modifyingUser" type="GUIDType"/>
  <xsd:attribute name="modifiedDateTime" type="xsd:dateTime"/>
 </xsd:complexType>
 <xsd:complexType name="TranscriptType">
  <xsd:sequence>
   <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
   <xsd:element name="PlainTextContent" type="xsd:string" minOccurs="0"/>
   <xsd:element name="SyncPoint" type="SyncPointType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="TranscriptSelection" type="TranscriptSelectionType" minOccurs="0"
    maxOccurs="unbounded"/>
   <xsd:element name="NoteRef" type="NoteRefType" minOccurs="0" maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string"/>
  <xsd:attribute name="richTextPath" type="xsd:string"/>
  <xsd:attribute name="plainTextPath" type="xsd:string"/>
  <xsd:attribute name="creatingUser" type="GUIDType"/>
  <xsd:attribute name="creationDateTime" type="xsd:dateTime"/>
  <xsd:attribute name="modifyingUser" type="GUIDType"/>
  <xsd:attribute name="modifiedDateTime" type="xsd:dateTime"/>
  <!-- Either PlainTextContent or plainTextPath MUST be filled, not both -->
 </xsd:complexType>
 <xsd:complexType name="TranscriptSelectionType">
  <xsd:sequence>
   <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
   <xsd:element name="Coding" type="CodingType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="NoteRef" type="NoteRefType" minOccurs="0" maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string"/>
  <xsd:attribute name="fromSyncPoint" type="GUIDType"/>
  <xsd:attribute name="toSyncPoint" type="GUIDType"/>
  <xsd:attribute name="creatingUser" type="GUIDType"/>
  <xsd:attribute name="creationDateTime" type="xsd:dateTime"/>
  <xsd:attribute name="modifyingUser" type="GUIDType"/>
  <xsd:attribute name="modifiedDateTime" type="xsd:dateTime"/>
 </xsd:complexType>
 <xsd:complexType name="SyncPointType">
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="timeStamp" type="xsd:integer"/>
  <xsd:attribute name="position" type="xsd:integer"/>
 </xsd:complexType>
 <xsd:complexType name="CodingType">
  <xsd:sequence>
   <xsd:element name="CodeRef" type="CodeRefType"/>
   <xsd:element name="NoteRef" type="NoteRefType" minOccurs="0" maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="creatingUser" type="GUIDType"/>
  <xsd:attribute name="creationDateTime" type="xsd:dateTime"/>
 </xsd:complexType>
 <xsd:complexType name="GraphsType">
  <xsd:sequence>
   <xsd:element name="Graph" type="GraphType" maxOccurs="unbounded"/>
  </xsd:sequence>
 </xsd:complexType>
 <xsd:complexType name="GraphType">
  <xsd:sequence>
   <xsd:element name="Vertex" type="VertexType" minOccurs="0" maxOccurs="unbounded"/>
   <xsd:element name="Edge" type="EdgeType" minOccurs="0" maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string"/>
 </xsd:complexType>
 <xsd:complexType name="VertexType">
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="representedGUID" type="GUIDType"/>
  <xsd:attribute name="name" type="xsd:string"/>
  <xsd:attribute name="firstX" type="xsd:integer" use="required"/>
  <xsd:attribute name="firstY" type="xsd:integer" use="required"/>
  <xsd:attribute name="secondX" type="xsd:integer"/>
  <xsd:attribute name="secondY" type="xsd:integer"/>
  <xsd:attribute name="shape" type="ShapeType"/>
  <xsd:attribute name="color" type="RGBType"/>
 </xsd:complexType>
 <xsd:complexType name="EdgeType">
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="representedGUID" type="GUIDType"/>
  <xsd:attribute name="name" type="xsd:string"/>
  <xsd:attribute name="sourceVertex" type="GUIDType" use="required"/>
  <xsd:attribute name="targetVertex" type="GUIDType" use="required"/>
  <xsd:attribute name="color" type="RGBType"/>
  <xsd:attribute name="direction" type="directionType"/>
  <xsd:attribute name="lineStyle" type="LineStyleType"/>
 </xsd:complexType>
 <xsd:complexType name="NotesType">
  <xsd:sequence>
   <xsd:element name="Note" type="TextSourceType" maxOccurs="unbounded"/>
  </xsd:sequence>
 </xsd:complexType>
 <xsd:complexType name="LinksType">
  <xsd:sequence>
   <xsd:element name="Link" type="LinkType" maxOccurs="unbounded"/>
  </xsd:sequence>
 </xsd:complexType>
 <xsd:complexType name="LinkType">
  <xsd:sequence>
   <xsd:element name="NoteRef" type="NoteRefType" minOccurs="0" maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string"/>
  <xsd:attribute name="direction" type="directionType"/>
  <xsd:attribute name="color" type="RGBType"/>
  <xsd:attribute name="originGUID" type="GUIDType"/>
  <xsd:attribute name="targetGUID" type="GUIDType"/>
 </xsd:complexType>
 <xsd:complexType name="NoteRefType">
  <xsd:attribute name="targetGUID" type="GUIDType" use="required"/>
 </xsd:complexType>
 <xsd:complexType name="CodeRefType">
  <xsd:attribute name="targetGUID" type="GUIDType" use="required"/>
 </xsd:complexType>
 <xsd:complexType name="SourceRefType">
  <xsd:attribute name="targetGUID" type="GUIDType" use="required"/>
 </xsd:complexType>
 <xsd:complexType name="SelectionRefType">
  <xsd:attribute name="targetGUID" type="GUIDType" use="required"/>
 </xsd:complexType>
 <xsd:complexType name="VariableRefType">
  <xsd:attribute name="targetGUID" type="GUIDType" use="required"/>
 </xsd:complexType>
 <xsd:simpleType name="GUIDType">
  <xsd:restriction base="xsd:token">
   <xsd:pattern value="GUID_PATTERN"/>
  </xsd:restriction>
 </xsd:simpleType>
 <xsd:simpleType name="RGBType">
  <xsd:restriction base="xsd:token">
   <xsd:pattern value="#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})"/>
  </xsd:restriction>
 </xsd:simpleType>
 <xsd:simpleType name="directionType">
  <xsd:restriction base="xsd:token">
   <xsd:enumeration value="Associative"/>
   <xsd:enumeration value="OneWay"/>
   <xsd:enumeration value="Bidirectional"/>
  </xsd:restriction>
 </xsd:simpleType>
 <xsd:simpleType name="typeOfVariableType">
  <xsd:restriction base="xsd:token">
   <xsd:enumeration value="Text"/>
   <xsd:enumeration value="Boolean"/>
   <xsd:enumeration value="Integer"/>
   <xsd:enumeration value="Float"/>
   <xsd:enumeration value="Date"/>
   <xsd:enumeration value="DateTime"/>
  </xsd:restriction>
 </xsd:simpleType>
 <xsd:simpleType name="ShapeType">
  <xsd:restriction base="xsd:token">
   <xsd:enumeration value="Person"/>
   <xsd:enumeration value="Oval"/>
   <xsd:enumeration value="Rectangle"/>
   <xsd:enumeration value="RoundedRectangle"/>
   <xsd:enumeration value="Star"/>
   <xsd:enumeration value="LeftTriangle"/>
   <xsd:enumeration value="RightTriangle"/>
   <xsd:enumeration value="UpTriangle"/>
   <xsd:enumeration value="DownTriangle"/>
   <xsd:enumeration value="Note"/>
  </xsd:restriction>
 </xsd:simpleType>
 <xsd:simpleType name="LineStyleType">
  <xsd:restriction base="xsd:token">
   <xsd:enumeration value="dotted"/>
   <xsd:enumeration value="dashed"/>
   <xsd:enumeration value="solid"/>
  </xsd:restriction>
 </xsd:simpleType>
</xsd:schema>
""".replace("GUID_PATTERN", _GUID_PATTERN)

CODEBOOK_XSD = """<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns="urn:QDA-XML:codebook:1.0" xmlns:xsd="http://www.w3.org/2001/XMLSchema"
 targetNamespace="urn:QDA-XML:codebook:1.0" elementFormDefault="qualified"
 attributeFormDefault="unqualified" version="1.0">
 <xsd:element name="CodeBook" type="CodeBookType"/>
 <xsd:complexType name="CodeBookType">
  <xsd:sequence>
   <xsd:element name="Codes" type="CodesType"/>
   <xsd:element name="Sets" type="SetsType" minOccurs="0"/>
  </xsd:sequence>
  <xsd:attribute name="origin" type="xsd:string"/>
 </xsd:complexType>
 <xsd:complexType name="CodesType">
  <xsd:sequence>
   <xsd:element name="Code" type="CodeType" maxOccurs="unbounded"/>
  </xsd:sequence>
 </xsd:complexType>
 <xsd:complexType name="SetsType">
  <xsd:sequence>
   <xsd:element name="Set" type="SetType" maxOccurs="unbounded"/>
  </xsd:sequence>
 </xsd:complexType>
 <xsd:complexType name="CodeType">
  <xsd:sequence>
   <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
   <xsd:element name="Code" type="CodeType" minOccurs="0" maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string" use="required"/>
  <xsd:attribute name="isCodable" type="xsd:boolean" use="required"/>
  <xsd:attribute name="color" type="RGBType"/>
 </xsd:complexType>
 <xsd:complexType name="SetType">
  <xsd:sequence>
   <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
   <xsd:element name="MemberCode" type="MemberCodeType" minOccurs="0" maxOccurs="unbounded"/>
  </xsd:sequence>
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
  <xsd:attribute name="name" type="xsd:string" use="required"/>
 </xsd:complexType>
 <xsd:complexType name="MemberCodeType">
  <xsd:attribute name="guid" type="GUIDType" use="required"/>
 </xsd:complexType>
 <xsd:simpleType name="GUIDType">
  <xsd:restriction base="xsd:token">
   <xsd:pattern value="GUID_PATTERN"/>
  </xsd:restriction>
 </xsd:simpleType>
 <xsd:simpleType name="RGBType">
  <xsd:restriction base="xsd:token">
   <xsd:pattern value="#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})"/>
  </xsd:restriction>
 </xsd:simpleType>
</xsd:schema>
""".replace("GUID_PATTERN", _GUID_PATTERN)
