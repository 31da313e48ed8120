"""Dialogue rounds: campaign.previous chains rounds; check reports every problem of the chain
at its own file and line; status at a round; what changed; confidentiality across rounds;
``briefgen rounds``."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from briefgen import build, rounds
from briefgen.validate import check_file, load_campaign
from tests.conftest import DATA, EXAMPLE, ROOT, docx_text, pdf_text

ROUNDS = DATA / "rounds"
LATEST = ROUNDS / "dialogue-2021.yaml"
EXAMPLE_2021 = ROOT / "briefs" / "eu-azerbaijan-2021.yaml"

Cli = Callable[..., tuple[int, str, str]]


def chain_copy(folder: Path, edits: dict[str, list[tuple[str, str]]] | None = None) -> Path:
    """A copy of the three test rounds in ``folder``, with text replacements per file name
    (each ``old`` must occur); returns the latest round's file."""
    target = folder / "rounds"
    shutil.copytree(ROUNDS, target)
    for name, replacements in (edits or {}).items():
        path = target / name
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, old
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    return target / LATEST.name


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line of ``path`` that contains ``needle``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def errors(path: Path) -> list[str]:
    _campaign, problems = check_file(path)
    return [str(p) for p in problems if p.severity == "error"]


def warnings(path: Path) -> list[str]:
    _campaign, problems = check_file(path)
    return [str(p) for p in problems if p.severity == "warning"]


# -- the chain ------------------------------------------------------------------------------


def test_the_chain_is_read_oldest_first_and_attached_to_the_campaign() -> None:
    campaign = load_campaign(LATEST)
    chain = rounds.chain(campaign)
    assert [r.campaign.campaign.id for r in chain] == ["dialogue-2019", "dialogue-2020"]
    assert [r.file.name for r in chain] == ["dialogue-2019.yaml", "dialogue-2020.yaml"]
    assert rounds.previous(campaign) is chain[-1]
    assert rounds.chain(load_campaign(EXAMPLE)) == ()  # the 2020 example names none


def test_a_missing_previous_file_is_an_error_at_its_line(cli: Cli, tmp_path: Path) -> None:
    latest = chain_copy(
        tmp_path, {"dialogue-2021.yaml": [("dialogue-2020.yaml", "dialogue-2018.yaml")]}
    )
    line = line_of(latest, "previous:")
    code, _out, err = cli("check", latest)
    assert code == 1
    assert err.splitlines() == [
        f"{latest}:{line}:13: error: campaign.previous: file 'dialogue-2018.yaml' does not "
        "exist (paths are relative to the campaign file)"
    ]


def test_a_cycle_is_an_error_at_the_link_that_closes_it(cli: Cli, tmp_path: Path) -> None:
    latest = chain_copy(
        tmp_path,
        {
            "dialogue-2019.yaml": [
                ("  language: en\n", "  previous: dialogue-2021.yaml\n  language: en\n")
            ]
        },
    )
    oldest = latest.parent / "dialogue-2019.yaml"
    code, _out, err = cli("check", latest)
    assert code == 1
    assert err.splitlines() == [
        f"{oldest}:{line_of(oldest, 'previous:')}:13: error: campaign.previous: "
        "'dialogue-2021.yaml' is a later round of this chain (dialogue-2021.yaml → "
        "dialogue-2020.yaml → dialogue-2019.yaml → dialogue-2021.yaml): rounds cannot form a "
        "cycle; name the file of the round before this one"
    ]


def test_a_round_cannot_be_its_own_previous_round(tmp_path: Path) -> None:
    latest = chain_copy(
        tmp_path, {"dialogue-2021.yaml": [("dialogue-2020.yaml", "dialogue-2021.yaml")]}
    )
    assert errors(latest) == [
        f"{latest}:{line_of(latest, 'previous:')}:13: error: campaign.previous: "
        "'dialogue-2021.yaml' is this file: a round cannot be its own previous round"
    ]


