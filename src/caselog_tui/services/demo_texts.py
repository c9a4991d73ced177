"""What the demo's cases say: the seller's addresses, Seller Support's
teams, and the texts a case is made from, as data. `services.demo` picks
from them with a seeded random generator."""

from __future__ import annotations

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
TOPICS: list[tuple[str, str, bool]] = [
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

LONG_PARAGRAPHS = [
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

SELLER_FOLLOWUPS = [
    "Thank you. We have uploaded the documents you asked for.",
    "Hello again — is there any update on this case? It has been several days.",
    "Please find the invoice attached (PDF, 2 pages).",
    "The problem has come back since yesterday; please take another look.",
    "Following up: the reimbursement has still not appeared in our Payments report.",
]

SUPPORT_WORKING = [
    "Hello,\n\nThank you for contacting Seller Support. We are looking into this and will get "
    "back to you within 48 hours.\n\nRegards,\nSeller Support",
    "Hello,\n\nWe have passed your request to the fulfilment centre for investigation. This can "
    "take up to 5 business days.\n\nBest regards,\nSeller Support",
]
SUPPORT_ASKS = [
    "Hello,\n\nTo continue, please send a copy of the supplier invoice for {asin} dated within "
    "the last 365 days, showing your business name and address.\n\nRegards,\nSeller Support",
    "Hello,\n\nWe need the carrier's proof of delivery for shipment {ship} before we can "
    "investigate further. Please reply with the document attached.\n\nRegards,\nSeller Support",
    "Hello,\n\nPlease confirm the order ID and the date the return was requested, so we can "
    "trace the return shipment.\n\nRegards,\nSeller Support",
]
SUPPORT_ANSWERS = [
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
SUPPORT_TRANSFERS = (
    "Hello,\n\nYour case has been transferred to the {team} team, who will contact you "
    "directly.\n\nRegards,\nSeller Support"
)

ASIN_CHARACTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
SHORT_MONTHS = ["Sep", "Oct", "Nov"]
CHOICES = {
    "fc": ["LTN4", "BHX4", "EMA1", "MAN1", "EDI4", "DTM2", "CDG7"],
    "brand": ["Northwind Home", "Tidewell", "Oak & Ember"],
    "month": ["September", "October", "November", "August"],
    "team": TEAMS,
}
