"""Integrity of data/points.yaml: codes, aliases, Chinese names, safety flags, pictures."""

from __future__ import annotations

import re
import unicodedata

import opencc
import pytest
from pypinyin import Style, pinyin

from hipguide.config import shipped_data_dir
from hipguide.dataset import load_dataset, normalize_code
from hipguide.models import Point
from hipguide.ui import figures

POINTS: tuple[Point, ...] = load_dataset(shipped_data_dir()).points
BY_CODE = {p.code: p for p in POINTS}
IDS = [p.code for p in POINTS]

#: Every point the seeds name, and the ones the routines need.
REQUIRED = [
    *("ST36", "KI3", "GB34", "GB30", "SP12", "BL54", "LI15", "TE14", "HT1", "LR3", "TE2"),
    *("88.12", "GB29", "GB31", "BL23", "BL40", "BL60", "LI4", "SP6", "GB21", "BL67"),
]

#: Readings used in point names that differ from pypinyin's everyday choice.
READINGS = {
    "俞": ("shū", "back-shu point names use 俞 for 腧 'to transport', read shū, not yú"),
    "冲": ("chōng", "point names use 冲 for 衝 'to rush', read chōng, not chòng"),
}

#: Traditional forms that OpenCC's s2t does not produce for these names.
TRADITIONAL = {
    "太冲": ("太衝", "OpenCC writes 沖 (to rinse); the point name means 'rushing', 衝"),
    "太溪": ("太溪", "OpenCC gives the variant 谿; 溪 is the usual traditional form as well"),
}

_S2T = opencc.OpenCC("s2t")
_T2S = opencc.OpenCC("t2s")


def _texts(point: Point) -> list[str]:
    return [
        point.english,
        point.location.standard,
        point.location.self_find,
        point.technique.method,
        *point.cautions,
        *point.indications,
    ]


@pytest.mark.parametrize("code", REQUIRED)
def test_required_point_present(code: str) -> None:
    assert code in BY_CODE


@pytest.mark.parametrize("point", POINTS, ids=IDS)
def test_code_form_matches_namespace(point: Point) -> None:
    if point.namespace == "tung":
        assert re.fullmatch(r"\d+\.\d+", point.code)
        assert point.channel == "Master Tung extra point"
    else:
        assert re.fullmatch(r"(LU|LI|ST|SP|HT|SI|BL|KI|PC|TE|GB|LR|GV|CV)[1-9]\d*", point.code)


def test_tung_point_is_in_its_own_namespace() -> None:
    assert [p.code for p in POINTS if p.namespace == "tung"] == ["88.12"]


def test_aliases_unique_and_never_another_code() -> None:
    owners: dict[str, str] = {normalize_code(p.code): p.code for p in POINTS}
    for point in POINTS:
        for alias in point.aliases:
            key = normalize_code(alias)
            assert key not in owners, f"{point.code} alias {alias} clashes with {owners.get(key)}"
            owners[key] = point.code


@pytest.mark.parametrize(
    ("code", "alias"),
    [
        ("TE14", "SJ14"),
        ("TE14", "TW14"),
        ("TE14", "TH14"),
        ("TE14", "TB14"),
        ("TE2", "SJ2"),
        ("LR3", "LV3"),
        ("LR3", "LIV3"),
        ("BL54", "UB54"),
        ("HT1", "HE1"),
        ("KI3", "K3"),
    ],
)
def test_old_codes_are_aliases(code: str, alias: str) -> None:
    assert alias in BY_CODE[code].aliases


@pytest.mark.parametrize("code", ["LI4", "SP6", "BL60", "BL67", "GB21", "BL23", "BL54"])
def test_traditionally_avoided_in_pregnancy(code: str) -> None:
    assert BY_CODE[code].pregnancy == "avoid"


@pytest.mark.parametrize("code", ["GB30", "SP12"])
def test_strong_pelvic_points_not_marked_ok_in_pregnancy(code: str) -> None:
    assert BY_CODE[code].pregnancy != "ok"


