"""Run the benchmarks, print a table, write bench/results/latest.json; fail on a missed budget.

    .venv/bin/python bench/run.py                    # all of them (make bench)
    .venv/bin/python bench/run.py --only page_weight # one (the option can be repeated)
    .venv/bin/python bench/run.py --quick            # smaller sizes, a smoke run

Each benchmark runs in its own Python process (bench/<name>.py --json FILE), so that one
benchmark's imports and memory do not colour another's figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
BENCHMARKS = ("page_weight", "throughput", "concurrency", "export_memory", "report_pdf")


def _git(*args: str) -> str:
    git = shutil.which("git")
    if git is None:
        return ""
    done = subprocess.run(  # noqa: S603 - a fixed git command
        [git, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return done.stdout.strip()


def machine() -> dict:
    wrk = shutil.which("wrk")
    version = ""
    if wrk:
        done = subprocess.run(  # noqa: S603 - wrk -v
            [wrk, "-v"], capture_output=True, text=True, check=False
        )
        version = (done.stdout or done.stderr).splitlines()[0] if done.stdout or done.stderr else ""
    return {
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "wrk": version or None,
        "commit": _git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(_git("status", "--porcelain", "--untracked-files=no")),
    }


def run_one(name: str, quick: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="fieldapp-bench-run-") as tmp:
        out = Path(tmp) / f"{name}.json"
        command = [sys.executable, str(BENCH / f"{name}.py"), "--json", str(out)]
        if quick:
            command.append("--quick")
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, check=False)  # noqa: S603 - our own script
        seconds = round(time.perf_counter() - started, 1)
        if not out.exists():
            return {
                "name": name,
                "error": f"exited with {done.returncode} without a result (see above)",
                "metrics": [],
                "seconds": seconds,
            }
        result = json.loads(out.read_text())
        result["seconds"] = seconds
        return result


def _value(m: dict) -> str:
    value = m["value"]
    if m["unit"] == "B":
        return f"{value:,} B ({value / 1024:.1f} KB)"
    if m["unit"] == "x":
        return f"{value:.1%}"
    if isinstance(value, float):
        return f"{value:,.1f} {m['unit']}".strip()
    return f"{value:,} {m['unit']}".strip()


def _budget(m: dict) -> str:
    if m["budget"] is None:
        return ""
    budget = m["budget"]
    if m["unit"] == "B":
        shown = f"{budget / 1024:g} KB"
    elif m["unit"] == "x":
        shown = f"{budget:.0%}"
    else:
        shown = f"{budget:g} {m['unit']}".strip()
    return f"{'≤' if m['compare'] == '<=' else '≥'} {shown}"


def table(results: list[dict]) -> str:
    rows = [("benchmark", "figure", "value", "budget", "")]
    for result in results:
        if result.get("error"):
            rows.append((result["name"], "ERROR", result["error"], "", "FAIL"))
        for m in result["metrics"]:
            verdict = {True: "ok", False: "MISSED", None: ""}[m["ok"]]
            rows.append((result["name"], m["name"], _value(m), _budget(m), verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for number, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", action="append", choices=BENCHMARKS, help="run only this benchmark"
    )
    parser.add_argument("--quick", action="store_true", help="smaller sizes, a smoke run")
    args = parser.parse_args()
    chosen = args.only or list(BENCHMARKS)
    started = dt.datetime.now(dt.UTC)
    before = machine()
    results = []
    for name in chosen:
        print(f"== {name}", file=sys.stderr, flush=True)
        results.append(run_one(name, args.quick))
    report = {
        "started_at": started.isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "results": results,
    }
    folder = BENCH / "results"
    folder.mkdir(exist_ok=True)
    (folder / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print()
    print(table(results))
    missed = [
        f"{r['name']}: {m['name']}" for r in results for m in r["metrics"] if m["ok"] is False
    ]
    failed = [r["name"] for r in results if r.get("error")]
    print(f"\nWritten to {(folder / 'latest.json').relative_to(ROOT)}", end="")
    print(" (a quick run: sizes are smaller than the budgets assume)" if args.quick else "")
    if missed or failed:
        print(f"{len(missed)} budget(s) missed, {len(failed)} benchmark(s) failed.")
        return 1
    print("Every budget met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
