"""Entity patterns and their normalised forms."""
import pytest

from rhi_service.analysis import default_tagger
from rhi_service.analysis.entities import normalize


@pytest.fixture(scope="module")
def ents():
    tagger = default_tagger()
    return lambda text: [(e.label, e.text) for e in tagger.tag(text).entities]


@pytest.mark.parametrize("written", ["07700 900123", "07700900123", "+44 7700 900123", "+44 (0)7700 900123",
                                     "07700-900-123", "07700 900 123"])
def test_mobile_formats_found_and_normalised(ents, written):
    found = [t for label, t in ents(f"His number is {written} apparently.") if label == "PHONE"]
    assert found == [written]
    assert normalize("PHONE", written) == "07700900123"


def test_landline_found(ents):
    assert ("PHONE", "0161 496 0123") in ents("Nan's landline is 0161 496 0123.")


@pytest.mark.parametrize("helpline", ["116 000", "0800 1111", "101", "999", "0808 800 5000"])
def test_helplines_not_tagged(ents, helpline):
    assert not [e for e in ents(f"Gave her the number {helpline} to ring.") if e[0] == "PHONE"]


def test_postcodes_full_and_district(ents):
    found = ents("He was staying at 9 Marsh Lane, ZZ99 6LT, and is often in ZZ99 and N17.")
    assert ("POSTCODE", "ZZ99 6LT") in found
    assert ("POSTCODE", "ZZ99") in found
    assert ("POSTCODE", "N17") in found
    assert normalize("POSTCODE", "zz996lt") == "ZZ99 6LT"


def test_a_scottish_school_year_is_not_a_postcode_district(ents):
    assert ents("Kirsty is in S5 at Portree High, doing Highers.") == [("PERSON", "Kirsty"), ("LOCATION", "Portree High")]
    assert not [e for e in ents("Aiden is an S3 pupil and stays with his gran.") if e[0] == "POSTCODE"]
    # the district itself, where nothing says school
    assert ("POSTCODE", "S5") in ents("He was seen in S5 near the shops on Friday.")


def test_plates_full_and_partial(ents):
    found = ents("A white Transit van, reg KY17 HVP, and a black Audi A3, partial reg YK68.")
    assert ("VEHICLE", "white Transit van") in found
    assert ("VEHICLE", "KY17 HVP") in found
    assert ("VEHICLE", "black Audi A3") in found
    assert ("VEHICLE", "YK68") in found
    assert normalize("VEHICLE", "ky17 hvp".upper()) == "KY17HVP"


def test_ride_hail_is_not_a_vehicle(ents):
    assert not [e for e in ents("She got an Uber home.") if e[0] == "VEHICLE"]


def test_handles_with_and_without_at(ents):
    found = ents("He messages her as @ashy_luxe and is on snap as ty.mula; his Discord is darkwolf_77.")
    assert ("SOCIAL", "@ashy_luxe") in found
    assert ("SOCIAL", "ty.mula") in found
    assert ("SOCIAL", "darkwolf_77") in found
    assert normalize("SOCIAL", "@Ashy_Luxe") == "ashy_luxe"


def test_ordinary_word_after_platform_is_not_a_handle(ents):
    assert not [e for e in ents("She met someone on Snapchat who said he was 16.") if e[0] == "SOCIAL"]


def test_names_and_nicknames(ents):
    found = ents("Kayla said a lad called Little T and a man she knows as Uncle Mo pick her up. "
                 "Her friend Jay was there too.")
    for name in ("Kayla", "Little T", "Uncle Mo", "Jay"):
        assert ("PERSON", name) in found


def test_roles_are_not_people(ents):
    assert not [e for e in ents("Her mum and the SW spoke to the FC.") if e[0] == "PERSON"]


def test_places(ents):
    found = ents("He was taken from 7 Fennel Walk, Telford to Reading station via the M54 and A38, "
                 "then to McDonald's.")
    for place in ("7 Fennel Walk", "Telford", "Reading station", "M54", "A38", "McDonald's"):
        assert ("LOCATION", place) in found


def test_generic_places_are_not_named(ents):
    assert not [e for e in ents("She was found in the park near the shops.") if e[0] == "LOCATION"]


def test_name_normalisation():
    assert normalize("PERSON", "Little   T") == "little t"
