"""A study's codebook and coded texts as REFI-QDA files (.qdpx project, .qdc codebook)."""

from __future__ import annotations

from sqlalchemy import select

from fieldapp.analysis import services
from fieldapp.analysis.models import Code, Coding
from fieldapp.analysis.refiqda import (
    QdaCode,
    QdaCoding,
    QdaSource,
    QdaUser,
    codebook_qdc,
    project_qdpx,
    stable_guid,
)
from fieldapp.db import utcnow
from fieldapp.extensions import db
from fieldapp.studies.models import Study


def _qda_code(code: Code) -> QdaCode:
    return QdaCode(
        guid=code.uuid,
        name=code.name,
        description=code.description,
        children=tuple(_qda_code(child) for child in code.children),
    )


def study_qdc(study: Study) -> bytes:
    return codebook_qdc(codes=[_qda_code(c) for c in services.codebook(study)], origin="fieldapp")


def study_qdpx(study: Study, base_url: str = "") -> bytes:
    """Every coded answer and observation note as a source, with its codings.

    Sources are named by interview or observation id and question, never by participant:
    the project leaves fieldapp, and pseudonyms are not needed to analyse the texts.
    """
    codes = services.codebook(study)
    codings = db.session.scalars(select(Coding).where(Coding.study_id == study.id)).all()
    users: dict[int, QdaUser] = {}
    by_answer: dict[int, list[Coding]] = {}
    by_observation: dict[int, list[Coding]] = {}
    for coding in codings:
        coder = coding.coder
        key = coder.id if coder else 0
        if key not in users:
            users[key] = QdaUser(guid=_user_guid(key), name=coder.username if coder else "fieldapp")
        target = by_answer if coding.answer_id else by_observation
        target.setdefault(coding.answer_id or coding.observation_id, []).append(coding)

    def qda_codings(items: list[Coding], text: str) -> tuple[QdaCoding, ...]:
        return tuple(
            QdaCoding(
                guid=c.uuid,
                code_guid=c.code.uuid,
                start=c.start_offset if c.is_passage else 0,
                end=c.end_offset if c.is_passage else len(text),
                user_guid=users[c.coder_id or 0].guid,
                created=c.created_at,
            )
            for c in items
            if text
        )

    sources = []
    for answer in services.coded_answers(study):
        text = answer.value
        sources.append(
            QdaSource(
                guid=_source_guid("answer", answer.id),
                name=f"interview {answer.interview.uuid[:8]} · {answer.question_name}",
                text=text,
                created=answer.interview.submitted_at or answer.interview.started_at,
                codings=qda_codings(by_answer.get(answer.id, []), text),
            )
        )
    for observation in services.coded_observations(study):
        text = observation.note
        sources.append(
            QdaSource(
                guid=_source_guid("observation", observation.id),
                name=f"observation {observation.uuid[:8]}",
                text=text,
                created=observation.observed_at,
                codings=qda_codings(by_observation.get(observation.id, []), text),
            )
        )
    return project_qdpx(
        name=study.title,
        origin="fieldapp",
        created=utcnow(),
        users=list(users.values()),
        codes=[_qda_code(c) for c in codes],
        sources=sources,
    )


def _user_guid(user_id: int) -> str:
    return stable_guid("user", user_id)


def _source_guid(kind: str, item_id: int) -> str:
    return stable_guid("source", kind, item_id)
