"""Errors, headers and body encodings answer as Piggy's do: one error shape everywhere, the recorded headers,
and the same result for a JSON, form-urlencoded (bracket syntax) or multipart body.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import ids
from tests.conformance._env import API, Env, Request


@pytest.fixture
def env(sandbox: Sandbox) -> Any:
    environment = Env(sandbox)
    yield environment
    environment.close()


def _error_shape(response: httpx.Response, status: int) -> dict[str, Any]:
    """Piggy's error body: message (str), code (int), status_code equal to the HTTP status (README §7)."""
    body = response.json()
    assert response.status_code == status
    assert {"message", "code", "status_code"} <= set(body)
    assert set(body) <= {"message", "code", "status_code", "errors"}
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["code"], int)
    assert body["status_code"] == status
    return dict(body)


def test_unknown_contact_answers_55031_contact_not_found_byte_exact(env: Env) -> None:
    response = env.send("GET", Request(f"/contacts/{uuid.uuid4()}"))
    assert response.status_code == 400
    assert response.json() == {"message": "Contact not found.", "code": 55031, "status_code": 400}


def test_invalid_input_answers_1003_with_field_errors(env: Env) -> None:
    response = env.send("POST", Request("/contacts", body={"email": "not-an-email"}))
    body = _error_shape(response, 400)
    assert body["code"] == 1003 and body["message"] == "Invalid input."
    assert isinstance(body["errors"], dict) and "email" in body["errors"]
    assert all(isinstance(m, str) for m in body["errors"]["email"])


@pytest.mark.parametrize(
    "authorization", [None, "Bearer wrong-key", "Basic abc"], ids=["none", "wrong-key", "not-bearer"]
)
def test_missing_or_wrong_credentials_answer_401_in_the_error_shape(
    sandbox: Sandbox, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = httpx.get(f"{sandbox.base_url}{API}/contacts/{ids.JANE}", headers=headers)
    _error_shape(response, 401)


def test_unknown_path_answers_404_in_the_error_shape(env: Env) -> None:
    _error_shape(env.send("GET", Request("/no-such-area/123")), 404)


def test_every_answer_carries_the_recorded_headers(env: Env) -> None:
    first = env.send("GET", Request(f"/contacts/{ids.JANE}"))
    second = env.send("GET", Request(f"/contacts/{uuid.uuid4()}"))  # an error answer carries them too
    for response in (first, second):
        assert response.headers["Cache-Control"] == "no-cache, private"
        assert response.headers["Content-Type"].startswith("application/json")
        assert int(response.headers["X-RateLimit-Limit"]) > 0
        assert int(response.headers["X-RateLimit-Remaining"]) >= 0
    assert int(second.headers["X-RateLimit-Remaining"]) < int(first.headers["X-RateLimit-Remaining"])


@pytest.mark.parametrize("encoding", ["json", "form", "multipart"])
def test_create_contact_works_in_every_body_encoding(env: Env, encoding: str) -> None:
    email = env.new_email()
    response = env.send("POST", Request("/contacts", body={"email": email}, encoding=encoding))
    assert response.status_code == 200
    created = response.json()["data"]["uuid"]
    found = env.ok("GET", "/contacts/find-one-by", email=email)
    assert found["uuid"] == created


def test_update_contact_gives_the_same_result_in_json_form_and_multipart(env: Env) -> None:
    """The SDK form-encodes ``attributes[firstname]=Jane``; DOCS send JSON; PM also multipart (README §4)."""
    answers = {}
    for encoding in ("json", "form", "multipart"):
        contact = env.new_contact()
        body = {"attributes": {"firstname": "Jane", "lastname": "de Vries"}}
        response = env.send("PUT", Request(f"/contacts/{contact['uuid']}", body=body, encoding=encoding))
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        stored = env.ok("GET", f"/contacts/{contact['uuid']}")
        assert stored["current_values"]["firstname"] == "Jane"
        assert stored["current_values"]["lastname"] == "de Vries"
        answers[encoding] = (sorted(data), data["current_values"]["firstname"], data["current_values"]["lastname"])
    assert answers["json"] == answers["form"] == answers["multipart"]
