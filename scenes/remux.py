"""Join video clips of one codec into one file without re-encoding (a stream copy).

Manim joins its per-animation files the same way, so a lecture joined from its section clips
holds the very packets the sequential render would have written.
"""

from io import BytesIO
from pathlib import Path

import av


def join_clips(parts: list[Path], target: Path) -> None:
    """Concatenate ``parts`` (same codec, size and frame rate) into ``target`` by stream copy."""
    listing = "".join(f"file 'file:{Path(p).resolve().as_posix()}'\n" for p in parts).encode()
    with av.open(BytesIO(listing), format="concat", options={"safe": "0", "an": "1"}) as source:
        stream = source.streams.video[0]
        with av.open(str(target), mode="w") as joined:
            copy = joined.add_stream_from_template(template=stream)
            for packet in source.demux(stream):
                if packet.dts is None:  # the flushing packet demux ends with
                    continue
                packet.dts = None  # each clip restarts its clock; the muxer numbers them anew
                packet.stream = copy
                joined.mux(packet)