def test_a_previous_file_outside_the_folder_or_not_yaml_is_refused(tmp_path: Path) -> None:
    latest = chain_copy(tmp_path, {"dialogue-2021.yaml": [("dialogue-2020.yaml", "../x.yaml")]})
    assert errors(latest) == [
        f"{latest}:{line_of(latest, 'previous:')}:13: error: campaign.previous: '../x.yaml' is "
        "outside the campaign folder"
    ]
    (tmp_path / "rounds" / "notes.txt").write_text("x", encoding="utf-8")
    latest.write_text(
        latest.read_text(encoding="utf-8").replace("../x.yaml", "notes.txt"), encoding="utf-8"
    )
    assert errors(latest) == [
        f"{latest}:{line_of(latest, 'previous:')}:13: error: campaign.previous: 'notes.txt' is "
        "not a campaign file (.yaml, .yml)"
    ]
    (tmp_path / "rounds" / "prev.yaml").mkdir()
    latest.write_text(
        latest.read_text(encoding="utf-8").replace("notes.txt", "prev.yaml"), encoding="utf-8"
    )
    assert errors(latest) == [
        f"{latest}:{line_of(latest, 'previous:')}:13: error: campaign.previous: 'prev.yaml' is "
        "a folder, not a campaign file"
    ]


def test_errors_of_an_earlier_round_are_reported_at_its_own_lines(cli: Cli, tmp_path: Path) -> None:
    # Two rounds back: the error is in 2019's file, the note at 2020's 'previous'.
    latest = chain_copy(
        tmp_path,
        {"dialogue-2019.yaml": [("    visibility: restricted\n", "    visibility: secret\n")]},
    )
    oldest, middle = latest.parent / "dialogue-2019.yaml", latest.parent / "dialogue-2020.yaml"
    code, _out, err = cli("check", latest)
    assert code == 1
    assert err.splitlines() == [
        f"{middle}:{line_of(middle, 'previous:')}:13: error: campaign.previous: the previous "
        "round 'dialogue-2019.yaml' has 1 error, listed with its file name; fix them first",
        f"{oldest}:{line_of(oldest, 'visibility: secret')}:17: error: cases[3].visibility: "
        "unknown visibility 'secret' (expected one of: public, restricted, withheld)",
    ]


def test_an_unknown_assessment_status_is_a_located_error(tmp_path: Path) -> None:
    latest = chain_copy(
        tmp_path, {"dialogue-2021.yaml": [("status: partly-met", "status: half-met")]}
    )
    assert errors(latest) == [
        f"{latest}:{line_of(latest, 'half-met')}:15: error: demands[0].assessment.status: "
        "unknown status 'half-met' (expected one of: met, partly-met, not-met, worse)"
    ]


def test_assessments_and_dropped_demands_are_checked_against_the_last_round(tmp_path: Path) -> None:
    latest = chain_copy(
        tmp_path,
        {
            "dialogue-2021.yaml": [
                # an assessment of a demand the last round did not make
                (
                    "    body: {en: Relatives may not leave the country.",
                    "    assessment: {status: met}\n"
                    "    body: {en: Relatives may not leave the country.",
                ),
                ("  - id: end-torture", "  - id: end-torturee"),  # no such demand then
                ("      sources: [court-2021]", "      sources: [court-2012]"),
            ]
        },
    )
    assert errors(latest) == [
        f"{latest}:{line_of(latest, 'sources: [court-2012]')}:17: error: "
        "demands[0].assessment.sources[0]: unknown source id 'court-2012' (did you mean "
        "'court-2021'?)",
        f"{latest}:{line_of(latest, 'assessment: {status: met}')}:17: error: "
        "demands[3].assessment: demand 'lift-travel-bans' is new in this round "
        "('dialogue-2020.yaml' has no demand with this id): there is nothing to assess yet; "
        "remove the assessment, or give the demand the id it had in the last round",
        f"{latest}:{line_of(latest, 'end-torturee')}:9: error: dropped_demands[0].id: "
        "'end-torturee' is not a demand of the last round ('dialogue-2020.yaml') (did you "
        "mean 'end-torture'?)",
    ]


def test_a_dropped_demand_still_made_and_an_assessment_without_a_last_round(
    campaign: Callable[..., Path],
) -> None:
    path = campaign(
        [
            (
                "    cases: [public-case, secret-case]\n",
                "    cases: [public-case, secret-case]\n    assessment: {status: met}\n",
            ),
            (
                "sources: []\n",
                "sources: []\ndropped_demands:\n  - id: release\n    assessment: {status: worse}\n",
            ),
        ]
    )
    text = path.read_text(encoding="utf-8")
    assert errors(path) == [
        f"{path}:{line_of(path, 'assessment: {status: met}')}:17: error: demands[0].assessment: "
        "an assessment says how a demand fared since the last round, but this campaign names "
        "no last round; add 'previous: <the last round's campaign file>' under campaign",
        f"{path}:{text.splitlines().index('dropped_demands:') + 2}:3: error: dropped_demands: "
        "dropped demands are demands of the last round, but this campaign names no last "
        "round; add 'previous: <the last round's campaign file>' under campaign",
    ]


