"""Command-line tools: the demo, creating the first administrator, housekeeping."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from fieldapp.extensions import db


def register_cli(app: Flask) -> None:
    # Imported when the command runs: `flask --help` and every other command need not load it.
    from fieldapp.fieldwork.exports import register_export_cli

    register_export_cli(app)
    app.cli.add_command(instruments_group)

    @app.cli.command("demo")
    def demo_command():
        """Seed the demo area, accounts and study (safe to run again)."""
        # Imported when the command runs: `flask --help` and every other command need not load it.
        from fieldapp.demo import demo_participant_token, seed_demo

        logins = seed_demo()
        token = demo_participant_token()
        db.session.commit()
        import os

        base = f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"
        click.echo(f"Demo ready. Log in at {base} with:")
        for username, password, role in logins:
            click.echo(f"  {role:<14} {username:<12} {password}")
        if token:
            click.echo(f"A participant's own page (no login): {base}/p/{token}")

    @app.cli.command("create-admin")
    @click.argument("username")
    @click.option("--name", "display_name", default="Administrator")
    @click.password_option()
    def create_admin_command(username, display_name, password):
        """Create an administrator account (the first account of a new installation)."""
        # Imported when the command runs: `flask --help` and every other command need not load it.
        from fieldapp.accounts.models import Role, User
        from fieldapp.accounts.passwords import hash_password, password_problem
        from fieldapp.accounts.services import USERNAME_RE, normalise_username

        name = normalise_username(username)
        if not USERNAME_RE.match(name):
            raise click.BadParameter("use 3-64 lower-case letters, digits, dots or dashes")
        if db.session.scalar(select(User.id).where(User.username == name)):
            raise click.ClickException("that username is taken")
        problem = password_problem(password, name)
        if problem:
            raise click.ClickException(f"password refused: {problem.replace('_', ' ')}")
        db.session.add(
            User(
                username=name,
                display_name=display_name,
                role=Role.ADMIN,
                password_hash=hash_password(password),
            )
        )
        db.session.commit()
        click.echo(f"Administrator {name} created.")

    @app.cli.command("purge")
    @click.option("--dry-run", is_flag=True, help="Show what would be erased; change nothing.")
    def purge_command(dry_run):
        """Erase personal data of studies past their retention date (schedule it daily).

        Also removes the files of erasures stopped by a crash, and participants that an
        older version stored before consent and that never consented.
        """
        # Imported when the command runs: `flask --help` and every other command need not load it.
        from fieldapp.consent.services import (
            finish_file_removals,
            purge_study,
            purge_unconsented_participants,
            studies_past_retention,
        )

        if not dry_run:
            finished = finish_file_removals()
            db.session.commit()
            if finished:
                click.echo(f"finished {finished} file removal{'s' if finished != 1 else ''}")
        unconsented = purge_unconsented_participants(dry_run=dry_run)
        if unconsented:
            verb = "would delete" if dry_run else "deleted"
            click.echo(f"{verb} {unconsented} participants without consent")
        studies = studies_past_retention()
        total = 0
        for study in studies:
            count = purge_study(study, dry_run=dry_run)
            total += count
            verb = "would erase" if dry_run else "erased"
            click.echo(
                f"{study.slug} (retention date {study.retention_date.isoformat()}): "
                f"{verb} {count} participant{'s' if count != 1 else ''}"
            )
        if not dry_run:
            db.session.commit()  # on SQLite the WAL is checkpointed after this commit
            finish_file_removals()  # the files of this run's erasures, now committed
            db.session.commit()
            if total:
                vacuum_after_erasure()
        if not studies or total == 0:
            click.echo("Nothing to erase." if not dry_run else "Nothing would be erased.")

    @app.cli.command("backup")
    @click.argument("path", type=click.Path(file_okay=False, path_type=Path))
    def backup_command(path):
        """Back up the database and the media files into PATH, a new folder."""
        # Imported when the command runs: `flask --help` and every other command need not load it.
        from fieldapp.backup import BackupError, make_backup

        try:
            summary = make_backup(path)
        except BackupError as error:
            raise click.ClickException(str(error)) from error
        click.echo(
            f"Backup of the {summary.database} database and {summary.media_files} media "
            f"files written to {summary.path}."
        )

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def restore_command(path, yes):
        """Replace the database and the media files with the backup in PATH."""
        # Imported when the command runs: `flask --help` and every other command need not load it.
        from fieldapp.backup import BackupError, check_backup, restore_backup

        try:
            manifest = check_backup(path)
            if not yes:
                click.confirm(
                    f"Replace the database and every media file with the backup of "
                    f"{manifest['made_at']}? Everything since then is lost; participants who "
                    f"withdrew since then are erased again",
                    abort=True,
                )
            summary = restore_backup(path)
        except BackupError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Restored the database and {summary.media_files} media files from {path}.")
        if summary.erased_again:
            click.echo(
                f"Erased again {summary.erased_again} participant(s) who withdrew after the "
                "backup was made."
            )

    @app.cli.command("sweep-media")
    @click.option("--hours", default=1, show_default=True)
    def sweep_media_command(hours):
        """Remove media files that no record names (left by a crash between write and commit)."""
        import datetime as dt

        # Imported when the command runs: `flask --help` and every other command need not load it.
        from fieldapp.media.services import remove_orphan_files

        count = remove_orphan_files(older_than=dt.timedelta(hours=hours))
        click.echo(f"{count} orphan files removed.")

    @app.cli.command("purge-logins")
    @click.option("--days", default=30, show_default=True)
    def purge_logins_command(days):
        """Delete login attempts older than DAYS and expired sessions."""
        # Imported when the command runs: `flask --help` and every other command need not load it.
        from fieldapp.accounts.services import purge_login_attempts

        count = purge_login_attempts(days)
        db.session.commit()
        click.echo(f"{count} rows deleted.")


def vacuum_after_erasure() -> None:
    """PostgreSQL keeps deleted rows in its table files until VACUUM clears them out.

    A plain VACUUM (not FULL: that would lock every table while it rewrites it) removes
    the erased rows' dead tuples now instead of whenever autovacuum comes by. What VACUUM
    cannot reach (WAL segments, archives, backups) is described in the README.
    """
    if db.engine.dialect.name != "postgresql":
        return
    db.session.remove()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM (ANALYZE)")
    click.echo("VACUUM done: the erased rows are cleared from the table files.")


instruments_group = AppGroup("instruments", help="Questionnaires and observation protocols.")


@instruments_group.command("import-xlsform")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--study", "slug", required=True, help="The study's short name (slug).")
@click.option("--title", default=None, help="Title; the form's own title by default.")
@click.option(
    "--kind",
    type=click.Choice(["questionnaire", "observation"]),
    default="questionnaire",
    show_default=True,
)
@click.option(
    "--as",
    "username",
    default=None,
    help="Username of the coordinator who imports (the study's first by default).",
)
def import_xlsform_command(path, slug, title, kind, username):
    """Import an XLSForm as a draft instrument; lists what it cannot import, row by row."""
    # Imported when the command runs: `flask --help` and every other command need not load it.
    from fieldapp.accounts.models import User
    from fieldapp.instruments.services import import_definition
    from fieldapp.instruments.xlsform import read_xlsform
    from fieldapp.studies.models import MemberRole, Study

    study = db.session.scalar(select(Study).where(Study.slug == slug))
    if study is None:
        raise click.ClickException(f"no study with the short name {slug!r}")
    if username:
        actor = db.session.scalar(select(User).where(User.username == username))
    else:
        coordinators = study.members_with_role(MemberRole.COORDINATOR)
        actor = coordinators[0] if coordinators else None
    if actor is None:
        raise click.ClickException("no coordinator to import as; use --as USERNAME")
    with open(path, "rb") as handle:
        result = read_xlsform(handle)
    for problem in result.problems:
        where = f"{problem.sheet} row {problem.row}" if problem.row else problem.sheet
        level = "error" if problem.blocking else "not imported"
        click.echo(f"{level}: {where}: {problem.code}: {problem.detail}", err=True)
    if not result.ok or result.definition is None:
        raise click.ClickException("the form was not imported")
    instrument = import_definition(
        actor,
        study,
        result.definition,
        title=title or result.definition.title or "XLSForm",
        kind=kind,
    )
    db.session.commit()
    click.echo(f"Imported as instrument {instrument.id} (a draft) in {slug}.")
