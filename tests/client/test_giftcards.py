"""Gift-card programs, cards and transactions through the real client (sync and async) against the sandbox.

Contract tests: paths, shapes and meta formats as recorded; the money rules live in tests/sandbox/test_money_rules.py.
"""

from __future__ import annotations

import pytest

from piggy_agent_tools import AsyncPiggyClient, NotFoundError, PiggyClient
from piggy_agent_tools.errors import ConflictError, InvalidRequestError
from piggy_agent_tools.models.giftcards import Giftcard
from piggy_agent_tools.sandbox import Sandbox
from piggy_agent_tools.sandbox.seed import giftcards as seeded
from piggy_agent_tools.sandbox.seed import ids


def _funded(client: PiggyClient, cents: int) -> Giftcard:
    """A new digital card of the demo program, topped up once with ``cents``."""
    card = client.giftcards.create(seeded.PROGRAM)
    client.giftcard_transactions.create(giftcard_uuid=card.uuid, amount_in_cents=cents, shop_uuid=ids.SHOP_WEB)
    return client.giftcards.get(card.uuid)


def test_programs_list_names_the_maximum_card_balance(client: PiggyClient) -> None:
    programs = {p.uuid: p for p in client.giftcard_programs.list()}
    demo = programs[seeded.PROGRAM]
    assert demo.max_amount_in_cents == seeded.PROGRAM_MAX_IN_CENTS
    assert demo.card_count is not None and demo.card_count >= 6
    assert programs[seeded.CORPORATE_PROGRAM].max_amount_in_cents is None


def test_find_by_hash_returns_the_balance_as_amount_in_cents(client: PiggyClient) -> None:
    card = client.giftcards.find_by_hash(seeded.SPENT_HASH)
    assert card.uuid == seeded.SPENT
    assert card.amount_in_cents == 3750 and card.amount == 37.5 and card.display_amount == "€37.50"
    assert card.giftcard_program is not None and card.giftcard_program.uuid == seeded.PROGRAM
    assert "balance" not in card.model_dump()  # the field integrations wrongly read does not exist


