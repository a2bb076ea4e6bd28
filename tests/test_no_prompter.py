"""What a command says when it has a question and no one to ask: the hint names what to
give instead, and without a terminal it also names --no-input, as the way a script never
waits for an answer (not as a way to fail)."""

from __future__ import annotations

import pytest

from hipguide.flows.ports import CannotAsk, NoPrompter


@pytest.mark.parametrize("no_input", [True, False])
def test_the_place_of_the_pain_is_asked_for_by_its_options(no_input: bool) -> None:
    with pytest.raises(CannotAsk) as raised:
        NoPrompter(no_input=no_input).choose_areas(())
    hint = raised.value.hint
    assert "--area outer --side left" in hint
    assert "fail" not in hint and "never prompt" not in hint
    assert ("In a script, add --no-input" in hint) is not no_input


def test_without_a_terminal_the_hint_says_what_no_input_is_for() -> None:
    with pytest.raises(CannotAsk) as raised:
        NoPrompter(no_input=False).choose_side()
    assert str(raised.value) == (
        "No terminal to ask the questions on. Give --area and --side, e.g. --area outer "
        "--side left. In a script, add --no-input: it then never waits for an answer."
    )
