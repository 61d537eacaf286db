"""Export pages: what a coordinator can download, and the streamed downloads themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from flask_login import login_required

from fieldapp.accounts.access import recent_login_required
from fieldapp.audit import services as audit
from fieldapp.extensions import db
from fieldapp.fieldwork import exports
from fieldapp.i18n import LANGUAGES
from fieldapp.instruments.models import InstrumentVersion
from fieldapp.studies.access import study_view
from fieldapp.studies.models import Study

bp = Blueprint("exports", __name__)

# The interface language is chosen with ?lang= (and remembered), so the language of the
# labels in an export has its own parameter: ?values=labels&language=ar.
LANGUAGE_ARG = "language"


def _version(study: Study, version_id: int) -> InstrumentVersion:
    version = exports.exportable_version(study, version_id)
    if version is None:
        abort(404)
    return version


def _value_options(version: InstrumentVersion) -> tuple[str, str | None]:
    """(values, language) from the query string, checked against the version (400 if wrong)."""
    values = request.args.get("values", "codes")
    language = request.args.get(LANGUAGE_ARG) or None
    try:
        table = exports.ResponseTable(version, values=values, language=language)
    except exports.ExportError:
        abort(400)
    return values, table.language


def _download(produce: Callable[[], Iterator], filename: str, content_type: str) -> Response:
    """A streamed attachment; produce() runs only while the body is sent, after the commit."""

    def body() -> Iterator:
        yield from produce()

    return Response(
        stream_with_context(body()),
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/studies/<int:study_id>/exports")
@login_required
@study_view(manage=True)
def index(study: Study):
    """The study's exports: responses per questionnaire version, codebooks, observations."""
    return render_template(
        "exports/index.html",
        study=study,
        versions=exports.exportable_versions(study),
        observation_count=exports.count_observations(study),
        language_names={lang.code: lang for lang in LANGUAGES},
    )


@bp.get("/studies/<int:study_id>/exports/responses/<int:version_id>.csv")
@login_required
@study_view(manage=True)
@recent_login_required
def responses_csv(study: Study, version_id: int):
    """One version's responses as CSV, codes or labels in one language."""
    return _responses(study, version_id, "csv")


@bp.get("/studies/<int:study_id>/exports/responses/<int:version_id>.xlsx")
@login_required
@study_view(manage=True)
@recent_login_required
def responses_xlsx(study: Study, version_id: int):
    """One version's responses and codebook as an Excel workbook."""
    return _responses(study, version_id, "xlsx")


RESPONSE_FORMATS = {
    "csv": (exports.responses_csv, exports.CSV_CONTENT_TYPE),
    "xlsx": (exports.responses_xlsx, exports.XLSX_CONTENT_TYPE),
}


def _responses(study: Study, version_id: int, fmt: str) -> Response:
    version = _version(study, version_id)
    values, language = _value_options(version)
    produce, content_type = RESPONSE_FORMATS[fmt]
    filename = exports.export_filename(study, "responses", fmt, f"v{version_id}", values, language)
    audit.record(
        "export_responses",
        study,
        study_id=study.id,
        instrument=version.instrument_id,
        version=version.number,
        format=fmt,
        values=values,
        language=language,
    )
    db.session.commit()
    options = {"values": values, "language": language, "base_url": request.url_root}
    return _download(
        lambda: produce(db.session.get(InstrumentVersion, version_id), **options),
        filename,
        content_type,
    )


@bp.get("/studies/<int:study_id>/exports/codebook/<int:version_id>.csv")
@login_required
@study_view(manage=True)
@recent_login_required
def codebook_csv(study: Study, version_id: int):
    """One version's codebook: questions and choices with their labels in every language."""
    version = _version(study, version_id)
    filename = exports.export_filename(study, "codebook", "csv", f"v{version_id}")
    audit.record(
        "export_codebook",
        study,
        study_id=study.id,
        instrument=version.instrument_id,
        version=version.number,
        format="csv",
    )
    db.session.commit()
    return _download(
        lambda: exports.codebook_csv(db.session.get(InstrumentVersion, version_id)),
        filename,
        exports.CSV_CONTENT_TYPE,
    )


@bp.get("/studies/<int:study_id>/exports/observations.csv")
@login_required
@study_view(manage=True)
@recent_login_required
def observations_csv(study: Study):
    """The study's observations as CSV."""
    return _observations(study, "csv", exports.observations_csv, exports.CSV_CONTENT_TYPE)


@bp.get("/studies/<int:study_id>/exports/observations.geojson")
@login_required
@study_view(manage=True)
@recent_login_required
def observations_geojson(study: Study):
    """The study's observations as GeoJSON (no geometry for those without a location)."""
    return _observations(
        study, "geojson", exports.observations_geojson, exports.GEOJSON_CONTENT_TYPE
    )


def _observations(study: Study, fmt: str, produce: Callable, content_type: str) -> Response:
    study_id, base_url = study.id, request.url_root
    filename = exports.export_filename(study, "observations", fmt)
    audit.record("export_observations", study, study_id=study_id, format=fmt)
    db.session.commit()
    return _download(
        lambda: produce(db.session.get(Study, study_id), base_url=base_url),
        filename,
        content_type,
    )
