"""Backups of the database and the media folder, and restoring them (flask backup / restore).

A backup is a folder: the database (SQLite: a copy made with SQLite's online backup API;
PostgreSQL: a pg_dump archive in its custom format), the media files under media/, and a
manifest.json with the SHA-256 of every file, checked before anything is restored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from fieldapp.consent.services import finish_file_removals, withdraw_participant
from fieldapp.db import checkpoint_wal
from fieldapp.extensions import db
from fieldapp.participants.models import ErasedSubmission, Participant, ParticipantTombstone
from fieldapp.studies.models import Study

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite"
PG_FILE = "database.pgdump"
MEDIA_DIR = "media"
FORMAT = 1
POSTGRES_ROUTE = "README.md, section 'Backups' (PostgreSQL: pg_dump plus the media folder)"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass
class BackupSummary:
    path: Path
    database: str
    media_files: int
    erased_again: int = 0  # participants in the backup who withdrew after it was made


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_root() -> Path:
    return Path(current_app.config["MEDIA_ROOT"])


def _files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _backend() -> str:
    return db.engine.dialect.name


# ---------------------------------------------------------------- PostgreSQL client tools


def _pg_environment() -> dict[str, str]:
    """libpq settings from the database URL: nothing secret on a command line."""
    url = make_url(db.engine.url.render_as_string(hide_password=False))
    env = {**os.environ}
    for key, value in (
        ("PGHOST", url.host),
        ("PGPORT", str(url.port) if url.port else None),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value:
            env[key] = value
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed here, so fieldapp cannot back up or restore PostgreSQL "
            f"itself. Install the PostgreSQL client tools of the server's version, or follow "
            f"the documented route: {POSTGRES_ROUTE}."
        )
    return found


def _run_pg(command: list[str]) -> None:
    done = subprocess.run(  # noqa: S603 - our own command line, no shell
        command, env=_pg_environment(), capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-1000:]}")


# ---------------------------------------------------------------- backup


def make_backup(target: Path) -> BackupSummary:
    """Write a backup into target, a folder that does not exist yet (or is empty)."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; give a new folder for the backup")
    backend = _backend()
    if backend == "postgresql":
        dump_tool = _pg_tool("pg_dump")  # before anything is written
    elif backend != "sqlite":
        raise BackupError(f"backups of {backend} databases are not supported")
    target.mkdir(parents=True, exist_ok=True)
    db.session.remove()
    if backend == "sqlite":
        database_file = target / SQLITE_FILE
        with sqlite3.connect(database_file) as copy:
            raw = db.engine.raw_connection()
            try:
                # One consistent snapshot, taken while the app keeps running.
                raw.driver_connection.backup(copy)
            finally:
                raw.close()
        copy.close()
    else:
        database_file = target / PG_FILE
        _run_pg([dump_tool, "--format=custom", "--no-owner", "--file", str(database_file)])
    # The media after the database: a file the copied database names was written before
    # the row that names it was committed, so it is there (unless erased since).
    media_root = _media_root()
    files = _files_under(media_root)
    for source in files:
        destination = target / MEDIA_DIR / source.relative_to(media_root)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
    (target / MEDIA_DIR).mkdir(exist_ok=True)
    manifest = {
        "format": FORMAT,
        "made_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": backend,
        "files": {
            str(p.relative_to(target)): _sha256(p)
            for p in [database_file, *_files_under(target / MEDIA_DIR)]
        },
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return BackupSummary(target, backend, len(files))


# ---------------------------------------------------------------- restore


def check_backup(source: Path) -> dict:
    """The manifest of a complete, unaltered backup; BackupError otherwise."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} has no readable {MANIFEST}: not a fieldapp backup") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    if manifest.get("database") != _backend():
        raise BackupError(
            f"this backup is of a {manifest.get('database')} database; the app runs on {_backend()}"
        )
    listed = set(manifest["files"])
    present = {str(p.relative_to(source)) for p in _files_under(source)} - {MANIFEST}
    if listed != present:
        raise BackupError(
            f"the backup's files do not match its manifest "
            f"(missing {sorted(listed - present)[:3]}, extra {sorted(present - listed)[:3]})"
        )
    for name, digest in manifest["files"].items():
        if _sha256(source / name) != digest:
            raise BackupError(f"{name} in the backup is damaged (checksum differs)")
    return manifest


def restore_backup(source: Path) -> BackupSummary:
    """Replace the database and the media folder with the backup's (checked first)."""
    source = Path(source)
    check_backup(source)
    backend = _backend()
    if backend == "postgresql":
        restore_tool = _pg_tool("pg_restore")
    withdrawn_since = _tombstones()
    db.session.remove()
    if backend == "sqlite":
        with sqlite3.connect(source / SQLITE_FILE) as backup:
            raw = db.engine.raw_connection()
            try:
                backup.backup(raw.driver_connection)
            finally:
                raw.close()
        backup.close()
        db.engine.dispose()  # no connection keeps a view of the replaced pages
        checkpoint_wal(db.engine)
    else:
        db.engine.dispose()
        _run_pg(
            [
                restore_tool,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--dbname",
                _pg_environment()["PGDATABASE"],
                str(source / PG_FILE),
            ]
        )
    _replace_media(source / MEDIA_DIR)
    erased_again = _erase_again(withdrawn_since)
    return BackupSummary(source, backend, len(_files_under(source / MEDIA_DIR)), erased_again)


# A backup made before a withdrawal still holds the participant. Rule 2 (withdrawal erases)
# must survive a restore, so the tombstones of the database being replaced are read first and
# applied to the restored one: a participant the backup still holds is erased again, and a
# tombstone the backup lacks is put back, so that an offline phone's copy stays refused (410).


@dataclass
class _Tombstone:
    code: str
    study_id: int | None
    withdrawn_at: dt.datetime
    reason: str
    submission_ids: list[str]


def _tombstones() -> list[_Tombstone]:
    # Imported when a backup is restored: only that command needs the domains' erasure rules.
    try:
        rows = db.session.scalars(select(ParticipantTombstone)).all()
    except SQLAlchemyError:  # an empty or older database: nothing to carry over
        db.session.rollback()
        return []
    found = [
        _Tombstone(t.code, t.study_id, t.withdrawn_at, t.reason, list(t.submission_ids))
        for t in rows
    ]
    db.session.rollback()
    return found


def _erase_again(tombstones: list[_Tombstone]) -> int:
    # Imported when a backup is restored: only that command needs the domains' erasure rules.
    erased = 0
    for old in tombstones:
        tombstone = db.session.scalar(
            select(ParticipantTombstone).where(ParticipantTombstone.code == old.code)
        )
        participant = db.session.scalar(select(Participant).where(Participant.code == old.code))
        if tombstone is None and participant is not None:
            reason = "retention" if old.reason == "retention" else "participant"
            tombstone = withdraw_participant(participant, reason=reason)
            tombstone.withdrawn_at = old.withdrawn_at
            erased += 1
        elif tombstone is None:
            study_known = old.study_id is not None and db.session.get(Study, old.study_id)
            tombstone = ParticipantTombstone(
                code=old.code,
                study_id=old.study_id if study_known else None,
                withdrawn_at=old.withdrawn_at,
                reason=old.reason,
            )
            db.session.add(tombstone)
        known = set(tombstone.submission_ids)
        for submission_id in old.submission_ids:
            if (
                submission_id not in known
                and db.session.get(ErasedSubmission, submission_id) is None
            ):
                tombstone.erased.append(ErasedSubmission(submission_id=submission_id))
        db.session.flush()
    db.session.commit()
    finish_file_removals()  # the restored files of those erased again
    db.session.commit()
    return erased


def _replace_media(backup_media: Path) -> None:
    """Swap the media folder for the backup's: copied beside it first, then renamed."""
    media_root = _media_root()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    incoming = media_root.with_name(media_root.name + ".restoring")
    outgoing = media_root.with_name(media_root.name + ".replaced")
    for leftover in (incoming, outgoing):
        if leftover.exists():
            shutil.rmtree(leftover)
    shutil.copytree(backup_media, incoming)
    if media_root.exists():
        media_root.rename(outgoing)
    incoming.rename(media_root)
    if outgoing.exists():
        shutil.rmtree(outgoing)
