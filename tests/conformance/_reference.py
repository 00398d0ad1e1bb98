"""Leat's recorded Postman collection (``leat-openapi.yaml``), parsed once per session into the operations we check.

An operation is one method + path under ``/oauth/clients`` (the sandbox serves it under ``/api/v3/oauth/clients``)
with a recorded 200/201 JSON example. Register and partner endpoints are out of scope.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

REFERENCE_DIR = Path(
    os.environ.get("PIGGY_API_REFERENCE", Path(__file__).resolve().parents[3] / "shared" / "piggy-api")
)
YAML_PATH = REFERENCE_DIR / "leat-openapi.yaml"
PREFIX = "/oauth/clients"
_METHODS = ("get", "post", "put", "delete", "patch")
_ENCODINGS = {
    "application/json": "json",
    "application/x-www-form-urlencoded": "form",
    "multipart/form-data": "multipart",
}
# The issue-2 areas (core loyalty, money and contacts), by the first path segment; everything else is issue-3.
ISSUE_2_AREAS = frozenset(
    {
        "contacts",
        "contact-identifiers",
        "credit-receptions",
        "loyalty-program",
        "tiers",
        "units",
        "shops",
        "rewards",
        "reward-receptions",
        "collectable-rewards",
        "loyalty-transactions",
        "promotions",
        "vouchers",
        "giftcards",
        "giftcard-programs",
        "giftcard-transactions",
        "prepaid-transactions",
        "automations",
    }
)


@dataclass(frozen=True)
class Operation:
    """One recorded operation: what was sent (as far as recorded) and the JSON that came back."""

    method: str
    yaml_path: str
    summary: str
    status: int
    example: Any
    request_body: dict[str, Any] | None
    request_encoding: str | None
    headers: dict[str, str]

    @property
    def key(self) -> str:
        """``"GET /contacts/{contact_uuid}"``: the id used in test names, the report and ``DEVIATIONS``."""
        return f"{self.method} {self.path}"

    @property
    def path(self) -> str:
        """The recorded path below the OAuth clients prefix (``/contacts/{contact_uuid}``)."""
        return self.yaml_path[len(PREFIX) :] or "/"

    @property
    def area(self) -> str:
        return self.path.strip("/").split("/")[0]

    @property
    def issue(self) -> str:
        return "issue-2" if self.area in ISSUE_2_AREAS else "issue-3"


def available() -> bool:
    return YAML_PATH.is_file()


@cache
def _document() -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with YAML_PATH.open(encoding="utf-8") as fh:
        doc: dict[str, Any] = yaml.load(fh, Loader=loader)
    return doc


@cache
def operations() -> tuple[Operation, ...]:
    """Every OAuth-clients operation with a recorded 200/201 JSON example, in the collection's order."""
    if not available():
        return ()
    found: list[Operation] = []
    for yaml_path, item in _document()["paths"].items():
        if not yaml_path.startswith(PREFIX):
            continue
        for method, op in item.items():
            if method not in _METHODS:
                continue
            recorded = _recorded_example(op)
            if recorded is None:
                continue
            status, example, headers = recorded
            body, encoding = _request_body(op)
            found.append(
                Operation(
                    method=method.upper(),
                    yaml_path=yaml_path,
                    summary=str(op.get("summary", "")),
                    status=status,
                    example=example,
                    request_body=body,
                    request_encoding=encoding,
                    headers=headers,
                )
            )
    return tuple(found)


def _recorded_example(op: dict[str, Any]) -> tuple[int, Any, dict[str, str]] | None:
    for code, response in (op.get("responses") or {}).items():
        if str(code) not in ("200", "201"):
            continue
        content = (response.get("content") or {}).get("application/json") or {}
        example = content.get("example")
        if example is None and content.get("examples"):
            example = next(iter(content["examples"].values())).get("value")
        if example is None:
            continue
        headers = {
            name: str((spec.get("schema") or {}).get("example", ""))
            for name, spec in (response.get("headers") or {}).items()
        }
        return int(code), example, headers
    return None


def _request_body(op: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    content = ((op.get("requestBody") or {}).get("content")) or {}
    for content_type, spec in content.items():
        schema = spec.get("schema") or {}
        example = schema.get("example")
        if not isinstance(example, dict):
            example = {name: prop.get("example") for name, prop in (schema.get("properties") or {}).items()}
        return dict(example), _ENCODINGS.get(content_type, "json")
    return None, None


# The recorded lists of the account's own attributes, whose names appear as plain keys on recorded objects:
# promotion attributes on a voucher's embedded promotion (promotions-vouchers.md §Promotion object), reward
# attributes on a reward (rewards.md §Reward object: "every Reward Attribute appears as a top-level key") and
# loyalty-transaction attributes on a credit reception (credit-receptions.md: "echoed as a top-level key").
_ATTRIBUTE_LISTS = (
    "GET /promotion-attributes",
    "GET /reward-attributes",
    "GET /loyalty-transaction-attributes/",
)
# Custom reward-attribute values that appear only on the recorded reward 20002 "Lekkerbekkie" (GET /rewards, POST
# /reward-receptions and its reverse, each as "" after the recorded attributes `eennaam`, `middle_name`...), and in
# no recorded attribute list: the account's reward attributes changed between recordings (the collectable-rewards
# recordings of the same reward carry `someName122323...` instead). They are account data, not API structure.
_RECORDED_REWARD_ONLY_KEYS = frozenset({"asdfjkl", "something"})


@cache
def account_attribute_names() -> frozenset[str]:
    """Names of the recording account's own attributes: the promotion, reward and loyalty-transaction attributes of
    its recorded attribute lists, plus the custom keys seen only on its recorded rewards."""
    names: set[str] = set(_RECORDED_REWARD_ONLY_KEYS)
    for op in operations():
        if op.key in _ATTRIBUTE_LISTS and isinstance(op.example.get("data"), list):
            names.update(str(item["name"]) for item in op.example["data"] if isinstance(item, dict) and "name" in item)
    return frozenset(names)
