"""The production static pipeline: GOV.UK Frontend compiled, collected with hashed names, no GOV.UK assets."""

from pathlib import Path

from django.core.management import call_command

BUILT = Path(__file__).resolve().parents[1] / "static" / "dist"


def test_collectstatic_with_the_production_storage_finds_every_file_the_css_refers_to(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    from django.contrib.staticfiles.storage import staticfiles_storage

    call_command("collectstatic", "--noinput", verbosity=0)

    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "dist/app.css" in manifest
    assert "dist/govuk/govuk-frontend.min.js" in manifest
    assert staticfiles_storage.url("dist/app.css").startswith("/static/dist/app.")


def test_the_stylesheet_uses_arial_and_carries_no_gov_uk_font_or_crest():
    css = (BUILT / "app.css").read_text()
    assert "arial" in css.lower()
    assert "GDS Transport" not in css
    assert "govuk-crest" not in css
    assert "url(" not in css
