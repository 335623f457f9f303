"""The embedded defaults `make run` starts with: emails as .eml files, broker files under var/,
and email links that follow the address the portal is served on."""

from __future__ import annotations

import email
import subprocess
from pathlib import Path

from django.core import mail
from django.core.mail import EmailMultiAlternatives

REPOSITORY = Path(__file__).resolve().parents[2]


def test_each_email_is_its_own_eml_file_a_mail_program_can_open(settings, tmp_path):
    settings.EMAIL_BACKEND = "kdla_portal.mail_files.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    first = EmailMultiAlternatives("Welcome", "Hello Pat", to=["pat@example.org"])
    first.attach_alternative("<p>Hello Pat</p>", "text/html")
    second = EmailMultiAlternatives("Reminder", "21 days left", to=["pat@example.org"])

    assert mail.get_connection().send_messages([first, second]) == 2

    files = sorted((tmp_path / "mail").iterdir())
    assert [path.suffix for path in files] == [".eml", ".eml"]
    parsed = email.message_from_bytes(files[0].read_bytes())
    assert parsed["Subject"] == "Welcome"
    assert parsed["To"] == "pat@example.org"
    assert parsed.is_multipart()
    assert {part.get_content_type() for part in parsed.walk()} >= {"text/plain", "text/html"}
    assert email.message_from_bytes(files[1].read_bytes())["Subject"] == "Reminder"


def test_the_embedded_broker_keeps_its_exchange_files_under_var():
    from django.conf import settings as django_settings

    options = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert Path(options["control_folder"]).is_relative_to(django_settings.VAR_DIR)
    assert not (REPOSITORY / "control").exists()


def test_make_run_points_email_links_at_its_own_host_and_port():
    def planned(*arguments: str) -> str:
        return subprocess.run(
            ["make", "-n", "run", *arguments],
            cwd=REPOSITORY,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    assert "SITE_URL=${SITE_URL:-http://0.0.0.0:9000}" in planned("HOST=0.0.0.0", "PORT=9000")
    assert "SITE_URL=${SITE_URL:-http://127.0.0.1:8000}" in planned()
