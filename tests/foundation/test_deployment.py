"""Deployment files agree with the code: compose is valid and production passes check --deploy."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x7#kq9!p2m@v4z8w&r1t6y3u5i0o-l=a(s)d*f+g_h^j%k$l~b.n,m<c>e?",
    "ALLOWED_HOSTS": "certification.example.org",
    "SITE_URL": "https://certification.example.org",
    "DATABASE_URL": "postgres://kdla:secret@postgres:5432/kdla",
    "CELERY_BROKER_URL": "redis://redis:6379/0",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_check_deploy_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_in_production_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def env_example_value(name: str) -> str:
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.startswith(f"{name}="):
            return line.split("=", 1)[1]
    raise AssertionError(f"{name} is not in .env.example")


@pytest.mark.parametrize(
    ("secret_key", "message"),
    [
        pytest.param(env_example_value("SECRET_KEY"), "SECRET_KEY must be set", id="env-example"),
        pytest.param(
            "change-me-to-a-random-string-of-at-least-fifty-characters-0123456789",
            "SECRET_KEY is a placeholder",
            id="earlier-env-example",
        ),
        pytest.param("django-insecure-" + "k3v" * 20, "SECRET_KEY is a placeholder", id="django"),
        pytest.param("ab" * 40, "SECRET_KEY is too repetitive", id="repetitive"),
        pytest.param("Zq8#rT2!" * 5, "at least 50 characters", id="short"),
    ],
)
def test_it_refuses_to_start_in_production_with_a_weak_secret_key(secret_key, message):
    result = run_manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": secret_key})
    assert result.returncode != 0
    assert message in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr


def test_it_refuses_to_start_in_production_without_allowed_hosts():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "ALLOWED_HOSTS"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_compose_file_follows_the_compose_specification():
    checker = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert checker, "check-jsonschema is a test dependency"
    result = subprocess.run(
        [checker, "--builtin-schema", "vendor.compose-spec", str(ROOT / "docker-compose.yml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_every_part_of_the_portal():
    services = compose()["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat", "caddy", "mailpit"}
    assert "gunicorn kdla_portal.wsgi:application" in " ".join(services["web"]["command"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "kdla_portal", "worker"]
    beat = services["beat"]["command"]
    assert beat[:4] == ["celery", "-A", "kdla_portal", "beat"]
    assert "django_celery_beat.schedulers:DatabaseScheduler" in beat


def test_compose_sets_only_variables_the_settings_read():
    settings_source = (ROOT / "kdla_portal" / "settings.py").read_text()
    read_by_settings = set(
        re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', settings_source)
    )
    services = compose()["services"]
    example = {
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line
    }
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        unknown = set(environment) - read_by_settings
        assert not unknown, f"{name} sets variables the settings never read: {unknown}"
        assert environment["DJANGO_ENV"] == "production"
        assert environment["CELERY_BROKER_URL"].startswith("redis://redis:")
        assert environment["DATABASE_URL"].startswith("postgres://")
    unknown_example = example - read_by_settings - {"POSTGRES_PASSWORD"}
    assert not unknown_example, f".env.example names variables nobody reads: {unknown_example}"


def test_compose_publishes_only_the_tls_proxy():
    services = compose()["services"]
    published = {name: service["ports"] for name, service in services.items() if "ports" in service}
    assert published["caddy"] == ["80:80", "443:443", "443:443/udp"]
    # Mailpit shows every email (password-reset links too): a local-only profile, loopback only.
    assert services["mailpit"]["profiles"] == ["local-mail"]
    assert published["mailpit"] == ["127.0.0.1:8025:8025"]
    assert set(published) == {"caddy", "mailpit"}
    assert services["web"]["expose"] == ["8000"]


def test_compose_trusts_exactly_the_one_proxy_and_lets_it_send_private_files():
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["TRUSTED_PROXY_COUNT"] == "1"
        assert services[name]["environment"]["PRIVATE_FILES_ACCEL_REDIRECT"] == "true"
        assert "media:/app/var/media" in services[name]["volumes"]
    caddy = services["caddy"]
    assert "media:/srv/media:ro" in caddy["volumes"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in caddy["volumes"]
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "{$SITE_URL} {" in caddyfile
    assert "reverse_proxy web:8000" in caddyfile
    assert "@private_file header X-Accel-Redirect *" in caddyfile
    assert "root * /srv/media" in caddyfile
    assert "rewrite * {rp.header.X-Accel-Redirect}" in caddyfile
    assert "exclude X-Accel-Redirect Content-Length" in caddyfile


def test_the_dockerfile_runs_as_an_unprivileged_user():
    dockerfile = (ROOT / "Dockerfile").read_text().splitlines()
    assert "USER kdla" in dockerfile
    assert dockerfile.index("USER kdla") > max(
        i for i, line in enumerate(dockerfile) if line.startswith(("RUN", "COPY"))
    )