def test_rounds_must_follow_each_other_with_ids_of_their_own(tmp_path: Path) -> None:
    latest = chain_copy(
        tmp_path,
        {
            "dialogue-2021.yaml": [
                ("id: dialogue-2021", "id: dialogue-2020"),
                ("    date: 2021-06-09", "    date: 2020-06-10"),
            ]
        },
    )
    assert errors(latest) == [
        f"{latest}:{line_of(latest, 'id: dialogue-2020')}:7: error: campaign.id: "
        "'dialogue-2020' is also the id of the last round ('dialogue-2020.yaml'); each round "
        "needs an id of its own (it names the output folder)",
        f"{latest}:{line_of(latest, 'previous:')}:13: error: campaign.previous: the event of "
        "'dialogue-2020.yaml' (2020-06-10) is not before this round's (2020-06-10); name the "
        "file of the round before this one",
    ]


def test_warnings_for_what_the_scorecard_and_the_since_section_would_lack(
    tmp_path: Path,
) -> None:
    latest = chain_copy(tmp_path)
    text = latest.read_text(encoding="utf-8")
    # access-monitors loses its assessment; end-torture is dropped without one
    start = text.index("    assessment:\n      status: met\n")
    text = text[:start] + text[text.index("  - id: confidential-ask") :]
    text = text[: text.index("dropped_demands:")] + text[text.index("cases:\n") :]
    # a status that changed through the case's 'status' field: undated, unsourced
    history = (
        "    history:\n      - date: 2021-01-10\n        status: {en: Transferred to a prison "
        "colony, fr: Transféré dans une colonie pénitentiaire}\n        source: monitor-2021\n"
    )
    assert history in text
    text = text.replace(
        history, "    status: {en: Transferred to a prison colony, fr: Transféré}\n"
    )
    latest.write_text(text, encoding="utf-8")
    assert errors(latest) == []
    assert warnings(latest) == [
        f"{latest}:{line_of(latest, 'previous:')}:13: warning: campaign.previous: demand "
        "'end-torture' of the last round is not a demand of this round and has no assessment: "
        "list it under dropped_demands with one, or the scorecard shows it as dropped, not "
        "assessed",
        f"{latest}:{line_of(latest, 'id: access-monitors')}:9: warning: demands[1].id: this "
        "demand was made at the last round too: give it an assessment (met, partly-met, "
        "not-met or worse), or the scorecard shows it as not assessed",
        f"{latest}:{line_of(latest, 'id: nurmukhammed-kurbanmuradov')}:5: warning: cases[1]: the "
        "status changed since the last round, but not through a history entry dated after it "
        "(2020-06-10): record the change in 'history' (date, status, source), so that the "
        "brief can say when it changed and cite it",
    ]


# -- status at a round, and what changed ----------------------------------------------------


def test_status_at_a_round_is_the_latest_entry_on_or_before_its_event() -> None:
    campaign = load_campaign(LATEST)

    def at(case: str, index: int) -> str | None:
        status = rounds.status_at(campaign, case, index)
        return status.text.resolve("en", "en")[0] if status else None

    # History spans rounds: the latest file's entries, cut at each round's event.
    assert [at("gulnarakhon-ismoilova", k) for k in range(3)] == [
        "Detained pending trial",
        "Sentenced to seven years",
        "Released after an appeal",
    ]
    # No entry before 2021's: the status each earlier round's own file gives.
    assert [at("nurmukhammed-kurbanmuradov", k) for k in range(3)] == [
        "Serving eight years",
        "Serving eight years",
        "Transferred to a prison colony",
    ]
    assert [at("dilfuza-rahmonberdieva", k) for k in range(3)] == [
        None,
        None,
        "Arrested for a post online",
    ]
    assert rounds.status_at(campaign, "gulnarakhon-ismoilova", 2).resolved  # type: ignore[union-attr]


