"""The approval policy: for one concrete call and one principal, does it run, need a person's decision, or get refused.

One object, ``ApprovalPolicy``, holds every rule. ``PiggyToolkit.decide`` / ``needs_decision`` / ``interrupt_on``,
the approval and tools nodes, ``piggy_middleware``, the MCP server (hints and confirmation) and the generated
``docs/tools.md`` / ``docs/policy.md`` all ask it; nothing else keeps a copy of the rules.

A principal is staff (the whole account) or one customer (a toolkit scoped with ``contact_uuid``). Each tool has an
``Effect`` (what a call does to the world, from the table below); the verdict follows from the effect, the
principal, the call's arguments (an amount, a URL) and the operator's settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from piggy_agent_tools.tools._spec import ToolSpec


class Verdict(StrEnum):
    """What happens to a call: it runs, it waits for a person's decision, or it is refused outright."""

    RUN = "run"
    DECIDE = "decide"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Decision:
    """The policy's answer for one call, with the reason a person (or the model) is shown."""

    verdict: Verdict
    reason: str

    @property
    def needs_decision(self) -> bool:
        return self.verdict is Verdict.DECIDE


class Effect(StrEnum):
    """What one call does, as far as approval is concerned.

    ``read`` changes nothing; ``add`` only adds (MCP: additive); ``overwrite`` replaces existing state; ``value``
    creates value for a customer (credits, money, vouchers, cards, automations); ``spend`` spends, deducts or
    reverses value; ``erase`` deletes; ``merge`` merges two customers irreversibly; ``egress`` sends data outside
    Piggy; ``credential`` mints a login link or session for a customer.
    """

    READ = "read"
    ADD = "add"
    OVERWRITE = "overwrite"
    VALUE = "value"
    SPEND = "spend"
    ERASE = "erase"
    MERGE = "merge"
    EGRESS = "egress"
    CREDENTIAL = "credential"


# Effects that are not additive: MCP ``destructiveHint: true``.
NON_ADDITIVE = frozenset({Effect.OVERWRITE, Effect.SPEND, Effect.ERASE, Effect.MERGE})

# The one table of what each tool does. Money tools whose effect depends on the sign of the amount are in SIGNED.
EFFECTS: dict[str, Effect] = {
    # contacts and profile
    "update_contact": Effect.OVERWRITE,
    "delete_contact": Effect.ERASE,
    "subscribe_contact": Effect.ADD,
    "unsubscribe_contact": Effect.OVERWRITE,
    "claim_anonymous_contact": Effect.MERGE,
    "get_contacts_portal_url": Effect.CREDENTIAL,
    "create_portal_session": Effect.CREDENTIAL,
    "create_contact": Effect.ADD,
    "find_or_create_contact": Effect.ADD,
    "create_anonymous_contact": Effect.ADD,
    # identifiers
    "create_contact_identifier": Effect.ADD,
    "link_contact_identifier": Effect.ADD,
    "unlink_contact_identifier": Effect.ERASE,
    # loyalty and rewards
    "award_credits": Effect.VALUE,
    "reverse_credit_reception": Effect.SPEND,
    "claim_reward": Effect.SPEND,
    "reverse_reward_reception": Effect.SPEND,
    # vouchers
    "create_voucher": Effect.VALUE,
    "update_voucher": Effect.OVERWRITE,
    "redeem_voucher": Effect.SPEND,
    "reverse_voucher_redemption": Effect.SPEND,
    # gift cards and prepaid
    "create_giftcard": Effect.VALUE,
    "reverse_giftcard_transaction": Effect.SPEND,
    "reverse_prepaid_transaction": Effect.SPEND,
    # automations, orders, visits
    "trigger_automation": Effect.VALUE,
    "create_order_return": Effect.SPEND,
    "create_booking": Effect.ADD,
    "create_visit": Effect.VALUE,  # a visit can earn credits through the program's automations
    # webhooks
    "create_webhook_subscription": Effect.EGRESS,
    "delete_webhook_subscription": Effect.ERASE,
}
# Reversals that give a customer back what they spent (credits for a reward, a voucher's use, a payment's money):
# for staff they are spends (a decision), but in self-service they would let a customer mint value for themselves
# (pay, consume, then reverse), so for a customer they count as value creation.
REFUNDS: frozenset[str] = frozenset(
    {
        "reverse_reward_reception",
        "reverse_voucher_redemption",
        "reverse_prepaid_transaction",
        "reverse_giftcard_transaction",
    }
)
# A positive amount adds value; zero or negative spends it.
SIGNED: frozenset[str] = frozenset({"create_prepaid_transaction", "create_giftcard_transaction"})
# Result fields that are secrets (a printed gift-card code works as cash at the till).
SECRET_FIELDS: frozenset[str] = frozenset({"hash"})
SECRET_TOOLS: frozenset[str] = frozenset({"list_giftcards", "get_giftcard", "find_giftcard", "create_giftcard"})

