"""Per-channel normalizers: ``raw bytes -> tickets | dead letter``, pure functions.

``normalize(record, clock)`` is the single entry point the stream worker calls.
"""

from channels.base import NormalizationError, RawRecord, RecordContext
from channels.dispatch import NormalizeResult, normalize

__all__ = ["NormalizationError", "NormalizeResult", "RawRecord", "RecordContext", "normalize"]
