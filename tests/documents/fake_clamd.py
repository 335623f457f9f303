"""A stand-in for ClamAV's clamd (an outside service), speaking its INSTREAM protocol on a
Unix socket: it answers FOUND for the EICAR test string and OK for anything else, or ERROR
when told to, and keeps what it was sent."""

from __future__ import annotations

import socketserver
import struct
import threading
from pathlib import Path

from tests.upload_corpus import EICAR

EICAR_SIGNATURE = "Eicar-Test-Signature"


class FakeClamd:
    def __init__(self, socket_path: Path) -> None:
        self.socket_path = str(socket_path)
        self.scanned: list[bytes] = []
        self.answer_error = False
        clamd = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                if self.rfile.read(10) != b"zINSTREAM\0":
                    self.wfile.write(b"UNKNOWN COMMAND\0")
                    return
                received = bytearray()
                while True:
                    (length,) = struct.unpack("!L", self.rfile.read(4))
                    if length == 0:
                        break
                    received += self.rfile.read(length)
                clamd.scanned.append(bytes(received))
                self.wfile.write(clamd._reply(bytes(received)))

        self._server = socketserver.ThreadingUnixStreamServer(self.socket_path, Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _reply(self, received: bytes) -> bytes:
        if self.answer_error:
            return b"INSTREAM size limit exceeded. ERROR\0"
        if EICAR in received:
            return f"stream: {EICAR_SIGNATURE} FOUND\0".encode()
        return b"stream: OK\0"

    def start(self) -> FakeClamd:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
