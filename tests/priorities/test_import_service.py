"""Importing police.uk street-level files: what lands where, what is counted, and what is refused.

The real file is the Metropolitan Police Service's burglaries of December 2024 to February 2025
(12,945 rows; 680 in Barnet, 2 in Epping Forest and 1 in Brentwood, which are Essex districts).
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import Sum

from partnerships.models import Partnership, PartnershipKind, PoliceForceArea
from priorities import services
from priorities.models import CrimeCount, CrimeImport
from priorities.policeuk import HEADER
from tests.factories import CountyGroupFactory, PartnershipFactory
from tests.priorities.factories_assessments import MET_STREET_FILE, csp_for_districts, force, street_file, street_row

pytestmark = pytest.mark.django_db

MET = "Metropolitan Police Service"
MET_MONTHS = [date(2024, 12, 1), date(2025, 1, 1), date(2025, 2, 1)]
BARNET_ROWS = {date(2024, 12, 1): 244, date(2025, 1, 1): 244, date(2025, 2, 1): 192}


def run_import(scope: Partnership, *files: tuple[str, bytes]) -> services.ImportSummary:
    return services.crime_import(
        actor=None, scope=scope, files=[(name, services.text_stream(io.BytesIO(data))) for name, data in files]
    )


def met_file() -> tuple[str, bytes]:
    return MET_STREET_FILE.name, MET_STREET_FILE.read_bytes()


def rows_by_month(partnership: Partnership) -> dict[date, int]:
    totals = CrimeCount.objects.filter(partnership=partnership).values("month").annotate(total=Sum("count"))
    return {row["month"]: row["total"] for row in totals.order_by("month")}


def total(partnership: Partnership) -> int:
    return CrimeCount.objects.filter(partnership=partnership).aggregate(total=Sum("count"))["total"] or 0


@pytest.fixture
def met_force() -> PoliceForceArea:
    return force("Metropolitan Police", "E23000001")


@pytest.fixture
def barnet(met_force: PoliceForceArea) -> Partnership:
    return csp_for_districts("Barnet", "E22000187", met_force)


def test_the_met_file_gives_barnet_its_680_burglaries_over_three_months_and_counts_the_rest_as_outside(barnet):
    summary = run_import(barnet, met_file())

    assert summary.rows_read == 12_945
    assert summary.rows_imported == 680
    assert summary.rows_outside == 12_945 - 680
    assert summary.rows_no_location == 0
    assert summary.months == MET_MONTHS
    assert summary.per_partnership == {"Barnet": {"Burglary": 680}}
    assert rows_by_month(barnet) == BARNET_ROWS
    assert set(CrimeCount.objects.values_list("category", "reported_by").distinct()) == {("burglary", MET)}
    record = CrimeImport.objects.get()
    assert (record.scope, record.files, record.imported_by) == (barnet, MET_STREET_FILE.name, None)
    assert (record.rows_read, record.rows_outside, record.rows_no_location) == (12_945, 12_265, 0)
    assert record.months == ["2024-12-01", "2025-01-01", "2025-02-01"]
    # Nothing is dropped silently: every row outside is accounted for by the district it fell in.
    assert sum(record.summary["outside"].values()) == 12_265
    assert record.summary["outside"]["Epping Forest"] == 2
    assert record.summary["outside"]["Brentwood"] == 1


def test_a_force_wide_file_imported_by_a_county_group_gives_every_csp_of_its_force_area_its_share():
    call_command("load_registry", verbosity=0)
    essex = PoliceForceArea.objects.get(code="E23000028")
    safer_essex = CountyGroupFactory(name="Safer Essex", slug="safer-essex", police_force_area=essex)
    epping_forest = Partnership.objects.get(ons_code="E22000085")
    brentwood = Partnership.objects.get(ons_code="E22000081")
    barnet = Partnership.objects.get(ons_code="E22000187")

    summary = run_import(safer_essex, met_file())

    assert rows_by_month(epping_forest) == {date(2025, 2, 1): 2}
    assert rows_by_month(brentwood) == {date(2024, 12, 1): 1}
    assert summary.per_partnership == {"Brentwood": {"Burglary": 1}, "Epping Forest": {"Burglary": 2}}
    assert summary.rows_outside == 12_945 - 3
    # Other Essex CSPs get nothing from a Met file; Barnet is not in Essex, so gets nothing either.
    assert set(CrimeCount.objects.values_list("partnership", flat=True)) == {epping_forest.pk, brentwood.pk}
    assert total(barnet) == 0
    assert CrimeImport.objects.get().scope == safer_essex


def test_a_county_group_shares_out_to_the_csps_under_it_as_well(met_force):
    county = CountyGroupFactory()
    riverton = csp_for_districts("Riverton", "E22900001", met_force)
    riverton.parent = county
    riverton.save()

    summary = run_import(county, ("f.csv", street_file(street_row(lsoa_name="Riverton 001A"))))

    assert summary.per_partnership == {"Riverton": {"Burglary": 1}}
    assert total(riverton) == 1


def test_importing_the_same_file_again_replaces_its_months_rather_than_doubling_them(barnet):
    run_import(barnet, met_file())
    cells = CrimeCount.objects.count()

    run_import(barnet, met_file())

    assert rows_by_month(barnet) == BARNET_ROWS
    assert CrimeCount.objects.count() == cells
    assert CrimeImport.objects.count() == 2


def test_importing_one_month_again_replaces_that_month_only(barnet):
    run_import(barnet, met_file())

    run_import(barnet, ("2025-01-metropolitan-street.csv", street_file(street_row(month="2025-01"))))

    assert rows_by_month(barnet) == {date(2024, 12, 1): 244, date(2025, 1, 1): 1, date(2025, 2, 1): 192}


def test_a_file_for_another_month_adds_to_what_is_there(barnet):
    run_import(barnet, met_file())

    summary = run_import(
        barnet,
        ("2025-03-metropolitan-street.csv", street_file(street_row(month="2025-03"), street_row(month="2025-03"))),
    )

    assert summary.months == [date(2025, 3, 1)]
    assert rows_by_month(barnet) == {**BARNET_ROWS, date(2025, 3, 1): 2}


def test_several_files_in_one_import_are_counted_together(barnet):
    summary = run_import(
        barnet,
        ("2025-03-metropolitan-street.csv", street_file(street_row(month="2025-03"))),
        ("2025-04-metropolitan-street.csv", street_file(street_row(month="2025-04"), street_row(month="2025-04"))),
    )

    assert summary.files == ["2025-03-metropolitan-street.csv", "2025-04-metropolitan-street.csv"]
    assert rows_by_month(barnet) == {date(2025, 3, 1): 1, date(2025, 4, 1): 2}
    assert CrimeImport.objects.get().files == "2025-03-metropolitan-street.csv, 2025-04-metropolitan-street.csv"


def test_counts_are_kept_per_neighbourhood_and_category(barnet):
    run_import(
        barnet,
        (
            "f.csv",
            street_file(
                street_row(lsoa_code="E01000248", lsoa_name="Barnet 001A"),
                street_row(lsoa_code="E01000248", lsoa_name="Barnet 001A"),
                street_row(lsoa_code="E01000249", lsoa_name="Barnet 001B"),
                street_row(lsoa_code="E01000249", lsoa_name="Barnet 001B", crime_type="Robbery"),
            ),
        ),
    )

    cells = CrimeCount.objects.order_by("lsoa_code", "category").values_list(
        "lsoa_code", "lsoa_name", "category", "count"
    )
    assert list(cells) == [
        ("E01000248", "Barnet 001A", "burglary", 2),
        ("E01000249", "Barnet 001B", "burglary", 1),
        ("E01000249", "Barnet 001B", "robbery", 1),
    ]


def test_rows_without_a_location_are_counted_and_reported_not_dropped(barnet):
    summary = run_import(
        barnet,
        (
            "f.csv",
            street_file(
                street_row(lsoa_code="", lsoa_name=""),
                street_row(lsoa_code="", lsoa_name="", crime_type="Anti-social behaviour"),
                street_row(),
            ),
        ),
    )

    assert (summary.rows_read, summary.rows_no_location, summary.rows_outside, summary.rows_imported) == (3, 2, 0, 1)
    assert CrimeImport.objects.get().rows_no_location == 2
    assert total(barnet) == 1


def test_a_file_with_every_row_outside_the_partnership_is_imported_and_says_so(barnet):
    summary = run_import(barnet, ("f.csv", street_file(street_row(lsoa_name="Camden 019A"))))

    assert (summary.rows_read, summary.rows_outside, summary.rows_imported) == (1, 1, 0)
    assert CrimeImport.objects.get().summary["outside"] == {"Camden": 1}
    assert not CrimeCount.objects.exists()


@pytest.mark.parametrize(
    ("crime_type", "category"),
    [
        ("Violent crime", "violent-crime"),
        ("Violence and sexual offences", "violent-crime"),
        ("violence-and-sexual-offences", "violent-crime"),
        ("Public disorder and weapons", "public-disorder-weapons"),
        ("weapons-possession", "possession-of-weapons"),
        ("Criminal damage and arson", "criminal-damage-arson"),
        ("Anti-social behaviour", "anti-social-behaviour"),
        ("BURGLARY", "burglary"),
    ],
)
def test_legacy_and_current_crime_type_names_map_to_a_category(barnet, crime_type, category):
    run_import(barnet, ("f.csv", street_file(street_row(crime_type=crime_type))))

    assert CrimeCount.objects.get().category == category


def _without(column: str) -> list[str]:
    return [h for h in HEADER if h != column]


def _swapped() -> list[str]:
    header = list(HEADER)
    header[0], header[1] = header[1], header[0]
    return header


GOOD_ROW = street_row()
BAD_FILES = {
    "missing column": (
        street_file(GOOD_ROW, header=_without("Crime type")),
        "row 1: not a police.uk street-level file (missing column(s) Crime type)",
    ),
    "columns in the wrong order": (
        street_file(GOOD_ROW, header=_swapped()),
        "row 1: not a police.uk street-level file (columns in the wrong order)",
    ),
    "a row of 11 columns": (street_file(GOOD_ROW, GOOD_ROW[:11]), "row 3: expected 12 columns, found 11"),
    "month with a slash": (
        street_file(GOOD_ROW, street_row(month="2025/01")),
        "row 3, column Month: '2025/01' is not a month like 2025-01",
    ),
    "month 13": (street_file(street_row(month="2025-13")), "row 2, column Month: '2025-13' is not a month"),
    "unknown crime type": (
        street_file(GOOD_ROW, GOOD_ROW, street_row(crime_type="Jaywalking")),
        "row 4, column Crime type: unknown crime type 'Jaywalking'",
    ),
    "not UTF-8": (
        street_file(GOOD_ROW).replace(b"On or near High Street", b"On or near Caf\xe9 Street"),
        "not a text (UTF-8) CSV file",
    ),
    "empty": (b"", "the file is empty"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_file_is_refused_naming_the_file_row_and_column_and_nothing_is_saved(barnet, kind):
    data, message = BAD_FILES[kind]
    run_import(barnet, ("2024-11-metropolitan-street.csv", street_file(street_row(month="2024-11"))))
    before = (CrimeCount.objects.count(), total(barnet), CrimeImport.objects.count())

    with pytest.raises(ValidationError) as refused:
        run_import(barnet, ("2025-01-metropolitan-street.csv", data))

    assert len(refused.value.messages) == 1
    assert refused.value.messages[0].startswith("2025-01-metropolitan-street.csv")
    assert message in refused.value.messages[0]
    assert (CrimeCount.objects.count(), total(barnet), CrimeImport.objects.count()) == before


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_file_after_a_good_one_in_the_same_import_refuses_the_whole_import(barnet, kind):
    data, message = BAD_FILES[kind]

    with pytest.raises(ValidationError) as refused:
        run_import(barnet, met_file(), ("bad.csv", data))

    assert message in refused.value.messages[0]
    assert refused.value.messages[0].startswith("bad.csv")
    assert not CrimeCount.objects.exists()
    assert not CrimeImport.objects.exists()


def test_a_bad_file_leaves_the_months_already_imported_as_they_were(barnet):
    run_import(barnet, met_file())

    with pytest.raises(ValidationError):
        run_import(barnet, met_file(), ("bad.csv", street_file(street_row(crime_type="Jaywalking"))))

    assert rows_by_month(barnet) == BARNET_ROWS
    assert CrimeImport.objects.count() == 1


def test_a_file_with_a_header_and_no_rows_is_refused(barnet):
    with pytest.raises(ValidationError, match="hold no rows"):
        run_import(barnet, ("f.csv", street_file()))

    assert not CrimeImport.objects.exists()


def test_crime_data_is_not_imported_for_a_thematic_group(barnet):
    group = PartnershipFactory(kind=PartnershipKind.THEMATIC_GROUP, ons_code=None, parent=CountyGroupFactory())

    with pytest.raises(ValidationError, match="community safety partnership or a county group"):
        run_import(group, ("f.csv", street_file(GOOD_ROW)))
