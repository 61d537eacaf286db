"""Research exports: responses, codebooks and observations as streamed CSV, XLSX and GeoJSON."""

# Decisions, in one place:
#
# - Rows: interviews that were submitted, approved or need attention; drafts never. The same
#   for observations.
# - Streaming: rows are read in keyset batches (BATCH_SIZE interviews by id, with their
#   answers), as plain tuples rather than ORM objects, and written out batch by batch. The
#   XLSX is written by a write-only workbook to a spooled temporary file (on disk past
#   SPOOL_MAX_BYTES) and sent back in chunks.
# - Formula injection: every text cell that starts with = + - @ tab or carriage return gets
#   a leading apostrophe, in CSV and XLSX alike (not in GeoJSON, which is not a spreadsheet).
#   Answers of integer and decimal questions that parse as numbers are numbers, not text, so
#   "-3" stays -3; an answer of such a question that does not parse is treated as text. A
#   scale answer whose code is a whole number (the built-in 1-5) is a number too. Text
#   answers that look like numbers ("-3" in a text question) are text and get the apostrophe.
# - XLSX: numbers are numeric cells, dates of date questions are date cells, timestamps are
#   ISO 8601 text in UTC (as in the CSV); characters that XML cannot hold are dropped and
#   cells are cut at Excel's 32,767 characters.
# - Values: "codes" gives choice names (select_multiple: names joined by a space, as in
#   XLSForm); "labels" gives the choice labels in one language, falling back to the form's
#   default language and then to any label (select_multiple: labels joined by "; ").
#   Built-in yes/no and 1-5 scale choices get the app's own translated words.
# - CSV: UTF-8 without a byte order mark, Excel dialect (comma, CRLF). Researchers who open
#   files in Excel should take the XLSX.
# - Photos are links to /media/<uuid>, absolute when a base URL is given; the media page
#   checks again who may see the photo.

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import math
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO

import click
from babel import Locale
from flask import Flask
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import func, select

from fieldapp.accounts.models import User
from fieldapp.audit import services as audit
from fieldapp.extensions import db
from fieldapp.fieldwork.models import Answer, Interview, Observation, ObservationPhoto
from fieldapp.instruments.definition import (
    Choice,
    FormDefinition,
    Group,
    Question,
)
from fieldapp.instruments.models import Instrument, InstrumentVersion
from fieldapp.media.models import MediaFile
from fieldapp.participants.models import Participant
from fieldapp.studies.models import Study

EXPORTED_STATES = ("submitted", "approved", "needs_attention")
VALUE_MODES = ("codes", "labels")
BATCH_SIZE = 500
SPOOL_MAX_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LABEL_SEPARATOR = "; "
XLSX_MAX_CELL = 32_767

RESPONSE_COLUMNS = (
    "interview_id",
    "participant_code",
    "co_researcher",
    "language",
    "state",
    "started_at",
    "submitted_at",
    "revision",
)
OBSERVATION_COLUMNS = (
    "uuid",
    "co_researcher",
    "observed_at",
    "state",
    "themes",
    "category",
    "note",
    "latitude",
    "longitude",
    "accuracy_m",
    "location_coarsened",
    "place_description",
    "photos",
    "protocol_answers",
)
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GEOJSON_CONTENT_TYPE = "application/geo+json"

# The words the interview pages show for the built-in choices.
YES_NO_LABELS = {"yes": _l("Yes"), "no": _l("No")}
SCALE_LABELS = (_l("Very bad"), _l("Bad"), _l("In between"), _l("Good"), _l("Very good"))

_INTEGER = re.compile(r"[+-]?[0-9]{1,15}")
# Larger numbers lose digits in a spreadsheet; they are written as text.
NUMBER_LIMIT = Decimal("1e15")

Cell = str | int | float | Decimal | bool | dt.date | None


