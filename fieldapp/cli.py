"""Command-line tools: the demo, creating the first administrator, housekeeping."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from fieldapp.extensions import db


def register_cli(app: Flask) -> None:
    @app.cli.command("demo")
    def demo_command():
        """Seed the demo area, accounts and study (safe to run again)."""
        from fieldapp.demo import demo_participant_token, seed_demo

        logins = seed_demo()
        token = demo_participant_token()
        db.session.commit()
        click.echo("Demo ready. Log in at http://127.0.0.1:5000 with:")
        for username, password, role in logins:
            click.echo(f"  {role:<14} {username:<12} {password}")
        if token:
            click.echo("A participant's own page (no login): http://127.0.0.1:5000/p/" + token)

    @app.cli.command("create-admin")
    @click.argument("username")
    @click.option("--name", "display_name", default="Administrator")
    @click.password_option()
    def create_admin_command(username, display_name, password):
        """Create an administrator account (the first account of a new installation)."""
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
        """Erase personal data of studies past their retention date (schedule it daily)."""
        from fieldapp.consent.services import purge_study, studies_past_retention

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
            db.session.commit()
        if not studies or total == 0:
            click.echo("Nothing to erase." if not dry_run else "Nothing would be erased.")

    @app.cli.command("sweep-media")
    @click.option("--hours", default=1, show_default=True)
    def sweep_media_command(hours):
        """Remove media files that no record names (left by a crash between write and commit)."""
        import datetime as dt

        from fieldapp.media.services import remove_orphan_files

        count = remove_orphan_files(older_than=dt.timedelta(hours=hours))
        click.echo(f"{count} orphan files removed.")

    @app.cli.command("purge-logins")
    @click.option("--days", default=30, show_default=True)
    def purge_logins_command(days):
        """Delete login attempts older than DAYS and expired sessions."""
        from fieldapp.accounts.services import purge_login_attempts

        count = purge_login_attempts(days)
        db.session.commit()
        click.echo(f"{count} rows deleted.")
