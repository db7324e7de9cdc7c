"""`manage.py import_policeuk FILE... --partnership SLUG-OR-ONS-CODE` (or `--county SLUG`)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from django.db.models import Sum

from partnerships.models import Partnership
from priorities.models import CrimeCount, CrimeImport
from tests.factories import CountyGroupFactory
from tests.priorities.factories_assessments import (
    MET_OUTCOMES_SAMPLE,
    MET_STREET_FILE,
    csp_for_districts,
    force,
    street_file,
    street_row,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def barnet() -> Partnership:
    return csp_for_districts("Barnet", "E22000187", force("Metropolitan Police", "E23000001"))


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_policeuk", *args, stdout=out)
    return out.getvalue()


def barnet_total() -> int:
    return CrimeCount.objects.aggregate(total=Sum("count"))["total"] or 0


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_the_command_imports_for_a_partnership_named_by_its_ons_code_and_prints_the_summary(barnet):
    output = run(str(MET_STREET_FILE), "--partnership", "E22000187")

    assert f"Imported {MET_STREET_FILE.name} for Barnet" in output
    assert "rows read:                    12,945" in output
    assert "rows in the partnerships:        680" in output
    assert "outside the area:             12,265" in output
    assert "with no location:                  0" in output
    assert "months: 2024-12, 2025-01, 2025-02" in output
    assert "Barnet:" in output
    assert barnet_total() == 680


def test_the_command_finds_a_partnership_by_its_slug_too(barnet, tmp_path):
    path = write(tmp_path, "2025-03-metropolitan-street.csv", street_file(street_row(month="2025-03")))

    run(path, "--partnership", barnet.slug)

    assert barnet_total() == 1


def test_the_command_imports_several_files_at_once(barnet, tmp_path):
    march = write(tmp_path, "2025-03-metropolitan-street.csv", street_file(street_row(month="2025-03")))
    april = write(tmp_path, "2025-04-metropolitan-street.csv", street_file(street_row(month="2025-04")))

    output = run(march, april, "--partnership", "E22000187")

    assert "months: 2025-03, 2025-04" in output
    assert CrimeImport.objects.get().files == "2025-03-metropolitan-street.csv, 2025-04-metropolitan-street.csv"


def test_the_command_shares_a_force_wide_file_out_through_a_county_group(tmp_path):
    met = force("Metropolitan Police", "E23000001")
    county = CountyGroupFactory(slug="london-csps", police_force_area=met)
    csp_for_districts("Barnet", "E22000187", met)
    csp_for_districts("Camden", "E22000188", met)
    path = write(
        tmp_path,
        "2025-01-metropolitan-street.csv",
        street_file(street_row(lsoa_name="Barnet 001A"), street_row(lsoa_name="Camden 019A", lsoa_code="E01000856")),
    )

    output = run(path, "--county", "london-csps")

    assert "Barnet:" in output
    assert "Camden:" in output
    assert CrimeImport.objects.get().scope == county


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (street_file(street_row(crime_type="Jaywalking")), "row 2, column Crime type: unknown crime type 'Jaywalking'"),
        (street_file(street_row(month="2025/01")), "row 2, column Month: '2025/01' is not a month like 2025-01"),
        (MET_OUTCOMES_SAMPLE, "row 1: not a police.uk street-level file (missing column(s) Crime type"),
    ],
    ids=["unknown crime type", "bad month", "an outcomes file"],
)
def test_the_command_refuses_a_bad_file_with_its_row_and_column_and_saves_nothing(barnet, tmp_path, data, message):
    good = write(tmp_path, "2025-02-metropolitan-street.csv", street_file(street_row(month="2025-02")))
    bad = write(tmp_path, "2025-01-metropolitan-street.csv", data)

    with pytest.raises(CommandError) as refused:
        run(good, bad, "--partnership", "E22000187")

    assert str(refused.value).startswith("2025-01-metropolitan-street.csv")
    assert message in str(refused.value)
    assert not CrimeCount.objects.exists()
    assert not CrimeImport.objects.exists()


def test_a_refused_file_makes_the_command_exit_non_zero_with_the_message(barnet, tmp_path, capsys):
    bad = write(tmp_path, "bad.csv", street_file(street_row(crime_type="Jaywalking")))

    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "import_policeuk", bad, "--partnership", "E22000187"])

    assert exited.value.code == 1
    assert "bad.csv, row 2, column Crime type: unknown crime type 'Jaywalking'" in capsys.readouterr().err


def test_the_command_refuses_an_unknown_partnership(barnet):
    with pytest.raises(CommandError, match="No community safety partnership 'nowhere'"):
        run(str(MET_STREET_FILE), "--partnership", "nowhere")


def test_the_command_refuses_a_county_slug_that_is_not_a_county_group(barnet):
    with pytest.raises(CommandError, match="No county group"):
        run(str(MET_STREET_FILE), "--county", barnet.slug)


def test_the_command_names_a_file_it_cannot_open(barnet, tmp_path):
    with pytest.raises(CommandError, match=r"missing\.csv"):
        run(str(tmp_path / "missing.csv"), "--partnership", "E22000187")
    assert not CrimeImport.objects.exists()


def test_the_command_needs_a_partnership_or_a_county(barnet):
    with pytest.raises(CommandError, match="one of the arguments --partnership --county is required"):
        run(str(MET_STREET_FILE))
