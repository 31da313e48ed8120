"""Recipients: imports (CSV, the Parliament's MEP XML), names, joint letters, e-mail drafts."""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen import build, load_campaign
from briefgen.names import ep_name, slug
from briefgen.plan import letters
from tests.conftest import EP_MEPS, EXAMPLE, docx_text, pdf_text, with_recipients

Cli = Callable[..., tuple[int, str, str]]


@pytest.mark.parametrize(
    ("full", "country", "expected"),
    [
        ("Petras AUŠTREVIČIUS", "Lithuania", "Petras Auštrevičius"),
        ("Maravillas ABADÍA JOVER", "Spain", "Maravillas Abadía Jover"),
        ("Aodhán Ó RÍORDÁIN", "Ireland", "Aodhán Ó Ríordáin"),
        ("Pilar DEL CASTILLO VERA", "Spain", "Pilar del Castillo Vera"),
        ("Elio DI RUPO", "Belgium", "Elio Di Rupo"),
        ("Kathleen VAN BREMPT", "Belgium", "Kathleen Van Brempt"),
        ("Anouk VAN BRUG", "Netherlands", "Anouk van Brug"),
        ("Michael VON DER SCHULENBURG", "Germany", "Michael von der Schulenburg"),
        ("Gaetano PEDULLA'", "Italy", "Gaetano Pedullà"),
        ("João COTRIM DE FIGUEIREDO", "Portugal", "João Cotrim de Figueiredo"),
        ("François-Xavier BELLAMY", "France", "François-Xavier Bellamy"),
        ("Isabelle LE CALLENNEC", "France", "Isabelle Le Callennec"),
    ],
)
def test_parliament_names_are_properly_cased(full: str, country: str, expected: str) -> None:
    assert ep_name(full, country)[0] == expected


def test_ids_are_filename_safe_and_stable() -> None:
    assert slug("Pilar del Castillo Vera") == "pilar-del-castillo-vera"
    assert slug("Petras Auštrevičius") == "petras-austrevicius"
    assert slug("Łukasz Kohut") == "lukasz-kohut"
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("Ø" * 300) == "o" * 60


def _ep_campaign(tmp_path: Path, campaign: Callable[..., Path], extra: str = "") -> Path:
    shutil.copy(EP_MEPS, tmp_path / "meps.xml")
    return campaign([("  - id: insider\n", f"  - from: meps.xml\n{extra}  - id: insider\n")])


def test_the_shipped_mep_list_is_the_parliaments_own_with_its_terms() -> None:
    # The repository carries the file (nothing reads a folder outside it), unmodified, with
    # its source, date and reuse terms beside it.
    notice = (EP_MEPS.parent / "README.md").read_text(encoding="utf-8")
    assert f"sha256 `{hashlib.sha256(EP_MEPS.read_bytes()).hexdigest()}`" in notice
    assert "28 October 2025" in notice
    assert "CC BY 4.0" in notice
    assert "Source: European Parliament" in notice
    assert EP_MEPS.read_text(encoding="utf-8").count("<mep>") == 719


def test_full_parliament_import(tmp_path: Path, campaign: Callable[..., Path]) -> None:
    path = _ep_campaign(tmp_path, campaign, "    defaults:\n      language: en\n")
    people = [r for r in load_campaign(path).people if r.role == "mep"]
    assert len(people) == 719
    ids = [r.id for r in people]
    assert len(set(ids)) == 719
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) and len(i) <= 60 for i in ids)
    names = {str(r.name) for r in people}
    for name in (
        "Petras Auštrevičius",
        "Maravillas Abadía Jover",
        "Aodhán Ó Ríordáin",
        "Pilar del Castillo Vera",
        "Anouk van Brug",
        "Gaetano Pedullà",
    ):
        assert name in names
    assert not any(
        re.search(r"\b[A-ZÀ-Ý]{3,}\b", n) and n.upper() != n
        for n in names
        if not re.search(r"\b(REAL|EU)\b", n)
    ), "a family name left in capitals"
    # Ids do not change from one run to the next.
    assert [r.id for r in load_campaign(path).people if r.role == "mep"] == ids


