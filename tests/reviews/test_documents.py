"""A review's documents: the list, uploads (types, contents and size checked; versions counted; files kept
outside the web root under names that say nothing about the case) and downloads (permission-checked,
sent as attachments that browsers neither sniff nor keep).

Panel members who do not edit the review upload only their own agency's IMR and chronology.
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.choices import DocumentKind, PanelRole
from reviews.models import ReviewDocument
from tests.conftest import Personas, sign_in
from tests.factories import OrganisationFactory, UserFactory
from tests.reviews.factories import AgencyFactory, PanelMemberFactory, ReviewDocumentFactory, ReviewFactory

pytestmark = pytest.mark.django_db

ZIP = b"PK\x03\x04" + b"\x14\x00\x06\x00" + b"\x00" * 40
FILES = {
    "report.pdf": (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "application/pdf"),
    "report.docx": (ZIP, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "figures.xlsx": (ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "report.odt": (ZIP, "application/vnd.oasis.opendocument.text"),
    "figures.ods": (ZIP, "application/vnd.oasis.opendocument.spreadsheet"),
    "notes.txt": ("Chronology notes: Adult A, 2025 – 2026\n".encode(), "text/plain; charset=utf-8"),
}


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip())


def _errors(response) -> list[str]:  # type: ignore[no-untyped-def]
    summary = response.content.decode().split("govuk-error-summary__list", 1)
    if len(summary) < 2:
        return []
    items = summary[1].split("</ul>", 1)[0]
    return [html.unescape(re.sub(r"\s+", " ", m).strip()) for m in re.findall(r"<a [^>]*>(.*?)</a>", items, re.S)]


def _url(name: str, review, **kwargs) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"reviews:{name}", kwargs={"pk": review.pk, **kwargs})


def _upload(client, review, name: str, content: bytes, **data):  # type: ignore[no-untyped-def]
    fields = {"kind": "draft", "title": "Overview report draft", **data}
    return client.post(_url("document_upload", review), {**fields, "file": SimpleUploadedFile(name, content)})


def _stored_files() -> list[Path]:
    root = Path(settings.REVIEW_DOCUMENTS_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- The list -------------------------------------------------------------------------------------------


def test_documents_are_listed_by_type_with_agency_version_size_and_uploader(client, personas: Personas, review):
    sign_in(client, personas.manager)
    response = client.get(_url("documents", review))
    assert response.status_code == 200
    text = _text(response)
    assert "Individual management review Title Agency Version Size Uploaded Shire Police IMR" in text
    assert "Shire Police 1 23 bytes Mina Manager" in text
    assert "Terms of reference Title Agency Version Size Uploaded Terms of reference" in text
    assert text.index("Individual management review Title") < text.index("Terms of reference Title")
    imr = review.documents.get(kind="imr")
    assert f'href="{_url("document_download", review, document_pk=imr.pk)}"' in response.content.decode()
    assert "Upload a document" in text


def test_the_upload_link_is_for_those_who_can_upload_something(client, personas, review, reviewer):
    sign_in(client, reviewer)
    assert "Upload a document" in _text(client.get(_url("documents", review)))
    sign_in(client, personas.chair)
    assert "Upload a document" not in _text(client.get(_url("documents", review)))
    # A panel member whose organisation is not one of the review's agencies has nothing to upload.
    member = UserFactory(email="specialist@example.org")
    PanelMemberFactory(review=review, person=member, organisation=personas.council, panel_role=PanelRole.SPECIALIST)
    sign_in(client, member)
    assert "Upload a document" not in _text(client.get(_url("documents", review)))


# --- Uploads --------------------------------------------------------------------------------------------


def test_the_upload_form_names_the_allowed_types_and_the_size_limit(client, personas, review, settings):
    settings.REVIEW_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    sign_in(client, personas.manager)
    response = client.get(_url("document_upload", review))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'accept=".pdf,.docx,.xlsx,.odt,.ods,.txt"' in page
    assert (
        "PDF, Word (.docx), Excel (.xlsx), OpenDocument (.odt, .ods) or plain text (.txt), smaller than 5 MB"
        in _text(response)
    )


@pytest.mark.parametrize("name", list(FILES))
def test_each_allowed_type_is_stored_outside_the_web_root_under_a_name_of_its_own(client, personas, review, name):
    content, content_type = FILES[name]
    sign_in(client, personas.manager)
    response = _upload(client, review, name, content)
    assert response.status_code == 302
    assert response["Location"] == _url("documents", review)
    document = ReviewDocument.objects.get(review=review, kind="draft")
    assert document.original_name == name
    assert document.content_type == content_type
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.uploaded_by == personas.manager
    assert document.version == 1
    path = Path(document.file.path)
    assert path.is_relative_to(Path(settings.REVIEW_DOCUMENTS_ROOT).resolve())
    assert Path(name).stem not in path.name
    assert path.suffix == Path(name).suffix
    assert path.read_bytes() == content
    assert "Overview report draft uploaded as version 1" in _text(client.get(_url("documents", review)))


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, "The file must be"),
        ("page.html", b"<html><script>alert(1)</script></html>", "The file must be"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "The file must be"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "The file must be"),
        ("renamed.pdf", b"MZ\x90\x00 this is an executable renamed", "The file is not a real .pdf file"),
        ("renamed.docx", b"%PDF-1.4 a PDF renamed", "The file is not a real .docx file"),
        ("binary.txt", b"text\x00with a null byte", "The file is not a plain text file"),
        ("empty.pdf", b"", "The file is empty"),
    ],
)
def test_refused_files_are_named_and_nothing_is_stored(client, personas, review, name, content, error):
    before = ReviewDocument.objects.count()
    files_before = _stored_files()
    sign_in(client, personas.manager)
    response = _upload(client, review, name, content)
    assert response.status_code == 400
    errors = _errors(response)
    assert len(errors) == 1
    assert errors[0].startswith(error)
    assert ReviewDocument.objects.count() == before
    assert _stored_files() == files_before


def test_a_file_over_the_limit_is_refused(client, personas, review, settings):
    settings.REVIEW_UPLOAD_MAX_BYTES = 1024 * 1024
    sign_in(client, personas.manager)
    before = ReviewDocument.objects.count()
    response = _upload(client, review, "big.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024))
    assert response.status_code == 400
    assert _errors(response) == ["The file must be smaller than 1 MB"]
    assert ReviewDocument.objects.count() == before
    # Just under the limit is fine.
    assert _upload(client, review, "fits.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 - 9)).status_code == 302


def test_an_empty_upload_names_each_missing_answer(client, personas, review):
    sign_in(client, personas.manager)
    before = ReviewDocument.objects.count()
    response = client.post(_url("document_upload", review), {})
    assert response.status_code == 400
    assert _errors(response) == [
        "Select the type of document",
        "Enter a title for the document",
        "Select a file to upload",
    ]
    assert ReviewDocument.objects.count() == before


def test_an_imr_needs_its_agency(client, personas, review):
    sign_in(client, personas.manager)
    response = _upload(client, review, "imr.pdf", FILES["report.pdf"][0], kind="imr", title="IMR")
    assert response.status_code == 400
    assert _errors(response) == ["Select the agency whose report this is"]
    assert not ReviewDocument.objects.filter(title="IMR").exists()


def test_versions_count_up_for_each_type_and_agency(client, personas, review):
    council = AgencyFactory(review=review, organisation=personas.council)
    police = review.agencies.get(organisation=personas.police)
    pdf = FILES["report.pdf"][0]
    sign_in(client, personas.manager)
    assert _upload(client, review, "terms.pdf", pdf, kind="terms", title="Terms v2").status_code == 302
    assert _upload(client, review, "terms.pdf", pdf, kind="terms", title="Terms v3").status_code == 302
    assert _upload(client, review, "imr.pdf", pdf, kind="imr", agency=police.pk, title="Police IMR").status_code == 302
    assert (
        _upload(client, review, "imr.pdf", pdf, kind="imr", agency=council.pk, title="Council IMR").status_code == 302
    )
    versions = dict(review.documents.values_list("title", "version"))
    assert versions["Terms of reference"] == 1
    assert versions["Terms v2"] == 2
    assert versions["Terms v3"] == 3
    assert versions["Shire Police IMR"] == 1
    assert versions["Police IMR"] == 2
    assert versions["Council IMR"] == 1
    # Each version keeps its own file.
    assert len({d.file.name for d in review.documents.all()}) == review.documents.count()


def test_an_agency_of_another_review_cannot_be_chosen(client, personas, review):
    other = AgencyFactory(review=ReviewFactory(partnership=personas.csp), organisation=personas.council)
    sign_in(client, personas.manager)
    response = _upload(client, review, "imr.pdf", FILES["report.pdf"][0], kind="imr", agency=other.pk)
    assert response.status_code == 400
    assert _errors(response) == ["Select one of this review's agencies"]
    assert not other.documents.exists()


def test_a_panel_member_uploads_their_own_agencys_imr(client, personas, review, reviewer):
    police = review.agencies.get(organisation=personas.police)
    AgencyFactory(review=review, organisation=personas.council)
    sign_in(client, reviewer)
    form = client.get(_url("document_upload", review))
    assert form.status_code == 200
    page = form.content.decode()
    assert 'value="imr"' in page
    assert 'value="chronology"' in page
    assert 'value="draft"' not in page
    assert "Shire Police" in _text(form)
    assert "Riverton Borough Council" not in _text(form)
    response = _upload(client, review, "imr.pdf", FILES["report.pdf"][0], kind="imr", agency=police.pk, title="IMR 2")
    assert response.status_code == 302
    document = ReviewDocument.objects.get(title="IMR 2")
    assert (document.agency, document.version, document.uploaded_by) == (police, 2, reviewer)


@pytest.mark.parametrize("target", ["draft", "council imr", "police draft"])
def test_a_panel_member_cannot_upload_a_draft_or_another_agencys_report(client, personas, review, reviewer, target):
    police = review.agencies.get(organisation=personas.police)
    council = AgencyFactory(review=review, organisation=personas.council)
    data = {
        "draft": {"kind": "draft"},
        "council imr": {"kind": "imr", "agency": council.pk},
        "police draft": {"kind": DocumentKind.DRAFT, "agency": police.pk},
    }[target]
    before = ReviewDocument.objects.count()
    sign_in(client, reviewer)
    response = _upload(client, review, "x.pdf", FILES["report.pdf"][0], **data)
    assert response.status_code == 400
    assert "You can upload only your own agency's IMR and chronology" in _errors(response)
    assert ReviewDocument.objects.count() == before


def test_a_reader_who_can_upload_nothing_is_told_why(client, personas, review):
    sign_in(client, personas.chair)
    page = client.get(_url("document_upload", review))
    assert page.status_code == 200
    assert "Only the review lead" in _text(page)
    assert 'type="file"' not in page.content.decode()
    before = ReviewDocument.objects.count()
    response = _upload(client, review, "x.pdf", FILES["report.pdf"][0], kind="terms")
    assert response.status_code == 400
    assert "There is a problem Only the review lead" in _text(response)
    assert ReviewDocument.objects.count() == before


def test_a_panel_member_whose_organisation_is_not_an_agency_is_told_why(client, personas, review):
    member = UserFactory(email="specialist@example.org")
    PanelMemberFactory(review=review, person=member, organisation=OrganisationFactory(), panel_role="specialist")
    sign_in(client, member)
    page = client.get(_url("document_upload", review))
    assert page.status_code == 200
    assert "Your organisation is not one of this review's agencies" in _text(page)
    assert _upload(client, review, "x.pdf", FILES["report.pdf"][0], kind="imr").status_code == 400


# --- Downloads ------------------------------------------------------------------------------------------


def test_a_download_is_an_attachment_that_is_neither_sniffed_nor_kept(client, personas, review):
    document = review.documents.get(kind="terms")
    sign_in(client, personas.manager)
    response = client.get(_url("document_download", review, document_pk=document.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="terms.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test document"


def test_an_uploaded_file_downloads_under_its_original_name(client, personas, review):
    content, content_type = FILES["notes.txt"]
    sign_in(client, personas.manager)
    _upload(client, review, "Chronology notes.txt", content, kind="other", title="Notes")
    document = ReviewDocument.objects.get(title="Notes")
    response = client.get(_url("document_download", review, document_pk=document.pk))
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == 'attachment; filename="Chronology notes.txt"'
    assert b"".join(response.streaming_content) == content


def test_a_panel_member_downloads_the_reviews_documents(client, personas, review, reviewer):
    sign_in(client, reviewer)
    for document in review.documents.all():
        assert client.get(_url("document_download", review, document_pk=document.pk)).status_code == 200


@pytest.mark.parametrize(
    "role", ["admin", "police_officer", "council_officer", "scrutiny", "county_member", "outsider", "nobody"]
)
def test_people_who_cannot_see_the_review_cannot_download_its_documents(client, personas: Personas, review, role):
    sign_in(client, personas.by_role(role))
    for document in review.documents.all():
        response = client.get(_url("document_download", review, document_pk=document.pk))
        assert response.status_code == 404
        assert not response.has_header("Content-Disposition")


def test_a_guessed_id_of_another_reviews_document_is_not_found(client, personas: Personas, review, reviewer):
    hillford = ReviewFactory(partnership=personas.other_csp, reference="HDHR 1")
    theirs = ReviewDocumentFactory(review=hillford, title="Hillford terms", uploaded_by=personas.outsider)
    second = ReviewFactory(partnership=personas.csp, reference="DHR 2026/02")
    sibling = ReviewDocumentFactory(review=second, title="Second review terms", uploaded_by=personas.manager)
    ours = review.documents.first()

    # Riverton's manager sees both Riverton reviews, but not a document through the wrong review.
    sign_in(client, personas.manager)
    assert client.get(_url("document_download", review, document_pk=theirs.pk)).status_code == 404
    assert client.get(_url("document_download", hillford, document_pk=theirs.pk)).status_code == 404
    assert client.get(_url("document_download", review, document_pk=sibling.pk)).status_code == 404
    assert client.get(_url("document_download", review, document_pk=999_999)).status_code == 404
    # The panel member of one review guesses the other review's documents.
    sign_in(client, reviewer)
    assert client.get(_url("document_download", second, document_pk=sibling.pk)).status_code == 404
    assert client.get(_url("document_download", review, document_pk=sibling.pk)).status_code == 404
    # Hillford's manager leads reviews, just not Riverton's.
    sign_in(client, personas.outsider)
    assert client.get(_url("document_download", hillford, document_pk=theirs.pk)).status_code == 200
    assert client.get(_url("document_download", review, document_pk=ours.pk)).status_code == 404
    assert client.get(_url("document_download", hillford, document_pk=ours.pk)).status_code == 404


def test_a_download_needs_the_second_factor(client, personas, review):
    document = review.documents.first()
    sign_in(client, personas.manager, second_factor=False)
    response = client.get(_url("document_download", review, document_pk=document.pk))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))


def test_a_download_is_only_ever_a_get(client, personas, review):
    document = review.documents.first()
    sign_in(client, personas.manager)
    assert client.post(_url("document_download", review, document_pk=document.pk)).status_code == 405
