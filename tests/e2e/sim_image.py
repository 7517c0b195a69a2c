#!/usr/bin/env python3
"""Build accel_sim firmware images (format: the kernel's
Documentation/accel/flash.rst): a 64-byte little-endian header (magic
"ACSIMFW1", u32 header_version 1, u32 payload_len, char component[16],
char version[24], u32 CRC-32 of the payload (zlib's), u32 flags), then the
payload. Used by the e2e tests and, as a command, by the demo:

    sim_image.py OUT component COMPONENT version VERSION [size BYTES]
"""

import struct
import sys
import zlib

HEADER = struct.Struct("<8sII16s24sII")
assert HEADER.size == 64


def image(version, component="fw", size=64 * 1024, *, magic=b"ACSIMFW1", header_version=1,
          length=None, crc=None, flags=0, payload=None):
    """An accel_sim image; keyword arguments make it bad in one way."""
    if payload is None:
        payload = bytes((i * 7 + 3) & 0xFF for i in range(size))
    header = HEADER.pack(magic, header_version, len(payload) if length is None else length,
                         component.encode(), version.encode(),
                         zlib.crc32(payload) if crc is None else crc, flags)
    return header + payload


def main(argv):
    if len(argv) < 5 or len(argv) % 2 == 0:
        sys.exit(__doc__.split("\n\n")[-1].strip())
    out, kw = argv[0], dict(zip(argv[1::2], argv[2::2]))
    try:
        data = image(kw.pop("version"), kw.pop("component"), int(kw.pop("size", 64 * 1024)))
    except (KeyError, ValueError) as e:
        sys.exit(f"sim_image.py: bad arguments: {e}")
    if kw:
        sys.exit(f"sim_image.py: unknown keyword {next(iter(kw))!r}")
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main(sys.argv[1:])
