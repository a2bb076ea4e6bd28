"""find_point: every way a person may name a point resolves to the right code, a code
never to another point, and a plain word to the points of its region, condition or use."""

from __future__ import annotations

import pytest

from dataset_variants import variant
from hipguide.dataset import Dataset
from hipguide.models import Channel, Point, Region
from hipguide.search import (
    FUZZY_ACCEPT,
    MAX_SUGGESTIONS,
    CodeReading,
    SearchResult,
    Suggestion,
    channel_prefixes,
    filter_points,
    find_point,
    fold_pinyin,
    fold_text,
    name_index,
    phrase,
    plain_words,
    read_code,
    region_points,
    use_points,
)


def find(dataset: Dataset, query: str) -> SearchResult:
    """find_point, checking that the result carries the query as it was typed."""
    result = find_point(dataset, query)
    assert result.query == query
    return result


def codes(dataset: Dataset, query: str) -> list[str]:
    return [p.code for p in find(dataset, query).points]


# (query, code, kind, the name matched)
LOOKUPS = [
    # codes in any format and alias
    ("GB30", "GB30", "exact", "GB30"),
    ("gb30", "GB30", "exact", "GB30"),
    ("gb-30", "GB30", "exact", "GB30"),
    ("GB 30", "GB30", "exact", "GB30"),
    ("GB030", "GB30", "exact", "GB30"),
    ("GB_30", "GB30", "exact", "GB30"),
    ("GB.30", "GB30", "exact", "GB30"),
    ("ＧＢ３０", "GB30", "exact", "GB30"),
    ("SJ14", "TE14", "exact", "SJ14"),
    ("sj-14", "TE14", "exact", "SJ14"),
    ("TW14", "TE14", "exact", "TW14"),
    ("SJ-2", "TE2", "exact", "SJ2"),
    ("Lv3", "LR3", "exact", "LV3"),
    ("LIV3", "LR3", "exact", "LIV3"),
    ("UB54", "BL54", "exact", "UB54"),
    ("ub-40", "BL40", "exact", "UB40"),
    ("Ht-1", "HT1", "exact", "HT1"),
    ("HE 1", "HT1", "exact", "HE1"),
    ("K3", "KI3", "exact", "K3"),
    ("KID 03", "KI3", "exact", "KID3"),
    ("LI-15", "LI15", "exact", "LI15"),
    ("88.12", "88.12", "exact", "88.12"),
    ("088.12", "88.12", "exact", "88.12"),
    ("Tung 88.12", "88.12", "exact", "Tung 88.12"),
    ("tung-88.12", "88.12", "exact", "Tung 88.12"),
    ("MH", "88.12", "exact", "MH"),
    # channel name and number, as the source articles write them
    ("Gallbladder 30", "GB30", "exact", "GB30"),
    ("Gall Bladder 30", "GB30", "exact", "GB30"),
    ("Spleen 12", "SP12", "exact", "SP12"),
    ("Bladder 54", "BL54", "exact", "BL54"),
    ("Triple Energizer 14", "TE14", "exact", "TE14"),
    ("San Jiao 14", "TE14", "exact", "TE14"),
    ("urinary bladder 40", "BL40", "exact", "BL40"),
    ("Kidney 3", "KI3", "exact", "KI3"),
    # pinyin with and without tones and spaces
    ("Huántiào", "GB30", "exact", "Huántiào"),
    ("huantiao", "GB30", "exact", "Huántiào"),
    ("Huan Tiao", "GB30", "exact", "Huántiào"),
    ("huan2 tiao4", "GB30", "exact", "Huántiào"),
    ("huan2tiao4", "GB30", "exact", "Huántiào"),
    ("zusanli", "ST36", "exact", "Zúsānlǐ"),
    ("Zú Sān Lǐ", "ST36", "exact", "Zúsānlǐ"),
    ("zu2 san1 li3", "ST36", "exact", "Zúsānlǐ"),
    ("tai4 xi1", "KI3", "exact", "Tàixī"),
    ("taixi", "KI3", "exact", "Tàixī"),
    ("yanglingquan", "GB34", "exact", "Yánglíngquán"),
    ("taichong", "LR3", "exact", "Tàichōng"),
    ("shenshu", "BL23", "exact", "Shènshū"),
    ("weizhong", "BL40", "exact", "Wěizhōng"),
    ("hegu", "LI4", "exact", "Hégǔ"),
    ("sanyinjiao", "SP6", "exact", "Sānyīnjiāo"),
    ("jianjing", "GB21", "exact", "Jiānjǐng"),
    ("zhiyin", "BL67", "exact", "Zhìyīn"),
    ("ming huang", "88.12", "exact", "Mínghuáng"),
    # hanzi, simplified and traditional
    ("环跳", "GB30", "exact", "环跳"),
    ("環跳", "GB30", "exact", "環跳"),
    ("足三里", "ST36", "exact", "足三里"),
    ("肾俞", "BL23", "exact", "肾俞"),
    ("腎俞", "BL23", "exact", "腎俞"),
    ("太冲", "LR3", "exact", "太冲"),
    ("阳陵泉", "GB34", "exact", "阳陵泉"),
    ("陽陵泉", "GB34", "exact", "陽陵泉"),
    # English names
    ("Jumping Circle", "GB30", "exact", "Jumping Circle"),
    ("jumping circle", "GB30", "exact", "Jumping Circle"),
    ("leg three miles", "ST36", "exact", "Leg Three Miles"),
    # words inside names
    ("jumping", "GB30", "partial", ""),
    ("shoulder bon", "LI15", "partial", ""),
    ("GB30 huantiao", "GB30", "partial", ""),
    ("Gallbladder 30 Huantiao", "GB30", "partial", ""),
    ("huantiao 30", "GB30", "partial", ""),
    # typos
    ("huantaio", "GB30", "fuzzy", "Huántiào"),
    ("zusanlli", "ST36", "fuzzy", "Zúsānlǐ"),
    ("yanglinquan", "GB34", "fuzzy", "Yánglíngquán"),
    ("zhiyn", "BL67", "fuzzy", "Zhìyīn"),
    ("Shoulder Crevis", "TE14", "fuzzy", "Shoulder Crevice"),
    ("Galbladder 30", "GB30", "fuzzy", "Gallbladder 30"),
    ("Kidny 3", "KI3", "fuzzy", "Kidney 3"),
]


