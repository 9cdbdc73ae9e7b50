"""A local stand-in for Messente's Omnimessage API (``POST /v1/omnimessage``), so the SMS
gateway is tested against a server that speaks the provider's protocol, on 127.0.0.1 only.

It answers as Messente documents: HTTP Basic credentials, a JSON body ``{"to": E.164,
"messages": [{"channel": "sms", "sender": ..., "text": ...}]}``; 201 with ``omnimessage_id``
and the messages; 401 for wrong credentials; 400 with ``errors`` for a body it refuses. It
records what it accepted, and can be told to fail (to test retries).
"""

from __future__ import annotations

import base64
import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


@dataclass
class Received:
    """One omnimessage the stand-in accepted."""

    to: str
    sender: str | None
    text: str
    omnimessage_id: str


@dataclass
class StandIn:
    """The running server: its base URL (as ``SMS_API_URL``), what it received, switches."""

    url: str
    username: str
    password: str
    received: list[Received] = field(default_factory=list)
    #: answer every request with this status (e.g. 503) instead of handling it
    fail_with: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def _errors(status: int, title: str, detail: str, code: str) -> tuple[int, dict[str, Any]]:
    return status, {"errors": [{"title": title, "detail": detail, "code": code}]}


def _handle(standin: StandIn, headers: Any, raw: bytes) -> tuple[int, dict[str, Any]]:
    expected = base64.b64encode(f"{standin.username}:{standin.password}".encode()).decode()
    if headers.get("Authorization") != f"Basic {expected}":
        return _errors(401, "Unauthorized", "Access to the API was denied", "105")
    try:
        body = json.loads(raw)
    except ValueError:
        return _errors(400, "Invalid data", "The body is not JSON", "101")
    to, messages = body.get("to"), body.get("messages")
    if not isinstance(to, str) or not E164.match(to):
        return _errors(400, "Invalid data", "Invalid phone number", "103")
    if not isinstance(messages, list) or not messages:
        return _errors(400, "Missing data", "Messages are missing", "102")
    sms = messages[0]
    if sms.get("channel", "sms") != "sms" or not sms.get("text"):
        return _errors(400, "Invalid data", "An SMS needs a text", "101")
    received = Received(to, sms.get("sender"), sms["text"], str(uuid.uuid4()))
    with standin.lock:
        standin.received.append(received)
    return 201, {"messages": [{"channel": "sms", "message_id": str(uuid.uuid4()),
                               "sender": sms.get("sender") or "Messente"}],
                 "to": to, "omnimessage_id": received.omnimessage_id}


def start(username: str = "koosloome", password: str = "test-secret") -> tuple[  # noqa: S107
        StandIn, ThreadingHTTPServer]:
    """Start the stand-in on a free port of 127.0.0.1; shut the server down when done."""
    standin = StandIn(url="", username=username, password=password)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if standin.fail_with is not None:
                status, body = standin.fail_with, {"errors": [{"title": "Unavailable"}]}
            elif self.path.rstrip("/") != "/v1/omnimessage":
                status, body = 404, {"errors": [{"title": "Not found"}]}
            else:
                status, body = _handle(standin, self.headers, raw)
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    standin.url = f"http://127.0.0.1:{server.server_port}/v1"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return standin, server
