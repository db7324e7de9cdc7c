"""The national register of CSPs (load_registry) and the Safer Essex demo (load_demo)."""

from __future__ import annotations

import csv
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from partnerships import services
from partnerships.demo import DEMO_PEOPLE
from partnerships.management.commands.load_registry import DEFAULT_PATH
from partnerships.models import (
    LocalAuthorityArea,
    Organisation,
    OrganisationMembership,
    Partnership,
    PartnershipKind,
    PoliceForceArea,
    Role,
    RoleAssignment,
    Standing,
    User,
)

pytestmark = pytest.mark.django_db

REGISTRY = Path(DEFAULT_PATH)
DEMO_EMAILS = ["admin@demo.example", *(person.email for person in DEMO_PEOPLE)]


def _table_counts() -> dict[str, int]:
    """Rows in every table of the partnerships app, history tables included."""
    return {model._meta.label: model.objects.count() for model in apps.get_app_config("partnerships").get_models()}


def _registry_rows() -> tuple[list[str], list[dict[str, str]]]:
    with REGISTRY.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def essex_registry(tmp_path: Path) -> Path:
    """The register's rows the demo needs (Essex, and Barnet for the police.uk demo), imported quickly."""
    header, rows = _registry_rows()
    wanted = [row for row in rows if row["PFA24CD"] == "E23000028" or row["CSP24CD"] == "E22000187"]
    return _write_csv(tmp_path / "essex.csv", header, wanted)


@pytest.fixture
def demo(essex_registry: Path) -> str:
    """Essex loaded from the register, then the demo; returns what load_demo printed."""
    services.registry_import(path=essex_registry)
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


# --- The national register ----------------------------------------------------------------------


def test_registry_import_loads_every_csp_district_and_police_force_area_of_england_and_wales():
    summary = services.registry_import(path=REGISTRY)

    assert Partnership.objects.filter(kind=PartnershipKind.CSP).count() == 314
    # 332 rows; seven districts (e.g. Cumberland, Buckinghamshire) are shared by several CSPs.
    assert LocalAuthorityArea.objects.count() == 318
    assert PoliceForceArea.objects.count() == 43
    assert (summary.rows, summary.districts, summary.police_force_areas) == (332, 318, 43)
    assert (summary.partnerships_created, summary.partnerships_updated) == (314, 0)
    assert not Partnership.objects.filter(local_authority_areas__isnull=True).exists()


def test_each_csp_covers_its_districts_and_police_force_area():
    services.registry_import(path=REGISTRY)

    southend = Partnership.objects.get(ons_code="E22000089")
    assert southend.name == "Southend-on-Sea"
    assert southend.slug == "southend-on-sea"
    assert southend.police_force_area.code == "E23000028"
    assert list(southend.local_authority_areas.values_list("code", flat=True)) == ["E06000033"]
    allerdale = Partnership.objects.get(ons_code="E22000031")
    cumberland = LocalAuthorityArea.objects.get(code="E06000063")
    assert cumberland in allerdale.local_authority_areas.all()
    assert set(cumberland.partnerships.values_list("ons_code", flat=True)) == {"E22000031", "E22000033", "E22000034"}


def test_running_the_registry_import_again_creates_nothing_and_writes_no_history():
    services.registry_import(path=REGISTRY)
    before = _table_counts()

    summary = services.registry_import(path=REGISTRY)

    assert (summary.partnerships_created, summary.partnerships_updated) == (0, 0)
    assert _table_counts() == before


def test_a_renamed_csp_in_a_new_register_is_updated_with_history(tmp_path):
    header, rows = _registry_rows()
    essex = [row for row in rows if row["PFA24CD"] == "E23000028"]
    services.registry_import(path=_write_csv(tmp_path / "before.csv", header, essex))
    renamed = [{**row, "CSP24NM": "Southend"} if row["CSP24CD"] == "E22000089" else row for row in essex]

    summary = services.registry_import(path=_write_csv(tmp_path / "after.csv", header, renamed))

    assert (summary.partnerships_created, summary.partnerships_updated) == (0, 1)
    southend = Partnership.objects.get(ons_code="E22000089")
    assert southend.name == "Southend"
    assert southend.slug == "southend-on-sea"  # addresses people bookmarked keep working
    assert southend.history.filter(name="Southend-on-Sea").exists()


