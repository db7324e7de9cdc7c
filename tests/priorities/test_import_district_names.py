"""Rows reach a CSP through the district in their LSOA name, however the ONS register spells it."""

import io

import pytest

from priorities.models import CrimeCount
from priorities.services import crime_import
from tests.priorities.factories_assessments import csp_for_districts, force, street_file, street_row

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("register_name", "lsoa_name"),
    [
        ("Bristol, City of", "Bristol 001A"),
        ("Kingston upon Hull, City of", "Kingston upon Hull 012B"),
        ("Herefordshire, County of", "Herefordshire 003C"),
        ("Southend-on-Sea", "Southend-on-Sea 001A"),
    ],
)
def test_a_district_named_with_city_of_or_county_of_in_the_register_receives_its_rows(register_name, lsoa_name):
    area = force("Avon and Somerset", "E23000036")
    csp = csp_for_districts("Somewhere", "E22900100", area, register_name)
    data = street_file(street_row(lsoa_code="E01014485", lsoa_name=lsoa_name))

    summary = crime_import(actor=None, scope=csp, files=[("f.csv", io.StringIO(data.decode()))])

    assert summary.rows_outside == 0
    assert CrimeCount.objects.get(partnership=csp).lsoa_name == lsoa_name
