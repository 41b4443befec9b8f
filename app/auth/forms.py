"""Account forms (field names are part of the contract, SPEC §11)."""

from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from app.forms import AppForm


class RegisterForm(AppForm):
    """A new account."""

    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField("Name", validators=[Optional(), Length(max=120)])
    password = PasswordField("Password", validators=[DataRequired(), Length(min=8, max=200)])
    confirm_password = PasswordField(
        "Confirm password",
        validators=[DataRequired(), EqualTo("password", "Passwords must match.")],
    )


class LoginForm(AppForm):
    """Sign in."""

    email = EmailField("Email", validators=[DataRequired(), Email()])
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Remember me")


class SetPasswordForm(AppForm):
    """A password for an account that has none yet (an invited candidate's)."""

    password = PasswordField("Password", validators=[DataRequired(), Length(min=8, max=200)])
    confirm_password = PasswordField(
        "Confirm password",
        validators=[DataRequired(), EqualTo("password", "Passwords must match.")],
    )


class ChangePasswordForm(SetPasswordForm):
    """A new password, proven by the current one."""

    current_password = PasswordField("Current password", validators=[DataRequired()])


class TokenForm(AppForm):
    """Name a new personal API token."""

    name = StringField("Token name", validators=[DataRequired(), Length(max=100)])
