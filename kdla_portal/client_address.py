"""The network address of the person making a request, as the proxy configuration allows.

Only ``TRUSTED_PROXY_COUNT`` reverse proxies in front of the portal may speak for the client.
With none (the default) ``X-Forwarded-For`` is ignored: a client can write anything into it.
With N proxies, each appends the address it saw to ``X-Forwarded-For``, so the client is the
N-th entry from the right; entries further left were written by the client and are ignored.
django-axes (the sign-in pause) and the verification page's rate limit both count by it.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str:
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxy_count = settings.TRUSTED_PROXY_COUNT
    if proxy_count <= 0:
        return remote_addr
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxy_count:
        # The request did not pass through every trusted proxy: nobody vouches for the header.
        return remote_addr
    candidate = forwarded[-proxy_count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr
