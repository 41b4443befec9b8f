"""Accounts and the API tokens that authenticate scripts."""

from __future__ import annotations

import enum
import hashlib
import secrets
import time
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.base import utcnow


class TokenKind(enum.StrEnum):
    """Personal tokens sign a user's scripts in; recruiter tokens are the recruiter API's keys."""

    PERSONAL = "personal"
    RECRUITER = "recruiter"


TOKEN_PREFIXES = {TokenKind.PERSONAL: "icp_", TokenKind.RECRUITER: "icr_"}


class User(UserMixin, db.Model):  # type: ignore[name-defined]
    """A person who signs in: a candidate, a recruiter, or an admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(256))
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    is_admin: Mapped[bool] = mapped_column(default=False)
    # Part of every sign-in's id (see `sign_in_id`); moving it on ends every sign-in at once.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password (never the password itself); a new password ends
        every sign-in made with the old one."""
        self.password_hash = generate_password_hash(password)
        self.end_sign_ins()

    def end_sign_ins(self) -> None:
        """Make every session and remember-me cookie issued so far stop working."""
        self.session_version = (self.session_version or 0) + 1

    def sign_in_id(self) -> str:
        """What one sign-in's cookies name: the account, its session version, when, and a random
        nonce, so every sign-in (and its remember-me cookie) is distinct. The cookies are signed
        with SECRET_KEY, so none of it can be forged; `app.security.load_user` checks it."""
        issued_at = int(time.time())
        return f"{self.id}:{self.session_version or 0}:{issued_at}:{secrets.token_urlsafe(12)}"

    def check_password(self, password: str) -> bool:
        """Whether the password matches; invite-only accounts (no password) never match."""
        return bool(self.password_hash) and check_password_hash(self.password_hash or "", password)

    @property
    def display_name(self) -> str:
        """The name to greet the user with."""
        return greeting_name(self.name, self.email)

    @property
    def has_password(self) -> bool:
        """Whether the account signs in with a password (an invite-only account has none)."""
        return bool(self.password_hash)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


def greeting_name(name: str | None, email: str) -> str:
    """The name to greet a user with: their name, else their email's local part."""
    return name or email.split("@", 1)[0]


# What `PlainUser` is read from, as the first columns of a page's state read (in this order).
PLAIN_USER_COLUMNS = (
    User.id,
    User.name,
    User.email,
    User.password_hash.is_not(None),
    User.session_version,
)


class PlainUser(UserMixin):
    """The signed-in user as plain values, read in the same query as a page's state
    (`app.sessions.services.StateRead`): what a page served from what is kept, and the checks
    before it, need — the id, the name in the top bar, whether the account has a password (the
    sign-in's reach, `app.access`) and the session version (`app.security.load_user`). Building
    it costs a tuple, not an ORM object with its identity-map bookkeeping.

    Anything else a view asks of it is asked of the full `User`, loaded by id on first need and
    kept for the rest of the request (`full`)."""

    def __init__(
        self, id: int, name: str | None, email: str, has_password: bool, session_version: int
    ) -> None:
        self.id = id
        self.display_name = greeting_name(name, email)
        self.has_password = bool(has_password)
        self.session_version = session_version
        self._full: User | None = None

    def full(self) -> User:
        """The full user, loaded once (for the rest of the request, as Flask-Login keeps a user)."""
        if self._full is None:
            user = db.session.get(User, self.id)
            if user is None:  # deleted since this request read it
                raise LookupError(f"user {self.id} no longer exists")
            self._full = user
        return self._full

    def __getattr__(self, name: str) -> object:
        # Only called for what is not set above: the rest of the user's columns and methods.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.full(), name)

    def __repr__(self) -> str:
        return f"<PlainUser {self.id}>"


def hash_token(secret: str) -> str:
    """SHA-256 of a token: tokens are long random strings, so a fast hash is enough to store."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class ApiToken(db.Model):  # type: ignore[name-defined]
    """A personal API token or a recruiter API key; only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(16))
    kind: Mapped[str] = mapped_column(sa.String(16), default=TokenKind.PERSONAL)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")

    @classmethod
    def issue(
        cls, user: User, name: str, kind: TokenKind = TokenKind.PERSONAL
    ) -> tuple[ApiToken, str]:
        """Create a token row and return it with the secret, which is shown to the user once."""
        secret = TOKEN_PREFIXES[kind] + secrets.token_urlsafe(32)
        token = cls(
            user=user, name=name, kind=kind, token_hash=hash_token(secret), prefix=secret[:10]
        )
        return token, secret

    @property
    def is_active(self) -> bool:
        """A token works until it is revoked."""
        return self.revoked_at is None
