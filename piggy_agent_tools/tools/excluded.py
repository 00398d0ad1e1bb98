"""Piggy operations deliberately not offered as agent tools, with the reason (listed in docs/tools.md)."""

from __future__ import annotations

EXCLUDED: dict[str, str] = {
    "POST /contacts/async, GET /contacts/find-or-create/async": "Faster variants of the same operation; "
    "the agent needs the full contact back.",
    "POST /contacts/batch": "Bulk import is a back-office job, not a conversation step.",
    "POST /contacts/merge": "Irreversible merge of two customers; done by staff in the dashboard.",
    "contact-verification, contact-session-tokens": "Login flows for the customer's own app; an agent must not "
    "handle login codes or session tokens.",
    "POST /units, POST /perks, PUT/DELETE /perks": "Program configuration, not customer service.",
    "POST /contact-attributes, custom-attributes writes": "Schema changes to the account; done by staff.",
    "POST /loyalty-tokens, POST /loyalty-tokens/claim": "Tokens are minted by registers/QR flows, not by chat.",
    "POST /vouchers/batch": "Bulk voucher generation for campaigns; not a support action.",
    "products and product-categories writes": "Catalogue management; done by the shop's own systems.",
    "POST /orders, /orders/{uuid}/process, PUT /orders": "Orders come from the till or webshop integration; "
    "an agent awarding credits uses award_credits.",
    "POST /visits/batch, PUT /visits": "Bulk import and corrections from booking systems.",
    "webhook-subscriptions writes": "Integration setup, not customer service (reads are offered to staff).",
    "GET /brand-kit": "Styling data; of no use in a conversation.",
    "POST /vouchers/{uuid}/lock, POST /vouchers/{uuid}/release": "A till holds a voucher while a checkout is open "
    "and releases it after; an agent has no checkout to hold it for, and a lock it forgot would block the "
    "customer's voucher at the register (redeem_voucher redeems in one step).",
    "PUT /contact-identifiers/{value}, DELETE /contact-identifiers/{value}": "Renaming or deleting a card record "
    "is card administration done in the dashboard; a customer's lost or replaced card is handled by "
    "unlink_contact_identifier and link_contact_identifier, which keep the card's history.",
}
