// The phone and car web app: chat with streamed replies, the live cabin, quick remote controls.
"use strict";

const KEY_STORAGE = "tongxue.key";
const LANG_STORAGE = "tongxue.lang";
const SEAT_STORAGE = "tongxue.seat";
const SESSION_STORAGE = "tongxue.session";

const app = {
  key: localStorage.getItem(KEY_STORAGE) || "",
  seat: localStorage.getItem(SEAT_STORAGE) || "driver",
  sessionId: sessionStorage.getItem(SESSION_STORAGE) || null,
  role: null,
  cabin: null,
  socket: null,
  retryMs: 500,
  busy: false,
};

// --- HTTP ---------------------------------------------------------------------------------

function headers(extra) {
  const h = { "Content-Type": "application/json", ...(extra || {}) };
  if (app.key) h.Authorization = `Bearer ${app.key}`;
  return h;
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: headers(),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try {
    data = await response.json();
  } catch (err) {
    data = null;
  }
  if (response.status === 401) askForKey();
  if (!response.ok) {
    const message = data && data.error ? data.error.message : `HTTP ${response.status}`;
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return { status: response.status, data };
}

// Reads a text/event-stream body and calls `onEvent(name, data)` for each event.
async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let split;
    while ((split = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, split);
      buffer = buffer.slice(split + 2);
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
      }
      if (data.length) onEvent(name, JSON.parse(data.join("\n")));
    }
  }
}

// --- toast --------------------------------------------------------------------------------

let toastTimer = null;
function toast(text, kind) {
  const el = document.getElementById("toast");
  el.textContent = text;
  el.className = `toast ${kind || ""}`;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    el.hidden = true;
  }, 3500);
}

// --- chat ---------------------------------------------------------------------------------

function addMessage(kind, text) {
  const list = document.getElementById("messages");
  const item = document.createElement("li");
  item.className = `msg ${kind}`;
  const body = document.createElement("div");
  body.className = "text";
  body.textContent = text;
  item.appendChild(body);
  list.appendChild(item);
  list.scrollTop = list.scrollHeight;
  return item;
}

function describeAction(action) {
  const chip = document.createElement("span");
  chip.className = `chip ${action.status}`;
  chip.dataset.status = action.status;
  const status = txT(action.status);
  chip.textContent = action.reason ? `${action.name} · ${status}: ${action.reason}` : `${action.name} · ${status}`;
  return chip;
}

// A citation links to its manual section; opening it shows the passage as written.
function describeSources(citations) {
  const box = document.createElement("div");
  box.className = "sources";
  box.textContent = `${txT("sources")}:`;
  for (const cited of citations) {
    const link = document.createElement("a");
    link.href = `/v1/manual/sections/${encodeURIComponent(cited.section_id)}?language=${cited.language}`;
    link.className = "citation";
    link.dataset.section = cited.section_id;
    link.textContent = cited.title;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      openSection(cited.section_id, cited.language, cited);
    });
    box.appendChild(link);
  }
  return box;
}

async function openSection(sectionId, language, cited) {
  let section = { title: cited.title, chapter: "", text: cited.passage };
  try {
    const { status, data } = await api(
      "GET",
      `/v1/manual/sections/${encodeURIComponent(sectionId)}?language=${language}`,
    );
    if (status === 200) section = data;
  } catch (err) {
    /* the passage quoted in the answer is shown instead */
  }
  document.getElementById("manual-chapter").textContent = section.chapter;
  document.getElementById("manual-title").textContent = section.title;
  document.getElementById("manual-text").textContent = section.text;
  document.getElementById("manual-dialog").showModal();
}

async function sendTurn(text) {
  if (app.busy) return;
  app.busy = true;
  document.getElementById("send-button").disabled = true;
  addMessage("user", text);
  const reply = addMessage("assistant streaming", "");
  const replyText = reply.querySelector(".text");
  const chips = document.createElement("div");
  chips.className = "chips";
  reply.appendChild(chips);
  try {
    const response = await fetch("/v1/assistant/turns", {
      method: "POST",
      headers: headers({ Accept: "text/event-stream" }),
      body: JSON.stringify({ text, seat: app.seat, session_id: app.sessionId, stream: true }),
    });
    if (!response.ok) {
      let message = `HTTP ${response.status}`;
      try {
        const data = await response.json();
        message = data.error.message;
      } catch (err) {
        /* keep the status line */
      }
      if (response.status === 404 && app.sessionId) {
        // The session is gone (server restarted): start a new one and say it again.
        setSession(null);
        reply.remove();
        document.getElementById("messages").lastElementChild.remove();
        app.busy = false;
        document.getElementById("send-button").disabled = false;
        return sendTurn(text);
      }
      if (response.status === 401) askForKey();
      throw new Error(message);
    }
    await readEvents(response, (name, data) => {
      if (name === "session") setSession(data.session_id);
      else if (name === "text") replyText.textContent += data.text;
      else if (name === "action") chips.appendChild(describeAction(data.action));
      else if (name === "done") {
        if (!replyText.textContent) replyText.textContent = data.turn.reply;
        reply.dataset.route = data.turn.route;
        reply.classList.toggle("refused", data.turn.refused);
        if (data.turn.citations && data.turn.citations.length) {
          reply.appendChild(describeSources(data.turn.citations));
        }
      } else if (name === "error") throw new Error(data.error.message);
    });
  } catch (err) {
    replyText.textContent = `${txT("error")}: ${err.message}`;
    reply.classList.add("failed");
  } finally {
    reply.classList.remove("streaming");
    app.busy = false;
    document.getElementById("send-button").disabled = false;
  }
}