@pytest.mark.parametrize(("query", "code", "kind", "name"), LOOKUPS)
def test_lookup(dataset: Dataset, query: str, code: str, kind: str, name: str) -> None:
    result = find(dataset, query)
    assert ([p.code for p in result.points], result.kind, result.matched_name) == (
        [code],
        kind,
        name,
    ), result
    assert result.query == query
    assert result.suggestions == ()


def test_several_points_with_a_word_in_their_names(dataset: Dataset) -> None:
    result = find(dataset, "spring")
    assert (result.kind, [p.code for p in result.points]) == ("partial", ["GB34", "HT1"])
    assert result.matched_name == ""
    assert codes(dataset, "Spleen") == ["SP12", "SP6"]  # "Spleen 12", "Spleen 6"


@pytest.mark.parametrize(
    "query",
    [
        "xyzzy",
        "",
        "   ",
        "!!!",
        "sanyinjiao 14",
        "huantiao 3",  # a number apart from the syllable is no tone number
        "huantiao 31",
        "Gallbladder 31 Huantiao",
        "GB31 huantiao",
        "Galbladder 33",  # a typo of a channel name keeps its number
    ],
)
def test_no_match(dataset: Dataset, query: str) -> None:
    result = find(dataset, query)
    assert (result.kind, result.points, result.code) == ("none", (), None)


# --- codes: a code is that code or nothing --------------------------------------------------


def spellings(channel: Channel, number: int) -> list[str]:
    """The ways DESIGN.md lets a person write this code, with every old prefix and name."""
    written: list[str] = []
    for prefix in (channel.id, *channel.old_codes):
        written += [
            f"{prefix}{number}",
            f"{prefix.lower()}-{number}",
            f"{prefix} {number}",
            f"{prefix}{number:03d}",
            f"{prefix.title()}{number}",
        ]
    written += [f"{name} {number}" for name in (channel.name, *channel.other_names)]
    return written


WHO_CHANNELS = ["LU", "LI", "ST", "SP", "HT", "SI", "BL", "KI", "PC", "TE", "GB", "LR", "GV", "CV"]


