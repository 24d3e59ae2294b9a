// Offline entry (branches/offline.py): a form marked data-offline-endpoint is kept on the phone (IndexedDB, through
// the `idb` library) before it is sent, shown as 未同步 until the server takes it, and sent with an Idempotency-Key so
// that a retry after a lost answer never saves it twice (branches/idempotency.py).
//
// A form opts in with:
//   data-offline-endpoint  the API URL the queued item is sent to
//   data-offline-method    POST (default), PUT…
//   data-offline-format    "form" (default: multipart fields and files) or "report" (a monthly form: the changed
//                          v:<code> inputs as {"values", "version", "balance_note"} JSON)
//   data-offline-label     what the item is called in the list and the toasts
// Buttons marked data-offline-online-only are disabled while offline (the hint [data-offline-hint] shows why).
(() => {
  "use strict";

  const configElement = document.getElementById("offline-config");
  if (!configElement) return;
  const CONFIG = JSON.parse(configElement.textContent);
  const T = CONFIG.texts;
  const USER = document.body.dataset.user || "";
  const DB_NAME = "jingzi-offline";
  const STORE = "queue";
  const RETRY_MS = 30_000;
  const MAX_SIDE = 1600;
  const JPEG_QUALITY = 0.85;
  const LAST_USER = "jingzi-offline-user";
  const FLASH = "jingzi-offline-flash";
  const STATUS_STYLE = {
    pending: "text-bg-warning", sending: "text-bg-info", rejected: "text-bg-danger", conflict: "text-bg-danger",
    "waiting-login": "text-bg-secondary",
  };

  // --- the store -------------------------------------------------------------------------------------------------

  let database;
  function db() {
    database ||= idb.openDB(DB_NAME, 1, {
      upgrade(store) {
        store.createObjectStore(STORE, { keyPath: "key" }).createIndex("user", "user");
      },
    });
    return database;
  }

  async function itemsOfUser() {
    if (!USER || !window.indexedDB) return [];
    const items = await (await db()).getAllFromIndex(STORE, "user", USER);
    return items.sort((a, b) => a.created.localeCompare(b.created));
  }

  const saveItem = async (item) => (await db()).put(STORE, item);
  const removeItem = async (key) => (await db()).delete(STORE, key);

  // --- building an item from a form ------------------------------------------------------------------------------

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  // A phone's photo is several MB: shrunk to its longest side ≤ MAX_SIDE before it is stored or sent.
  async function shrink(file) {
    if (!file.type.startsWith("image/") || !window.createImageBitmap) return file;
    let bitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch {
      return file;  // not an image the browser can read: the server says so
    }
    const side = Math.max(bitmap.width, bitmap.height);
    if (side <= MAX_SIDE) {
      bitmap.close();
      return file;
    }
    const scale = MAX_SIDE / side;
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", JPEG_QUALITY));
    if (!blob) return file;
    return new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" });
  }

  // A monthly form sends only what the user changed on the page: a figure someone else saved meanwhile in
  // another row is not overwritten with the stale one shown when the page was loaded.
  function changedOnly(form, name) {
    const field = form.elements.namedItem(name);
    if (!field || !("defaultValue" in field)) return true;
    if (name.startsWith("v:") || name === "balance_note") return field.value !== field.defaultValue;
    return true;
  }

  async function itemFromForm(form, submitter) {
    const format = form.dataset.offlineFormat || "form";
    const fields = [];
    const files = [];
    for (const [name, value] of new FormData(form, submitter)) {
      if (name === "csrfmiddlewaretoken") continue;
      if (value instanceof File) {
        if (!value.name && !value.size) continue;  // an empty file input
        const file = await shrink(value);
        files.push([name, file, file.name]);
      } else if (format !== "report" || changedOnly(form, name)) {
        fields.push([name, value]);
      }
    }
    return {
      key: newKey(),
      endpoint: form.dataset.offlineEndpoint,
      method: (form.dataset.offlineMethod || "POST").toUpperCase(),
      format,
      label: form.dataset.offlineLabel || document.title || T.form,
      user: USER,
      created: new Date().toISOString(),
      page: location.pathname,
      fields,
      files,
      status: "pending",
    };
  }

  function reportValues(item) {
    return item.fields.filter(([name]) => name.startsWith("v:")).map(([name, value]) => [name.slice(2), value]);
  }

  function requestBody(item) {
    if (item.format === "report") {
      const body = { values: Object.fromEntries(reportValues(item)) };
      for (const [name, value] of item.fields) {
        if (name === "version" && value !== "") body.version = Number(value);
        if (name === "balance_note") body.balance_note = value;
      }
      if (!Object.keys(body.values).length) delete body.values;
      return JSON.stringify(body);
    }
    const data = new FormData();
    for (const [name, value] of item.fields) data.append(name, value);
    for (const [name, blob, filename] of item.files) data.append(name, blob, filename);
    return data;
  }

  // --- sending ---------------------------------------------------------------------------------------------------

  function csrfToken() {
    // Read at each send: a new login rotates it.
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  const sending = new Set();
  // endpoint → {from, to}: the version a sent monthly form was typed on, and the one its save produced.
  const savedVersions = new Map();

  function fieldValue(item, wanted) {
    const field = item.fields.find(([name]) => name === wanted);
    return field ? field[1] : null;
  }

  // A monthly form saved twice offline: the second was typed on the page the first save replaces, so it goes on
  // the version that save produced (only before it was ever sent: its key has not met the server yet).
  function onSavedVersion(item) {
    const saved = savedVersions.get(item.endpoint);
    if (item.format !== "report" || !saved || item.tried || fieldValue(item, "version") !== saved.from) return item;
    return { ...item, fields: item.fields.map(([name, value]) => [name, name === "version" ? saved.to : value]) };
  }

  async function send(queued) {
    if (queued.user !== USER || sending.has(queued.key)) return;
    sending.add(queued.key);
    const item = onSavedVersion(queued);
    try {
      const headers = { "X-CSRFToken": csrfToken(), "Idempotency-Key": item.key, Accept: "application/json" };
      if (item.format === "report") headers["Content-Type"] = "application/json";
      let response;
      try {
        response = await fetch(item.endpoint, {
          method: item.method, credentials: "same-origin", headers, body: requestBody(item),
        });
      } catch {
        return;  // no network: stays pending
      }
      item.tried = true;
      const data = await response.json().catch(() => ({}));
      await settle(item, response.status, data);
    } finally {
      sending.delete(item.key);
      render();
    }
  }

  async function settle(item, status, data) {
    if (status >= 200 && status < 300) {
      await removeItem(item.key);
      if (item.format === "report" && data && data.version) {
        savedVersions.set(item.endpoint, { from: fieldValue(item, "version"), to: String(data.version) });
      }
      toast(T.sent.replace("%s", item.label));
      document.dispatchEvent(new CustomEvent("offline:sent", { detail: { item, data } }));
      afterSent(item, data);
      return;
    }
    if (status === 401 || (status === 403 && data.code === "not_authenticated")) {
      Object.assign(item, { status: "waiting-login", problem: null });
    } else if (status === 409 && data.code === "conflict") {
      Object.assign(item, { status: "conflict", problem: data });
    } else if (status >= 500 || status === 409 || status === 429 || status === 0) {
      return;  // the server is busy or down, or still doing the first try: stays pending
    } else {
      const problem = status === 413 && !data.detail ? { detail: T.tooLarge } : data;
      Object.assign(item, { status: "rejected", problem });
    }
    await saveItem(item);
  }

  function afterSent(item, data) {
    if (location.pathname !== item.page) return;
    if (data && typeof data.url === "string" && data.url.startsWith("/")) {
      location.assign(data.url);
    } else if (item.format === "report") {
      // The page shows the saved figures, their new version and history; the toast is shown again after it.
      sessionStorage.setItem(FLASH, T.sent.replace("%s", item.label));
      location.reload();
    }
  }

  // Items are sent one by one, oldest first. A monthly form saved twice offline: the second was typed on a page of
  // the version the first one replaces, so it is sent on the version the first save produced.
  let flushing = null;
  async function flush({ includeWaiting = false } = {}) {
    if (!navigator.onLine || !USER) return;
    if (flushing) return flushing;
    flushing = (async () => {
      for (const item of await itemsOfUser()) {
        if (item.status === "pending" || (includeWaiting && item.status === "waiting-login")) {
          await send(item);
        }
      }
    })();
    try {
      await flushing;
    } finally {
      flushing = null;
    }
  }

  // --- what the user sees ----------------------------------------------------------------------------------------

  function element(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value);
    }
    node.append(...children.filter(Boolean));
    return node;
  }

  function toast(message) {
    let holder = document.querySelector("[data-offline-toasts]");
    if (!holder) {
      holder = element("div", { "data-offline-toasts": "", class: "position-fixed bottom-0 start-50 translate-middle-x p-3",
                                style: "z-index: 1080" });
      document.body.append(holder);
    }
    const note = element("div", { class: "alert alert-success shadow-sm py-2 mb-2", role: "status", text: message });
    holder.append(note);
    setTimeout(() => note.remove(), 5000);
  }

  function formOf(item) {
    if (location.pathname !== item.page) return null;
    return document.querySelector(`form[data-offline-endpoint="${CSS.escape(item.endpoint)}"]`);
  }

  function fieldName(item, name) {
    const form = formOf(item);
    const field = form && form.elements.namedItem(item.format === "report" ? `v:${name}` : name);
    return (field && (field.getAttribute("aria-label") || (field.labels && field.labels[0] && field.labels[0].textContent)))
      || name;
  }

  // The API's field errors ({"values": {code: [..]}}, {field: [..]}, {"detail": ".."}) as lines to read.
  function problemLines(item) {
    const lines = [];
    const walk = (data, prefix) => {
      if (data == null) return;
      if (typeof data === "string") lines.push(prefix ? `${fieldName(item, prefix)}：${data}` : data);
      else if (Array.isArray(data)) data.forEach((entry) => walk(entry, prefix));
      else if (typeof data === "object") {
        for (const [name, value] of Object.entries(data)) {
          if (name === "code") continue;
          const inner = ["detail", "non_field_errors", "values"].includes(name) ? prefix : name;
          walk(value, inner);
        }
      }
    };
    walk(item.problem, "");
    return lines;
  }

  function restoreIntoForm(item) {
    const form = formOf(item);
    for (const [name, value] of item.fields) {
      const field = form.elements.namedItem(name);
      if (field && "value" in field && field.type !== "file" && name !== "version") field.value = value;
    }
    return removeItem(item.key).then(render).then(() => form.scrollIntoView({ behavior: "smooth" }));
  }

  async function overwrite(item) {
    // Resent as a new request (a new key): on the version saved meanwhile, with the user's own values.
    const fields = item.fields.map(([name, value]) => [name, name === "version" ? String(item.problem.version) : value]);
    if (!fields.some(([name]) => name === "version")) fields.push(["version", String(item.problem.version)]);
    const fresh = { ...item, key: newKey(), fields, status: "pending", problem: null };
    await saveItem(fresh);
    await removeItem(item.key);
    render();
    await send(fresh);
  }

  function conflictTable(item) {
    const current = (item.problem && item.problem.current) || {};
    const who = (item.problem && item.problem.updated_by) || T.someone;
    const rows = reportValues(item).map(([code, mine]) => element("tr", {},
      element("td", { text: fieldName(item, code) }),
      element("td", { class: "text-end fw-semibold", "data-mine": code, text: mine === "" ? "—" : mine }),
      element("td", { class: "text-end", "data-theirs": code, text: current[code] == null ? "—" : String(current[code]) }),
    ));
    if (!rows.length) return null;
    return element("table", { class: "table table-sm mb-2 offline-conflict" },
      element("thead", {}, element("tr", {},
        element("th", { text: T.indicator }),
        element("th", { class: "text-end", text: T.mine }),
        element("th", { class: "text-end", text: T.theirs.replace("%s", who) }))),
      element("tbody", {}, ...rows));
  }

  function button(text, style, onclick) {
    return element("button", { type: "button", class: `btn btn-sm ${style}`, text, onclick });
  }

  function itemView(item) {
    const when = new Date(item.created).toLocaleString("zh-CN", { hour12: false });
    const body = element("div", { class: "small" });
    const actions = element("div", { class: "d-flex flex-wrap gap-2 mt-1" });
    if (item.status === "pending" && navigator.onLine) {
      actions.append(button(T.sendNow, "btn-outline-primary", () => send(item)));
    }
    if (item.status === "waiting-login") {
      body.append(element("div", { text: T.loginExpired }));
      const next = encodeURIComponent(item.page);
      actions.append(element("a", { class: "btn btn-sm btn-primary", href: `${CONFIG.loginUrl}?next=${next}`, text: T.login }));
    }
    if (item.status === "rejected") {
      body.append(element("div", { class: "text-danger", text: T.rejectedHint }));
      for (const line of problemLines(item)) body.append(element("div", { class: "text-danger", text: line }));
      if (formOf(item)) actions.append(button(T.restore, "btn-outline-primary", () => restoreIntoForm(item)));
      actions.append(button(T.delete, "btn-outline-danger", async () => {
        if (confirm(T.deleteConfirm)) await removeItem(item.key).then(render);
      }));
    }
    if (item.status === "conflict") {
      body.append(element("div", { class: "text-danger", text: item.problem.detail || "" }));
      body.append(conflictTable(item));
      actions.append(button(T.overwrite, "btn-danger", () => overwrite(item)));
      actions.append(button(T.discard, "btn-outline-secondary", async () => {
        if (!confirm(T.discardConfirm)) return;
        await removeItem(item.key);
        render();
        if (location.pathname === item.page) location.reload();
      }));
    }
    const status = sending.has(item.key) ? "sending" : item.status;
    return element("li", { class: "list-group-item", "data-offline-item": item.key, "data-status": item.status },
      element("div", { class: "d-flex flex-wrap align-items-center gap-2" },
        element("span", { class: `badge ${STATUS_STYLE[status] || "text-bg-warning"}`, text: T[status] || status }),
        element("strong", { text: item.label }),
        element("span", { class: "text-muted small ms-auto", text: when }),
        location.pathname !== item.page ? element("a", { class: "small", href: item.page, text: T.open }) : null),
      body.childNodes.length ? body : null,
      actions.childNodes.length ? actions : null);
  }

  let rendering = Promise.resolve();
  function render() {
    rendering = rendering.then(async () => {
      const items = await itemsOfUser();
      document.querySelectorAll("[data-offline-badge]").forEach((badge) => {
        badge.hidden = items.length === 0;
        badge.querySelector("[data-offline-count]").textContent = String(items.length);
      });
      document.querySelectorAll("[data-offline-queue]").forEach((queue) => {
        queue.hidden = items.length === 0;
        queue.querySelector("[data-offline-queue-items]").replaceChildren(...items.map(itemView));
      });
    }).catch((error) => console.warn("offline queue:", error));
    return rendering;
  }

  function showOnlineState() {
    const offline = !navigator.onLine;
    document.querySelectorAll("[data-offline-online-only]").forEach((control) => { control.disabled = offline; });
    document.querySelectorAll("[data-offline-hint]").forEach((hint) => {
      hint.hidden = !offline;
      hint.textContent = T.onlineOnly;
    });
  }

  // --- wiring ----------------------------------------------------------------------------------------------------

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.offlineEndpoint || !USER || !window.indexedDB) return;
    const submitter = event.submitter;
    if (submitter && submitter.hasAttribute("data-offline-online-only")) return;  // sent the ordinary way
    event.preventDefault();
    const item = await itemFromForm(form, submitter);
    if (item.format === "report" && !item.fields.some(([name]) => name.startsWith("v:") || name === "balance_note")) {
      toast(T.noChange);
      return;
    }
    try {
      await saveItem(item);
    } catch (error) {
      // The phone keeps nothing (storage full, a private window): the form goes the ordinary way instead.
      console.warn("offline queue:", error);
      delete form.dataset.offlineEndpoint;
      form.requestSubmit(submitter);
      return;
    }
    // A new record kept on the phone: the form is emptied for the next one (its values are in the queue, and come
    // back into the form if the server refuses them).
    if (item.format === "form") form.reset();
    if (!navigator.onLine) toast(T.queued);
    await render();
    if (navigator.onLine) await send(item);
  });

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-offline-logout")) return;
    event.preventDefault();
    await forgetPages();
    form.submit();
  });

  async function forgetPages() {
    try {
      if (window.caches) await caches.delete(CONFIG.pagesCache);
    } finally {
      localStorage.removeItem(LAST_USER);
    }
  }

  // Another user on this phone: the pages kept for the previous one are dropped before anything else is kept.
  async function checkUser() {
    if (!USER) return;
    const previous = localStorage.getItem(LAST_USER);
    if (previous && previous !== USER && window.caches) await caches.delete(CONFIG.pagesCache);
    localStorage.setItem(LAST_USER, USER);
  }

  function registerServiceWorker() {
    if ("serviceWorker" in navigator && window.isSecureContext) {
      navigator.serviceWorker.register(CONFIG.serviceWorker, { scope: "/" })
        .catch((error) => console.warn("service worker:", error));
    }
  }

  function showFlash() {
    const message = sessionStorage.getItem(FLASH);
    if (message) {
      sessionStorage.removeItem(FLASH);
      toast(message);
    }
  }

  async function start() {
    showOnlineState();
    showFlash();
    await checkUser();
    registerServiceWorker();
    await render();
    await flush({ includeWaiting: true });
  }

  window.addEventListener("online", () => {
    showOnlineState();
    render();
    flush({ includeWaiting: true });
  });
  window.addEventListener("offline", () => {
    showOnlineState();
    render();
  });
  setInterval(() => flush(), RETRY_MS);
  // A form that arrives after the page (htmx, or a script: "offline:refresh") gets its items' buttons.
  document.addEventListener("htmx:afterSettle", () => render());
  document.addEventListener("offline:refresh", () => render());

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
