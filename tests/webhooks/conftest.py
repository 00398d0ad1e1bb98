"""Webhook fixtures: a real receiver on 127.0.0.1, fast sandbox retries, and subscriptions removed after each test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from _webhook_receiver import Receiver

from piggy_agent_tools import NotFoundError, PiggyClient
from piggy_agent_tools.models.webhooks import WebhookSubscription
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.delivery import DeliveryEngine


@pytest.fixture(scope="session")
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    r.start()
    yield r
    r.stop()


@pytest.fixture
def engine(sandbox: Sandbox) -> Iterator[DeliveryEngine]:
    """The shared sandbox's delivery engine with retries 20 ms apart (restored afterwards)."""
    eng: DeliveryEngine = sandbox.app.state.webhooks
    before = eng.base_delay
    eng.base_delay = 0.02
    yield eng
    eng.base_delay = before


@pytest.fixture
def subscribe(client: PiggyClient, engine: DeliveryEngine) -> Iterator[Callable[..., WebhookSubscription]]:
    """Create a subscription (receiver secret by default) that is deleted when the test ends."""
    made: list[str] = []

    def make(url: str, event_type: str, **kwargs: Any) -> WebhookSubscription:
        kwargs.setdefault("secret", "whsec-test-receiver")
        sub = client.webhook_subscriptions.create(name=f"test {event_type}", url=url, event_type=event_type, **kwargs)
        made.append(sub.uuid)
        return sub

    yield make
    for uuid in made:
        try:
            client.webhook_subscriptions.delete(uuid)
        except NotFoundError:
            pass
    engine.wait_idle(5)
