"""The HTTP parser ``rasid serve`` runs: uvicorn's httptools, with its own refusals in the envelope.

A request the parser cannot read (a URL over 65,535 bytes, a malformed header) never reaches the
app; uvicorn answers it with a plain-text 400. This protocol answers with the same JSON envelope as
every other error.
"""
from __future__ import annotations

import json

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from rasid.api.envelope import error_body

MAX_URL = 65_535  # httptools' limit on the request target, query string included


def refusal(msg: str) -> bytes:
    message = (f"the HTTP request could not be read ({msg.rstrip('.')}); a URL with its query string may be at "
               f"most {MAX_URL:,} bytes: send fewer or shorter parameters")
    return json.dumps(error_body("bad_request", message, 400), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class EnvelopeHttpTools(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        body = refusal(msg)
        content = [STATUS_LINE[400]]
        for name, value in self.server_state.default_headers:
            content.extend([name, b": ", value, b"\r\n"])
        content.extend([b"content-type: application/json\r\n",
                        b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
                        b"x-content-type-options: nosniff\r\n", b"connection: close\r\n", b"\r\n", body])
        self.transport.write(b"".join(content))
        self.transport.close()
