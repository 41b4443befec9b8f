"""How long a WebM or Ogg recording lasts, read from the container in pure Python, so a
recording over AUDIO_MAX_SECONDS is refused before it is sent to be transcribed.

MediaRecorder writes WebM (Chromium, Safari) or Ogg Opus (Firefox), and while it records it
cannot know the length: Chromium's WebM has no Duration element. So the length is read from the
timing of the audio itself: in WebM the latest block's time (cluster timecode plus the block's
offset, in the segment's TimecodeScale), unless a Duration says more; in Ogg the last page's
granule position over the sample rate (Opus: 48 kHz less the pre-skip; Vorbis: its own rate).
A file these readers cannot follow gives None, and the engine's reply measures it instead.
"""

from __future__ import annotations

import struct

SEGMENT, CLUSTER, BLOCK_GROUP, INFO = 0x18538067, 0x1F43B675, 0xA0, 0x1549A966
TIMECODE, SIMPLE_BLOCK, BLOCK = 0xE7, 0xA3, 0xA1
TIMECODE_SCALE, DURATION = 0x2AD7B1, 0x4489
# Elements stepped into rather than over: the blocks and the timing live inside them.
MASTERS = {SEGMENT, CLUSTER, BLOCK_GROUP, INFO}
DEFAULT_TIMECODE_SCALE_NS = 1_000_000
OPUS_RATE = 48_000


def vint(data: bytes, index: int, *, marker: bool) -> tuple[int, int, bool] | None:
    """(value, length, unknown size) of the EBML variable-length integer at `index`; the marker
    bit is kept for element ids. None past the end or on a malformed first byte."""
    if index >= len(data) or data[index] == 0:
        return None
    first = data[index]
    length = 9 - first.bit_length()
    if index + length > len(data):
        return None
    value = first if marker else first & (0xFF >> length)
    for byte in data[index + 1 : index + length]:
        value = (value << 8) | byte
    return value, length, not marker and value == (1 << (7 * length)) - 1


def webm_seconds(data: bytes) -> float | None:
    """A WebM recording's length in seconds, or None when it cannot be read."""
    timing = {"scale": DEFAULT_TIMECODE_SCALE_NS, "cluster": 0, "latest": -1, "duration": -1.0}
    index = 0
    while index < len(data):
        found = vint(data, index, marker=True)
        size = vint(data, index + found[1], marker=False) if found else None
        if found is None or size is None:
            break
        body = index + found[1] + size[1]
        if found[0] in MASTERS:
            index = body  # step inside (an unknown size runs to the end of the file)
            continue
        if size[2]:
            break  # an unknown-size element that holds no timing: nothing more to follow
        note_timing(timing, found[0], data[body : body + size[0]])
        index = body + size[0]
    ticks = max(timing["latest"], timing["duration"])
    return ticks * timing["scale"] / 1e9 if ticks >= 0 else None


def note_timing(timing: dict, element: int, value: bytes) -> None:
    """Keep what one WebM element says about time: the scale, a duration, a cluster's start or
    a block's offset from it."""
    if element == TIMECODE_SCALE and value:
        timing["scale"] = int.from_bytes(value, "big")
    elif element == DURATION and len(value) in (4, 8):
        timing["duration"] = struct.unpack(">f" if len(value) == 4 else ">d", value)[0]
    elif element == TIMECODE:
        timing["cluster"] = int.from_bytes(value, "big")
    elif element in (SIMPLE_BLOCK, BLOCK):
        track = vint(value, 0, marker=False)
        if track is not None and len(value) >= track[1] + 2:
            offset = int.from_bytes(value[track[1] : track[1] + 2], "big", signed=True)
            timing["latest"] = max(timing["latest"], timing["cluster"] + offset)


def ogg_seconds(data: bytes) -> float | None:
    """An Ogg Opus or Vorbis recording's length in seconds, or None when it cannot be read."""
    last = data.rfind(b"OggS")
    if last < 0 or last + 14 > len(data):
        return None
    granule = struct.unpack("<q", data[last + 6 : last + 14])[0]
    if granule < 0:  # a page where no packet ends carries no position
        return None
    opus = data.find(b"OpusHead")
    if opus >= 0 and opus + 12 <= len(data):
        pre_skip = struct.unpack("<H", data[opus + 10 : opus + 12])[0]
        return max(0, granule - pre_skip) / OPUS_RATE
    vorbis = data.find(b"\x01vorbis")
    if vorbis >= 0 and vorbis + 16 <= len(data):
        rate = struct.unpack("<I", data[vorbis + 12 : vorbis + 16])[0]
        return granule / rate if rate else None
    return None
