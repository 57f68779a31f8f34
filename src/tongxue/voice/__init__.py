"""Voice: listen (VAD, wake word, speech recognition), answer through the assistant, speak.

A face on top of the rest: nothing else in Tongxue imports it. The modules load their models
lazily, so importing a piece (audio I/O, say) costs nothing.

- `audio`: samples, WAV in and out, resampling
- `vad`, `wake`, `asr`, `tts`: the models (Silero; PocketSphinx or speech embeddings, with
  Whisper confirming; Whisper; Piper/espeak-ng); `wake.enrollment`: wake words of your own
- `seats`: the speaking seat from one microphone per seat
- `speech`: speaking a reply while it is still being written
- `pipeline`: one spoken turn (`VoiceAssistant`)
- `conversation`: the live loop (wake word, follow-up, barge-in)
- `models`, `factory`: loading it all from settings through the model store
- `bench`: `tongxue bench voice`
"""
