"""The JSON Schema of the campaign format, generated from :mod:`briefgen.model`.

Editors (VS Code with the YAML extension, JetBrains, vim with yaml-language-server) read it
for completion and inline errors. It is generated from the same pydantic model the validator
uses, so it cannot drift from what ``briefgen check`` accepts; the descriptions of fields
that the model leaves undocumented are filled in from :data:`DESCRIPTIONS`.
"""

from __future__ import annotations

import json
from typing import Any

from .model import ROLES, Campaign, Recipient

SCHEMA_FILE = "campaign.schema.json"
"""The schema's file name, written next to campaign files by ``briefgen new``."""

_RECIPIENT = {
    "role": "Decides the form of address: " + ", ".join(ROLES) + ".",
    "title": "Job title printed under the name, e.g. 'Member of the European Parliament'.",
    "organisation": "Institution printed in the address block.",
    "address": "Postal address, one line per item.",
    "language": "Language of the letter (default: the campaign's language).",
    "edition": "public, or restricted to include restricted cases and notes in this letter.",
    "demands": "Ids of the demands in this letter (default: every demand, or by demand_tags).",
    "demand_tags": "Pick the demands carrying any of these tags.",
    "note": "A paragraph for this recipient only.",
    "honorific": "Overrides the honorific of the role's form of address.",
    "reason": "Why this person: 'as Chair of the Subcommittee on Human Rights'.",
    "cc": "Copies: 'Name <address>' or a name.",
}

DESCRIPTIONS: dict[str, str] = {
    "Campaign.campaign": "What the campaign is for: id, language, date and the event.",
    "Campaign.organisation": "The organisation sending the brief and letters.",
    "Campaign.brief": "The policy brief: title, summary and sections.",
    "Campaign.letter": "Wording shared by every letter: subject, opening, closing.",
    "Campaign.demands": "What the campaign asks for, each backed by cases.",
    "Campaign.cases": "Named people whose cases back the demands.",
    "Campaign.sources": "Reports, judgments, laws and news the cases cite.",
    "Campaign.recipients": "Who gets a letter: a person, or '- from: file' to import many.",
    "Campaign.joint_letters": "One letter addressed to several recipients together.",
    "Campaign.signatories": "Who signs the letters, in order.",
    "CampaignInfo.id": "Campaign id: names the output folder (lowercase-with-hyphens).",
    "CampaignInfo.language": "Default language of every document: en, fr or az.",
    "CampaignInfo.date": "Date printed on the documents (YYYY-MM-DD).",
    "CampaignInfo.event": "The meeting the documents are for.",
    "Event.name": "Name of the meeting, e.g. 'EU–Azerbaijan Human Rights Dialogue'.",
    "Event.place": "Where it takes place.",
    "Event.date": "When it takes place (YYYY-MM-DD).",
    "Organisation.name": "Name of the organisation.",
    "Organisation.address": "Postal address, one line per item.",
    "Organisation.website": "Web address (https://...).",
    "Organisation.email": "Contact e-mail address.",
    "Brief.title": "Title of the brief.",
    "Brief.subtitle": "Subtitle under the title.",
    "Brief.summary": "Summary at the top of the brief (Markdown).",
    "Brief.sections": "Further sections of the brief, in order.",
    "Section.title": "Section heading.",
    "Section.body": "Section text (Markdown).",
    "Letter.subject": "Subject line of every letter.",
    "Letter.opening": "Paragraphs after the salutation (Markdown).",
    "Letter.closing": "Paragraphs before the signatures (Markdown).",
    "Demand.id": "Demand id, used by recipients' demands lists.",
    "Demand.title": "The demand in one sentence.",
    "Demand.body": "Why, and what exactly (Markdown).",
    "Demand.cases": "Ids of the cases backing this demand.",
    "Case.id": "Case id, used by demands.",
    "Case.name": "The person's name as printed.",
    "Case.summary": "Who they are and what happened (Markdown).",
    "Case.status": "Current status, e.g. 'Serving a 6-year sentence'.",
    "Case.sources": "Ids of the sources cited for this case.",
    "StatusEntry.date": "Date of the change (YYYY-MM-DD).",
    "StatusEntry.status": "What happened, e.g. 'Sentenced to 6 years'.",
    "StatusEntry.source": "Id of the source reporting it.",
    "Source.id": "Source id, used by cases.",
    "Source.author": "Author, if named.",
    "Source.date": "Publication or judgment date (YYYY-MM-DD).",
    "Source.url": "Web address (https://...).",
    "Recipient.id": "Recipient id: names the letter's files (lowercase-with-hyphens).",
    "Recipient.name": "Full name as printed.",
    "Recipient.email": "E-mail address, for the e-mail draft.",
    "Recipient.salutation": "Overrides the whole salutation line ('Dear ...').",
    **{f"Recipient.{k}": v for k, v in _RECIPIENT.items()},
    **{
        f"RecipientDefaults.{k}": f"For every imported recipient: {v[0].lower()}{v[1:]}"
        for k, v in _RECIPIENT.items()
    },
    "RecipientImport.defaults": "Values given to every recipient read from the file.",
    "RecipientImport.filter": "Import only recipients matching these.",
    "ImportFilter.country": "Countries to keep, e.g. [France, Germany].",
    "ImportFilter.political_group": "Political groups to keep (EP XML imports).",
    "JointLetter.id": "Id of the joint letter: names its files.",
    "JointLetter.to": "Ids of the recipients addressed together (two or more).",
    "JointLetter.demands": _RECIPIENT["demands"],
    "JointLetter.demand_tags": _RECIPIENT["demand_tags"],
    "JointLetter.reason": "Why these recipients together.",
    "JointLetter.note": "A paragraph for this letter only.",
    "JointLetter.restricted_note": "A paragraph printed only if the letter is restricted.",
    "Signatory.name": "Name of the signatory.",
    "Signatory.title": "Position, e.g. 'Executive Director'.",
    "Signatory.organisation": "Organisation of the signatory.",
}


def campaign_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a campaign file, every field described."""
    schema = Campaign.model_json_schema()
    defs = schema.setdefault("$defs", {})
    for model_name, definition in [("Campaign", schema), *defs.items()]:
        for field_name, prop in definition.get("properties", {}).items():
            if "patternProperties" in prop:  # a mapping keyed by ids: any other key is wrong
                prop.setdefault("additionalProperties", False)
            if "description" not in prop:
                key = f"{model_name}.{field_name}"
                if model_name == "RecipientOverride":  # described as the recipient's field
                    key = f"Recipient.{field_name}"
                    original = Recipient.model_fields[field_name].description
                    if original:
                        prop["description"] = f"Replaces the imported value. {original}"
                        continue
                if key not in DESCRIPTIONS:
                    raise KeyError(f"no description for campaign field {key}")
                prefix = (
                    "Replaces the imported value. " if model_name == "RecipientOverride" else ""
                )
                prop["description"] = prefix + DESCRIPTIONS[key]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": "briefgen campaign",
        "description": "A briefgen campaign: demands, cases, sources, recipients, signatories.",
    }


def schema_text() -> str:
    """The schema as the text written to :data:`SCHEMA_FILE` (stable key order, newline)."""
    return json.dumps(campaign_schema(), indent=2, ensure_ascii=False) + "\n"
