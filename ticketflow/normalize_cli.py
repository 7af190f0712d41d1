"""``ticketflow normalize --channel C FILE``: the ticket(s) one raw message becomes, and which of
the shop's order-number formats found each order number — how a shop checks its shop file
before any traffic flows."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from channels import RawRecord, normalize
from channels.orders import explain_order_numbers, shop_order_formats
from core.settings import Settings
from schemas import DeadLetter, Source


def normalize_file(settings: Settings, channel: str, path: Path,
                   now: datetime | None = None) -> tuple[list[dict[str, Any]], DeadLetter | None]:
    """(one summary per ticket, None) or ([], the dead letter the worker would publish)."""
    formats = shop_order_formats(settings.shop_file)
    now = now or datetime.now(UTC)
    record = RawRecord(channel=channel, value=path.read_bytes(),
                       source=Source(topic=f"inbound.{channel}", partition=0, offset=0),
                       timestamp=now)
    result = normalize(record, now, settings.max_payload_bytes, formats)
    if isinstance(result, DeadLetter):
        return [], result
    out = []
    for ticket in result:
        text = f"{ticket.subject or ''}\n{ticket.body}"
        found = dict(explain_order_numbers([], text, formats))
        out.append({
            "ticket_id": ticket.ticket_id,
            "channel": str(ticket.channel),
            "received_at": ticket.received_at.isoformat(),
            "customer": ticket.customer.model_dump(mode="json", exclude_none=True),
            "language": ticket.language,
            "subject": ticket.subject,
            "body": ticket.body,
            "order_numbers": [
                {"number": number, "format": found.get(number, "form field")}
                for number in ticket.order_numbers
            ],
            "attachments": len(ticket.attachments),
        })
    return out, None
