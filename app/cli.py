"""Admin commands: `flask users …`, `flask tokens …`, plus the feature packages' own groups."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from app.auth import services as accounts
from app.errors import AppError
from app.extensions import db
from app.models import User

users_cli = AppGroup("users", help="Manage user accounts.")
tokens_cli = AppGroup("tokens", help="Manage personal API tokens.")


@users_cli.command("create")
@click.argument("email")
@click.option("--admin", is_flag=True, help="Give the user admin rights.")
@click.option("--name", default="", help="Display name.")
@click.option("--password", help="Password (prompted for when omitted).")
def create_user(email: str, admin: bool, name: str, password: str | None) -> None:
    """Create a user account."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise click.ClickException("Password must be at least 8 characters.")
    try:
        user = accounts.register_user(email, password, name, is_admin=admin)
    except AppError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Created user {user.id} {user.email}{' (admin)' if admin else ''}")


@users_cli.command("list")
def list_users() -> None:
    """List every account."""
    for user in db.session.scalars(sa.select(User).order_by(User.id)):
        flag = " admin" if user.is_admin else ""
        click.echo(f"{user.id}\t{user.email}\t{user.name}\t{user.created_at:%Y-%m-%d}{flag}")


def require_user(email: str) -> User:
    """The user with this email, or a clean CLI error."""
    user = accounts.find_user(email)
    if user is None:
        raise click.ClickException(f"No user with email {email}")
    return user


@tokens_cli.command("create")
@click.option("--user", "email", required=True, help="Owner's email.")
@click.option("--name", required=True, help="A name to recognise the token by.")
def create_token(email: str, name: str) -> None:
    """Create a personal API token; the secret is printed once, alone on the last line."""
    token, secret = accounts.create_token(require_user(email), name)
    db.session.commit()
    click.echo(f"Token {token.id} ({token.name}) created. Store it now; it is not shown again:")
    click.echo(secret)


@tokens_cli.command("list")
@click.option("--user", "email", required=True, help="Owner's email.")
def list_tokens(email: str) -> None:
    """List a user's personal API tokens."""
    for token in accounts.list_tokens(require_user(email)):
        state = "revoked" if token.revoked_at else "active"
        click.echo(f"{token.id}\t{token.prefix}…\t{token.name}\t{state}")


@tokens_cli.command("revoke")
@click.option("--user", "email", required=True, help="Owner's email.")
@click.argument("token_id", type=int)
def revoke_token(email: str, token_id: int) -> None:
    """Revoke a personal API token."""
    try:
        accounts.revoke_token(require_user(email), token_id)
    except AppError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Token {token_id} revoked.")


def register_commands(app: Flask) -> None:
    """Attach every command group to the app's CLI."""
    from app.ai.cli import ai_cli
    from app.demo import demo_cli
    from app.interview.cli import recordings_cli
    from app.jobs.cli import jobs_cli
    from app.offline_cli import interview_cli
    from app.recruiter.cli import api_keys_cli, webhooks_cli

    for group in (
        users_cli,
        tokens_cli,
        api_keys_cli,
        webhooks_cli,
        ai_cli,
        interview_cli,
        demo_cli,
        jobs_cli,
        recordings_cli,
    ):
        app.cli.add_command(group)
