"""Analysis rules: the codebook, coding whole texts or passages, counts, quotes."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from fieldapp.accounts.models import User
from fieldapp.analysis.models import Code, Coder, Coding, Quote
from fieldapp.audit import services as audit
from fieldapp.common import signals
from fieldapp.consent import services as consent
from fieldapp.consent.models import Item
from fieldapp.extensions import db
from fieldapp.fieldwork.models import Answer, Interview, Observation
from fieldapp.participants.models import Participant
from fieldapp.studies.models import MemberRole, Study
from fieldapp.studies.themes import AGENDA_THEMES

CODED_STATES = ("submitted", "approved", "needs_attention")
TEXT_TYPES = ("text", "long_text")
# The Dutch names of the agenda's themes: the codebook's starting point.
AGENDA_CODE_NAMES = {
    "governance": "Governance van de integrale gebiedsgerichte aanpak",
    "community": "Gemeenschapsontwikkeling en burgerbetrokkenheid",
    "professionals": "Professionals in de wijk",
    "health": "Gezond in de wijk",
    "growing_up": "Opgroeien in een veilige wijk",
    "enterprise": "Ondernemerschap en talentontwikkeling",
    "physical": "Fysieke wijkverbetering",
    "diversity": "Diversiteit",
    "facilities": "Voorzieningen en ontmoeting",
}


class AnalysisError(Exception):
    def __init__(self, reason: str, /, **params):
        super().__init__(reason)
        self.code = reason
        self.params = params


# ---------------------------------------------------------------- who codes


def is_coordinator(user: User, study: Study) -> bool:
    return study.member_role(user) == MemberRole.COORDINATOR


def can_code(user: User, study: Study) -> bool:
    """Coordinators, and co-researchers they invited (participatory analysis)."""
    if is_coordinator(user, study):
        return True
    return study.member_role(user) is not None and (
        db.session.get(Coder, (study.id, user.id)) is not None
    )


def invite_coder(actor: User, study: Study, person: User) -> None:
    if not is_coordinator(actor, study):
        raise AnalysisError("not_allowed")
    if study.member_role(person) != MemberRole.CO_RESEARCHER:
        raise AnalysisError("not_a_member")
    if db.session.get(Coder, (study.id, person.id)) is None:
        db.session.add(Coder(study_id=study.id, user_id=person.id))
        audit.record("coder_invited", study, actor=actor, study_id=study.id)


def coders(study: Study) -> list[int]:
    return list(db.session.scalars(select(Coder.user_id).where(Coder.study_id == study.id)))


# ---------------------------------------------------------------- codebook


def codebook(study: Study) -> list[Code]:
    """The top-level codes (with their sub-codes), the agenda's themes first."""
    ensure_codebook(study)
    codes = db.session.scalars(
        select(Code).where(Code.study_id == study.id, Code.parent_id.is_(None))
    ).all()
    order = list(AGENDA_THEMES)
    return sorted(
        codes, key=lambda c: (order.index(c.theme) if c.theme in order else 99, c.name.lower())
    )


def ensure_codebook(study: Study) -> None:
    if db.session.scalar(select(Code.id).where(Code.study_id == study.id).limit(1)):
        return
    for key, name in AGENDA_CODE_NAMES.items():
        db.session.add(Code(study_id=study.id, theme=key, name=name))
    db.session.flush()


def add_code(
    actor: User, study: Study, *, name: str, description: str = "", parent: Code | None = None
) -> Code:
    if not is_coordinator(actor, study):
        raise AnalysisError("not_allowed")
    name = " ".join((name or "").split())
    if not name or len(name) > 120:
        raise AnalysisError("bad_name")
    if parent is not None and (parent.study_id != study.id or parent.parent_id is not None):
        raise AnalysisError("one_level")
    same_level = Code.parent_id == parent.id if parent else Code.parent_id.is_(None)
    siblings = db.session.scalars(
        select(Code.name).where(Code.study_id == study.id, same_level)
    ).all()
    if name.lower() in {s.lower() for s in siblings}:
        raise AnalysisError("name_taken")
    code = Code(
        study_id=study.id, name=name, description=(description or "").strip()[:2000], parent=parent
    )
    db.session.add(code)
    db.session.flush()
    audit.record("code_added", code, actor=actor, study_id=study.id)
    return code


# ---------------------------------------------------------------- texts to code


def coded_answers(study: Study) -> list[Answer]:
    """Open answers (short and long text) of interviews that were sent."""
    found = db.session.scalars(
        select(Answer)
        .join(Interview)
        .where(Interview.study_id == study.id, Interview.state.in_(CODED_STATES))
        .order_by(Interview.id, Answer.id)
    ).all()
    texts = []
    for answer in found:
        question = answer.interview.version.definition.question(answer.question_name)
        if question is not None and question.type in TEXT_TYPES and isinstance(answer.value, str):
            texts.append(answer)
    return texts


def coded_observations(study: Study) -> list[Observation]:
    return list(
        db.session.scalars(
            select(Observation)
            .where(Observation.study_id == study.id, Observation.state.in_(CODED_STATES))
            .order_by(Observation.id)
        )
    )


def text_of(answer: Answer | None = None, observation: Observation | None = None) -> str:
    return answer.value if answer is not None else observation.note


def find_passage(text: str, passage: str, occurrence: int = 1) -> tuple[int, int]:
    """Character offsets of the n-th time a passage stands in a text."""
    passage = (passage or "").strip()
    if not passage:
        raise AnalysisError("no_passage")
    start = -1
    for _ in range(max(occurrence, 1)):
        start = text.find(passage, start + 1)
        if start < 0:
            raise AnalysisError("passage_not_found")
    return start, start + len(passage)