@pytest.mark.parametrize("channel_id", WHO_CHANNELS)
def test_every_code_of_a_channel_is_itself_or_no_match(dataset: Dataset, channel_id: str) -> None:
    channel = next(c for c in dataset.channels if c.id == channel_id)
    assert channel.last > 0
    known = {p.code for p in dataset.points}
    wrong = []
    for number in [*range(1, channel.last + 1), 0, channel.last + 1, 100]:
        code = f"{channel.id}{number}"
        in_range = 1 <= number <= channel.last
        for query in spellings(channel, number):
            result = find(dataset, query)
            found = [p.code for p in result.points]
            if code in known and in_range:
                expected: tuple[object, ...] = ([code], "exact")
            else:
                expected = ([], "none")
            if (found, result.kind) != expected or (
                result.code is not None and result.code != CodeReading(code, channel.id, in_range)
            ):
                wrong.append((query, found, result.kind, result.code))
            if result.kind == "none" and result.code != CodeReading(code, channel.id, in_range):
                wrong.append((query, "not read as", code, result.code))
    assert wrong == []


def test_the_table_covers_every_channel_of_the_data(dataset: Dataset) -> None:
    assert sorted(c.id for c in dataset.channels if c.namespace == "who") == sorted(WHO_CHANNELS)


@pytest.mark.parametrize(
    ("query", "code"),
    [("ST16", "ST36"), ("TE24", "TE14"), ("GB41", "GB31"), ("GB41", "GB21"), ("GB3", "GB30")],
)
def test_a_code_not_in_the_guide_is_never_another_point(
    dataset: Dataset, query: str, code: str
) -> None:
    result = find(dataset, query)
    assert (result.kind, result.points) == ("none", ())
    assert result.matched_name == ""


def test_a_missing_code_suggests_points_of_its_channel_closest_first(dataset: Dataset) -> None:
    assert find(dataset, "ST16").suggestions == (
        Suggestion("ST31", "point", "ST31"),
        Suggestion("ST36", "point", "ST36"),
    )
    assert [s.target for s in find(dataset, "TE24").suggestions] == ["TE2", "TE14"]
    assert [s.target for s in find(dataset, "sj-24").suggestions] == ["TE2", "TE14"]
    assert [s.target for s in find(dataset, "GB41").suggestions] == ["GB31", "GB34", "GB21"]
    assert find(dataset, "LU7").suggestions == ()  # no Lung point in the guide


def test_code_suggestions_are_at_most_five(dataset: Dataset) -> None:
    gb34 = dataset.point("GB34")
    more = tuple(gb34._replace(code=f"GB3{n}", aliases=()) for n in (5, 6, 7, 8))
    changed = variant(dataset, points=(*dataset.points, *more))
    suggestions = find(changed, "GB3").suggestions
    assert len(suggestions) == MAX_SUGGESTIONS
    assert suggestions[0].target == "GB30"


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("GB30", CodeReading("GB30", "GB", True)),
        ("gb 030", CodeReading("GB30", "GB", True)),
        ("sj-14", CodeReading("TE14", "TE", True)),
        ("Lv3", CodeReading("LR3", "LR", True)),
        ("San Jiao 23", CodeReading("TE23", "TE", True)),
        ("San Jiao 24", CodeReading("TE24", "TE", False)),
        ("GB1", CodeReading("GB1", "GB", True)),
        ("GB44", CodeReading("GB44", "GB", True)),
        ("GB45", CodeReading("GB45", "GB", False)),
        ("GB0", CodeReading("GB0", "GB", False)),
        ("GB00", CodeReading("GB0", "GB", False)),
        ("GB9999", CodeReading("GB9999", "GB", False)),
        ("GB" + "9" * 5000, CodeReading("GB" + "9" * 5000, "GB", False)),
        ("88.12", CodeReading("88.12", "TUNG", True)),
        ("Tung 88.99", CodeReading("88.99", "TUNG", True)),
        ("  gb30  ", CodeReading("GB30", "GB", True)),
        ("huan2", None),
        ("XY12", None),
        ("GB", None),
        ("30", None),
        ("GB30 huantiao", None),
        ("Gallbladder 88.12", None),
        ("Master Tung extra point 88", None),
        ("MH", None),
    ],
)
def test_read_code(dataset: Dataset, text: str, reading: CodeReading | None) -> None:
    assert read_code(dataset, text) == reading


