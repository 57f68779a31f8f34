"""`/v1/voice/wake-words`: the phrases that wake the car, and enrolling new ones by voice.

`GET` lists the phrases from the settings and those enrolled; `POST` (multipart: `phrase`
and 3 to 5 `samples`, WAV or whatever the browser records) enrolls a phrase from recordings
of it, replacing an earlier enrollment of the same phrase; `DELETE /{phrase}` removes one.
Any key may call them, as the other voice endpoints; the car's wake words are shared by all
its occupants, so there is no per-user view.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, File, Form, Path, UploadFile

from tongxue.server.deps import CurrentCaller, ModelShare, WakeWords
from tongxue.server.errors import APIError, ErrorResponse, not_found, unprocessable
from tongxue.server.wake.protocol import (
    MAX_PHRASE_CHARS,
    EnrolledWakeWord,
    WakeWordDeleted,
    WakeWordList,
)
from tongxue.server.wake.serving import SampleError, TooManyWakeWordsError
from tongxue.voice.audio import AudioRateError, AudioTooLongError
from tongxue.voice.wake.enrollment import MAX_SAMPLES, MIN_SAMPLES, EnrollmentError, slug_of

logger = logging.getLogger(__name__)

router = APIRouter(
    prefix="/v1/voice/wake-words",
    tags=["voice"],
    responses={code: {"model": ErrorResponse} for code in (400, 401, 404, 409, 413, 422, 429)},
)


def _phrase(raw: str, param: str) -> str:
    """The phrase with its whitespace tidied; a 422 when it cannot be a wake phrase."""
    phrase = " ".join(raw.split())
    if not phrase:
        raise unprocessable("the wake phrase is empty", param=param, code="invalid_phrase")
    if len(phrase) > MAX_PHRASE_CHARS:
        raise unprocessable(
            f"the wake phrase is longer than {MAX_PHRASE_CHARS} characters",
            param=param,
            code="invalid_phrase",
        )
    if not phrase.isprintable() or "," in phrase:
        # The settings list phrases comma-separated: a comma would split this one in two.
        raise unprocessable(
            "a wake phrase is words, without commas or control characters",
            param=param,
            code="invalid_phrase",
        )
    try:
        slug_of(phrase)  # the store files it under its syllables: it must have some
    except EnrollmentError as error:
        raise unprocessable(str(error), param=param, code="invalid_phrase") from error
    return phrase


def _sample_error(error: SampleError) -> APIError:
    param = f"samples[{error.index}]"
    if isinstance(error.cause, AudioTooLongError):
        return APIError(413, str(error), code="audio_too_long", param=param)
    if isinstance(error.cause, AudioRateError):
        return APIError(400, str(error), code="unsupported_sample_rate", param=param)
    return APIError(400, str(error), code="invalid_audio", param=param)


@router.get("")
async def list_wake_words(caller: CurrentCaller, wake: WakeWords) -> WakeWordList:
    enrolled = await wake.enrolled()
    return WakeWordList(
        detector=wake.settings.voice_wake_detector,
        configured=wake.configured(),
        enrolled=[EnrolledWakeWord(phrase=e.phrase, samples=e.samples) for e in enrolled],
    )


@router.post("", status_code=201)
async def enroll_wake_word(
    caller: CurrentCaller,
    wake: WakeWords,
    share: ModelShare,
    samples: Annotated[
        list[UploadFile],
        File(description=f"{MIN_SAMPLES} to {MAX_SAMPLES} recordings of the phrase, each alone."),
    ],
    phrase: Annotated[str, Form(description="The phrase, as it is said.")] = "",
) -> EnrolledWakeWord:
    phrase = _phrase(phrase, "phrase")
    if not MIN_SAMPLES <= len(samples) <= MAX_SAMPLES:
        raise unprocessable(
            f"send {MIN_SAMPLES} to {MAX_SAMPLES} recordings of the phrase, not {len(samples)}",
            param="samples",
            code="wrong_sample_count",
        )
    uploads = [await sample.read() for sample in samples]
    try:
        # Trimming the recordings runs the VAD: it counts against the key's share of models.
        with share.acquire(caller):
            enrolled = await wake.enroll(phrase, uploads)
    except SampleError as error:
        raise _sample_error(error) from error
    except TooManyWakeWordsError as error:
        raise APIError(409, str(error), code="too_many_wake_words", param="phrase") from error
    except EnrollmentError as error:
        raise unprocessable(str(error), param="samples", code="enrollment_rejected") from error
    logger.info("%s enrolled the wake phrase %r", caller.key_id, enrolled.phrase)
    return EnrolledWakeWord(phrase=enrolled.phrase, samples=enrolled.samples)


@router.delete("/{phrase}")
async def delete_wake_word(
    caller: CurrentCaller,
    wake: WakeWords,
    phrase: Annotated[str, Path(description="The enrolled phrase (URL-encoded).")],
) -> WakeWordDeleted:
    phrase = _phrase(phrase, "phrase")
    if await wake.remove(phrase):
        logger.info("%s removed the wake phrase %r", caller.key_id, phrase)
        return WakeWordDeleted(phrase=phrase)
    if phrase.casefold() in (p.casefold() for p in wake.configured()):
        raise APIError(
            409,
            f"{phrase!r} comes from the settings (TONGXUE_VOICE_WAKE_PHRASES), not an "
            "enrollment: change it there",
            code="configured_phrase",
            param="phrase",
        )
    raise not_found(f"enrolled wake phrase {phrase!r}", param="phrase")