@pytest.mark.parametrize("code", ["HT1", "SP12", "LR3"])
def test_points_over_an_artery_say_press_beside_the_pulse_gently(code: str) -> None:
    point = BY_CODE[code]
    warning = [c for c in point.cautions if "artery" in c.lower()]
    assert warning, point.cautions
    assert "beside" in warning[0] and "gently" in warning[0]
    assert point.technique.pressure == "light"


@pytest.mark.parametrize("code", ["GB30", "BL54"])
def test_buttock_points_are_deep(code: str) -> None:
    assert BY_CODE[code].depth == "deep"


@pytest.mark.parametrize("point", [p for p in POINTS if p.depth == "deep"], ids=lambda p: p.code)
def test_deep_points_say_to_build_pressure_slowly(point: Point) -> None:
    assert any("slowly" in c for c in point.cautions), point.cautions


@pytest.mark.parametrize("point", POINTS, ids=IDS)
def test_technique_is_a_sensible_press(point: Point) -> None:
    assert 30 <= point.technique.seconds <= 90
    assert "breath" in point.technique.method.lower()


@pytest.mark.parametrize("point", POINTS, ids=IDS)
def test_sources_cite_the_standard(point: Point) -> None:
    assert point.sources
    assert ("who-2008" in point.sources) == (point.namespace == "who")


@pytest.mark.parametrize(
    ("code", "seed"),
    [
        ("ST36", "seed-distal-points"),
        ("KI3", "seed-distal-points"),
        ("GB34", "seed-distal-points"),
        ("GB30", "seed-acupressure-easy"),
        ("SP12", "seed-acupressure-easy"),
        ("BL54", "seed-acupressure-easy"),
        ("LI15", "seed-acupuncture-nyc"),
        ("TE14", "seed-acupuncture-nyc"),
        ("HT1", "seed-acupuncture-nyc"),
        ("LR3", "seed-acupuncture-nyc"),
        ("TE2", "seed-acupuncture-nyc"),
        ("88.12", "seed-acupuncture-nyc"),
    ],
)
def test_points_named_by_a_seed_cite_it(code: str, seed: str) -> None:
    assert seed in BY_CODE[code].sources


def test_tung_point_says_it_is_outside_the_standard() -> None:
    point = BY_CODE["88.12"]
    assert "outside the WHO standard" in point.location.standard
    assert any("WHO standard" in c for c in point.cautions)


@pytest.mark.parametrize("point", POINTS, ids=IDS)
def test_no_text_promises_a_cure(point: Point) -> None:
    for text in _texts(point):
        assert not re.search(r"\b(cures?|guarantee[ds]?|heals?)\b", text, re.IGNORECASE), text