def test_unknown_hash_and_uuid_are_not_found_with_5001(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as by_hash:
        client.giftcards.find_by_hash("NO-SUCH-CARD")
    with pytest.raises(NotFoundError) as by_uuid:
        client.giftcards.get(ids.fixed("giftcard", "nothing"))
    assert by_hash.value.code == by_uuid.value.code == 5001


def test_list_pages_follow_meta_format_c_and_filter_by_program(client: PiggyClient, sandbox: Sandbox) -> None:
    raw = sandbox.http().get("/api/v3/oauth/clients/giftcards", params={"limit": 2}).json()
    assert set(raw["meta"]) == {"page", "per_page", "last_page", "total"} and raw["meta"]["per_page"] == 2
    first = client.giftcards.list(giftcard_program_uuid=seeded.CORPORATE_PROGRAM, limit=5)
    assert [c.hash for c in first.items] == [seeded.CORPORATE_HASH]
    assert first.total == 1 and first.per_page == 5 and first.last_page == 1
    page = client.giftcards.list(limit=2, page=2)
    assert page.page == 2 and page.per_page == 2 and len(page.items) == 2
    assert page.last_page == -(-(page.total or 0) // 2)


def test_listing_cards_of_an_unknown_program_fails_with_1100(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.giftcards.list(giftcard_program_uuid=ids.fixed("giftcard_program", "nope"))
    assert caught.value.code == 1100


def test_created_card_is_digital_at_zero_and_can_be_fetched(client: PiggyClient, sandbox: Sandbox) -> None:
    card = client.giftcards.create(seeded.PROGRAM)
    assert card.type == "DIGITAL" and card.amount_in_cents == 0 and card.upgradeable is True
    assert card.expiration_date and card.formatted_expiration_date == card.expiration_date[:10]
    assert client.giftcards.find_by_hash(card.hash).uuid == card.uuid
    assert any(row["args"]["giftcard_program_uuid"] == seeded.PROGRAM for row in sandbox.audit("giftcards.create"))


def test_creating_a_physical_card_is_refused_with_55021(client: PiggyClient) -> None:
    with pytest.raises(ConflictError) as caught:
        client.giftcards.create(seeded.PROGRAM, type=0)
    assert caught.value.code == 55021


def test_creating_a_card_in_an_unknown_program_fails_with_1100(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.giftcards.create(ids.fixed("giftcard_program", "nope"))
    assert caught.value.code == 1100


def test_send_by_email_is_recorded_for_the_contact(client: PiggyClient, sandbox: Sandbox) -> None:
    result = client.giftcards.send_by_email(
        seeded.FUNDED, contact_uuid=ids.JANE, merge_tags={"custom.message": "Enjoy!"}
    )
    assert result == {"message": "success", "data": "Email successfully sent"}
    rows = sandbox.audit("giftcards.send_by_email")
    assert rows[-1]["args"]["giftcard_uuid"] == seeded.FUNDED and rows[-1]["args"]["contact_uuid"] == ids.JANE


def test_send_by_email_refuses_merge_tags_outside_custom(client: PiggyClient) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        client.giftcards.send_by_email(seeded.FUNDED, contact_uuid=ids.JANE, merge_tags={"message": "Hi"})
    assert caught.value.code == 1003 and "merge_tags" in caught.value.errors


def test_transaction_create_get_and_list_by_card(client: PiggyClient) -> None:
    card = client.giftcards.create(seeded.PROGRAM)
    top_up = client.giftcard_transactions.create(
        giftcard_uuid=card.uuid, amount_in_cents=3000, shop_uuid=ids.SHOP_AMSTERDAM
    )
    assert top_up.amount_in_cents == 3000 and top_up.type == "STANDARD" and top_up.settled is False
    assert top_up.card is not None and top_up.card.uuid == card.uuid
    assert top_up.shop is not None and top_up.shop.uuid == ids.SHOP_AMSTERDAM
    spend = client.giftcard_transactions.create(
        giftcard_uuid=card.uuid, amount_in_cents=-1200, shop_uuid=ids.SHOP_AMSTERDAM
    )
    assert spend.uuid is not None and client.giftcard_transactions.get(spend.uuid).amount_in_cents == -1200
    listed = client.giftcard_transactions.list(giftcard_uuid=card.uuid)
    assert [t.amount_in_cents for t in listed.items] == [3000, -1200] and listed.total == 2
    assert client.giftcards.get(card.uuid).amount_in_cents == 1800


def test_transaction_list_filters_by_hash_and_pages_in_meta_format_a(client: PiggyClient, sandbox: Sandbox) -> None:
    by_hash = client.giftcard_transactions.list(giftcard_hash=seeded.SPENT_HASH)
    assert [t.amount_in_cents for t in by_hash.items] == [5000, -1250]
    raw = sandbox.http().get("/api/v3/oauth/clients/giftcard-transactions", params={"perPage": 2, "page": 2}).json()
    assert set(raw["meta"]) == {"page", "limit", "viewing_from", "viewing_to", "last_page", "total"}
    assert raw["meta"]["limit"] == 2 and raw["meta"]["viewing_from"] == 3 and len(raw["data"]) == 2
    page = client.giftcard_transactions.list(limit=2, page=2)
    assert page.page == 2 and page.per_page == 2 and page.total == raw["meta"]["total"]


def test_unknown_transaction_is_not_found_with_5010(client: PiggyClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.giftcard_transactions.get(ids.fixed("giftcard_transaction", "nothing"))
    assert caught.value.code == 5010
    with pytest.raises(NotFoundError):
        client.giftcard_transactions.reverse(ids.fixed("giftcard_transaction", "nothing"))


def test_reverse_books_the_negated_amount_and_restores_the_balance(client: PiggyClient) -> None:
    card = _funded(client, 2000)
    spend = client.giftcard_transactions.create(giftcard_uuid=card.uuid, amount_in_cents=-700, shop_uuid=ids.SHOP_WEB)
    assert spend.uuid is not None
    reversal = client.giftcard_transactions.reverse(spend.uuid)
    assert reversal.amount_in_cents == 700 and reversal.uuid != spend.uuid
    assert client.giftcards.get(card.uuid).amount_in_cents == 2000


def test_correct_behaves_like_reverse(client: PiggyClient) -> None:
    card = _funded(client, 1500)
    spend = client.giftcard_transactions.create(giftcard_uuid=card.uuid, amount_in_cents=-500, shop_uuid=ids.SHOP_WEB)
    assert spend.uuid is not None
    assert client.giftcard_transactions.correct(spend.uuid).amount_in_cents == 500
    assert client.giftcards.get(card.uuid).amount_in_cents == 1500


async def test_async_client_covers_cards_and_transactions(aclient: AsyncPiggyClient) -> None:
    programs = await aclient.giftcard_programs.list()
    assert seeded.PROGRAM in {p.uuid for p in programs}
    page = await aclient.giftcards.list(giftcard_program_uuid=seeded.PROGRAM, limit=3)
    assert len(page.items) == 3 and page.per_page == 3
    card = await aclient.giftcards.create(seeded.PROGRAM)
    assert (await aclient.giftcards.find_by_hash(card.hash)).uuid == card.uuid
    top_up = await aclient.giftcard_transactions.create(
        giftcard_uuid=card.uuid, amount_in_cents=2500, shop_uuid=ids.SHOP_WEB
    )
    spend = await aclient.giftcard_transactions.create(
        giftcard_uuid=card.uuid, amount_in_cents=-1000, shop_uuid=ids.SHOP_WEB
    )
    assert top_up.uuid and spend.uuid
    assert (await aclient.giftcard_transactions.get(spend.uuid)).amount_in_cents == -1000
    listed = await aclient.giftcard_transactions.list(giftcard_uuid=card.uuid)
    assert [t.amount_in_cents for t in listed.items] == [2500, -1000]
    assert (await aclient.giftcard_transactions.reverse(spend.uuid)).amount_in_cents == 1000
    again = await aclient.giftcard_transactions.create(
        giftcard_uuid=card.uuid, amount_in_cents=-300, shop_uuid=ids.SHOP_WEB
    )
    assert again.uuid and (await aclient.giftcard_transactions.correct(again.uuid)).amount_in_cents == 300
    assert (await aclient.giftcards.get(card.uuid)).amount_in_cents == 2500
    sent = await aclient.giftcards.send_by_email(card.uuid, contact_uuid=ids.JANE)
    assert sent["data"] == "Email successfully sent"
