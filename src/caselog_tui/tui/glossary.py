"""The Case Log glossary, in the seller's words (from the original help page
and docs/PRODUCT.md), shown on the help screen."""

from __future__ import annotations

GLOSSARY: list[tuple[str, str]] = [
    (
        "Case Creation",
        "The date your case was opened: usually the day you sent your first message "
        "about an issue through the Contact Us form.",
    ),
    (
        "Case ID",
        "The reference number Seller Support assigned to the case (10 or 11 digits). "
        "Quote it when you contact them about that issue. Press y to copy it.",
    ),
    (
        "Case Status",
        "Where the case stands with Seller Support. Open: submitted, not yet picked up. "
        "Pending Amazon Action: Seller Support is working on it. "
        "Needs Your Attention: Seller Support is waiting for something from you. "
        "Answered: Seller Support replied and considers it done. "
        "Transferred: moved to a specialist team, named in the history. "
        "A narrow table says Pending Amazon for Pending Amazon Action and Needs you "
        "for Needs Your Attention; ↻2 after a status means the case was re-opened twice.",
    ),
    (
        "Primary E-mail",
        "The address typed in the Contact Us form; by default the e-mail of the person "
        "who opened the case. Several people of one account can share a case log.",
    ),
    (
        "Short Description",
        "The subject you wrote in your first message. You can edit it later (e), or "
        "while replying. Search matches keywords against it, never the messages.",
    ),
    (
        "Cc list",
        "Addresses that also receive the updates, separated by commas: at most 300 "
        "characters including commas and spaces. Add to it from the Reply form.",
    ),
    (
        "Re-open window",
        "An answered case can be re-opened (o) for 5 days after its last activity, "
        "with a message. After that, submit a new case (n) instead.",
    ),
    (
        "Open and recently answered",
        "The default view: every case still active, plus every case created or "
        "answered in the past 30 days.",
    ),
    (
        "Expired cases",
        "Cases outside the default view. Filters (f) and search (/) reach them, and "
        "so does the export of a filtered or searched view.",
    ),
    (
        "Needing attention",
        "Cases in Needs Your Attention: Seller Support is waiting for you. Press a to "
        "show only those; their count is always in the status line.",
    ),
    (
        "Export report",
        "A CSV of exactly the cases the view displays, all pages, in its order: "
        "summary columns only, no message text and no Cc.",
    ),
]
