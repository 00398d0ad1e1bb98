"""Every known difference between the sandbox and Leat's recorded examples, in one place, each with its reason.

An operation listed here that differs from its recording is reported as "deviation (documented)"; an unlisted
difference fails, and so does a listed operation that now matches (remove its entry).
"""

from __future__ import annotations

_CONTACT = (
    "the recording carries the deprecated `attributes` list and `credit_balance.id`; contacts.md §1 documents "
    "`attributes` (deprecated) and `credit_balance.id` on the List answer only, and the sandbox follows that"
)
_PERKS = (
    "PM's perk examples are copies of the tiers example; a perk is {uuid, label, name, data_type, options} "
    "(loyalty-program.md, Perks)"
)

DEVIATIONS: dict[str, str] = {
    "GET /contact-verification/auth-token/{contact_uuid}": (
        "PM shows `data` as a bare string; DOCS (more recent) give {auth_token}, which the sandbox follows "
        "(contacts.md §5.3)"
    ),
    "GET /contact-session-tokens/{contact_session_token}": (
        "PM shows `data` as a bare string; DOCS give {token, contact, status}, preferred (contacts.md §6.1)"
    ),
    "POST /contact-session-tokens/{contact_session_token}/use": (
        "PM's example ({uuid}) is copied from verify; DOCS answer as GET with status used (contacts.md §6.2)"
    ),
    "PUT /contacts/{anonymous_contact_uuid}/claim": _CONTACT,
    "GET /contacts/{contact_uuid}": _CONTACT,
    "PUT /contacts/{contact_uuid}": _CONTACT,
    "GET /contacts/find-one-by": _CONTACT,
    "GET /contacts/find-or-create": _CONTACT,
    "GET /contacts/{contact_uuid}/contact-identifiers": (
        "PM's example is a copy of the tier example; DOCS give a list of identifiers (contacts.md §2.13)"
    ),
    "POST /custom-attribute-groups": (
        "PM's example is a copy of the custom attribute example; a group is {entity, name, label, created_at} "
        "(custom-attributes.md, groups)"
    ),
    "GET /custom-attribute-groups": (
        "PM's example is a copy of the custom attributes list; groups are {entity, name, label, created_at} "
        "(custom-attributes.md, groups)"
    ),
    "POST /giftcards/daaa5611-f87f-3308-9f81-a270c8a57517/send-by-email": (
        "PM's example is the giftcard; DOCS answer {message, data: 'Email successfully sent'} "
        "(giftcards.md, Send by email)"
    ),
    "GET /prepaid-transactions": (
        "PM's example is a copy of the create answer (one object); the list's meta is unknown (README §6), the "
        "sandbox answers a list with meta format A (prepaid.md, List)"
    ),
    "POST /reward-receptions/{reward_reception_uuid}/reverse": (
        "PM's example is the reward_reception object (a copy of the create answer); the reference says reverse "
        "returns a Credit Reception (`type: credit_reception`, positive credits) refunding the credits spent, which "
        "the sandbox follows (reward-receptions.md, Reverse; credit-receptions.md, Credit Reception object)"
    ),
    "GET /rewards/{reward_uuid}": (
        "PM's example is a copy of the rewards list; the answer is one Reward object, as in the Get/Update "
        "examples (rewards.md, Reward object; Get reward)"
    ),
    "GET /referrals/settings": (
        "PM's example is a copy of the referrals list; the settings are one object (referrals.md, settings)"
    ),
    "GET /perks": _PERKS,
    "POST /perks": _PERKS,
    "PUT /perks/3154fe6a-104f-4b75-bc2a-2cf2b0e5f5f2": _PERKS,
    "GET /webhook-subscriptions": (
        "PM's example is one subscription (a copy of create); the list answer is a list (webhooks.md, List)"
    ),
}
