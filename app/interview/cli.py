"""`flask recordings purge`: delete recordings past AUDIO_RETENTION_DAYS (the job worker also
runs it every day); `flask recordings status`: how many are kept and how much space they take."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.extensions import db
from app.i18n import counted
from app.interview.recordings import purge_expired, recordings_dir, retention_days
from app.models import Recording, utcnow

recordings_cli = AppGroup("recordings", help="Kept recordings of spoken answers.")


@recordings_cli.command("purge")
def purge() -> None:
    """Delete every recording past its retention (file and row), and files no row names."""
    count = purge_expired()
    click.echo(f"Deleted {counted(count, 'expired recording')}.")


@recordings_cli.command("status")
def status() -> None:
    """The retention setting, the directory, and how many recordings are kept."""
    now = utcnow()
    kept, size = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(Recording.size_bytes), 0)).where(
            Recording.expires_at > now
        )
    ).one()
    expired = db.session.scalar(sa.select(sa.func.count()).where(Recording.expires_at <= now))
    days = retention_days()
    click.echo(f"Retention: {days} days" if days else "Retention: 0 (recordings are not kept)")
    click.echo(f"Directory: {recordings_dir()}")
    click.echo(f"Kept: {counted(kept, 'recording')}, {size / 1_048_576:.1f} MB")
    click.echo(f"Past retention, awaiting the purge: {expired}")
