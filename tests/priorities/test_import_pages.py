"""The police.uk import page: uploads (several files at once), its JSON answer for the progress script,
refusals, who may use it, and the summary page.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.urls import reverse

from partnerships.models import Partnership
from priorities.models import CrimeCount, CrimeImport
from tests.conftest import Personas
from tests.factories import LocalAuthorityAreaFactory
from tests.priorities.factories_assessments import StrategicAssessmentFactory, street_file, street_row

pytestmark = pytest.mark.django_db

SHIRE = "Shire Police"


@pytest.fixture
def riverton(personas: Personas) -> Partnership:
    """The personas' CSP, covering the district of Riverton; Hillford (the other CSP) covers Hillford."""
    personas.csp.local_authority_areas.add(LocalAuthorityAreaFactory(name="Riverton"))
    personas.other_csp.local_authority_areas.add(LocalAuthorityAreaFactory(name="Hillford"))
    return personas.csp


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def january() -> SimpleUploadedFile:
    return upload(
        "2025-01-shire-street.csv",
        street_file(
            street_row(month="2025-01", lsoa_name="Riverton 001A", lsoa_code="E01000001", reported_by=SHIRE),
            street_row(month="2025-01", lsoa_name="Riverton 001A", lsoa_code="E01000001", reported_by=SHIRE),
            street_row(month="2025-01", lsoa_name="Hillford 004C", lsoa_code="E01000002", reported_by=SHIRE),
            street_row(month="2025-01", lsoa_name="", lsoa_code="", reported_by=SHIRE),
        ),
    )


def february() -> SimpleUploadedFile:
    return upload(
        "2025-02-shire-street.csv",
        street_file(
            street_row(month="2025-02", lsoa_name="Riverton 002B", lsoa_code="E01000003", crime_type="Robbery"),
        ),
    )


def bad_file() -> SimpleUploadedFile:
    return upload("2025-03-shire-street.csv", street_file(street_row(month="2025-03", crime_type="Jaywalking")))


def url(partnership: Partnership) -> str:
    return reverse("priorities:crime_import", args=[partnership.slug])


def nothing_saved() -> bool:
    return not CrimeCount.objects.exists() and not CrimeImport.objects.exists()


def test_a_manager_uploads_several_files_in_one_post_and_is_shown_the_summary(client, personas, riverton):
    client.force_login(personas.manager)

    response = client.post(url(riverton), {"csv_files": [january(), february()]}, follow=True)

    record = CrimeImport.objects.get()
    assert response.redirect_chain == [(reverse("priorities:crime_import_summary", args=[record.pk]), 302)]
    assert (record.imported_by, record.scope) == (personas.manager, riverton)
    assert CrimeCount.objects.filter(partnership=riverton).aggregate(total=Sum("count"))["total"] == 3
    page = response.content.decode()
    assert "2025-01-shire-street.csv, 2025-02-shire-street.csv" in page
    assert "January 2025, February 2025" in page
    # Rows read, outside the districts, and without a location are all on the summary.
    assert re.search(r"Rows read</dt>\s*<dd[^>]*>\s*5\s*</dd>", page)
    assert re.search(r"Outside the partnership's districts</dt>\s*<dd[^>]*>\s*1\s*</dd>", page)
    assert re.search(r"Without a location</dt>\s*<dd[^>]*>\s*1\s*</dd>", page)
    assert re.search(r"<th[^>]*>Hillford</th>\s*<td[^>]*>1</td>", page)
    assert "Mina Manager" in page


def test_the_import_answers_json_with_the_summary_address_when_asked(client, personas, riverton):
    client.force_login(personas.manager)

    response = client.post(url(riverton), {"csv_files": [january()]}, headers={"Accept": "application/json"})

    assert response.status_code == 200
    assert response.json() == {
        "redirect": reverse("priorities:crime_import_summary", args=[CrimeImport.objects.get().pk])
    }


