"""Typed, frozen records for every topic ticketflow reads or writes.

Each output topic's record has a ``schema_version``; JSON Schemas generated from these models live
in ``schemas/json/`` (``ticketflow schemas export``) and a test fails when they are stale.
"""

from schemas.common import Channel, Source
from schemas.deadletter import DeadLetter, ErrorCode
from schemas.ticket import Attachment, Customer, Thread, Ticket

__all__ = [
    "Attachment",
    "Channel",
    "Customer",
    "DeadLetter",
    "ErrorCode",
    "Source",
    "Thread",
    "Ticket",
]
