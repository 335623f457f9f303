import pytest

from tests.documents.fake_clamd import FakeClamd


@pytest.fixture(scope="session")
def fake_clamd_server(tmp_path_factory):
    clamd = FakeClamd(tmp_path_factory.mktemp("clamd") / "clamd.sock").start()
    yield clamd
    clamd.stop()


@pytest.fixture
def clamd(fake_clamd_server, settings):
    """The virus-scan hook turned on, pointing at the fake clamd."""
    settings.CLAMD_SOCKET = fake_clamd_server.socket_path
    fake_clamd_server.scanned.clear()
    fake_clamd_server.answer_error = False
    yield fake_clamd_server
    fake_clamd_server.answer_error = False


@pytest.fixture(autouse=True)
def _approved_sources(request):
    """The asynchronous-completion form names a source on KDLA's list (Coursera), a row the
    data migrations install and a browser test's flush may have emptied."""
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("migration_installed_data")