def test_filtered_import_renders_a_slice(tmp_path: Path, campaign: Callable[..., Path]) -> None:
    path = _ep_campaign(
        tmp_path,
        campaign,
        "    defaults: {language: fr, demands: [release]}\n"
        "    filter: {country: [Luxembourg], political_group: [EPP, Renew]}\n",
    )
    people = [r for r in load_campaign(path).people if r.role == "mep"]
    assert 1 <= len(people) <= 6
    report = build([path], tmp_path / "out", formats=("pdf", "docx"), only="letters")
    assert report.ok, report.failures
    for person in people:
        name = str(person.name)
        family = str(person.family_name)
        assert family != family.upper()  # no longer in capitals
        assert name.endswith(family)
        for text in (
            pdf_text(tmp_path / "out" / "minimal" / "letters" / f"{person.id}.pdf"),
            docx_text(tmp_path / "out" / "minimal" / "letters" / f"{person.id}.docx"),
        ):
            assert "Madame, Monsieur," in text  # no honorific in the Parliament's list
            assert name in text
            assert "Membre du Parlement européen" in text
            assert "1047 Bruxelles" in text


CSV = """id,name,honorific,role,title,organisation,address,email,cc,language,demand_tags,reason
chair,Maria Example,Ms,committee-chair,Chair of the Subcommittee,European Parliament,"Rue Wiertz 60
1047 Brussels",chair@example.org,Office <office@example.org>,en,,as Chair of the Subcommittee
,Jean Exemple,Monsieur,working-party-chair,Président du groupe,Conseil,\
Rue de la Loi 175;1048 Bruxelles,,,fr,rights,
"""