def test_changes_since_the_last_round() -> None:
    found = rounds.changes(load_campaign(LATEST))
    assert found is not None
    assert [c.case.id for c in found.changed] == [
        "gulnarakhon-ismoilova",
        "nurmukhammed-kurbanmuradov",
        "aynabat-orazgeldiyeva",
    ]
    assert [c.resolved for c in found.changed] == [True, False, False]
    assert [c.id for _i, c in found.added] == ["dilfuza-rahmonberdieva"]
    assert found.removed == []
    assert [d.id for d in found.demands_added] == ["lift-travel-bans"]
    assert [d.id for d in found.demands_dropped] == ["end-torture"]
    assert [d.id for d in found.demands_reworded] == ["free-prisoners"]
    departed = rounds.departed(load_campaign(LATEST))
    assert [(r.file.name, i, c.id, c.visibility) for r, i, c in departed] == [
        ("dialogue-2019.yaml", 2, "aziz-kurbanmuradov", "public"),
        ("dialogue-2019.yaml", 3, "shokhrukhbek-saidakbarov", "restricted"),
    ]


# -- confidentiality across rounds ----------------------------------------------------------


def test_the_leak_guard_knows_the_names_of_every_round(tmp_path: Path) -> None:
    """A name only an earlier round gives (an alias of 2019) of a case restricted now, and a
    case only an earlier round lists, restricted there, are refused in public text now."""
    summary = (
        "  summary: {en: The third round we follow., fr: La troisième session que nous suivons.}"
    )
    latest = chain_copy(
        tmp_path,
        {
            "dialogue-2021.yaml": [
                (
                    summary,
                    "  summary:\n    en: We met Nurmuhammet Kurbanmyradow's lawyer and the "
                    "family of"
                    " Mr Saidakbarov.\n    fr: La troisième session que nous suivons.",
                )
            ]
        },
    )
    line = line_of(latest, "Kurbanmyradow")
    assert errors(latest) == [
        f"{latest}:{line}:16: error: brief.summary.en: this text would name the restricted "
        "case cases[1]; remove that name from the text",
        f"{latest}:{line}:69: error: brief.summary.en: this text would name the restricted "
        "case cases[3] of the earlier round dialogue-2019.yaml by its family name; remove or "
        "reword it; if it means someone or something else, declare it in campaign.leak_allow "
        "(text, case, reason)",
    ]


def test_a_case_public_when_last_followed_is_someone_else_by_his_full_name(
    tmp_path: Path,
) -> None:
    """Aziz Kurbanmuradov, public in 2019 and not followed since, shares a family name with
    Nurmukhammed Kurbanmuradov, restricted now: his full name is his own; the family name
    alone is still refused."""
    summary = "  summary: {en: The third round we follow."
    latest = chain_copy(
        tmp_path,
        {
            "dialogue-2021.yaml": [
                (summary, "  summary: {en: Aziz Kurbanmuradov was freed in 2019.")
            ]
        },
    )
    assert errors(latest) == []
    text = latest.read_text(encoding="utf-8")
    latest.write_text(text.replace("Aziz Kurbanmuradov was", "Mr Kurbanmuradov was"), "utf-8")
    assert errors(latest) == [
        f"{latest}:{line_of(latest, 'Mr Kurbanmuradov')}:17: error: brief.summary.en: this text "
        "would name the restricted case cases[1] by its family name; remove or reword it; if it "
        "means someone or something else, declare it in campaign.leak_allow (text, case, reason)"
    ]


def test_leak_allow_may_excuse_words_that_resemble_an_earlier_rounds_case(tmp_path: Path) -> None:
    latest = chain_copy(
        tmp_path,
        {
            "dialogue-2021.yaml": [
                (
                    "  summary: {en: The third round we follow.",
                    "  summary: {en: We met at Saidakbarov Street.",
                ),
                (
                    "  language: en\n",
                    "  language: en\n  leak_allow:\n    - text: Saidakbarov Street\n"
                    "      case: shokhrukhbek-saidakbarov\n"
                    "      reason: the street, not the person\n",
                ),
            ]
        },
    )
    assert errors(latest) == []