def _toneless(text: str) -> str:
    """Drop tone marks but keep the diaeresis of ü."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) or c == "\u0308")
    return unicodedata.normalize("NFC", kept)


def _expected_syllables(hanzi: str, toned: bool) -> list[str]:
    style = Style.TONE if toned else Style.NORMAL
    found = [r[0] for r in pinyin(hanzi, style=style, heteronym=False, v_to_u=True)]
    out = []
    for char, reading in zip(hanzi, found, strict=True):
        if char in READINGS:
            reading = READINGS[char][0] if toned else _toneless(READINGS[char][0])
        out.append(reading)
    return out


def _mismatch(written: str, syllables: list[str]) -> str:
    """Consume the written pinyin one syllable at a time; describe the first mismatch."""
    rest = re.sub(r"[\s'’-]", "", written).lower()
    for syllable in syllables:
        if not rest.startswith(syllable):
            return f"expected {syllable!r} where {rest!r} is written"
        rest = rest[len(syllable) :]
    return f"{rest!r} left over" if rest else ""


@pytest.mark.parametrize("point", POINTS, ids=IDS)
def test_pinyin_matches_hanzi_without_tones(point: Point) -> None:
    problem = _mismatch(_toneless(point.pinyin), _expected_syllables(point.hanzi, toned=False))
    assert not problem, f"{point.code} {point.hanzi} {point.pinyin}: {problem}"


@pytest.mark.parametrize("point", POINTS, ids=IDS)
def test_pinyin_matches_hanzi_with_tones(point: Point) -> None:
    problem = _mismatch(point.pinyin, _expected_syllables(point.hanzi, toned=True))
    assert not problem, f"{point.code} {point.hanzi} {point.pinyin}: {problem}"


@pytest.mark.parametrize(("char", "reading"), [(c, r) for c, (r, _why) in READINGS.items()])
def test_reading_exceptions_are_needed_and_used(char: str, reading: str) -> None:
    names = [p.hanzi for p in POINTS if char in p.hanzi]
    assert names, f"{char} is in no point name any more"
    everyday = {
        found[0]
        for name in names
        for c, found in zip(name, pinyin(name, style=Style.TONE), strict=True)
        if c == char
    }
    assert everyday != {reading}, f"pypinyin now reads {char} as {reading}; drop the exception"


@pytest.mark.parametrize("point", POINTS, ids=IDS)
def test_traditional_form_matches_opencc(point: Point) -> None:
    expected = TRADITIONAL.get(point.hanzi, (_S2T.convert(point.hanzi), ""))[0]
    if point.hanzi_traditional:
        assert point.hanzi_traditional != point.hanzi, "traditional given but identical"
        assert point.hanzi_traditional == expected
        assert _T2S.convert(point.hanzi_traditional) == point.hanzi
    else:
        assert expected == point.hanzi, f"{point.code}: traditional form {expected} missing"


@pytest.mark.parametrize("hanzi", sorted(TRADITIONAL))
def test_traditional_exceptions_are_needed_and_used(hanzi: str) -> None:
    assert hanzi in {p.hanzi for p in POINTS}
    assert _S2T.convert(hanzi) != TRADITIONAL[hanzi][0], f"OpenCC now agrees on {hanzi}"


@pytest.mark.parametrize("point", POINTS, ids=IDS)
def test_figure_position_lies_inside_its_figure(point: Point) -> None:
    view, x, y = point.figure
    width, height = figures.viewbox(view)
    assert 0 <= x <= width and 0 <= y <= height


@pytest.mark.parametrize(
    ("code", "view"),
    [
        ("GB29", "body-left"),
        ("GB30", "body-back"),
        ("BL54", "body-back"),
        ("BL23", "body-back"),
        ("BL40", "body-back"),
        ("GB21", "body-back"),
        ("SP12", "body-front"),
        ("88.12", "body-front"),
        ("GB34", "leg-outer"),
        ("ST36", "leg-outer"),
        ("BL60", "leg-outer"),
        ("KI3", "foot-inner"),
        ("SP6", "leg-inner"),
        ("LR3", "foot-top"),
        ("BL67", "foot-top"),
        ("LI4", "hand"),
        ("TE2", "hand"),
        ("LI15", "shoulder"),
        ("TE14", "shoulder"),
        ("HT1", "shoulder"),
    ],
)
def test_point_drawn_in_the_view_that_shows_it(code: str, view: str) -> None:
    assert BY_CODE[code].figure.view == view


def test_shoulder_hollows_front_before_back() -> None:
    # The shoulder figure faces left, so the front hollow (LI15) is left of the back one.
    front, back = BY_CODE["LI15"].figure, BY_CODE["TE14"].figure
    assert front.y == back.y
    assert front.x < back.x


# --- corrections checked against WHO 2008 -------------------------------------------------

#: Which seed articles name each point, by code or by name (copied by hand from the seeds):
#: a seed cited for a point must be one of these.
SEED_NAMES = {
    "GB30": {"seed-acupressure-easy", "seed-acupuncture-nyc"},
    "SP12": {"seed-acupressure-easy"},
    "BL54": {"seed-acupressure-easy"},
    "ST36": {"seed-distal-points"},
    "KI3": {"seed-distal-points"},
    "GB34": {"seed-distal-points"},
    "LI15": {"seed-acupuncture-nyc"},
    "TE14": {"seed-acupuncture-nyc"},
    "HT1": {"seed-acupuncture-nyc"},
    "LR3": {"seed-acupuncture-nyc"},
    "TE2": {"seed-acupuncture-nyc"},
    "88.12": {"seed-acupuncture-nyc"},
}
SEED_IDS = {s.id for s in load_dataset(shipped_data_dir()).sources if s.kind == "seed"}
#: Traditional or variant spellings that search must also find.
VARIANTS = {"KI3": "太谿", "LR3": "太沖", "BL60": "昆侖", "SP12": "沖門"}


@pytest.mark.parametrize("point", POINTS, ids=IDS)
def test_a_seed_cited_for_a_point_names_it(point: Point) -> None:
    cited = set(point.sources) & SEED_IDS
    assert cited <= SEED_NAMES.get(point.code, set()), f"{point.code} cites {cited}"


@pytest.mark.parametrize("point", POINTS, ids=IDS)
def test_a_point_no_seed_names_says_how_it_was_chosen(point: Point) -> None:
    if point.code in SEED_NAMES:
        assert not point.chosen_by
    else:
        assert point.chosen_by.startswith("Chosen ")
        assert "no source article names" in point.chosen_by or "names no point" in point.chosen_by


@pytest.mark.parametrize("code", ["BL23", "BL40", "GB21"])
def test_points_from_a_seeds_point_group_cite_only_the_standard(code: str) -> None:
    point = BY_CODE[code]
    assert point.sources == ("who-2008",)
    assert "channel logic" in point.chosen_by


def test_bl23_is_found_from_the_iliac_crests_not_the_navel() -> None:
    text = BY_CODE["BL23"].location.self_find
    assert "hip bones" in text and "iliac crests" in text
    assert "count up two" in text
    assert "navel" not in text
    assert "L2" in BY_CODE["BL23"].location.standard


def test_st36_is_four_fingers_below_the_hollow_beside_the_kneecap_tendon() -> None:
    point = BY_CODE["ST36"]
    assert "3 cun below ST35" in point.location.standard
    text = point.location.self_find
    assert "four fingers" in text and "lower edge of your little finger" in text
    assert "one finger-width out" in text and "shin" in text


def test_sp6_is_four_fingers_above_the_inner_ankle_bone() -> None:
    point = BY_CODE["SP6"]
    assert "3 cun above" in point.location.standard
    text = point.location.self_find
    assert "lower edge of your little finger" in text and "upper edge of your index" in text
    assert "behind the edge of the shin bone" in text


def test_bl54_lies_in_the_buttock_beside_the_sacral_hiatus() -> None:
    point = BY_CODE["BL54"]
    assert point.region == "buttock"
    texts = [point.location.standard, point.location.self_find, *point.cautions]
    assert not any("over the sacrum" in text for text in texts)
    assert "sacral hiatus" in point.location.standard
    assert "fourth posterior sacral foramen" in point.location.standard
    assert "3 cun" in point.location.standard
    assert "off the bone" in point.location.self_find


def test_sp12_cautions_name_the_femoral_artery_and_nerve() -> None:
    cautions = " ".join(BY_CODE["SP12"].cautions)
    assert "femoral artery" in cautions
    assert "femoral nerve" in cautions and "front of the thigh" in cautions
    assert "ease off" in cautions


@pytest.mark.parametrize(("code", "variant"), sorted(VARIANTS.items()))
def test_hanzi_variant_listed_and_found(code: str, variant: str) -> None:
    from hipguide.search import find_point

    point = BY_CODE[code]
    assert variant in point.hanzi_variants
    found = find_point(load_dataset(shipped_data_dir()), variant)
    assert [p.code for p in found.points] == [code]


@pytest.mark.parametrize("point", [p for p in POINTS if p.hanzi_variants], ids=lambda p: p.code)
def test_hanzi_variants_are_new_spellings_of_the_same_name(point: Point) -> None:
    for variant in point.hanzi_variants:
        assert variant not in (point.hanzi, point.hanzi_traditional)
        assert len(variant) == len(point.hanzi)
        assert _T2S.convert(variant) == point.hanzi, variant
    assert len(set(point.hanzi_variants)) == len(point.hanzi_variants)


def test_bl60_traditional_forms_are_both_found() -> None:
    from hipguide.search import find_point

    dataset = load_dataset(shipped_data_dir())
    for name in ("崑崙", "昆侖", "昆仑"):
        assert [p.code for p in find_point(dataset, name).points] == ["BL60"], name
