"""Loyalty program, units, credit receptions, loyalty transactions and their attributes
(loyalty-program.md, credit-receptions.md, loyalty-transactions.md)."""

from __future__ import annotations

from typing import Any

from piggy_agent_tools.models._base import PiggyModel
from piggy_agent_tools.models.shops import Shop


class Unit(PiggyModel):
    """What credits are earned on (``purchase_amount``, ``visits``...); create answers add id, format, timestamps."""

    name: str
    label: str | None = None
    prefix: str | None = None
    is_default: bool = False
    id: int | None = None
    format: str | None = None


class ProgramUnit(PiggyModel):
    name: str | None = None
    label: str | None = None
    prefix: str | None = None


class LoyaltyProgram(PiggyModel):
    """The account's program: ``max_amount`` caps a balance, ``custom_credit_name`` is what credits are called."""

    id: int | None = None
    name: str = ""
    max_amount: int | None = None
    custom_credit_name: str | None = None
    unit: ProgramUnit | None = None


class TransactionContact(PiggyModel):
    """The contact as embedded in a transaction: the balance is the one right after that transaction."""

    uuid: str
    email: str | None = None
    credit_balance: dict[str, Any] | None = None


class CreditReception(PiggyModel):
    """Credits added (or, negative, removed); custom transaction attributes arrive as extra top-level keys."""

    uuid: str
    type: str = "credit_reception"
    credits: int = 0
    unit_value: float | None = None
    unit: Unit | None = None
    contact: TransactionContact | None = None
    shop: Shop | None = None
    contact_identifier: dict[str, Any] | None = None
    created_at: str | None = None


class CreditCalculation(PiggyModel):
    """What ``credit_receptions.calculate`` returns: the credits a value would earn."""

    credits: int = 0


class LoyaltyTransaction(PiggyModel):
    """One item of the loyalty transactions list: a ``credit_reception``, ``reward_reception`` or
    ``digital_reward_reception``; fields of the other kinds stay empty (and unknown ones are kept)."""

    uuid: str
    type: str
    credits: int = 0
    created_at: str | None = None
    contact: TransactionContact | None = None
    shop: Shop | None = None
    contact_identifier: dict[str, Any] | None = None
    unit_value: float | None = None
    unit: Unit | None = None
    title: str | None = None
    reward: dict[str, Any] | None = None
    digital_reward: dict[str, Any] | None = None
    digital_reward_code: dict[str, Any] | None = None
    expires_at: str | None = None
    has_been_collected: bool | None = None


class LoyaltyTransactionAttribute(PiggyModel):
    """A custom field on transactions; values are sent and echoed as top-level keys of credit receptions."""

    name: str
    label: str | None = None
    placeholder: str | None = None
    type: str | None = None
    field_type: str | None = None
    options: Any = None
    is_piggy_defined: bool = False
