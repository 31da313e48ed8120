"""Recipients from everywhere: one letter per person, exclude and overrides, CSV files that
report every problem at once, salutations for any name, the list before sending."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml
from pypdf import PdfReader

from briefgen import build, load_campaign
from briefgen.names import family_name, readable
from briefgen.roster import pdf_pages
from briefgen.schema import campaign_schema
from tests.conftest import PAMIR, docx_text, pamir_copy, pdf_text

Cli = Callable[..., tuple[int, str, str]]

NO_EXCLUDE = ("    exclude: [hannah-neumann]  # listed by hand as the Subcommittee's chair\n", "")
KALLAS_ROW = (
    "Kaja Kallas,Ms,other,EEAS,Rond-Point Robert Schuman 9A,HRVP-Office@EEAS.example.org,"
    "en,public,\n"
)


def _check(cli: Cli, path: Path) -> tuple[int, list[str]]:
    """Exit code and the lines ``briefgen check`` prints, file names relative to the campaign's
    folder."""
    code, _out, err = cli("check", path)
    return code, [line.replace(f"{path.parent}/", "") for line in err.splitlines()]


def test_the_example_of_this_kind_is_valid(cli: Cli) -> None:
    assert cli("check", PAMIR)[0] == 0
    people = load_campaign(PAMIR).people
    assert len(people) == 17  # 3 listed, 8 from the CSV, 7 Members less the one excluded
    assert "hannah-neumann" not in {p.id for p in people}


# -- one person, one letter ---------------------------------------------------------------------


def test_a_listed_person_also_in_the_csv_is_reported_with_both_places(
    cli: Cli, tmp_path: Path
) -> None:
    path = pamir_copy(tmp_path)
    with (path.parent / "contacts.csv").open("a", encoding="utf-8") as handle:
        handle.write(KALLAS_ROW)  # the same address, written in capitals
    assert _check(cli, path) == (
        1,
        [
            "contacts.csv:12:56: error: row 10: email: Kaja Kallas would get two letters: this "
            "one and the letter to 'hr' (campaign.yaml line 64): same e-mail address "
            "hrvp-office@eeas.example.org; leave this one out with 'exclude: [kaja-kallas]' on "
            "the import, or, if both letters are meant, add 'overrides: {kaja-kallas: "
            "{also_receives: [hr]}}'"
        ],
    )


def test_a_member_listed_by_hand_and_imported_is_reported(cli: Cli, tmp_path: Path) -> None:
    path = pamir_copy(tmp_path, [NO_EXCLUDE])
    assert _check(cli, path) == (
        1,
        [
            "meps.xml:6:1: error: <mep> number 3 (Hannah Neumann): name: Hannah Neumann would "
            "get two letters: this one and the letter to 'droi-chair' (campaign.yaml line 72): "
            "same name and organisation; leave this one out with 'exclude: [hannah-neumann]' on "
            "the import, or, if both letters are meant, add 'overrides: {hannah-neumann: "
            "{also_receives: [droi-chair]}}'"
        ],
    )


def test_also_receives_says_two_letters_are_meant(cli: Cli, tmp_path: Path) -> None:
    path = pamir_copy(
        tmp_path,
        [
            NO_EXCLUDE,
            ("    overrides:\n", "    overrides:\n      hannah-neumann: {honorific: Ms}\n"),
            (
                "    email: droi-chair@europarl.example.org\n",
                "    email: droi-chair@europarl.example.org\n    also_receives: [hannah-neumann]\n",
            ),
            ("  - from: contacts.csv\n", "  - from: contacts.csv\n    overrides:\n"),
            ("    overrides:\n", "    overrides:\n      kaja-kallas: {also_receives: [hr]}\n"),
        ],
    )
    with (path.parent / "contacts.csv").open("a", encoding="utf-8") as handle:
        handle.write(KALLAS_ROW)
    assert _check(cli, path) == (0, ["ok: no problems found"])
    ids = [r.id for r in load_campaign(path).people]
    assert {"hr", "kaja-kallas", "droi-chair", "hannah-neumann"} <= set(ids)


def test_the_same_person_twice_in_a_joint_letter(cli: Cli, tmp_path: Path) -> None:
    path = pamir_copy(
        tmp_path,
        [
            NO_EXCLUDE,
            (
                "signatories:\n",
                "joint_letters:\n  - id: droi\n    to: [droi-chair, hannah-neumann]\n"
                "signatories:\n",
            ),
        ],
    )
    assert _check(cli, path) == (
        1,
        [
            "meps.xml:6:1: error: <mep> number 3 (Hannah Neumann): name: Hannah Neumann is "
            "recipient 'droi-chair' too (campaign.yaml line 72; same name and organisation), and "
            "joint letter 'droi' is addressed to both: it would greet the same person twice; "
            "take one of them out of its 'to' list"
        ],
    )


def test_a_person_in_a_joint_letter_and_with_a_letter_of_their_own(
    cli: Cli, tmp_path: Path
) -> None:
    path = pamir_copy(
        tmp_path,
        [
            (
                "signatories:\n",
                "joint_letters:\n  - id: irish\n    to: [sean-o-briain, baku-desk]\nsignatories:\n",
            ),
            ("    language: az\n", ""),
            (
                "    email: leyla@pamir-diaspora.example.org\n",
                "    email: Sean.OBriain@dfa.example.org\n",
            ),
        ],
    )
    code, lines = _check(cli, path)
    assert (code, lines) == (
        1,
        [
            "contacts.csv:4:11: error: row 2: email: Seán Ó Briain is recipient 'baku-desk' "
            "too (campaign.yaml line 79; same e-mail address sean.obriain@dfa.example.org), and "
            "joint letter 'irish' is addressed to both: it would greet the same person twice; "
            "take one of them out of its 'to' list"
        ],
    )


def test_two_letters_through_a_joint_letter(cli: Cli, tmp_path: Path) -> None:
    path = pamir_copy(
        tmp_path,
        [
            NO_EXCLUDE,
            (
                "signatories:\n",
                "joint_letters:\n  - id: droi\n    to: [droi-chair, baku-desk]\nsignatories:\n",
            ),
            ("    language: az\n", ""),
        ],
    )
    assert _check(cli, path) == (
        1,
        [
            "meps.xml:6:1: error: <mep> number 3 (Hannah Neumann): name: Hannah Neumann would "
            "get two letters: this one and the letter to 'droi-chair', joint letter 'droi' "
            "(campaign.yaml line 72): same name and organisation; leave this one out with "
            "'exclude: [hannah-neumann]' on the import, or, if both letters are meant, add "
            "'overrides: {hannah-neumann: {also_receives: [droi]}}'"
        ],
    )


def test_same_name_without_an_organisation_is_a_warning(cli: Cli, tmp_path: Path) -> None:
    path = pamir_copy(
        tmp_path,
        [
            (
                "  - from: contacts.csv\n",
                "  - id: wang\n    name: Lihua WANG\n    role: other\n    address: [Somewhere]\n"
                "  - from: contacts.csv\n",
            )
        ],
    )
    code, lines = _check(cli, path)
    assert (code, lines) == (
        0,
        [
            "contacts.csv:11:1: warning: row 9: name: Wang Lihua may get two letters: this one "
            "and the letter to 'wang' (campaign.yaml line 87): same name (no organisation to "
            "tell them apart); leave this one out with 'exclude: [wang-lihua]' on the import, or, "
            "if both letters are meant, add 'overrides: {wang-lihua: {also_receives: [wang]}}'"
        ],
    )
    assert cli("check", "--strict", path)[0] == 1


def test_an_unknown_letter_in_also_receives(cli: Cli, tmp_path: Path) -> None:
    path = pamir_copy(
        tmp_path,
        [
            (
                "    email: droi-chair@europarl.example.org\n",
                "    email: droi-chair@europarl.example.org\n    also_receives: [hannah-neuman]\n",
            )
        ],
    )
    assert _check(cli, path) == (
        1,
        [
            "campaign.yaml:79:21: error: recipients[1].also_receives[0]: unknown letter "
            "'hannah-neuman' (a recipient or joint letter id)"
        ],
    )


def test_two_members_of_one_list_who_share_a_name_are_two_people(cli: Cli, tmp_path: Path) -> None:
    path = pamir_copy(tmp_path)
    xml = path.parent / "meps.xml"
    text = xml.read_text(encoding="utf-8")
    twin = re.search(r"<mep><fullName>Anouk VAN BRUG.*?</mep>", text)
    assert twin is not None
    xml.write_text(
        text.replace("</meps>", twin.group().replace("<id>", "<id>9") + "\n</meps>"),
        encoding="utf-8",
    )
    assert _check(cli, path) == (0, ["ok: no problems found"])
    ids = sorted(r.id for r in load_campaign(path).people if r.id.startswith("anouk"))
    assert len(ids) == 2
    assert all(re.fullmatch(r"anouk-van-brug-\d+", i) for i in ids)


# -- exclude and overrides -------------------------------------------------------------------------


def test_unknown_ids_in_exclude_and_overrides_are_located(cli: Cli, tmp_path: Path) -> None:
    path = pamir_copy(
        tmp_path,
        [
            (
                "    exclude: [hannah-neumann]",
                "    exclude: [hannah-neumann, hannah-neuman, nobody]",
            ),
            ("    overrides:\n", "    overrides:\n      pilar-castillo: {honorific: Ms}\n"),
        ],
    )
    assert _check(cli, path) == (
        1,
        [
            "campaign.yaml:89:31: error: recipients[4].exclude[1]: no recipient 'hannah-neuman' "
            "among those meps.xml gives (did you mean 'hannah-neumann'?)",
            "campaign.yaml:89:46: error: recipients[4].exclude[2]: no recipient 'nobody' among "
            "those meps.xml gives (its ids: abir-al-sahlani, pilar-del-castillo-vera, "
            "hannah-neumann, aodhan-o-riordain, gaetano-pedulla, anouk-van-brug, ...)",
            "campaign.yaml:91:7: error: recipients[4].overrides.pilar-castillo: no recipient "
            "'pilar-castillo' among those meps.xml gives (did you mean "
            "'pilar-del-castillo-vera'?)",
        ],
    )


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        (
            "{honorific: Ms, language: es}",
            "91:58: error: recipients[4].overrides.pilar-del-castillo-vera.language: unknown "
            "language 'es' (expected one of: en, fr, az)",
        ),
        (
            "{honorfic: Ms}",
            "91:33: error: recipients[4].overrides.pilar-del-castillo-vera.honorfic: unknown "
            "field (did you mean 'honorific'?)",
        ),
        (
            "{email: not-an-address}",
            "91:40: error: recipients[4].overrides.pilar-del-castillo-vera.email: "
            "'not-an-address' is not an e-mail address",
        ),
        (
            "{demands: [relase]}",
            "91:43: error: recipients[4].overrides.pilar-del-castillo-vera.demands[0]: unknown "
            "demand id 'relase' (did you mean 'release'?)",
        ),
        (
            "{address: []}",
            "91:42: error: recipients[4].overrides.pilar-del-castillo-vera.address: must list "
            "at least one item",
        ),
        (
            "{name: ~}",
            "91:39: error: recipients[4].overrides.pilar-del-castillo-vera.name: required field "
            "missing",
        ),
        (
            "{note: We met Gulbahor Pamirova-Canary in Khorog.}",
            "91:46: error: recipients[4].overrides.pilar-del-castillo-vera.note: this text would "
            "name the restricted case cases[1]; remove that name from the text",
        ),
    ],
    ids=["language", "unknown field", "email", "demand", "empty address", "no name", "leak"],
)
def test_overridden_values_are_validated_at_the_override(
    cli: Cli, tmp_path: Path, override: str, expected: str
) -> None:
    path = pamir_copy(
        tmp_path,
        [
            (
                "      pilar-del-castillo-vera: {honorific: Ms}\n",
                f"      pilar-del-castillo-vera: {override}\n",
            )
        ],
    )
    assert _check(cli, path) == (1, [f"campaign.yaml:{expected}"])


def test_editors_check_overrides_with_the_schema() -> None:
    validator = jsonschema.Draft202012Validator(campaign_schema())
    data = json.loads(json.dumps(yaml.safe_load(PAMIR.read_text(encoding="utf-8")), default=str))
    assert [e.message for e in validator.iter_errors(data)] == []
    entry = data["recipients"][4]
    for key, bad in (
        ("overrides", {"pilar-del-castillo-vera": {"language": "es"}}),
        ("overrides", {"pilar-del-castillo-vera": {"honorfic": "Ms"}}),
        ("overrides", {"Not An Id": {"honorific": "Ms"}}),
        ("exclude", ["Nobody"]),
    ):
        good = entry[key]
        entry[key] = bad
        assert list(validator.iter_errors(data)), bad
        entry[key] = good


def test_overrides_correct_imported_recipients(tmp_path: Path) -> None:
    path = pamir_copy(
        tmp_path,
        [
            ("  - from: contacts.csv\n", "  - from: contacts.csv\n    overrides:\n"),
            (
                "    overrides:\n",
                "    overrides:\n      sean-o-briain: {honorific: ~, edition: restricted}\n",
            ),
        ],
    )
    people = {p.id: p for p in load_campaign(path).people}
    assert people["sean-o-briain"].honorific is None
    assert people["sean-o-briain"].edition == "restricted"
    assert people["michael-von-der-schulenburg"].demand_tags == ["access"]
    out = tmp_path / "out"
    wanted = ["sean-o-briain", "pilar-del-castillo-vera", "aodhan-o-riordain"]
    report = build([path], out, formats=("pdf",), recipients=wanted, jobs=1)
    assert report.ok, (report.failures, report.problems)
    letters = out / "pamir-2025" / "letters"
    assert sorted(p.name for p in letters.iterdir()) == sorted(f"{i}.pdf" for i in wanted)
    sean = pdf_text(letters / "sean-o-briain.pdf")
    assert "Dear Seán Ó Briain," in sean  # the honorific removed: the neutral form
    assert "RESTRICTED" in sean
    assert "Gulbahor Pamirova-Canary" in sean
    assert "Dear Ms del Castillo Vera," in pdf_text(letters / "pilar-del-castillo-vera.pdf")
    french = pdf_text(letters / "aodhan-o-riordain.pdf")
    assert "Monsieur le Député," in french
    assert "Membre du Parlement européen" in french  # the Parliament's address, in French


# -- CSV files that report everything -------------------------------------------------------------

MESSY = [("  - from: contacts.csv\n", "  - from: messy.csv\n")]


def test_a_messy_csv_reports_every_problem_once_located(cli: Cli, tmp_path: Path) -> None:
    path = pamir_copy(tmp_path, MESSY)
    assert _check(cli, path) == (
        1,
        [
            "messy.csv:1:43: warning: unknown column 'Phone' (column G) is ignored",
            "messy.csv:1:49: warning: unknown column 'CRM id' (column H) is ignored",
            "messy.csv:3:55: error: row 3: language: unknown language 'xx' (expected one of: "
            "en, fr, az)",
            "messy.csv:5:12: error: row 5: email: 'wang.lihua-at-asia.example.org' is not an "
            "e-mail address",
            "messy.csv:5:52: error: row 5: edition: unknown edition 'secret' (expected one of: "
            "public, restricted)",
        ],
    )


def test_a_messy_csv_corrected_by_exclude_and_overrides_builds_the_right_letters(
    cli: Cli, tmp_path: Path
) -> None:
    path = pamir_copy(
        tmp_path,
        [
            (
                "  - from: contacts.csv\n",
                "  - from: messy.csv\n    exclude: [maire-ni-bhriain]\n    overrides:\n"
                "      wang-lihua: {email: wang.lihua@asia.example.org, edition: restricted}\n",
            )
        ],
    )
    code, lines = _check(cli, path)
    assert (code, [line for line in lines if "warning" not in line]) == (0, [])
    people = {p.id: p for p in load_campaign(path).people}
    assert "maire-ni-bhriain" not in people
    sean, jan, wang = people["sean-o-briain"], people["jan-van-der-berg"], people["wang-lihua"]
    assert (sean.email, sean.language, sean.role, sean.edition) == (
        "Sean.OBriain@dfa.example.org",  # trimmed
        "en",
        "other",
        "public",
    )
    assert (jan.language, jan.role, jan.edition) == ("fr", "minister", "public")
    assert (wang.email, wang.edition) == ("wang.lihua@asia.example.org", "restricted")
    out = tmp_path / "out"
    ids = ["sean-o-briain", "jan-van-der-berg", "wang-lihua"]
    report = build([path], out, formats=("pdf",), recipients=ids, jobs=1)
    assert report.ok, (report.failures, report.problems)
    letters = out / "pamir-2025" / "letters"
    assert sorted(p.name for p in letters.iterdir()) == sorted(f"{i}.pdf" for i in ids)
    assert "Excellence," in pdf_text(letters / "jan-van-der-berg.pdf")  # a minister, French
    assert "Gulbahor Pamirova-Canary" in pdf_text(letters / "wang-lihua.pdf")
    assert "Gulbahor Pamirova-Canary" not in pdf_text(letters / "sean-o-briain.pdf")


def test_csv_cells_are_located_across_quoted_line_breaks(cli: Cli, tmp_path: Path) -> None:
    path = pamir_copy(tmp_path)
    (path.parent / "contacts.csv").write_text(
        'name;address;language;email\n"Seán Ó Briain";"Iveagh House\n80 St Stephen\'s Green";'
        "ga;s@example.org\nMáire Ní Bhriain;;en;m@example\n;Somewhere;en;x@example.org\n",
        encoding="utf-8",
    )
    assert _check(cli, path) == (
        1,
        [
            "contacts.csv:3:24: error: row 2: language: unknown language 'ga' (expected one of: "
            "en, fr, az)",
            "contacts.csv:4:18: error: row 3: address: empty: every recipient needs an address",
            "contacts.csv:4:22: error: row 3: email: 'm@example' is not an e-mail address",
            "contacts.csv:5:1: error: row 4: name: empty: every recipient needs a name",
        ],
    )


# -- salutations for any name --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("Seán Ó Briain", "Ó Briain"),
        ("Máire Ní Bhriain", "Ní Bhriain"),
        ("Seán Mac Stíofáin", "Mac Stíofáin"),
        ("Mary McAleese", "McAleese"),
        ("Ursula von der Leyen", "von der Leyen"),
        ("Jan van der Berg", "van der Berg"),
        ("Anouk van den Brink", "van den Brink"),
        ("Pilar del Castillo Vera", "del Castillo Vera"),
        ("Ana de la Fuente Ruiz", "de la Fuente Ruiz"),
        ("Elio Di Rupo", "Di Rupo"),
        ("Lucia della Rovere", "della Rovere"),
        ("Luiz Inácio Lula da Silva", "da Silva"),
        ("Maria dos Santos", "dos Santos"),
        ("Karl-Theodor zu Guttenberg", "zu Guttenberg"),
        ("José Ortega y Gasset", "Ortega y Gasset"),
        ("Ahmed al-Sharaa", "al-Sharaa"),
        ("Mohammed bin Rashid Al Maktoum", "Al Maktoum"),
        ("Yusuf bin Hamad", "bin Hamad"),
        ("Ahmad ibn Hanbal", "ibn Hanbal"),
        ("Rhys ap Gruffydd", "ap Gruffydd"),
        ("Marine Le Pen", "Le Pen"),
        ("Xi Jinping", "Xi"),
        ("Wang Lihua", "Wang"),
        ("Moon Jae-in", "Moon"),
        ("Li Andersson", "Andersson"),  # a Finnish given name, not a Chinese family name
        ("Pilar DEL CASTILLO VERA", "Del Castillo Vera"),
        ("Ursula VON DER LEYEN", "von der Leyen"),
        ("XI Jinping", "Xi"),
        ("Borrell Fontelles, Josep", "Borrell Fontelles"),
        ("Martin Luther King, Jr.", "King"),
        ("Dr Maria Arena", "Arena"),
        ("Kaja Kallas", "Kallas"),
        ("Jean-Claude Juncker", "Juncker"),
        ("Madonna", "Madonna"),
    ],
)
def test_family_names(name: str, family: str) -> None:
    assert family_name(name) == family


def test_names_written_the_way_databases_write_them_are_printed_as_letters_do() -> None:
    assert readable("Borrell Fontelles, Josep") == ("Josep Borrell Fontelles", "Borrell Fontelles")
    assert readable("Maria ARENA") == ("Maria Arena", "Arena")
    assert readable("Ursula VON DER LEYEN") == ("Ursula von der Leyen", "von der Leyen")
    assert readable("Martin Luther King, Jr.") == ("Martin Luther King, Jr.", None)
    assert readable("Kaja Kallas") == ("Kaja Kallas", None)


CSV_SALUTATIONS = {
    "sean-o-briain": "Dear Mr Ó Briain,",
    "maire-ni-bhriain": "Hörmətli xanım Ní Bhriain,",
    "ursula-von-der-leyen": "Dear Ms von der Leyen,",
    "josep-borrell-fontelles": "Dear Mr Borrell Fontelles,",
    "ana-de-la-fuente-ruiz": "Madame,",
    "jan-van-der-berg": "Dear Mr van der Berg,",
    "yusuf-bin-hamad": "Dear Mr bin Hamad,",
    "wang-lihua": "Dear Ms Wang,",
}


def test_salutations_of_names_from_a_csv(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = build([PAMIR], out, formats=("pdf", "docx"), recipients=list(CSV_SALUTATIONS))
    assert report.ok, (report.failures, report.problems)
    letters = out / "pamir-2025" / "letters"
    for letter_id, greeting in CSV_SALUTATIONS.items():
        for text in (
            pdf_text(letters / f"{letter_id}.pdf"),
            docx_text(letters / f"{letter_id}.docx"),
        ):
            assert greeting in text, (letter_id, greeting)
    # "von der Leyen, Ursula" in the file: the letter prints the name as a letter does.
    assert "Ursula von der Leyen" in pdf_text(letters / "ursula-von-der-leyen.pdf")
    assert "von der Leyen, Ursula" not in pdf_text(letters / "ursula-von-der-leyen.pdf")


# -- the list before sending ---------------------------------------------------------------------


def test_recipients_lists_salutations_and_page_counts(cli: Cli, tmp_path: Path) -> None:
    path = pamir_copy(tmp_path)
    out = tmp_path / "out"

    def rows() -> dict[str, list[str]]:
        code, stdout, _err = cli("recipients", path, "-o", out)
        assert code == 0
        lines = stdout.splitlines()
        assert lines[0] == f"{path}: pamir-2025: 17 recipients, 17 letters"
        return {
            cells[0]: cells
            for cells in (re.split(r"\s{2,}", line) for line in lines[2:])
            if cells[0].startswith("letters/")
        }

    before = rows()
    assert before["letters/hr"] == [
        "letters/hr",
        "Kaja Kallas",
        "high-representative",
        "en",
        "restricted",
        "not built",
        "hrvp-office@eeas.example.org",
        "Dear High Representative,",
        "release,access",
    ]
    assert before["letters/aodhan-o-riordain"][5:] == [
        "not built",
        "-",
        "Monsieur le Député,",
        "release,access",
    ]
    assert before["letters/michael-von-der-schulenburg"][-2:] == [
        "Dear Mr von der Schulenburg,",
        "access",
    ]
    long_note = "    note: |\n" + "".join(
        f"      Paragraph {n} of a long note that takes the letter onto a second page, as some "
        "letters do when a recipient needs the whole story.\n\n"
        for n in range(30)
    )
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "    email: leyla@pamir-diaspora.example.org\n",
            "    email: leyla@pamir-diaspora.example.org\n" + long_note,
        ),
        encoding="utf-8",
    )
    report = build([path], out, formats=("pdf",), recipients=["hr", "baku-desk"], jobs=1)
    assert report.ok, (report.failures, report.problems)
    letters = out / "pamir-2025" / "letters"
    built = rows()
    for letter_id in ("hr", "baku-desk"):
        pages = len(PdfReader(letters / f"{letter_id}.pdf").pages)
        assert pdf_pages((letters / f"{letter_id}.pdf").read_bytes()) == pages
        expected = f"{pages} page" + ("s" if pages > 1 else "")
        assert built[f"letters/{letter_id}"][5] == expected
    assert built["letters/baku-desk"][5] != "1 page"  # the long note's second page counts
    assert built["letters/sean-o-briain"][5] == "not built"
    # The campaign changes: the letter to hr is no longer the one in the folder.
    path.write_text(
        path.read_text(encoding="utf-8").replace("    edition: restricted\n", ""),
        encoding="utf-8",
    )
    after = rows()
    assert after["letters/hr"][4:6] == ["public", "out of date"]
    assert after["letters/baku-desk"][5] == built["letters/baku-desk"][5]


def test_page_counts_of_every_pdf_written(example_output: Path) -> None:
    for path in example_output.rglob("*.pdf"):
        assert pdf_pages(path.read_bytes()) == len(PdfReader(path).pages), path


def test_recipients_command_reports_an_invalid_campaign(cli: Cli, tmp_path: Path) -> None:
    path = pamir_copy(tmp_path, [NO_EXCLUDE])
    code, out, err = cli("recipients", path, "-o", tmp_path)
    assert (code, out) == (1, "")
    assert "meps.xml:6:1: error: <mep> number 3 (Hannah Neumann): name: Hannah Neumann would" in err