def _check_target(study: Study, answer, observation) -> None:
    if (answer is None) == (observation is None):
        raise AnalysisError("no_target")
    if answer is not None and answer.interview.study_id != study.id:
        raise AnalysisError("not_allowed")
    if observation is not None and observation.study_id != study.id:
        raise AnalysisError("not_allowed")


def code_text(
    actor: User,
    study: Study,
    code: Code,
    *,
    answer: Answer | None = None,
    observation: Observation | None = None,
    passage: str | None = None,
    occurrence: int = 1,
) -> Coding:
    """Apply a code to a whole answer or note, or to a passage of it."""
    if not can_code(actor, study):
        raise AnalysisError("not_allowed")
    if code.study_id != study.id:
        raise AnalysisError("unknown_code")
    _check_target(study, answer, observation)
    start = end = None
    if passage:
        start, end = find_passage(text_of(answer, observation), passage, occurrence)
    coding = Coding(
        study_id=study.id,
        code=code,
        answer=answer,
        observation=observation,
        start_offset=start,
        end_offset=end,
        coder_id=actor.id,
    )
    db.session.add(coding)
    db.session.flush()
    audit.record("coding_added", coding, actor=actor, study_id=study.id)
    return coding


def remove_coding(actor: User, coding: Coding) -> None:
    study = db.session.get(Study, coding.study_id)
    if not (is_coordinator(actor, study) or coding.coder_id == actor.id):
        raise AnalysisError("not_allowed")
    db.session.delete(coding)
    audit.record("coding_removed", study, actor=actor, study_id=study.id)


def passage_of(coding: Coding) -> str:
    text = text_of(coding.answer, coding.observation) or ""
    if coding.is_passage:
        return text[coding.start_offset : coding.end_offset]
    return text


# ---------------------------------------------------------------- counts


# The groups counts and figures can be split by: the interview's language, the
# participant's age band, and the neighbourhood (sub-area) they live in.
GROUPS = ("language", "age_band", "sub_area")
NOT_RECORDED = "unknown"


def group_of(interview, group_by: str | None) -> str:
    """The group an interview belongs to; "" when not split, "unknown" when not recorded."""
    if group_by is None:
        return ""
    if group_by == "language":
        return interview.language
    participant = interview.participant
    if group_by == "age_band":
        return participant.age_band
    return participant.sub_area or NOT_RECORDED


def counts(study: Study, group_by: str | None = None) -> dict:
    """Per code: codings, and the distinct texts coded; per group when asked."""
    if group_by not in (None, *GROUPS):
        raise AnalysisError("unknown_group")
    rows: dict[int, dict[str, dict[str, set]]] = defaultdict(
        lambda: defaultdict(lambda: {"codings": set(), "sources": set()})
    )
    found = db.session.scalars(select(Coding).where(Coding.study_id == study.id)).all()
    for coding in found:
        if coding.answer is not None:
            interview = coding.answer.interview
            group = group_of(interview, group_by)
            source = f"i{interview.id}"
        else:
            group = "" if group_by is None else "observation"
            source = f"o{coding.observation_id}"
        for code_id in {coding.code_id, coding.code.parent_id} - {None}:
            cell = rows[code_id][group]
            cell["codings"].add(coding.id)
            cell["sources"].add(source)
    return {
        code_id: {
            g: {"codings": len(v["codings"]), "sources": len(v["sources"])}
            for g, v in groups.items()
        }
        for code_id, groups in rows.items()
    }


# ---------------------------------------------------------------- quotes


def make_quote(
    actor: User,
    study: Study,
    answer: Answer,
    *,
    passage: str,
    edited_text: str,
    occurrence: int = 1,
) -> Quote:
    """Pick a passage as a quote. Only participants who granted the quote item are quoted."""
    if not is_coordinator(actor, study):
        raise AnalysisError("not_allowed")
    _check_target(study, answer, None)
    participant = answer.interview.participant
    try:
        consent.require_consent(participant, Item.QUOTE)
    except consent.ConsentRequired:
        raise AnalysisError("no_quote_consent") from None
    start, end = find_passage(answer.value, passage, occurrence)
    edited = " ".join((edited_text or "").split()) or answer.value[start:end]
    if len(edited) > 1000:
        raise AnalysisError("quote_too_long")
    quote = Quote(
        study_id=study.id,
        answer=answer,
        participant_id=participant.id,
        start_offset=start,
        end_offset=end,
        text=edited,
        language=answer.interview.language,
        created_by_id=actor.id,
    )
    db.session.add(quote)
    db.session.flush()
    audit.record("quote_picked", quote, actor=actor, study_id=study.id)
    return quote


def set_quote_in_report(actor: User, quote: Quote, in_report: bool) -> None:
    study = db.session.get(Study, quote.study_id)
    if not is_coordinator(actor, study):
        raise AnalysisError("not_allowed")
    quote.for_report = in_report
    audit.record("quote_marked", quote, actor=actor, study_id=study.id, for_report=in_report)


def quotes_of(study: Study, *, for_report: bool | None = None) -> list[Quote]:
    query = select(Quote).where(Quote.study_id == study.id).order_by(Quote.id)
    if for_report is not None:
        query = query.where(Quote.for_report.is_(for_report))
    return list(db.session.scalars(query))


def remove_quotes_of(participant: Participant, *, item: str, **_kwargs) -> None:
    """The quote item was taken back: the participant's quotes go, everywhere."""
    if item != Item.QUOTE:
        return
    for quote in db.session.scalars(
        select(Quote).where(Quote.participant_id == participant.id)
    ).all():
        db.session.delete(quote)
    db.session.flush()


def connect_signals() -> None:
    """Connect analysis's receivers (called by create_app; see common/signals.py)."""
    signals.consent_item_withdrawn.connect(remove_quotes_of)
