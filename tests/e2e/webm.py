"""Enough of a WebM (Matroska) reader to tell how long a MediaRecorder recording lasts: the
latest block time over all clusters (Chromium writes no Duration element while recording)."""

from __future__ import annotations

SEGMENT, CLUSTER, BLOCK_GROUP = 0x18538067, 0x1F43B675, 0xA0
TIMECODE, SIMPLE_BLOCK, BLOCK = 0xE7, 0xA3, 0xA1
CONTAINERS = {SEGMENT, CLUSTER, BLOCK_GROUP}


def _vint(data: bytes, index: int, keep_marker: bool) -> tuple[int, int, bool]:
    """(value, length, all-ones) of the EBML variable-length integer at `index`."""
    first = data[index]
    length = next(n for n in range(1, 9) if first & (0x80 >> (n - 1)))
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[index + 1 : index + length]:
        value = (value << 8) | byte
    unknown = not keep_marker and value == (1 << (7 * length)) - 1
    return value, length, unknown


def last_block_ms(data: bytes) -> int:
    """The start of the latest audio block, in milliseconds (the default 1 ms timecode scale)."""
    index, cluster_ms, latest = 0, 0, 0
    while index < len(data) - 2:
        element, id_len, _ = _vint(data, index, keep_marker=True)
        size, size_len, unknown = _vint(data, index + id_len, keep_marker=False)
        body = index + id_len + size_len
        if element in CONTAINERS:
            index = body  # step inside (unknown sizes run to the end of the file)
            continue
        if element == TIMECODE:
            cluster_ms = int.from_bytes(data[body : body + size], "big")
        elif element in (SIMPLE_BLOCK, BLOCK):
            _, track_len, _ = _vint(data, body, keep_marker=False)
            relative = int.from_bytes(
                data[body + track_len : body + track_len + 2], "big", signed=True
            )
            latest = max(latest, cluster_ms + relative)
        index = body + (0 if unknown else size)
    return latest
