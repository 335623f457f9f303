import pytest

from certificates.open_badges import add_signing_key


@pytest.fixture
def open_badges_key_file(settings, tmp_path):
    """A key file with one Ed25519 signing key, as `make run` creates under var/."""
    path = tmp_path / "open-badges-keys.json"
    settings.OPEN_BADGES_KEYS = ""
    settings.OPEN_BADGES_KEY_FILE = str(path)
    add_signing_key(path)
    return path