def test_an_earlier_rounds_text_that_would_name_a_case_restricted_now_is_refused(
    tmp_path: Path,
) -> None:
    # In 2020 both were public: a status could mention one in the other's case. In 2021 the
    # brief prints 2020's status of the journalist in "since" and the register, as 2020's
    # file gives it when 2021's history has no entry up to 2020's event.
    latest = chain_copy(
        tmp_path,
        {
            "dialogue-2020.yaml": [
                (
                    "        status: {en: Sentenced to seven years, fr: Condamnée à sept ans}",
                    "        status: {en: Sentenced to seven years with N. T. Kurbanmuradov, "
                    "fr: Condamnée à sept ans}",
                )
            ],
            "dialogue-2021.yaml": [
                (
                    "      - date: 2019-02-01\n        status: {en: Detained pending trial, fr: En "
                    "détention provisoire}\n        source: monitor-2019\n"
                    "      - date: 2019-11-20\n"
                    "        status: {en: Sentenced to seven years, fr: Condamnée à sept ans}\n"
                    "        source: monitor-2020\n",
                    "",
                )
            ],
        },
    )
    middle = latest.parent / "dialogue-2020.yaml"
    # He was public in 2020, but visibility is today's: the 2020 round, checked or built
    # again now, knows that 2021 restricted him, and its own public brief may not name him.
    line = line_of(middle, "with N. T.")
    assert errors(middle) == [
        f"{middle}:{line}:52: error: cases[0].history[1].status.en: this text would name the "
        "restricted case cases[1]; remove that name from the text"
    ]
    assert errors(latest) == [
        f"{middle}:{line_of(middle, 'with N. T.')}:17: error: cases[0].history[1].status: this "
        "text would name the restricted case cases[1] of 'dialogue-2021.yaml' in the public "
        "brief of that round, which prints it (since the last dialogue, the cases at each "
        "round); reword it, or record in 'dialogue-2021.yaml' a history entry for this case, "
        "dated on or before 2020-06-10, with the status to print"
    ]


# -- briefgen rounds --------------------------------------------------------------------------


EVENT = "EU–Central Asia Human Rights Dialogue, Brussels"


def test_briefgen_rounds_prints_the_chain_and_what_changed(cli: Cli) -> None:
    code, out, err = cli("rounds", LATEST)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{LATEST}: 3 rounds",
        f"  1. 2019-06-12  dialogue-2019  {EVENT}  ({ROUNDS / 'dialogue-2019.yaml'})",
        f"  2. 2020-06-10  dialogue-2020  {EVENT}  ({ROUNDS / 'dialogue-2020.yaml'})",
        f"  3. 2021-06-09  dialogue-2021  {EVENT}  ({LATEST})",
        "since dialogue-2020 (2020-06-10):",
        "  cases added: dilfuza-rahmonberdieva",
        "  cases removed: none",
        "  cases whose status changed: 3",
        "    gulnarakhon-ismoilova, 2021-03-15, resolved: Sentenced to seven years -> Released "
        "after an appeal",
        "    restricted case cases[1], 2021-01-10",
        "    withheld case cases[2], 2021-02-01",
        "  cases no longer public: restricted case cases[1]",
        "  demands added: lift-travel-bans",
        "  demands dropped: end-torture",
        "  demands reworded: free-prisoners",
        "  demands assessed: free-prisoners partly-met, access-monitors met, confidential-ask "
        "not-met, end-torture worse (dropped)",
        "  demands not assessed: none",
    ]


def test_briefgen_rounds_never_prints_a_confidential_name(cli: Cli) -> None:
    code, out, _err = cli("rounds", EXAMPLE_2021)
    assert code == 0
    assert "restricted case cases[5]" in out  # Nigar Sultanlı, public in 2020, restricted now
    assert "  cases added: elchin-mammad" in out.splitlines()
    for secret in ("Sultanl", "nigar", "Nigar", "Nəsibova", "Farida", "example-restricted"):
        assert secret not in out
    code, out, _err = cli("rounds", LATEST)
    for secret in (
        "urbanmuradov",
        "urbanmyradow",
        "Orazgeldiyeva",
        "aynabat",
        "Saidakbarov",
        "Transferred",
    ):
        assert secret not in out