class ExportError(Exception):
    """An export that cannot be made as asked; ``code`` says why."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


# ---------------------------------------------------------------- cells


def neutralise(value: str) -> str:
    """A spreadsheet must not run a text cell as a formula."""
    if value and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def media_link(media_uuid: str, base_url: str | None = None) -> str:
    """The link to a stored photo: /media/<uuid>, absolute when a base URL is given."""
    path = f"/media/{media_uuid}"
    return base_url.rstrip("/") + path if base_url else path


def _timestamp(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds") if value else None


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _xlsx_cell(value: Cell) -> Cell:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", neutralise(value))[:XLSX_MAX_CELL]
    if isinstance(value, Decimal):
        return float(value)
    return value


def csv_chunks(rows: Iterable[list[Cell]], rows_per_chunk: int = BATCH_SIZE) -> Iterator[str]:
    """CSV text, a chunk every rows_per_chunk rows; text cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    pending = 0
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
        pending += 1
        if pending >= rows_per_chunk:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue()


def write_xlsx(fileobj: IO[bytes], sheets: Iterable[tuple[str, Iterable[list[Cell]]]]) -> None:
    """A write-only workbook with one sheet per (title, rows); text cells neutralised."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        for row in rows:
            sheet.append([_xlsx_cell(value) for value in row])
    workbook.save(fileobj)


def file_chunks(
    write: Callable[[IO[bytes]], None], chunk_size: int = CHUNK_BYTES
) -> Iterator[bytes]:
    """Write to a spooled temporary file, then yield its bytes; the file goes away after."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES) as spool:
        write(spool)
        spool.seek(0)
        while chunk := spool.read(chunk_size):
            yield chunk


# ---------------------------------------------------------------- responses


def _number(question: Question, value: object) -> int | Decimal | None:
    """An integer or decimal answer as a number; None when it does not parse."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = str(value).strip()
    if question.type == "integer":
        return int(text) if _INTEGER.fullmatch(text) else None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() and abs(number) < NUMBER_LIMIT else None


def _builtin_label(question: Question, choice: Choice, index: int) -> str | None:
    """The app's own word for a built-in choice (yes/no, an unlabelled 1-5 scale point)."""
    if question.type == "yes_no" and choice.name in YES_NO_LABELS:
        return str(YES_NO_LABELS[choice.name])
    if question.type == "scale" and not choice.labels and index < len(SCALE_LABELS):
        return str(SCALE_LABELS[index])
    return None


def _translated(language: str):
    """force_locale, or nothing when Babel does not know the language (words stay English)."""
    try:
        Locale.parse(language)
    except (ValueError, TypeError):  # babel.UnknownLocaleError is a ValueError
        return contextlib.nullcontext()
    return force_locale(language)


def builtin_labels(question: Question, choices: list[Choice], language: str) -> dict[str, str]:
    """Choice name → the app's word in this language, for the built-in choices only."""
    with _translated(language):
        found = {}
        for index, choice in enumerate(choices):
            label = _builtin_label(question, choice, index)
            if label is not None:
                found[choice.name] = label
        return found


def choice_labels(definition: FormDefinition, question: Question, language: str) -> dict[str, str]:
    """Choice name → label in this language (fallback: the form's default language)."""
    choices = definition.choices_for(question)
    builtin = builtin_labels(question, choices, language)
    return {
        choice.name: builtin.get(choice.name) or choice.label(language, definition.default_language)
        for choice in choices
    }


