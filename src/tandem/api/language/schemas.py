"""Wire models of POST /language/:analyze-text (Azure AI Language's shapes)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# Azure's names for the types Tandem detects (Presidio's names on the left).
AZURE_CATEGORIES = {
    "PERSON": "Person",
    "EMAIL_ADDRESS": "Email",
    "PHONE_NUMBER": "PhoneNumber",
    "CREDIT_CARD": "CreditCardNumber",
    "IBAN_CODE": "InternationalBankingAccountNumber",
    "US_SSN": "USSocialSecurityNumber",
    "IP_ADDRESS": "IPAddress",
    "STREET_ADDRESS": "Address",
}
AzureCategory = Literal[
    "Person",
    "Email",
    "PhoneNumber",
    "CreditCardNumber",
    "InternationalBankingAccountNumber",
    "USSocialSecurityNumber",
    "IPAddress",
    "Address",
]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Document(_Wire):
    """One text to analyze."""

    id: str = Field(min_length=1, max_length=64)
    text: str
    language: str | None = None


class AnalysisInput(_Wire):
    """The documents of one request."""

    documents: list[Document] = Field(min_length=1, max_length=5)


class PiiParameters(_Wire):
    """Options of PiiEntityRecognition (model version and domain are accepted, not used)."""

    model_version: str = Field(default="latest", alias="modelVersion")
    logging_opt_out: bool = Field(default=True, alias="loggingOptOut")
    domain: Literal["none", "phi"] = "none"
    pii_categories: list[AzureCategory] | None = Field(default=None, alias="piiCategories")
    string_index_type: Literal["TextElement_v8", "UnicodeCodePoint", "Utf16CodeUnit"] = Field(
        default="TextElement_v8", alias="stringIndexType"
    )


class AnalyzeTextBody(_Wire):
    """Body of POST /language/:analyze-text."""

    kind: Literal["PiiEntityRecognition"]
    parameters: PiiParameters = Field(default_factory=PiiParameters)
    analysis_input: AnalysisInput = Field(alias="analysisInput")
