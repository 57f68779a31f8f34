"""`POST /v1/audio/transcriptions` and `POST /v1/audio/speech`, shaped like OpenAI's.

Transcription takes any audio file (WAV directly, other formats through FFmpeg), finds the
speech with the VAD and recognizes it in Chinese or English; `language` forces one and
`prompt` replaces the cabin vocabulary. Speech reads Chinese text with espeak-ng and the rest
with Piper, whatever `voice` names.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import PlainTextResponse, Response

from tongxue.server.audio.protocol import (
    LANGUAGE_NAMES,
    SpeechRequest,
    Transcription,
    TranscriptionAlternative,
    TranscriptionFormat,
    VerboseTranscription,
)
from tongxue.server.audio.serving import MEDIA_TYPES
from tongxue.server.deps import Audio, Ctx, CurrentCaller, ModelShare
from tongxue.server.errors import APIError, ErrorResponse
from tongxue.voice.audio import AudioFormatError, AudioRateError, AudioTooLongError
from tongxue.voice.models import languages_of

logger = logging.getLogger(__name__)

router = APIRouter(
    prefix="/v1/audio",
    tags=["audio"],
    responses={code: {"model": ErrorResponse} for code in (400, 401, 413, 429, 500)},
)


@router.post("/transcriptions", response_model=None)
async def create_transcription(
    caller: CurrentCaller,
    ctx: Ctx,
    audio: Audio,
    share: ModelShare,
    file: Annotated[UploadFile, File(description="The recording: WAV, WebM, Ogg, MP3, ...")],
    model: Annotated[str, Form()] = "whisper-1",
    language: Annotated[str | None, Form()] = None,
    prompt: Annotated[str | None, Form()] = None,
    response_format: Annotated[TranscriptionFormat, Form()] = "json",
    temperature: Annotated[float, Form()] = 0.0,
) -> Transcription | VerboseTranscription | PlainTextResponse:
    known = languages_of(ctx.settings)
    if language is not None and language not in known:
        raise APIError(
            400,
            f"language {language!r} is not one of this car's: {', '.join(known)}",
            code="unsupported_language",
            param="language",
        )
    data = await file.read()
    try:
        # The recognizer is a model too: a key's uploads count against its share of them.
        with share.acquire(caller):
            transcript, duration = await audio.transcribe(data, language, prompt)
    except AudioTooLongError as error:
        raise APIError(413, str(error), code="audio_too_long", param="file") from error
    except AudioRateError as error:
        raise APIError(400, str(error), code="unsupported_sample_rate", param="file") from error
    except AudioFormatError as error:
        raise APIError(400, str(error), code="invalid_audio", param="file") from error
    text = transcript.text if transcript is not None else ""
    logger.info("transcribed %.1f s for %s: %r", duration, caller.key_id, text)
    if response_format == "text":
        return PlainTextResponse(text)
    if response_format == "json":
        return Transcription(text=text)
    code = transcript.language if transcript is not None else (language or known[0])
    return VerboseTranscription(
        language=LANGUAGE_NAMES.get(code, code),
        duration=round(duration, 3),
        text=text,
        alternatives=[
            TranscriptionAlternative(language=h.language, text=h.text, score=round(h.score, 4))
            for h in (transcript.ranked if transcript is not None else ())
        ],
    )


@router.post("/speech", response_class=Response)
async def create_speech(
    caller: CurrentCaller, body: SpeechRequest, audio: Audio, share: ModelShare
) -> Response:
    with share.acquire(caller):
        data = await audio.speak(body.input, body.response_format, body.speed)
    return Response(content=data, media_type=MEDIA_TYPES[body.response_format])
