// The wake-word panel: the car's wake phrases, and enrolling a new one from 3 to 5 takes
// recorded with the microphone (beginCapture/endCapture in voice.js), sent to
// /v1/voice/wake-words.
"use strict";

const WAKE_URL = "/v1/voice/wake-words";
const WAKE_MIN_TAKES = 3;
const WAKE_MAX_TAKES = 5;
// A take is one phrase (the server refuses more than 3 s of speech), so it stops itself; five
// takes of 5 s at 16 kHz stay well under the server's 1 MiB request limit.
const WAKE_TAKE_MS = 5000;

const wake = {
  takes: [],
  recording: false,
  starting: false,
  timer: null,
  saving: false,
};

function wakeStatus(text, kind) {
  const line = document.getElementById("wake-status");
  line.textContent = text || "";
  line.className = `wake-status ${kind || ""}`;
}

function wakeRenderTakes() {
  const record = document.getElementById("wake-record");
  const full = wake.takes.length >= WAKE_MAX_TAKES;
  record.textContent = wake.recording
    ? txT("wake_stop")
    : full ? txT("wake_full") : txT("wake_record", { n: wake.takes.length + 1 });
  record.classList.toggle("recording", wake.recording);
  record.setAttribute("aria-pressed", String(wake.recording));
  record.disabled = wake.saving || (!wake.recording && (full || !wakeMicrophone()));
  document.getElementById("wake-count").textContent = `${wake.takes.length} / ${WAKE_MAX_TAKES}`;
  document.getElementById("wake-clear").disabled = wake.recording || !wake.takes.length;
  const phrase = document.getElementById("wake-phrase").value.trim();
  document.getElementById("wake-save").disabled =
    wake.saving || wake.recording || !phrase || wake.takes.length < WAKE_MIN_TAKES;
}

function wakeMicrophone() {
  return Boolean(navigator.mediaDevices && window.AudioContext);
}

function wakeItem(phrase, note, removable) {
  const item = document.createElement("li");
  item.className = "wake-item";
  item.dataset.phrase = phrase;
  const name = document.createElement("span");
  name.className = "wake-phrase";
  name.textContent = phrase;
  const tag = document.createElement("small");
  tag.className = "wake-tag";
  tag.textContent = note;
  item.append(name, tag);
  if (removable) {
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "ghost wake-remove";
    remove.textContent = txT("wake_delete");
    remove.setAttribute("aria-label", `${txT("wake_delete")} ${phrase}`);
    remove.addEventListener("click", () => wakeRemove(phrase, remove));
    item.appendChild(remove);
  }
  return item;
}

async function wakeRefresh() {
  const list = document.getElementById("wake-list");
  try {
    const { data } = await api("GET", WAKE_URL);
    list.textContent = "";
    for (const phrase of data.configured) list.appendChild(wakeItem(phrase, txT("wake_configured"), false));
    for (const entry of data.enrolled) {
      list.appendChild(wakeItem(entry.phrase, txT("wake_enrolled", { n: entry.samples }), true));
    }
    list.dataset.loaded = "true";
  } catch (err) {
    wakeStatus(`${txT("error")}: ${err.message}`, "warn");
  }
}

async function wakeRemove(phrase, button) {
  button.disabled = true;
  try {
    await api("DELETE", `${WAKE_URL}/${encodeURIComponent(phrase)}`);
    wakeStatus(txT("wake_deleted", { phrase }), "ok");
  } catch (err) {
    wakeStatus(`${txT("failed")}: ${err.message}`, "warn");
  }
  await wakeRefresh();
}

async function wakeToggleRecording() {
  if (wake.recording) return wakeStopTake();
  if (wake.starting || voice.recording || wake.takes.length >= WAKE_MAX_TAKES) return;
  stopPlayback();
  wake.starting = true;
  try {
    await beginCapture();
  } catch (err) {
    wakeStatus(`${txT("wake_no_microphone")}: ${err.message}`, "warn");
    return;
  } finally {
    wake.starting = false;
  }
  wake.recording = true;
  wake.timer = setTimeout(wakeStopTake, WAKE_TAKE_MS);
  wakeStatus(txT("wake_speak"), "info");
  wakeRenderTakes();
}

async function wakeStopTake(discard) {
  if (!wake.recording) return;
  clearTimeout(wake.timer);
  wake.recording = false;
  const recorded = await endCapture();
  if (discard === true) {
    wakeRenderTakes();
    return;
  }
  if (recorded) {
    wake.takes.push(recorded.wav);
    wakeStatus(
      wake.takes.length >= WAKE_MIN_TAKES ? txT("wake_ready") : txT("wake_again"),
      "info",
    );
  } else {
    wakeStatus(txT("wake_too_short"), "warn");
  }
  wakeRenderTakes();
}

async function wakeSave() {
  const phrase = document.getElementById("wake-phrase").value.trim();
  if (!phrase || wake.takes.length < WAKE_MIN_TAKES) return;
  const form = new FormData();
  form.append("phrase", phrase);
  wake.takes.forEach((take, i) => form.append("samples", take, `take-${i + 1}.wav`));
  wake.saving = true;
  wakeRenderTakes();
  wakeStatus(txT("wake_saving"), "info");
  try {
    const response = await fetch(WAKE_URL, { method: "POST", headers: authHeaders(), body: form });
    let data = null;
    try { data = await response.json(); } catch (err) { data = null; }
    if (response.status === 401) askForKey();
    if (!response.ok) throw new Error(data && data.error ? data.error.message : `HTTP ${response.status}`);
    wake.takes = [];
    document.getElementById("wake-phrase").value = "";
    wakeStatus(txT("wake_saved", { phrase: data.phrase }), "ok");
    await wakeRefresh();
  } catch (err) {
    wakeStatus(`${txT("failed")}: ${err.message}`, "warn");
  } finally {
    wake.saving = false;
    wakeRenderTakes();
  }
}

function wakeOpen() {
  const dialog = document.getElementById("wake-dialog");
  wakeStatus(wakeMicrophone() ? "" : txT("wake_no_microphone"), wakeMicrophone() ? "" : "warn");
  wakeRenderTakes();
  dialog.showModal();
  wakeRefresh();
}

function installWakePanel() {
  const button = document.getElementById("wake-button");
  const dialog = document.getElementById("wake-dialog");
  if (!button || !dialog) return;
  button.addEventListener("click", wakeOpen);
  document.getElementById("wake-record").addEventListener("click", wakeToggleRecording);
  document.getElementById("wake-clear").addEventListener("click", () => {
    wake.takes = [];
    wakeStatus("");
    wakeRenderTakes();
  });
  document.getElementById("wake-phrase").addEventListener("input", wakeRenderTakes);
  document.getElementById("wake-save").addEventListener("click", wakeSave);
  document.getElementById("wake-close").addEventListener("click", () => dialog.close());
  // Closing mid-take (Escape included) drops that take and frees the microphone.
  dialog.addEventListener("close", () => wakeStopTake(true));
  const toggle = document.getElementById("lang-toggle");
  if (toggle) toggle.addEventListener("click", () => setTimeout(() => {
    wakeRenderTakes();
    if (dialog.open) wakeRefresh();
  }, 0));
}

installWakePanel();
