"""Response models of `/v1/manual/...`."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from tongxue.manual.source import Language


class ManualSectionOut(BaseModel):
    """One section as written: a citation's link opens this."""

    object: Literal["manual.section"] = "manual.section"
    id: str
    language: Language
    title: str
    chapter: str
    keywords: list[str]
    text: str


class ManualPassage(BaseModel):
    rank: int
    section_id: str
    title: str
    text: str
    rrf: float
    bm25: float
    similarity: float


class ManualSearchResults(BaseModel):
    object: Literal["list"] = "list"
    query: str
    language: Language
    data: list[ManualPassage]
