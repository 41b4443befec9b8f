"""CV upload form (field names are part of the contract, SPEC §4)."""

from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.forms import AppForm


class ResumeForm(AppForm):
    """Upload a CV file or paste its text."""

    title = StringField("Title", validators=[Optional(), Length(max=200)])
    # The page adds the upload limit in force (UPLOAD_MAX_BYTES) after this label.
    resume_file = FileField("CV file (PDF, DOCX, TXT or MD)")
    resume_text = TextAreaField("…or paste the text", validators=[Optional(), Length(max=200_000)])