def test_a_dotted_number_is_no_code_without_a_tung_namespace(dataset: Dataset) -> None:
    who_only = variant(dataset, channels=tuple(c for c in dataset.channels if c.id != "TUNG"))
    assert read_code(who_only, "88.12") is None
    assert read_code(who_only, "GB30") == CodeReading("GB30", "GB", True)


def test_a_channel_without_a_last_number_reads_every_number(dataset: Dataset) -> None:
    channels = tuple(c._replace(last=0) if c.id == "GB" else c for c in dataset.channels)
    assert read_code(variant(dataset, channels=channels), "GB99") == CodeReading("GB99", "GB", True)
    assert read_code(variant(dataset, channels=channels), "GB0") == CodeReading("GB0", "GB", False)


def test_only_who_channels_read_letters_and_a_number(dataset: Dataset) -> None:
    assert read_code(dataset, "Tung 12") is None


def test_channel_prefixes_are_ids_old_codes_and_names(dataset: Dataset) -> None:
    prefixes = {key: c.id for key, c in channel_prefixes(dataset).items()}
    for key, channel_id in [
        ("gb", "GB"),
        ("gallbladder", "GB"),
        ("sj", "TE"),
        ("sanjiao", "TE"),
        ("triplewarmer", "TE"),
        ("ub", "BL"),
        ("urinarybladder", "BL"),
        ("lv", "LR"),
        ("liv", "LR"),
        ("k", "KI"),
        ("tung", "TUNG"),
    ]:
        assert prefixes[key] == channel_id, key


def test_the_first_channel_keeps_a_prefix_two_claim(dataset: Dataset) -> None:
    channels = (*dataset.channels, Channel("GX", "Other", old_codes=("GB",), last=9))
    assert channel_prefixes(variant(dataset, channels=channels))["gb"].id == "GB"
    assert channel_prefixes(variant(dataset, channels=channels))["gx"].id == "GX"


def test_an_alias_outside_the_channel_prefixes_still_finds_its_point(dataset: Dataset) -> None:
    points = tuple(
        p._replace(aliases=(*p.aliases, "Zz 9")) if p.code == "GB30" else p for p in dataset.points
    )
    result = find(variant(dataset, points=points), "ZZ9")
    assert (codes(variant(dataset, points=points), "zz-9"), result.matched_name) == (
        ["GB30"],
        "Zz 9",
    )


# --- pinyin: tone numbers and ü ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Huántiào", "huantiao"),
        ("huan2 tiao4", "huan2tiao4"),
        ("GB-30", "gb30"),
        ("ST16", "st16"),
        ("環跳", "環跳"),
        ("lü", "lv"),
        ("LÜ", "lv"),
        ("lǚ", "lv"),
        ("lu:", "lv"),
        ("lv", "lv"),
        ("lu", "lu"),
    ],
)
def test_fold_text(text: str, folded: str) -> None:
    assert fold_text(text) == folded


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("huan2 tiao4", "huantiao"),
        ("huan2tiao4", "huantiao"),
        ("zu2 san1 li3", "zusanli"),
        ("lü4", "lv"),
        ("lu:4", "lv"),
        ("nv3", "nv"),
        ("huantiao 3", "huantiao3"),
        ("ST16", "st16"),
        ("li34", "li34"),
        ("Huántiào", "huantiao"),
    ],
)
def test_fold_pinyin_strips_one_digit_after_a_syllable(text: str, folded: str) -> None:
    assert fold_pinyin(text) == folded


@pytest.fixture
def with_lu(dataset: Dataset) -> Dataset:
    """The dataset with KI3 renamed Lǚxī, a pinyin with ü."""
    points = tuple(p._replace(pinyin="Lǚxī") if p.code == "KI3" else p for p in dataset.points)
    return variant(dataset, points=points)


@pytest.mark.parametrize(
    "query", ["Lǚxī", "lüxi", "LÜXI", "lvxi", "lu:xi", "luxi", "lv3xi1", "lü xi"]
)
def test_u_umlaut_is_found_typed_as_v_u_colon_or_u(with_lu: Dataset, query: str) -> None:
    result = find(with_lu, query)
    assert ([p.code for p in result.points], result.kind) == (["KI3"], "exact")
    assert result.matched_name == "Lǚxī"


