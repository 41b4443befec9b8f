"""The base form every form in the app derives from."""

from flask_wtf import FlaskForm


class AppForm(FlaskForm):
    """A form whose CSRF check is done once per request by `app.security.enforce_csrf`.

    Checking it again inside the form would refuse bearer-token clients, which are exempt.
    """

    class Meta:
        csrf = False
