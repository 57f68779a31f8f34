// Push-to-talk for the web app: hold the button, speak, let go. The recording goes to
// /v1/audio/transcriptions, the words to the assistant like typed text (sendTurn, app.js),
// and the reply comes back as speech from /v1/audio/speech.
"use strict";

const voice = {
  stream: null,
  context: null,
  source: null,
  processor: null,
  chunks: [],
  rate: 48000,
  recording: false,
  playing: null,
};

const TARGET_RATE = 16000;

function voiceLabel(state) {
  const zh = (document.documentElement.lang || "zh").startsWith("zh");
  const labels = {
    idle: zh ? "按住说话" : "Hold to talk",
    recording: zh ? "松开发送" : "Release to send",
    busy: zh ? "识别中…" : "Listening…",
  };
  return labels[state];
}

function authHeaders(extra) {
  const h = { ...(extra || {}) };
  if (app.key) h.Authorization = `Bearer ${app.key}`;
  return h;
}

// Float32 samples at `rate` to 16 kHz by averaging (the browser records at 44.1/48 kHz).
function downsample(samples, rate) {
  if (rate === TARGET_RATE) return samples;
  const ratio = rate / TARGET_RATE;
  const out = new Float32Array(Math.floor(samples.length / ratio));
  for (let i = 0; i < out.length; i++) {
    const start = Math.floor(i * ratio);
    const end = Math.min(samples.length, Math.floor((i + 1) * ratio));
    let sum = 0;
    for (let j = start; j < end; j++) sum += samples[j];
    out[i] = sum / Math.max(1, end - start);
  }
  return out;
}

// 16-bit PCM mono WAV.
function wavBlob(samples, rate) {
  const buffer = new ArrayBuffer(44 + samples.length * 2);
  const view = new DataView(buffer);
  const text = (offset, s) => { for (let i = 0; i < s.length; i++) view.setUint8(offset + i, s.charCodeAt(i)); };
  text(0, "RIFF");
  view.setUint32(4, 36 + samples.length * 2, true);
  text(8, "WAVE");
  text(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, "data");
  view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    view.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return new Blob([buffer], { type: "audio/wav" });
}

function stopPlayback() {
  if (voice.playing) {
    try { voice.playing.stop(); } catch (err) { /* already ended */ }
    voice.playing = null;
  }
}

// --- microphone capture, shared by push-to-talk and wake-word enrollment (wake.js) --------

// Opens the microphone and keeps its samples until endCapture(); throws if it is refused.
async function beginCapture() {
  voice.stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true },
  });
  voice.context = new AudioContext();
  voice.rate = voice.context.sampleRate;
  voice.source = voice.context.createMediaStreamSource(voice.stream);
  voice.processor = voice.context.createScriptProcessor(4096, 1, 1);
  voice.chunks = [];
  voice.processor.onaudioprocess = (event) => {
    voice.chunks.push(new Float32Array(event.inputBuffer.getChannelData(0)));
  };
  voice.source.connect(voice.processor);
  voice.processor.connect(voice.context.destination);
  voice.recording = true;
}

// Closes the microphone: the recording as a 16 kHz WAV and its length in seconds, or null
// when it was shorter than 0.3 s (a tap, not speech).
async function endCapture() {
  if (!voice.recording) return null;
  voice.recording = false;
  voice.processor.disconnect();
  voice.source.disconnect();
  for (const track of voice.stream.getTracks()) track.stop();
  await voice.context.close();
  const total = voice.chunks.reduce((n, c) => n + c.length, 0);
  const samples = new Float32Array(total);
  let offset = 0;
  for (const chunk of voice.chunks) { samples.set(chunk, offset); offset += chunk.length; }
  voice.chunks = [];
  if (total < voice.rate * 0.3) return null;
  return { wav: wavBlob(downsample(samples, voice.rate), TARGET_RATE), seconds: total / voice.rate };
}

// --- push-to-talk --------------------------------------------------------------------------