def test_briefgen_rounds_hides_an_earlier_event_that_names_a_case_not_public_now(
    cli: Cli, tmp_path: Path
) -> None:
    """The 2019 event was named after a hearing of Kurbanmuradov, public then, restricted in
    2021: `briefgen rounds` prints the 2019 round without its event, id and file name."""
    latest = chain_copy(
        tmp_path,
        {
            "dialogue-2019.yaml": [
                (
                    "name: {en: EU–Central Asia Human Rights Dialogue,",
                    "name: {en: EU–Central Asia Human Rights Dialogue (Kurbanmuradov hearing),",
                )
            ]
        },
    )
    code, out, _err = cli("rounds", latest)
    assert code == 0
    assert "Kurbanmuradov" not in out
    assert (
        "  1. 2019-06-12  (not shown: its event, id or file name names a case that is not "
        "public)" in out.splitlines()
    )
    assert any(
        line.startswith("  2. 2020-") and "dialogue-2020" in line for line in out.splitlines()
    )


def test_briefgen_rounds_reports_an_invalid_chain(cli: Cli, tmp_path: Path) -> None:
    latest = chain_copy(
        tmp_path, {"dialogue-2021.yaml": [("dialogue-2020.yaml", "dialogue-2018.yaml")]}
    )
    code, out, err = cli("rounds", latest)
    assert (code, out) == (1, "")
    assert "campaign.previous: file 'dialogue-2018.yaml' does not exist" in err


def test_both_example_rounds_check_without_a_problem() -> None:
    _campaign, problems = check_file(EXAMPLE_2021)
    assert problems == []
    # The 2020 round is told that 2021 restricted one of its public cases.
    _campaign, problems = check_file(EXAMPLE)
    assert [str(p) for p in problems] == [
        f"{EXAMPLE}:{line_of(EXAMPLE, 'public  # restricted in 2021')}:17: warning: "
        "cases[4].visibility: this case is restricted in the later round "
        "'eu-azerbaijan-2021.yaml' (visibility is today's): this round's documents treat it "
        "as restricted"
    ]


# -- an earlier round built again ------------------------------------------------------------


def test_an_earlier_round_built_again_hides_a_case_a_later_round_restricted(
    tmp_path: Path,
) -> None:
    """Building the project again (every campaign under briefs/) must not publish last
    year's brief with the name of a person whose family has since asked not to be named."""
    briefs = tmp_path / "briefs"
    briefs.mkdir()
    for name in ("assets", "data"):
        shutil.copytree(ROOT / "briefs" / name, briefs / name)
    shutil.copy(EXAMPLE, briefs / EXAMPLE.name)
    out = tmp_path / "out"
    public = out / "eu-azerbaijan-2020" / "brief.public.en.pdf"
    restricted = out / "eu-azerbaijan-2020" / "brief.restricted.en.pdf"
    options = {"formats": ("pdf", "docx"), "only": "brief"}
    # Alone, the 2020 file says the case is public: its public brief names her.
    report = build([briefs / EXAMPLE.name], out, **options)
    assert report.ok, report.problems
    assert "Nigar Sultanlı" in pdf_text(public)
    # With the 2021 round beside it (whose previous round it is), she is restricted: the
    # brief is rendered again, and only the restricted edition names her.
    shutil.copy(EXAMPLE_2021, briefs / EXAMPLE_2021.name)
    report = build([briefs / EXAMPLE.name], out, **options)
    assert report.ok, report.problems
    assert report.unchanged == 0
    for path in (public, public.with_suffix(".docx")):
        text = pdf_text(path) if path.suffix == ".pdf" else docx_text(path)
        assert "Sultanl" not in text, path.name
        assert "Khadija Ismayilova" in text  # still public
    assert "Nigar Sultanlı" in pdf_text(restricted)
    assert "Nigar Sultanlı" in docx_text(restricted.with_suffix(".docx"))
    # A later round that is only parsed counts too: one with mistakes still restricts.
    later = briefs / EXAMPLE_2021.name
    later.write_text(later.read_text(encoding="utf-8") + "\nunknown_key: 1\n", encoding="utf-8")
    _campaign, problems = check_file(briefs / EXAMPLE.name)
    assert [p.field for p in problems] == ["cases[4].visibility"]


# -- the second worked campaign takes a previous round -----------------------------------------

