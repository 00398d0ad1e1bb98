"""Raw HTTP access to a sandbox for the conformance suite: send a request in any body encoding, and set up objects.

Setup goes through the sandbox's own API (never around it), so a missing endpoint shows up as a failure.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx

from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids

API = "/api/v3/oauth/clients"


class SetupError(AssertionError):
    """A setup call (creating what the checked request needs) did not succeed."""


@dataclass
class Request:
    """The request sent for one operation: path below the API prefix, query, body and its encoding."""

    path: str
    params: dict[str, Any] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    encoding: str = "json"


def flatten(body: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Form fields in PHP bracket syntax: ``{"attributes": {"firstname": "Jane"}}`` -> ``attributes[firstname]``."""
    fields: list[tuple[str, str]] = []
    for key, value in body.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        if isinstance(value, dict):
            fields.extend(flatten(value, name))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    fields.extend(flatten(item, f"{name}[{i}]"))
                else:
                    fields.append((f"{name}[{i}]", _text(item)))
        elif value is not None:
            fields.append((name, _text(value)))
    return fields


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


class Env:
    """A sandbox plus helpers to create what an operation needs (contacts, credits, vouchers...)."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.http = httpx.Client(
            base_url=sandbox.base_url + API,
            headers={"Authorization": f"Bearer {sandbox.api_key}", "Accept": "application/json"},
            timeout=30,
        )
        self.shop_uuid = ids.SHOP_AMSTERDAM

    def close(self) -> None:
        self.http.close()

    def send(self, method: str, request: Request) -> httpx.Response:
        """Send ``request`` with its body encoded as JSON, form-urlencoded (bracket syntax) or multipart."""
        kwargs: dict[str, Any] = {"params": request.params or None}
        if request.body is not None:
            if request.encoding == "json":
                kwargs["json"] = request.body
            elif request.encoding == "form":
                kwargs["content"] = urlencode(flatten(request.body)).encode()
                kwargs["headers"] = {"Content-Type": "application/x-www-form-urlencoded"}
            else:
                kwargs["files"] = [(name, (None, value)) for name, value in flatten(request.body)] or [
                    ("_", (None, ""))
                ]
        return self.http.request(method, request.path, **kwargs)

    def ok(self, method: str, path: str, body: dict[str, Any] | None = None, **params: Any) -> Any:
        """A setup call that must succeed; returns its ``data``."""
        response = self.send(method, Request(path, params=params, body=body))
        if not response.is_success:
            raise SetupError(f"setup {method} {path} -> HTTP {response.status_code}: {response.text[:300]}")
        return response.json()["data"]

    @staticmethod
    def unique(prefix: str) -> str:
        return f"{prefix}_{uuid.uuid4().hex[:10]}"

    def new_email(self) -> str:
        return f"conformance-{uuid.uuid4().hex[:12]}@example.com"

    def new_contact(self) -> dict[str, str]:
        """A dedicated contact for a write, so the shared demo data stays as seeded."""
        email = self.new_email()
        data = self.ok("POST", "/contacts", {"email": email})
        return {"uuid": str(data["uuid"]), "email": email}

    def identifier(self) -> str:
        """The value of a new contact identifier that is not linked to any contact."""
        value = self.unique("card")
        self.ok(
            "POST",
            "/contact-identifiers",
            {"contact_identifier_value": value, "contact_identifier_name": "Loyalty Card"},
        )
        return value

    def first(self, path: str, **params: Any) -> dict[str, Any]:
        """The first item of a list endpoint (a seeded object of that kind)."""
        items = self.ok("GET", path, **params)
        if not isinstance(items, list) or not items:
            raise SetupError(f"setup GET {path} returned no items to use")
        return dict(items[0])

    def credited_contact(self, credits: int = 1000) -> dict[str, str]:
        """A new contact with ``credits`` credits earned at the demo shop."""
        contact = self.new_contact()
        self.ok(
            "POST",
            "/credit-receptions",
            {"contact_uuid": contact["uuid"], "shop_uuid": self.shop_uuid, "credits": credits},
        )
        return contact

    def reward(self, reward_type: str | None = None) -> dict[str, Any]:
        """A seeded active reward (of ``reward_type`` when given: PHYSICAL or DIGITAL)."""
        for reward in self.ok("GET", "/rewards"):
            if reward_type is None or reward.get("reward_type") == reward_type:
                return dict(reward)
        raise SetupError(f"setup: no {reward_type or 'any'} reward seeded")

    def reward_reception(self, reward_type: str | None = None) -> dict[str, Any]:
        contact = self.credited_contact(10_000)
        reward = self.reward(reward_type)
        data = self.ok(
            "POST",
            "/reward-receptions",
            {"contact_uuid": contact["uuid"], "reward_uuid": reward["uuid"], "shop_uuid": self.shop_uuid},
        )
        return {"contact": contact, "reception": data}

    def promotion_uuid(self) -> str:
        return str(self.first("/promotions")["uuid"])

    def voucher(self) -> dict[str, Any]:
        """A new voucher of the first seeded promotion."""
        data = self.ok(
            "POST", "/vouchers", {"promotion_uuid": self.promotion_uuid(), "code": self.unique("CONF").upper()}
        )
        return dict(data)

    def giftcard(self) -> dict[str, Any]:
        program = self.first("/giftcard-programs")
        return dict(self.ok("POST", "/giftcards", {"giftcard_program_uuid": program["uuid"], "type": 1}))

    def giftcard_transaction(self) -> dict[str, Any]:
        card = self.giftcard()
        body = {"giftcard_uuid": card["uuid"], "amount_in_cents": 1000, "shop_uuid": self.shop_uuid}
        return dict(self.ok("POST", "/giftcard-transactions", body))

    def login_code(self, email: str) -> str:
        """The login code the sandbox stored for ``email`` (a real server would have emailed it)."""
        self.ok("POST", "/contact-verification/send", {"email": email})
        with self.sandbox.store.tx() as tx:
            codes = tx.find("contact_verification_code", email=email, used=False)
        if not codes:
            raise SetupError("setup: no login code stored")
        return str(codes[-1]["code"])
