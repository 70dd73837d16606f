"""A real calendar server takes the feed: Radicale, read back through the caldav client.

Radicale runs on a free port of 127.0.0.1 with a temporary store and no
authentication. The feed is published as one HTTP PUT of the whole .ics to a new
calendar collection, the way a calendar file is uploaded; the server splits it
into one resource per UID. Every event then comes back through CalDAV.
"""

from __future__ import annotations

import base64
import datetime
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest
from caldav.collection import Calendar
from caldav.davclient import DAVClient

import prayerdoc

ROOT = Path(__file__).resolve().parent.parent
BULLETINS = sorted((ROOT / "examples" / "bulletins").glob("*.txt"))
USER = "team"
# No authentication: any password is taken; the user name says whose calendars these are.
AUTHORIZATION = "Basic " + base64.b64encode(f"{USER}:x".encode()).decode()
TIMEOUT = 10.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def request(url: str, method: str = "GET", data: bytes | None = None) -> int:
    message = urllib.request.Request(url, data=data, method=method)
    message.add_header("Authorization", AUTHORIZATION)
    if data is not None:
        message.add_header("Content-Type", "text/calendar; charset=utf-8")
    try:
        with urllib.request.urlopen(message, timeout=TIMEOUT) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--storage-filesystem-folder",
            str(tmp_path / "store"),
            "--auth-type",
            "none",
            "--logging-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                request(url)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    _, errors = process.communicate(timeout=TIMEOUT)
                    pytest.fail(f"Radicale did not start: {errors.decode(errors='replace')}")
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=TIMEOUT)
        if process.stderr is not None:
            process.stderr.close()


def test_a_calendar_server_takes_the_feed_and_gives_every_event_back(server: str) -> None:
    bulletins = [prayerdoc.load(path) for path in BULLETINS]
    feed = prayerdoc.dumps(bulletins, "ical", start=datetime.date(2024, 3, 1), calendar_name="Team")
    collection = f"{server}{USER}/prayers/"
    assert request(collection, "PUT", feed.encode("utf-8")) in (200, 201)

    written = {event["uid"]: event for event in _events(feed)}
    assert len(written) == sum(len(bulletin.requests()) for bulletin in bulletins)
    client = DAVClient(url=collection, username=USER, password="x", timeout=int(TIMEOUT))
    calendar = Calendar(client=client, url=collection)
    found = {}
    resources = calendar.events()
    assert isinstance(resources, list)  # the synchronous client
    for resource in resources:
        component = resource.icalendar_component
        found[str(component["UID"])] = {
            "uid": str(component["UID"]),
            "date": component.decoded("DTSTART"),
            "summary": str(component["SUMMARY"]),
        }
    assert found == written


def _events(feed: str) -> Iterator[dict[str, object]]:
    """What the feed itself says of each event, read with icalendar."""
    for event in icalendar.Calendar.from_ical(feed).walk("VEVENT"):
        yield {
            "uid": str(event["UID"]),
            "date": event.decoded("DTSTART"),
            "summary": str(event["SUMMARY"]),
        }