TAJIKISTAN_2024 = """\
# An ILLUSTRATIVE previous round of the second worked campaign, for this test only.
campaign:
  id: eu-tajikistan-2024
  language: en
  languages: [en, fr]
  date: 2024-06-10
  event:
    name: {en: 14th EU–Tajikistan Human Rights Dialogue, fr: 14e Dialogue UE–Tadjikistan}
    place: {en: Dushanbe, fr: Douchanbé}
    date: 2024-06-12
organisation:
  name: Central Asia Justice Initiative
  address: [Rue Belliard 40, 1040 Brussels, Belgium]
brief:
  title: {en: Illustrative round, fr: Session fictive}
  summary: {en: Illustrative., fr: Fictif.}
demands:
  - id: release-detained
    title: {en: Release lawyers and journalists, fr: Libérer les avocats et journalistes}
    body: {en: Release them., fr: Les libérer.}
    cases: [buzurgmehr-yorov, anvar-qodirov, timur-rasulzoda]
  - id: civil-society
    title: {en: Let civil society work, fr: Laisser travailler la société civile}
    body: {en: Stop closing NGOs., fr: Cesser de fermer des ONG.}
    cases: []
cases:
  - id: buzurgmehr-yorov
    name: Buzurgmehr Yorov
    summary: {en: Lawyer., fr: Avocat.}
    visibility: public
    status: {en: Serving a 23-year sentence, fr: Purge une peine de 23 ans}
    last_verified: 2024-06-01
  - id: anvar-qodirov
    name: Anvar Tolibovich Qodirov
    summary: {en: Illustrative., fr: Fictif.}
    visibility: restricted
    status: {en: Detained, fr: Détenu}
    last_verified: 2024-06-01
  - id: timur-rasulzoda
    name: Timur Rasulzoda
    summary: {en: Illustrative; not followed since., fr: Fictif.}
    visibility: restricted
    status: {en: Detained, fr: Détenu}
    last_verified: 2024-06-01
sources: []
recipients:
  - from: data/ep-meps/ep-meps-10th-term.xml
    filter: {country: [Belgium]}
    defaults: {language: fr}
signatories:
  - name: Test Signer
    title: {en: Director, fr: Directeur}
    organisation: Central Asia Justice Initiative
"""


def test_the_second_worked_campaign_takes_a_previous_round(cli: Cli, tmp_path: Path) -> None:
    """A real campaign with imports (a CSV export, the Parliament's list) in both rounds; a
    restricted case only the earlier round lists stays guarded."""
    shutil.copytree(ROOT / "briefs", tmp_path / "briefs")
    latest = tmp_path / "briefs" / "eu-tajikistan-2025.yaml"
    (latest.parent / "eu-tajikistan-2024.yaml").write_text(TAJIKISTAN_2024, encoding="utf-8")
    text = latest.read_text(encoding="utf-8")
    old = "  id: eu-tajikistan-2025\n"
    latest.write_text(
        text.replace(old, f"{old}  previous: eu-tajikistan-2024.yaml\n"), encoding="utf-8"
    )
    assert errors(latest) == []
    assert warnings(latest)[:2] == [
        f"{latest}:{line_of(latest, '- id: release-detained')}:9: warning: demands[0].id: this "
        "demand was made at the last round too: give it an assessment (met, partly-met, "
        "not-met or worse), or the scorecard shows it as not assessed",
        f"{latest}:{line_of(latest, '- id: civil-society')}:9: warning: demands[3].id: this "
        "demand was made at the last round too: give it an assessment (met, partly-met, "
        "not-met or worse), or the scorecard shows it as not assessed",
    ]
    code, out, _err = cli("rounds", latest)
    assert code == 0
    lines = out.splitlines()
    assert "  cases removed: restricted case cases[2] of the last round" in lines
    assert "  demands not assessed: release-detained, civil-society" in lines
    assert "rasulzoda" not in out.casefold()
    # Text naming the case only the earlier round lists is refused.
    summary = text.index("  summary:\n    en: |\n") + len("  summary:\n    en: |\n")
    latest.write_text(
        (text[:summary] + "      We asked about Timur Rasulzoda.\n" + text[summary:]).replace(
            "  id: eu-tajikistan-2025\n",
            "  id: eu-tajikistan-2025\n  previous: eu-tajikistan-2024.yaml\n",
        ),
        encoding="utf-8",
    )
    assert errors(latest) == [
        f"{latest}:{line_of(latest, 'Timur Rasulzoda')}:22: error: brief.summary.en: this text "
        "would name the restricted case cases[2] of the earlier round eu-tajikistan-2024.yaml; "
        "remove that name from the text"
    ]
