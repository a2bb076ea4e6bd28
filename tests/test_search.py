"""find_point: every way a person may name a point resolves to the right code."""

from __future__ import annotations

import pytest

from hipguide.search import filter_points, find_point, fold_text

LOOKUPS = [
    # codes in any format and alias
    ("GB30", "GB30"),
    ("gb30", "GB30"),
    ("gb-30", "GB30"),
    ("GB 30", "GB30"),
    ("GB030", "GB30"),
    ("SJ14", "TE14"),
    ("sj-14", "TE14"),
    ("TW14", "TE14"),
    ("SJ-2", "TE2"),
    ("Lv3", "LR3"),
    ("LIV3", "LR3"),
    ("UB54", "BL54"),
    ("ub-40", "BL40"),
    ("Ht-1", "HT1"),
    ("K3", "KI3"),
    ("LI-15", "LI15"),
    ("88.12", "88.12"),
    # pinyin with and without tones and spaces
    ("Huántiào", "GB30"),
    ("huantiao", "GB30"),
    ("Huan Tiao", "GB30"),
    ("huan2 tiao4", "GB30"),
    ("zusanli", "ST36"),
    ("Zú Sān Lǐ", "ST36"),
    ("taixi", "KI3"),
    ("yanglingquan", "GB34"),
    ("taichong", "LR3"),
    ("shenshu", "BL23"),
    ("weizhong", "BL40"),
    ("hegu", "LI4"),
    ("sanyinjiao", "SP6"),
    ("jianjing", "GB21"),
    ("zhiyin", "BL67"),
    ("ming huang", "88.12"),
    # hanzi, simplified and traditional
    ("环跳", "GB30"),
    ("環跳", "GB30"),
    ("足三里", "ST36"),
    ("肾俞", "BL23"),
    ("腎俞", "BL23"),
    ("太冲", "LR3"),
    ("阳陵泉", "GB34"),
    ("陽陵泉", "GB34"),
    # English names
    ("Jumping Circle", "GB30"),
    ("jumping circle", "GB30"),
    ("leg three miles", "ST36"),
    # channel name and number, as the source articles write them
    ("Gallbladder 30", "GB30"),
    ("Spleen 12", "SP12"),
    ("Bladder 54", "BL54"),
    ("Triple Energizer 14", "TE14"),
    ("San Jiao 14", "TE14"),
    ("urinary bladder 40", "BL40"),
    # typos
    ("huantaio", "GB30"),
    ("zusanlli", "ST36"),
    ("yanglinquan", "GB34"),
]


@pytest.mark.parametrize(("query", "code"), LOOKUPS)
def test_lookup(dataset, query: str, code: str) -> None:  # type: ignore[no-untyped-def]
    result = find_point(dataset, query)
    assert [p.code for p in result.points] == [code], result


@pytest.mark.parametrize("query", ["xyzzy", "GB99", "", "   ", "!!!", "sanyinjiao 14", "Spleen 99"])
def test_no_match(dataset, query: str) -> None:  # type: ignore[no-untyped-def]
    result = find_point(dataset, query)
    assert result.kind == "none"
    assert result.points == ()


def test_no_match_suggests_close_names(dataset) -> None:  # type: ignore[no-untyped-def]
    result = find_point(dataset, "GB300")
    assert result.kind == "none" or result.points[0].code == "GB30"
    suggestions = find_point(dataset, "jianxx").suggestions
    assert any(fold_text(s).startswith("jian") for s in suggestions), suggestions


def test_ambiguous_query_lists_every_candidate(dataset) -> None:  # type: ignore[no-untyped-def]
    result = find_point(dataset, "shoulder")
    assert result.kind == "partial"
    assert len(result.points) >= 2
    assert all("shoulder" in (p.english + p.region).lower() for p in result.points), [
        p.code for p in result.points
    ]


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Huántiào", "huantiao"), ("huan2 tiao4", "huantiao"), ("GB-30", "gb30"), ("環跳", "環跳")],
)
def test_fold_text(text: str, folded: str) -> None:
    assert fold_text(text) == folded


def test_filter_by_condition_keeps_condition_order(dataset) -> None:  # type: ignore[no-untyped-def]
    expected = [role.point for role in dataset.condition("sciatica").points]
    assert [p.code for p in filter_points(dataset, condition="sciatica")] == list(
        dict.fromkeys(expected)
    )


def test_filter_by_region(dataset) -> None:  # type: ignore[no-untyped-def]
    shoulder = filter_points(dataset, region="shoulder")
    assert {p.code for p in shoulder} >= {"LI15", "TE14"}
    assert all(p.region == "shoulder" for p in shoulder)
