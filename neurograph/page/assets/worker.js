// The no-install page's Web Worker: Pyodide (CPython compiled to WebAssembly) running
// neurograph's Playground, so that a long Train never freezes the page.
//
// The page's loader (loader.js) starts this worker and sends {type: "start",
// config, assets}; the worker loads the runtime, puts neurograph on sys.path, builds
// neurograph.page.session.Session(model) and answers {type: "request", id, action, body}
// with {type: "answer", id, text} where text is the JSON of {status, answer|error}.
// It reports {type: "progress", text, fraction}, then {type: "ready"} or {type: "failed"}.
//
// The runtime's files are checked against their pinned SHA-384 (Subresource Integrity)
// when they come from a CDN or a mirror; copied into the folder or embedded in the single
// file, they were checked when the page was built.  neurograph's zip is always fetched
// with its hash.  The worker makes no other request: any other fetch is refused.
"use strict";

// The single-file page starts this script as a classic worker (a page opened from disk
// cannot start a module worker); Pyodide refuses classic workers, which it recognizes by
// a working importScripts: this worker loads every script with import() instead.
if (typeof self.importScripts === "function") {
  self.importScripts = () => { throw new TypeError("the neurograph page loads scripts with import()"); };
}

const realFetch = self.fetch.bind(self);
let session = null;     // the Python Session's answer function (a PyProxy)
let config = null;
let embedded = null;    // {file name: Uint8Array} of the single-file page
const loaded = {};      // bytes received per runtime file, for the progress bar

function post(message) { self.postMessage(message); }

function progress(text) {
  let got = 0, total = 0;
  for (const name of Object.keys(config.runtime.files)) {
    const size = config.runtime.files[name].size || 0;
    total += size;
    got += Math.min(size, loaded[name] || 0);
  }
  post({type: "progress", text: text, fraction: total ? got / total : 0});
}

