"""Messenger / Instagram webhooks and X DM events → tickets."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from channels import social
from channels.base import RawRecord, RecordContext, ticket_id_for
from channels.dispatch import normalize as dispatch
from schemas import Attachment, DeadLetter, ErrorCode, Source

SOURCE = Source(topic="inbound.social", partition=0, offset=77)
CTX = RecordContext(source=SOURCE, timestamp=datetime(2024, 5, 2, 9, 0, tzinfo=UTC))
FAILED_AT = datetime(2024, 5, 2, 9, 0, 1, tzinfo=UTC)

PAGE_ID = "104758192837465"
PSID = "6783920193847562"
IG_ACCOUNT = "17841405822304914"
IGSID = "5923840192837465"


def encode(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def dead_letter(raw: bytes) -> DeadLetter:
    result = dispatch(RawRecord("social", raw, SOURCE, CTX.timestamp), failed_at=FAILED_AT)
    assert isinstance(result, DeadLetter), result
    assert result.reason.strip().endswith(".")
    return result


# --- Meta ---------------------------------------------------------------------------------------


def meta_webhook(obj: str, account: str, *events: dict[str, Any]) -> dict[str, Any]:
    return {"object": obj,
            "entry": [{"id": account, "time": 1714640000123, "messaging": list(events)}]}


def incoming(sender: str, account: str, message: dict[str, Any],
             timestamp: int | str = 1714640000123) -> dict[str, Any]:
    return {"sender": {"id": sender}, "recipient": {"id": account}, "timestamp": timestamp,
            "message": message}


MID = "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P"


def test_messenger_message() -> None:
    event = incoming(PSID, PAGE_ID, {"mid": MID, "text": "Hi! Is order #104512 shipped yet?",
                                     "reply_to": {"mid": "m_earlier"}})
    [ticket] = social.normalize(encode(meta_webhook("page", PAGE_ID, event)), CTX)

    assert ticket.channel == "social"
    assert ticket.provider == "messenger"
    assert ticket.provider_message_id == MID
    assert ticket.ticket_id == ticket_id_for("social", MID)
    assert ticket.received_at == datetime(2024, 5, 2, 8, 53, 20, 123000, tzinfo=UTC)
    assert ticket.received_at.tzinfo == UTC
    assert ticket.customer.messenger_psid == PSID
    assert ticket.customer.instagram_id is None
    assert ticket.customer.identity_key == f"messenger_psid:{PSID}"
    assert ticket.body == "Hi! Is order #104512 shipped yet?"
    assert ticket.order_numbers == ("104512",)
    assert ticket.attachments == ()
    assert ticket.thread.message_id == MID
    assert ticket.thread.in_reply_to == "m_earlier"
    assert ticket.channel_details == {"platform": "messenger", "page_id": PAGE_ID}


def test_instagram_message_and_story_reply() -> None:
    event = incoming(IGSID, IG_ACCOUNT, {
        "mid": "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA1ODIyMzA0OTE0",
        "text": "Is this dress available in size M?",
        "reply_to": {"story": {"url": "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1",
                               "id": "17920189384756102"}},
    })
    [ticket] = social.normalize(encode(meta_webhook("instagram", IG_ACCOUNT, event)), CTX)
    assert ticket.provider == "instagram"
    assert ticket.customer.instagram_id == IGSID
    assert ticket.customer.messenger_psid is None
    assert ticket.thread.in_reply_to is None
    assert ticket.channel_details == {"platform": "instagram", "page_id": IG_ACCOUNT}


def test_echoes_receipts_and_deleted_messages_are_skipped() -> None:
    echo = incoming(PAGE_ID, PSID, {"mid": "m_echo", "text": "Thanks, we're on it!",
                                    "is_echo": True, "app_id": 1517776481860111})
    delivery = {"sender": {"id": PSID}, "recipient": {"id": PAGE_ID}, "timestamp": 1714640001000,
                "delivery": {"mids": ["m_echo"], "watermark": 1714640000999}}
    read = {"sender": {"id": PSID}, "recipient": {"id": PAGE_ID}, "timestamp": 1714640002000,
            "read": {"watermark": 1714640001999}}
    customer = incoming(PSID, PAGE_ID, {"mid": "m_customer", "text": "Great, thank you"})
    tickets = social.normalize(
        encode(meta_webhook("page", PAGE_ID, echo, delivery, read, customer)), CTX
    )
    assert [t.provider_message_id for t in tickets] == ["m_customer"]

    deleted = incoming(IGSID, IG_ACCOUNT, {"mid": "m_gone", "is_deleted": True})
    assert social.normalize(encode(meta_webhook("instagram", IG_ACCOUNT, deleted)), CTX) == []


def test_only_echoes_and_receipts_give_a_no_messages_dead_letter() -> None:
    echo = incoming(PAGE_ID, PSID, {"mid": "m_echo", "text": "Hello!", "is_echo": True})
    letter = dead_letter(encode(meta_webhook("page", PAGE_ID, echo)))
    assert letter.error_code == ErrorCode.NO_MESSAGES


def test_several_messages_across_entries_give_distinct_stable_ids() -> None:
    payload = meta_webhook("page", PAGE_ID,
                           incoming(PSID, PAGE_ID, {"mid": "m_1", "text": "Hello there"}),
                           incoming(PSID, PAGE_ID, {"mid": "m_2", "text": "Are you open today?"}))
    payload["entry"].append({"id": PAGE_ID, "time": 1714640009000, "messaging": [
        incoming("7000000000000001", PAGE_ID, {"mid": "m_3", "text": "Do you ship to Spain?"})]})
    raw = encode(payload)
    first = social.normalize(raw, CTX)
    assert [t.provider_message_id for t in first] == ["m_1", "m_2", "m_3"]
    assert len({t.ticket_id for t in first}) == 3
    assert [t.ticket_id for t in social.normalize(raw, CTX)] == [t.ticket_id for t in first]


def test_attachments_without_text_say_what_was_sent() -> None:
    photo = {"type": "image", "payload": {"url": "https://scontent.xx.fbcdn.net/v/t1.15752-9/1.jpg"}}
    clip = {"type": "video", "payload": {"url": "https://video.xx.fbcdn.net/v/t42.3356-2/2.mp4"}}
    one = incoming(PSID, PAGE_ID, {"mid": "m_img", "attachments": [photo]})
    two = incoming(PSID, PAGE_ID, {"mid": "m_mix", "attachments": [photo, photo, clip]})
    three = incoming(PSID, PAGE_ID, {"mid": "m_txt", "text": "Broken on arrival, see photo",
                                     "attachments": [photo]})
    image_only, mixed, with_text = social.normalize(
        encode(meta_webhook("page", PAGE_ID, one, two, three)), CTX
    )
    assert image_only.body == "(sent 1 image attachment without text)"
    assert image_only.body_original == ""
    assert image_only.language == "und"
    assert image_only.attachments == (
        Attachment(content_type="image/*", url=photo["payload"]["url"]),
    )
    assert mixed.body == "(sent 3 attachments without text: 2 image, 1 video)"
    assert [a.content_type for a in mixed.attachments] == ["image/*", "image/*", "video/*"]
    assert with_text.body == "Broken on arrival, see photo"


def test_message_with_neither_text_nor_attachments_is_an_empty_body() -> None:
    event = incoming(PSID, PAGE_ID, {"mid": "m_empty", "text": "   "})
    letter = dead_letter(encode(meta_webhook("page", PAGE_ID, event)))
    assert letter.error_code == ErrorCode.EMPTY_BODY
    assert "m_empty" in letter.reason


# --- X ------------------------------------------------------------------------------------------

SHOP_X = "4337869213"
CUSTOMER_X = "3001969357"


def dm(event_id: str, sender: str, recipient: str, text: str,
       created: str = "1714640000557", **data: Any) -> dict[str, Any]:
    return {
        "type": "message_create",
        "id": event_id,
        "created_timestamp": created,
        "message_create": {
            "target": {"recipient_id": recipient},
            "sender_id": sender,
            "source_app_id": "268278",
            "message_data": {"text": text,
                             "entities": {"hashtags": [], "symbols": [], "user_mentions": [],
                                          "urls": []},
                             **data},
        },
    }


def x_webhook(*events: dict[str, Any]) -> dict[str, Any]:
    return {
        "for_user_id": SHOP_X,
        "direct_message_events": list(events),
        "users": {
            CUSTOMER_X: {"id": CUSTOMER_X, "created_timestamp": "1422556069340",
                         "name": "Jordan Brinks", "screen_name": "FuriousCamper",
                         "protected": False, "verified": False},
            SHOP_X: {"id": SHOP_X, "name": "Example Shop", "screen_name": "exampleshop"},
        },
    }


def test_x_dm_from_customer_and_own_dm_skipped() -> None:
    payload = x_webhook(
        dm("954491830116155396", CUSTOMER_X, SHOP_X, "Hey, my refund for 104512 never came"),
        dm("954491830116155397", SHOP_X, CUSTOMER_X, "Sorry! Let me check.", "1714640060000"),
    )
    [ticket] = social.normalize(encode(payload), CTX)
    assert ticket.provider == "x"
    assert ticket.provider_message_id == "954491830116155396"
    assert ticket.ticket_id == ticket_id_for("social", "954491830116155396")
    assert ticket.received_at == datetime(2024, 5, 2, 8, 53, 20, 557000, tzinfo=UTC)
    assert ticket.customer.x_user_id == CUSTOMER_X
    assert ticket.customer.x_handle == "furiouscamper"
    assert ticket.customer.display_name == "Jordan Brinks"
    assert ticket.body == "Hey, my refund for 104512 never came"
    assert ticket.channel_details == {"platform": "x", "recipient_id": SHOP_X}


def test_x_only_own_dms_give_no_ticket() -> None:
    payload = x_webhook(dm("1", SHOP_X, CUSTOMER_X, "Your parcel is on its way"))
    assert social.normalize(encode(payload), CTX) == []
    assert dead_letter(encode(payload)).error_code == ErrorCode.NO_MESSAGES


def test_x_media_link_is_removed_and_becomes_an_attachment() -> None:
    media = {"type": "media", "media": {
        "id": 1251208176434212864, "id_str": "1251208176434212864",
        "media_url_https": "https://ton.twitter.com/1.1/ton/data/dm/1/2/abc.jpg",
        "url": "https://t.co/Xq9F3kQ2mZ", "type": "photo"}}
    payload = x_webhook(
        dm("11", CUSTOMER_X, SHOP_X, "Wrong colour arrived https://t.co/Xq9F3kQ2mZ",
           attachment=media),
        dm("12", CUSTOMER_X, SHOP_X, "https://t.co/Xq9F3kQ2mZ", attachment=media),
    )
    with_text, photo_only = social.normalize(encode(payload), CTX)
    assert with_text.body == "Wrong colour arrived"
    assert with_text.body_original == "Wrong colour arrived https://t.co/Xq9F3kQ2mZ"
    assert with_text.attachments == (Attachment(
        content_type="image/*",
        url="https://ton.twitter.com/1.1/ton/data/dm/1/2/abc.jpg",
        provider_id="1251208176434212864",
    ),)
    assert photo_only.body == "(sent 1 image attachment without text)"


def test_x_unknown_sender_and_other_event_types() -> None:
    payload = x_webhook(dm("21", "999", SHOP_X, "hello from someone new"),
                        {"type": "message_delete", "id": "22", "created_timestamp": "1"})
    [ticket] = social.normalize(encode(payload), CTX)
    assert ticket.customer.x_user_id == "999"
    assert ticket.customer.x_handle is None and ticket.customer.display_name is None


def test_x_empty_dm_is_an_empty_body() -> None:
    letter = dead_letter(encode(x_webhook(dm("31", CUSTOMER_X, SHOP_X, ""))))
    assert letter.error_code == ErrorCode.EMPTY_BODY


def test_x_bad_timestamp() -> None:
    payload = x_webhook(dm("41", CUSTOMER_X, SHOP_X, "hi there", created="last tuesday"))
    letter = dead_letter(encode(payload))
    assert letter.error_code == ErrorCode.SCHEMA_VALIDATION
    assert "last tuesday" in letter.reason


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [{"entry": []}, {"sender": {"id": "1"}, "message": {"text": "hi"}}, [], "hello", None],
)
def test_neither_format_names_both(payload: Any) -> None:
    letter = dead_letter(encode(payload))
    assert letter.error_code == ErrorCode.SCHEMA_VALIDATION
    assert "Meta" in letter.reason and "X" in letter.reason


def test_malformed_json() -> None:
    assert dead_letter(b'{"object": "page", "entry": [}').error_code == ErrorCode.INVALID_JSON


def test_invalid_utf8() -> None:
    event = incoming(PSID, PAGE_ID, {"mid": MID, "text": "caf\u00e9"})
    raw = encode(meta_webhook("page", PAGE_ID, event)).replace(b"caf", b"caf\xe9")
    assert dead_letter(raw).error_code == ErrorCode.INVALID_UTF8


def test_missing_fields() -> None:
    event = incoming(PSID, PAGE_ID, {"text": "no mid"})
    del event["sender"]
    letter = dead_letter(encode(meta_webhook("page", PAGE_ID, event)))
    assert letter.error_code == ErrorCode.MISSING_FIELD
    assert "sender" in letter.reason and "mid" in letter.reason

    x_payload = x_webhook(dm("51", CUSTOMER_X, SHOP_X, "hi"))
    del x_payload["for_user_id"]
    assert dead_letter(encode(x_payload)).error_code == ErrorCode.MISSING_FIELD


@pytest.mark.parametrize(
    "payload",
    [
        {"object": "user", "entry": []},
        meta_webhook("page", PAGE_ID, incoming(PSID, PAGE_ID, {"mid": "m", "text": "hi"},
                                               timestamp="soon")),
        {"object": "page", "entry": "nope"},
        {"for_user_id": SHOP_X, "direct_message_events": {"id": "1"}},
    ],
    ids=["unknown-object", "timestamp-not-int", "entry-not-list", "events-not-list"],
)
def test_wrong_types(payload: dict[str, Any]) -> None:
    letter = dead_letter(encode(payload))
    assert letter.error_code == ErrorCode.SCHEMA_VALIDATION
    assert letter.details