def _bad_file_missing_a_column(tmp_path: Path) -> Path:
    header, rows = _registry_rows()
    return _write_csv(tmp_path / "no-csp-name.csv", [c for c in header if c != "CSP24NM"], rows[:10])


def _bad_file_with_an_empty_cell_on_row_5(tmp_path: Path) -> Path:
    header, rows = _registry_rows()
    rows = rows[:10]
    rows[3] = {**rows[3], "CSP24CD": ""}  # the 4th data row is line 5 of the file, after the header
    return _write_csv(tmp_path / "empty-cell.csv", header, rows)


def test_a_register_without_a_column_is_refused_naming_the_column_and_nothing_is_saved(tmp_path):
    before = _table_counts()

    with pytest.raises(ValidationError) as error:
        services.registry_import(path=_bad_file_missing_a_column(tmp_path))

    assert error.value.messages == ["no-csp-name.csv: header is missing column(s) CSP24NM"]
    assert _table_counts() == before


def test_a_register_with_an_empty_cell_is_refused_naming_the_row_and_column_and_nothing_is_saved(tmp_path):
    before = _table_counts()

    with pytest.raises(ValidationError) as error:
        services.registry_import(path=_bad_file_with_an_empty_cell_on_row_5(tmp_path))

    assert error.value.messages == ["empty-cell.csv, row 5: column CSP24CD is empty"]
    assert _table_counts() == before