def test_tone_numbers_are_stripped_only_for_pinyin(dataset: Dataset) -> None:
    # ST16 without its 1 would read st6; it must never reach ST36's names
    assert codes(dataset, "ST16") == []
    english = tuple(p._replace(english="Abcde") if p.code == "LI4" else p for p in dataset.points)
    assert find(variant(dataset, points=english), "abcde3").kind == "fuzzy"
    pinyin = tuple(p._replace(pinyin="Abcde") if p.code == "LI4" else p for p in dataset.points)
    result = find(variant(dataset, points=pinyin), "abcde3")
    assert ([p.code for p in result.points], result.kind) == (["LI4"], "exact")


# --- plain words -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "kind", "matched"),
    [
        ("hip", "region", "hip"),
        ("Hips", "region", "hip"),
        ("knee", "region", "knee"),
        ("lower back", "region", "lower-back"),
        ("Lower-Back", "region", "lower-back"),
        ("LOWER   BACK", "region", "lower-back"),
        ("groin", "region", "groin"),
        ("shoulder", "region", "shoulder"),
        ("ankle", "region", "ankle-foot"),
        ("ankle and foot", "region", "ankle-foot"),
        ("sciatica", "condition", "sciatica"),
        ("Sciatica", "condition", "sciatica"),
        ("sciatic nerve pain", "condition", "sciatica"),
        ("lower back pain", "condition", "lower-back-pain"),
        ("lower-back-pain", "condition", "lower-back-pain"),
        ("back pain", "condition", "lower-back-pain"),
        ("bursitis", "condition", "bursitis"),
        ("tired legs", "use", "tired legs"),
        ("Tension", "use", "tension"),
        ("hip pain", "use", "hip pain"),
    ],
)
def test_a_plain_word_names_a_region_condition_or_use(
    dataset: Dataset, query: str, kind: str, matched: str
) -> None:
    result = find(dataset, query)
    assert (result.kind, result.matched_name) == (kind, matched)
    assert result.points
    assert result.suggestions == ()


def test_a_condition_gives_its_points_in_its_order(dataset: Dataset) -> None:
    expected = [role.point for role in dataset.condition("sciatica").points]
    assert codes(dataset, "sciatica") == list(dict.fromkeys(expected))
    assert codes(dataset, "back") == [
        role.point for role in dataset.condition("lower-back-pain").points
    ]


def test_a_region_gives_the_points_lying_there_then_those_used_for_it(dataset: Dataset) -> None:
    assert codes(dataset, "knee") == ["BL40"]
    assert codes(dataset, "groin") == ["SP12", "ST31"]  # ST31: "pain at the front of the hip"
    assert codes(dataset, "shoulder") == ["LI15", "TE14", "GB21", "HT1"]
    hip = codes(dataset, "hip")
    lying = [p.code for p in dataset.points if p.region == "hip"]
    assert hip[: len(lying)] == lying
    used = [p.code for p in dataset.points if any("hip" in i.split() for i in p.indications)]
    assert set(hip) == set(lying) | set(used)
    assert hip[len(lying) :] == [c for c in used if c not in lying]


def test_region_points_reads_the_region_words(dataset: Dataset) -> None:
    regions = tuple(
        r._replace(words=("great ravine stuff",)) if r.id == "knee" else r for r in dataset.regions
    )
    points = tuple(
        p._replace(indications=("Great Ravine Stuff, mostly",)) if p.code == "KI3" else p
        for p in dataset.points
    )
    changed = variant(dataset, regions=regions, points=points)
    assert [p.code for p in region_points(changed, "knee")] == ["BL40", "KI3"]
    assert codes(changed, "great ravine stuff") == ["BL40", "KI3"]


def test_a_use_is_whole_words_of_an_indication(dataset: Dataset) -> None:
    assert [p.code for p in use_points(dataset, "tired legs")] == ["ST36"]
    assert use_points(dataset, "ired leg") == ()
    assert use_points(dataset, "legs tired") == ()
    assert [p.code for p in use_points(dataset, "heel")] == ["BL60"]


def test_a_use_needs_four_characters(dataset: Dataset) -> None:
    points = tuple(
        p._replace(indications=("abc", "abcd")) if p.code == "LI4" else p for p in dataset.points
    )
    changed = variant(dataset, points=points)
    assert use_points(changed, "abc") == ()
    assert [p.code for p in use_points(changed, "abcd")] == ["LI4"]


