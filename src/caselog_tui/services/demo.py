"""Realistic, repeatable demo cases: the same --seed gives the same case log.

Written for speed as much as realism: a million cases with about three
messages each go in as plain tuples through the store's bulk insert, in
batches, so `caselog demo --cases 1000000` takes about a minute.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from caselog_tui.core.errors import CaseLogError
from caselog_tui.core.records import to_epoch
from caselog_tui.core.status import Status
from caselog_tui.core.view import fold
from caselog_tui.store.cases import count_all as cases_held
from caselog_tui.store.cases import insert_cases
from caselog_tui.store.database import Store

Progress = Callable[[int, int], None]

DOMAIN = "northwind-goods.co.uk"
ACCOUNT_EMAIL = f"seller@{DOMAIN}"
EMAILS = [
    ACCOUNT_EMAIL,
    f"sam.patel@{DOMAIN}",
    f"returns@{DOMAIN}",
    f"j.okafor@{DOMAIN}",
    f"accounts@{DOMAIN}",
]
CC_POOL = [
    f"ops@{DOMAIN}",
    f"finance@{DOMAIN}",
    "lena.brandt@3pl-partners.de",
    f"warehouse@{DOMAIN}",
    "agency@listingpros.example.com",
]
TEAMS = [
    "FBA Reimbursements",
    "Inbound Shipment Reconciliation",
    "Catalogue Quality",
    "Brand Registry Support",
    "Seller Performance",
    "Account Health",
    "Seller Fees",
    "A-to-z Guarantee Claims",
]
FIRST_ID = 12_000_000_000 + 5_137_221

# (short description, first message, whether the long shipment story fits):
# the subject and the message of a case are about the same thing.
_TOPICS: list[tuple[str, str, bool]] = [
    (
        "FBA reimbursement: {n} units of {asin} lost in fulfilment centre {fc}",
        "Hello,\n\nOur inventory ledger shows {n} units of {asin} were marked lost at {fc} on "
        "{day}. No reimbursement has appeared in the Payments report. Please investigate and "
        "reimburse.",
        True,
    ),
    (
        "Damaged inventory at {fc} — reimbursement for {asin}",
        "Hello,\n\n{n} units of {asin} were marked as damaged in the warehouse at {fc}. They "
        "left us in perfect condition. Please reimburse the units at their sale price.",
        True,
    ),
    (
        "Inbound shipment {ship} short-received by {n} units",
        "Hi Seller Support,\n\nShipment {ship} was closed with {n} units fewer than we sent. "
        "The carrier's proof of delivery and our packing list are attached. Please reconcile.",
        True,
    ),
    (
        "Listing suppressed: {asin} missing main image",
        "Hello,\n\nThe listing for {asin} was suppressed this morning without a clear reason. "
        "The main image meets the requirements (white background, 2000 px). Please reinstate it.",
        False,
    ),
    (
        "Stranded inventory for {asin} after listing edit",
        "Hi,\n\nSince we edited the listing of {asin}, {n} units at {fc} show as stranded. "
        "The listing is active again on our side. Please re-link the inventory to it.",
        True,
    ),
    (
        "GTIN exemption request for our own brand ({brand})",
        "Hello,\n\nWe make the {brand} products ourselves and have no barcodes from GS1. "
        "Please approve a GTIN exemption; photos of the packaging are attached.",
        False,
    ),
    (
        "Brand Registry: trademark {tm} not recognised",
        "Hello,\n\nBrand Registry says our registered trademark {tm} for {brand} cannot be "
        "found. It was registered at the IPO last year; the certificate is attached.",
        False,
    ),
    (
        "Account health: plan of action for late shipment rate",
        "Hello,\n\nOur late shipment rate went above 4% after a carrier strike. Our plan of "
        "action: a second carrier, same-day dispatch cut-off at 2 pm, and daily checks.",
        False,
    ),
    (
        "A-to-z claim on order {order} — item was delivered",
        "Hello,\n\nA customer opened an A-to-z claim on order {order} although tracking shows "
        "the parcel was delivered and signed for. Please review the evidence and decline it.",
        False,
    ),
    (
        "Fee overcharge: FBA fulfilment fee for {asin} uses wrong size tier",
        "Hi,\n\nWe were charged the standard-size fee for {asin}, which measures 20 x 15 x 4 cm "
        "and weighs 180 g. Please re-measure and refund the difference of £{amount}.",
        False,
    ),
    (
        "Removal order {removal} still not delivered",
        "Hello,\n\nRemoval order {removal} for {n} units of {asin} shows as completed, but "
        "nothing has arrived at our warehouse. Please trace the shipment.",
        True,
    ),
    (
        "Return of order {order} refunded but item not received back",
        "Hi,\n\nThe customer of order {order} was refunded £{amount}, but the item never came "
        "back to {fc}. Please reimburse us or charge the customer.",
        False,
    ),
    (
        "Buy Box lost for {asin} since price change",
        "Hello,\n\nWe lowered the price of {asin} by 5% on {day} and lost the Buy Box the same "
        "day. Our metrics are unchanged. Could you check why?",
        False,
    ),
    (
        "VAT invoice missing for {month} fees",
        "Hello,\n\nThe VAT invoice for our {month} selling fees is not in the Tax Document "
        "Library. Our accountant needs it this week.",
        False,
    ),
    (
        "Payment held: disbursement for {month} not released",
        "Hi,\n\nOur {month} disbursement of £{amount} is on hold. Our account health is good "
        "and we have no open policy warnings. What is needed to release it?",
        False,
    ),
    (
        "Category approval for Grocery still pending",
        "Hello,\n\nWe applied for approval in Grocery three weeks ago with the required "
        "invoices and have heard nothing. Could you tell us where the application stands?",
        False,
    ),
    (
        "Variation family broken for {asin}",
        "Hi,\n\nThe size variations of {asin} now show as separate listings, so customers "
        "cannot choose a size. Please restore the variation family.",
        False,
    ),
    (
        "Customer review violates policy on {asin} [needs review]",
        "Hello,\n\nA review on {asin} names a competitor's product and a discount code. "
        "That breaks the community guidelines; please review and remove it.",
        False,
    ),
]

_LONG_PARAGRAPHS = [
    "To give you the full picture, here is the timeline. On {day} we created shipment {ship} "
    "with {n} cartons. The carrier collected it the same afternoon and it was delivered to "
    "{fc} two days later. The receiving status stayed at 'Checked in' for nine days before it "
    "moved to 'Closed', and the received quantity was lower than the quantity shipped.",
    "We have checked our own records carefully. Each carton was weighed before dispatch and "
    "the weights match the carrier's manifest. The box content information was sent through "
    "the 2D barcode option, and every unit carries its own FNSKU label, so the units should "
    "have been counted correctly on arrival.",
    "This is now the third time this quarter that units have gone missing on arrival, and it "
    "is starting to affect our stock levels for the Christmas period. We would be grateful if "
    "you could escalate this to the team that handles inbound reconciliation.",
    "Attached you will find: the proof of delivery signed at the fulfilment centre, the "
    "commercial invoice for the units, the packing list with unit counts per carton, and a "
    "screenshot of the shipment summary page showing the discrepancy.",
    "Please let us know if you need anything else from us. We are happy to provide further "
    "documents, and you can reach our operations team on the Cc list at any time during UK "
    "business hours.",
]

_SELLER_FOLLOWUPS = [
    "Thank you. We have uploaded the documents you asked for.",
    "Hello again — is there any update on this case? It has been several days.",
    "Please find the invoice attached (PDF, 2 pages).",
    "The problem has come back since yesterday; please take another look.",
    "Following up: the reimbursement has still not appeared in our Payments report.",
]

_SUPPORT_WORKING = [
    "Hello,\n\nThank you for contacting Seller Support. We are looking into this and will get "
    "back to you within 48 hours.\n\nRegards,\nSeller Support",
    "Hello,\n\nWe have passed your request to the fulfilment centre for investigation. This can "
    "take up to 5 business days.\n\nBest regards,\nSeller Support",
]
_SUPPORT_ASKS = [
    "Hello,\n\nTo continue, please send a copy of the supplier invoice for {asin} dated within "
    "the last 365 days, showing your business name and address.\n\nRegards,\nSeller Support",
    "Hello,\n\nWe need the carrier's proof of delivery for shipment {ship} before we can "
    "investigate further. Please reply with the document attached.\n\nRegards,\nSeller Support",
    "Hello,\n\nPlease confirm the order ID and the date the return was requested, so we can "
    "trace the return shipment.\n\nRegards,\nSeller Support",
]
_SUPPORT_ANSWERS = [
    "Hello,\n\nWe have reimbursed {n} units of {asin}. The reimbursement of £{amount} will "
    "appear in your next settlement.\n\nWe consider this case resolved.\n\n"
    "Regards,\nSeller Support",
    "Hello,\n\nThe listing for {asin} is active again. It can take up to 15 minutes for the "
    "change to show on the detail page.\n\nRegards,\nSeller Support",
    "Hello,\n\nWe reviewed the claim and decided in your favour; the claim has been closed and "
    "will not affect your Order Defect Rate.\n\nRegards,\nSeller Support",
    "Hello,\n\nThe fee has been corrected and £{amount} refunded to your account.\n\n"
    "Regards,\nSeller Support",
]
_SUPPORT_TRANSFERS = (
    "Hello,\n\nYour case has been transferred to the {team} team, who will contact you "
    "directly.\n\nRegards,\nSeller Support"
)

_MESSAGE_COLUMNS = ("case_id", "sent_at", "side", "author", "body")
BATCH = 20_000
_ASIN_CHARACTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
_SHORT_MONTHS = ["Sep", "Oct", "Nov"]
_CHOICES = {
    "fc": ["LTN4", "BHX4", "EMA1", "MAN1", "EDI4", "DTM2", "CDG7"],
    "brand": ["Northwind Home", "Tidewell", "Oak & Ember"],
    "month": ["September", "October", "November", "August"],
    "team": TEAMS,
}
T = TypeVar("T")


@dataclass
class DemoResult:
    cases: int
    messages: int


class _Maker:
    """Draws one case at a time from a seeded random generator.

    `between` and `pick` scale one random() each: several times cheaper than
    randint and choice, which is most of the time a million cases take."""

    def __init__(self, seed: int, now: datetime) -> None:
        self.rng = random.Random(seed)
        self._random = self.rng.random
        self.now = to_epoch(now)
        self.next_id = FIRST_ID

    def between(self, low: int, high: int) -> int:
        """A whole number from low to high, both included."""
        return low + int(self._random() * (high - low + 1))

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self._random() * len(items))]

    def values(self) -> _Details:
        return _Details(self)

    def detail(self, name: str) -> str:
        """One made-up detail a template names, e.g. an ASIN or a shipment."""
        between, pick = self.between, self.pick
        if name == "asin":
            return "B0" + "".join([pick(_ASIN_CHARACTERS) for _ in range(8)])
        if name == "n":
            return str(between(2, 60))
        if name == "ship":
            return f"FBA15{between(10**6, 10**7 - 1):07d}"
        if name == "order":
            return f"{between(200, 206)}-{between(10**6, 10**7 - 1)}-{between(10**6, 10**7 - 1)}"
        if name == "tm":
            return f"UK{between(10**7, 10**8 - 1)}"
        if name == "removal":
            return f"R{between(10**5, 10**6 - 1)}"
        if name == "amount":
            return f"{between(5, 900)}.{between(0, 99):02d}"
        if name == "day":
            return f"{between(1, 28)} {pick(_SHORT_MONTHS)}"
        return pick(_CHOICES[name])

    def case(self) -> tuple[tuple[object, ...], list[tuple[object, ...]]]:
        r = self.rng
        case_id = self.next_id
        self.next_id += self.between(1, 40)  # IDs are not consecutive in real logs
        v = self.values()
        recent = r.random() < 0.35
        age = self.between(0, 30 * 86400) if recent else self.between(30 * 86400, 730 * 86400)
        created = self.now - age
        email = self.pick(EMAILS)
        subject_text, opening_text, long_story_fits = self.pick(_TOPICS)
        subject = subject_text.format_map(v)
        cc = ", ".join(r.sample(CC_POOL, self.between(1, 3))) if r.random() < 0.2 else ""
        opening = opening_text.format_map(v)
        if long_story_fits and r.random() < 0.3:  # long enough for "See more"
            paragraphs = r.sample(_LONG_PARAGRAPHS, self.between(3, 5))
            opening += "\n\n" + "\n\n".join(p.format_map(v) for p in paragraphs)
        messages: list[tuple[object, ...]] = [(case_id, created, "seller", email, opening)]
        status, reopened, t = self._history(v, case_id, email, created, age, messages)
        answered_at = t if status == Status.ANSWERED.value else None
        row = (
            case_id,
            created,
            status,
            email,
            subject,
            fold(subject),
            cc,
            t,
            answered_at,
            reopened,
        )
        return row, messages

    def _history(
        self,
        v: _Details,
        case_id: int,
        email: str,
        created: int,
        age: int,
        messages: list[tuple[object, ...]],
    ) -> tuple[str, int, int]:
        r = self.rng
        t = created
        span = max(age, 3600)

        def later() -> int:
            nonlocal t
            t = min(self.now, t + self.between(600, max(601, span // 4)))
            return t

        roll = r.random()
        young = age < 7 * 86400
        if young and roll < 0.2:
            return Status.OPEN.value, 0, t
        working = self.pick(_SUPPORT_WORKING)
        messages.append((case_id, later(), "support", "Seller Support", working))
        reopened = 0
        if young and roll < 0.45:
            return Status.PENDING.value, 0, t
        if roll < (0.6 if young else 0.05):
            body = self.pick(_SUPPORT_ASKS).format_map(v)
            messages.append((case_id, later(), "support", "Seller Support", body))
            return Status.NEEDS_ATTENTION.value, 0, t
        if roll < (0.68 if young else 0.07):
            body = _SUPPORT_TRANSFERS.format_map(v)
            messages.append((case_id, later(), "support", "Seller Support", body))
            return Status.TRANSFERRED.value, 0, t
        body = self.pick(_SUPPORT_ANSWERS).format_map(v)
        messages.append((case_id, later(), "support", "Seller Support", body))
        if r.random() < 0.15:  # re-opened once, then worked on or answered again
            reopened = 1
            messages.append((case_id, later(), "seller", email, self.pick(_SELLER_FOLLOWUPS)))
            if young and r.random() < 0.5:
                return Status.PENDING.value, reopened, t
            body = self.pick(_SUPPORT_ANSWERS).format_map(v)
            messages.append((case_id, later(), "support", "Seller Support", body))
        return Status.ANSWERED.value, reopened, t


class _Details(dict[str, str]):
    """The details of one case, each drawn the first time a template uses it
    (str.format_map), so the case's texts agree and unused ones cost nothing."""

    def __init__(self, maker: _Maker) -> None:
        super().__init__()
        self.maker = maker

    def __missing__(self, name: str) -> str:
        value = self[name] = self.maker.detail(name)
        return value


