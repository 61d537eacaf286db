"""Report PDF: the full report of a study with 1,000 interviews and 200 observations.

The demo study (test configuration, a temp SQLite file) gets 1,000 submitted interviews of
its questionnaire (answers to the multiple-choice `plekken`, the scale `gevoel`, the yes/no
`belemmering` and a long text) and 200 observations, inserted in bulk, plus codings and 40
quotes; the demo report shows the figures of `plekken` and `gevoel`. Then, in a fresh
subprocess so that nothing of the set-up counts, GET /r/<slug>/report.pdf through Flask's
test client: the figures are counted from the 1,000 interviews and the PDF is drawn.

Figures: the time of that request and the subprocess's peak resident memory (VmHWM).
Budget (DESIGN.md): at most 3 s and 200 MB.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
import uuid as uuid_module
from pathlib import Path

from _common import ROOT, log, main, metric, temp_dir, test_app

TIME_BUDGET_S = 3.0
MEMORY_BUDGET_MB = 200


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def build(tmp: Path, interviews: int, observations: int) -> str:
    """The data; returns the report's slug."""
    with test_app(tmp):
        from sqlalchemy import insert, select

        from fieldapp.demo import seed_demo
        from fieldapp.extensions import db
        from fieldapp.fieldwork.models import Answer, Interview, Observation
        from fieldapp.instruments.models import Instrument
        from fieldapp.participants.models import Participant
        from fieldapp.reports.models import Report

        seed_demo()
        db.session.commit()
        study_id = db.session.scalar(select(Report.study_id))
        version_id = db.session.scalar(
            select(Instrument).where(Instrument.kind == "questionnaire")
        ).current_version.id
        participant_id = db.session.scalar(select(Participant.id))
        rng = random.Random(7)  # noqa: S311 - test data
        places = ["park", "markt", "school", "buurthuis"]
        interview_rows = [
            {
                "uuid": str(uuid_module.uuid4()),
                "study_id": study_id,
                "participant_id": participant_id,
                "version_id": version_id,
                "language": rng.choice(["nl", "ar", "pl", "tr"]),
                "state": "submitted",
                "notes": "",
                "revision": 1,
            }
            for _ in range(interviews)
        ]
        db.session.execute(insert(Interview), interview_rows)
        ids = db.session.scalars(
            select(Interview.id).where(Interview.study_id == study_id).order_by(Interview.id)
        ).all()
        answers = []
        for interview_id in ids[-interviews:]:
            answers += [
                {
                    "interview_id": interview_id,
                    "question_name": "plekken",
                    "value": rng.sample(places, rng.randint(1, 3)),
                },
                {
                    "interview_id": interview_id,
                    "question_name": "gevoel",
                    "value": str(rng.randint(1, 5)),
                },
                {
                    "interview_id": interview_id,
                    "question_name": "belemmering",
                    "value": rng.choice(["yes", "no"]),
                },
                {
                    "interview_id": interview_id,
                    "question_name": "jaren_in_buurt",
                    "value": str(rng.randint(0, 60)),
                },
            ]
        db.session.execute(insert(Answer), answers)
        db.session.execute(
            insert(Observation),
            [
                {
                    "uuid": str(uuid_module.uuid4()),
                    "study_id": study_id,
                    "themes": ["facilities"],
                    "category": "bankje",
                    "note": f"Waarneming {n}: het bankje is kapot.",
                    "state": "submitted",
                    "revision": 1,
                    "history": [],
                    "answers": {},
                    "location_coarsened": False,
                    "place_description": "",
                }
                for n in range(observations)
            ],
        )
        db.session.commit()
        return db.session.scalar(select(Report.slug))


def child(tmp: Path, slug: str) -> dict:
    """In a fresh process: the report PDF through the test client; its time and memory."""
    with test_app(tmp) as app:
        client = app.test_client()
        before = _status_mb("VmRSS")
        started = time.perf_counter()
        response = client.get(f"/r/{slug}/report.pdf?lang=nl")
        seconds = time.perf_counter() - started
        if response.status_code != 200 or not response.data.startswith(b"%PDF"):
            raise RuntimeError(f"the report PDF failed: {response.status_code}")
        size = len(response.data)
    return {
        "seconds": round(seconds, 2),
        "peak_mb": round(_status_mb("VmHWM"), 1),
        "rss_before_mb": round(before, 1),
        "bytes": size,
    }


def run(quick: bool) -> dict:
    interviews, observations = (200, 40) if quick else (1000, 200)
    with temp_dir("report") as name:
        tmp = Path(name)
        started = time.perf_counter()
        slug = build(tmp, interviews, observations)
        log(
            f"  {interviews} interviews and {observations} observations in "
            f"{time.perf_counter() - started:.1f} s"
        )
        done = subprocess.run(  # noqa: S603 - this script, run again
            [sys.executable, __file__, "--child", str(tmp), slug],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(done.stderr[-3000:])
        figures = json.loads(done.stdout.strip().splitlines()[-1])
    log(
        f"  report PDF: {figures['seconds']} s, peak {figures['peak_mb']} MB "
        f"(before {figures['rss_before_mb']} MB), {figures['bytes']:,} bytes"
    )
    return {
        "metrics": [
            metric(
                f"report PDF, {interviews} interviews + {observations} observations, time",
                figures["seconds"],
                "s",
                TIME_BUDGET_S,
            ),
            metric("report PDF, peak RSS", figures["peak_mb"], "MB", MEMORY_BUDGET_MB),
        ],
        "details": figures,
    }


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(child(Path(sys.argv[2]), sys.argv[3])))
    else:
        main("report_pdf", run, __doc__.splitlines()[0])
