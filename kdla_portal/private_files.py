"""Private files handed to the reverse proxy to send (X-Accel-Redirect), when configured.

The view still decides who may have a file and with which headers (download or preview,
nosniff, no-store); with ``PRIVATE_FILES_ACCEL_REDIRECT`` on it answers with those headers and
the file's path under ``MEDIA_ROOT`` in ``X-Accel-Redirect``, and the proxy (Caddy in
docker-compose.yml, from the media volume mounted read-only) sends the bytes. A large file then
never holds a gunicorn worker. The proxy must drop the header from what the client sees.
"""

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse

# Headers of the view's answer the proxy passes on with the file it sends.
PASSED_ON_HEADERS = ("Content-Disposition", "X-Content-Type-Options", "Cache-Control")


def proxy_may_send(field_file: FieldFile) -> bool:
    """Only files on the local disk the proxy shares; S3 files are streamed as before."""
    return settings.PRIVATE_FILES_ACCEL_REDIRECT and isinstance(
        field_file.storage, FileSystemStorage
    )


def proxied_file_response(response: FileResponse, *, field_file: FieldFile) -> HttpResponse:
    """The same answer as ``response`` without its body: the proxy sends the file instead."""
    proxied = HttpResponse(content_type=response["Content-Type"])
    for header in PASSED_ON_HEADERS:
        if header in response.headers:
            proxied[header] = response[header]
    proxied["X-Accel-Redirect"] = "/" + quote(field_file.name)
    response.close()
    return proxied
