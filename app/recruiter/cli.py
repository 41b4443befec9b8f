"""`flask api-keys create|list|revoke`: recruiter API keys (stored hashed, shown once);
`flask webhooks pending|redeliver`: completed reports that never reached their webhook."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.auth import services as accounts
from app.cli import require_user
from app.errors import NotFound
from app.extensions import db
from app.i18n import counted
from app.models import TokenKind
from app.recruiter import webhooks
from app.recruiter.signing import webhook_secret

api_keys_cli = AppGroup("api-keys", help="Manage recruiter API keys.")
webhooks_cli = AppGroup("webhooks", help="Resend reports that never reached a recruiter.")

KIND = TokenKind.RECRUITER


@api_keys_cli.command("create")
@click.option("--user", "email", required=True, help="Recruiter's email.")
@click.option("--name", required=True, help="A name to recognise the key by.")
def create_key(email: str, name: str) -> None:
    """Create a recruiter API key; the key is printed once, alone on the last line."""
    user = require_user(email)
    token, secret = accounts.create_token(user, name, KIND)
    db.session.commit()
    click.echo(f"API key {token.id} ({token.name}) created for {user.email}.")
    click.echo(
        f"Webhook secret of this key (signs webhooks of plans it creates): {webhook_secret(token)}"
    )
    click.echo("Store the key now; it is not shown again:")
    click.echo(secret)


@api_keys_cli.command("list")
@click.option("--user", "email", required=True, help="Recruiter's email.")
def list_keys(email: str) -> None:
    """List a recruiter's API keys."""
    for token in accounts.list_tokens(require_user(email), KIND):
        state = "revoked" if token.revoked_at else "active"
        used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never used"
        click.echo(f"{token.id}\t{token.prefix}…\t{token.name}\t{state}\t{used}")


@api_keys_cli.command("revoke")
@click.option("--user", "email", required=True, help="Recruiter's email.")
@click.argument("key_id", type=int)
def revoke_key(email: str, key_id: int) -> None:
    """Revoke a recruiter API key (its webhook secret is retired with it)."""
    user = require_user(email)
    try:
        accounts.revoke_token(user, key_id, KIND)
    except NotFound as error:
        raise click.ClickException(f"No API key {key_id} for {user.email}") from error
    db.session.commit()
    click.echo(f"API key {key_id} revoked.")


@webhooks_cli.command("pending")
def list_pending() -> None:
    """List completed invites whose report was never delivered, with the last error."""
    pending = webhooks.pending_deliveries()
    for item in pending:
        click.echo(
            f"invite {item.invite.id}\t{item.url}\t{counted(item.attempts, 'attempt')}\t"
            f"{item.last_error or 'never sent'}"
        )
    click.echo(f"{counted(len(pending), 'undelivered report')}.")


@webhooks_cli.command("redeliver")
@click.option("--invite", "invite_id", type=int, help="Only this invite (default: every one).")
def redeliver(invite_id: int | None) -> None:
    """Send undelivered reports again (after a restart dropped their retries, or once a
    receiver is fixed); exits non-zero when any is still undelivered."""
    pending = webhooks.pending_deliveries(invite_id)
    if invite_id is not None and not pending:
        raise click.ClickException(f"Invite {invite_id} has no undelivered report.")
    failed = 0
    for item in pending:
        ok = webhooks.redeliver(item)
        failed += not ok
        click.echo(f"invite {item.invite.id}: {'delivered' if ok else 'still not delivered'}")
    if failed:
        raise click.ClickException(f"{counted(failed, 'report')} still not delivered.")
