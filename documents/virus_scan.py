"""The virus-scan hook: ClamAV's clamd, asked over its Unix socket with the INSTREAM command.

Off unless ``CLAMD_SOCKET`` names the socket. Once it is on, a file the scanner did not
answer for is not accepted (the person is asked to try again), so an outage of the scanner
never lets an unscanned file through.
"""

from __future__ import annotations

import socket
import struct

CHUNK_BYTES = 64 * 1024
TIMEOUT_SECONDS = 30
MAX_REPLY_BYTES = 4096


class VirusScanUnavailable(Exception):
    """clamd could not be reached or answered with an error."""


def clamd_scan(content: bytes, *, socket_path: str, timeout: float = TIMEOUT_SECONDS) -> str | None:
    """The name of what clamd found in ``content``, or None when it is clean."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(timeout)
            connection.connect(socket_path)
            connection.sendall(b"zINSTREAM\0")
            for start in range(0, len(content), CHUNK_BYTES):
                chunk = content[start : start + CHUNK_BYTES]
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            reply = _read_reply(connection)
    except OSError as error:
        raise VirusScanUnavailable(f"clamd at {socket_path}: {error}") from error
    return _found_signature(reply)


def _read_reply(connection: socket.socket) -> str:
    reply = b""
    while not reply.endswith(b"\0") and len(reply) < MAX_REPLY_BYTES:
        received = connection.recv(MAX_REPLY_BYTES)
        if not received:
            break
        reply += received
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def _found_signature(reply: str) -> str | None:
    # "stream: OK", "stream: Eicar-Test-Signature FOUND", or "... ERROR".
    answer = reply.split(":", 1)[1].strip() if reply.startswith("stream:") else reply
    if answer == "OK":
        return None
    if answer.endswith(" FOUND"):
        return answer.removesuffix(" FOUND").strip() or "a virus"
    raise VirusScanUnavailable(f"clamd answered {reply!r}")
