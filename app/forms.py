"""The base form every form in the app derives from."""

from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from werkzeug.datastructures import CombinedMultiDict


class AppForm(FlaskForm):
    """A form whose CSRF check is done once per request by `app.security.enforce_csrf`.

    Checking it again inside the form would refuse bearer-token clients, which are exempt.
    """

    class Meta:
        csrf = False

        def wrap_formdata(self, form, formdata):
            """Read only real form fields: a JSON body is not form data (its values need not
            be strings, which WTForms fields cannot take)."""
            from flask import request

            if formdata is not _Auto:
                return formdata
            if request.files:
                return CombinedMultiDict((request.files, request.form))
            return request.form if request.form else None