// -- the runtime's files ------------------------------------------------------------------
function fileName(url) {
  const base = config.runtime.base;
  const text = String(url);
  return text.startsWith(base) ? text.slice(base.length).split(/[?#]/)[0] : null;
}

async function countBytes(response, name) {
  if (!response.body) return;
  const reader = response.body.getReader();
  for (;;) {
    const {done, value} = await reader.read();
    if (done) return;
    loaded[name] = (loaded[name] || 0) + value.length;
    progress("Loading Python... " + name);
  }
}

// A file that cannot be loaded ends the start at once, with its own message: Pyodide
// would only log it (or, for the WebAssembly binary, wait forever).
let failed = false;
function failOnce(e) {
  if (failed) return;
  failed = true;
  post({type: "failed", message: explain(e)});
}

function cannotLoad(name, url, why) {
  const where = config.runtime.kind === "cdn" ?
    " (is this computer offline? build the page with --pyodide PATH to run without internet)" : "";
  const e = new Error("could not load " + name + " from " + url + ": " + why + where);
  failOnce(e);
  return e;
}

// fetch one file of the runtime, checked against its hash where it comes from elsewhere
async function fetchRuntimeFile(name) {
  const info = config.runtime.files[name];
  if (embedded && embedded[name]) {
    loaded[name] = info.size;
    progress("Loading Python... " + name);
    return new Response(embedded[name], {headers: {"Content-Type": info.type}});
  }
  const url = config.runtime.base + name;
  const options = config.runtime.kind === "folder" ? {} : {integrity: info.sri, mode: "cors"};
  let response;
  try {
    response = await realFetch(url, options);
  } catch (e) {
    throw cannotLoad(name, url, config.runtime.kind === "folder" ? "the request failed" :
                     "the request failed or the file does not match its pinned SHA-384 hash");
  }
  if (!response.ok) throw cannotLoad(name, url, "HTTP " + response.status);
  countBytes(response.clone(), name).catch(() => {});
  const type = response.headers.get("Content-Type") || "";
  if (info.type === "application/wasm" && !type.startsWith("application/wasm")) {
    // WebAssembly.instantiateStreaming needs this type; some static hosts send another
    return new Response(await response.arrayBuffer(), {headers: {"Content-Type": info.type}});
  }
  return response;
}

// Pyodide fetches the WebAssembly binary and the standard library itself: answer those
// requests with checked files and refuse every other one
function guardFetch() {
  self.fetch = async (input, init) => {
    const url = typeof input === "string" ? input : (input && input.url) || String(input);
    const name = fileName(new URL(url, config.runtime.base).href);
    if (name === "python_stdlib.zip" && compiled) {
      loaded[name] = config.runtime.files[name].size;
      return new Response(compiled.stdlib, {headers: {"Content-Type": "application/zip"}});
    }
    if (name !== null && config.runtime.files[name]) return fetchRuntimeFile(name);
    throw new TypeError("the neurograph page makes no request to " + url);
  };
}

async function importRuntimeModule(name) {
  if (config.runtime.kind === "folder") {
    const module = await import(config.runtime.base + name);
    loaded[name] = config.runtime.files[name].size;
    return module;
  }
  const response = await fetchRuntimeFile(name);
  const blob = new Blob([await response.arrayBuffer()], {type: "text/javascript"});
  const url = URL.createObjectURL(blob);
  try {
    return await import(url);
  } finally {
    URL.revokeObjectURL(url);
  }
}

// -- the single-file page's embedded files (gzip, base64) ---------------------------------
async function unpack(text) {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function unpackAll(assets) {
  const out = {};
  for (const name of Object.keys(assets || {})) out[name] = await unpack(assets[name]);
  return out;
}

// -- compiled modules, kept between visits ----------------------------------------------------
function openCache() {
  return new Promise((resolve) => {
    try {
      const req = indexedDB.open("neurograph-page", 1);
      req.onupgradeneeded = () => req.result.createObjectStore("bundles");
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(null);
    } catch (e) {
      resolve(null);   // no storage (a file:// page, a private window): compile every time
    }
  });
}

function cached(db, key, value) {
  return new Promise((resolve) => {
    if (!db) return resolve(null);
    try {
      const tx = db.transaction("bundles", value === undefined ? "readonly" : "readwrite");
      const store = tx.objectStore("bundles");
      const req = value === undefined ? store.get(key) : store.put(value, key);
      req.onsuccess = () => resolve(value === undefined ? req.result || null : true);
      req.onerror = () => resolve(null);
    } catch (e) {
      resolve(null);
    }
  });
}

async function bundleBytes() {
  const b = config.bundle;
  if (embedded && embedded[b.name]) return embedded[b.name];
  let response;
  try {
    response = await realFetch(b.url, {integrity: b.sri});
  } catch (e) {
    throw new Error("could not load neurograph from " + b.url + ": the request failed or the " +
                    "file does not match the hash it was built with");
  }
  if (!response.ok) throw new Error("could not load neurograph from " + b.url + ": HTTP " + response.status);
  return new Uint8Array(await response.arrayBuffer());
}

// -- starting -----------------------------------------------------------------------------------
let compiled = null;    // {stdlib, bundle}: the zips with .pyc files, kept from a visit before

async function startPython() {
  const {loadPyodide} = await importRuntimeModule("pyodide.mjs");
  const asm = await importRuntimeModule("pyodide.asm.mjs");
  return loadPyodide({indexURL: config.runtime.base, createPyodideModule: asm.default,
                      lockFileContents: config.runtime.lock, packageBaseUrl: config.runtime.base,
                      stdout: (s) => console.log(s), stderr: (s) => console.warn(s)});
}

function startNeurograph(py, bytes) {
  py.FS.mkdirTree("/neurograph");
  py.FS.writeFile("/neurograph/neurograph.zip", bytes);
  let model = config.model;
  if (config.modelFile) {
    py.FS.mkdirTree("/models");
    model = "/models/" + config.modelFile.name;
    py.FS.writeFile(model, config.modelFile.text);
  }
  py.globals.set("_ng_model", model);
  py.runPython(BOOT);
  session = py.globals.get("_ng_answer");
}

// after the first answers: compile what was imported, a module at a time between the
// page's requests, and keep it for the next visit
function keepCompiled(py, db, key) {
  let steps = null;
  const step = () => {
    try {
      steps = steps || py.runPython("_ng_compile_steps()");
      const r = steps.next();
      if (r.done) return;
      if (r.value === undefined || r.value === null) {
        setTimeout(step, 0);
        return;
      }
      const zips = r.value.toJs();
      cached(db, key, {stdlib: zips[0], bundle: zips[1]});
    } catch (e) {
      console.warn("neurograph: could not keep the compiled modules", e);
    }
  };
  setTimeout(step, 1000);
}

async function start(cfg, assets) {
  config = cfg;
  const t0 = performance.now();
  progress("Loading Python...");
  embedded = await unpackAll(assets);
  const db = config.pycache ? await openCache() : null;
  const key = [config.runtime.version, config.runtime.files["python_stdlib.zip"].sri,
               config.bundle.sri].join(" ");
  compiled = await cached(db, key);
  guardFetch();
  const py = await startPython();
  const t1 = performance.now();
  progress("Starting neurograph...");
  startNeurograph(py, compiled ? compiled.bundle : await bundleBytes());
  const t2 = performance.now();
  post({type: "ready", times: {python: t1 - t0, neurograph: t2 - t1, compiled: !!compiled}});
  if (db && !compiled) keepCompiled(py, db, key);
}

const BOOT = `
import sys
sys.path.insert(0, "/neurograph/neurograph.zip")
from neurograph.page.session import Session
_ng_answer = Session(_ng_model).answer
def _ng_compile_steps():
    from neurograph.page.bundle import bytecode_steps
    zips = []
    for path in ("/lib/python%d%d.zip" % sys.version_info[:2], "/neurograph/neurograph.zip"):
        for out in bytecode_steps(path):
            if out:
                zips.append(out)
            else:
                yield None
    yield tuple(zips)
`;

function explain(e) {
  const text = e && e.message ? e.message : String(e);
  return text.split("\n")[0];
}

self.onmessage = (ev) => {
  const m = ev.data;
  if (m.type === "start") {
    start(m.config, m.assets).catch(failOnce);
  } else if (m.type === "request") {
    let text;
    try {
      text = session(m.action, m.body);
    } catch (e) {
      text = JSON.stringify({status: 500, error: "internal error: " + explain(e)});
    }
    post({type: "answer", id: m.id, text: text});
  }
};