def test_a_bad_register_leaves_a_loaded_register_as_it_was(tmp_path, essex_registry):
    services.registry_import(path=essex_registry)
    before = _table_counts()

    with pytest.raises(ValidationError):
        services.registry_import(path=_bad_file_with_an_empty_cell_on_row_5(tmp_path))

    assert _table_counts() == before


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (_bad_file_missing_a_column, "header is missing column(s) CSP24NM"),
        (_bad_file_with_an_empty_cell_on_row_5, "row 5: column CSP24CD is empty"),
    ],
)
def test_load_registry_stops_with_a_command_error_on_a_bad_file(tmp_path, make_file, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("load_registry", str(make_file(tmp_path)))

    assert not Partnership.objects.exists()


def test_load_registry_stops_with_a_command_error_when_the_file_is_missing(tmp_path):
    with pytest.raises(CommandError):
        call_command("load_registry", str(tmp_path / "nowhere.csv"))


def test_load_registry_stops_with_a_command_error_on_a_file_that_is_not_utf8(tmp_path):
    # Spreadsheets often save CSV as Windows-1252: "Ynys Môn" is then not valid UTF-8.
    path = tmp_path / "windows-1252.csv"
    path.write_bytes(
        b"LAD24CD,LAD24NM,CSP24CD,CSP24NM,PFA24CD,PFA24NM\r\n"
        b"W06000001,Isle of Anglesey,W22000001,Ynys M\xf4n,W15000001,North Wales Police\r\n"
    )

    with pytest.raises(CommandError):
        call_command("load_registry", str(path))

    assert not Partnership.objects.exists()


def test_load_registry_reads_the_bundled_register_by_default():
    out = StringIO()

    call_command("load_registry", stdout=out)

    assert "332 districts read; 43 police force areas, 314 partnerships created, 0 updated" in out.getvalue()


# --- The Safer Essex demo -----------------------------------------------------------------------


def test_load_demo_needs_the_registry_first():
    with pytest.raises(CommandError, match="Load the registry first"):
        call_command("load_demo", stdout=StringIO())


def test_safer_essex_groups_its_thirteen_csps_into_three_policing_areas(demo):
    county = Partnership.objects.get(slug="safer-essex")

    assert county.kind == PartnershipKind.COUNTY_GROUP
    assert county.police_force_area.code == "E23000028"
    csps = county.children.filter(kind=PartnershipKind.CSP)
    assert csps.count() == 13
    assert Counter(csps.values_list("policing_area__name", flat=True)) == {"North": 6, "West": 4, "South": 3}
    assert set(county.children.filter(kind=PartnershipKind.THEMATIC_GROUP).values_list("name", flat=True)) == {
        "Essex Domestic Abuse Strategy Group",
        "Essex Acquisitive Crime Sub-group",
        "Essex ASB Steering Group",
    }


def test_castle_point_and_rochford_work_as_one_joint_csp(demo):
    joint = Partnership.objects.get(slug="castle-point-and-rochford")

    assert joint.kind == PartnershipKind.CSP
    assert joint.parent.slug == "safer-essex"
    assert joint.policing_area.name == "South"
    assert set(joint.local_authority_areas.values_list("code", flat=True)) == {"E07000069", "E07000075"}
    assert set(joint.memberships.values_list("organisation__name", flat=True)) >= {
        "Castle Point Borough Council",
        "Rochford District Council",
        "Essex County Council",
        "Essex Police",
    }
    # The registry's separate Castle Point and Rochford CSPs are not counted twice in the county.
    assert not Partnership.objects.filter(ons_code__in=["E22000082", "E22000088"], parent__isnull=False).exists()


def test_unitary_southend_has_no_county_council_while_two_tier_basildon_does(demo):
    southend = Partnership.objects.get(ons_code="E22000089")
    basildon = Partnership.objects.get(ons_code="E22000079")

    def members(partnership: Partnership) -> dict[str, str]:
        return dict(partnership.memberships.values_list("organisation__name", "standing"))

    assert "Essex County Council" not in members(southend)
    assert members(southend)["Southend-on-Sea City Council"] == Standing.RESPONSIBLE_AUTHORITY
    assert members(southend)["South Essex Homes"] == Standing.INVITED
    assert members(basildon)["Essex County Council"] == Standing.RESPONSIBLE_AUTHORITY


def test_demo_memberships_and_roles_were_made_through_the_services_with_history(demo):
    assert OrganisationMembership.objects.exists()
    for model in (OrganisationMembership, RoleAssignment):
        for row in model.objects.all():
            assert row.history.filter(history_type="+").exists()


def test_every_demo_person_can_sign_in_with_the_demo_password(demo, settings):
    for email in DEMO_EMAILS:
        assert User.objects.get(email=email).check_password(settings.DEMO_PASSWORD), email


def test_the_demo_manager_signs_in_through_the_sign_in_page(demo, client, settings):
    response = client.post(reverse("login"), {"username": "manager@demo.example", "password": settings.DEMO_PASSWORD})

    assert response.status_code == 302
    assert "Southend-on-Sea" in client.get(reverse("home")).content.decode()


def test_the_demo_administrator_is_staff_and_holds_no_roles(demo):
    admin = User.objects.get(email="admin@demo.example")

    assert admin.is_staff
    assert admin.is_superuser
    assert not admin.role_assignments.exists()


def test_the_demo_manager_manages_southend_on_sea_csp(demo):
    assert (
        RoleAssignment.objects.current()
        .filter(
            person__email="manager@demo.example",
            partnership__ons_code="E22000089",
            organisation__name="Southend-on-Sea City Council",
            role=Role.MANAGER,
        )
        .exists()
    )


def test_every_demo_person_holds_the_role_they_are_listed_with(demo):
    for person in DEMO_PEOPLE:
        roles = RoleAssignment.objects.current().filter(person__email=person.email)
        assert list(roles.values_list("role", "organisation__name")) == [(person.role, person.organisation)]
    county_member = RoleAssignment.objects.get(person__email="county@demo.example")
    assert county_member.partnership.slug == "safer-essex"


def test_running_load_demo_again_changes_no_table(demo):
    before = _table_counts()

    call_command("load_demo", stdout=StringIO())

    assert _table_counts() == before
    assert Organisation.objects.filter(name="Essex Police").count() == 1


def test_load_demo_prints_every_demo_login_and_the_password(demo, settings):
    for email in DEMO_EMAILS:
        assert email in demo
    assert len(DEMO_EMAILS) == 7
    assert f"password: {settings.DEMO_PASSWORD}" in demo
