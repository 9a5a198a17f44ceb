"""Départements from codes, names, misspellings and postcodes; clear errors otherwise."""

import pytest

from conseiller.catalog import Catalog
from conseiller.territory import TerritoryError


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("23", "23"),
        ("2A", "2A"),
        ("2b", "2B"),
        ("974", "974"),
        ("1", "01"),
        ("Creuse", "23"),
        ("côtes d'armor", "22"),
        ("Côtes-d’Armor", "22"),
        ("creuze", "23"),
        ("ardeche", "07"),
        ("finistaire", "29"),
        ("morbian", "56"),
        ("la réunion", "974"),
        ("je suis en Dordogne", "24"),
        ("dans le 63", "63"),
        ("23000", "23"),
        ("20200", "2B"),
        ("97200", "972"),
        ("Seine-St-Denis", "93"),
        ("corrèze", "19"),
        ("haute loire", "43"),
        ("loire", "42"),
    ],
)
def test_resolves(catalog: Catalog, text: str, code: str) -> None:
    assert catalog.territories.resolve(text).code == code


def test_region_of(catalog: Catalog) -> None:
    assert catalog.territories.region_of("23").name == "Nouvelle-Aquitaine"
    assert catalog.territories.region_of("2A").code == "94"


@pytest.mark.parametrize("text", ["atlantis", "", "   ", "99", "rhin", "corse", "bonjour"])
def test_unknown_text_is_a_clear_error(catalog: Catalog, text: str) -> None:
    with pytest.raises(TerritoryError) as err:
        catalog.territories.resolve(text)
    assert "département" in str(err.value)


def test_ambiguous_name_suggests_the_candidates(catalog: Catalog) -> None:
    with pytest.raises(TerritoryError) as err:
        catalog.territories.resolve("rhin")
    codes = {d.code for d in err.value.suggestions}
    assert {"67", "68"} <= codes
    assert "Bas-Rhin (67)" in str(err.value)


@pytest.mark.parametrize("text", ["Saint-Denis", "saint denis", "à St-Denis"])
def test_a_town_in_several_departements_is_not_guessed(catalog: Catalog, text: str) -> None:
    """Saint-Denis is in Seine-Saint-Denis and is La Réunion's chef-lieu: the person picks."""
    with pytest.raises(TerritoryError) as err:
        catalog.territories.resolve(text)
    assert [d.code for d in err.value.suggestions] == ["93", "974"]
    assert "Seine-Saint-Denis (93), La Réunion (974)" in str(err.value)
    assert catalog.territories.resolve("Seine-Saint-Denis").code == "93"


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Bretagne", ["22", "29", "35", "56"]),
        ("en bretagn", ["22", "29", "35", "56"]),
        ("Limousin", ["19", "23", "87"]),
        ("auvergne", ["03", "15", "43", "63"]),
        ("Nord-Pas-de-Calais", ["59", "62"]),
        ("Corse", ["2A", "2B"]),
    ],
)
def test_a_region_or_former_region_asks_which_departement(
    catalog: Catalog, text: str, codes: list[str]
) -> None:
    with pytest.raises(TerritoryError) as caught:
        catalog.territories.resolve(text)
    assert [d.code for d in caught.value.suggestions] == codes
    assert "Lequel" in str(caught.value)  # no look-alike names ("Tarn, Ain, Aisne")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Aurillac", "15"),
        ("Guéret", "23"),
        ("st brieuc", "22"),
        ("Pays basque", "64"),
        ("la Réunion", "974"),
        ("Mamoudzou", "976"),
        ("Martinique", "972"),
        ("Mende", "48"),
    ],
)
def test_prefectures_and_common_names(catalog: Catalog, text: str, code: str) -> None:
    assert catalog.territories.resolve(text).code == code


def test_the_words_of_every_name_the_map_knows(catalog: Catalog) -> None:
    words = catalog.territories.words()
    assert {"cantal", "manche", "bretagne", "cayenne", "aurillac"} <= words
    assert "st" not in words and "la" not in words  # three letters or more
