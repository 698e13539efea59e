"""The Greek catalogue is complete, compiled, and served to people who choose Greek."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "el" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"

PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[-#0 +]?\d*(?:\.\d+)?[sdif%]")

# A handful of strings people meet every day, and their Greek.
KEY_STRINGS = {
    "Log in": "Σύνδεση",
    "Log out": "Αποσύνδεση",
    "Directory": "Κατάλογος",
    "Dashboard": "Πίνακας ελέγχου",
    "Targets": "Στόχοι",
    "Meetings": "Συναντήσεις",
    "One-on-one": "Ατομική συνάντηση",
    "Save": "Αποθήκευση",
}


def parse_po(text: str) -> list[dict]:
    """A tiny .po parser: one dict per entry with its flags, msgid(s) and msgstr(s)."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry: dict = {"flags": set(), "obsolete": False}
        field = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
                continue
            if line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(","))
                continue
            if line.startswith("#"):
                continue
            match = re.match(
                r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (\".*\")$", line
            )
            if match:
                field = match.group(1)
                entry[field] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and field:
                entry[field] += ast.literal_eval(line)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def translations(entry: dict) -> list[str]:
    if "msgid_plural" in entry:
        return [value for key, value in entry.items() if key.startswith("msgstr[")]
    return [entry.get("msgstr", "")]


@pytest.fixture(scope="module")
def po_entries():
    entries = [
        e for e in parse_po(PO_FILE.read_text(encoding="utf-8")) if not e["obsolete"]
    ]
    assert len(entries) > 100, "the Greek catalogue looks truncated"
    return entries


def test_greek_header_declares_two_plural_forms(po_entries):
    header = po_entries[0]
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"]
    assert "Language: el\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"]


def test_every_message_is_translated_and_none_is_fuzzy(po_entries):
    messages = po_entries[1:]
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    untranslated = [
        e["msgid"] for e in messages if not all(t.strip() for t in translations(e))
    ]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    assert not untranslated, f"untranslated entries: {untranslated}"
    for entry in messages:
        if "msgid_plural" in entry:
            assert len(translations(entry)) == 2, entry["msgid"]


def test_translations_keep_every_placeholder(po_entries):
    for entry in po_entries[1:]:
        sources = [entry["msgid"], entry.get("msgid_plural", entry["msgid"])]
        for source, translation in zip(sources, translations(entry), strict=False):
            assert sorted(PLACEHOLDER.findall(translation)) == sorted(
                PLACEHOLDER.findall(source)
            ), (source, translation)


def test_compiled_catalogue_is_current_and_greek():
    assert MO_FILE.exists(), "run manage.py compilemessages and commit django.mo"
    with MO_FILE.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for english, greek in KEY_STRINGS.items():
        assert catalogue.gettext(english) == greek
    assert catalogue.ngettext("%(counter)s open flag", "%(counter)s open flags", 1) == (
        "%(counter)s ανοιχτή επισήμανση"
    )
    assert catalogue.ngettext("%(counter)s open flag", "%(counter)s open flags", 3) == (
        "%(counter)s ανοιχτές επισημάνσεις"
    )


def test_every_po_message_is_in_the_compiled_catalogue(po_entries):
    with MO_FILE.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for entry in po_entries[1:]:
        if "msgctxt" in entry or "msgid_plural" in entry:
            continue
        if catalogue.gettext(entry["msgid"]) != entry["msgstr"]:
            stale.append(entry["msgid"])
    assert not stale, f"django.mo is older than django.po for: {stale[:10]}"


@pytest.mark.django_db
def test_login_page_speaks_greek_to_a_greek_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="el")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="el"' in page
    assert "Σύνδεση" in page
    assert "Σύνδεση στο Salesteam" in page
    assert "Log in to Salesteam" not in page


@pytest.mark.django_db
def test_login_page_follows_the_language_switcher(client):
    response = client.post(reverse("set_language"), {"language": "el", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("login")).content.decode()
    assert "Σύνδεση στο Salesteam" in page


@pytest.mark.django_db
def test_english_stays_the_default(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in to Salesteam" in page
    assert "Σύνδεση" not in page


@pytest.mark.django_db
def test_a_greek_speaking_rep_sees_greek_navigation(client):
    rep = factories.RepFactory(language="el")
    client.force_login(rep)
    # The browser asks for English, but the rep's own choice wins.
    response = client.get(reverse("directory"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Κατάλογος" in page
    assert "Αποσύνδεση" in page
    assert ">Directory<" not in page


@pytest.mark.django_db
def test_an_english_speaking_rep_sees_english_navigation(client):
    rep = factories.RepFactory(language="en")
    client.force_login(rep)
    page = client.get(reverse("directory")).content.decode()
    assert "Directory" in page
    assert "Κατάλογος" not in page


@pytest.mark.django_db
def test_the_switcher_changes_a_signed_in_persons_language_for_good(client):
    # Given a rep whose profile says English
    rep = factories.RepFactory(language="en")
    client.force_login(rep)
    # When they choose Greek in the footer
    response = client.post(reverse("set_language"), {"language": "el", "next": "/"})
    assert response.status_code == 302
    # Then their profile says Greek and the next page is in Greek
    rep.refresh_from_db()
    assert rep.language == "el"
    assert "Κατάλογος" in client.get(reverse("directory")).content.decode()


@pytest.mark.django_db
def test_saving_ones_own_profile_in_greek_says_so_in_greek(client):
    # Given a rep whose profile says English
    rep = factories.RepFactory(language="en")
    client.force_login(rep)
    form = client.get(reverse("person-edit", args=[rep.pk])).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name in form.fields
    }
    data.update(language="el", work_start="09:00", work_end="17:00")
    # When they choose Greek on their profile and save
    response = client.post(reverse("person-edit", args=[rep.pk]), data, follow=True)
    # Then the confirmation is in the language of the page it lands on
    page = response.content.decode()
    assert "Το προφίλ αποθηκεύτηκε." in page
    assert "Profile saved." not in page