def test_csv_import(tmp_path: Path, campaign: Callable[..., Path], cli: Cli) -> None:
    (tmp_path / "people.csv").write_text(CSV, encoding="utf-8")
    path = campaign(
        [
            ("  - id: insider\n", "  - from: people.csv\n  - id: insider\n"),
            (
                "  address: [Main Street 1, 1000 Brussels]",
                "  address: [Main Street 1, 1000 Brussels]\n  email: office@example.org",
            ),
            (
                "    cases: [public-case, secret-case]\n",
                "    cases: [public-case, secret-case]\n    tags: [rights]\n",
            ),
        ]
    )
    people = {r.id: r for r in load_campaign(path).people}
    chair, jean = people["chair"], people["jean-exemple"]
    assert [str(line) for line in chair.address] == ["Rue Wiertz 60", "1047 Brussels"]
    assert [str(line) for line in jean.address] == ["Rue de la Loi 175", "1048 Bruxelles"]
    assert chair.cc == ["Office <office@example.org>"]
    out = tmp_path / "out"
    code, _, err = cli("build", path, "-o", out, "--only", "letters", "-f", "pdf,docx,eml")
    assert code == 0, err
    text = pdf_text(out / "minimal" / "letters" / "chair.pdf")
    assert "Dear Chair," in text
    assert "We are writing to you as Chair of the Subcommittee." in text
    assert "cc: Office" in text
    french = docx_text(out / "minimal" / "letters" / "jean-exemple.docx")
    assert "Monsieur le Président," in french
    assert "Release the detained" in french  # picked by its tag
    # Letters without an e-mail address are listed, not silently skipped.
    for letter_id in ("hr", "insider", "jean-exemple"):
        assert f"{letter_id}: eml draft not written: no e-mail address" in err
    assert not (out / "minimal" / "letters" / "jean-exemple.eml").exists()
    draft = email.message_from_bytes(
        (out / "minimal" / "letters" / "chair.eml").read_bytes(), policy=email.policy.default
    )
    assert draft["To"] == "Maria Example <chair@example.org>"
    assert draft["Cc"] == "Office <office@example.org>"
    assert draft["X-Unsent"] == "1"
    assert draft["Subject"] == "Test Dialogue, Brussels, 10 May 2024"
    attached = {part.get_filename(): part.get_content() for part in draft.iter_attachments()}
    assert list(attached) == [
        "Test Rights Group – letter to Maria Example.pdf",
        "Test Rights Group – policy brief.pdf",
    ]
    letter = out / "minimal" / "letters" / "chair.pdf"
    assert attached["Test Rights Group – letter to Maria Example.pdf"] == letter.read_bytes()
    brief = out / "minimal" / "brief.public.en.pdf"  # built for the draft (--only letters)
    assert attached["Test Rights Group – policy brief.pdf"] == brief.read_bytes()
    assert "Dear Chair," in draft.get_body(("plain",)).get_content()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            None,
            [
                "campaign.yaml:31:11: error: recipients[0].from: file 'people.csv' does not "
                "exist (paths are relative to the campaign file)"
            ],
        ),
        ("", ["people.csv: error: file is empty"]),
        (
            "name,adress\nA,B\n",
            [
                "people.csv:1:1: error: no 'address' column, and the import gives no "
                "defaults.address: every recipient needs one (add the column, or 'address' to "
                "the import's defaults)",
                "people.csv:1:6: warning: unknown column 'adress' (column B) is ignored (did you "
                "mean 'address'?)",
            ],
        ),
        (
            "name,address\nA,a\nB,b,extra\n",
            [
                "people.csv:3:5: error: row 3 has 3 values, the header has 2 (a ',' too many or "
                "too few, or a line break outside quotes?)"
            ],
        ),
        (
            "name;address;role\nA;a;king\n",
            [
                "people.csv:2:5: error: row 2: role: unknown role 'king' (expected one of: "
                "high-representative, special-representative, commissioner, "
                "president-european-council, mep, committee-chair, working-party-chair, "
                "head-of-delegation, minister, other)"
            ],
        ),
        (
            "title\nX\n",
            [
                "people.csv:1:1: error: the header has no 'name' column",
                "people.csv:1:1: error: no 'address' column, and the import gives no "
                "defaults.address: every recipient needs one (add the column, or 'address' to "
                "the import's defaults)",
            ],
        ),
        ("name,email\n", ["people.csv: error: file has a header but no rows"]),
        (
            'name,address\nA,"Rue Wiertz 60\n1047 Brussels\nB,b\n',
            [
                "people.csv:2:3: error: a quoted value starts here and is never closed (a '\"' "
                "missing); the rest of the file cannot be read"
            ],
        ),
    ],
    ids=[
        "missing",
        "empty",
        "unknown column",
        "malformed row",
        "bad role",
        "no name",
        "no rows",
        "open quote",
    ],
)
def test_csv_import_errors(
    tmp_path: Path, campaign: Callable[..., Path], cli: Cli, content: str | None, expected: str
) -> None:
    if content is not None:
        (tmp_path / "people.csv").write_text(content, encoding="utf-8")
    path = campaign([("  - id: hr\n", "  - from: people.csv\n  - id: hr\n")])
    code, _, err = cli("check", path)
    assert code == 1
    assert err.splitlines() == [str(tmp_path / line) for line in expected]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "<html/>",
            "meps.xml:1:1: error: not the Parliament's MEP list: the root element is "
            "<html>, expected <meps>",
        ),
        ("<meps><mep><fullName>A B</fullName>", "meps.xml:1:1: error: not well-formed XML"),
        (
            "<meps><mep><fullName>Anna BEISPIEL</fullName></mep></meps>",
            "meps.xml:1:1: error: <mep> number 1 has no <id>",
        ),
    ],
)
def test_parliament_import_errors(
    tmp_path: Path, campaign: Callable[..., Path], cli: Cli, content: str, expected: str
) -> None:
    (tmp_path / "meps.xml").write_text(content, encoding="utf-8")
    path = campaign([("  - id: hr\n", "  - from: meps.xml\n  - id: hr\n")])
    code, _, err = cli("check", path)
    assert code == 1
    assert err.splitlines()[0].startswith(str(tmp_path / expected)), err


