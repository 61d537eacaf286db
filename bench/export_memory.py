"""Export memory: the responses CSV of 100,000 answers, streamed, and its peak memory.

The data: the demo study (test configuration, a temp SQLite file) gets a published
questionnaire "Bench" of 10 questions of every answered kind but photo and location, and
10,000 submitted interviews with 10 answers each (100,000 answers), inserted in bulk with
SQLAlchemy Core. Then, each in a fresh subprocess so that nothing of the set-up counts:

- CSV: fieldapp.fieldwork.exports.responses_csv(version), every chunk written to /dev/null;
- XLSX: exports.responses_xlsx(version), the chunks the download sends, to /dev/null.

The figure is the subprocess's peak resident memory, VmHWM of /proc/self/status (the whole
process: Python, Flask, SQLAlchemy and openpyxl included), read at the end; the resident
memory before the export (app created, version loaded) is reported beside it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import resource
import subprocess
import sys
import time
import uuid as uuid_module
from pathlib import Path

from _common import ROOT, log, main, metric, temp_dir, test_app

CSV_BUDGET_MB = 150
QUESTIONS = 10
LANGUAGES = ("nl", "en", "ar", "tr", "pl", "uk")


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def bench_questionnaire():
    from fieldapp.instruments.definition import Choice, FormDefinition, Question

    def labels(text: str) -> dict[str, str]:
        return {language: f"{text} ({language})" for language in LANGUAGES}

    def choices(*names: str) -> list[Choice]:
        return [Choice(name, labels(name.capitalize())) for name in names]

    questions = [
        ("jaren", "integer", None),
        ("leeftijd", "integer", None),
        ("wijk", "select_one", "wijken"),
        ("plekken", "select_multiple", "plekken"),
        ("gevoel", "scale", None),
        ("belemmering", "yes_no", None),
        ("datum", "date", None),
        ("uren", "decimal", None),
        ("plek", "text", None),
        ("verhaal", "long_text", None),
    ]
    return FormDefinition(
        title="Bench",
        default_language="nl",
        languages=list(LANGUAGES),
        items=[
            Question(name, kind, labels(f"Vraag {name}"), choice_list=choice_list)
            for name, kind, choice_list in questions
        ],
        choice_lists={
            "wijken": choices("noord", "zuid", "centrum", "oost", "west"),
            "plekken": choices("park", "markt", "school", "buurthuis", "kerk", "sportclub"),
        },
    )


STORY = (
    "We zien elkaar vooral op de markt en bij de school. Het buurthuis is vaak dicht, "
    "en 's avonds is het op straat niet altijd prettig. Meer bankjes zouden helpen."
)


def answers_for(rng: random.Random) -> dict[str, object]:
    """Ten answers like a real interview's; some text starts with = (formula neutralising)."""
    story = STORY[: rng.randint(40, len(STORY))]
    return {
        "jaren": str(rng.randint(0, 60)),
        "leeftijd": str(rng.randint(18, 90)),
        "wijk": rng.choice(["noord", "zuid", "centrum", "oost", "west"]),
        "plekken": rng.sample(["park", "markt", "school", "buurthuis", "kerk"], rng.randint(1, 3)),
        "gevoel": str(rng.randint(1, 5)),
        "belemmering": rng.choice(["yes", "no"]),
        "datum": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "uren": f"{rng.randint(0, 40)}.{rng.randint(0, 9)}",
        "plek": rng.choice(["Bij de Akerstraat", "Op het plein", "=SUM(A1)", "In het park"]),
        "verhaal": story if rng.random() > 0.05 else "=" + story,
    }


