"""Messages over a pipe between two of our processes (a web process and its PDF helper): each a frame of 4 bytes
of length (big-endian), then that many bytes."""

import os
import select
import struct

FRAME = struct.Struct(">I")


def write_frame(fd: int, payload: bytes) -> None:
    data = memoryview(FRAME.pack(len(payload)) + payload)
    while data:
        data = data[os.write(fd, data):]


def read_frame(fd: int, timeout: float | None = None) -> bytes | None:
    """The next frame from `fd`; None if the other end closed it first. TimeoutError if a part of it does not come
    within `timeout` seconds."""
    header = _read_exactly(fd, FRAME.size, timeout)
    return None if header is None else _read_exactly(fd, FRAME.unpack(header)[0], timeout)


def _read_exactly(fd: int, size: int, timeout: float | None) -> bytes | None:
    chunks, left = [], size
    while left:
        if timeout is not None and not select.select([fd], [], [], timeout)[0]:
            raise TimeoutError(f"nothing came through the pipe in {timeout} s")
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
