"""deploy/serve as learners meet it: gunicorn with the settings in deploy/gunicorn.conf.py."""

import http.client
import importlib.util
import os
import socket
import subprocess
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from civiclearn.config import ROOT

LISTENING, ESTABLISHED = "0A", "01"  # socket states in /proc/net/tcp


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(tmp_path: Path, workers: int):
    """deploy/prepare, then deploy/serve on a free port: the port, and gunicorn's process id once it answers."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/serve.db", "SECRET_KEY": "a-serving-secret-key",
           "CIVICLEARN_PUBLIC_URL": "http://127.0.0.1", "BIND": f"127.0.0.1:{port}", "WORKERS": str(workers)}
    subprocess.run([ROOT / "deploy" / "prepare"], env=env, check=True, capture_output=True)
    server = subprocess.Popen([ROOT / "deploy" / "serve"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while len(workers_of(server.pid)) < workers or not answers(port):
            assert time.monotonic() < deadline and server.poll() is None, "deploy/serve did not start"
            time.sleep(0.2)
        yield port, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def workers_of(master: int) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def sockets_of(pid: int, port: int, state: str) -> set[str]:
    """The inodes of the TCP sockets on `port` (local side) in `state` that process `pid` holds."""
    held = {os.readlink(fd)[len("socket:["):-1] for fd in Path(f"/proc/{pid}/fd").iterdir()
            if os.readlink(fd).startswith("socket:[")}
    found = set()
    for line in Path(f"/proc/{pid}/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == state and fields[9] in held:
            found.add(fields[9])
    return found


def test_a_browser_reading_a_lesson_keeps_its_connection(tmp_path):
    """A learner reads for a while before the next click: the connection the browser keeps is still open then
    (gunicorn's own 2 s default closes it, and a request sent on it as it closes fails)."""
    with serving(tmp_path, workers=1) as (port, _master):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", "/courses")
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


def test_connections_opened_at_once_are_shared_out_between_the_workers(tmp_path):
    """A room of kiosks opening their connections at the same moment: each worker listens on a socket of its own
    (SO_REUSEPORT), so the kernel shares the connections out. On one shared socket the first worker to wake took
    nearly all of them at times, and that worker's one core served the room while the other idled."""
    with serving(tmp_path, workers=2) as (port, master), ExitStack() as connections:
        workers = workers_of(master)
        listening = [sockets_of(worker, port, LISTENING) for worker in workers]
        assert all(listening) and not listening[0] & listening[1]  # a socket each, not the master's one
        for _ in range(64):
            connections.enter_context(socket.create_connection(("127.0.0.1", port), timeout=5))
        deadline = time.monotonic() + 10
        while sum(counts := [len(sockets_of(worker, port, ESTABLISHED)) for worker in workers]) < 64:
            assert time.monotonic() < deadline, f"the workers accepted {counts} of 64 connections"
            time.sleep(0.1)
        assert min(counts) >= 13, counts  # a fifth each at least (hashing: fewer would be a one-in-a-million)


def test_the_server_runs_python_without_docstrings_from_bytecode_compiled_ahead(tmp_path):
    """deploy/serve runs Python with -OO: no docstrings and no asserts, a smaller heap for the workers to share and
    copy (about 6 MB of the server's memory, benchmarks/hello_ratio.py). deploy/prepare compiles that bytecode
    ahead for every module of the app, so no start compiles them, nor every start where bytecode is not written
    (PYTHONDONTWRITEBYTECODE, as in many containers)."""
    sources = list((ROOT / "civiclearn").rglob("*.py"))
    for source in sources:  # gone, so that only deploy/prepare can have made them again
        optimized_bytecode(source).unlink(missing_ok=True)
    with serving(tmp_path, workers=1) as (port, master):
        for pid in (master, *workers_of(master)):
            assert "-OO" in Path(f"/proc/{pid}/cmdline").read_text().split("\0")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", "/courses")
            assert connection.getresponse().status == 200
        finally:
            connection.close()
    for source in sources:
        compiled = optimized_bytecode(source)
        # A .pyc's header: magic number, flags, then the modification time of the source it was compiled from.
        compiled_from = int.from_bytes(compiled.read_bytes()[8:12], "little") if compiled.is_file() else None
        assert compiled_from == int(source.stat().st_mtime), f"{source} has no up-to-date -OO bytecode"


def optimized_bytecode(source: Path) -> Path:
    return Path(importlib.util.cache_from_source(str(source), optimization=2))
