from console.domain.text import fold_diacritics, format_km, matches_search


def test_fold_diacritics() -> None:
    assert fold_diacritics("Đình Bảng") == "dinh bang"
    assert fold_diacritics("Quế Võ") == "que vo"
    assert fold_diacritics("Cầu Như Nguyệt") == "cau nhu nguyet"


def test_search_with_or_without_diacritics() -> None:
    assert matches_search("dinh bang", "QL1 Km147+600 - Đình Bảng")
    assert matches_search("Đình", "QL1 Km147+600 - Đình Bảng")
    assert matches_search("ql1 147", "QL1 Km147+600 - Đình Bảng")
    assert not matches_search("que vo", "QL1 Km147+600 - Đình Bảng")


def test_format_km() -> None:
    assert format_km(122.3) == "Km122+300"
    assert format_km(141.0) == "Km141"
    assert format_km(9.9996) == "Km10"
