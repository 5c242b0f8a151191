// The no-install page's loader: it starts Python in a Web Worker (worker.js) and gives
// the playground page its transport, window.neurographTransport:
//   .ready                   a Promise, resolved when Python is ready (rejected if it
//                            cannot start, with a message that says why)
//   .request(action, body)   a Promise of the answer of Playground.act(action, body);
//                            rejected with an Error whose .status is the HTTP-like status
//                            (400, 404, 413, 500) and .message the Playground's text
// Until Python is ready a banner says "Loading Python..." with the progress (the page
// itself awaits .ready with every control disabled).  The page's own scripts run after
// this one.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("neurograph-page-config").textContent);
  const waiting = new Map();
  let lastId = 0;
  let worker = null;
  let failure = null;
  let readyResolve, readyReject;
  const ready = new Promise((resolve, reject) => { readyResolve = resolve; readyReject = reject; });
  ready.catch(() => {});    // reported on the page; a request made later rejects with it

  // -- the banner ------------------------------------------------------------------------
  let banner = null;
  function show(text, fraction, isError) {
    if (failure && !isError) return;      // (a late progress report keeps the error shown)
    if (!document.body) {
      document.addEventListener("DOMContentLoaded", () => show(text, fraction, isError), {once: true});
      return;
    }
    if (!banner) {
      banner = document.createElement("div");
      banner.id = "neurograph-loading";
      const s = banner.style;
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.top = "0"; s.zIndex = "1000";
      s.padding = "6px 12px"; s.font = "14px system-ui, sans-serif";
      s.background = "#ebf4ff"; s.color = "#1a365d"; s.borderBottom = "1px solid #90cdf4";
      banner.appendChild(document.createElement("span"));
      const bar = document.createElement("progress");
      bar.max = 1;
      bar.style.marginLeft = "12px";
      banner.appendChild(bar);
      document.body.appendChild(banner);
    }
    banner.setAttribute("role", isError ? "alert" : "status");
    banner.firstChild.textContent = text;
    const bar = banner.lastChild;
    bar.hidden = !!isError;
    if (fraction !== null && fraction !== undefined) bar.value = fraction;
    if (isError) {
      banner.style.background = "#fff5f5";
      banner.style.color = "#742a2a";
      banner.style.borderBottomColor = "#feb2b2";
    }
  }

  function fail(message) {
    if (failure) return;
    failure = new Error("Python could not start: " + message);
    failure.status = 500;
    show(failure.message, null, true);
    for (const [, w] of waiting) w.reject(failure);
    waiting.clear();
    readyReject(failure);
    window.dispatchEvent(new CustomEvent("neurograph-failed", {detail: {message: failure.message}}));
  }

  // -- starting the worker -------------------------------------------------------------------
  function assets() {
    const out = {};
    for (const el of document.querySelectorAll("script[data-neurograph-asset]")) {
      out[el.dataset.neurographAsset] = el.textContent;
    }
    return out;
  }

  function startWorker() {
    if (location.protocol === "file:" && !config.singleFile) {
      return fail("this page was opened from disk (file://), and browsers do not let a page " +
                  "opened from disk load its Python runtime. Serve the folder with a web server " +
                  "(for example: python3 -m http.server, then open http://localhost:8000/), or " +
                  "build one self-contained file with: neurograph page DIR --single-file");
    }
    let url = new URL(config.worker, document.baseURI).href;
    if (config.singleFile) {
      const code = document.getElementById("neurograph-page-worker").textContent;
      url = URL.createObjectURL(new Blob([code], {type: "text/javascript"}));
    }
    const cfg = Object.assign({}, config);
    cfg.runtime = Object.assign({}, config.runtime, {base: new URL(config.runtime.base, document.baseURI).href});
    cfg.bundle = Object.assign({}, config.bundle, {url: new URL(config.bundle.url, document.baseURI).href});
    try {
      worker = new Worker(url, {type: config.singleFile ? "classic" : "module", name: "neurograph"});
    } catch (e) {
      return fail("this browser cannot start a module Web Worker here (" + e.message + ")");
    }
    worker.onmessage = (ev) => receive(ev.data);
    worker.onerror = (ev) => {
      ev.preventDefault();
      fail("the worker stopped: " + (ev.message || "it could not be loaded"));
    };
    worker.postMessage({type: "start", config: cfg, assets: config.singleFile ? assets() : null});
    show("Loading Python...", 0);
  }

  function receive(m) {
    if (m.type === "progress") {
      if (failure) return;
      const pct = Math.round(100 * m.fraction);
      show("Loading Python... " + pct + "%", m.fraction);
      window.dispatchEvent(new CustomEvent("neurograph-progress", {detail: m}));
    } else if (m.type === "ready") {
      window.neurographTransport.times = m.times;
      if (banner) banner.remove();
      banner = null;
      readyResolve();
    } else if (m.type === "failed") {
      fail(m.message);
    } else if (m.type === "answer") {
      const w = waiting.get(m.id);
      if (!w) return;
      waiting.delete(m.id);
      let out;
      try { out = JSON.parse(m.text); } catch (e) { out = {status: 500, error: "a malformed answer"}; }
      if (out.status === 200) {
        w.resolve(out.answer);
      } else {
        const err = new Error(out.error || "status " + out.status);
        err.status = out.status;
        w.reject(err);
      }
    }
  }

  // -- requests ------------------------------------------------------------------------------
  function refused(status, message) {
    const err = new Error(message);
    err.status = status;
    return Promise.reject(err);
  }

  function depth(value) {     // how deeply lists and objects nest, without recursion
    let most = 0;
    const stack = [[value, 1]];
    while (stack.length) {
      const [v, d] = stack.pop();
      if (v === null || typeof v !== "object") continue;
      if (d > most) most = d;
      if (most > config.maxDepth) return most;
      for (const k of Object.keys(v)) stack.push([v[k], d + 1]);
    }
    return most;
  }

  function request(action, body) {
    if (failure) return Promise.reject(failure);
    if (typeof action !== "string") return refused(400, "the action must be a name (a string)");
    if (body !== undefined && body !== null && depth(body) > config.maxDepth) {
      return refused(400, "request body: arrays and objects nested more than " + config.maxDepth +
                     " levels deep; give a document nested less deeply");
    }
    const text = body === undefined || body === null ? "" : JSON.stringify(body);
    if (text.length > config.maxBody) {
      return refused(413, "request body of " + text.length + " bytes: the limit is " + config.maxBody);
    }
    return ready.then(() => new Promise((resolve, reject) => {
      const id = ++lastId;
      waiting.set(id, {resolve: resolve, reject: reject});
      worker.postMessage({type: "request", id: id, action: action, body: text});
    }));
  }

  window.neurographTransport = {ready: ready, request: request, times: null};

  if (config.singleFile && document.readyState === "loading") {
    // the runtime is embedded at the end of the page: start once the page is parsed
    document.addEventListener("DOMContentLoaded", startWorker, {once: true});
    show("Loading Python...", 0);
  } else {
    startWorker();
  }
})();
