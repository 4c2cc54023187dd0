"""RHI Service: Return Home Interviews for children who went missing from home or care."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None):
    # Imported here so that `rhi_service.analysis`, which stands alone, does not load Flask.
    from flask import Flask
    from govuk_frontend_wtf.main import WTFormsHelpers
    from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

    from . import config as deployment_config
    from . import crypto
    from . import settings as practice_settings
    from .database import configure_engine

    instance_path = os.environ.get("RHI_INSTANCE_PATH") or str(PROJECT_ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=instance_path,
        static_folder=str(PROJECT_ROOT / "static"),
        static_url_path="/static",
    )
    os.makedirs(instance_path, exist_ok=True)
    app.config.from_mapping(deployment_config.load(instance_path))
    if test_config:
        app.config.update(test_config)
    app.extensions["rhi_settings"] = practice_settings.load(app.config.get("RHI_SETTINGS_FILE"))
    crypto.configure(app.config["RHI_ENCRYPTION_KEYS"])

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(PROJECT_ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.add_extension("jinja2.ext.do")
    WTFormsHelpers(app)
    from .forms.errors import error_summary

    app.add_template_global(error_summary)

    from .extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    from .migration_support import render_item

    migrate.init_app(
        app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True, render_item=render_item
    )
    with app.app_context():
        configure_engine(db.engine)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from . import models  # noqa: F401  (every model registered before migrations look)
    from .compliance_counts import keep_counts
    from .repeat_marks import keep_marks

    keep_counts()
    keep_marks()
    from .web import register

    register(app)

    from .cli import register_commands

    register_commands(app)
    return app
