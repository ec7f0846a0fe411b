"""Lifecycle definitions are validated when loaded."""

import pytest

from workflows.lifecycle import LifecycleError, lifecycles, parse_lifecycle


def definition(**changes):
    base = {
        "label": "t", "kind": "reward",
        "states": ["draft", "submitted", "paid", "withdrawn"],
        "terminal": ["paid", "withdrawn"],
        "transitions": [
            {"name": "submit", "source": "draft", "target": "submitted",
             "permission": "applicant_owner"},
            {"name": "withdraw", "source": ["draft", "submitted"], "target": "withdrawn",
             "permission": "applicant_owner"},
            {"name": "confirm_payment", "source": "submitted", "target": "paid",
             "permission": "finance"},
        ],
    }
    base.update(changes)
    return base


def test_a_sound_definition_loads():
    lc = parse_lifecycle("t", definition())
    assert lc.find("withdraw", "submitted").target == "withdrawn"
    assert lc.find("withdraw", "paid") is None


def test_the_shipped_lifecycles_are_valid():
    assert set(lifecycles()) == {"project", "project_expert", "reward"}


@pytest.mark.parametrize("changes, message", [
    ({"states": ["draft", "submitted", "paid", "withdrawn", "expert_review"]},
     "not reachable"),
    ({"states": ["draft", "submitted", "paid", "withdrawn", "nonsense"]}, "unknown state"),
    ({"terminal": ["withdrawn"]}, "no terminal state can be reached"),
    ({"transitions": [{"name": "submit", "source": "draft", "target": "submitted",
                       "permission": "applicant_owner"},
                      {"name": "withdraw", "source": "draft", "target": "withdrawn",
                       "permission": "applicant_owner"},
                      {"name": "confirm_payment", "source": "paid", "target": "submitted",
                       "permission": "finance"}]},
     "leaves a terminal state"),
    ({"transitions": [{"name": "fly", "source": "draft", "target": "paid",
                       "permission": "x"}]}, "unknown transition name"),
    ({"transitions": [{"name": "submit", "source": "draft", "target": "@previous",
                       "permission": "x"}]}, "only the returned state"),
])
def test_bad_definitions_are_refused(changes, message):
    with pytest.raises(LifecycleError, match=message):
        parse_lifecycle("bad", definition(**changes))


def test_missing_keys_are_refused():
    data = definition()
    del data["terminal"]
    with pytest.raises(LifecycleError, match="missing key"):
        parse_lifecycle("bad", data)


def test_every_state_of_every_shipped_lifecycle_reaches_a_terminal_state():
    for lc in lifecycles().values():
        assert lc.terminal <= set(lc.states)
        assert lc.initial == "draft"
