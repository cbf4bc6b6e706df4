// The instructor's page: fetches /audit every few seconds and draws it.
// Names and activity text come from students, so every server-provided string is
// set with textContent; nothing here builds HTML from data.
"use strict";

(() => {
  const refreshMs = 3000;
  const timeoutMs = 5000;
  const tokenKey = "sockethub.auditToken";

  const $ = (id) => document.getElementById(id);
  const number = new Intl.NumberFormat();

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function cell(value, numeric) {
    return el("td", numeric ? number.format(value) : value, numeric ? "num" : undefined);
  }

  function bytes(n) {
    const units = ["B", "kB", "MB", "GB", "TB"];
    let i = 0;
    let v = n;
    while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
    return i === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
  }

  function duration(seconds) {
    let s = Math.floor(seconds);
    const d = Math.floor(s / 86400); s -= d * 86400;
    const h = Math.floor(s / 3600); s -= h * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    if (d > 0) return `${d} d ${h} h ${m} min`;
    if (h > 0) return `${h} h ${m} min`;
    if (m > 0) return `${m} min ${s} s`;
    return `${s} s`;
  }

  function sameDay(a, b) {
    return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
  }

  // Local time; with the date too when it is not today.
  function when(iso) {
    if (!iso) return "–";
    const t = new Date(iso);
    return sameDay(t, new Date()) ? t.toLocaleTimeString() : t.toLocaleString();
  }

  function fill(listId, noneId, items) {
    $(listId).replaceChildren(...items);
    $(noneId).hidden = items.length > 0;
  }

  const svgNs = "http://www.w3.org/2000/svg";

  function svg(tag, attributes, text) {
    const node = document.createElementNS(svgNs, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function minuteOf(iso) {
    return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  // One bar per minute, oldest on the left; the bar's title says the minute and the figure.
  function chart(id, minutes, key, noun) {
    const width = 600, height = 130, top = 16;
    const values = minutes.map((m) => m[key]);
    const peak = Math.max(...values, 0);
    const scale = (height - top) / Math.max(peak, 1);
    const slot = width / minutes.length;
    const bars = minutes.map((m, i) => {
      const h = m[key] * scale;
      const bar = svg("rect", {
        class: "bar", x: (i * slot + 1).toFixed(1), y: (height - h).toFixed(1),
        width: (slot - 2).toFixed(1), height: h.toFixed(1), "data-minute": m.minute, "data-value": m[key],
      });
      bar.append(svg("title", {}, `${minuteOf(m.minute)}: ${number.format(m[key])} ${noun}`));
      return bar;
    });
    $(id).replaceChildren(
      svg("line", { class: "base", x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5 }),
      svg("text", { class: "peak", x: 2, y: 12 }, `${number.format(peak)} / min`),
      ...bars);
    return { total: values.reduce((sum, v) => sum + v, 0), peak };
  }

  function renderTraffic(minutes) {
    const connections = chart("chart-connections", minutes, "connections", "connections");
    const messages = chart("chart-messages", minutes, "messages", "messages");
    $("traffic-connections").textContent = number.format(connections.total);
    $("traffic-connections-peak").textContent = number.format(connections.peak);
    $("traffic-messages").textContent = number.format(messages.total);
    $("traffic-messages-peak").textContent = number.format(messages.peak);
  }

  function render(a) {
    $("uptime").textContent = duration(a.uptimeSeconds);
    $("started").textContent = new Date(a.startedAt).toLocaleString();

    $("dialects").replaceChildren(...a.dialects.map((d) => {
      const row = el("tr");
      const name = el("th", d.name);
      name.scope = "row";
      const bytesIn = el("td", bytes(d.bytesIn), "num");
      bytesIn.title = `${number.format(d.bytesIn)} bytes`;
      const bytesOut = el("td", bytes(d.bytesOut), "num");
      bytesOut.title = `${number.format(d.bytesOut)} bytes`;
      row.append(name, el("td", d.port, "num"), el("td", d.tlsPort ?? "–", "num"), cell(d.open, true), cell(d.total, true), cell(d.requests, true),
        cell(d.errors, true), cell(d.rejected, true), bytesIn, bytesOut);
      if (d.open > 0) row.className = "busy";
      return row;
    }));

    $("tls-fingerprint").textContent = a.tls.fingerprint;
    $("tls-until").textContent = new Date(a.tls.notAfter).toLocaleDateString();
    $("tls-source").textContent = a.tls.source;

    const chat = a.chat;
    $("online-count").textContent = number.format(chat.online.length);
    fill("online", "online-none", chat.online.map((u) => el("li", u)));
    fill("lockouts", "lockouts-none", chat.lockouts.map((l) => {
      const item = el("li");
      item.append(el("strong", l.user), ` until ${when(l.until)}`);
      return item;
    }));

    $("figures").replaceChildren(...a.figures.map((f) => {
      const row = el("div");
      const value = el("dd", number.format(f.value));
      value.id = f.id;
      row.append(el("dt", f.label), value);
      return row;
    }));

    const online = new Set(chat.online);
    fill("accounts", "accounts-none", chat.users.map((u) => {
      const row = el("tr");
      const name = el("th", u.user);
      name.scope = "row";
      if (online.has(u.user)) {
        name.append(" ", el("span", "online", "tag"));
      }
      row.append(name, cell(u.logons, true), cell(u.logoffs, true), cell(u.messagesSent, true),
        cell(u.broadcastsSent, true), cell(u.failedLogins, true), cell(when(u.lastLoginAt), false),
        cell(u.lastLoginAddress ?? "–", false));
      return row;
    }));

    fill("recent", "recent-none", a.recent.slice().reverse().map((e) => {
      const item = el("li");
      const time = el("time", when(e.at));
      time.dateTime = e.at;
      item.append(time, el("span", e.dialect, "tag"), el("span", e.text, "text"));
      return item;
    }));

    renderTraffic(a.lastHour);

    $("updated").textContent = new Date().toLocaleTimeString();
  }

  const banner = $("banner");
  const tokenForm = $("token-form");
  const tokenInput = $("token");

  function problem(message) {
    banner.textContent = message;
    banner.hidden = false;
    document.body.classList.add("stale");
  }

  function clearProblem() {
    banner.hidden = true;
    banner.textContent = "";
    document.body.classList.remove("stale");
  }

  async function errorText(response) {
    try {
      const body = await response.json();
      if (body && typeof body.error === "string") return body.error;
    } catch {
      // Not JSON: fall back to the status line.
    }
    return `${response.status} ${response.statusText}`.trim();
  }

  let next = 0;
  let busy = false;
  let received = false;

  async function fetchAudit(token) {
    const headers = { Accept: "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      return await fetch("/audit", { headers, cache: "no-store", signal: abort.signal });
    } finally {
      clearTimeout(timer);
    }
  }

  async function refresh() {
    clearTimeout(next);
    busy = true;
    try {
      const token = sessionStorage.getItem(tokenKey);
      let response;
      try {
        response = await fetchAudit(token);
      } catch (e) {
        const shown = received ? " The figures below are the last received." : "";
        problem(e.name === "AbortError"
          ? `The server did not answer /audit in time. Is it running?${shown}`
          : `Cannot reach the server. Is it running?${shown}`);
        return;
      }

      if (response.ok) {
        let audit;
        try {
          audit = await response.json();
        } catch {
          problem("/audit did not answer JSON. Is this a SocketHub server?");
          return;
        }
        render(audit);
        received = true;
        tokenForm.hidden = true;
        clearProblem();
      } else if (response.status === 401) {
        const refused = token !== null;
        if (refused) sessionStorage.removeItem(tokenKey);
        tokenForm.hidden = false;
        problem(`${refused ? "The token was refused." : "This server asks for its audit token."} Server says: ${await errorText(response)}`);
      } else {
        problem(`The server refused the figures (${response.status}). Server says: ${await errorText(response)}`);
      }
    } catch (e) {
      problem(`The page could not show the figures: ${e.message}`);
    } finally {
      busy = false;
      next = setTimeout(refresh, refreshMs);
    }
  }

  tokenForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const token = tokenInput.value.trim();
    if (!token) return;
    sessionStorage.setItem(tokenKey, token);
    tokenInput.value = "";
    tokenForm.hidden = true;
    banner.textContent = "Checking the token…";
    // Ask now rather than in up to 3 s; a request already under way picks the token up next time.
    if (!busy) refresh();
  });

  refresh();
})();