def build_data(tmp: Path, interviews: int) -> int:
    """The study, questionnaire and interviews; returns the questionnaire version's id."""
    with test_app(tmp):
        from sqlalchemy import func, select

        from fieldapp.accounts.models import User
        from fieldapp.demo import DEMO_STUDY_SLUG, seed_demo
        from fieldapp.extensions import db
        from fieldapp.fieldwork.models import Answer, Interview
        from fieldapp.instruments import services
        from fieldapp.participants.models import Participant
        from fieldapp.studies.models import Study

        seed_demo()
        db.session.commit()
        study = db.session.scalar(select(Study).where(Study.slug == DEMO_STUDY_SLUG))
        coordinator = db.session.scalar(select(User).where(User.username == "coordinator"))
        instrument = services.create_instrument(
            coordinator,
            study,
            kind="questionnaire",
            title="Bench",
            definition=bench_questionnaire(),
        )
        services.publish_version(coordinator, instrument.versions[0])
        version_id = instrument.versions[0].id
        people = db.session.execute(
            select(Participant.id, Participant.created_by_id, Participant.language).where(
                Participant.study_id == study.id
            )
        ).all()
        db.session.commit()

        rng = random.Random(2026)  # noqa: S311 - test data, not security
        first_id = (db.session.scalar(select(func.max(Interview.id))) or 0) + 1
        start = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)
        batch = 2_000
        for offset in range(0, interviews, batch):
            interview_rows, answer_rows = [], []
            for n in range(offset, min(offset + batch, interviews)):
                participant_id, co_researcher_id, language = people[n % len(people)]
                started = start + dt.timedelta(minutes=7 * n)
                interview_rows.append(
                    {
                        "id": first_id + n,
                        "uuid": str(uuid_module.UUID(int=rng.getrandbits(128), version=4)),
                        "study_id": study.id,
                        "participant_id": participant_id,
                        "co_researcher_id": co_researcher_id,
                        "version_id": version_id,
                        "consent_record_id": None,
                        "language": language,
                        "state": rng.choice(["submitted", "approved", "needs_attention"]),
                        "notes": "",
                        "started_at": started,
                        "ended_at": started + dt.timedelta(minutes=25),
                        "submitted_at": started + dt.timedelta(minutes=26),
                        "revision": 1,
                        "created_at": started,
                    }
                )
                answer_rows.extend(
                    {
                        "interview_id": first_id + n,
                        "question_name": name,
                        "value": value,
                        "media_id": None,
                    }
                    for name, value in answers_for(rng).items()
                )
            db.session.execute(Interview.__table__.insert(), interview_rows)
            db.session.execute(Answer.__table__.insert(), answer_rows)
        db.session.commit()
        counted = db.session.scalar(
            select(func.count(Answer.id))
            .join(Interview, Interview.id == Answer.interview_id)
            .where(Interview.version_id == version_id)
        )
        if counted != interviews * QUESTIONS:
            raise RuntimeError(f"{counted} answers inserted, not {interviews * QUESTIONS}")
        return version_id


def child(fmt: str, tmp: Path, version_id: int) -> dict:
    """Run in a fresh process: one export to /dev/null; its memory and time."""
    with test_app(tmp):
        from fieldapp.extensions import db
        from fieldapp.fieldwork import exports
        from fieldapp.instruments.models import InstrumentVersion

        version = db.session.get(InstrumentVersion, version_id)
        _ = version.definition
        before = _status_mb("VmRSS")
        started = time.perf_counter()
        written = chunks = rows = 0
        with open("/dev/null", "wb") as sink:
            if fmt == "csv":
                for chunk in exports.responses_csv(version):
                    data = chunk.encode()
                    sink.write(data)
                    written += len(data)
                    chunks += 1
                    rows += sum(1 for _ in csv.reader(io.StringIO(chunk)))
            else:
                for chunk in exports.responses_xlsx(version):
                    sink.write(chunk)
                    written += len(chunk)
                    chunks += 1
        seconds = time.perf_counter() - started
    return {
        "format": fmt,
        "rss_before_mb": round(before, 1),
        "peak_mb": round(_status_mb("VmHWM"), 1),
        "ru_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "seconds": round(seconds, 2),
        "bytes": written,
        "chunks": chunks,
        "rows": rows if fmt == "csv" else None,
    }


def measure(fmt: str, tmp: Path, version_id: int) -> dict:
    done = subprocess.run(  # noqa: S603 - this script, run again
        [sys.executable, __file__, "--child", fmt, str(tmp), str(version_id)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"the {fmt} export failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(quick: bool) -> dict:
    interviews = 1_000 if quick else 10_000
    with temp_dir("export") as name:
        tmp = Path(name)
        started = time.perf_counter()
        version_id = build_data(tmp, interviews)
        log(
            f"  {interviews:,} interviews x {QUESTIONS} answers inserted "
            f"in {time.perf_counter() - started:.1f} s"
        )
        found = {}
        for fmt in ("csv", "xlsx"):
            found[fmt] = measure(fmt, tmp, version_id)
            log(
                f"  {fmt}: peak {found[fmt]['peak_mb']} MB (before the export "
                f"{found[fmt]['rss_before_mb']} MB), {found[fmt]['seconds']} s, "
                f"{found[fmt]['bytes']:,} bytes"
            )
    answers = interviews * QUESTIONS
    if found["csv"]["rows"] != interviews + 1:
        raise RuntimeError(f"the CSV has {found['csv']['rows']} rows, not {interviews + 1}")
    return {
        "name": "export_memory",
        "metrics": [
            metric(
                f"CSV export of {answers:,} answers, peak RSS",
                found["csv"]["peak_mb"],
                "MB",
                CSV_BUDGET_MB,
            ),
            metric("CSV export, time", found["csv"]["seconds"], "s"),
            metric(f"XLSX export of {answers:,} answers, peak RSS", found["xlsx"]["peak_mb"], "MB"),
            metric("XLSX export, time", found["xlsx"]["seconds"], "s"),
        ],
        "details": {"interviews": interviews, "answers": answers, **found},
    }


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]))))
    else:
        main("export_memory", run, __doc__.splitlines()[0])
