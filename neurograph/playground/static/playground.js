// The neurograph playground page, part 4 of 4: talking to Python, and the buttons.
// It draws the state that the Playground's actions answer and sends every control back
// as an action; every number comes from the net's objects in Python (the page never
// computes a forward or backward pass).
"use strict";
(function () {
  const NG = window.NG, P = NG.panels, D = NG.draw, $ = NG.$;
  const TOKEN = new URLSearchParams(location.search).get("token") || "";

  // -- talking to the server: the page's ONE request function ---------------------
  // request(action, body) -> Promise of the answer object.  `action` is a Playground
  // action (Playground.act(name, body) in Python), `body` a JSON-able object or undefined.
  // It rejects with an Error whose .status is the HTTP-like status (400, 404, 413, 500)
  // and .message the server's text.  When window.neurographTransport exists as the page
  // starts (the no-install page: Pyodide in a Web Worker), every request goes to its
  // request(action, body), which keeps the same contract; otherwise fetch() asks the
  // local server, which maps its URLs to the same actions.
  const TRANSPORT = window.neurographTransport || null;
  const URLS = {state: ["GET", "/api/state"], model: ["GET", "/api/model"],
                load: ["POST", "/api/model"]};

  function failure(status, message) {
    const e = new Error(message || "HTTP " + status);
    e.status = status;
    return e;
  }

  async function request(action, body) {
    if (TRANSPORT) return TRANSPORT.request(action, body);
    const [method, path] = URLS[action] || ["POST", "/api/" + action];
    const opts = {method: method, headers: {"X-Neurograph-Token": TOKEN}, cache: "no-store"};
    if (method === "POST") {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body === undefined ? {} : body);
    }
    let r;
    try { r = await fetch(path, opts); } catch (e) { throw failure(0, "the server does not answer: " + e.message); }
    let data;
    try { data = await r.json(); } catch (e) { data = {error: "HTTP " + r.status}; }
    if (!r.ok) throw failure(r.status, data && data.error);
    return data;
  }
  NG.request = request;

  // -- the state on the page ----------------------------------------------------------
  let state = null, selected = null, running = null, heat = null;
  let queue = Promise.resolve();

  // run one action after the previous one finished; report errors on the page.
  // NG.pending counts the actions queued or running (scripts and tests wait for 0).
  NG.pending = 0;
  function run(fn) {
    NG.pending += 1;
    queue = queue.then(fn).catch((e) => { NG.status(e.message, true); running = null; showRunning(); })
      .finally(() => { NG.pending -= 1; });
    return queue;
  }

  function netArea() {
    const box = $("#netbox");
    const W = Math.max(300, box.clientWidth - 2);
    const top = box.getBoundingClientRect().top + window.scrollY;
    const phone = window.innerWidth < 760;
    const H = phone ? Math.max(340, Math.min(560, W * 1.2)) : Math.max(360, window.innerHeight - top - 14);
    return {W: W, H: H};
  }

  function render(st) {
    state = st;
    const {W, H} = netArea();
    const rebuilt = D.needsBuild(st, W, H);
    if (rebuilt) D.build(st, W, H);
    if (rebuilt || $("#layers").dataset.key !== JSON.stringify(st.architecture)) {
      P.layerControls(st);
      $("#layers").dataset.key = JSON.stringify(st.architecture);
    }
    D.update(st);
    if (heat && heat.model === st.model.id && heat.heatmaps) D.heatmaps(heat.heatmaps);
    P.lossText(st, st.history);
    P.chart(st.history, st.model.classification);
    P.controls(st);
    P.walk(st);
    P.plane(st, heat && heat.model === st.model.id ? heat.heatmaps : null);
    D.mark(selected, st.walk && st.walk.step);
  }

  async function pictures() {
    if (!state || !state.data.planar) return;
    heat = await request("heatmaps", {});
    if (heat.model === state.model.id) {
      D.heatmaps(heat.heatmaps);
      P.plane(state, heat.heatmaps);
    }
  }

  async function act(action, body, message) {
    P.lastAnswer = null;
    const st = await request(action, body);
    render(st);
    await pictures();
    await showDetails();
    NG.status(message || "");
  }

  // -- hover card and details ----------------------------------------------------------
  function find(kind, name) {
    if (!state) return null;
    const list = kind === "neuron" ? state.neurons : kind === "connection" ? state.connections : state.biases;
    return list.find((o) => o.name === name) || null;
  }

  function rows(kind, o, places) {
    const f = (v) => NG.fmt(v, places);
    if (kind === "neuron") {
      const out = [["neuron", o.name], ["layer", String(o.layer)]];
      if (!o.input) out.push(["activation", o.activation], ["z", f(o.z)]);
      out.push(["a", f(o.a)]);
      if (!o.input) {
        out.push(["dE/da", f(o.grad_a)], ["delta", f(o.delta)]);
        if (o.bias) { const b = find("bias", o.bias); out.push(["bias " + o.bias, f(b && b.value)]); }
      }
      return out;
    }
    if (kind === "connection") {
      const out = [["connection", o.name], ["from", o.src], ["to", o.dst]];
      if (o.delay) out.push(["delay", o.delay + " step" + (o.delay > 1 ? "s" : "")]);
      return out.concat([["weight", f(o.weight)], ["grad dE/dw", f(o.grad)]]);
    }
    return [["bias", o.name], ["value", f(o.value)], ["grad dE/db", f(o.grad)]];
  }

  function targetOf(node) {
    const el = node && node.closest && node.closest("[data-neuron],[data-connection],[data-parameter]");
    if (!el) return null;
    if (el.dataset.neuron !== undefined) return {kind: "neuron", name: el.dataset.neuron};
    if (el.dataset.connection !== undefined) return {kind: "connection", name: el.dataset.connection};
    return {kind: "bias", name: el.dataset.parameter};
  }

  let hovered = null;
  function showCard(ev) {
    const t = targetOf(ev.target);
    const card = $("#card");
    const key = t ? t.kind + ":" + t.name : null;
    if (key !== hovered) {
      if (hovered && hovered.startsWith("neuron:")) D.focus(hovered.slice(7), false);
      for (const e of NG.$$(".clabel.hover")) e.classList.remove("hover");
      if (t && t.kind === "neuron") D.focus(t.name, true);
      if (t && t.kind === "connection") for (const e of NG.$$('.clabel[data-connection="' + CSS.escape(t.name) + '"]')) e.classList.add("hover");
      hovered = key;
      if (selected) D.mark(selected, state && state.walk && state.walk.step);
    }
    const o = t && find(t.kind, t.name);
    if (!o) { card.hidden = true; return; }
    card.textContent = rows(t.kind, o, 6).map((r) => r[0] + ": " + r[1]).join("\n");
    card.hidden = false;
    card.style.left = Math.min(ev.clientX + 14, window.innerWidth - card.offsetWidth - 8) + "px";
    card.style.top = Math.min(ev.clientY + 14, window.innerHeight - card.offsetHeight - 8) + "px";
  }

  async function showDetails() {
    const box = $("#details");
    const o = selected && find(selected.kind, selected.name);
    if (!o) return;
    if (document.activeElement && document.activeElement.matches("input[data-edit]")) return;
    NG.clear(box);
    NG.el("h2", selected.kind + " " + o.name, null, box);
    const table = NG.el("table", null, null, box);
    for (const [k, v] of rows(selected.kind, o, 9)) {
      const tr = NG.el("tr", null, null, table);
      NG.el("td", k, null, tr);
      NG.el("td", v, null, tr);
    }
    if (selected.kind !== "neuron") {
      const label = NG.el("label", (selected.kind === "connection" ? "new weight " : "new value ") + "(Enter) ", null, box);
      const input = NG.el("input", null, null, label);
      input.setAttribute("data-edit", o.name);
      input.value = selected.kind === "connection" ? o.weight : o.value;
      input.spellcheck = false;
    }
    const out = NG.el("div", null, "explain", box);
    if (selected.kind === "neuron" && o.input) { NG.el("p", "an input: its a is the sample's value", "hint", out); return; }
    const name = o.name;
    const update = !!(state.update && selected.kind !== "neuron" && !state.walk);
    if (!update && !state.walk && state.phase !== "backward") {
      NG.el("p", "Press Backward to see the chain rule for " + name + ".", "hint", out);
      return;
    }
    const body = {name: name};
    if (update) body.update = true;
    if (state.time && selected.kind === "neuron" && state.time.at !== null) body.step = state.time.at;
    try {
      const ex = await request("explain", body);
      if (!selected || selected.name !== name) return;
      if (ex.update) {
        NG.el("p", "The last Step (" + ex.update.optimizer + "): " + NG.fmt(ex.update.before, 9) + " \u2192 " +
              NG.fmt(ex.update.after, 9), "update", out).setAttribute("data-update", name);
      }
      NG.equations(out, ex.lines, ex.mathml);
    } catch (e) {
      NG.el("p", e.message, "hint", out);
    }
  }

  // -- walking, the quiz -------------------------------------------------------------------
  async function next() {
    P.lastAnswer = null;
    const phase = $("#walk-phase").value;
    if (!state.walk || state.walk.phase !== phase) {
      const w = await request("walk", {phase: phase});
      render(w.state);
      await showDetails();
      NG.status(phase + " pass recorded: " + w.total + " steps, in the order the net computed them");
      return;
    }
    const st = await request("next", {});
    render(st);
    await showDetails();
    NG.status(st.walk ? "" : "the whole " + phase + " pass is shown");
  }

  async function quiz() {
    P.lastAnswer = null;
    const phase = $("#walk-phase").value;
    const w = await request("quiz", {phase: phase});
    render(w.state);
    NG.status("quiz: work out each number of the " + phase + " pass; the page checks it");
    const f = $("input[data-answer]");
    if (f) f.focus();
  }

  async function check() {
    const f = $("input[data-answer]");
    if (!f) return;
    const a = await request("answer", {name: f.getAttribute("data-answer"), answer: f.value.trim()});
    P.lastAnswer = P.answerResult(a);
    render(a.state);
    NG.status(a.correct ? a.name + " is right" : a.name + ": " + a.diagnosis);
    const g = $("input[data-answer]");
    if (g) g.focus();
  }

  // -- training ------------------------------------------------------------------------------
  function showRunning() {
    const b = $('[data-action="play"]');
    b.textContent = running ? "Pause" : "Play";
    b.classList.toggle("on", !!running);
  }

  function lastEpoch(rows) { return rows.length ? rows[rows.length - 1].epoch : 0; }

  async function train() {
    let left = Math.max(1, Math.min(100000, parseInt($("#epochs").value, 10) || 1));
    running = "train";
    showRunning();
    while (left > 0 && running === "train") {
      const before = lastEpoch(state.history);
      const st = await request("train", {epochs: left, seconds: 0.2});
      left -= lastEpoch(st.history) - before;
      render(st);
      await pictures();
      NG.status("training: epoch " + lastEpoch(st.history) + (left > 0 ? ", " +
                Math.round(100 * st.progress) + "% of the next" : ""));
    }
    running = null;
    showRunning();
    await showDetails();
    NG.status(left > 0 ? "paused" : "trained");
  }

  function applyFrame(f) {
    const rows = state.history;
    for (const r of f.history) if (r.epoch > lastEpoch(rows)) rows.push(r);
    state.loss = f.loss;
    state.outputs = f.outputs;
    D.frame(f.values);
    if (f.heatmaps) {
      heat = {model: f.model, heatmaps: f.heatmaps};
      D.heatmaps(f.heatmaps);
      P.plane(state, f.heatmaps);
    }
    P.lossText(state, rows);
    P.chart(rows, state.model.classification);
    $('[data-readout="epoch"]').textContent = "epoch " + f.epoch;
    NG.stats.epoch = f.epoch;
    NG.stats.frames += 1;
  }

  async function play() {
    running = "play";
    showRunning();
    NG.stats = {frames: 0, epoch: lastEpoch(state.history), start: performance.now(), waiting: 0,
                drawing: 0};
    const planar = !!state.data.planar;
    while (running === "play") {
      const t0 = performance.now();
      const f = await request("play", {epochs: 100000, seconds: planar ? 0.1 : 0.06, heatmaps: planar,
                                       since: lastEpoch(state.history)});
      const t1 = performance.now();
      if (f.model !== state.model.id) break;
      applyFrame(f);
      NG.stats.waiting += t1 - t0;
      NG.stats.drawing += performance.now() - t1;
      await new Promise((r) => requestAnimationFrame(() => r()));
    }
    render(await request("state"));
    await showDetails();
    NG.status("paused at epoch " + lastEpoch(state.history));
  }
  NG.stats = {frames: 0, epoch: 0, start: 0, waiting: 0, drawing: 0};

  async function save() {
    const model = await request("model");
    const blob = new Blob([JSON.stringify(model, null, 1)], {type: "application/json"});
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = (state.model.title.replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 40) || "model") + ".json";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    NG.status("saved " + a.download);
  }

  // -- the architecture buttons -----------------------------------------------------------------
  function architecture(change) {
    const a = state.architecture;
    const hidden = a.hidden.slice(), acts = a.activations.slice();
    change(hidden, acts);
    return act("architecture", {hidden: hidden, activations: acts},
               "new net: " + [state.neurons.filter((n) => n.input).length].concat(hidden).join("-") + "-" +
               state.neurons.filter((n) => n.output).length);
  }

  const ACTIONS = {
    forward: () => act("forward", {}, "forward pass done"),
    backward: () => act("backward", {}, "backward pass done: deltas and gradients"),
    step: () => act("step", {}, "one optimizer step: click a weight to see its update"),
    reset: () => { selected = null; NG.clear($("#details")); return act("reset", {}, "reset to the start"); },
    train: train,
    next: next,
    prev: () => act("prev", {}, ""),
    quiz: quiz,
    check: check,
    save: save,
    regenerate: () => act("dataset", {regenerate: true}, "new points"),
    "add-layer": () => architecture((h, a) => { h.push(h.length ? h[h.length - 1] : 4); a.push(a.length ? a[a.length - 1] : "tanh"); }),
    "remove-layer": () => architecture((h, a) => { h.pop(); a.pop(); }),
  };

  // -- events ----------------------------------------------------------------------------------
  document.addEventListener("click", (ev) => {
    const b = ev.target.closest && ev.target.closest("[data-action],[data-time-step]");
    if (b && b.disabled) return;
    if (b && b.dataset.timeStep !== undefined) {
      run(() => act("time", {step: Number(b.dataset.timeStep)}, "time step " + b.dataset.timeStep));
      return;
    }
    if (b) {
      const name = b.dataset.action;
      if (name === "play") {
        if (running) { running = null; showRunning(); return; }
        run(play);
        return;
      }
      if (name === "add-neuron" || name === "remove-neuron") {
        const K = Number(b.dataset.layer) - 1;
        run(() => architecture((h) => { h[K] += name === "add-neuron" ? 1 : -1; }));
        return;
      }
      if (ACTIONS[name]) run(ACTIONS[name]);
      return;
    }
    const t = targetOf(ev.target);
    if (t && ev.target.closest("#net")) {
      selected = t;
      D.mark(selected, state && state.walk && state.walk.step);
      run(showDetails);
    }
  });

  function numbersOf(text) { return text.split(",").map((s) => s.trim()).filter((s) => s.length); }

  function typed(text) {
    if (!state.model.recurrent) return numbersOf(text);
    return text.split(";").map((s) => s.trim()).map((s) => (s === "-" || s === "" ? null : numbersOf(s)));
  }

  function setting(t) {
    const key = t.id === "lr" ? "lr" : t.dataset.control;
    const value = key === "batch" ? parseInt(t.value, 10) : t.value.trim();
    run(() => act("settings", {[key]: value}, key + " " + t.value.trim()));
  }

  document.addEventListener("keydown", (ev) => {
    const t = ev.target;
    if (ev.key !== "Enter" && ev.key !== "Escape") return;
    if (t.matches && t.matches("input[data-edit]")) {
      const name = t.getAttribute("data-edit"), value = t.value.trim();
      t.blur();
      if (ev.key === "Enter") run(() => act("edit", {name: name, value: value}, name + " = " + value));
      else run(showDetails);
    } else if (ev.key === "Enter" && t.matches && t.matches("input[data-answer]")) {
      run(check);
    } else if (ev.key === "Enter" && (t.id === "x" || t.id === "y")) {
      if (!$("#x").dataset.dirty && !$("#y").dataset.dirty) return;      // (nothing typed)
      const body = {};
      if ($("#x").dataset.dirty) body.x = typed($("#x").value);
      if ($("#y").dataset.dirty) body.y = typed($("#y").value);
      run(() => act("sample", body, "sample typed in: forward pass"));
    } else if (ev.key === "Enter" && (t.id === "lr" || ["momentum", "weight_decay", "batch"].includes(t.dataset.control))) {
      t.blur();
    }
  });

  document.addEventListener("change", (ev) => {
    const t = ev.target;
    const c = t.dataset && t.dataset.control;
    if (t.id === "sample" && t.value !== "") {
      run(() => act("sample", {index: parseInt(t.value, 10)}, "sample #" + t.value + ": forward pass"));
    } else if (t.id === "lossname" || t.id === "optimizer") {
      run(() => act("settings", {loss: $("#lossname").value, optimizer: $("#optimizer").value}, "settings changed"));
    } else if (t.id === "lr" || c === "momentum" || c === "weight_decay" || c === "batch") {
      setting(t);
    } else if (c === "dataset") {
      selected = null;
      run(() => act("dataset", {kind: t.value}, "data: " + t.value));
    } else if (c === "noise" || c === "split") {
      run(() => act("dataset", {[c]: parseInt(t.value, 10)}, c + " " + t.value + "%"));
    } else if (t.dataset && t.dataset.feature !== undefined) {
      const fs = NG.$$("input[data-feature]").filter((b) => b.checked).map((b) => b.dataset.feature);
      run(() => act("dataset", {features: fs}, "features: " + fs.join(", ")));
    } else if (c === "activation") {
      const K = Number(t.dataset.layer) - 1;
      run(() => architecture((h, a) => { a[K] = t.value; }));
    } else if (t.id === "full") {
      if (state) render(state);
      run(showDetails);
    } else if (t.id === "load" && t.files.length) {
      const file = t.files[0];
      run(async () => {
        let data;
        try { data = JSON.parse(await file.text()); } catch (e) { throw new Error(file.name + " is not JSON: " + e.message); }
        selected = null;
        NG.clear($("#details"));
        await act("load", data, "loaded " + file.name);
        if (state.notice) NG.status("loaded " + file.name + ": " + state.notice);
        t.value = "";
      });
    } else if (t.id === "walk-phase" && state && state.walk) {
      run(() => act("state", undefined, ""));
    }
  });

  document.addEventListener("input", (ev) => {
    if (ev.target.id === "x" || ev.target.id === "y") ev.target.dataset.dirty = "1";
  });

  const net = $("#net");
  net.addEventListener("mousemove", showCard);
  net.addEventListener("mouseleave", () => {
    $("#card").hidden = true;
    if (hovered && hovered.startsWith("neuron:")) D.focus(hovered.slice(7), false);
    for (const e of NG.$$(".clabel.hover")) e.classList.remove("hover");
    hovered = null;
    if (state) D.mark(selected, state.walk && state.walk.step);
  });

  let resizing = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => { if (state && !running) run(async () => { render(state); }); }, 150);
  });

  // Start: a transport that needs time (Python loading in a worker) says so first, with
  // every control disabled; they stay disabled if Python cannot start (the error says why)
  function lock(on) {
    for (const b of NG.$$("button, input, select")) b.disabled = on;
  }

  run(async () => {
    if (TRANSPORT) {
      if (TRANSPORT.ready) {
        lock(true);
        NG.status("Loading Python...");
        await TRANSPORT.ready;
        lock(false);
      }
    } else if (!TOKEN) {
      throw new Error("no token in the address: open the URL that 'neurograph serve' printed");
    }
    render(await request("state"));
    await pictures();
    NG.status("ready");
  });
})();