def test_import_filter_errors(tmp_path: Path, campaign: Callable[..., Path], cli: Cli) -> None:
    path = _ep_campaign(tmp_path, campaign, "    filter: {country: [Luxemburg]}\n")
    code, _, err = cli("check", path)
    assert code == 1
    # The mistake is in the campaign file: reported there, at the filter's value.
    assert err == (
        f"{tmp_path / 'campaign.yaml'}:36:24: error: recipients[1].filter.country[0]: "
        "no recipient in meps.xml is from 'Luxemburg' (did you mean 'Luxembourg'?)\n"
    )


JOINT = [
    (
        "signatories:",
        "joint_letters:\n  - id: together\n    to: [hr, insider]\n    edition: public\n"
        "co_signers: [Test Rights Group, Second NGO]\nsignatories:",
    )
]


def test_joint_letter_to_several_recipients(tmp_path: Path, campaign: Callable[..., Path]) -> None:
    path = campaign(JOINT)
    assert [item.id for item in letters(load_campaign(path))] == ["together"]
    report = build([path], tmp_path / "out", formats=("pdf", "docx"), only="letters")
    assert report.ok, report.failures
    folder = tmp_path / "out" / "minimal"
    assert sorted(p.name for p in (folder / "letters").iterdir()) == [
        "together.docx",
        "together.pdf",
    ]
    for text in (
        pdf_text(folder / "letters" / "together.pdf"),
        docx_text(folder / "letters" / "together.docx"),
    ):
        assert "Dear High Representative, dear Mr Roe," in text
        assert "Jane Doe" in text
        assert "John Roe" in text
        assert "We, the undersigned organisations, are writing to you jointly." in text
        assert "The undersigned organisations:" in text
        assert "Second NGO" in text
        assert "Zəhra Gizli-Canary" not in text  # edition: public
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["recipients"]) == {"hr", "insider"}
    for person in ("hr", "insider"):
        sent = manifest["recipients"][person]
        assert sent["letter"] == "together"
        assert sent["edition"] == "public"
        assert [f["path"] for f in sent["files"]] == [
            "letters/together.pdf",
            "letters/together.docx",
        ]


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        (
            [("signatories:", "joint_letters:\n  - id: both\n    to: [hr, nobody]\nsignatories:")],
            "43:14: error: joint_letters[0].to[1]: unknown recipient id 'nobody'",
        ),
        (
            [("signatories:", "joint_letters:\n  - id: hr\n    to: [hr, insider]\nsignatories:")],
            "42:9: error: joint_letters[0].id: 'hr' is also a recipient id; a joint letter needs "
            "an id of its own (it names the file)",
        ),
        (
            [
                ("    edition: restricted\n", "    edition: restricted\n    language: fr\n"),
                (
                    "signatories:",
                    "joint_letters:\n  - id: both\n    to: [hr, insider]\nsignatories:",
                ),
            ],
            "44:9: error: joint_letters[0].to: the recipients of this joint letter read "
            "different languages (en: hr; fr: insider); add 'language: en' or 'language: fr' "
            "to the joint letter: one letter is written in one language",
        ),
        (
            [
                (
                    "    role: high-representative\n",
                    "    role: high-representative\n    demand_tags: [fundng]\n",
                )
            ],
            "34:19: error: recipients[0].demand_tags[0]: unknown demand tag 'fundng'",
        ),
    ],
    ids=["unknown recipient", "id collision", "languages differ", "unknown tag"],
)
def test_joint_letter_and_tag_errors(
    cli: Cli, campaign: Callable[..., Path], replace: list[tuple[str, str]], expected: str
) -> None:
    path = campaign(replace)
    code, _, err = cli("check", path)
    assert code == 1
    assert err.splitlines()[0] == f"{path}:{expected}", err


