"""CRC32C (Castagnoli) checksums and TFRecord framing, shared by TFRecord files and
TensorBoard event files.

A TFRecord is framed as

    uint64 length | uint32 masked_crc32c(length) | data | uint32 masked_crc32c(data)

(little-endian). The checksum itself comes from `google-crc32c` (hardware
instructions in C: ~1000x a pure-Python table loop, which matters when every
record of a dataset is verified).
"""
import struct

import google_crc32c

_MASK_DELTA = 0xA282EAD8


def crc32c(data):
    """The CRC32C checksum of `data` (bytes): crc32c(b"123456789") == 0xE3069283."""
    return google_crc32c.value(data)


def masked_crc32c(data):
    """TFRecord's masked checksum: the CRC rotated right by 15 bits plus a constant."""
    crc = google_crc32c.value(data)
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF


def frame_record(data):
    """`data` framed as one TFRecord: length, its masked CRC, data, the data's masked CRC."""
    length = struct.pack("<Q", len(data))
    return (length + struct.pack("<I", masked_crc32c(length)) + data
            + struct.pack("<I", masked_crc32c(data)))