SCOPED_NOT_FOUND = "Not found for this customer."  # one text for "not yours" and "does not exist"


@dataclass(frozen=True)
class Principal:
    """Who the agent acts for: staff (``contact_uuid=None``) or one customer, in self-service."""

    contact_uuid: str | None = None

    @property
    def kind(self) -> Literal["staff", "customer"]:
        return "staff" if self.contact_uuid is None else "customer"

    @property
    def label(self) -> str:
        """How a console or UI names this role."""
        return "staff console" if self.contact_uuid is None else "customer self-service"


STAFF = Principal()


def static_effect(spec: ToolSpec) -> Effect:
    """The tool's effect from the table; a tool missing from it falls back to its declared risk (worst case)."""
    if spec.name in EFFECTS:
        return EFFECTS[spec.name]
    if spec.name in SIGNED:
        return Effect.VALUE
    return {"read": Effect.READ, "write": Effect.ADD}.get(spec.risk.value, Effect.SPEND)


def effects_of(spec: ToolSpec) -> frozenset[Effect]:
    """Every effect a call of this tool can have (two for a signed money tool)."""
    if spec.name in SIGNED:
        return frozenset({Effect.VALUE, Effect.SPEND})
    return frozenset({static_effect(spec)})


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("a boolean is not an amount")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value.strip())
    raise ValueError(f"not an integer amount: {value!r}")