def test_recipients_command_lists_who_gets_what(cli: Cli, tmp_path: Path) -> None:
    code, out, _ = cli("recipients", EXAMPLE, "-o", tmp_path)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"{EXAMPLE}: eu-azerbaijan-2020: 8 recipients, 7 letters"
    assert re.split(r"\s{2,}", lines[1]) == [
        "LETTER",
        "TO",
        "ROLE",
        "LANG",
        "EDITION",
        "PAGES",
        "E-MAIL",
        "SALUTATION",
        "DEMANDS",
    ]
    row = next(line for line in lines if "Olivér Várhelyi" in line)
    assert re.split(r"\s{2,}", row) == [
        "letters/commissioner-neighbourhood",
        "Olivér Várhelyi",
        "commissioner",
        "en",
        "public",
        "not built",
        "-",
        "Dear Commissioner,",
        "free-civil-society",
    ]
    assert any("Philippe Goffin" in line and "Monsieur le Ministre," in line for line in lines)
    assert any("Eamon Gilmore" in line and "restricted" in line for line in lines)
    joint = [line for line in lines if line.startswith("letters/european-parliament-droi ")]
    assert len(joint) == 2
    assert all("Dear Chair, dear Ms Neumann," in line for line in joint)
    assert lines[-1].endswith("recipients have no e-mail address (no e-mail draft for them)")


def test_eml_drafts_are_byte_identical(tmp_path: Path) -> None:
    for name in ("a", "b"):
        build(
            [EXAMPLE], tmp_path / name, formats=("pdf", "eml"), recipients=["high-representative"]
        )
    first = tmp_path / "a" / "eu-azerbaijan-2020" / "letters" / "high-representative.eml"
    second = tmp_path / "b" / "eu-azerbaijan-2020" / "letters" / "high-representative.eml"
    assert first.read_bytes() == second.read_bytes()
    draft = email.message_from_bytes(first.read_bytes(), policy=email.policy.default)
    assert draft["From"] == "Rights Dialogue Europe <advocacy@example.org>"
    assert draft["Cc"] == (
        '"Managing Director for Europe and Central Asia, EEAS" <md-europe@example.org>'
    )
    assert draft["Content-Language"] == "en-GB"


def test_an_email_draft_attaches_the_formats_built_whatever_their_order(tmp_path: Path) -> None:
    # "-f eml,docx": the draft is written after the DOCX it attaches, and the PDF attached
    # is the one written to disk (the same bytes, printed once).
    build(
        [EXAMPLE],
        tmp_path,
        formats=("eml", "docx", "pdf"),
        recipients=["high-representative"],
        attach_docx=True,
    )
    letters = tmp_path / "eu-azerbaijan-2020" / "letters"
    draft = email.message_from_bytes(
        (letters / "high-representative.eml").read_bytes(), policy=email.policy.default
    )
    stem = "Rights Dialogue Europe – letter to Josep Borrell Fontelles"
    attached = {part.get_filename(): part.get_content() for part in draft.iter_attachments()}
    assert set(attached) == {
        f"{stem}.pdf",
        f"{stem}.docx",
        "Rights Dialogue Europe – policy brief.pdf",
    }
    assert attached[f"{stem}.pdf"] == (letters / "high-representative.pdf").read_bytes()
    assert attached[f"{stem}.docx"] == (letters / "high-representative.docx").read_bytes()


def test_a_wrong_default_of_an_import_is_reported_once(
    cli: Callable[..., tuple[int, str, str]], campaign: Callable[..., Path], tmp_path: Path
) -> None:
    (tmp_path / "people.csv").write_text("name,address\nAnna Berg,x\nOle Dahl,y\n")
    path = with_recipients(
        campaign, "  - from: people.csv\n    defaults: {role: mep, demands: [nosuch]}\n"
    )
    code, _out, err = cli("check", path)
    assert code == 1
    assert err.splitlines() == [
        f"{path}:32:37: error: recipients[0].defaults.demands[0]: unknown demand id 'nosuch'"
    ]