async function startRecording(button) {
  if (voice.recording || app.busy) return;
  stopPlayback(); // speaking over the reply stops it (barge-in)
  try {
    await beginCapture();
  } catch (err) {
    toast(`${txT("error")}: ${err.message}`, "error");
    return;
  }
  button.classList.add("recording");
  button.style.background = "var(--accent)"; // CSSOM, which the page's CSP allows
  button.setAttribute("aria-pressed", "true");
  button.textContent = voiceLabel("recording");
}

async function stopRecording(button) {
  if (!voice.recording || !button.classList.contains("recording")) return;
  const recorded = await endCapture();
  button.classList.remove("recording");
  button.style.background = "";
  button.setAttribute("aria-pressed", "false");
  if (!recorded) {
    button.textContent = voiceLabel("idle");
    return;
  }
  button.disabled = true;
  button.textContent = voiceLabel("busy");
  try {
    await talk(recorded.wav);
  } catch (err) {
    toast(`${txT("error")}: ${err.message}`, "error");
  } finally {
    button.disabled = false;
    button.textContent = voiceLabel("idle");
  }
}

async function talk(wav) {
  const form = new FormData();
  form.append("file", wav, "speech.wav");
  form.append("model", "whisper-1");
  const heard = await fetch("/v1/audio/transcriptions", {
    method: "POST", headers: authHeaders(), body: form,
  });
  if (heard.status === 401) askForKey();
  if (!heard.ok) throw new Error(`HTTP ${heard.status}`);
  const text = ((await heard.json()).text || "").trim();
  if (!text) {
    toast((document.documentElement.lang || "zh").startsWith("zh") ? "没听清，请再说一遍" : "Didn't catch that");
    return;
  }
  await sendTurn(text); // shows the transcript and the streamed reply, runs the actions
  const last = document.querySelector("#messages li.msg.assistant:last-child .text");
  const reply = last ? last.textContent.trim() : "";
  if (reply) await speak(reply);
}

async function speak(text) {
  const response = await fetch("/v1/audio/speech", {
    method: "POST",
    headers: authHeaders({ "Content-Type": "application/json" }),
    body: JSON.stringify({ model: "tts-1", input: text.slice(0, 4096), response_format: "wav" }),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  // Web Audio rather than <audio>: it plays the bytes without a blob: URL, which the
  // page's Content-Security-Policy does not allow.
  const context = new AudioContext();
  const buffer = await context.decodeAudioData(await response.arrayBuffer());
  const source = context.createBufferSource();
  source.buffer = buffer;
  source.connect(context.destination);
  source.onended = () => { if (voice.playing === source) voice.playing = null; context.close(); };
  stopPlayback();
  voice.playing = source;
  document.body.dataset.voiceReply = text; // for tests and screen readers
  source.start();
}

function installTalkButton() {
  const form = document.getElementById("chat-form");
  if (!form || !navigator.mediaDevices || !window.AudioContext) return;
  const button = document.createElement("button");
  button.id = "talk-button";
  button.type = "button";
  button.setAttribute("aria-pressed", "false");
  button.textContent = voiceLabel("idle");
  form.insertBefore(button, document.getElementById("send-button"));
  const down = (event) => { event.preventDefault(); startRecording(button); };
  const up = (event) => { event.preventDefault(); stopRecording(button); };
  button.addEventListener("pointerdown", down);
  button.addEventListener("pointerup", up);
  button.addEventListener("pointerleave", up);
  button.addEventListener("keydown", (e) => { if ((e.key === " " || e.key === "Enter") && !e.repeat) down(e); });
  button.addEventListener("keyup", (e) => { if (e.key === " " || e.key === "Enter") up(e); });
  const relabel = () => { if (!voice.recording) button.textContent = voiceLabel("idle"); };
  const toggle = document.getElementById("lang-toggle");
  if (toggle) toggle.addEventListener("click", () => setTimeout(relabel, 0));
  // This runs before app.js's start() applies the saved language, whose listener comes first.
  document.addEventListener("DOMContentLoaded", relabel);
}

installTalkButton();
