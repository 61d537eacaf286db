"""Shared helpers of the benchmark scripts: paths, a throw-away app, results and budgets."""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# The checkout's virtualenv; else the one running this script (a checkout without its own)
VENV_BIN = (
    ROOT / ".venv" / "bin" if (ROOT / ".venv" / "bin").is_dir() else Path(sys.executable).parent
)
SECRET_KEY = "bench-secret-key-not-for-production"  # noqa: S105 - a throw-away test key

DEMO_USER = "samira"
DEMO_PASSWORD = "demo-samira-2026"  # noqa: S105 - the documented demo password


def gzip_size(data: bytes) -> int:
    """What a proxy would send: gzip level 6 (the nginx and Apache default)."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def metric(
    name: str, value: float, unit: str, budget: float | None = None, compare: str = "<="
) -> dict:
    """One figure; with a budget it is checked (``compare`` is "<=" or ">=")."""
    ok = None
    if budget is not None:
        ok = value <= budget if compare == "<=" else value >= budget
    return {
        "name": name,
        "value": value,
        "unit": unit,
        "budget": budget,
        "compare": compare if budget is not None else None,
        "ok": ok,
    }


def log(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


@contextmanager
def test_app(tmp: Path, **extra):
    """fieldapp with the test configuration on a fresh SQLite file, inside an app context.

    The environment is set before the import so that nothing touches the checkout's
    instance folder or database.
    """
    os.environ["FIELDAPP_ENV"] = "testing"
    os.environ["SECRET_KEY"] = SECRET_KEY
    os.environ["FIELDAPP_INSTANCE"] = str(tmp / "instance")
    from fieldapp import create_app
    from fieldapp.extensions import db

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite'}",
            "WTF_CSRF_ENABLED": False,
            "MEDIA_ROOT": str(tmp / "media"),
            # cheap password hashing, as in the tests: the demo's four accounts are hashed
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 8 * 1024,
            "ARGON2_PARALLELISM": 1,
            **extra,
        }
    )
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def main(name: str, run: Callable[[bool], dict], describe: str) -> None:
    """The command line of one benchmark: run it, print its figures, optionally save JSON."""
    parser = argparse.ArgumentParser(description=describe)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, a smoke run")
    parser.add_argument("--json", type=Path, help="write the result to this file")
    args = parser.parse_args()
    result = run(args.quick)
    result.setdefault("name", name)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    missed = [m for m in result["metrics"] if m["ok"] is False]
    sys.exit(1 if missed else 0)


def temp_dir(prefix: str) -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix=f"fieldapp-bench-{prefix}-")
