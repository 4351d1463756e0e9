"""deploy/serve as learners meet it: gunicorn with the settings in deploy/gunicorn.conf.py."""

import http.client
import os
import socket
import subprocess
import time

from civiclearn.config import ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_browser_reading_a_lesson_keeps_its_connection(tmp_path):
    """A learner reads for a while before the next click: the connection the browser keeps is still open then
    (gunicorn's own 2 s default closes it, and a request sent on it as it closes fails)."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/serve.db", "SECRET_KEY": "a-serving-secret-key",
           "CIVICLEARN_PUBLIC_URL": "http://127.0.0.1", "BIND": f"127.0.0.1:{port}", "WORKERS": "1"}
    subprocess.run([ROOT / "deploy" / "prepare"], env=env, check=True, capture_output=True)
    server = subprocess.Popen([ROOT / "deploy" / "serve"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection.request("GET", "/courses")
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "deploy/serve did not start"
                connection.close()
                time.sleep(0.2)
        first = connection.getresponse()
        first.read()
        assert first.status == 200 and first.getheader("Connection", "").lower() != "close"
        sock = connection.sock
        time.sleep(4)  # reading
        connection.request("GET", "/courses")
        second = connection.getresponse()
        second.read()
        assert second.status == 200 and connection.sock is sock  # the same connection, not a new one
    finally:
        connection.close()
        server.terminate()
        server.wait(timeout=30)