def test_a_refused_file_is_answered_in_json_with_its_row_and_column_and_nothing_is_saved(client, personas, riverton):
    client.force_login(personas.manager)

    response = client.post(
        url(riverton), {"csv_files": [january(), bad_file()]}, headers={"Accept": "application/json"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "errors": ["2025-03-shire-street.csv, row 2, column Crime type: unknown crime type 'Jaywalking'"]
    }
    assert nothing_saved()


def test_a_refused_file_is_shown_in_the_error_summary_and_at_the_file_input(client, personas, riverton):
    client.force_login(personas.manager)

    response = client.post(url(riverton), {"csv_files": [january(), bad_file()]})

    assert response.status_code == 400
    page = response.content.decode()
    message = "2025-03-shire-street.csv, row 2, column Crime type: unknown crime type &#x27;Jaywalking&#x27;"
    assert f'<a href="#id_csv_files">{message}</a>' in page
    assert "govuk-file-upload--error" in page
    assert page.count(message) == 2
    assert nothing_saved()


def test_a_file_that_is_not_a_csv_is_refused(client, personas, riverton):
    client.force_login(personas.manager)

    response = client.post(url(riverton), {"csv_files": [upload("crimes.xlsx", b"PK\x03\x04")]})

    assert response.status_code == 400
    assert "crimes.xlsx is not a CSV file (.csv)" in response.content.decode()
    assert nothing_saved()


def test_posting_no_file_asks_for_one(client, personas, riverton):
    client.force_login(personas.manager)

    response = client.post(url(riverton), {}, headers={"Accept": "application/json"})

    assert response.status_code == 400
    assert response.json() == {"errors": ["Choose at least one police.uk CSV file"]}


def test_an_empty_upload_is_refused(client, personas, riverton):
    client.force_login(personas.manager)

    response = client.post(url(riverton), {"csv_files": [upload("2025-01-shire-street.csv", b"")]})

    assert response.status_code == 400
    assert "The file is empty" in response.content.decode()
    assert nothing_saved()


@pytest.mark.parametrize(
    ("role", "status"),
    [("chair", 403), ("police_officer", 403), ("scrutiny", 403), ("county_member", 403), ("outsider", 404)],
)
def test_only_managers_import_others_are_refused_and_nothing_is_saved(client, personas, riverton, role, status):
    client.force_login(personas.by_role(role))

    response = client.post(url(riverton), {"csv_files": [january()]}, headers={"Accept": "application/json"})

    assert response.status_code == status
    assert nothing_saved()


def test_an_administrator_imports_a_force_wide_file_for_the_county_group_and_each_csp_gets_its_share(
    client, personas, riverton
):
    client.force_login(personas.admin)

    response = client.post(url(personas.county), {"csv_files": [january()]}, follow=True)

    assert response.status_code == 200
    counts = dict(
        CrimeCount.objects.values_list("partnership__slug")
        .annotate(total=Sum("count"))
        .values_list("partnership__slug", "total")
    )
    assert counts == {"riverton": 2, "hillford": 1}
    page = response.content.decode()
    assert "Safer Shire" in page
    assert re.search(r"<caption[^>]*>Riverton</caption>", page)
    assert re.search(r"<caption[^>]*>Hillford</caption>", page)


def test_the_import_page_loads_the_progress_script_as_a_module_and_no_inline_script(client, personas, riverton):
    client.force_login(personas.manager)

    page = client.get(url(riverton)).content.decode()

    assert 'enctype="multipart/form-data" data-module="app-upload-progress"' in page
    assert '<script type="module" src="/static/js/upload-progress.mjs"></script>' in page
    assert '<progress id="upload-progress"' in page
    assert 'role="status" aria-live="polite"' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "inline scripts break the Content-Security-Policy"


def test_other_form_pages_do_not_load_the_progress_script(client, personas):
    client.force_login(personas.manager)

    page = client.get(reverse("priorities:assessment_create", args=[personas.csp.slug])).content.decode()

    assert "upload-progress" not in page


def test_the_assessment_page_offers_the_import_to_managers_only(client, personas, riverton):
    assessment = StrategicAssessmentFactory(partnership=riverton, status="shared")
    link = f'href="{url(riverton)}"'

    client.force_login(personas.manager)
    assert link in client.get(reverse("priorities:assessment", args=[assessment.pk])).content.decode()
    client.force_login(personas.police_officer)
    assert link not in client.get(reverse("priorities:assessment", args=[assessment.pk])).content.decode()


def test_the_summary_of_an_import_is_for_the_managers_of_its_partnership(client, personas, riverton):
    client.force_login(personas.manager)
    client.post(url(riverton), {"csv_files": [january()]})
    summary = reverse("priorities:crime_import_summary", args=[CrimeImport.objects.get().pk])

    assert client.get(summary).status_code == 200
    client.force_login(personas.police_officer)
    assert client.get(summary).status_code == 403
    client.force_login(personas.outsider)
    assert client.get(summary).status_code == 404
