import pytest
import yaml

from rhi_service import config, settings


def test_production_needs_its_secrets(tmp_path):
    with pytest.raises(config.ConfigError, match="SECRET_KEY, RHI_ENCRYPTION_KEY"):
        config.load(str(tmp_path), {"RHI_ENV": "production"})


def test_development_generates_secrets_once_into_instance(tmp_path):
    first = config.load(str(tmp_path), {})
    second = config.load(str(tmp_path), {})
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert first["RHI_ENCRYPTION_KEYS"] == second["RHI_ENCRYPTION_KEYS"]
    assert (tmp_path / "encryption_key").stat().st_mode & 0o077 == 0


def test_database_defaults_to_sqlite_under_instance(tmp_path):
    assert config.load(str(tmp_path), {})["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/rhi.sqlite3"
    assert config.load(str(tmp_path), {"DATABASE_URL": "postgresql+psycopg://x@h/db"})["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


def test_a_postgresql_connection_gives_up_on_a_silent_database_within_about_a_minute(tmp_path):
    options = config.load(str(tmp_path), {"DATABASE_URL": "postgresql+psycopg://x@h/db"})["SQLALCHEMY_ENGINE_OPTIONS"]
    args = options["connect_args"]
    assert options["pool_pre_ping"] and args["keepalives"] == 1
    assert args["keepalives_idle"] + args["keepalives_interval"] * args["keepalives_count"] <= 90
    assert args["tcp_user_timeout"] <= 90_000 and args["connect_timeout"] <= 30
    # SQLite's driver takes none of these
    assert "connect_args" not in config.load(str(tmp_path), {})["SQLALCHEMY_ENGINE_OPTIONS"]


def test_production_cookies_are_secure(tmp_path):
    loaded = config.load(str(tmp_path), {"RHI_ENV": "production", "SECRET_KEY": "x" * 32, "RHI_ENCRYPTION_KEY": "a2V5" * 11})
    assert loaded["SESSION_COOKIE_SECURE"] and loaded["SESSION_COOKIE_HTTPONLY"]


def test_settings_file_overrides_a_default(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text(yaml.safe_dump({"decline_after_unsuccessful_attempts": 4, "organisation": {"phone": "07700 900555"}}))
    loaded = settings.load(str(path))
    assert loaded["decline_after_unsuccessful_attempts"] == 4
    assert loaded["organisation"]["phone"] == "07700 900555"
    assert loaded["organisation"]["name"] == settings.DEFAULTS["organisation"]["name"]


def test_an_unknown_setting_is_an_error(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("decline_after_unsucessful_attempts: 4\n")
    with pytest.raises(settings.SettingsError, match="Unknown setting"):
        settings.load(str(path))


def test_defaults_follow_the_seeds():
    assert settings.DEFAULTS["rhi_due_hours"] == 72
    assert settings.DEFAULTS["decline_after_unsuccessful_attempts"] == 3
    windows = {(w["episodes"], w["days"]) for w in settings.DEFAULTS["repeat_missing_windows"]}
    assert windows == {(3, 90), (3, 30), (2, 365)}


def test_password_strength_handles_long_and_short_passwords():
    from rhi_service.passwords import strength_problem

    assert strength_problem("short") == "Password must be 12 characters or more"
    assert strength_problem("x" * 129) == "Password must be 128 characters or fewer"
    assert strength_problem("lantern otter quarry velvet " * 4) is None
    assert "harder to guess" in strength_problem("password1234")