function setSession(id) {
  app.sessionId = id;
  if (id) sessionStorage.setItem(SESSION_STORAGE, id);
  else sessionStorage.removeItem(SESSION_STORAGE);
}

// --- seats --------------------------------------------------------------------------------

function renderSeats(seats) {
  const box = document.getElementById("seat-options");
  box.textContent = "";
  if (!seats.includes(app.seat)) app.seat = "driver";
  for (const seat of seats) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "seat-option";
    button.dataset.seat = seat;
    button.setAttribute("role", "radio");
    button.setAttribute("aria-checked", String(seat === app.seat));
    button.textContent = txT(`seat_${seat}`);
    button.addEventListener("click", () => {
      app.seat = seat;
      localStorage.setItem(SEAT_STORAGE, seat);
      for (const other of box.children) {
        other.setAttribute("aria-checked", String(other.dataset.seat === seat));
      }
    });
    box.appendChild(button);
  }
}

// --- events socket ------------------------------------------------------------------------

function setLink(live) {
  document.getElementById("link-dot").classList.toggle("live", live);
  const text = document.getElementById("link-text");
  text.dataset.i18n = live ? "live" : app.socket ? "offline" : "connecting";
  text.textContent = txT(text.dataset.i18n);
  document.body.dataset.link = live ? "live" : "offline";
}

function connectEvents() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const protocols = ["tongxue.v1"];
  if (app.key) protocols.push(`tongxue.key.${app.key}`);
  const socket = new WebSocket(`${scheme}://${location.host}/v1/vehicle/events`, protocols);
  app.socket = socket;
  socket.addEventListener("open", () => {
    app.retryMs = 500;
  });
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (message.type === "snapshot") {
      app.cabin.setState(message.state);
      setLink(true);
    } else if (message.type === "changes") {
      app.cabin.applyChanges(message.changes);
    }
  });
  socket.addEventListener("close", () => {
    setLink(false);
    if (app.socket !== socket) return;
    setTimeout(connectEvents, app.retryMs);
    app.retryMs = Math.min(app.retryMs * 2, 10000);
  });
}

// --- remote controls ----------------------------------------------------------------------

function remoteActions(name) {
  const state = app.cabin.state || {};
  const get = (path) => txGetPath(state, path);
  switch (name) {
    case "lock": return [{ name: "set_door_lock", arguments: { locked: true } }];
    case "unlock": return [{ name: "set_door_lock", arguments: { locked: false } }];
    case "climate_on": return [{ name: "set_climate", arguments: { power: true, ac: true } }];
    case "climate_off": return [{ name: "set_climate", arguments: { power: false, ac: false } }];
    case "temp_down": return [{ name: "set_temperature", arguments: { target: app.seat, delta: -1 } }];
    case "temp_up": return [{ name: "set_temperature", arguments: { target: app.seat, delta: 1 } }];
    case "windows_close": return [{ name: "set_window", arguments: { target: "all", position: 0 } }];
    case "windows_vent": return [{ name: "set_window", arguments: { target: "all", position: 20 } }];
    case "sunroof_toggle":
      return [{ name: "set_sunroof", arguments: { position: get("sunroof") > 0 ? 0 : 100 } }];
    case "seat_heat": {
      const level = get(`seats.${app.seat}.heating`) > 0 ? 0 : 2;
      return [{ name: "set_seat_heating", arguments: { target: app.seat, level } }];
    }
    case "trunk_toggle": return [{ name: "set_trunk", arguments: { open: !get("trunk.open") } }];
    case "media_toggle":
      return get("media.playing")
        ? [{ name: "pause_media", arguments: {} }]
        : [{ name: "play_media", arguments: {} }];
    default: return [];
  }
}

