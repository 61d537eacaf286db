"""`make test`: the whole suite on SQLite, then on PostgreSQL when a server answers.

PostgreSQL is used when TEST_DATABASE_URL is set, or when a server answers on
127.0.0.1:5432 (then postgresql://postgres@127.0.0.1:5432/test). With CI set, a
missing PostgreSQL is a failure, not a skip.

Each run is spread over one pytest-xdist worker per CPU (`-n auto`, a test file's tests on
one worker); every worker has its own
database, instance folder, media folder and browser-test server. Pass `-n 0` to run in one
process, or any other pytest arguments (`make test` passes none). The 20 slowest tests are
listed after each run.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_url() -> str | None:
    if os.environ.get("TEST_DATABASE_URL"):
        return os.environ["TEST_DATABASE_URL"]
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return DEFAULT_PG
    except OSError:
        return None


def run(label: str, env: dict, extra: list[str]) -> tuple[int, str]:
    print(f"\n=== {label} ===", flush=True)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    sys.stdout.write(proc.stdout)
    lines = [ln for ln in proc.stdout.splitlines() if re.search(r"\d+ (passed|failed|error)", ln)]
    return proc.returncode, (lines[-1].strip("= ") if lines else "no summary")


def pytest_args(argv: list[str]) -> list[str]:
    """The arguments given, plus parallel workers and the slowest tests unless they say."""
    args = list(argv)
    if not any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args):
        args[:0] = ["-n", "auto"]
        # A test file's tests on one worker: module-scoped fixtures (the PDFs rendered for
        # tests/reports/test_pdf.py, seconds each) are made once, not once per worker.
        if not any(a.startswith("--dist") for a in args):
            args[2:2] = ["--dist", "loadfile"]
    if not any(a.startswith("--durations") for a in args):
        args[:0] = ["--durations=20"]
    return args


def main(argv: list[str]) -> int:
    argv = pytest_args(argv)
    base_env = dict(os.environ)
    base_env.pop("TEST_DATABASE_URL", None)
    results = []
    code, summary = run("SQLite", base_env, argv)
    results.append(("SQLite", code, summary))
    pg = postgres_url()
    if pg:
        env = dict(base_env, TEST_DATABASE_URL=pg)
        code, summary = run(f"PostgreSQL ({pg.split('@')[-1]})", env, argv)
        results.append(("PostgreSQL", code, summary))
    elif os.environ.get("CI"):
        results.append(("PostgreSQL", 1, "no server answered on 127.0.0.1:5432"))
    else:
        results.append(("PostgreSQL", 0, "skipped: no server answered on 127.0.0.1:5432"))
    print("\n=== test counts ===")
    for label, code, summary in results:
        print(f"{label:<11} {'ok    ' if code == 0 else 'FAILED'} {summary}")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
