"""The one module that reads the environment: what it accepts and what it refuses."""

from __future__ import annotations

import sys

import pytest

from hipguide import config
from hipguide.errors import UsageError


def test_the_option_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(config.EMERGENCY_ENV, "999")
    assert config.emergency_number(" 112 ") == "112"
    assert config.emergency_number(None) == "999"
    monkeypatch.delenv(config.EMERGENCY_ENV)
    assert config.emergency_number(None) is None


@pytest.mark.parametrize(
    "number",
    ["112", "999 (UK) / 112 (EU)", "+44 20 7946 0000", "١١٢", "[bold]112[/]", "1" * 40],
)
def test_a_plain_number_is_kept_exactly(number: str) -> None:
    assert config.emergency_number(number) == number


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("112\x1b[2J", "the control character U+001B"),
        ("112\x07", "the control character U+0007"),
        ("11\x9b2", "the control character U+009B"),
        ("112\u202e999", "the format character U+202E"),
        ("\u2066112\u2069", "the format character U+2066"),
        ("11\u200d2", "the format character U+200D"),
        ("11\ufeff2", "the format character U+FEFF"),
        ("11\n2", "the control character U+000A"),
        ("11\u20282", "the line separator U+2028"),
        ("1" * 41, "is longer than 40 characters"),
    ],
)
def test_a_number_that_could_mislead_is_refused_not_cleaned(number: str, problem: str) -> None:
    with pytest.raises(UsageError) as caught:
        config.emergency_number(number)
    message = str(caught.value)
    assert problem in message
    assert "--emergency-number" in message
    assert message.isprintable()


def test_a_bad_number_from_the_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(config.EMERGENCY_ENV, "112\x1b]0;owned\x07")
    with pytest.raises(UsageError, match=config.EMERGENCY_ENV):
        config.emergency_number(None)


def test_undecodable_bytes_are_shown_as_the_replacement_character() -> None:
    assert config.emergency_number("11\udcff2") == "11\ufffd2"


def test_a_long_number_is_quoted_briefly() -> None:
    with pytest.raises(UsageError) as caught:
        config.emergency_number("9" * 5000)
    assert "9" * 41 not in str(caught.value)


XDG_VALUES = [None, "", "relative/cache", " /srv/padded", "/srv/cache", "/srv/slash/"]
HOME_VALUES = [None, "/home/someone", "/home/someone/", "/", "relative/home", ""]


def _environment(
    monkeypatch: pytest.MonkeyPatch, variable: str, xdg: str | None, home: str | None
) -> None:
    for name, value in ((variable, xdg), ("HOME", home)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="platformdirs decides there")
@pytest.mark.parametrize("home", HOME_VALUES)
@pytest.mark.parametrize("xdg", XDG_VALUES)
def test_the_cache_folder_is_where_platformdirs_puts_it(
    xdg: str | None, home: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from platformdirs import user_cache_path

    from hipguide import config

    _environment(monkeypatch, "XDG_CACHE_HOME", xdg, home)
    assert config.cache_dir() == user_cache_path("hipguide", appauthor=False)
    assert config._xdg_folder("XDG_CACHE_HOME", ".cache") is not None  # worked out here


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="platformdirs decides there")
@pytest.mark.parametrize("home", HOME_VALUES)
@pytest.mark.parametrize("xdg", XDG_VALUES)
def test_the_history_folder_is_where_platformdirs_puts_it(
    xdg: str | None, home: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from platformdirs import user_data_path

    from hipguide import config

    monkeypatch.delenv(config.HOME_ENV, raising=False)
    _environment(monkeypatch, "XDG_DATA_HOME", xdg, home)
    assert config.history_home() == user_data_path("hipguide", appauthor=False)


def test_macos_and_windows_ask_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    from hipguide import config

    for platform in ("darwin", "win32"):
        monkeypatch.setattr(sys, "platform", platform)
        assert config._xdg_folder("XDG_DATA_HOME", ".local/share") is None
