"""CV library pages and their JSON faces."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.documents import bp, services
from app.documents.forms import ResumeForm
from app.documents.throttle import upload_limit
from app.errors import AppError
from app.extensions import db
from app.responses import envelope, wants_json


def resume_from_request(form: ResumeForm, language: str = "en"):
    """Store the uploaded file, or else the pasted text, from a submitted form."""
    upload = request.files.get("resume_file")
    if upload is not None and upload.filename:
        return services.store_uploaded_resume(
            current_user, upload.read(), upload.filename, form.title.data or "", language
        )
    return services.store_resume(
        current_user, form.resume_text.data or "", title=form.title.data or "", language=language
    )


@bp.route("/resumes", methods=["GET", "POST"])
@login_required
@upload_limit
def index():
    """List the user's CVs; POST adds one (201) or returns the same one stored before (200)."""
    form = ResumeForm()
    if request.method == "POST":
        try:
            resume, created = resume_from_request(form)
        except AppError as error:
            if wants_json():
                raise
            flash(error.message, "danger")
            return render_template(
                "documents/index.html", form=form, resumes=services.list_resumes(current_user)
            ), error.status
        db.session.commit()
        if wants_json():
            return envelope(resume.to_json(), 201 if created else 200)
        flash(
            "CV added." if created else "You uploaded this CV before; using the saved copy.",
            "success",
        )
        return redirect(url_for("documents.detail", resume_id=resume.id))
    resumes = services.list_resumes(current_user)
    if wants_json():
        return envelope([r.to_json() for r in resumes])
    return render_template("documents/index.html", form=form, resumes=resumes)


@bp.get("/resumes/<int:resume_id>")
@login_required
def detail(resume_id: int):
    """One CV with its extracted text."""
    resume = services.get_resume(current_user, resume_id)
    if wants_json():
        return envelope({**resume.to_json(), "text": resume.text})
    return render_template("documents/detail.html", resume=resume)


@bp.post("/resumes/<int:resume_id>/delete")
@login_required
def delete(resume_id: int):
    """Delete a CV from the library."""
    services.delete_resume(current_user, resume_id)
    db.session.commit()
    if wants_json():
        return envelope(None)
    flash("CV deleted.", "info")
    return redirect(url_for("documents.index"))