def test_plain_words_name_conditions_before_regions(dataset: Dataset) -> None:
    regions = (*dataset.regions, Region("nerve", "sciatica", words=("knee",)))
    words = plain_words(variant(dataset, regions=regions))
    assert words["sciatica"] == ("condition", "sciatica")
    assert words["knee"] == ("region", "knee")
    assert words["nerve"] == ("region", "nerve")
    assert words["lower back"] == ("region", "lower-back")
    assert words["lower back pain"] == ("condition", "lower-back-pain")
    assert "" not in words


def test_a_region_with_an_empty_word_is_no_plain_word(dataset: Dataset) -> None:
    regions = tuple(r._replace(words=("--",)) if r.id == "knee" else r for r in dataset.regions)
    assert "" not in plain_words(variant(dataset, regions=regions))


def test_an_exact_point_name_wins_over_a_plain_word(dataset: Dataset) -> None:
    regions = tuple(
        r._replace(words=("jumping circle", "huantiao", "gb30")) if r.id == "knee" else r
        for r in dataset.regions
    )
    changed = variant(dataset, regions=regions)
    for query in ("jumping circle", "huantiao", "gb30"):
        result = find(changed, query)
        assert ([p.code for p in result.points], result.kind) == (["GB30"], "exact"), query


def test_a_plain_word_wins_over_words_inside_names(dataset: Dataset) -> None:
    # "shoulder" is inside three English names, and it is a region
    assert find(dataset, "shoulder").kind == "region"
    regions = tuple(r._replace(words=("spring",)) if r.id == "knee" else r for r in dataset.regions)
    assert find(variant(dataset, regions=regions), "spring").kind == "region"


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("sciatca", Suggestion("sciatica", "condition", "sciatica")),
        ("kne", Suggestion("knee", "region", "knee")),
        ("shouldr", Suggestion("shoulder", "region", "shoulder")),
        ("bursits", Suggestion("bursitis", "condition", "bursitis")),
    ],
)
def test_a_typo_of_a_plain_word_is_only_suggested(
    dataset: Dataset, query: str, first: Suggestion
) -> None:
    result = find(dataset, query)
    assert (result.kind, result.points) == ("none", ())
    assert result.suggestions[0] == first


def test_suggestions_name_each_condition_once(dataset: Dataset) -> None:
    targets = [(s.kind, s.target) for s in find(dataset, "sciatca").suggestions]
    assert targets.count(("condition", "sciatica")) == 1


# --- typos -----------------------------------------------------------------------------------


def test_no_match_suggests_close_names_one_per_point(dataset: Dataset) -> None:
    result = find(dataset, "jianxx")
    assert result.kind == "none"
    assert [s.target for s in result.suggestions] == ["LI15", "HT1", "TE14", "GB21"]
    assert result.suggestions[0] == Suggestion("Jiānyú", "point", "LI15")
    assert len({s.target for s in result.suggestions}) == len(result.suggestions)


def test_suggestions_stop_at_five(dataset: Dataset) -> None:
    assert len(find(dataset, "Galbladder 99").suggestions) == MAX_SUGGESTIONS


def test_a_typo_close_to_two_names_is_only_suggested(dataset: Dataset) -> None:
    points = tuple(
        p._replace(english="Huantiao Two") if p.code == "LI4" else p for p in dataset.points
    )
    changed = variant(dataset, points=points)
    points2 = tuple(
        p._replace(english="Huantaio") if p.code == "LI4" else p for p in dataset.points
    )
    result = find(variant(dataset, points=points2), "huantaoi")
    assert (result.kind, {s.target for s in result.suggestions} >= {"GB30", "LI4"}) == (
        "none",
        True,
    )
    assert codes(changed, "huantaio") == ["GB30"]


def test_a_typo_is_taken_only_when_close(dataset: Dataset) -> None:
    # "huantiaoo" is 0.94 close to Huántiào, "huanxxao" less than FUZZY_ACCEPT
    assert find(dataset, "huantiaoo").kind == "fuzzy"
    result = find(dataset, "huanxxao")
    assert result.kind == "none"
    assert result.suggestions[0].target == "GB30"
    assert FUZZY_ACCEPT > 0.8