def _batches(
    maker: _Maker, count: int
) -> Iterator[tuple[list[tuple[object, ...]], list[tuple[object, ...]]]]:
    made = 0
    while made < count:
        cases: list[tuple[object, ...]] = []
        messages: list[tuple[object, ...]] = []
        for _ in range(min(BATCH, count - made)):
            row, case_messages = maker.case()
            cases.append(row)
            messages.extend(case_messages)
        made += len(cases)
        yield cases, messages


def fill_demo(
    store: Store, count: int, seed: int, now: datetime, progress: Progress | None = None
) -> DemoResult:
    """Writes `count` demo cases into an empty store."""
    if count < 0:
        raise CaseLogError("The number of demo cases cannot be negative.")
    with store.reading() as conn:
        existing = cases_held(conn)
    if existing:
        raise CaseLogError(
            f"{store.path} already holds {existing:,} case{'s' if existing != 1 else ''}; "
            "demo data goes only into an "
            "empty case log. Choose another file with --db."
        )
    maker = _Maker(seed, now)
    done = 0
    messages = 0
    with store.loading() as conn:
        for cases, case_messages in _batches(maker, count):
            # Each batch is one transaction: an interrupted run leaves whole cases.
            with conn.begin():
                insert_cases(conn, cases, _MESSAGE_COLUMNS, case_messages, maker.next_id)
            done += len(cases)
            messages += len(case_messages)
            if progress:
                progress(done, count)
    return DemoResult(done, messages)
