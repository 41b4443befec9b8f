"""Interview Coach: rehearse a real job interview and learn exactly what to fix.

`create_app` is the table of contents of the application.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask

from app.ai.tasks import check_settings as check_ai_settings
from app.config import (
    INSTANCE_DIR,
    Config,
    config_for,
    engine_options,
    rate_limit_storage_options,
)
from app.requests import CleanRequest, DatabaseId


def create_app(
    config: str | Config | None = None, overrides: Mapping[str, Any] | None = None
) -> Flask:
    """Build the app: configuration, extensions, blueprints, errors, CLI, shell context."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), instance_relative_config=True)
    app.request_class = CleanRequest
    app.url_map.converters["int"] = DatabaseId  # before any route is added
    configure(app, config, overrides)
    check_ai_settings(app.config)  # a wrong AI setting stops start-up, not the first interview
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_cli(app)
    register_shell_context(app)
    return app


def configure(app: Flask, config: str | Config | None, overrides: Mapping[str, Any] | None) -> None:
    """Load the config class, then instance/config.py (local secrets), then explicit overrides."""
    settings = config if isinstance(config, Config) else config_for(config)
    app.config.from_object(settings)
    if not app.testing:
        app.config.from_pyfile("config.py", silent=True)
    if overrides:
        app.config.update(overrides)
    # Pool and storage settings follow the database and storage finally chosen, unless set.
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    )
    app.config.setdefault(
        "RATELIMIT_STORAGE_OPTIONS",
        rate_limit_storage_options(
            app.config["RATELIMIT_STORAGE_URI"], app.config["RATELIMIT_STORAGE_TIMEOUT_S"]
        ),
    )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # Alembic announces each of its plugins at INFO whenever it loads, which is on every `flask`
    # command; what a migration does is still logged by alembic.runtime.migration.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def register_extensions(app: Flask) -> None:
    """Bind the unbound extension objects to this app."""
    from app import access, jobs, security, throttle
    from app.extensions import (
        babel,
        csrf,
        db,
        end_database_session,
        limiter,
        login_manager,
        migrate,
    )
    from app.i18n import TRANSLATIONS, page_language

    db.init_app(app)
    app.teardown_appcontext(end_database_session)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.id_attribute = "sign_in_id"  # cookies name one sign-in, not just the user
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    babel.init_app(
        app, locale_selector=page_language, default_translation_directories=str(TRANSLATIONS)
    )
    limiter.init_app(app)
    throttle.check_limits_only_where_set(app)
    security.register_security(app)
    access.register_access(app)
    jobs.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Attach every feature package's blueprint."""
    from app.auth import bp as auth_bp
    from app.documents import bp as documents_bp
    from app.feedback import bp as feedback_bp
    from app.interview import bp as interview_bp
    from app.main import bp as main_bp
    from app.practice import bp as practice_bp
    from app.recruiter import bp as recruiter_bp
    from app.reports import bp as reports_bp
    from app.sessions import bp as sessions_bp

    for blueprint in (
        main_bp,
        auth_bp,
        documents_bp,
        sessions_bp,
        interview_bp,
        feedback_bp,
        reports_bp,
        practice_bp,
        recruiter_bp,
    ):
        app.register_blueprint(blueprint)


def register_error_handlers(app: Flask) -> None:
    """One module turns errors into pages or JSON."""
    from app.errors import register_error_handlers as register

    register(app)


def register_template_helpers(app: Flask) -> None:
    """Filters and globals the templates share."""
    from app.templating import register_template_helpers as register

    register(app)


def register_cli(app: Flask) -> None:
    """Admin commands: users, tokens, demo data, AI checks, the offline interviewer."""
    from app.cli import register_commands

    register_commands(app)


def register_shell_context(app: Flask) -> None:
    """`flask shell` starts with db, sa and every model imported."""
    import sqlalchemy as sa

    from app import models
    from app.extensions import db

    @app.shell_context_processor
    def shell_context() -> dict[str, Any]:
        names = {name: getattr(models, name) for name in models.__all__}
        return {"db": db, "sa": sa, **names}
