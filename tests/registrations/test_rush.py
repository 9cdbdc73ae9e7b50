"""A registration rush over real HTTP: no 5xx, no overbooking, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections import Counter

from sqlalchemy import func, select
from werkzeug.serving import make_server

from koosloome.extensions import db
from koosloome.registrations.models import Registration, RegistrationStatus


def _post(url: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_sixty_clients_rush_ten_seats_through_the_api(app, make_event):
    event = make_event(capacity=10)
    event_id = event.id
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/api/v1/events/{event_id}/registrations"
    barrier = threading.Barrier(60)
    results: list[tuple[int, dict]] = [(0, {})] * 60

    def client(number: int) -> None:
        barrier.wait()
        results[number] = _post(url, {"name": f"Osaleja {number}", "consent_privacy": True,
                                      "email": f"rush{number}@example.ee"})

    clients = [threading.Thread(target=client, args=(n,)) for n in range(60)]
    try:
        for c in clients:
            c.start()
        for c in clients:
            c.join(timeout=120)
    finally:
        server.shutdown()
        thread.join(timeout=5)

    codes = Counter(code for code, _ in results)
    assert codes == {202: 60}, codes
    assert Counter(body["status"] for _, body in results) == {"confirmed": 10, "waitlisted": 50}
    db.session.commit()
    seats = db.session.scalar(select(func.sum(Registration.seats)).where(
        Registration.event_id == event_id,
        Registration.status == RegistrationStatus.CONFIRMED))
    assert seats == 10
