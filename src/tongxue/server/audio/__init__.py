"""OpenAI-compatible speech endpoints: `/v1/audio/transcriptions` and `/v1/audio/speech`."""