@pytest.mark.parametrize("query", ["GBB30", "gbx 30", "GBB-30"])
def test_a_code_like_typo_is_only_suggested(dataset: Dataset, query: str) -> None:
    result = find(dataset, query)
    assert result.kind == "none"


def test_a_code_like_typo_suggests_the_code(dataset: Dataset) -> None:
    assert find(dataset, "GBB30").suggestions[0] == Suggestion("GB30", "point", "GB30")


def test_a_typo_with_tone_numbers_is_found(dataset: Dataset) -> None:
    result = find(dataset, "huan2 taio4")
    assert ([p.code for p in result.points], result.kind) == (["GB30"], "fuzzy")


# --- the index -------------------------------------------------------------------------------


def test_the_index_lists_each_point_once_per_key(dataset: Dataset) -> None:
    index = name_index(dataset)
    for key, entries in index.items():
        assert key
        point_codes = [e.point.code for e in entries]
        assert len(point_codes) == len(set(point_codes)), key
    # "San Jiao 14" and "Sanjiao 14" fold alike: one entry, the first name
    assert [(e.point.code, e.name) for e in index["sanjiao14"]] == [("TE14", "San Jiao 14")]


def test_the_index_finds_every_name_of_every_point(dataset: Dataset) -> None:
    index = name_index(dataset)
    for point in dataset.points:
        names = [point.code, *point.aliases, point.pinyin, point.hanzi, point.english]
        for name in names:
            assert point.code in [e.point.code for e in index[fold_text(name)]], name


def test_a_name_two_points_share_lists_both(dataset: Dataset) -> None:
    points = tuple(
        p._replace(english="Jumping Circle") if p.code == "LI4" else p for p in dataset.points
    )
    result = find(variant(dataset, points=points), "jumping circle")
    assert ([p.code for p in result.points], result.kind) == (["GB30", "LI4"], "exact")
    assert result.matched_name == "Jumping Circle"


def test_phrase() -> None:
    assert phrase("  Lower-Back_pain!! ") == "lower back pain"
    assert phrase("Hüfte") == "hufte"


# --- filters ---------------------------------------------------------------------------------


def test_filter_by_condition_keeps_condition_order(dataset: Dataset) -> None:
    expected = [role.point for role in dataset.condition("sciatica").points]
    assert [p.code for p in filter_points(dataset, condition="sciatica")] == list(
        dict.fromkeys(expected)
    )


def test_filter_by_region(dataset: Dataset) -> None:
    shoulder = filter_points(dataset, region="shoulder")
    assert {p.code for p in shoulder} >= {"LI15", "TE14"}
    assert all(p.region == "shoulder" for p in shoulder)


def test_filter_by_both(dataset: Dataset) -> None:
    found = filter_points(dataset, condition="sciatica", region="buttock")
    assert [p.code for p in found] == ["GB30", "BL54"]
    assert filter_points(dataset) == dataset.points


def test_points_are_records(dataset: Dataset) -> None:
    assert all(isinstance(p, Point) for p in find(dataset, "hip").points)


# --- what the pinned decisions are ---------------------------------------------------------


def test_a_query_read_as_a_code_says_so_found_or_not(dataset: Dataset) -> None:
    assert find(dataset, "GB30").code == CodeReading("GB30", "GB", True)
    assert find(dataset, "sj-14").code == CodeReading("TE14", "TE", True)
    assert find(dataset, "Gallbladder 30").code == CodeReading("GB30", "GB", True)
    assert find(dataset, "GB41").code == CodeReading("GB41", "GB", True)
    assert find(dataset, "MH").code is None
    assert find(dataset, "huantiao").code is None


def test_an_alias_in_the_data_wins_over_what_it_reads_as(dataset: Dataset) -> None:
    points = tuple(
        p._replace(aliases=(*p.aliases, "ST16")) if p.code == "LI4" else p for p in dataset.points
    )
    result = find(variant(dataset, points=points), "st-16")
    assert ([p.code for p in result.points], result.kind, result.matched_name) == (
        ["LI4"],
        "exact",
        "ST16",
    )
    assert result.code == CodeReading("ST16", "ST", True)


