"""The owner's manual as data: Markdown chapters per language, sections with stable ids.

A chapter file holds `# Chapter title`, then sections, each
`## Section title {#section-id}`, a keyword line (`关键词：…、…` or `Keywords: …, …`) and
a body of paragraphs and `- ` lists. Both languages hold the same ids, so a citation
names the same section whichever language asked.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal, get_args

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)

_PACKAGE = "tongxue.manual"
_SECTION = re.compile(r"^##\s+(?P<title>.+?)\s*\{#(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)\}\s*$")
_KEYWORDS = re.compile(r"^(?:关键词[：:]|Keywords:)\s*(?P<words>.*)$", re.IGNORECASE)
# About the first two sentences of a body, in characters.
_GIST_CHARS: dict[Language, int] = {"zh": 80, "en": 200}
_KEYWORD_SPLIT = re.compile(r"[、,，;；]\s*")


class ManualFormatError(ValueError):
    """A chapter file that breaks the format, with the file and line."""


@dataclass(frozen=True)
class ManualSection:
    id: str
    language: Language
    title: str
    chapter: str
    keywords: tuple[str, ...]
    text: str

    @property
    def passage(self) -> str:
        """What the keyword side indexes: the title, what people call it, and the body."""
        joiner = "、" if self.language == "zh" else ", "
        return f"{self.title}。{joiner.join(self.keywords)}。{self.text}"

    @property
    def gist(self) -> str:
        """What the meaning side embeds: the title, what people call it and the opening
        sentences, which say what the section answers. Short, so that indexing a hundred
        sections a language on a car's CPU takes seconds, not minutes."""
        joiner = "、" if self.language == "zh" else ", "
        opening = self.text[: _GIST_CHARS[self.language]]
        return f"{self.title}。{joiner.join(self.keywords)}。{opening}"


@dataclass(frozen=True)
class Manual:
    """One car's manual in every language; sections in reading order."""

    profile: str
    sections: tuple[ManualSection, ...]
    digest: str
    _by_key: dict[tuple[str, Language], ManualSection] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        for section in self.sections:
            self._by_key[(section.id, section.language)] = section

    def in_language(self, language: Language) -> tuple[ManualSection, ...]:
        return tuple(s for s in self.sections if s.language == language)

    def section(self, section_id: str, language: Language) -> ManualSection | None:
        return self._by_key.get((section_id, language))

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.in_language("zh"))


@dataclass
class _Draft:
    """A section being read: its heading and keyword line so far, and its body lines."""

    id: str
    title: str
    keywords: tuple[str, ...] = ()
    body: list[str] = field(default_factory=list)


def parse_chapter(text: str, language: Language, origin: str) -> list[ManualSection]:
    """The sections of one chapter file."""
    chapter = ""
    sections: list[ManualSection] = []
    draft: _Draft | None = None

    def close(number: int) -> None:
        if draft is None:
            return
        content = "\n".join(draft.body).strip()
        if not content:
            raise ManualFormatError(f"{origin}:{number}: section {draft.id!r} has no text")
        sections.append(
            ManualSection(draft.id, language, draft.title, chapter, draft.keywords, content)
        )

    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if line.startswith("# "):
            if chapter:
                raise ManualFormatError(f"{origin}:{number}: a second chapter title")
            chapter = line[2:].strip()
            continue
        if line.startswith("##"):
            match = _SECTION.match(line)
            if match is None:
                raise ManualFormatError(
                    f"{origin}:{number}: a section heading is '## Title {{#section-id}}'"
                )
            if not chapter:
                raise ManualFormatError(f"{origin}:{number}: the chapter title comes first")
            close(number)
            draft = _Draft(match["id"], match["title"])
            continue
        if draft is None:
            if line.strip():
                raise ManualFormatError(f"{origin}:{number}: text before the first section")
            continue
        keywords = _KEYWORDS.match(line.strip())
        if keywords is not None and not draft.body and not draft.keywords:
            draft.keywords = tuple(
                w.strip() for w in _KEYWORD_SPLIT.split(keywords["words"]) if w.strip()
            )
            continue
        draft.body.append(line)
    close(len(lines))
    return sections


def _chapter_files(folder: Traversable) -> Iterator[Traversable]:
    yield from sorted((f for f in folder.iterdir() if f.name.endswith(".md")), key=lambda f: f.name)


def manual_folder(profile: str) -> Traversable:
    return resources.files(_PACKAGE).joinpath("data", profile)


def has_manual(profile: str) -> bool:
    return manual_folder(profile).joinpath(LANGUAGES[0]).is_dir()


def load_manual(profile: str = "suv6", folder: Traversable | Path | None = None) -> Manual:
    """Read and check a car's manual: same ids in every language, each id once."""
    root = folder if folder is not None else manual_folder(profile)
    digest = hashlib.sha256()
    sections: list[ManualSection] = []
    ids_by_language: dict[Language, list[str]] = {}
    for language in LANGUAGES:
        found: list[ManualSection] = []
        chapters = root.joinpath(language)
        if not chapters.is_dir():
            raise ManualFormatError(f"the {profile} manual has no {language} chapters")
        for chapter in _chapter_files(chapters):
            text = chapter.read_text(encoding="utf-8")
            digest.update(f"{language}/{chapter.name}\n".encode())
            digest.update(text.encode())
            found += parse_chapter(text, language, f"{language}/{chapter.name}")
        ids = [s.id for s in found]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ManualFormatError(f"{language}: section ids used twice: {twice}")
        ids_by_language[language] = ids
        sections += found
    _check_same_sections(ids_by_language)
    return Manual(profile=profile, sections=tuple(sections), digest=digest.hexdigest())


def _check_same_sections(ids_by_language: dict[Language, list[str]]) -> None:
    reference: Sequence[str] = ids_by_language[LANGUAGES[0]]
    for language in LANGUAGES[1:]:
        ids = ids_by_language[language]
        if ids != list(reference):
            only_first = sorted(set(reference) - set(ids))
            only_this = sorted(set(ids) - set(reference))
            raise ManualFormatError(
                f"{language} must hold the same sections in the same order as "
                f"{LANGUAGES[0]}: missing {only_first}, extra {only_this}"
                if only_first or only_this
                else f"{language} holds the sections in another order than {LANGUAGES[0]}"
            )
