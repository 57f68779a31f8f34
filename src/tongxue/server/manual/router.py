"""`GET /v1/manual/sections/{id}` and `GET /v1/manual/search`: any key may read the manual."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Path, Query

from tongxue.dialogue.language import detect_language
from tongxue.manual.search import ManualSearch
from tongxue.manual.source import Language
from tongxue.server.deps import Ctx, CurrentCaller
from tongxue.server.errors import ErrorResponse, not_found
from tongxue.server.manual.protocol import ManualPassage, ManualSearchResults, ManualSectionOut

router = APIRouter(
    prefix="/v1/manual",
    tags=["manual"],
    responses={code: {"model": ErrorResponse} for code in (400, 401, 404, 422, 429)},
)

SectionId = Annotated[
    str, Path(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64, description="A section id.")
]
LanguageParam = Annotated[Language, Query(description="The section's language.")]


def _search(ctx: Ctx) -> ManualSearch:
    desk = ctx.agent.manual
    if desk is None:
        raise not_found("this car's owner's manual")
    return desk.search


@router.get("/sections/{section_id}")
async def get_section(
    ctx: Ctx, caller: CurrentCaller, section_id: SectionId, language: LanguageParam = "zh"
) -> ManualSectionOut:
    section = _search(ctx).manual.section(section_id, language)
    if section is None:
        raise not_found(f"manual section {section_id!r}", param="section_id")
    return ManualSectionOut(
        id=section.id,
        language=section.language,
        title=section.title,
        chapter=section.chapter,
        keywords=list(section.keywords),
        text=section.text,
    )


@router.get("/search")
async def search_manual(
    ctx: Ctx,
    caller: CurrentCaller,
    q: Annotated[str, Query(min_length=1, max_length=500, description="A question.")],
    k: Annotated[int, Query(ge=1, le=20, description="How many passages.")] = 5,
) -> ManualSearchResults:
    search = _search(ctx)
    language = detect_language(q)
    result = await asyncio.to_thread(search.search, q, language, k)
    return ManualSearchResults(
        query=q,
        language=language,
        data=[
            ManualPassage(
                rank=hit.rank,
                section_id=hit.section.id,
                title=hit.section.title,
                text=hit.section.text,
                rrf=hit.score,
                bm25=result.bm25.get(hit.section.id, 0.0),
                similarity=result.similarity.get(hit.section.id, 0.0),
            )
            for hit in result.fused
        ],
    )