def test_an_alias_is_found_with_leading_zeros(dataset: Dataset) -> None:
    points = tuple(
        p._replace(aliases=(*p.aliases, "Zz 9")) if p.code == "GB30" else p for p in dataset.points
    )
    assert codes(variant(dataset, points=points), "Zz 09") == ["GB30"]


def test_many_leading_zeros_are_still_the_code(dataset: Dataset) -> None:
    assert read_code(dataset, "GB0000030") == CodeReading("GB30", "GB", True)


def test_a_long_channel_reads_four_digit_numbers(dataset: Dataset) -> None:
    channels = tuple(c._replace(last=5000) if c.id == "GB" else c for c in dataset.channels)
    changed = variant(dataset, channels=channels)
    assert read_code(changed, "GB1234") == CodeReading("GB1234", "GB", True)
    assert read_code(changed, "GB12345") == CodeReading("GB12345", "GB", False)


def test_a_short_code_suggests_its_channel_down_to_the_suggest_cutoff(dataset: Dataset) -> None:
    # GB29 and GB21 are 0.57 close to GB3: below suggest.CUTOFF, above FUZZY_SUGGEST
    assert [s.target for s in find(dataset, "GB3").suggestions] == [
        "GB30",
        "GB31",
        "GB34",
        "GB29",
        "GB21",
    ]


def test_an_alias_is_suggested_by_its_own_spelling(dataset: Dataset) -> None:
    assert find(dataset, "SJJ14").suggestions == (Suggestion("SJ14", "point", "TE14"),)


def test_a_name_that_folds_to_nothing_is_skipped_not_the_rest(dataset: Dataset) -> None:
    points = tuple(p._replace(english="!!!") if p.code == "LI4" else p for p in dataset.points)
    index = name_index(variant(dataset, points=points))
    assert "" not in index
    assert [e.point.code for e in index["largeintestine4"]] == ["LI4"]


def test_only_numbered_who_codes_get_channel_names(dataset: Dataset) -> None:
    points = tuple(p._replace(code="EXTRA") if p.code == "GB21" else p for p in dataset.points)
    index = name_index(variant(dataset, points=points))
    assert [k for k in index if k.startswith("gallbladder")] == [
        "gallbladder29",
        "gallbladder30",
        "gallbladder31",
        "gallbladder34",
    ]
    assert not [k for k in name_index(dataset) if k.startswith("mastertung")]


@pytest.mark.parametrize(
    "query", ["GB030 huantiao", "huantiao 030", "huantiao x", "环", "tiao4 huan2", "TIAO HUAN"]
)
def test_partial_words(dataset: Dataset, query: str) -> None:
    result = find(dataset, query)
    assert ([p.code for p in result.points], result.kind) == (["GB30"], "partial")


def test_a_typo_exactly_as_close_as_the_threshold_is_taken(dataset: Dataset) -> None:
    points = tuple(
        p._replace(english="Abcdefghijklmnopqrstuvwxy") if p.code == "LI4" else p
        for p in dataset.points
    )
    result = find(variant(dataset, points=points), "abcdefghijklmnopqrstuzzzz")  # 0.84
    assert ([p.code for p in result.points], result.kind) == (["LI4"], "fuzzy")
    result = find(variant(dataset, points=points), "abcdefghijklmnopqrstzzzzz")  # 0.80
    assert result.kind == "none"


def test_a_typo_keeps_its_number_with_leading_zeros(dataset: Dataset) -> None:
    result = find(dataset, "Galbladder 030")
    assert ([p.code for p in result.points], result.kind) == (["GB30"], "fuzzy")


def test_a_rival_exactly_the_tie_margin_behind_still_blocks_the_typo(dataset: Dataset) -> None:
    english = {"LI4": "Abcdefghijklmnopqrxy", "SP6": "Abcdefghijklmnopqzzz"}
    points = tuple(p._replace(english=english.get(p.code, p.english)) for p in dataset.points)
    changed = variant(dataset, points=points)
    result = find(changed, "abcdefghijklmnopqrst")  # 0.90 to LI4's name, 0.85 to SP6's
    assert (result.kind, [s.target for s in result.suggestions][:2]) == ("none", ["LI4", "SP6"])
    alone = tuple(
        p._replace(english=english["LI4"]) if p.code == "LI4" else p for p in dataset.points
    )
    assert codes(variant(dataset, points=alone), "abcdefghijklmnopqrst") == ["LI4"]
