"""Raw RFC 5322/MIME email → tickets."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP

import pytest

from channels import email as email_channel
from channels.base import NormalizationError, RawRecord, RecordContext, ticket_id_for
from channels.dispatch import normalize as dispatch
from schemas import Attachment, DeadLetter, ErrorCode, Source, Ticket

SOURCE = Source(topic="inbound.email", partition=0, offset=42)
BROKER_TIME = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)
CTX = RecordContext(source=SOURCE, timestamp=BROKER_TIME)
FAILED_AT = datetime(2025, 3, 3, 9, 31, tzinfo=UTC)

PLAIN = (
    b"Return-Path: <jane.doe@example.com>\r\n"
    b"Received: from mail.example.com by mx.shop.example; Mon, 3 Mar 2025 09:00:05 +0000\r\n"
    b"From: Jane Doe <Jane.Doe@Example.com>\r\n"
    b"To: Shop Support <support@shop.example>\r\n"
    b"Subject:  Where is my parcel?  \r\n"
    b"Date: Mon, 3 Mar 2025 10:00:00 +0100\r\n"
    b"Message-ID: <CAF1234.abcd@mail.example.com>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=\"UTF-8\"\r\n"
    b"Content-Transfer-Encoding: 7bit\r\n"
    b"\r\n"
    b"Hello,\r\n\r\nI ordered a lamp two weeks ago and it has still not arrived.\r\n"
    b"Can you tell me where it is?\r\n"
)

QUOTE_EN = "On Mon, 3 Mar 2025 at 10:00, Shop Support <support@shop.example> wrote:"


def message(body: str = "My parcel never arrived, can you check please?", **headers: str) -> bytes:
    """A text/plain email; keyword arguments override headers (``Message_ID`` → Message-ID)."""
    msg = EmailMessage()
    fields = {
        "From": "Jane Doe <jane.doe@example.com>",
        "To": "support@shop.example",
        "Subject": "My order",
        "Date": "Mon, 3 Mar 2025 10:00:00 +0000",
        "Message-ID": "<m1@mail.example.com>",
    }
    fields.update({name.replace("_", "-"): value for name, value in headers.items()})
    for name, value in fields.items():
        if value:
            msg[name] = value
    msg.set_content(body)
    return msg.as_bytes(policy=SMTP)


def one(raw: bytes) -> Ticket:
    [ticket] = email_channel.normalize(raw, CTX)
    return ticket


def rejected(raw: bytes) -> NormalizationError:
    with pytest.raises(NormalizationError) as info:
        email_channel.normalize(raw, CTX)
    assert info.value.reason.strip().endswith(".")
    return info.value


def raw_text(body: bytes, content_type: str, cte: str = "8bit", **extra: str) -> bytes:
    """A single-part message with exactly the body bytes and transfer encoding given."""
    head = (
        "From: Jane Doe <jane.doe@example.com>\r\n"
        "To: support@shop.example\r\n"
        "Subject: Question\r\n"
        "Date: Mon, 3 Mar 2025 10:00:00 +0000\r\n"
        "Message-ID: <raw@mail.example.com>\r\n"
        "MIME-Version: 1.0\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Transfer-Encoding: {cte}\r\n"
    )
    head += "".join(f"{name.replace('_', '-')}: {value}\r\n" for name, value in extra.items())
    return head.encode() + b"\r\n" + body


# --- the happy path ------------------------------------------------------------------------------


def test_plain_text_email_becomes_a_ticket() -> None:
    ticket = one(PLAIN)

    assert ticket.channel == "email"
    assert ticket.provider == "smtp"
    assert ticket.provider_message_id == "CAF1234.abcd@mail.example.com"
    assert ticket.ticket_id == ticket_id_for("email", "CAF1234.abcd@mail.example.com")
    assert ticket.received_at == datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # +0100 → UTC
    assert ticket.customer.email == "jane.doe@example.com"
    assert ticket.customer.display_name == "Jane Doe"
    assert ticket.customer.identity_key == "email:jane.doe@example.com"
    assert ticket.subject == "Where is my parcel?"
    assert ticket.body == (
        "Hello,\n\nI ordered a lamp two weeks ago and it has still not arrived.\n"
        "Can you tell me where it is?"
    )
    assert "\r" not in ticket.body_original
    assert ticket.language == "en"
    assert ticket.thread.message_id == "CAF1234.abcd@mail.example.com"
    assert ticket.thread.in_reply_to is None
    assert ticket.thread.references == ()
    assert ticket.attachments == ()
    assert ticket.channel_details == {
        "to": "support@shop.example", "has_html": False, "charset": "utf-8",
    }
    assert ticket.source == SOURCE


def test_mixed_case_from_address_is_lower_cased() -> None:
    ticket = one(message(From="JANE.Doe@Example.COM"))
    assert ticket.customer.email == "jane.doe@example.com"
    assert ticket.customer.display_name is None


def test_encoded_words_in_subject_and_display_name_are_decoded() -> None:
    ticket = one(message(
        From="=?utf-8?q?M=C3=BCller=2C_J=C3=BCrgen?= <j.mueller@example.de>",
        Subject="=?iso-8859-1?q?R=FCcksendung?= Order #104512",
    ))
    assert ticket.customer.display_name == "Müller, Jürgen"
    assert ticket.subject == "Rücksendung Order #104512"


def test_encoded_words_under_an_unknown_charset_label_still_give_text() -> None:
    raw = message(Subject="x").replace(b"Subject: x", b"Subject: =?x-bogus?q?Refund?= please")
    assert one(raw).subject == "Refund please"


def test_encoded_words_inside_a_quoted_display_name_are_decoded() -> None:
    raw = message().replace(b"From: Jane Doe <jane.doe@example.com>",
                            b'From: "=?iso-8859-1?q?Ren=E9?= Dupont" <rene@example.fr>')
    ticket = one(raw)
    assert (ticket.customer.email, ticket.customer.display_name) == ("rene@example.fr",
                                                                     "René Dupont")


def test_old_style_comment_gives_the_display_name() -> None:
    raw = message().replace(b"From: Jane Doe <jane.doe@example.com>",
                            b"From: jane.doe@example.com (Jane Doe)")
    ticket = one(raw)
    assert (ticket.customer.email, ticket.customer.display_name) == ("jane.doe@example.com",
                                                                     "Jane Doe")


def test_first_usable_to_address_is_kept() -> None:
    raw = message(To='"Support, EU" <eu@shop.example>, us@shop.example')
    assert one(raw).channel_details["to"] == "eu@shop.example"


def test_raw_utf8_in_headers_does_not_leak_surrogates() -> None:
    raw = message().replace(b"From: Jane Doe", "From: Jürgen Müller".encode())
    raw = raw.replace(b"Subject: My order", "Subject: Grüße".encode())
    ticket = one(raw)
    assert ticket.customer.display_name == "Jürgen Müller"
    assert ticket.subject == "Grüße"
    ticket.model_dump_json()  # serializable: no lone surrogates anywhere


def test_order_number_in_subject_is_found() -> None:
    ticket = one(message("It arrived broken.", Subject="Order #104512 damaged"))
    assert ticket.order_numbers == ("104512",)


def test_multipart_alternative_prefers_text_plain() -> None:
    msg = EmailMessage()
    msg["From"] = "jane.doe@example.com"
    msg["Subject"] = "Refund"
    msg["Message-ID"] = "<alt@mail.example.com>"
    msg.set_content("Plain: please refund order 104512.")
    msg.add_alternative("<html><body><p>HTML: please <b>refund</b></p></body></html>", "html")
    ticket = one(msg.as_bytes())

    assert ticket.body == "Plain: please refund order 104512."
    assert ticket.channel_details["has_html"] is True
    assert ticket.attachments == ()  # the HTML alternative is the body, not an attachment
    assert ticket.order_numbers == ("104512",)


def test_empty_text_plain_alternative_falls_back_to_html() -> None:
    msg = EmailMessage()
    msg["From"] = "jane.doe@example.com"
    msg["Subject"] = "Refund"
    msg.set_content("\n")
    msg.add_alternative("<p>The HTML part has the words.</p>", "html")
    assert one(msg.as_bytes()).body == "The HTML part has the words."


def test_html_only_email_is_converted_to_text() -> None:
    html = (
        "<html><head><style>p {color: red}</style><script>var x = 1;</script></head><body>"
        "<div dir='ltr'>Hi,<br><br>My parcel <b>never</b> arrived &amp; the tracking says "
        "&quot;delivered&quot;.</div><br>"
        "<div class='gmail_quote'><div class='gmail_attr'>On Mon, 3 Mar 2025 at 10:00, Shop "
        "&lt;<a href='mailto:support@shop.example'>support@shop.example</a>&gt; wrote:<br></div>"
        "<blockquote class='gmail_quote'>Your order has shipped.</blockquote></div>"
        "</body></html>"
    )
    ticket = one(raw_text(html.encode(), 'text/html; charset="utf-8"'))

    assert ticket.body == 'Hi,\n\nMy parcel never arrived & the tracking says "delivered".'
    assert "<" not in ticket.body and "color" not in ticket.body and "var x" not in ticket.body
    assert "Your order has shipped." in ticket.body_original
    assert ticket.channel_details["has_html"] is True


def test_attachments_are_reported_as_metadata() -> None:
    msg = EmailMessage()
    msg["From"] = "jane.doe@example.com"
    msg["Subject"] = "Broken lamp"
    msg["Message-ID"] = "<att@mail.example.com>"
    msg.set_content("Photo and invoice attached.")
    msg.add_alternative("<p>Photo and invoice attached.</p><img src='cid:photo1'>", "html")
    html_part = msg.get_body(preferencelist=("html",))
    assert html_part is not None
    html_part.add_related(b"\x89PNG" + b"\x00" * 96, "image", "png", cid="<photo1>")
    pdf = b"%PDF-1.4 " + b"x" * 1991
    msg.add_attachment(pdf, "application", "pdf", filename="Rechnung Müller.pdf")
    msg.add_attachment(b"GIF89a", "image", "gif", filename="broken.gif")
    ticket = one(msg.as_bytes())

    assert ticket.body == "Photo and invoice attached."
    assert ticket.attachments == (
        Attachment(filename=None, content_type="image/png", size_bytes=100),
        Attachment(filename="Rechnung Müller.pdf", content_type="application/pdf", size_bytes=2000),
        Attachment(filename="broken.gif", content_type="image/gif", size_bytes=6),
    )


def test_forwarded_message_attachment_counts_once() -> None:
    inner = EmailMessage()
    inner["From"] = "someone@else.example"
    inner["Subject"] = "Original"
    inner.set_content("Forwarded text that is not the customer's.")
    msg = EmailMessage()
    msg["From"] = "jane.doe@example.com"
    msg["Subject"] = "Fwd"
    msg.set_content("See the forwarded mail.")
    msg.add_attachment(inner)
    ticket = one(msg.as_bytes())

    assert ticket.body == "See the forwarded mail."
    [attachment] = ticket.attachments
    assert attachment.content_type == "message/rfc822"
    assert attachment.size_bytes is not None and attachment.size_bytes > 0


def test_broken_base64_attachment_does_not_crash() -> None:
    raw = (
        b"From: jane.doe@example.com\r\nSubject: photo\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n'
        b"--XX\r\nContent-Type: text/plain\r\n\r\nPhoto of the damage attached.\r\n"
        b"--XX\r\nContent-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n"
        b"Content-Disposition: attachment; filename*=utf-8''d%C3%A9g%C3%A2t.jpg\r\n\r\n"
        b"/9j/4AAQ!!!not base64\r\n"
        b"--XX"  # no closing boundary
    )
    ticket = one(raw)
    assert ticket.body == "Photo of the damage attached."
    [attachment] = ticket.attachments
    assert attachment.filename == "dégât.jpg"
    assert attachment.content_type == "image/jpeg"


# --- transfer encodings and charsets -------------------------------------------------------------


def test_quoted_printable_body_is_decoded() -> None:
    body = b"Le caf=C3=A9 est arriv=C3=A9 cass=C3=A9, je voudrais un =\r\nremboursement.\r\n"
    ticket = one(raw_text(body, "text/plain; charset=utf-8", "quoted-printable"))
    assert ticket.body == "Le café est arrivé cassé, je voudrais un remboursement."


def test_base64_body_is_decoded() -> None:
    text = "Mein Paket ist nicht angekommen. Viele Grüße aus München"
    body = base64.encodebytes(text.encode())
    ticket = one(raw_text(body, "text/plain; charset=utf-8", "base64"))
    assert ticket.body_original.strip() == text


@pytest.mark.parametrize(
    ("charset", "text"),
    [
        ("iso-8859-1", "Das Paket kam beschädigt an, bitte um Ersatz. Grüße, Jürgen"),
        ("windows-1252", "Le café coûte 12 € de plus que prévu – pourquoi ?"),
    ],
)
def test_legacy_charsets_are_decoded(charset: str, text: str) -> None:
    ticket = one(raw_text(text.encode(charset), f"text/plain; charset={charset}"))
    assert ticket.body_original.strip() == text
    assert ticket.channel_details["charset"] == charset


def test_bogus_charset_label_falls_back_to_utf8() -> None:
    ticket = one(raw_text("Grüße, wo bleibt mein Paket?".encode(), "text/plain; charset=x-bogus"))
    assert ticket.body == "Grüße, wo bleibt mein Paket?"
    assert ticket.channel_details["charset"] == "utf-8"


def test_undecodable_bytes_under_bogus_label_are_replaced() -> None:
    raw = raw_text("Le café est froid".encode("latin-1"), "text/plain; charset=unknown-8bit")
    ticket = one(raw)
    assert ticket.body == "Le caf\ufffd est froid"
    assert ticket.channel_details["charset"] == "utf-8"


def test_wrong_charset_label_does_not_crash() -> None:
    raw = raw_text("Le café est froid".encode("latin-1"), "text/plain; charset=utf-8")
    assert one(raw).body == "Le caf\ufffd est froid"


def test_unlabelled_8bit_latin1_is_decoded_as_windows_1252() -> None:
    raw = raw_text("Das kostet 20 € mehr".encode("windows-1252"), "text/plain")
    ticket = one(raw)
    assert ticket.body == "Das kostet 20 € mehr"
    assert ticket.channel_details["charset"] == "windows-1252"


# --- threading, ids, dates -----------------------------------------------------------------------


def test_reply_threading_headers_lose_their_angle_brackets() -> None:
    raw = message(In_Reply_To="<r2@shop.example> (Support's message of Monday)").replace(
        b"\r\n\r\n", b"\r\nReferences: <r1@mail.example.com>\r\n\t<r2@shop.example>\r\n\r\n", 1
    )
    ticket = one(raw)
    assert ticket.thread.message_id == "m1@mail.example.com"
    assert ticket.thread.in_reply_to == "r2@shop.example"
    assert ticket.thread.references == ("r1@mail.example.com", "r2@shop.example")


def test_missing_message_id_gives_a_deterministic_content_id() -> None:
    raw = message(Message_ID="")
    first, again = one(raw), one(raw)
    other = one(message("A different question.", Message_ID=""))

    assert first.provider_message_id == "sha256:" + hashlib.sha256(raw).hexdigest()
    assert first.ticket_id == again.ticket_id
    assert first.ticket_id != other.ticket_id
    assert first.thread.message_id is None


def test_empty_message_id_is_treated_as_missing() -> None:
    raw = message().replace(b"<m1@mail.example.com>", b"<>")
    assert one(raw).provider_message_id.startswith("sha256:")


def test_received_header_dates_the_ticket_when_date_is_missing() -> None:
    raw = (
        b"Received: from b by mx2; Mon, 3 Mar 2025 08:00:09 +0000\r\n"
        b"Received: from a by mx1; Mon, 3 Mar 2025 09:00:05 +0100\r\n"
        b"Received: from c by mx0; not a date\r\n"
        + message(Date="")
    )
    assert one(raw).received_at == datetime(2025, 3, 3, 8, 0, 9, tzinfo=UTC)


def test_broker_timestamp_dates_the_ticket_when_the_mail_has_no_date() -> None:
    assert one(message(Date="sometime last week")).received_at == BROKER_TIME


def test_date_without_zone_is_utc() -> None:
    ticket = one(message(Date="Mon, 3 Mar 2025 10:00:00 -0000"))
    assert ticket.received_at == datetime(2025, 3, 3, 10, 0, tzinfo=UTC)


# --- reply history and signatures ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "attribution", "language"),
    [
        ("Hi,\n\nMy parcel never arrived, where is it?", QUOTE_EN, "en"),
        (
            "Bonjour,\n\nJe n'ai toujours pas reçu mon colis, pouvez-vous vérifier ?",
            "Le lun. 3 mars 2025 à 10:00, Boutique <support@shop.example> a écrit :",
            "fr",
        ),
        (
            "Hallo,\n\nmein Paket ist immer noch nicht angekommen, bitte prüfen Sie das.",
            "Am 03.03.2025 um 10:00 schrieb Shop Support <support@shop.example>:",
            "de",
        ),
        (
            "Hola,\n\ntodavía no he recibido mi pedido, ¿pueden revisarlo por favor?",
            "El lun, 3 mar 2025 a las 10:00, Tienda (<support@shop.example>) escribió:",
            "es",
        ),
        (
            "Buongiorno,\n\nnon ho ancora ricevuto il mio pacco, potete controllare?",
            "Il giorno lun 3 mar 2025 alle ore 10:00 Negozio <support@shop.example> ha scritto:",
            "it",
        ),
        (
            "Hallo,\n\nik heb mijn pakket nog steeds niet ontvangen, kunt u dat nakijken?",
            "Op ma 3 mrt 2025 om 10:00 schreef Winkel <support@shop.example>:",
            "nl",
        ),
    ],
)
def test_quoted_history_is_stripped(reply: str, attribution: str, language: str) -> None:
    quoted = "> Your order 104512 has shipped.\n> \n> The Shop team"
    ticket = one(message(f"{reply}\n\n{attribution}\n{quoted}\n"))

    assert ticket.body == reply
    assert ticket.language == language
    assert attribution in ticket.body_original
    assert "> Your order 104512 has shipped." in ticket.body_original
    assert ticket.order_numbers == ()  # the quoted order number is not the customer's


def test_unquoted_history_after_attribution_is_stripped() -> None:
    body = f"Still waiting for a reply.\n\n{QUOTE_EN}\nYour order has shipped.\n"
    assert one(message(body)).body == "Still waiting for a reply."


@pytest.mark.parametrize(
    "history",
    [
        "-----Original Message-----\nFrom: Shop <support@shop.example>\n"
        "Sent: Monday, March 3, 2025 10:00 AM\nTo: jane.doe@example.com\nSubject: Your order\n\n"
        "Your order has shipped.",
        "From: Shop <support@shop.example>\nSent: Monday, March 3, 2025 10:00 AM\n"
        "To: jane.doe@example.com\nSubject: Your order\n\nYour order has shipped.",
        "________________________________\nFrom: Shop <support@shop.example>\n"
        "Sent: Monday, March 3, 2025 10:00 AM\nTo: jane.doe@example.com\n\nYour order has shipped.",
        "Von: Shop <support@shop.example>\nGesendet: Montag, 3. März 2025 10:00\n"
        "An: jane.doe@example.com\nBetreff: Ihre Bestellung\n\nYour order has shipped.",
        "De\u00a0: Boutique <support@shop.example>\nEnvoyé\u00a0: lundi 3 mars 2025 10:00\n"
        "À\u00a0: jane.doe@example.com\nObjet\u00a0: Votre commande\n\nYour order has shipped.",
    ],
)
def test_outlook_history_is_stripped(history: str) -> None:
    ticket = one(message(f"Please cancel the order.\n\n{history}\n"))
    assert ticket.body == "Please cancel the order."
    assert "Your order has shipped." in ticket.body_original


def test_bottom_posted_reply_keeps_the_customer_text() -> None:
    body = f"{QUOTE_EN}\n> Your order has shipped.\n\nNo it has not, the tracking is stuck.\n"
    assert one(message(body)).body == "No it has not, the tracking is stuck."


@pytest.mark.parametrize(
    "signature",
    [
        "-- \nJane Doe\nAcme Ltd, 1 Main Street\n+1 555 0100",
        "Sent from my iPhone",
        "Kind regards,\nJane Doe",
        "Viele Grüße\nJane",
    ],
)
def test_signature_is_stripped(signature: str) -> None:
    ticket = one(message(f"The zipper broke after one day.\n\n{signature}\n"))
    assert ticket.body == "The zipper broke after one day."
    assert signature.splitlines()[-1] in ticket.body_original


def test_signature_and_history_are_both_stripped() -> None:
    body = f"Can I return it?\n\nSent from my iPhone\n\n{QUOTE_EN}\n> Hello\n"
    assert one(message(body)).body == "Can I return it?"


def test_thanks_starting_a_sentence_is_not_taken_for_a_signature() -> None:
    body = (
        "Hi,\n\nThanks, but my order #104512 never arrived. Please check.\n\n"
        "Best regards,\nJane"
    )
    ticket = one(message(body))
    assert ticket.body == "Hi,\n\nThanks, but my order #104512 never arrived. Please check."
    assert ticket.order_numbers == ("104512",)


def test_hyphen_lists_are_not_taken_for_a_signature() -> None:
    body = "I ordered:\n- 2x blue shirt\n- 1x hat\nOnly the hat came."
    assert one(message(body)).body == body


def test_only_boilerplate_above_the_quote_is_kept_rather_than_emptied() -> None:
    msg = EmailMessage()
    msg["From"] = "jane.doe@example.com"
    msg["Subject"] = "Re: damaged"
    msg.set_content(f"Sent from my iPhone\n\n{QUOTE_EN}\n> Please send a photo of the damage.\n")
    msg.add_attachment(b"\xff\xd8\xff", "image", "jpeg", filename="IMG_0042.jpg")
    ticket = one(msg.as_bytes())

    assert ticket.body == "Sent from my iPhone"
    assert ticket.attachments[0].filename == "IMG_0042.jpg"


@pytest.mark.timeout(30)
def test_pathological_text_is_cleaned_quickly() -> None:
    # mail-parser-reply's patterns are quadratic in line length and in whitespace runs: fed to
    # it as is, this text takes minutes. It takes milliseconds once prepared.
    long_line = "On " + "the order arrived late and the box was damaged " * 2000
    body = "x\n" + " \n" * 50_000 + long_line + "\n" + "\t" * 50_000 + "y"
    ticket = one(message(body))
    assert long_line.strip() in ticket.body
    assert ticket.body.startswith("x\n\n")


# --- rejections ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b'{"from": "jane.doe@example.com", "subject": "hi", "body": "help"}',
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        b"",
        b"just some text without any headers\n",
    ],
)
def test_bytes_that_are_not_an_email_are_a_mime_parse_error(raw: bytes) -> None:
    assert rejected(raw).code == ErrorCode.MIME_PARSE_ERROR


def test_absurdly_nested_mime_is_a_mime_parse_error() -> None:
    head = b"From: jane.doe@example.com\nSubject: x\n"
    nesting = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (i, i) for i in range(3000)
    )
    raw = head + nesting + b"Content-Type: text/plain\n\nhello\n"
    assert rejected(raw).code == ErrorCode.MIME_PARSE_ERROR


@pytest.mark.parametrize("sender", ["", "undisclosed", "Jane Doe <>", "=?utf-8?q?Jane?="])
def test_missing_or_unusable_from_is_a_missing_field(sender: str) -> None:
    error = rejected(message(From=sender))
    assert error.code == ErrorCode.MISSING_FIELD
    assert "From" in error.reason


def test_address_is_recovered_from_a_sloppy_from_header() -> None:
    assert one(message(From="Jane Doe jane.doe@example.com")).customer.email == (
        "jane.doe@example.com"
    )


def test_image_only_email_has_no_text_part() -> None:
    msg = EmailMessage()
    msg["From"] = "jane.doe@example.com"
    msg["Subject"] = "photo"
    msg.add_attachment(b"\xff\xd8\xff", "image", "jpeg", filename="IMG_0042.jpg")
    assert msg.get_content_type() == "multipart/mixed"
    assert rejected(msg.as_bytes()).code == ErrorCode.NO_TEXT_PART
    assert rejected(raw_text(b"\xff\xd8\xff", "image/jpeg", "binary")).code == (
        ErrorCode.NO_TEXT_PART
    )


@pytest.mark.parametrize(
    "body",
    ["", "\n\n   \n", f"{QUOTE_EN}\n> Your order has shipped.\n", "> only quoted text\n"],
)
def test_no_customer_text_is_an_empty_body(body: str) -> None:
    assert rejected(message(body)).code == ErrorCode.EMPTY_BODY


# --- through the dispatcher ----------------------------------------------------------------------


def test_dispatch_turns_an_email_into_tickets() -> None:
    result = dispatch(RawRecord("email", PLAIN, SOURCE, BROKER_TIME), failed_at=FAILED_AT)
    assert isinstance(result, tuple)
    [ticket] = result
    assert ticket.ticket_id == ticket_id_for("email", "CAF1234.abcd@mail.example.com")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b'{"not": "an email"}', ErrorCode.MIME_PARSE_ERROR),
        (message(From=""), ErrorCode.MISSING_FIELD),
        (raw_text(b"\xff\xd8\xff", "image/jpeg", "binary"), ErrorCode.NO_TEXT_PART),
        (message("\n"), ErrorCode.EMPTY_BODY),
    ],
)
def test_dispatch_dead_letters_bad_email(raw: bytes, code: ErrorCode) -> None:
    result = dispatch(RawRecord("email", raw, SOURCE, BROKER_TIME), failed_at=FAILED_AT)
    assert isinstance(result, DeadLetter), result
    assert result.error_code == code
    assert result.channel == "email"
    assert base64.b64decode(result.payload_base64) == raw
    assert result.reason.strip().endswith(".")