@dataclass(frozen=True)
class ApprovalPolicy:
    """Every approval rule, with the defaults below; construct your own to tighten or loosen it.

    ``max_credits`` / ``max_cents``: value staff may create in one call without a decision (credits awarded;
    prepaid and gift-card top-ups in cents; a purchase amount given as ``unit_value`` counts in cents too).
    ``webhook_hosts``: when set, webhook URLs must point at one of these hosts (or a subdomain); others are refused.
    ``customer_value``: a customer-scoped toolkit ``leave_out`` (default) tools that only create value for the
    customer and refuses such calls of mixed tools (a prepaid top-up), or asks a staff ``decide`` on them.
    ``reveal_codes``: read-only toolkits mask printed gift-card codes to the last 4 characters unless True.
    ``always_decide`` / ``never_decide``: tool names whose staff calls always / never need a decision (a customer's
    value creation is never loosened by ``never_decide``; refusals stay refusals).
    """

    max_credits: int = 500
    max_cents: int = 5_000
    webhook_hosts: frozenset[str] | None = None
    customer_value: Literal["leave_out", "decide"] = "leave_out"
    reveal_codes: bool = False
    always_decide: frozenset[str] = field(default_factory=frozenset)
    never_decide: frozenset[str] = field(default_factory=frozenset)

    # --- which tools a toolkit offers -----------------------------------------------------------------------------

    def offers(self, spec: ToolSpec, principal: Principal, *, read_only: bool = False) -> bool:
        """Whether a toolkit for this principal includes the tool at all (before any call)."""
        effects = effects_of(spec)
        if read_only and (spec.max_risk.value != "read" or Effect.CREDENTIAL in effects):
            return False  # read-only: nothing changes and no credential is minted
        if principal.kind == "customer" and self.customer_value == "leave_out":
            if effects == {Effect.VALUE} or spec.name in REFUNDS:
                return False
        return True

    # --- one concrete call ----------------------------------------------------------------------------------------

    def effect_of(self, spec: ToolSpec, args: Mapping[str, Any]) -> Effect:
        """The effect of one concrete call (a signed money tool by the sign of its amount)."""
        if spec.name in SIGNED:
            return Effect.VALUE if _int(args["amount_in_cents"]) > 0 else Effect.SPEND
        return static_effect(spec)

    def decide(self, spec: ToolSpec | None, args: Mapping[str, Any], principal: Principal) -> Decision:
        """Run, decide or refuse one call ``spec(args)`` made for ``principal``, with the reason."""
        if spec is None:
            return Decision(Verdict.REFUSE, "there is no such tool for this agent")
        try:
            effect = self.effect_of(spec, args)
        except (KeyError, TypeError, ValueError):
            return Decision(Verdict.DECIDE, "the amount could not be read, so a person must check this call")
        if principal.kind == "customer" and spec.name in REFUNDS:
            effect = Effect.VALUE  # a reversal of the customer's own spend gives them value back
        decision = self._by_effect(spec, effect, args, principal)
        if decision.verdict is Verdict.REFUSE:
            return decision
        customer_value = principal.kind == "customer" and effect is Effect.VALUE
        if spec.name in self.always_decide and decision.verdict is Verdict.RUN:
            return Decision(Verdict.DECIDE, "the operator requires a person's decision for this tool")
        if spec.name in self.never_decide and decision.verdict is Verdict.DECIDE and not customer_value:
            return Decision(Verdict.RUN, "the operator lets this tool run without a decision")
        return decision

    def _by_effect(self, spec: ToolSpec, effect: Effect, args: Mapping[str, Any], principal: Principal) -> Decision:
        customer = principal.kind == "customer"
        if effect in (Effect.READ, Effect.ADD, Effect.OVERWRITE):
            if customer and spec.name == "link_contact_identifier":
                return Decision(Verdict.DECIDE, "linking an existing card can move its balance; staff must decide")
            return Decision(Verdict.RUN, f"{effect.value}: runs without a decision")
        if effect is Effect.VALUE:
            if customer:
                if self.customer_value == "leave_out":
                    return Decision(Verdict.REFUSE, "customers cannot add value to their own account here; staff can")
                return Decision(Verdict.DECIDE, "this adds value to the customer's own account; staff must decide")
            return self._staff_value(spec, args)
        if effect is Effect.EGRESS:
            host = (urlsplit(str(args.get("url") or "")).hostname or "").lower()
            if self.webhook_hosts is not None and not any(
                host == h or host.endswith("." + h) for h in self.webhook_hosts
            ):
                allowed = ", ".join(sorted(self.webhook_hosts)) or "none"
                return Decision(
                    Verdict.REFUSE, f"webhook host {host or '(none)'!r} is not allowed (allowed: {allowed})"
                )
            return Decision(Verdict.DECIDE, "this sends customer data outside Piggy; a person must decide")
        if effect is Effect.CREDENTIAL:
            return Decision(Verdict.DECIDE, "this mints a login link or session for a customer; a person must decide")
        if effect is Effect.MERGE:
            return Decision(Verdict.DECIDE, "this merges two customers and cannot be undone; a person must decide")
        if effect is Effect.ERASE:
            return Decision(Verdict.DECIDE, "this deletes data and cannot be undone; a person must decide")
        return Decision(Verdict.DECIDE, "this spends, deducts or reverses value; a person must decide")

    def _staff_value(self, spec: ToolSpec, args: Mapping[str, Any]) -> Decision:
        try:
            if args.get("credits") is not None:
                credits = _int(args["credits"])
                if credits > self.max_credits:
                    return Decision(Verdict.DECIDE, f"adds {credits} credits, above the {self.max_credits} limit")
            elif args.get("unit_value") is not None:
                cents = round(float(args["unit_value"]) * 100)
                if cents > self.max_cents:
                    return Decision(Verdict.DECIDE, f"a purchase of {cents} cents is above the {self.max_cents} limit")
            elif args.get("amount_in_cents") is not None:
                cents = _int(args["amount_in_cents"])
                if cents > self.max_cents:
                    return Decision(Verdict.DECIDE, f"adds {cents} cents, above the {self.max_cents} cents limit")
        except (TypeError, ValueError, OverflowError):
            return Decision(Verdict.DECIDE, "the amount could not be read, so a person must check this call")
        return Decision(Verdict.RUN, "value within the staff limits")

    # --- static views, for interrupt_on, MCP hints and the docs ----------------------------------------------------

    def verdicts(self, spec: ToolSpec, principal: Principal) -> frozenset[Verdict]:
        """Every verdict a call of this tool can get for this principal (for ``interrupt_on`` and the docs)."""
        if not self.offers(spec, principal):
            return frozenset()
        samples: list[dict[str, Any]] = [{}]
        if spec.name in SIGNED:
            samples = [{"amount_in_cents": 1}, {"amount_in_cents": self.max_cents + 1}, {"amount_in_cents": -1}]
        elif spec.name == "award_credits":
            samples = [{"credits": 1}, {"credits": self.max_credits + 1}]
        elif spec.name == "create_webhook_subscription":
            samples = [
                {"url": "https://example.invalid/hook"},
                *[{"url": f"https://{h}/"} for h in self.webhook_hosts or ()],
            ]
        return frozenset(self.decide(spec, s, principal).verdict for s in samples)

    def mcp_hints(self, spec: ToolSpec) -> dict[str, Any]:
        """MCP tool annotations: ``destructiveHint`` is true for any non-additive update (MCP's definition)."""
        read = spec.max_risk.value == "read"
        return {
            "title": spec.title,
            "readOnlyHint": read,
            "destructiveHint": not read and bool(effects_of(spec) & NON_ADDITIVE),
            "idempotentHint": spec.idempotent,
            "openWorldHint": True,
        }

    # --- what a result may show -----------------------------------------------------------------------------------

    def masks_codes(self, spec: ToolSpec, *, read_only: bool) -> bool:
        """Whether printed gift-card codes in this tool's results are masked."""
        return read_only and not self.reveal_codes and spec.name in SECRET_TOOLS


def mask_code(code: Any) -> Any:
    """A printed code shown by its last 4 characters only: ``••••1234``."""
    if not isinstance(code, str) or not code:
        return code
    return "••••" + code[-4:] if len(code) > 4 else "••••"


def mask_secrets(value: Any) -> Any:
    """A copy of a result (dicts and lists) with every secret field masked."""
    if isinstance(value, dict):
        return {k: mask_code(v) if k in SECRET_FIELDS else mask_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_secrets(v) for v in value]
    return value


DEFAULT_POLICY = ApprovalPolicy()
