"""The shared scorer: right tool and key arguments, look-ups allowed, wrong actions fail, asks never act."""

from __future__ import annotations

from collections import Counter

from graphs.support_agent.scoring import label, load, score

JANE = "4b62b557-7d2b-5d9f-b2b8-21835bcbe7c6"
AWARD = {"expect": "call", "calls": [{"tool": "award_credits", "args": {"contact_uuid": JANE, "credits": 50}}]}


def test_a_lookup_then_the_right_action_scores() -> None:
    calls = [
        {"name": "get_contact", "args": {"email": "jane.doe@example.com"}},
        {"name": "award_credits", "args": {"contact_uuid": JANE.upper(), "credits": 50.0, "shop_uuid": "x"}},
    ]
    assert score(AWARD, calls).ok


def test_wrong_amount_wrong_tool_or_an_extra_action_fail() -> None:
    assert not score(AWARD, [{"name": "award_credits", "args": {"contact_uuid": JANE, "credits": 5}}]).ok
    assert not score(AWARD, [{"name": "award_credits", "args": {"contact_uuid": JANE, "unit_value": 50}}]).ok
    assert not score(AWARD, [{"name": "calculate_credits", "args": {"unit_value": 50}}]).ok
    both = [
        {"name": "award_credits", "args": {"contact_uuid": JANE, "credits": 50}},
        {"name": "delete_contact", "args": {"contact_uuid": JANE}},
    ]
    verdict = score(AWARD, both)
    assert not verdict.ok and "delete_contact" in verdict.reason


def test_ask_allows_reads_only_and_out_of_scope_allows_nothing() -> None:
    ask = {"expect": "ask", "calls": []}
    assert score(ask, [{"name": "get_contact", "args": {"email": "a@b.nl"}}]).ok
    assert not score(ask, [{"name": "award_credits", "args": {"credits": 1}}]).ok
    oos = {"expect": "out_of_scope", "calls": []}
    assert score(oos, []).ok and not score(oos, [{"name": "list_shops", "args": {}}]).ok


def test_attributes_as_pairs_prefix_values_and_alternatives() -> None:
    update = {"calls": [{"tool": "update_contact", "args": {"attributes": {"city": "Utrecht"}}}]}
    pairs = [{"name": "update_contact", "args": {"attributes": [{"name": "city", "value": "utrecht "}]}}]
    assert score(update, pairs).ok
    booking = {"calls": [{"tool": "create_booking", "args": {"starts_at": "2026-12-24T19:00*"}}]}
    assert score(booking, [{"name": "create_booking", "args": {"starts_at": "2026-12-24T19:00:00+01:00"}}]).ok
    assert not score(booking, [{"name": "create_booking", "args": {"starts_at": "2026-12-24T18:00:00"}}]).ok
    signup = {"calls": [{"tool": ["create_contact", "find_or_create_contact"], "args": {"email": "a@b.nl"}}]}
    assert score(signup, [{"name": "find_or_create_contact", "args": {"email": "A@B.nl"}}]).ok


def test_label_names_the_first_action() -> None:
    calls = [{"name": "get_contact", "args": {}}, {"name": "award_credits", "args": {}}]
    assert label(calls) == "award_credits"
    assert label(calls[:1]) == "get_contact"
    assert label([], out_of_scope=True) == "out_of_scope" and label([]) == "ask"


def test_the_committed_split_is_large_varied_and_disjoint() -> None:
    dev, test, corpus = load("dev"), load("test"), load("corpus")
    assert len(corpus) >= 600 and len(dev) + len(test) == len(corpus)
    assert not {r["id"] for r in dev} & {r["id"] for r in test}
    assert {r["lang"] for r in test} == {"en", "nl"} and {r["voice"] for r in test} == {"staff", "customer"}
    styles = Counter(r["style"] for r in corpus)
    for style in ("terse", "polite", "shouting", "typo", "multistep", "multi", "ambiguous", "oos"):
        assert styles[style] >= 5, style
    assert {r["intent"] for r in dev} == {r["intent"] for r in test}
