// The live cabin view: draws the car state into the page and highlights what just changed.
"use strict";

const TX_SEAT_ROWS = [
  ["driver", "passenger"],
  ["rear_left", "rear_right"],
  ["third_left", "third_right"],
];

function txGetPath(state, path) {
  let node = state;
  for (const part of path.split(".")) {
    if (node === null || node === undefined) return undefined;
    node = node[part];
  }
  return node;
}

function txSetPath(state, path, value) {
  const parts = path.split(".");
  let node = state;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== "object" || node[part] === null) node[part] = {};
    node = node[part];
  }
  node[parts[parts.length - 1]] = value;
}

function txFormat(path, value) {
  if (value === null || value === undefined) return txT("none");
  if (Array.isArray(value)) return value.length ? value.join(" → ") : txT("none");
  if (path === "doors.locked") return value ? txT("locked") : txT("unlocked");
  if (path === "trunk.open") return value ? txT("open") : txT("closed");
  if (path === "mirrors.folded") return value ? txT("folded") : txT("unfolded");
  if (path === "media.playing") return value ? txT("playing_yes") : txT("playing_no");
  if (path === "media.muted") return value ? `(${txT("muted")})` : "";
  if (path.endsWith(".temperature")) return `${Number(value).toFixed(1)}°`;
  if (path.startsWith("windows.") || path === "sunroof" || path === "sunshade") return `${value}%`;
  if (typeof value === "boolean") return value ? txT("on") : txT("off");
  if (typeof value === "number") return String(Math.round(value * 10) / 10);
  return txWord(value);
}

function txLevelDots(level) {
  let dots = "";
  for (let i = 1; i <= 3; i += 1) dots += i <= level ? "●" : "○";
  return dots;
}

class CabinView {
  constructor(root) {
    this.root = root;
    this.state = null;
    this.seats = [];
  }

  setProfile(seats) {
    this.seats = seats;
    const grid = this.root.querySelector("#seat-grid");
    grid.textContent = "";
    for (const row of TX_SEAT_ROWS) {
      const present = row.filter((seat) => seats.includes(seat));
      if (!present.length) continue;
      const rowEl = document.createElement("div");
      rowEl.className = "seat-row";
      for (const seat of row) {
        const tile = document.createElement("div");
        tile.className = "seat";
        tile.dataset.seat = seat;
        if (!seats.includes(seat)) {
          tile.classList.add("absent");
          rowEl.appendChild(tile);
          continue;
        }
        tile.innerHTML =
          '<div class="seat-name"></div>' +
          `<div class="lv heat"><span class="k" data-k="heat"></span><span class="v" data-path="seats.${seat}.heating"></span></div>` +
          `<div class="lv vent"><span class="k" data-k="vent"></span><span class="v" data-path="seats.${seat}.ventilation"></span></div>` +
          `<div class="lv massage"><span class="k" data-k="massage"></span><span class="v" data-path="seats.${seat}.massage"></span></div>` +
          `<div class="reading" data-path="lights.reading.${seat}"></div>`;
        rowEl.appendChild(tile);
      }
      grid.appendChild(rowEl);
    }
    if (this.state) this.render();
  }

  setState(state) {
    this.state = state;
    this.render();
  }

  applyChanges(changes) {
    if (!this.state) return;
    for (const change of changes) txSetPath(this.state, change.path, change.new);
    this.render(new Set(changes.map((c) => c.path)));
  }

  render(changed) {
    const state = this.state;
    if (!state) return;
    for (const el of this.root.querySelectorAll("[data-path]")) {
      const path = el.dataset.path;
      const value = txGetPath(state, path);
      let text;
      if (/^seats\.[a-z_]+\.(heating|ventilation|massage)$/.test(path)) {
        text = txLevelDots(Number(value || 0));
        el.parentElement.classList.toggle("active", Number(value) > 0);
      } else if (path.startsWith("lights.reading.")) {
        text = value ? `${txT("reading")} ${txT("on")}` : "";
        el.classList.toggle("active", Boolean(value));
      } else {
        text = txFormat(path, value);
      }
      if (el.textContent !== text) el.textContent = text;
      el.dataset.value = JSON.stringify(value === undefined ? null : value);
      if (changed && changed.has(path)) this.flash(el);
    }
    for (const el of this.root.querySelectorAll(".seat .k")) el.textContent = txT(el.dataset.k);
    for (const el of this.root.querySelectorAll(".seat-name")) {
      el.textContent = txT(`seat_${el.parentElement.dataset.seat}`);
    }
    for (const win of this.root.querySelectorAll(".window")) {
      const pct = Number(txGetPath(state, `windows.${win.dataset.window}`) || 0);
      win.querySelector(".fill").style.height = `${pct}%`;
      win.classList.toggle("open", pct > 0);
    }
    const sunroof = Number(state.sunroof || 0);
    const roof = this.root.querySelector("#sunroof-view");
    roof.querySelector(".fill").style.width = `${sunroof}%`;
    roof.classList.toggle("open", sunroof > 0);
    const ambient = state.lights && state.lights.ambient;
    const swatch = document.getElementById("ambient-swatch");
    if (ambient && swatch) {
      swatch.dataset.color = ambient.color;
      swatch.classList.toggle("lit", Boolean(ambient.on));
      swatch.style.opacity = ambient.on ? String(0.35 + (ambient.brightness / 100) * 0.65) : "0.25";
    }
    const lock = this.root.querySelector('[data-path="doors.locked"]');
    if (lock) lock.classList.toggle("unlocked", state.doors && state.doors.locked === false);
  }

  flash(el) {
    const target = el.closest(".seat, .window, .sunroof, .row, .zone, .car-tail, .sunshade-line") || el;
    target.classList.remove("changed");
    // Restart the animation even when the same element changes twice in a row.
    void target.offsetWidth;
    target.classList.add("changed");
  }
}
