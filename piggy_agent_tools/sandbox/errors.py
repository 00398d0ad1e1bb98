"""Piggy's error body ``{message, code, status_code[, errors]}`` with the API's literal messages.

Messages and codes are byte-exact from ../shared/piggy-api/README.md §7. Piggy errors use HTTP 400 (GUIDE);
401, 404, 405 and 429 bodies are not documented and are inferred to use the same shape (README §7, §13.1).
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[int, str] = {
    1000: "Interne fout. | Internal error.",
    1003: "Invalid input.",
    1008: "Shop not found.",
    1010: "Kaart is niet geactiveerd. | Card is not activated.",
    1013: "Card not registered.",
    1015: "Maximum amount of credits reached.",
    1017: "Onvoldoende punten | Insufficient credits.",
    1018: "The stock on this reward is empty.",
    1019: "You have reached your claim limit on this reward.",
    1027: "POS Transaction not found.",
    1028: "Credit reception not found.",
    1048: "This card was not found",
    1052: "Reward is inactive.",
    1053: "Account secret is invalid",
    1100: "Giftcard Program not found.",
    1102: "Shop not linked to a Loyalty Program.",
    1103: "Loyalty Program not found.",
    1114: "Only non re-incrementable giftcards can be used in the OAuthRoutes Clients API.",
    3000: "The token is expired",
    5001: "Giftcard not found.",
    5002: "Het bedrag op de kaart is verlopen. | This giftcard has expired.",
    5003: "Het bedrag op de kaart is niet toereikend. | Insufficient amount on giftcard.",
    5006: "Deze giftcard kan niet opgewaardeerd worden. | This giftcard cannot be incremented.",
    5007: "Deze giftcard is niet gekoppeld aan een programma. | Giftcard not linked to Giftcard Program.",
    5008: "Maximale limiet op kaart bereikt. | Max amount will be exceeded.",
    5010: "Giftcard transaction not found.",
    6001: "The POS transaction is already linked to a credit reception.",
    6003: "Reward not found.",
    7002: "Account inactive.",
    7010: "That giftcard is not valid.",
    7011: "User has no access to this account.",
    7015: "Shop does not have access to Giftcard Program.",
    13010: "Passcode not found.",
    55004: "Marketing program not found.",
    55005: "Marketing program customer already exists.",
    55007: "Loyalty card not found.",
    55012: "Member not found.",
    55016: "The card is already linked to a member.",
    55017: "Member already exists.",
    55018: "Loyalty Program not active.",
    55020: "Marketing recipient not found.",
    55021: "Only Digital giftcards can by created using the public API.",
    55024: "This credit reception was not created by this shop.",
    55025: "This is not the giftcards last transaction.",
    55030: "Subscription type not found.",
    55031: "Contact not found.",
    55032: "User app not found.",
    55045: "Unit already exists.",
    55046: "No default unit found.",
    60000: "Usage limit reached.",
    60001: "Credit reception creating in progress.",
    60003: "Contact identifier not found.",
    60004: "Contact identifier inactive.",
    60005: "Contact already exists.",
    60006: "Contact identifier already exists.",
    60007: "Unit not found.",
    60009: "Attribute already exists.",
    60011: "Contact identifier is not linked to a contact.",
    60013: "Model not found.",
    60014: "Contact identifier is already linked.",
    60016: "Contact not anonymous.",
    60018: "Please submit credits when using v1",
    60019: "Please submit units when using v2",
    80002: "Promotion not found.",
    80003: "Voucher already exists.",
    80004: "Voucher not found.",
    80005: "Voucher code as already been redeemed.",
    80006: "Voucher has expired.",
    80008: "Voucher limit reached.",
    80012: "Voucher is deactivated.",
    80014: "Voucher is inactive.",
    80017: "Voucher is already locked.",
    80019: "Voucher doesn't have enough redemptions left.",
    80020: "Promotion is inactive.",
    80300: "Webhook subscription not found.",
    110000: "Perk not found.",
}


class SandboxError(Exception):
    """Raised inside a route; the app turns it into Piggy's error body."""

    def __init__(
        self,
        code: int,
        message: str | None = None,
        *,
        status: int = 400,
        errors: dict[str, Any] | None = None,
    ) -> None:
        self.code = code
        self.message = message if message is not None else MESSAGES.get(code, MESSAGES[1000])
        self.status = status
        self.errors = errors
        super().__init__(self.message)

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"message": self.message, "code": self.code, "status_code": self.status}
        if self.errors:
            out["errors"] = self.errors
        return out


def fail(
    code: int, message: str | None = None, *, status: int = 400, errors: dict[str, Any] | None = None
) -> SandboxError:
    """Build the error to ``raise`` for a Piggy code: ``raise fail(55031)``."""
    return SandboxError(code, message, status=status, errors=errors)


def invalid(errors: dict[str, list[str]]) -> SandboxError:
    """1003 Invalid input, with per-field messages (the ``errors`` shape the PHP SDK reads)."""
    return SandboxError(1003, errors=errors)