function reportResults(data) {
  const problems = data.results.filter((r) => r.status === "refused" || r.status === "unsupported");
  if (problems.length) toast(`${txT("refused")}: ${problems.map((p) => p.reason).join("; ")}`, "warn");
  else toast(txT("sent"), "ok");
}

async function pressRemote(name, button) {
  button.disabled = true;
  try {
    const { status, data } = await api("POST", "/v1/vehicle/actions", {
      actions: remoteActions(name),
      seat: app.seat,
    });
    if (status === 202) await askToConfirm(data);
    else reportResults(data);
  } catch (err) {
    toast(`${txT("failed")}: ${err.message}`, "warn");
  } finally {
    button.disabled = false;
  }
}

function askToConfirm(pending) {
  return new Promise((resolve) => {
    const dialog = document.getElementById("confirm-dialog");
    const seconds = Math.max(0, Math.round(pending.expires_at - Date.now() / 1000));
    document.getElementById("confirm-expires").textContent = txT("expires_in", { s: seconds });
    toast(txT("pending_confirm"), "info");
    dialog.addEventListener(
      "close",
      async () => {
        if (dialog.returnValue === "confirm") {
          try {
            const { data } = await api("POST", pending.confirm_url);
            reportResults(data);
          } catch (err) {
            toast(`${txT("failed")}: ${err.message}`, "warn");
          }
        }
        resolve();
      },
      { once: true },
    );
    dialog.showModal();
  });
}

// --- key, language, tabs ------------------------------------------------------------------

function askForKey() {
  const dialog = document.getElementById("key-dialog");
  if (dialog.open) return;
  document.getElementById("key-button").hidden = false;
  dialog.addEventListener(
    "close",
    () => {
      if (dialog.returnValue === "save") {
        app.key = document.getElementById("key-input").value.trim();
        localStorage.setItem(KEY_STORAGE, app.key);
        location.reload();
      }
    },
    { once: true },
  );
  dialog.showModal();
}

function setLanguage(lang) {
  localStorage.setItem(LANG_STORAGE, lang);
  txApplyLanguage(lang);
  document.getElementById("lang-toggle").textContent = lang === "zh" ? "EN" : "中文";
  for (const button of document.querySelectorAll(".seat-option")) {
    button.textContent = txT(`seat_${button.dataset.seat}`);
  }
  if (app.role) document.getElementById("role-badge").textContent = txT(`role_${app.role}`);
  const link = document.getElementById("link-text");
  link.textContent = txT(link.dataset.i18n);
  app.cabin.render();
}

function showTab(name) {
  for (const tab of document.querySelectorAll("[role=tab]")) {
    tab.setAttribute("aria-selected", String(tab.dataset.tab === name));
  }
  for (const panel of document.querySelectorAll("[data-panel]")) {
    panel.classList.toggle("active", panel.dataset.panel === name);
  }
}

// --- start --------------------------------------------------------------------------------

async function start() {
  app.cabin = new CabinView(document.getElementById("panel-car"));
  const saved = localStorage.getItem(LANG_STORAGE);
  const lang = saved || ((navigator.language || "zh").toLowerCase().startsWith("zh") ? "zh" : "en");
  setLanguage(lang);
  document.getElementById("lang-toggle").addEventListener("click", () => {
    setLanguage(txLang === "zh" ? "en" : "zh");
  });
  document.getElementById("key-button").addEventListener("click", askForKey);
  for (const tab of document.querySelectorAll("[role=tab]")) {
    tab.addEventListener("click", () => showTab(tab.dataset.tab));
  }
  document.getElementById("chat-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = document.getElementById("chat-input");
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    sendTurn(text);
  });
  document.getElementById("new-session").addEventListener("click", () => {
    setSession(null);
    const list = document.getElementById("messages");
    while (list.children.length > 1) list.lastElementChild.remove();
    toast(txT("new_session_started"), "info");
  });
  for (const button of document.querySelectorAll("[data-remote]")) {
    button.addEventListener("click", () => pressRemote(button.dataset.remote, button));
  }

  try {
    const me = (await api("GET", "/v1/me")).data;
    app.role = me.role;
    const badge = document.getElementById("role-badge");
    badge.textContent = txT(`role_${me.role}`);
    badge.hidden = false;
    document.getElementById("key-button").hidden = me.auth !== "keys";
    document.body.dataset.role = me.role;
    const profile = (await api("GET", "/v1/vehicle/profile")).data;
    app.cabin.setProfile(profile.seats);
    renderSeats(profile.seats);
    const state = (await api("GET", "/v1/vehicle/state")).data;
    app.cabin.setState(state.state);
  } catch (err) {
    if (err.status !== 401) toast(`${txT("error")}: ${err.message}`, "warn");
    return;
  }
  connectEvents();
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", start);
