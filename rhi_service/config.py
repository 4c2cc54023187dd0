"""Deployment settings, read from the environment only.

Secrets never fall back to a value in the code: in production they must be set, elsewhere they are
generated once into instance/ so a developer's sessions and encrypted data survive a restart.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet


class ConfigError(RuntimeError):
    pass


def _instance_secret(instance_path: Path, name: str, make) -> str:
    path = instance_path / name
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    value = make()
    # Written with owner-only permissions: this file is a key.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    return value


def _engine_options(url: str) -> dict:
    options: dict = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        # A database host that goes away without closing its connections (a dead machine, a dropped
        # route) is noticed in about a minute rather than the kernel's two hours, so the request waiting
        # on it gets the "Service unavailable" page and its worker is freed.
        options["connect_args"] = {"connect_timeout": 10, "keepalives": 1, "keepalives_idle": 30,
                                   "keepalives_interval": 10, "keepalives_count": 3, "tcp_user_timeout": 60000}
    return options


def load(instance_path: str, environ: dict | None = None) -> dict:
    env = os.environ if environ is None else environ
    instance = Path(instance_path)
    production = env.get("RHI_ENV", "development") == "production"

    config: dict = {
        "RHI_ENV": env.get("RHI_ENV", "development"),
        "PRODUCTION": production,
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL") or f"sqlite:///{instance / 'rhi.sqlite3'}",
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(env.get("DATABASE_URL") or ""),
        # The CSRF token lives as long as the session: a worker may spend an hour on one page.
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_NAME": "rhi_session",
        "REMEMBER_COOKIE_DURATION": 0,
        "IDLE_TIMEOUT_MINUTES": int(env.get("RHI_IDLE_TIMEOUT_MINUTES", "30")),
        # How often an interview page saves a draft while someone types.
        "AUTOSAVE_SECONDS": 30,
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": False,
        "RHI_SETTINGS_FILE": env.get("RHI_SETTINGS_FILE"),
        "RHI_NER": env.get("RHI_NER") == "1",
        "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
    }

    secret_key = env.get("SECRET_KEY")
    keys = env.get("RHI_ENCRYPTION_KEY")
    if production:
        missing = [name for name, value in (("SECRET_KEY", secret_key), ("RHI_ENCRYPTION_KEY", keys)) if not value]
        if missing:
            raise ConfigError(f"RHI_ENV=production needs {', '.join(missing)} set in the environment")
    else:
        secret_key = secret_key or _instance_secret(instance, "secret_key", lambda: secrets.token_hex(32))
        keys = keys or _instance_secret(instance, "encryption_key", lambda: Fernet.generate_key().decode())
    config["SECRET_KEY"] = secret_key
    # Several keys, comma separated, newest first: old ones still decrypt while rotation runs.
    config["RHI_ENCRYPTION_KEYS"] = [k.strip() for k in keys.split(",") if k.strip()]
    return config
