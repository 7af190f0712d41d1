"""Generate the sample inbound corpus.

    python -m corpus.generate [OUT_DIR]

Writes ``customers.json``, ``manifest.json`` and ``inbound/<channel>/...`` under OUT_DIR (default:
this package's directory), replacing ``inbound/`` from scratch. Deterministic: everything comes
from ``random.Random(2026)`` and fixed dates (no clock reads, no ``make_msgid()``, explicit MIME
boundaries), so re-running it reproduces identical bytes.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import math
import random
import re
import shutil
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email import policy
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.mime.application import MIMEApplication
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from corpus import phrases as P

SEED = 2026
CORPUS_ROOT = Path(__file__).resolve().parent

# Messages are dated 2 to 30 November 2026; order statuses are as of the end of November.
FIRST_MOMENT = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)
LAST_MOMENT = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)
STATUS_AS_OF = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)

SHOP_DOMAIN = "demoshop.example"
SUPPORT_ADDR = "support@demoshop.example"
SUPPORT_NAME = "Demo Shop Support"
ORDERS_ADDR = "orders@demoshop.example"
CARRIER_ADDR = "notifications@parcelexpress.example"
EMAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example")

# The shop's own identities on each channel.
SHOP_HOTLINE = {"US": "+18005550199", "GB": "+442079460000", "FR": "+33199000000",
                "DE": "+493023125000", "ES": "+34911000000"}
SHOP_SMS = {"US": "+14155550100", "GB": "+447700900000", "FR": "+33639980000",
            "DE": "+4915200000000", "ES": "+34600000000"}
WA_DISPLAY_NUMBER = "14155550101"
WA_PHONE_NUMBER_ID = "109283746501928"
WA_BUSINESS_ACCOUNT_ID = "102938475610293"
PAGE_ID = "104729385610293"
IG_ACCOUNT_ID = "17841401234567890"
X_SHOP_ID = "1589032745120456704"
X_SHOP_HANDLE = "DemoShopHelp"
META_APP_ID = 263902037430900

# US area codes the roster uses, with their UTC offset in November and Twilio's location data.
US_AREAS: dict[str, tuple[int, str, str, str]] = {
    "415": (-8, "SAN FRANCISCO", "CA", "94105"),
    "206": (-8, "SEATTLE", "WA", "98101"),
    "646": (-5, "NEW YORK", "NY", "10001"),
    "617": (-5, "BOSTON", "MA", "02108"),
    "312": (-6, "CHICAGO", "IL", "60601"),
    "512": (-6, "AUSTIN", "TX", "78701"),
}
COUNTRY_LANGUAGE = {"US": "en", "GB": "en", "FR": "fr", "DE": "de", "ES": "es"}
COUNTRY_LOCALE = {"US": "en-US", "GB": "en-GB", "FR": "fr-FR", "DE": "de-DE", "ES": "es-ES"}
CURRENCY = {"US": "USD", "GB": "GBP", "FR": "EUR", "DE": "EUR", "ES": "EUR"}

# Which kinds of message each channel carries, and how many clean files of each.
SLOTS: tuple[tuple[str, str, int], ...] = (
    ("email", "email", 80),
    ("chat", "chat", 45),
    ("phone", "call", 22),
    ("phone", "voicemail", 13),
    ("social", "messenger", 20),
    ("social", "instagram", 15),
    ("social", "x", 15),
    ("whatsapp", "whatsapp", 50),
    ("sms", "sms", 37),
    ("sms", "mms", 3),
    ("webform", "webform", 45),
)
KIND_CHANNEL = {kind: channel for channel, kind, _ in SLOTS}
SHORT_KINDS = {"chat", "messenger", "instagram", "x", "whatsapp", "sms", "mms"}

# Cross-channel stories: the same customer writes about the same thing on a second channel.
STORY_PAIRS: tuple[tuple[str, str], ...] = (
    ("email", "whatsapp"), ("email", "call"), ("webform", "email"), ("chat", "email"),
    ("sms", "voicemail"), ("messenger", "email"), ("whatsapp", "call"), ("webform", "chat"),
    ("instagram", "whatsapp"), ("x", "email"), ("email", "sms"), ("voicemail", "email"),
    ("email", "x"), ("webform", "whatsapp"), ("whatsapp", "email"), ("chat", "whatsapp"),
    ("sms", "email"), ("email", "webform"), ("messenger", "whatsapp"), ("whatsapp", "sms"),
)
STORY_INTENTS = {"order_status": 5, "damaged_or_wrong_item": 3, "refund": 3,
                 "return_exchange": 2, "shipping_address": 2, "order_cancel": 2,
                 "payment_billing": 2, "order_change": 1, "invoice": 1}
EMAIL_THREADS = 10

# A deliberate burst (written last, so everything above keeps its bytes): one afternoon hour,
# customers in Britain, Germany and France write on several channels about their late parcels, all
# shipped with the same carrier: the volume spike the KPI stage must report (issue 14).
BURST_HOUR = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
BURST_INTENT = "order_status"
BURST_CARRIER = "DPD"  # delivers in all three countries
BURST_COUNTRIES = ("GB", "DE", "FR")
# no SMS: a Twilio webhook carries no time, the worker stamps it when it reads it
BURST_KINDS = (("whatsapp",) * 7 + ("chat",) * 5 + ("email",) * 4 + ("webform",) * 4
               + ("messenger",) * 2)
BURST_FIRST_ORDER_NUMBER = 108001  # above every roster order number

INTENT_WEIGHTS = {
    "order_status": 14, "delivery_info": 6, "shipping_address": 5, "order_change": 5,
    "order_cancel": 5, "return_exchange": 8, "refund": 7, "damaged_or_wrong_item": 7,
    "payment_billing": 6, "invoice": 4, "product_question": 7, "account": 5, "complaint": 5,
    "feedback": 4, "human_agent": 4, "other": 3,
}
MIN_PER_INTENT = 6
UNKNOWN_SHARE = 0.13
UNKNOWN_INTENTS = ("delivery_info", "product_question", "payment_billing", "account", "other",
                   "human_agent", "feedback", "complaint")

# For intents about an order: the order statuses (as of the end of November) that fit, and
# how many days after the order the customer writes.
ORDER_REQUIRED = {"order_status", "shipping_address", "order_change", "order_cancel",
                  "return_exchange", "refund", "damaged_or_wrong_item", "invoice"}
ORDER_OPTIONAL = {"delivery_info": 0.2, "payment_billing": 0.6, "complaint": 0.6,
                  "feedback": 0.5, "human_agent": 0.6}
ORDER_FIT: dict[str, tuple[tuple[str, ...], float, float]] = {
    "order_status": (("shipped", "delivered", "paid"), 3, 12),
    "delivery_info": (("placed", "paid", "shipped"), 0.1, 3),
    "shipping_address": (("shipped", "delivered", "paid", "placed"), 0.1, 2),
    "order_change": (("paid", "placed", "shipped", "delivered"), 0.1, 2),
    "order_cancel": (("cancelled", "paid", "placed"), 0.1, 3),
    "return_exchange": (("returned", "delivered"), 6, 25),
    "refund": (("returned", "cancelled"), 10, 35),
    "damaged_or_wrong_item": (("delivered", "returned"), 4, 10),
    "payment_billing": (("paid", "shipped", "delivered", "cancelled"), 0.1, 6),
    "invoice": (("delivered", "shipped", "paid"), 1, 25),
    "complaint": (("delivered", "shipped", "returned"), 5, 20),
    "feedback": (("delivered",), 4, 15),
    "human_agent": (("shipped", "delivered", "paid", "returned"), 1, 20),
}
IVR_BY_INTENT = {
    "order_status": "1-orders", "delivery_info": "1-orders", "shipping_address": "1-orders",
    "order_change": "1-orders", "order_cancel": "1-orders", "return_exchange": "2-returns",
    "refund": "2-returns", "damaged_or_wrong_item": "2-returns", "payment_billing": "3-billing",
    "invoice": "3-billing",
}
INFO_INTENTS = {"delivery_info", "product_question", "account", "other"}
QUEUE_BY_IVR = {"1-orders": "orders", "2-returns": "returns", "3-billing": "billing",
                "0-operator": "general"}

GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXT = set("^{}\\[~]|€")
OUTLOOK_BODY_LANG = {"en": "EN-US", "fr": "FR", "de": "DE", "es": "ES"}
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


# ----------------------------------------------------------------------------- people & orders


@dataclass
class Order:
    number: str
    placed_at: datetime
    status: str
    items: list[tuple[str, str, int]]
    total_cents: int
    currency: str
    carrier: str | None = None  # set for the burst's orders only; the seed picks the others'


@dataclass
class Person:
    customer_id: str | None
    name: str
    email: str
    phone: str
    country: str
    language: str
    tz: timezone
    whatsapp_id: str | None = None
    messenger_psid: str | None = None
    instagram_id: str | None = None
    x_user_id: str | None = None
    x_handle: str | None = None
    wa_profile: str | None = None
    visitor_id: str = ""
    orders: list[Order] = field(default_factory=list)
    uses: int = 0

    @property
    def first(self) -> str:
        return self.name.split()[0]


@dataclass
class Spec:
    """One clean message to write: who, what about, when, and on which channel."""

    kind: str
    person: Person
    lang: str
    intent: str
    order: Order | None
    when: datetime
    prior: Spec | None = None  # an earlier contact on another channel this one follows up
    reply_to: Spec | None = None  # an earlier email whose answer from support this replies to
    text: str = ""
    slots: dict[str, str] = field(default_factory=dict)
    message_id: str = ""
    subject: str | None = None
    email_mode: str = "new"

    @property
    def channel(self) -> str:
        return KIND_CHANNEL[self.kind]


@dataclass
class MailBody:
    """A mail body before rendering as text/plain and text/html."""

    greeting: str | None
    paragraphs: list[str]
    signoff: str | None = None
    name: str | None = None
    signature: list[str] = field(default_factory=list)
    sig_delim: str = "-- "
    footer: str | None = None
    quote_attr: str | None = None
    quote_text: str | None = None
    block_sep: str | None = None
    block_headers: list[tuple[str, str]] = field(default_factory=list)
    block_text: str | None = None


def ascii_fold(text: str) -> str:
    for src, dst in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("Ä", "Ae"),
                     ("Ö", "Oe"), ("Ü", "Ue")):
        text = text.replace(src, dst)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c in " -"))


def iso_z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp()) * 1000


def fmt_money(cents: int, currency: str, lang: str) -> str:
    amount = f"{cents // 100}.{cents % 100:02d}"
    if lang == "en":
        return {"USD": "$", "GBP": "£", "EUR": "€"}[currency] + amount
    symbol = {"USD": "$", "GBP": "£", "EUR": "€"}[currency]
    return amount.replace(".", ",") + "\u00a0" + symbol if lang == "fr" else (
        amount.replace(".", ",") + " " + symbol)


def fmt_date(moment: datetime, lang: str) -> str:
    month = P.MONTHS[lang][moment.month - 1]
    if lang == "en":
        return f"{month} {moment.day}"
    if lang == "de":
        return f"{moment.day}. {month}"
    if lang == "es":
        return f"{moment.day} de {month}"
    return f"{moment.day} {month}"


def national_phone(e164: str) -> str:
    if e164.startswith("+1"):
        d = e164[2:]
        return f"({d[:3]}) {d[3:6]}-{d[6:]}"
    if e164.startswith("+44"):
        d = "0" + e164[3:]
        return f"{d[:5]} {d[5:]}"
    if e164.startswith("+33"):
        d = "0" + e164[3:]
        return " ".join(d[i:i + 2] for i in range(0, 10, 2))
    if e164.startswith("+49"):
        d = "0" + e164[3:]
        return f"{d[:5]} {d[5:]}"
    d = e164[3:]
    return f"{d[:3]} {d[3:6]} {d[6:]}"


def has_order_slot(template: str) -> bool:
    return any(s in template for s in ("{order}", "{num}", "{n}", "{placed}", "{amount}"))


def sms_segments(body: str) -> int:
    if all(c in GSM7 or c in GSM7_EXT for c in body):
        units = sum(2 if c in GSM7_EXT else 1 for c in body)
        return 1 if units <= 160 else math.ceil(units / 153)
    units = len(body.encode("utf-16-le")) // 2
    return 1 if units <= 70 else math.ceil(units / 67)


def speech(text: str) -> str:
    """How a speech-to-text engine renders what a caller says: no emoji, shouting or slang."""
    out = "".join(c for c in text if unicodedata.category(c) != "So" and c != "\ufe0f")
    while "!!" in out or "??" in out:
        out = out.replace("!!", "!").replace("??", "?")
    words = []
    for word in out.split():
        core = word.strip(".,!?:;")
        if len(core) > 1 and core.isalpha() and core.isupper() and core not in ACRONYMS:
            word = word.lower()
        words.append({"pls": "please", "thx": "thanks", "u": "you", "svp": "s'il vous plaît",
                      "porfa": "por favor", "q": "que"}.get(word, word))
    out = " ".join(words).replace("'label created'", "label created")
    return out[:1].upper() + out[1:]


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÝÄÖÜ¿¡])")
ACRONYMS = {"APO", "PO", "VAT", "NIF", "DSGVO", "UK", "US", "CV", "XL", "ASAP", "OK", "LED",
            "UPS", "USPS", "DHL", "DPD", "SEUR", "MRW", "TV"}
SENTENCE_START_REF = re.compile(r"(^|[.!?]\s+)(order|commande|pedido)\b")
GREETING_WORDS = ("Hi there", "Hi", "Hello", "Hey", "Good morning", "Bonjour", "Guten Tag",
                  "Hallo", "Hola", "Buenas tardes", "Buenas")


def strip_greeting(text: str) -> str:
    """A caller already said hello to the agent: drop the written greeting of a phrasing."""
    for word in GREETING_WORDS:
        for sep in (", ", "! ", ". "):
            if text.startswith(word + sep):
                rest = text[len(word) + len(sep):]
                return rest[:1].upper() + rest[1:]
    return text


def quote_lines(text: str) -> list[str]:
    return ["> " + line if line else ">" for line in text.split("\n")]


def json_bytes(obj: Any, ascii_only: bool = False) -> bytes:
    return (json.dumps(obj, indent=2, ensure_ascii=ascii_only) + "\n").encode("utf-8")


# ----------------------------------------------------------------------------- the generator


class Generator:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.used: set[str] = set(SHOP_SMS.values()) | set(SHOP_HOTLINE.values())
        self.files: dict[str, bytes] = {}
        self.manifest: list[dict[str, Any]] = []
        self.core_uses: dict[str, int] = {}
        self.roster: list[Person] = []
        self.unknown_count: dict[str, int] = {}
        self.wa_count = 0
        self.kind_count: dict[str, int] = {}
        self.twilio_account = "AC" + self.hex(32)
        self.twilio_service = "MG" + self.hex(32)

    # -- random helpers

    def hex(self, n: int, upper: bool = False) -> str:
        digits = "0123456789ABCDEF" if upper else "0123456789abcdef"
        return "".join(self.rng.choice(digits) for _ in range(n))

    def digits(self, n: int) -> str:
        return self.rng.choice("123456789") + "".join(
            self.rng.choice("0123456789") for _ in range(n - 1))

    def alnum(self, n: int, alphabet: str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def b64url(self, n: int) -> str:
        return self.alnum(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    def unique(self, make: Callable[[], str]) -> str:
        while True:
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value

    def pick(self, options: Sequence[str]) -> str:
        return self.rng.choice(list(options))

    def weighted(self, weights: dict[str, float]) -> str:
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    def between(self, lo: datetime, hi: datetime) -> datetime:
        seconds = max(0, int((hi - lo).total_seconds()))
        return lo + timedelta(seconds=self.rng.randrange(seconds + 1))

    # -- identities

    def new_email(self, name: str) -> str:
        parts = ascii_fold(name).lower().replace("-", " ").split()
        first, last = parts[0], "".join(parts[1:])
        rng = self.rng

        def make() -> str:
            local = rng.choice([
                f"{first}.{last}", f"{first}.{last}", f"{first[0]}{last}", f"{first}{last}",
                f"{first}_{last}", f"{first}.{last}{rng.randrange(70, 100)}",
                f"{last}.{first}", f"{first}{rng.randrange(1, 99)}",
            ])
            return f"{local}@{rng.choice(EMAIL_DOMAINS)}"

        return self.unique(make)

    def new_phone(self, country: str) -> str:
        rng = self.rng

        def make() -> str:
            if country == "US":
                return f"+1{rng.choice(list(US_AREAS))}55501{rng.randrange(10, 100):02d}"
            if country == "GB":
                return f"+447700900{rng.randrange(100, 1000):03d}"
            if country == "FR":
                return f"+3363998{rng.randrange(100, 10000):04d}"
            if country == "DE":
                return f"+491520000{rng.randrange(1000, 10000):04d}"
            return f"+34600000{rng.randrange(100, 1000):03d}"

        return self.unique(make)

    def new_x_handle(self, name: str) -> str:
        parts = ascii_fold(name).lower().replace("-", " ").split()
        first, last = parts[0], "".join(parts[1:])
        rng = self.rng

        def make() -> str:
            handle = rng.choice([
                f"{first}{last}", f"{first}_{last[:4]}", f"{first}{rng.randrange(10, 99)}",
                f"the{first}{last[0]}", f"{first[0]}{last}_", f"{last}{first[:3]}",
            ])
            return handle[:15]

        return self.unique(make)

    def tz_for(self, country: str, phone: str) -> timezone:
        if country == "US":
            return timezone(timedelta(hours=US_AREAS[phone[2:5]][0]))
        return timezone(timedelta(hours=0 if country == "GB" else 1))

    def make_person(self, customer_id: str | None, name: str, country: str) -> Person:
        phone = self.new_phone(country)
        person = Person(
            customer_id=customer_id, name=name, email=self.new_email(name), phone=phone,
            country=country, language=COUNTRY_LANGUAGE[country], tz=self.tz_for(country, phone),
        )
        person.visitor_id = self.unique(lambda: "v_" + self.hex(16))
        return person

    def add_whatsapp(self, p: Person) -> None:
        p.whatsapp_id = p.phone.lstrip("+")
        first = p.first
        last = p.name.split()[-1]
        p.wa_profile = self.rng.choice(
            [p.name, first, f"{first} {last[0]}.", f"{first} ✨", first.lower(), p.name])

    def add_messenger(self, p: Person) -> None:
        p.messenger_psid = self.unique(lambda: self.rng.choice("2345678") + self.digits(15))

    def add_instagram(self, p: Person) -> None:
        p.instagram_id = self.unique(lambda: self.rng.choice("156") + self.digits(15))

    def add_x(self, p: Person) -> None:
        size = self.rng.choice([9, 10, 18, 19])
        p.x_user_id = self.unique(lambda: self.digits(size))
        p.x_handle = self.new_x_handle(p.name)

    def build_roster(self) -> None:
        rng = self.rng
        names = [(c, n) for c in ("US", "GB", "FR", "DE", "ES") for n in P.NAMES[c]]
        rng.shuffle(names)
        for i, (country, name) in enumerate(names, start=1):
            self.roster.append(self.make_person(f"C{i:04d}", name, country))
        wa_share = {"US": 0.3, "GB": 0.6, "FR": 0.75, "DE": 0.75, "ES": 0.95}
        for p in self.roster:
            if rng.random() < wa_share[p.country]:
                self.add_whatsapp(p)
            if rng.random() < 0.4:
                self.add_messenger(p)
            if rng.random() < 0.3:
                self.add_instagram(p)
            if rng.random() < 0.25:
                self.add_x(p)
        # Make sure every social network has enough users to spread messages over.
        for attr, adder, minimum in (("messenger_psid", self.add_messenger, 16),
                                     ("instagram_id", self.add_instagram, 12),
                                     ("x_user_id", self.add_x, 12),
                                     ("whatsapp_id", self.add_whatsapp, 30)):
            without = [p for p in self.roster if getattr(p, attr) is None]
            missing = minimum - (len(self.roster) - len(without))
            for p in rng.sample(without, max(0, missing)):
                adder(p)
        self.build_orders()

    def build_orders(self) -> None:
        rng = self.rng
        placed: list[tuple[datetime, Person]] = []
        for p in self.roster:
            count = rng.choices([1, 2, 3, 4, 5, 6], weights=[16, 24, 22, 16, 12, 10])[0]
            for _ in range(count):
                band = rng.random()
                if band < 0.25:
                    lo = datetime(2026, 11, 20, tzinfo=UTC)
                    hi = datetime(2026, 11, 30, 18, tzinfo=UTC)
                elif band < 0.65:
                    lo = datetime(2026, 10, 20, tzinfo=UTC)
                    hi = datetime(2026, 11, 20, tzinfo=UTC)
                else:
                    lo = datetime(2026, 8, 15, tzinfo=UTC)
                    hi = datetime(2026, 10, 20, tzinfo=UTC)
                placed.append((self.between(lo, hi), p))
        placed.sort(key=lambda pair: (pair[0], pair[1].customer_id or ""))
        number = 103100 + rng.randrange(50)
        for moment, p in placed:
            number += rng.randrange(3, 40)  # other shoppers order in between
            age = (STATUS_AS_OF - moment).total_seconds() / 86400
            if age < 2:
                status = rng.choices(["placed", "paid"], [40, 60])[0]
            elif age < 6:
                status = rng.choices(["paid", "shipped", "cancelled"], [20, 65, 15])[0]
            elif age < 12:
                status = rng.choices(["shipped", "delivered", "cancelled"], [45, 45, 10])[0]
            else:
                status = rng.choices(["delivered", "returned", "cancelled"], [65, 22, 13])[0]
            items = rng.sample(P.PRODUCTS, rng.choice([1, 1, 1, 2, 2, 3]))
            currency = CURRENCY[p.country]
            subtotal = sum(self.price(usd, currency) for _, _, usd in items)
            shipping = 0 if subtotal >= 5000 else {"USD": 595, "GBP": 399, "EUR": 495}[currency]
            p.orders.append(Order(str(number), moment, status, items, subtotal + shipping,
                                  currency))

    @staticmethod
    def price(usd_cents: int, currency: str) -> int:
        if currency == "USD":
            return usd_cents
        rate = 0.79 if currency == "GBP" else 0.93
        return round(usd_cents * rate / 100) * 100 - 1

    def new_unknown(self, kind: str) -> Person:
        lang = self.weighted({"en": 64, "fr": 12, "de": 12, "es": 12})
        country = {"fr": "FR", "de": "DE", "es": "ES"}.get(lang) or self.pick(["US", "US", "GB"])
        names = P.UNKNOWN_NAMES[country]
        seen = self.unknown_count.get(country, 0)
        self.unknown_count[country] = seen + 1
        name = names[seen % len(names)]
        person = self.make_person(None, name, country)
        if kind == "whatsapp":
            self.add_whatsapp(person)
        elif kind == "messenger":
            self.add_messenger(person)
        elif kind == "instagram":
            self.add_instagram(person)
        elif kind == "x":
            self.add_x(person)
        return person

    # -- planning

    @staticmethod
    def eligible(p: Person, kind: str) -> bool:
        attr = {"whatsapp": "whatsapp_id", "messenger": "messenger_psid",
                "instagram": "instagram_id", "x": "x_user_id"}.get(kind)
        return attr is None or getattr(p, attr) is not None

    @staticmethod
    def order_fits(order: Order, intent: str, strict: bool) -> bool:
        statuses, lo, hi = ORDER_FIT[intent]
        if order.placed_at + timedelta(days=lo) > LAST_MOMENT:
            return False
        if order.placed_at + timedelta(days=hi) < FIRST_MOMENT:
            return False
        return order.status in statuses or not strict

    def wants_order(self, intent: str) -> bool:
        if intent in ORDER_REQUIRED:
            return True
        return intent in ORDER_OPTIONAL and self.rng.random() < ORDER_OPTIONAL[intent]

    def pick_person(self, kinds: Sequence[str], intent: str) -> tuple[Person, Order | None]:
        candidates = [p for p in self.roster if all(self.eligible(p, k) for k in kinds)]
        if not self.wants_order(intent):
            person = self.choose_person(candidates)
            return person, None
        for strict in (True, False):
            fitting = [(p, [o for o in p.orders if self.order_fits(o, intent, strict)])
                       for p in candidates]
            good = [(p, orders) for p, orders in fitting if orders]
            if good:
                person = self.choose_person([p for p, _ in good])
                orders = next(orders for p, orders in good if p is person)
                return person, self.rng.choice(orders)
        person = self.choose_person(candidates)
        return person, self.rng.choice(person.orders)

    def choose_person(self, candidates: Sequence[Person]) -> Person:
        weights = [1 / (1 + p.uses) ** 2 for p in candidates]
        person = self.rng.choices(list(candidates), weights=weights)[0]
        person.uses += 1
        return person

    def local_daytime(self, moment: datetime, tz: timezone) -> datetime:
        """The same local day as ``moment``, at a plausible hour for writing to a shop."""
        local = moment.astimezone(tz)
        hour = self.rng.choices(range(7, 24), weights=[2, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
                                                       6, 6, 5, 3])[0]
        result = local.replace(hour=hour, minute=self.rng.randrange(60),
                               second=self.rng.randrange(60), microsecond=0)
        return result.astimezone(UTC)

    def message_time(self, person: Person, intent: str, order: Order | None) -> datetime:
        if order is None:
            return self.local_daytime(self.between(FIRST_MOMENT, LAST_MOMENT), person.tz)
        _, lo, hi = ORDER_FIT.get(intent, ((), 1.0, 20.0))
        base = order.placed_at + timedelta(days=self.rng.uniform(lo, hi))
        base = min(max(base, FIRST_MOMENT + timedelta(hours=self.rng.randrange(72))),
                   LAST_MOMENT)
        moment = self.local_daytime(base, person.tz)
        if moment <= order.placed_at + timedelta(hours=1):
            moment = order.placed_at + timedelta(seconds=self.rng.randrange(5400, 21600))
        return min(max(moment, FIRST_MOMENT), LAST_MOMENT)

    def followup_time(self, prior: datetime) -> datetime:
        moment = prior + timedelta(seconds=self.rng.randrange(6 * 3600, 72 * 3600))
        if moment > LAST_MOMENT:
            moment = prior + timedelta(seconds=self.rng.randrange(3600, 4 * 3600))
        return moment

    def office_hours(self, specs: list[Spec]) -> None:
        """Calls reach an agent only 8:00-19:00 local time; move the others to the next opening."""
        for spec in specs:
            if spec.kind != "call":
                continue
            local = spec.when.astimezone(spec.person.tz)
            if 8 <= local.hour < 19:
                continue
            day = local if local.hour < 8 else local + timedelta(days=1)
            moved = day.replace(hour=self.rng.randrange(8, 12), minute=self.rng.randrange(60))
            spec.when = min(moved.astimezone(UTC), LAST_MOMENT)
        for spec in specs:  # keep every follow-up after what it follows up
            earlier = spec.prior or spec.reply_to
            if earlier is not None and spec.when <= earlier.when + timedelta(hours=1):
                spec.when = earlier.when + timedelta(seconds=self.rng.randrange(3600, 4 * 3600))

    def language_of(self, person: Person) -> str:
        if person.language != "en" and self.rng.random() < 0.06:
            return "en"  # some customers write to the shop in English
        return person.language

    def plan(self) -> list[Spec]:
        rng = self.rng
        remaining = {kind: count for _, kind, count in SLOTS}
        specs: list[Spec] = []

        for first_kind, second_kind in STORY_PAIRS:
            intent = self.weighted(dict(STORY_INTENTS))
            person, order = self.pick_person((first_kind, second_kind), intent)
            if order is None:
                order = rng.choice(person.orders)
            lang = self.language_of(person)
            first = Spec(first_kind, person, lang, intent, order,
                         self.message_time(person, intent, order))
            later_intent = intent if rng.random() < 0.7 else self.pick(["complaint",
                                                                         "human_agent"])
            second = Spec(second_kind, person, lang, later_intent, order,
                          self.followup_time(first.when), prior=first)
            specs += [first, second]
            remaining[first_kind] -= 1
            remaining[second_kind] -= 1

        for _ in range(EMAIL_THREADS):
            intent = self.weighted({k: v for k, v in INTENT_WEIGHTS.items() if k != "other"})
            person, order = self.pick_person(("email",), intent)
            lang = self.language_of(person)
            first = Spec("email", person, lang, intent, order,
                         self.message_time(person, intent, order))
            later_intent = intent if rng.random() < 0.8 else "complaint"
            second = Spec("email", person, lang, later_intent, order,
                          self.followup_time(first.when + timedelta(hours=8)), reply_to=first)
            specs += [first, second]
            remaining["email"] -= 2

        slots = [kind for _, kind, _ in SLOTS for _ in range(remaining[kind]) if kind != "mms"]
        rng.shuffle(slots)
        pool = [intent for intent in P.INTENTS for _ in range(MIN_PER_INTENT)]
        while len(pool) < len(slots):
            pool.append(self.weighted(dict(INTENT_WEIGHTS)))
        rng.shuffle(pool)
        slots += ["mms"] * remaining["mms"]
        for kind in slots:
            if kind == "mms":
                intent = "damaged_or_wrong_item"
                person, order = self.pick_person((kind,), intent)
                lang = self.language_of(person)
            elif rng.random() < UNKNOWN_SHARE:
                index = next((i for i, it in enumerate(pool) if it in UNKNOWN_INTENTS), None)
                intent = (pool.pop(index) if index is not None
                          else self.weighted({k: INTENT_WEIGHTS[k] for k in UNKNOWN_INTENTS}))
                person, order = self.new_unknown(kind), None
                lang = person.language
            else:
                intent = pool.pop(0)
                person, order = self.pick_person((kind,), intent)
                lang = self.language_of(person)
            specs.append(Spec(kind, person, lang, intent, order,
                              self.message_time(person, intent, order)))
        return specs

    # -- texts

    def make_slots(self, spec: Spec) -> dict[str, str]:
        p, lang, order = spec.person, spec.lang, spec.order
        slots = {
            "first": p.first,
            "promo": self.pick(P.PROMO_CODES[lang]),
            "carrier": self.pick(P.CARRIERS[p.country]),
            "phone": national_phone(p.phone),
            "item": self.rng.choice(P.PRODUCTS)[1],
        }
        if order is not None:
            n = order.number
            spoken = spec.kind in ("call", "voicemail")
            ref_options = P.SPOKEN_ORDER_REFS[lang] if spoken else P.ORDER_REFS[lang]
            slots.update(
                n=n,
                order=self.pick(ref_options).format(n=n, spaced=" ".join(n)),
                num=n if spoken else self.pick(P.NUM_REFS).format(n=n),
                placed=fmt_date(order.placed_at.astimezone(p.tz), lang),
                amount=fmt_money(order.total_cents, order.currency, lang),
                item=self.rng.choice(order.items)[1],
            )
        return slots

    def pick_core(self, spec: Spec) -> str:
        options = P.CORES[spec.intent][spec.lang]
        if spec.order is None:
            options = [t for t in options if not has_order_slot(t)]
        elif self.rng.random() < 0.75:
            options = [t for t in options if has_order_slot(t)] or options
        if spec.kind in SHORT_KINDS:
            options = [t for t in options if len(t) <= 170] or options
        else:
            options = [t for t in options if len(t) >= 20] or options
        if not options:
            raise ValueError(f"no phrasing for {spec.intent}/{spec.lang} without an order")
        least = min(self.core_uses.get(t, 0) for t in options)
        core = self.rng.choice([t for t in options if self.core_uses.get(t, 0) == least])
        self.core_uses[core] = least + 1
        return core

    def write_text(self, spec: Spec) -> None:
        core = self.pick_core(spec)
        spec.slots = self.make_slots(spec)
        text = SENTENCE_START_REF.sub(lambda m: m.group(1) + m.group(2).capitalize(),
                                      core.format_map(spec.slots))
        if spec.kind in ("call", "voicemail"):
            text = speech(text)
        if spec.prior is not None:
            prior_local = spec.prior.when.astimezone(spec.person.tz)
            weekday = P.WEEKDAYS[spec.lang][prior_local.weekday()]
            key = {"email": "email", "phone": "phone"}.get(spec.prior.channel, "any")
            options = P.FOLLOWUPS[spec.lang][key] + P.FOLLOWUPS[spec.lang]["any"][:1]
            prefix = self.pick(options).format(weekday=weekday)
            text = f"{prefix} {strip_greeting(text)}"
        if spec.reply_to is not None:
            text = f"{self.pick(P.REPLY_OPENERS[spec.lang])} {strip_greeting(text)}"
        spec.text = text

    # -- output

    def add(self, path: str, data: bytes, *, person: Person | None, lang: str | None,
            intent: str | None, error: str | None = None, tickets: int = 1) -> None:
        assert path not in self.files, path
        self.files[path] = data
        self.manifest.append({
            "path": path,
            "channel": path.split("/", 1)[0],
            "customer_id": person.customer_id if person else None,
            "language": lang,
            "intent": intent,
            "expected_error": error,
            "expected_tickets": 0 if error else tickets,
        })

    def run(self) -> None:
        self.build_roster()
        specs = self.plan()
        self.office_hours(specs)
        specs.sort(key=lambda s: (s.when, s.kind, s.person.email))
        for spec in specs:
            self.write_text(spec)
            if spec.kind == "email":
                spec.message_id = self.email_message_id()
        self.assign_email_modes([s for s in specs if s.kind == "email"])
        counters: dict[str, int] = {}
        renderers: dict[str, Callable[[Spec, str], None]] = {
            "email": self.render_email, "chat": self.render_chat, "call": self.render_phone,
            "voicemail": self.render_phone, "messenger": self.render_meta,
            "instagram": self.render_meta, "x": self.render_x,
            "whatsapp": self.render_whatsapp, "sms": self.render_sms, "mms": self.render_sms,
            "webform": self.render_webform,
        }
        names = {"email": "msg", "chat": "transcript", "call": "call",
                 "voicemail": "voicemail", "messenger": "messenger", "instagram": "instagram",
                 "x": "x-dm", "whatsapp": "webhook", "sms": "sms", "mms": "mms",
                 "webform": "submission"}
        exts = {"email": "eml", "sms": "txt", "mms": "txt"}
        for spec in specs:
            counters[spec.kind] = counters.get(spec.kind, 0) + 1
            self.kind_count = counters
            name = f"{names[spec.kind]}-{counters[spec.kind]:03d}.{exts.get(spec.kind, 'json')}"
            renderers[spec.kind](spec, f"{spec.channel}/{name}")
        self.write_broken()
        self.write_burst(counters, renderers, names, exts)

    def write_burst(self, counters: dict[str, int],
                    renderers: dict[str, Callable[[Spec, str], None]], names: dict[str, str],
                    exts: dict[str, str]) -> None:
        """The burst (see BURST_HOUR): one message per customer, each about a new order shipped
        eight to nine days before with BURST_CARRIER and not delivered (late), spread over the
        hour; files numbered after the others of their kind."""
        rng = self.rng
        chosen: set[str] = set()
        specs: list[Spec] = []
        for n, kind in enumerate(BURST_KINDS):
            candidates = [p for p in self.roster
                          if p.country in BURST_COUNTRIES and self.eligible(p, kind)
                          and len(p.orders) < 6 and p.customer_id not in chosen]
            person = rng.choice(candidates)
            assert person.customer_id is not None
            chosen.add(person.customer_id)
            placed = BURST_HOUR - timedelta(days=8, seconds=rng.randrange(86400))
            items = rng.sample(P.PRODUCTS, rng.choice([1, 1, 2]))
            currency = CURRENCY[person.country]
            subtotal = sum(self.price(usd, currency) for _, _, usd in items)
            shipping = 0 if subtotal >= 5000 else {"GBP": 399, "EUR": 495}[currency]
            order = Order(str(BURST_FIRST_ORDER_NUMBER + n), placed, "shipped", items,
                          subtotal + shipping, currency, carrier=BURST_CARRIER)
            person.orders.append(order)
            when = BURST_HOUR + timedelta(seconds=rng.randrange(60 + 150 * n, 150 * (n + 1)))
            specs.append(Spec(kind, person, person.language, BURST_INTENT, order, when))
        for spec in sorted(specs, key=lambda s: (s.when, s.kind, s.person.email)):
            for _ in range(10):  # a phrasing with the order number: its facts are the point
                self.write_text(spec)
                if spec.order is not None and spec.order.number in spec.text:
                    break
            if spec.kind == "email":
                spec.message_id = self.email_message_id()
            counters[spec.kind] = counters.get(spec.kind, 0) + 1
            self.kind_count = counters
            name = f"{names[spec.kind]}-{counters[spec.kind]:03d}.{exts.get(spec.kind, 'json')}"
            renderers[spec.kind](spec, f"{spec.channel}/{name}")

    # ------------------------------------------------------------------------------- email

    def email_message_id(self) -> str:
        def make() -> str:
            style = self.rng.randrange(4)
            if style == 0:
                local = "CA" + self.b64url(46).replace("-", "+")
            elif style == 1:
                local = ".".join(self.hex(k, upper=True) for k in (8, 8, 4))
            elif style == 2:
                local = "-".join(self.hex(k, upper=True) for k in (8, 4, 4, 4, 12))
            else:
                local = f"{self.digits(13)}.{self.digits(6)}"
            return f"<{local}@mail.example>"

        return self.unique(make)

    def assign_email_modes(self, emails: list[Spec]) -> None:
        rng = self.rng
        fresh = [s for s in emails if s.reply_to is None]
        notif = [s for s in fresh if s.order and s.order.status in ("shipped", "delivered",
                                                                     "returned")
                 and s.intent in ("order_status", "shipping_address", "damaged_or_wrong_item",
                                  "return_exchange", "complaint")]
        for s in rng.sample(notif, min(6, len(notif))):
            s.email_mode = "notif"
        carrier = [s for s in fresh if s.email_mode == "new" and s.order
                   and s.intent in ("order_status", "complaint")]
        for s in rng.sample(carrier, min(3, len(carrier))):
            s.email_mode = "fwd_carrier"
        confirm = [s for s in fresh if s.email_mode == "new" and s.order
                   and s.intent in ("invoice", "payment_billing", "order_cancel",
                                    "order_change")]
        for s in rng.sample(confirm, min(4, len(confirm))):
            s.email_mode = "fwd_confirm"
        for s in emails:
            if s.reply_to is not None:
                s.email_mode = "thread"

    def boundary(self, client: str) -> str:
        if client == "gmail":
            return "000000000000" + self.hex(16)
        if client == "apple":
            return "Apple-Mail-" + "-".join(
                self.hex(k, upper=True) for k in (8, 4, 4, 4, 12))
        if client == "outlook":
            return "_000_" + self.alnum(32) + "_"
        if client == "thunderbird":
            return "------------" + self.alnum(24, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef")
        return "===============" + self.digits(19) + "=="

    def attribution(self, lang: str, moment: datetime, name: str, addr: str) -> str:
        template = self.pick(P.ATTRIBUTIONS[lang])
        return template.format(
            wd=P.WEEKDAYS_SHORT[lang][moment.weekday()], d=moment.day,
            mon=P.MONTHS_SHORT[lang][moment.month - 1], y=moment.year,
            hh=f"{moment.hour:02d}", mm=f"{moment.minute:02d}", name=name, addr=addr)

    @staticmethod
    def outlook_sent(lang: str, moment: datetime) -> str:
        wd = P.WEEKDAYS[lang][moment.weekday()]
        month = P.MONTHS[lang][moment.month - 1]
        if lang == "en":
            hour = moment.hour % 12 or 12
            ampm = "AM" if moment.hour < 12 else "PM"
            return f"{wd}, {month} {moment.day}, {moment.year} {hour}:{moment.minute:02d} {ampm}"
        if lang == "de":
            return f"{wd}, {moment.day}. {month} {moment.year} {moment:%H:%M}"
        if lang == "es":
            return f"{wd}, {moment.day} de {month} de {moment.year} {moment:%H:%M}"
        return f"{wd} {moment.day} {month} {moment.year} {moment:%H:%M}"

    def mail_body(self, spec: Spec, client: str) -> MailBody:
        rng, lang, p = self.rng, spec.lang, spec.person
        terse = len(spec.text) < 45 or spec.text[:1].islower()
        greeting = None if terse and rng.random() < 0.6 else self.pick(P.GREETINGS[lang])
        paragraphs = [strip_greeting(spec.text) if greeting else spec.text]
        body = MailBody(greeting=greeting, paragraphs=paragraphs)
        if spec.email_mode == "fwd_carrier":
            paragraphs.insert(0, P.CARRIER_NOTICE[lang][0])
        if spec.email_mode == "fwd_confirm":
            paragraphs.insert(0, self.pick(P.FORWARD_INTROS[lang]))
        closing_words: set[str] = set()
        if not terse and rng.random() < 0.4:
            closing = self.pick(P.PRE_CLOSINGS[lang])
            paragraphs.append(closing)
            closing_words = {w.strip(".,").lower() for w in closing.split()}
        if rng.random() < 0.85:
            signoffs = [s for s in P.SIGNOFFS[lang]
                        if not {w.strip(".,").lower() for w in s.split()} & closing_words]
            body.signoff = self.pick(signoffs or P.SIGNOFFS[lang])
            body.name = p.first if rng.random() < 0.6 else p.name
        if rng.random() < 0.22:
            body.signature = [p.name, national_phone(p.phone)]
            body.sig_delim = self.pick(["--", "-- "])
        footer_pool = P.MOBILE_FOOTERS[lang]
        if client == "apple" and rng.random() < 0.6:
            body.footer = footer_pool[0]
        elif client == "gmail" and rng.random() < 0.12:
            body.footer = footer_pool[1]
        elif client == "outlook" and lang == "en" and rng.random() < 0.2:
            body.footer = "Get Outlook for iOS"
        self.add_quote(spec, body, client)
        return body

    def add_quote(self, spec: Spec, body: MailBody, client: str) -> None:
        lang, p, order = spec.lang, spec.person, spec.order
        local_tz = p.tz
        if spec.email_mode == "thread" and spec.reply_to is not None:
            original = spec.reply_to
            ref_with, ref_without = P.SUPPORT_REF[lang]
            ref = ref_with.format(n=order.number) if order else ref_without
            support_text = self.pick(P.SUPPORT_REPLIES[lang]).format(first=p.first, ref=ref)
            support_at = self.support_time(original.when, spec.when).astimezone(local_tz)
            if client == "outlook":
                body.block_sep = "________________________________"
                labels = P.OUTLOOK_LABELS[lang]
                body.block_headers = [
                    (labels[0], f"{SUPPORT_NAME} <{SUPPORT_ADDR}>"),
                    (labels[1], self.outlook_sent(lang, support_at)),
                    (labels[2], p.email),
                    (labels[3], f"Re: {original.subject or ''}".rstrip()),
                ]
                body.block_text = support_text
                return
            original_at = original.when.astimezone(local_tz)
            nested = "\n".join(quote_lines(original.text))
            body.quote_attr = self.attribution(lang, support_at, SUPPORT_NAME, SUPPORT_ADDR)
            body.quote_text = (f"{support_text}\n\n"
                               f"{self.attribution(lang, original_at, p.name, p.email)}\n"
                               f"{nested}")
        elif spec.email_mode == "notif" and order is not None:
            subject, text = P.SHIP_NOTIFICATION[lang]
            notif_at = self.notification_time(order, spec.when).astimezone(local_tz)
            text = text.format(first=p.first, n=order.number, carrier=spec.slots["carrier"],
                               tracking=self.tracking())
            if client == "outlook":
                labels = P.OUTLOOK_LABELS[lang]
                body.block_sep = "________________________________"
                body.block_headers = [
                    (labels[0], f"Demo Shop <{ORDERS_ADDR}>"),
                    (labels[1], self.outlook_sent(lang, notif_at)),
                    (labels[2], p.email),
                    (labels[3], subject.format(n=order.number)),
                ]
                body.block_text = text
            else:
                body.quote_attr = self.attribution(lang, notif_at, "Demo Shop", ORDERS_ADDR)
                body.quote_text = text
        elif spec.email_mode in ("fwd_carrier", "fwd_confirm") and order is not None:
            if spec.email_mode == "fwd_carrier":
                _, subject, text = P.CARRIER_NOTICE[lang]
                sender = f"Parcel Express <{CARRIER_ADDR}>"
                sent = spec.when - timedelta(hours=self.rng.uniform(1, 20))
                text = text.format(tracking=self.tracking(), code=self.alnum(8))
            else:
                subject, text = P.ORDER_CONFIRMATION[lang]
                subject = subject.format(n=order.number)
                sender = f"Demo Shop <{ORDERS_ADDR}>"
                sent = order.placed_at + timedelta(minutes=2)
                text = text.format(n=order.number, placed=spec.slots["placed"],
                                   amount=spec.slots["amount"])
            sent_local = sent.astimezone(local_tz)
            if client == "outlook":
                labels = P.OUTLOOK_LABELS[lang]
                body.block_sep = "________________________________"
                body.block_headers = [(labels[0], sender),
                                      (labels[1], self.outlook_sent(lang, sent_local)),
                                      (labels[2], p.email), (labels[3], subject)]
            elif client == "apple":
                body.block_sep = "Begin forwarded message:"
                body.block_headers = [
                    ("From:", sender), ("Subject:", subject),
                    ("Date:", f"{P.MONTHS['en'][sent_local.month - 1]} {sent_local.day}, "
                              f"{sent_local.year} at {sent_local:%I:%M:%S %p}".replace(
                                  " at 0", " at ")),
                    ("To:", p.email),
                ]
            else:
                body.block_sep = "---------- Forwarded message ---------"
                body.block_headers = [
                    ("From:", sender),
                    ("Date:", f"{P.WEEKDAYS_SHORT['en'][sent_local.weekday()]}, "
                              f"{P.MONTHS_SHORT['en'][sent_local.month - 1]} {sent_local.day}, "
                              f"{sent_local.year} at {sent_local:%H:%M}"),
                    ("Subject:", subject),
                    ("To:", f"<{p.email}>"),
                ]
            body.block_text = text

    def support_time(self, original: datetime, reply: datetime) -> datetime:
        lo = original + timedelta(hours=1)
        hi = max(lo, reply - timedelta(minutes=30))
        return self.between(lo, min(hi, original + timedelta(hours=30)))

    def notification_time(self, order: Order, before: datetime) -> datetime:
        lo = order.placed_at + timedelta(hours=20)
        hi = before - timedelta(hours=2)
        return self.between(min(lo, hi), hi) if hi > order.placed_at else order.placed_at

    def tracking(self) -> str:
        rng = self.rng
        style = rng.randrange(3)
        if style == 0:
            return "1Z" + self.alnum(6) + self.digits(10)
        if style == 1:
            return "JD" + self.digits(18)
        return self.alnum(2, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") + self.digits(9) + "GB"

    @staticmethod
    def plain_text(body: MailBody) -> str:
        lines: list[str] = []
        if body.greeting:
            lines += [body.greeting, ""]
        for para in body.paragraphs:
            lines += [para, ""]
        if body.signoff:
            lines += [body.signoff] + ([body.name] if body.name else []) + [""]
        if body.signature:
            lines += [body.sig_delim, *body.signature, ""]
        if body.footer:
            lines += [body.footer, ""]
        if body.quote_attr and body.quote_text is not None:
            lines += [body.quote_attr, *quote_lines(body.quote_text), ""]
        if body.block_sep and body.block_text is not None:
            lines += [body.block_sep]
            lines += [f"{label} {value}" for label, value in body.block_headers]
            lines += ["", body.block_text, ""]
        while lines and lines[-1] == "":
            lines.pop()
        return "\n".join(lines) + "\n"

    @staticmethod
    def html_lines(text: str, wrap: Callable[[str], str], blank: str) -> str:
        return "".join(wrap(html.escape(line, quote=False)) if line else blank
                       for line in text.split("\n"))

    def html_quote(self, text: str, client: str) -> str:
        """Quoted text as nested blockquotes: lines starting with '>' go one level deeper."""
        out: list[str] = []
        lines = text.split("\n")
        i = 0
        while i < len(lines):
            if lines[i].startswith(">"):
                group = []
                while i < len(lines) and lines[i].startswith(">"):
                    group.append(lines[i][2:] if lines[i].startswith("> ") else lines[i][1:])
                    i += 1
                out.append(self.blockquote(self.html_quote("\n".join(group), client), client))
            else:
                line = lines[i]
                out.append(f"<div>{html.escape(line, quote=False)}</div>" if line
                           else "<div><br></div>")
                i += 1
        return "".join(out)

    @staticmethod
    def blockquote(inner: str, client: str) -> str:
        if client == "apple":
            return f'<blockquote type="cite">{inner}</blockquote>'
        return ('<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;'
                f'border-left:1px solid rgb(204,204,204);padding-left:1ex">{inner}</blockquote>')

    def html_text(self, body: MailBody, client: str, lang: str) -> str:
        esc = html.escape
        main: list[str] = []
        if body.greeting:
            main += [body.greeting, ""]
        for paragraph in body.paragraphs:
            main += [paragraph, ""]
        if body.signoff:
            main += [body.signoff] + ([body.name] if body.name else [])
        main_text = "\n".join(main).rstrip("\n")
        if client == "outlook":
            para = '<p class="MsoNormal">{}<o:p></o:p></p>'.format
            blank = '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
            parts = [self.html_lines(main_text, para, blank)]
            if body.signature:
                parts.append(blank + self.html_lines("\n".join(body.signature), para, blank))
            if body.footer:
                parts.append(blank + para(esc(body.footer)))
            tail = ""
            if body.block_headers and body.block_text is not None:
                heads = "<br>".join(f"<b>{esc(k)}</b> {esc(v)}" for k, v in body.block_headers)
                tail = (blank + '<div style="border:none;border-top:solid #E1E1E1 1.0pt;'
                        'padding:3.0pt 0cm 0cm 0cm">' + para(heads) + "</div>" + blank
                        + self.html_lines(body.block_text, para, blank))
            elif body.quote_attr and body.quote_text is not None:
                tail = (blank + para(esc(body.quote_attr))
                        + self.blockquote(self.html_quote(body.quote_text, client), client))
            return (
                '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
                'xmlns:w="urn:schemas-microsoft-com:office:word">\n<head>\n'
                '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
                '<meta name="Generator" content="Microsoft Word 15 (filtered medium)">\n'
                '<style><!--\np.MsoNormal, li.MsoNormal, div.MsoNormal\n\t{margin:0cm;\n'
                '\tfont-size:11.0pt;\n\tfont-family:"Calibri",sans-serif;}\n--></style>\n'
                f'</head>\n<body lang="{OUTLOOK_BODY_LANG[lang]}" '
                'link="#0563C1" vlink="#954F72" style="word-wrap:break-word">\n'
                f'<div class="WordSection1">\n{"".join(parts)}{tail}\n</div>\n</body>\n</html>\n'
            )
        if client == "apple":
            div = '<div dir="ltr">{}</div>'.format
            blank = '<div dir="ltr"><br></div>'
            parts = [self.html_lines(main_text, div, blank)]
            if body.signature:
                parts.append(blank + div("--") + self.html_lines(
                    "\n".join(body.signature), div, blank))
            if body.footer:
                parts.append(blank + div(esc(body.footer)))
            if body.quote_attr and body.quote_text is not None:
                parts.append(f'<div dir="ltr"><br><blockquote type="cite">'
                             f"{esc(body.quote_attr)}<br><br></blockquote></div>")
                parts.append(self.blockquote(self.html_quote(body.quote_text, client), client))
            if body.block_headers and body.block_text is not None:
                parts.append(blank + div(esc(body.block_sep or "")) + "".join(
                    div(f"<b>{esc(k)}</b> {esc(v)}") for k, v in body.block_headers)
                    + blank + self.html_lines(body.block_text, div, blank))
            return ('<html><head><meta http-equiv="content-type" content="text/html; '
                    'charset=utf-8"></head><body dir="auto">' + "".join(parts)
                    + "</body></html>\n")
        # Gmail (and the rare Thunderbird HTML mail) use plain <div>s.
        div = "<div>{}</div>".format
        blank = "<div><br></div>"
        parts = ['<div dir="ltr">' + self.html_lines(main_text, div, blank)]
        if body.signature:
            parts.append('<br clear="all"><div><br></div><span class="gmail_signature_prefix">'
                         f'{esc(body.sig_delim)}</span><br><div dir="ltr" '
                         'class="gmail_signature">' + "<br>".join(
                             esc(s) for s in body.signature) + "</div>")
        if body.footer:
            parts.append(blank + div(esc(body.footer)))
        parts.append("</div>")
        if body.quote_attr and body.quote_text is not None:
            parts.append('<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">'
                         f"{esc(body.quote_attr)}<br></div>"
                         + self.blockquote(self.html_quote(body.quote_text, client), client)
                         + "</div>")
        if body.block_headers and body.block_text is not None:
            heads = "<br>".join(f"{esc(k)} {esc(v)}" for k, v in body.block_headers)
            parts.append('<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">'
                         f"{esc(body.block_sep or '')}<br>{heads}<br></div><br><br>"
                         + self.html_lines(body.block_text, div, blank) + "</div>")
        return "".join(parts) + "\n"

    def fake_jpeg(self, size: int) -> bytes:
        head = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00H\x00H\x00\x00"
                b"\xff\xdb\x00C\x00")
        body = bytes(self.rng.randrange(256) for _ in range(size - len(head) - 2))
        return head + body.replace(b"\xff", b"\xfe") + b"\xff\xd9"

    @staticmethod
    def fake_pdf(title: str) -> bytes:
        stream = f"BT /F1 14 Tf 72 720 Td ({title}) Tj ET".encode("latin-1")
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
            + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
        offsets = []
        for i, obj in enumerate(objects, start=1):
            offsets.append(len(out))
            out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
        out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
        out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
                "%%EOF\n").encode()
        return out

    def email_attachments(self, spec: Spec) -> list[tuple[str, str, str, bytes]]:
        """(maintype, subtype, filename, data) for the attachments this email carries."""
        rng, intent = self.rng, spec.intent
        photo_odds = {"damaged_or_wrong_item": 0.7, "return_exchange": 0.15, "complaint": 0.15}
        pdf_odds = {"payment_billing": 0.3, "refund": 0.25, "invoice": 0.15}
        result: list[tuple[str, str, str, bytes]] = []
        if rng.random() < photo_odds.get(intent, 0.0):
            name = rng.choice([f"IMG_{rng.randrange(1000, 9999)}.jpg",
                               f"{spec.when:%Y%m%d}_{rng.randrange(100000, 235959)}.jpg",
                               "photo.jpeg", "image0.jpeg"])
            result.append(("image", "jpeg", name, self.fake_jpeg(rng.randrange(1800, 2600))))
            if rng.random() < 0.3:
                second = f"IMG_{rng.randrange(1000, 9999)}.jpg"
                result.append(("image", "jpeg", second, self.fake_jpeg(rng.randrange(1500, 2200))))
        if rng.random() < pdf_odds.get(intent, 0.0):
            name, title = {
                "payment_billing": ("bank_statement.pdf", "Card statement - November 2026"),
                "refund": ("proof_of_postage.pdf", "Proof of postage"),
                "invoice": ("invoice.pdf", "Invoice"),
            }[intent]
            result.append(("application", "pdf", name, self.fake_pdf(title)))
        return result

    def email_subject(self, spec: Spec) -> str | None:
        lang, rng = spec.lang, self.rng
        mode = spec.email_mode
        if mode == "thread" and spec.reply_to is not None:
            return (self.pick(P.REPLY_PREFIX[lang]) + (spec.reply_to.subject or "")).strip()
        order = spec.order
        if mode == "notif" and order is not None:
            return (self.pick(P.REPLY_PREFIX[lang])
                    + P.SHIP_NOTIFICATION[lang][0].format(n=order.number))
        if mode == "fwd_carrier":
            return P.FORWARD_PREFIX[lang] + P.CARRIER_NOTICE[lang][1]
        if mode == "fwd_confirm" and order is not None:
            return P.FORWARD_PREFIX[lang] + P.ORDER_CONFIRMATION[lang][0].format(n=order.number)
        roll = rng.random()
        if self.kind_count["email"] % 30 == 11:
            return None
        if roll < 0.72:
            options = P.SUBJECTS[spec.intent][lang]
            if order is None:
                options = [s for s in options if not has_order_slot(s)] or ["?"]
            subject = self.pick(options)
            return subject.format_map(spec.slots) if subject != "?" else self.pick(
                P.GENERIC_SUBJECTS[lang])
        if roll < 0.88:
            words = spec.text.split()
            return " ".join(words[: rng.randrange(4, 8)]).rstrip(",.:;!?")
        return self.pick(P.GENERIC_SUBJECTS[lang])

    def render_email(self, spec: Spec, path: str) -> None:
        rng, p, lang = self.rng, spec.person, spec.lang
        client = self.weighted({"gmail": 40, "outlook": 25, "apple": 25, "thunderbird": 10})
        spec.subject = self.email_subject(spec)
        body = self.mail_body(spec, client)
        plain = self.plain_text(body)
        attachments = self.email_attachments(spec)
        addr = p.email
        if rng.random() < 0.15:
            local, domain = addr.split("@")
            addr = ".".join(w.capitalize() for w in local.split(".")) + "@" + domain.capitalize()
        display = rng.choices([p.name, None], weights=[82, 18])[0]
        if self.kind_count["email"] % 16 == 5:
            display = f"{p.name.split()[-1]}, {p.first}"  # Outlook address books
        local_when = spec.when.astimezone(p.tz)
        received = (f"from {rng.choice(['mx', 'smtp', 'out'])}{rng.randrange(1, 9)}.mail.example "
                    f"(mail.example [192.0.2.{rng.randrange(2, 254)}]) by mx.{SHOP_DOMAIN} "
                    f"with ESMTPS id {self.alnum(12)}; "
                    f"{format_datetime(spec.when + timedelta(seconds=rng.randrange(2, 40)))}")
        references: list[str] = []
        in_reply_to = None
        if spec.email_mode == "thread" and spec.reply_to is not None:
            support_id = self.unique(lambda: f"<{self.hex(24)}@{SHOP_DOMAIN}>")
            in_reply_to = support_id
            references = [spec.reply_to.message_id, support_id]
        elif spec.email_mode == "notif":
            in_reply_to = self.unique(lambda: f"<shipment.{self.hex(20)}@{SHOP_DOMAIN}>")
            references = [in_reply_to]
        legacy = lang != "en" and spec.email_mode in ("new", "thread") and rng.random() < 0.4
        if legacy:
            data = self.legacy_email(spec, plain, body, attachments, addr, display, received,
                                     in_reply_to, references)
        else:
            msg = EmailMessage()
            msg["Received"] = received
            msg["From"] = Address(display_name=display or "", addr_spec=addr)
            msg["To"] = rng.choice([SUPPORT_ADDR, SUPPORT_ADDR, f"{SUPPORT_NAME} <{SUPPORT_ADDR}>"])
            if spec.subject is not None:
                msg["Subject"] = spec.subject
            msg["Date"] = format_datetime(local_when)
            msg["Message-ID"] = spec.message_id
            if in_reply_to:
                msg["In-Reply-To"] = in_reply_to
                msg["References"] = " ".join(references)
            if client == "outlook":
                msg["Content-Language"] = COUNTRY_LOCALE.get(p.country, "en-US")
                msg["X-Mailer"] = "Microsoft Outlook 16.0"
            elif client == "apple":
                msg["X-Mailer"] = "iPhone Mail (22B91)"
            elif client == "thunderbird":
                msg["User-Agent"] = "Mozilla Thunderbird"
            cte = rng.choices([None, "quoted-printable", "base64", "8bit"], [40, 35, 12, 13])[0]
            fmt = {"gmail": "alternative", "thunderbird": "plain"}.get(client) or rng.choice(
                ["alternative", "alternative", "plain", "html_only"])
            if fmt == "html_only":
                msg.set_content(self.html_text(body, client, lang), subtype="html", cte=cte)
            else:
                msg.set_content(plain, cte=cte)
                if fmt == "alternative":
                    msg.add_alternative(self.html_text(body, client, lang), subtype="html",
                                        cte=cte)
            for maintype, subtype, filename, blob in attachments:
                msg.add_attachment(blob, maintype=maintype, subtype=subtype, filename=filename)
            for part in msg.walk():
                if part is not msg and "MIME-Version" in part:
                    del part["MIME-Version"]
                if part.is_multipart():
                    part.set_boundary(self.boundary(client))
            crlf = rng.random() < 0.12
            data = msg.as_bytes(policy=policy.SMTP if crlf else policy.default)
        self.add(path, data, person=p, lang=lang, intent=spec.intent)

    def legacy_email(self, spec: Spec, plain: str, body: MailBody,
                     attachments: list[tuple[str, str, str, bytes]], addr: str,
                     display: str | None, received: str, in_reply_to: str | None,
                     references: list[str]) -> bytes:
        """An older client: compat32 MIME classes, a Latin-1/Windows-1252 charset."""
        rng, p, lang = self.rng, spec.person, spec.lang
        preferred = ["windows-1252"] if lang == "de" else rng.choice(
            [["iso-8859-1", "windows-1252"], ["iso-8859-15"], ["windows-1252"]])
        charset = "utf-8"
        html_text = self.html_text(body, "thunderbird", lang).replace(
            "charset=utf-8", f"charset={preferred[0]}")
        for candidate in preferred:
            try:
                plain.encode(candidate)
                html_text.encode(candidate)
                (display or "").encode(candidate)
                (spec.subject or "").encode(candidate)
            except UnicodeEncodeError:
                continue
            charset = candidate
            break
        text_part = MIMEText(plain, "plain", charset)
        alternative = rng.random() < 0.4
        outer: Message
        if alternative:
            alt = MIMEMultipart("alternative", boundary=self.boundary("legacy"))
            alt.attach(text_part)
            alt.attach(MIMEText(html_text, "html", charset))
            body_part: Message = alt
        else:
            body_part = text_part
        if attachments:
            outer = MIMEMultipart("mixed", boundary=self.boundary("legacy"))
            outer.attach(body_part)
            for maintype, subtype, filename, blob in attachments:
                part: Message = (MIMEImage(blob, _subtype=subtype) if maintype == "image"
                                 else MIMEApplication(blob, _subtype=subtype))
                part.add_header("Content-Disposition", "attachment", filename=filename)
                outer.attach(part)
        else:
            outer = body_part
        for part in outer.walk():
            if part is not outer and "MIME-Version" in part:
                del part["MIME-Version"]
        content_headers = list(outer.items())
        for key, _ in content_headers:
            del outer[key]
        outer["Received"] = received
        outer["From"] = formataddr((display or "", addr), charset=charset)
        outer["To"] = SUPPORT_ADDR
        if spec.subject is not None:
            subject = spec.subject
            outer["Subject"] = (Header(subject, charset).encode() if not subject.isascii()
                                else subject)
        outer["Date"] = format_datetime(spec.when.astimezone(p.tz))
        outer["Message-ID"] = spec.message_id
        if in_reply_to:
            outer["In-Reply-To"] = in_reply_to
            outer["References"] = " ".join(references)
        outer["X-Mailer"] = rng.choice(["Microsoft Outlook Express 6.00.2900.5931",
                                        "Lotus Notes Release 8.5.3", "Claws Mail 3.17.8"])
        for key, value in content_headers:
            outer[key] = value
        crlf = rng.random() < 0.2
        return outer.as_bytes(policy=policy.compat32.clone(linesep="\r\n") if crlf else None)

    # -------------------------------------------------------------------------------- chat

    def chat_page(self, spec: Spec) -> str:
        prefix = "" if spec.lang == "en" else f"/{spec.lang}"
        if spec.order is not None and self.rng.random() < 0.6:
            return f"https://{SHOP_DOMAIN}{prefix}/account/orders/{spec.order.number}"
        if spec.intent == "product_question":
            slug = self.rng.choice(P.PRODUCTS)[0].lower().replace(" ", "-")
            return f"https://{SHOP_DOMAIN}{prefix}/products/{slug}"
        return f"https://{SHOP_DOMAIN}{prefix}/pages/{self.pick(['help', 'faq', 'contact'])}"

    def render_chat(self, spec: Spec, path: str) -> None:
        rng, p, lang = self.rng, spec.person, spec.lang
        tid = self.unique(lambda: self.alnum(10))
        t = spec.when
        messages: list[dict[str, Any]] = []

        def say(author: str, text: str, name: str | None, gap: tuple[int, int]) -> None:
            nonlocal t
            t += timedelta(seconds=rng.randrange(*gap))
            messages.append({"id": f"{tid}_{len(messages) + 1}", "author": author,
                             "author_name": name, "text": text, "sent_at": iso_z(t)})

        started = t
        visitor_name = p.name if p.customer_id or rng.random() < 0.5 else None
        say("bot", P.CHAT_BOT_GREETING[lang], "Demo Shop Bot", (1, 3))
        text = spec.text
        if text[:1].islower() or (len(text) < 30 and rng.random() < 0.5):
            say("visitor", self.pick(P.CHAT_VISITOR_HI[lang]), visitor_name, (5, 40))
        sentences = SENTENCE_END.split(text)
        if len(sentences) > 1 and rng.random() < 0.45:
            cut = rng.randrange(1, len(sentences))
            say("visitor", " ".join(sentences[:cut]), visitor_name, (5, 60))
            say("visitor", " ".join(sentences[cut:]), visitor_name, (8, 70))
        else:
            say("visitor", text, visitor_name, (5, 60))
        offline = rng.random() < 0.15
        ended: datetime | None
        if offline:
            say("bot", P.CHAT_BOT_OFFLINE[lang], "Demo Shop Bot", (1, 3))
            if rng.random() < 0.5:
                say("visitor", self.pick(P.CHAT_VISITOR_THANKS[lang]), visitor_name, (10, 60))
            ended = t + timedelta(seconds=rng.randrange(30, 300))
        else:
            agent = self.pick(P.AGENTS[lang])
            say("bot", P.CHAT_BOT_HANDOFF[lang], "Demo Shop Bot", (1, 3))
            say("system", P.CHAT_AGENT_JOINED[lang].format(agent=agent), None, (20, 240))
            mentions_order = spec.order is not None and spec.order.number in text
            hello = P.CHAT_AGENT_HELLO[lang][1 if mentions_order or spec.order is None else 0]
            say("agent", hello.format(first=p.first if visitor_name else "", agent=agent)
                .replace(" ,", ","), agent, (5, 30))
            if spec.order is not None and not mentions_order:
                line = self.pick(P.CHAT_VISITOR_ORDER[lang]).format_map(spec.slots)
                say("visitor", line, visitor_name, (10, 90))
            wrapups = P.CHAT_AGENT_THANKS if spec.intent == "feedback" else P.CHAT_AGENT_WRAPUP
            say("agent", self.pick(wrapups[lang]), agent, (30, 240))
            if rng.random() < 0.75:
                say("visitor", self.pick(P.CHAT_VISITOR_THANKS[lang]), visitor_name, (5, 60))
            ended = t + timedelta(seconds=rng.randrange(20, 200))
        if rng.random() < 0.06:
            ended = None  # the widget exported the transcript before closing it
        email: str | None = p.email
        if p.customer_id is None and rng.random() < 0.6:
            email = None
        elif p.customer_id and rng.random() < 0.15:
            email = p.email.capitalize()
        transcript = {
            "transcript_id": tid,
            "visitor": {"id": p.visitor_id, "name": visitor_name, "email": email,
                        "country": p.country, "language": lang},
            "page_url": self.chat_page(spec),
            "started_at": iso_z(started),
            "ended_at": iso_z(ended) if ended else None,
            "messages": messages,
        }
        self.add(path, json_bytes(transcript), person=p, lang=lang, intent=spec.intent)

    # ------------------------------------------------------------------------------- phone

    def render_phone(self, spec: Spec, path: str) -> None:
        rng, p, lang = self.rng, spec.person, spec.lang
        call_id = self.unique(lambda: "CA" + self.hex(32))
        ivr: str | None = IVR_BY_INTENT.get(spec.intent, "0-operator")
        if rng.random() < 0.15:
            ivr = None
        said = strip_greeting(spec.text)
        agent: str | None = None
        if spec.kind == "voicemail":
            intro = self.pick(P.VOICEMAIL_INTRO[lang]).format(full=p.name)
            outro = self.pick(P.VOICEMAIL_OUTRO[lang])
            transcript = f"{intro} {said} {outro}"
            duration = 6 + len(transcript.split()) * 2 // 5 + rng.randrange(4)
        else:
            agent = self.pick(P.AGENTS[lang])
            lines = [f"Agent: {P.PHONE_AGENT_GREETING[lang].format(agent=agent)}",
                     f"Caller: {self.pick(P.PHONE_CALLER_INTRO[lang]).format(full=p.name)} "
                     f"{said}"]
            if spec.order is not None and spec.order.number not in spec.text.replace(" ", ""):
                lines.append(f"Agent: {P.PHONE_AGENT_ASK_ORDER[lang]}")
                lines.append("Caller: " + self.pick(P.PHONE_CALLER_ORDER[lang]).format(
                    order=spec.slots["order"]))
            answers = (P.PHONE_AGENT_THANKS if spec.intent == "feedback"
                       else P.PHONE_AGENT_INFO if spec.intent in INFO_INTENTS
                       else P.PHONE_AGENT_RESOLVE)
            lines.append(f"Agent: {self.pick(answers[lang])}")
            lines.append(f"Caller: {self.pick(P.PHONE_CALLER_BYE[lang])}")
            transcript = "\n".join(lines)
            duration = 45 + len(transcript.split()) + rng.randrange(30, 600)
        caller_name = None
        if p.country == "US":
            caller_name = rng.choice([f"{p.name.split()[-1]} {p.first}".upper(),
                                      "WIRELESS CALLER", None])
        record: dict[str, Any] = {
            "call_id": call_id,
            "kind": spec.kind,
            "direction": "inbound",
            "from": p.phone,
            "to": SHOP_HOTLINE[p.country],
            "caller_name": caller_name,
            "started_at": iso_z(spec.when),
            "duration_seconds": duration,
            "ivr_selection": ivr,
            "queue": f"{QUEUE_BY_IVR[ivr or '0-operator']}-{lang}",
            "agent": agent,
            "transcript": transcript,
            "recording_url": f"https://api.twilio.com/2010-04-01/Accounts/{self.twilio_account}"
                             f"/Recordings/RE{self.hex(32)}",
        }
        self.add(path, json_bytes(record), person=p, lang=lang, intent=spec.intent)

    # ------------------------------------------------------------------------------ social

    def meta_mid(self, instagram: bool) -> str:
        if instagram:
            raw = f"ig_message_item:1:IGMessageThread:{IG_ACCOUNT_ID}:{self.digits(39)}"
            return self.unique(lambda: base64.b64encode(
                (raw + ":" + self.digits(19)).encode()).decode().rstrip("="))
        return self.unique(lambda: "m_" + self.b64url(86))

    def meta_image(self, instagram: bool) -> dict[str, Any]:
        if instagram:
            url = (f"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id={self.digits(17)}"
                   f"&signature={self.b64url(60)}")
        else:
            url = (f"https://scontent.xx.fbcdn.net/v/t1.15752-9/{self.digits(9)}_"
                   f"{self.digits(15)}_{self.digits(19)}_n.jpg?_nc_cat=10{self.rng.randrange(9)}"
                   f"&ccb=1-7&_nc_sid=fc17b8&oh=03_{self.b64url(40)}&oe=6{self.hex(7).upper()}")
        return {"type": "image", "payload": {"url": url}}

    def render_meta(self, spec: Spec, path: str) -> None:
        rng, p, lang = self.rng, spec.person, spec.lang
        instagram = spec.kind == "instagram"
        account = IG_ACCOUNT_ID if instagram else PAGE_ID
        user_id = p.instagram_id if instagram else p.messenger_psid
        assert user_id is not None
        t = spec.when
        message: dict[str, Any] = {"mid": self.meta_mid(instagram), "text": spec.text}
        if (spec.intent == "damaged_or_wrong_item" or rng.random() < 0.04
                or self.kind_count[spec.kind] % 7 == 3):
            message["attachments"] = [self.meta_image(instagram)]
        if rng.random() < 0.1:
            message["reply_to"] = {"mid": self.meta_mid(instagram)}
        events: list[dict[str, Any]] = [{
            "sender": {"id": user_id}, "recipient": {"id": account},
            "timestamp": epoch_ms(t) + rng.randrange(1000), "message": message,
        }]
        tickets = 1
        extra = rng.random()
        if extra < 0.12:
            # A second message from the same customer in the same delivery.
            follow = (self.pick(P.ORDER_FOLLOWUP_LINE[lang]).format_map(spec.slots)
                      if spec.order is not None else self.pick(P.CHAT_VISITOR_HI[lang]) + "??")
            events.append({"sender": {"id": user_id}, "recipient": {"id": account},
                           "timestamp": epoch_ms(t + timedelta(seconds=rng.randrange(5, 60))),
                           "message": {"mid": self.meta_mid(instagram), "text": follow}})
            tickets = 2
        elif extra < 0.24:
            # The page's automatic answer, echoed back to the webhook beside the message.
            events.append({"sender": {"id": account}, "recipient": {"id": user_id},
                           "timestamp": epoch_ms(t + timedelta(seconds=2)),
                           "message": {"mid": self.meta_mid(instagram), "is_echo": True,
                                       "app_id": META_APP_ID, "text": P.PAGE_AUTO_REPLY[lang]}})
        elif extra < 0.32 and not instagram:
            # The customer had read the page's earlier message before writing.
            events.insert(0, {"sender": {"id": user_id}, "recipient": {"id": account},
                              "timestamp": epoch_ms(t - timedelta(seconds=rng.randrange(5, 90))),
                              "read": {"watermark": epoch_ms(t - timedelta(hours=3))}})
        payload = {
            "object": "instagram" if instagram else "page",
            "entry": [{"id": account, "time": epoch_ms(t) + rng.randrange(1000, 4000),
                       "messaging": events}],
        }
        self.add(path, json_bytes(payload, ascii_only=True), person=p, lang=lang,
                 intent=spec.intent, tickets=tickets)

    def x_user(self, user_id: str, name: str, handle: str) -> dict[str, Any]:
        rng = self.rng
        return {
            "id": user_id,
            "created_timestamp": str(epoch_ms(datetime(2009, 1, 1, tzinfo=UTC)
                                              + timedelta(days=rng.randrange(5000)))),
            "name": name,
            "screen_name": handle,
            "location": "",
            "description": "",
            "protected": False,
            "verified": False,
            "followers_count": rng.randrange(3, 2000),
            "friends_count": rng.randrange(10, 900),
            "statuses_count": rng.randrange(10, 20000),
            "profile_image_url_https": f"https://pbs.twimg.com/profile_images/{self.digits(19)}"
                                       f"/{self.b64url(8)}_normal.jpg",
        }

    def render_x(self, spec: Spec, path: str) -> None:
        rng, p, lang = self.rng, spec.person, spec.lang
        assert p.x_user_id is not None and p.x_handle is not None
        event_id = self.unique(lambda: "18" + self.digits(17))
        text = spec.text
        message_data: dict[str, Any] = {
            "text": text,
            "entities": {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []},
        }
        if rng.random() < (0.9 if spec.intent == "damaged_or_wrong_item" else 0.08):
            short = "https://t.co/" + self.b64url(10).replace("-", "x").replace("_", "y")
            start = len(text) + 1
            message_data["text"] = f"{text} {short}"
            media_id = self.digits(19)
            message_data["attachment"] = {
                "type": "media",
                "media": {
                    "id": int(media_id), "id_str": media_id, "indices": [start, start + 23],
                    "media_url_https": f"https://ton.twitter.com/1.1/ton/data/dm/{event_id}/"
                                       f"{media_id}/{self.b64url(8)}.jpg",
                    "url": short, "display_url": "pic.x.com/" + short[-10:],
                    "expanded_url": f"https://x.com/messages/media/{event_id}",
                    "type": "photo",
                    "sizes": {"large": {"w": 1536, "h": 2048, "resize": "fit"}},
                },
            }
        created = epoch_ms(spec.when) + rng.randrange(1000)
        events: list[dict[str, Any]] = [{
            "type": "message_create", "id": event_id, "created_timestamp": str(created),
            "message_create": {"target": {"recipient_id": X_SHOP_ID}, "sender_id": p.x_user_id,
                               "message_data": message_data},
        }]
        if rng.random() < 0.15:
            # The shop's own earlier DM, delivered in the same batch.
            events.insert(0, {
                "type": "message_create", "id": self.unique(lambda: "18" + self.digits(17)),
                "created_timestamp": str(created - rng.randrange(60_000, 3_600_000)),
                "message_create": {"target": {"recipient_id": p.x_user_id},
                                   "sender_id": X_SHOP_ID, "source_app_id": "268278",
                                   "message_data": {"text": P.PAGE_AUTO_REPLY[lang],
                                                    "entities": {"hashtags": [], "symbols": [],
                                                                 "user_mentions": [],
                                                                 "urls": []}}},
            })
        payload = {
            "for_user_id": X_SHOP_ID,
            "direct_message_events": events,
            "users": {
                p.x_user_id: self.x_user(p.x_user_id, p.name if rng.random() < 0.6 else p.first,
                                         p.x_handle),
                X_SHOP_ID: self.x_user(X_SHOP_ID, "Demo Shop Help", X_SHOP_HANDLE),
            },
        }
        self.add(path, json_bytes(payload), person=p, lang=lang, intent=spec.intent)

    # ---------------------------------------------------------------------------- whatsapp

    def wamid(self, wa_id: str) -> str:
        def make() -> str:
            raw = (b"\x1c\x18" + bytes([len(wa_id)]) + wa_id.encode()
                   + b"\x15\x02\x00\x12\x18\x14" + self.hex(20, upper=True).encode() + b"\x00")
            return "wamid." + base64.b64encode(raw).decode()
        return self.unique(make)

    def wa_image(self, caption: str | None) -> dict[str, Any]:
        image: dict[str, Any] = {"mime_type": "image/jpeg",
                                 "sha256": base64.b64encode(self.rng.randbytes(32)).decode(),
                                 "id": self.digits(16)}
        if caption:
            image = {"caption": caption, **image}
        return image

    def render_whatsapp(self, spec: Spec, path: str) -> None:
        rng, p, lang = self.rng, spec.person, spec.lang
        assert p.whatsapp_id is not None
        self.wa_count += 1
        ts = int(spec.when.timestamp())
        messages: list[dict[str, Any]] = []
        first: dict[str, Any] = {"from": p.whatsapp_id, "id": self.wamid(p.whatsapp_id),
                                 "timestamp": str(ts)}
        photo_odds = {"damaged_or_wrong_item": 0.8, "return_exchange": 0.3, "complaint": 0.2}
        photo = (rng.random() < photo_odds.get(spec.intent, 0.04)
                 or self.wa_count % 12 == 7)
        if photo and rng.random() < 0.6:
            first.update(type="image", image=self.wa_image(spec.text))
        else:
            first.update(type="text", text={"body": spec.text})
        if spec.order is not None and spec.order.status != "placed" and rng.random() < 0.15:
            first = {"context": {"from": WA_DISPLAY_NUMBER, "id": self.wamid(WA_DISPLAY_NUMBER)},
                     **first}
        messages.append(first)
        sentences = SENTENCE_END.split(spec.text)
        second: dict[str, Any] | None = None
        if photo and first["type"] == "text":
            second = {"type": "image", "image": self.wa_image(self.pick(P.PHOTO_CAPTIONS[lang]))}
        elif self.wa_count % 8 == 4:
            if spec.order is not None and spec.order.number not in spec.text:
                second = {"type": "text", "text": {
                    "body": self.pick(P.ORDER_FOLLOWUP_LINE[lang]).format_map(spec.slots)}}
            elif len(sentences) > 1 and first["type"] == "text":
                # People split a message over several bubbles.
                first["text"] = {"body": sentences[0]}
                second = {"type": "text", "text": {"body": " ".join(sentences[1:])}}
        if second is not None:
            messages.append({"from": p.whatsapp_id, "id": self.wamid(p.whatsapp_id),
                             "timestamp": str(ts + rng.randrange(8, 120)), **second})
        payload = {
            "object": "whatsapp_business_account",
            "entry": [{
                "id": WA_BUSINESS_ACCOUNT_ID,
                "changes": [{
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {"display_phone_number": WA_DISPLAY_NUMBER,
                                     "phone_number_id": WA_PHONE_NUMBER_ID},
                        "contacts": [{"profile": {"name": p.wa_profile},
                                      "wa_id": p.whatsapp_id}],
                        "messages": messages,
                    },
                    "field": "messages",
                }],
            }],
        }
        self.add(path, json_bytes(payload, ascii_only=True), person=p, lang=lang,
                 intent=spec.intent, tickets=len(messages))

    # --------------------------------------------------------------------------------- sms

    def twilio_fields(self, p: Person, body: str, sid: str,
                      media: list[tuple[str, str]]) -> list[tuple[str, str]]:
        rng = self.rng
        to = SHOP_SMS[p.country]
        if p.country == "US":
            _, city, state, zip_code = US_AREAS[p.phone[2:5]]
            from_city, from_state = city, state
            from_zip = zip_code if rng.random() < 0.5 else ""
            to_city, to_state, to_zip = "SAN FRANCISCO", "CA", "94107"
        else:
            from_city = from_state = from_zip = to_city = to_state = to_zip = ""
        country = "GB" if p.country == "GB" else p.country
        fields = [("ToCountry", country)]
        fields += [(f"MediaContentType{i}", ctype) for i, (ctype, _) in enumerate(media)]
        fields += [
            ("ToState", to_state), ("SmsMessageSid", sid), ("NumMedia", str(len(media))),
            ("ToCity", to_city), ("FromZip", from_zip), ("SmsSid", sid),
            ("FromState", from_state), ("SmsStatus", "received"), ("FromCity", from_city),
            ("Body", body), ("FromCountry", country), ("To", to),
            ("MessagingServiceSid", self.twilio_service), ("ToZip", to_zip),
            ("NumSegments", str(sms_segments(body))),
        ]
        if media:
            fields.append(("ReferralNumMedia", "0"))
        fields += [("MessageSid", sid), ("AccountSid", self.twilio_account), ("From", p.phone)]
        fields += [(f"MediaUrl{i}", url) for i, (_, url) in enumerate(media)]
        fields.append(("ApiVersion", "2010-04-01"))
        return fields

    def render_sms(self, spec: Spec, path: str) -> None:
        rng, p, lang = self.rng, spec.person, spec.lang
        mms = spec.kind == "mms"
        sid = self.unique(lambda: ("MM" if mms else "SM") + self.hex(32))
        body = spec.text
        if rng.random() < 0.2:
            body += rng.choice([f" - {p.first}", f"\n{p.first}", f" Thanks, {p.first}"])
        media = []
        if mms:
            media = [("image/jpeg", f"https://api.twilio.com/2010-04-01/Accounts/"
                                    f"{self.twilio_account}/Messages/{sid}/Media/ME{self.hex(32)}")]
        data = urlencode(self.twilio_fields(p, body, sid, media)).encode("ascii")
        self.add(path, data, person=p, lang=lang, intent=spec.intent)

    # ----------------------------------------------------------------------------- webform

    def ulid(self, moment: datetime) -> str:
        def make() -> str:
            ms = epoch_ms(moment) + self.rng.randrange(1000)
            head = "".join(CROCKFORD[(ms >> shift) & 31] for shift in range(45, -1, -5))
            return head + self.alnum(16, CROCKFORD)
        return self.unique(make)

    def render_webform(self, spec: Spec, path: str) -> None:
        rng, p, lang = self.rng, spec.person, spec.lang
        message = spec.text
        if rng.random() < 0.35:
            message = f"{self.pick(P.GREETINGS[lang])}\n\n{strip_greeting(message)}"
            if rng.random() < 0.6:
                message += f"\n\n{self.pick(P.PRE_CLOSINGS[lang])}\n{p.first}"
        email = p.email
        roll = rng.random()
        if roll < 0.12:
            email = email[:1].upper() + email[1:]
        elif roll < 0.18:
            email = f" {email} " if rng.random() < 0.5 else email.upper()
        order_number = None
        if spec.order is not None and rng.random() < 0.7:
            n = spec.order.number
            order_number = rng.choice([n, n, f"#{n}", f"{n} ", f"# {n}"])
        phone = None
        if rng.random() < 0.4:
            phone = p.phone if rng.random() < 0.5 else national_phone(p.phone)
        topic: str | None = P.WEBFORM_TOPICS[spec.intent]
        roll = rng.random()
        if roll < 0.1:
            topic = "Other"
        elif roll < 0.18:
            topic = None
        local = spec.when.astimezone(p.tz)
        prefix = "" if lang == "en" else f"/{lang}"
        submission = {
            "submission_id": self.ulid(spec.when),
            "form_id": "contact-us-v3",
            "submitted_at": local.isoformat(),
            "name": p.name if rng.random() < 0.95 else p.name.lower(),
            "email": email,
            "phone": phone,
            "order_number": order_number,
            "topic": topic,
            "message": message,
            "page_url": f"https://{SHOP_DOMAIN}{prefix}/pages/contact",
            "locale": COUNTRY_LOCALE[p.country] if lang == p.language else "en-US",
            "consent_privacy": True,
            "ip": f"198.51.100.{rng.randrange(1, 255)}",
            "user_agent": self.pick([
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
                "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
                "Gecko) Chrome/131.0.0.0 Safari/537.36",
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, "
                "like Gecko) Version/18.1 Safari/605.1.15",
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like "
                "Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
            ]),
        }
        self.add(path, json_bytes(submission), person=p, lang=lang, intent=spec.intent)

    # ------------------------------------------------------------------------------ broken

    def someone(self, attr: str | None = None) -> Person:
        people = [p for p in self.roster if attr is None or getattr(p, attr)]
        return self.rng.choice(people)

    def broken(self, channel: str, code: str, slug: str, ext: str, data: bytes,
               person: Person | None) -> None:
        self.add(f"{channel}/broken/{code}--{slug}.{ext}", data, person=person, lang=None,
                 intent=None, error=code)

    def write_broken(self) -> None:
        when = datetime(2026, 11, 18, 9, 14, 2, tzinfo=UTC)

        # email
        p = self.someone()
        photo = MIMEMultipart("mixed", boundary=self.boundary("apple"))
        photo["From"] = formataddr((p.name, p.email))
        photo["To"] = SUPPORT_ADDR
        photo["Subject"] = "photo"
        photo["Date"] = format_datetime(when.astimezone(p.tz))
        photo["Message-ID"] = self.email_message_id()
        image = MIMEImage(self.fake_jpeg(2100), _subtype="jpeg")
        image.add_header("Content-Disposition", "attachment", filename="IMG_5121.jpg")
        del image["MIME-Version"]
        photo.attach(image)
        self.broken("email", "no_text_part", "photo-only", "eml", photo.as_bytes(), p)

        p = self.someone()
        nofrom = EmailMessage()
        nofrom["To"] = SUPPORT_ADDR
        nofrom["Subject"] = "Where is my order?"
        nofrom["Date"] = format_datetime(when.astimezone(p.tz))
        nofrom["Message-ID"] = self.email_message_id()
        nofrom.set_content(f"Hi,\n\nI ordered last week (order #{p.orders[0].number}) and "
                           "nothing has arrived yet.\n\nThanks\n")
        self.broken("email", "missing_field", "no-from-header", "eml", nofrom.as_bytes(), None)

        p = self.someone()
        blob = {"from": p.email, "subject": "Refund", "body": "Where is my refund?",
                "date": iso_z(when)}
        self.broken("email", "mime_parse_error", "json-saved-as-eml", "eml", json_bytes(blob),
                    None)

        # chat
        p = self.someone()
        base = {
            "transcript_id": self.unique(lambda: self.alnum(10)),
            "visitor": {"id": p.visitor_id, "name": p.name, "email": p.email},
            "page_url": f"https://{SHOP_DOMAIN}/pages/help",
            "started_at": iso_z(when), "ended_at": iso_z(when + timedelta(minutes=4)),
            "messages": [
                {"id": "1", "author": "bot", "author_name": "Demo Shop Bot",
                 "text": P.CHAT_BOT_GREETING["en"], "sent_at": iso_z(when)},
                {"id": "2", "author": "visitor", "author_name": p.name,
                 "text": "Hi, my order hasn't arrived yet, can you check?",
                 "sent_at": iso_z(when + timedelta(seconds=20))},
            ],
        }
        raw = json_bytes(base)
        self.broken("chat", "invalid_json", "truncated-transcript", "json",
                    raw[: len(raw) * 2 // 3], p)
        blank = json.loads(raw)
        blank["transcript_id"] = self.unique(lambda: self.alnum(10))
        blank["messages"][1]["text"] = "   "
        blank["messages"].append({"id": "3", "author": "visitor", "author_name": p.name,
                                  "text": "\n", "sent_at": iso_z(when + timedelta(seconds=31))})
        self.broken("chat", "empty_body", "blank-visitor-messages", "json", json_bytes(blank), p)
        notlist = json.loads(raw)
        notlist["transcript_id"] = self.unique(lambda: self.alnum(10))
        notlist["messages"] = {str(i): m for i, m in enumerate(notlist["messages"])}
        self.broken("chat", "schema_validation", "messages-not-a-list", "json",
                    json_bytes(notlist), p)
        noid = json.loads(raw)
        del noid["transcript_id"]
        self.broken("chat", "missing_field", "no-transcript-id", "json", json_bytes(noid), p)

        # phone
        p = self.someone()
        call = {
            "kind": "call", "direction": "inbound", "from": p.phone, "to": SHOP_HOTLINE[p.country],
            "caller_name": None, "started_at": iso_z(when), "duration_seconds": 184,
            "ivr_selection": "1-orders",
            "transcript": "Agent: Thank you for calling Demo Shop.\nCaller: Hi, I'm calling "
                          "about my delivery.",
        }
        self.broken("phone", "missing_field", "call-without-call-id", "json", json_bytes(call), p)
        p = self.someone()
        voicemail = {
            "call_id": self.unique(lambda: "CA" + self.hex(32)), "kind": "voicemail",
            "direction": "inbound", "from": p.phone, "to": SHOP_HOTLINE[p.country],
            "caller_name": None, "started_at": iso_z(when + timedelta(hours=13)),
            "duration_seconds": 4, "ivr_selection": None, "transcript": None,
            "recording_url": f"https://api.twilio.com/2010-04-01/Accounts/{self.twilio_account}"
                             f"/Recordings/RE{self.hex(32)}",
        }
        self.broken("phone", "empty_body", "voicemail-without-transcript", "json",
                    json_bytes(voicemail), p)
        p = self.someone()
        naive = dict(voicemail, call_id=self.unique(lambda: "CA" + self.hex(32)), kind="call",
                     **{"from": p.phone}, started_at="2026-11-19 16:40:12",
                     duration_seconds=233, ivr_selection="2-returns",
                     transcript="Agent: Demo Shop, how can I help?\nCaller: I'd like to return "
                                "a jacket.")
        self.broken("phone", "schema_validation", "started-at-without-timezone", "json",
                    json_bytes(naive), p)

        # social
        p = self.someone("messenger_psid")
        assert p.messenger_psid is not None
        ok = {"object": "page", "entry": [{"id": PAGE_ID, "time": epoch_ms(when), "messaging": [
            {"sender": {"id": p.messenger_psid}, "recipient": {"id": PAGE_ID},
             "timestamp": epoch_ms(when), "message": {"mid": self.meta_mid(False),
                                                      "text": "hello, is anyone there?"}}]}]}
        text = json.dumps(ok, indent=2)
        trailing = text.replace('"text": "hello, is anyone there?"',
                                '"text": "hello, is anyone there?",', 1)
        self.broken("social", "invalid_json", "messenger-trailing-comma", "json",
                    (trailing + "\n").encode(), p)
        read_only = {"object": "page", "entry": [{"id": PAGE_ID, "time": epoch_ms(when),
                                                  "messaging": [{
            "sender": {"id": p.messenger_psid}, "recipient": {"id": PAGE_ID},
            "timestamp": epoch_ms(when), "read": {"watermark": epoch_ms(when) - 60_000}}]}]}
        self.broken("social", "no_messages", "messenger-read-receipt-only", "json",
                    json_bytes(read_only), p)
        p2 = self.someone("messenger_psid")
        assert p2.messenger_psid is not None
        delivery = {"object": "page", "entry": [{"id": PAGE_ID, "time": epoch_ms(when),
                                                 "messaging": [{
            "sender": {"id": p2.messenger_psid}, "recipient": {"id": PAGE_ID},
            "timestamp": epoch_ms(when),
            "delivery": {"mids": [self.meta_mid(False)], "watermark": epoch_ms(when)}}]}]}
        self.broken("social", "no_messages", "messenger-delivery-only", "json",
                    json_bytes(delivery), p2)
        p = self.someone("instagram_id")
        assert p.instagram_id is not None
        ig = {"object": "instagram", "entry": [{"id": IG_ACCOUNT_ID, "time": epoch_ms(when),
                                                "messaging": [{
            "sender": {"id": p.instagram_id}, "recipient": {"id": IG_ACCOUNT_ID},
            "timestamp": {"seconds": int(when.timestamp()), "nanos": 0},
            "message": {"mid": self.meta_mid(True), "text": "do you ship to Canada?"}}]}]}
        self.broken("social", "schema_validation", "instagram-timestamp-object", "json",
                    json_bytes(ig), p)
        p = self.someone("x_user_id")
        assert p.x_user_id is not None and p.x_handle is not None
        x_event = {"for_user_id": X_SHOP_ID, "direct_message_events": [{
            "type": "message_create", "id": self.unique(lambda: "18" + self.digits(17)),
            "created_timestamp": str(epoch_ms(when)),
            "message_create": {"target": {"recipient_id": X_SHOP_ID},
                               "message_data": {"text": "where is my refund"}}}],
            "users": {p.x_user_id: self.x_user(p.x_user_id, p.name, p.x_handle)}}
        self.broken("social", "missing_field", "x-event-without-sender-id", "json",
                    json_bytes(x_event), p)

        # whatsapp
        p = self.someone("whatsapp_id")
        assert p.whatsapp_id is not None
        wa_id = p.whatsapp_id

        def wa(messages: list[dict[str, Any]], statuses: list[dict[str, Any]] | None = None,
               ) -> dict[str, Any]:
            value: dict[str, Any] = {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": WA_DISPLAY_NUMBER,
                             "phone_number_id": WA_PHONE_NUMBER_ID}}
            if messages:
                value["contacts"] = [{"profile": {"name": p.wa_profile}, "wa_id": wa_id}]
                value["messages"] = messages
            if statuses:
                value["statuses"] = statuses
            return {"object": "whatsapp_business_account", "entry": [{
                "id": WA_BUSINESS_ACCOUNT_ID,
                "changes": [{"value": value, "field": "messages"}]}]}

        ts = str(int(when.timestamp()))
        statuses = [{"id": self.wamid(wa_id), "status": status,
                     "timestamp": str(int(when.timestamp()) + i * 40), "recipient_id": wa_id,
                     "conversation": {"id": self.hex(32), "origin": {"type": "utility"}},
                     "pricing": {"billable": True, "pricing_model": "PMP",
                                 "category": "utility"}}
                    for i, status in enumerate(["sent", "delivered", "read"])]
        self.broken("whatsapp", "no_messages", "statuses-only", "json",
                    json_bytes(wa([], statuses)), p)
        nofrom_msg = {"id": self.wamid(wa_id), "timestamp": ts, "type": "text",
                      "text": {"body": "Hi, any update on my order?"}}
        self.broken("whatsapp", "missing_field", "message-without-from", "json",
                    json_bytes(wa([nofrom_msg])), p)
        good = {"from": wa_id, "id": self.wamid(wa_id), "timestamp": ts, "type": "text",
                "text": {"body": "Hola, ¿dónde está mi pedido?"}}
        raw = json_bytes(wa([good]))
        self.broken("whatsapp", "invalid_utf8", "raw-0xff-byte", "json",
                    raw.replace("¿".encode(), b"\xff", 1), p)
        raw = json_bytes(wa([dict(good, id=self.wamid(wa_id))]))
        self.broken("whatsapp", "invalid_json", "truncated-webhook", "json", raw[:-40], p)
        numeric = dict(good, id=self.wamid(wa_id), timestamp=int(ts))
        self.broken("whatsapp", "schema_validation", "timestamp-as-number", "json",
                    json_bytes(wa([numeric])), p)

        # sms
        p = self.someone()
        self.broken("sms", "invalid_form", "not-form-encoded", "txt",
                    b"this is not=a&&form=", p)
        self.broken("sms", "invalid_form", "json-body", "txt",
                    json.dumps({"From": p.phone, "Body": "where is my order"}).encode(), p)
        p = self.someone()
        fields = self.twilio_fields(p, "", self.unique(lambda: "SM" + self.hex(32)), [])
        self.broken("sms", "empty_body", "blank-body-no-media", "txt",
                    urlencode(fields).encode("ascii"), p)
        p = self.someone()
        sid = self.unique(lambda: "SM" + self.hex(32))
        fields = [(k, v) for k, v in self.twilio_fields(p, "Is my order shipped yet?", sid, [])
                  if k not in ("MessageSid", "SmsSid", "SmsMessageSid")]
        self.broken("sms", "missing_field", "no-message-sid", "txt",
                    urlencode(fields).encode("ascii"), p)

        # webform
        p = self.someone()
        form = {
            "submission_id": self.ulid(when), "form_id": "contact-us-v3",
            "submitted_at": when.astimezone(p.tz).isoformat(), "name": p.name, "email": p.email,
            "phone": None, "order_number": p.orders[-1].number, "topic": "Order status",
            "message": "Hello, I haven't received my order yet. Thank you.",
            "page_url": f"https://{SHOP_DOMAIN}/pages/contact", "locale": "en-US",
        }
        no_email = {k: v for k, v in form.items() if k != "email"}
        self.broken("webform", "missing_field", "no-email", "json", json_bytes(no_email), None)
        fr = self.someone()
        latin = dict(form, submission_id=self.ulid(when), name=fr.name, email=fr.email,
                     message="Bonjour, je n'ai toujours pas reçu ma commande. Merci d'avance.",
                     locale="fr-FR")
        self.broken("webform", "invalid_utf8", "latin1-encoded", "json",
                    (json.dumps(latin, indent=2, ensure_ascii=False) + "\n").encode("latin-1"),
                    fr)
        text = json.dumps(dict(form, submission_id=self.ulid(when)), indent=2)
        self.broken("webform", "invalid_json", "trailing-comma", "json",
                    text.replace('"en-US"\n}', '"en-US",\n}').encode() + b"\n", p)
        php = dict(form, submission_id=self.ulid(when),
                   submitted_at={"date": "2026-11-18 10:14:02.000000", "timezone_type": 3,
                                 "timezone": "Europe/Paris"})
        self.broken("webform", "schema_validation", "submitted-at-object", "json",
                    json_bytes(php), p)
        blank_form = dict(form, submission_id=self.ulid(when), message=" \n ",
                          order_number=None, topic="Other")
        self.broken("webform", "empty_body", "blank-message", "json", json_bytes(blank_form), p)

    # ---------------------------------------------------------------------------- writing

    def customers_json(self) -> list[dict[str, Any]]:
        return [{
            "customer_id": p.customer_id,
            "name": p.name,
            "email": p.email,
            "phone": p.phone,
            "country": p.country,
            "language": p.language,
            "whatsapp_id": p.whatsapp_id,
            "messenger_psid": p.messenger_psid,
            "instagram_id": p.instagram_id,
            "x_user_id": p.x_user_id,
            "x_handle": p.x_handle,
            "chat_visitor_id": p.visitor_id,
            "orders": [{
                "number": o.number,
                "placed_at": iso_z(o.placed_at),
                "status": o.status,
                "total": o.total_cents / 100,
                "currency": o.currency,
                "items": [name for name, _, _ in o.items],
                **({"carrier": o.carrier} if o.carrier else {}),
            } for o in p.orders],
        } for p in self.roster]


def generate(out_dir: Path) -> None:
    """Write the corpus under ``out_dir``, replacing its ``inbound/`` directory."""
    gen = Generator()
    gen.run()
    inbound = out_dir / "inbound"
    if inbound.exists():
        shutil.rmtree(inbound)
    for rel, data in sorted(gen.files.items()):
        target = inbound / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    manifest = sorted(gen.manifest, key=lambda entry: entry["path"])
    (out_dir / "manifest.json").write_bytes(json_bytes(manifest))
    (out_dir / "customers.json").write_bytes(json_bytes(gen.customers_json()))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("out_dir", nargs="?", type=Path, default=CORPUS_ROOT,
                        help="where to write customers.json, manifest.json and inbound/")
    args = parser.parse_args(argv)
    generate(args.out_dir)
    print(f"corpus written to {args.out_dir}")


if __name__ == "__main__":
    main()