@dataclass
class ResponseTable:
    """The columns of one version's responses and how an interview's answers fill them."""

    version: InstrumentVersion
    values: str = "codes"
    language: str | None = None
    base_url: str | None = None
    definition: FormDefinition = field(init=False)
    questions: list[Question] = field(init=False)
    header: list[str] = field(init=False)
    _labels: dict[str, dict[str, str]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        if self.values not in VALUE_MODES:
            raise ExportError("unknown_values", self.values)
        self.definition = self.version.definition
        if self.values == "labels":
            self.language = self.language or self.definition.default_language
            if self.language not in self.definition.languages:
                raise ExportError("unknown_language", self.language)
        else:
            self.language = None  # codes are the same in every language
        self.questions = self.definition.answered_questions()
        self.header = list(RESPONSE_COLUMNS)
        for question in self.questions:
            if question.type == "location":
                self.header.extend(f"{question.name}_{part}" for part in ("lat", "lon", "accuracy"))
            else:
                self.header.append(question.name)
        if self.values == "labels":
            self._labels = {
                q.name: choice_labels(self.definition, q, self.language)
                for q in self.questions
                if q.type in ("select_one", "select_multiple", "scale", "yes_no")
            }

    def cells(self, question: Question, value: object, media_uuid: str | None) -> list[Cell]:
        """The cell(s) of one answer (three for a location)."""
        kind = question.type
        if kind == "location":
            place = value if isinstance(value, dict) else {}
            return [_float(place.get(part)) for part in ("lat", "lon", "accuracy")]
        if value is None or value == "" or value == []:
            return [None]
        if kind in ("integer", "decimal"):
            number = _number(question, value)
            return [number if number is not None else str(value)]
        if kind == "date":
            try:
                return [dt.date.fromisoformat(str(value))]
            except ValueError:
                return [str(value)]
        if kind == "photo":
            uuid = media_uuid or (value if isinstance(value, str) else None)
            return [media_link(uuid, self.base_url) if uuid else None]
        labels = self._labels.get(question.name)
        if kind == "select_multiple":
            names = [str(v) for v in value] if isinstance(value, list) else [str(value)]
            if labels is None:
                return [" ".join(names)]
            return [LABEL_SEPARATOR.join(labels.get(name, name) for name in names)]
        if kind in ("select_one", "scale", "yes_no"):
            if labels is not None:
                return [labels.get(str(value), str(value))]
            if kind == "scale" and isinstance(value, str) and _INTEGER.fullmatch(value):
                return [int(value)]
            return [str(value)]
        return [value if isinstance(value, str) else str(value)]

    def row(self, interview, answers: dict[str, tuple[object, str | None]]) -> list[Cell]:
        """One interview (a row of _interviews) as cells."""
        cells: list[Cell] = [
            interview.uuid,
            interview.code,
            interview.username or "",
            interview.language,
            interview.state,
            _timestamp(interview.started_at),
            _timestamp(interview.submitted_at),
            interview.revision,
        ]
        for question in self.questions:
            value, media_uuid = answers.get(question.name, (None, None))
            cells.extend(self.cells(question, value, media_uuid))
        return cells

    def rows(self, batch_size: int = BATCH_SIZE) -> Iterator[list[Cell]]:
        """The header, then one row per exported interview, read batch by batch."""
        yield list(self.header)
        for interview, answers in _interviews(self.version.id, batch_size):
            yield self.row(interview, answers)


def _float(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _interviews(version_id: int, batch_size: int):
    """(interview row, {question: (value, media uuid)}) one by one, read in batches by id.

    A batch is let go before the next one is read, so only one is ever in memory.
    """
    last_id = 0
    while True:
        interviews = db.session.execute(
            select(
                Interview.id,
                Interview.uuid,
                Participant.code,
                User.username,
                Interview.language,
                Interview.state,
                Interview.started_at,
                Interview.submitted_at,
                Interview.revision,
            )
            .join(Participant, Participant.id == Interview.participant_id)
            .outerjoin(User, User.id == Interview.co_researcher_id)
            .where(
                Interview.version_id == version_id,
                Interview.state.in_(EXPORTED_STATES),
                Interview.id > last_id,
            )
            .order_by(Interview.id)
            .limit(batch_size)
        ).all()
        if not interviews:
            return
        answers: dict[int, dict[str, tuple[object, str | None]]] = defaultdict(dict)
        for interview_id, name, value, media_uuid in db.session.execute(
            select(Answer.interview_id, Answer.question_name, Answer.value, MediaFile.uuid)
            .outerjoin(MediaFile, MediaFile.id == Answer.media_id)
            .where(Answer.interview_id.in_([i.id for i in interviews]))
        ):
            answers[interview_id][name] = (value, media_uuid)
        for interview in interviews:
            yield interview, answers.pop(interview.id, {})
        if len(interviews) < batch_size:
            return
        last_id = interviews[-1].id
        del interviews, answers


def responses_csv(
    version: InstrumentVersion,
    *,
    values: str = "codes",
    language: str | None = None,
    base_url: str | None = None,
    batch_size: int = BATCH_SIZE,
) -> Iterator[str]:
    """One version's responses as CSV text chunks, one interview a row."""
    table = ResponseTable(version, values=values, language=language, base_url=base_url)
    return csv_chunks(table.rows(batch_size), rows_per_chunk=batch_size)


def write_responses_xlsx(
    version: InstrumentVersion,
    fileobj: IO[bytes],
    *,
    values: str = "codes",
    language: str | None = None,
    base_url: str | None = None,
    batch_size: int = BATCH_SIZE,
) -> None:
    """One version's responses as an XLSX workbook: sheets "responses" and "codebook"."""
    table = ResponseTable(version, values=values, language=language, base_url=base_url)
    write_xlsx(
        fileobj, [("responses", table.rows(batch_size)), ("codebook", codebook_rows(version))]
    )


def responses_xlsx(
    version: InstrumentVersion,
    *,
    values: str = "codes",
    language: str | None = None,
    base_url: str | None = None,
) -> Iterator[bytes]:
    """The XLSX of write_responses_xlsx as byte chunks, built in a spooled temporary file."""
    ResponseTable(version, values=values, language=language)  # refuse bad options up front
    return file_chunks(
        lambda fileobj: write_responses_xlsx(
            version, fileobj, values=values, language=language, base_url=base_url
        )
    )


# ---------------------------------------------------------------- codebook


def codebook_header(definition: FormDefinition) -> list[str]:
    languages = definition.languages
    return [
        "name",
        "type",
        "required",
        "relevant",
        "constraint",
        "group",
        *[f"label::{lang}" for lang in languages],
        "choice_list",
        "choice_name",
        *[f"choice_label::{lang}" for lang in languages],
    ]


def codebook_rows(version: InstrumentVersion) -> Iterator[list[Cell]]:
    """The header, a row per question (notes too), then a row per choice of that question."""
    definition = version.definition
    languages = definition.languages
    yield codebook_header(definition)
    blank = [None] * len(languages)
    for item in definition.items:
        group = item.name if isinstance(item, Group) else None
        for question in item.questions if isinstance(item, Group) else [item]:
            yield [
                question.name,
                question.type,
                "yes" if question.required else "no",
                question.relevant,
                question.constraint,
                group,
                *[question.labels.get(lang) or None for lang in languages],
                question.choice_list,
                None,
                *blank,
            ]
            if question.type not in ("select_one", "select_multiple", "scale", "yes_no"):
                continue
            choices = definition.choices_for(question)
            per_language = [builtin_labels(question, choices, lang) for lang in languages]
            for choice in choices:
                yield [
                    question.name,
                    question.type,
                    None,
                    None,
                    None,
                    group,
                    *blank,
                    question.choice_list,
                    choice.name,
                    *[
                        choice.labels.get(lang) or labels.get(choice.name)
                        for lang, labels in zip(languages, per_language, strict=True)
                    ],
                ]


def codebook_csv(version: InstrumentVersion) -> Iterator[str]:
    """The codebook of one version as CSV text chunks."""
    return csv_chunks(codebook_rows(version))


# ---------------------------------------------------------------- observations


def observation_records(
    study: Study, *, base_url: str | None = None, batch_size: int = BATCH_SIZE
) -> Iterator[dict]:
    """Every exported observation of a study as a dict (themes and photos as lists), by id.

    Locations are as stored: coarsened already unless the protocol is about public space.
    """
    study_id = study.id
    last_id = 0
    while True:
        found = db.session.execute(
            select(
                Observation.id,
                Observation.uuid,
                User.username,
                Observation.observed_at,
                Observation.state,
                Observation.themes,
                Observation.category,
                Observation.note,
                Observation.latitude,
                Observation.longitude,
                Observation.accuracy_m,
                Observation.location_coarsened,
                Observation.place_description,
                Observation.answers,
            )
            .outerjoin(User, User.id == Observation.co_researcher_id)
            .where(
                Observation.study_id == study_id,
                Observation.state.in_(EXPORTED_STATES),
                Observation.id > last_id,
            )
            .order_by(Observation.id)
            .limit(batch_size)
        ).all()
        if not found:
            return
        photos: dict[int, list[str]] = defaultdict(list)
        for observation_id, media_uuid in db.session.execute(
            select(ObservationPhoto.observation_id, MediaFile.uuid)
            .join(MediaFile, MediaFile.id == ObservationPhoto.media_id)
            .where(ObservationPhoto.observation_id.in_([o.id for o in found]))
            .order_by(ObservationPhoto.observation_id, ObservationPhoto.position)
        ):
            photos[observation_id].append(media_link(media_uuid, base_url))
        for o in found:
            yield {
                "uuid": o.uuid,
                "co_researcher": o.username or "",
                "observed_at": _timestamp(o.observed_at),
                "state": o.state,
                "themes": [str(t) for t in (o.themes or [])],
                "category": o.category,
                "note": o.note,
                "latitude": o.latitude,
                "longitude": o.longitude,
                "accuracy_m": o.accuracy_m,
                "location_coarsened": bool(o.location_coarsened),
                "place_description": o.place_description,
                "photos": photos.get(o.id, []),
                # Answers to the protocol's questions, by question name (see the codebook).
                "protocol_answers": dict(o.answers or {}),
            }
        if len(found) < batch_size:
            return
        last_id = found[-1].id
        del found, photos


def observations_csv(
    study: Study, *, base_url: str | None = None, batch_size: int = BATCH_SIZE
) -> Iterator[str]:
    """A study's observations as CSV text chunks; themes and photo links joined by a space."""

    def rows() -> Iterator[list[Cell]]:
        yield list(OBSERVATION_COLUMNS)
        for record in observation_records(study, base_url=base_url, batch_size=batch_size):
            yield [
                " ".join(value)
                if isinstance(value, list)
                else (json.dumps(value, ensure_ascii=False, sort_keys=True) if value else "")
                if isinstance(value, dict)
                else value
                for value in (record[column] for column in OBSERVATION_COLUMNS)
            ]

    return csv_chunks(rows(), rows_per_chunk=batch_size)


def observation_feature(record: dict) -> dict:
    """A GeoJSON Feature: a Point when the observation has coordinates, else no geometry."""
    geometry = None
    if record["latitude"] is not None and record["longitude"] is not None:
        geometry = {"type": "Point", "coordinates": [record["longitude"], record["latitude"]]}
    return {"type": "Feature", "id": record["uuid"], "geometry": geometry, "properties": record}


def observations_geojson(
    study: Study, *, base_url: str | None = None, batch_size: int = BATCH_SIZE
) -> Iterator[str]:
    """A study's observations as a GeoJSON FeatureCollection, in text chunks."""
    yield '{"type": "FeatureCollection", "features": [\n'
    separator = ""
    buffer: list[str] = []
    for record in observation_records(study, base_url=base_url, batch_size=batch_size):
        buffer.append(separator + json.dumps(observation_feature(record), ensure_ascii=False))
        separator = ",\n"
        if len(buffer) >= batch_size:
            yield "".join(buffer)
            buffer.clear()
    if buffer:
        yield "".join(buffer)
    yield "\n]}\n"


# ---------------------------------------------------------------- what there is to export


@dataclass
class VersionExports:
    instrument: Instrument
    version: InstrumentVersion
    interviews: int


def exportable_versions(study: Study) -> list[VersionExports]:
    """Published versions of the study's questionnaires, with the number of exported rows."""
    versions = db.session.scalars(
        select(InstrumentVersion)
        .join(Instrument, Instrument.id == InstrumentVersion.instrument_id)
        .where(
            Instrument.study_id == study.id,
            Instrument.kind == "questionnaire",
            InstrumentVersion.state == "published",
        )
        .order_by(Instrument.id, InstrumentVersion.number)
    ).all()
    counts = dict(
        db.session.execute(
            select(Interview.version_id, func.count(Interview.id))
            .where(Interview.study_id == study.id, Interview.state.in_(EXPORTED_STATES))
            .group_by(Interview.version_id)
        ).all()
    )
    return [VersionExports(v.instrument, v, counts.get(v.id, 0)) for v in versions]


def count_observations(study: Study) -> int:
    return db.session.scalar(
        select(func.count(Observation.id)).where(
            Observation.study_id == study.id, Observation.state.in_(EXPORTED_STATES)
        )
    )


def exportable_version(study: Study, version_id: int) -> InstrumentVersion | None:
    """A published questionnaire version of this study, or None."""
    version = db.session.get(InstrumentVersion, version_id)
    if (
        version is None
        or version.state != "published"
        or version.instrument.study_id != study.id
        or version.instrument.kind != "questionnaire"
    ):
        return None
    return version


def export_filename(study: Study, what: str, extension: str, *parts: object) -> str:
    """A safe download name: <study slug>-<what>[-<part>...].<extension>."""
    words = [study.slug, what, *(str(p) for p in parts if p)]
    name = "-".join(re.sub(r"[^a-z0-9_.]+", "-", w.lower()).strip("-") for w in words)
    return f"{name}.{extension}"


# ---------------------------------------------------------------- command line


def register_export_cli(app: Flask) -> None:
    """`flask export responses|observations ...`"""

    @app.cli.group("export")
    def export_group() -> None:
        """Export a study's responses or observations (pseudonymous research data)."""

    def load_study(slug: str) -> Study:
        study = db.session.scalar(select(Study).where(Study.slug == slug))
        if study is None:
            raise click.ClickException(f"no study {slug!r}")
        return study

    def choose_version(study: Study, version_id: int | None) -> InstrumentVersion:
        if version_id is not None:
            version = exportable_version(study, version_id)
            if version is None:
                raise click.ClickException(
                    f"version {version_id} is not a published questionnaire version of {study.slug}"
                )
            return version
        found = exportable_versions(study)
        if len(found) == 1:
            return found[0].version
        if not found:
            raise click.ClickException(f"{study.slug} has no published questionnaire")
        listing = "; ".join(
            f"--version {f.version.id} ({f.instrument.title}, version {f.version.number})"
            for f in found
        )
        raise click.ClickException(f"choose a version: {listing}")

    def emit(chunks: Iterable[str], output: str | None) -> None:
        if output is None:
            for chunk in chunks:
                click.echo(chunk, nl=False)
            return
        with open(output, "w", encoding="utf-8", newline="") as fh:
            for chunk in chunks:
                fh.write(chunk)

    @export_group.command("responses")
    @click.option("--study", "slug", required=True, help="The study's slug.")
    @click.option(
        "--version",
        "version_id",
        type=int,
        help="Version id, as in the export links; needed when there are several.",
    )
    @click.option(
        "--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True
    )
    @click.option("--values", type=click.Choice(VALUE_MODES), default="codes", show_default=True)
    @click.option("--lang", "language", help="Language of the labels (with --values labels).")
    @click.option("--base-url", help="Make photo links absolute, e.g. https://fieldapp.example.")
    @click.option("--output", type=click.Path(dir_okay=False, writable=True))
    def responses_command(slug, version_id, fmt, values, language, base_url, output):
        """One questionnaire version's responses, one interview a row (no drafts)."""
        study = load_study(slug)
        version = choose_version(study, version_id)
        if fmt == "xlsx" and not output:
            raise click.UsageError("an XLSX export needs --output FILE")
        try:
            language = ResponseTable(version, values=values, language=language).language
        except ExportError as error:
            raise click.ClickException(f"cannot export: {error}") from error
        audit.record(
            "export_responses",
            study,
            study_id=study.id,
            instrument=version.instrument_id,
            version=version.number,
            format=fmt,
            values=values,
            language=language if values == "labels" else None,
            via="cli",
        )
        db.session.commit()
        version = db.session.get(InstrumentVersion, version.id)
        options = {"values": values, "language": language, "base_url": base_url}
        if fmt == "xlsx":
            with open(output, "wb") as fh:
                write_responses_xlsx(version, fh, **options)
        else:
            emit(responses_csv(version, **options), output)
        if output:
            click.echo(f"Written to {output}.", err=True)

    @export_group.command("observations")
    @click.option("--study", "slug", required=True, help="The study's slug.")
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["csv", "geojson"]),
        default="csv",
        show_default=True,
    )
    @click.option("--base-url", help="Make photo links absolute, e.g. https://fieldapp.example.")
    @click.option("--output", type=click.Path(dir_okay=False, writable=True))
    def observations_command(slug, fmt, base_url, output):
        """A study's observations (no drafts); locations as stored."""
        study = load_study(slug)
        audit.record("export_observations", study, study_id=study.id, format=fmt, via="cli")
        db.session.commit()
        study = db.session.get(Study, study.id)
        produce = observations_geojson if fmt == "geojson" else observations_csv
        emit(produce(study, base_url=base_url), output)
        if output:
            click.echo(f"Written to {output}.", err=True)
