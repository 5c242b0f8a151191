// The neurograph playground page.  It draws the state that the server's JSON API
// reports and sends the buttons' actions back; every number comes from the net's
// objects in Python (the page never computes a forward or backward pass).
"use strict";
(function () {
  const TOKEN = new URLSearchParams(location.search).get("token") || "";
  const SVGNS = "http://www.w3.org/2000/svg";
  const $ = (sel) => document.querySelector(sel);

  let state = null;          // the last /api/state answer
  let drawnModel = null;     // model id and layout the drawing was built for
  let els = {neurons: {}, connections: {}, biases: {}};
  let selected = null;       // {kind, name}
  let walk = null;           // {phase, steps}
  let walkPos = -1;
  let playing = false;
  let queue = Promise.resolve();

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

  function status(text, isError) {
    const s = $("#status");
    s.textContent = text || "";
    s.classList.toggle("error", !!isError);
  }

  // run one action after the previous one finished; report errors on the page
  function run(fn) {
    queue = queue.then(fn).catch((e) => { status(e.message, true); playing = false; showPlay(); });
    return queue;
  }

  // -- numbers -------------------------------------------------------------------
  function toNumber(s) {
    if (s === null || s === undefined) return NaN;
    const i = s.indexOf("/");
    return i > 0 ? Number(s.slice(0, i)) / Number(s.slice(i + 1)) : Number(s);
  }

  // a number string for people: *places* decimals, or the exact string when asked
  function fmt(s, places) {
    if (s === null || s === undefined) return "\u2013";
    if ($("#full").checked) return s;
    const x = toNumber(s);
    if (!isFinite(x)) return s;
    if (x === 0) return "0";
    const ax = Math.abs(x);
    if (ax >= 1e-4 && ax < 1e7) return x.toFixed(places);
    return x.toExponential(Math.min(places, 6));
  }

  // -- the drawing -------------------------------------------------------------------
  function svg(tag, attrs, parent) {
    const e = document.createElementNS(SVGNS, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  function layoutKey(st) {
    return st.model.id + "|" + st.neurons.length + "|" + st.connections.length;
  }

  function build(st) {
    const root = $("#net");
    while (root.firstChild) root.removeChild(root.firstChild);
    els = {neurons: {}, connections: {}, biases: {}};
    const layers = [];
    for (const n of st.neurons) (layers[n.layer] = layers[n.layer] || []).push(n);
    const most = Math.max(...layers.map((l) => l.length));
    const small = most <= 8 && st.connections.length <= 48;
    const gap = small ? 120 : Math.max(11, Math.min(40, 720 / most));
    const r = small ? 26 : Math.max(4, Math.min(14, gap * 0.4));
    const colW = small ? 230 : 200;
    const top = 40, left = 70;
    const height = top + most * gap + (small ? 30 : 20);
    const width = left * 2 + (layers.length - 1) * colW;
    root.setAttribute("viewBox", "0 0 " + width + " " + height);
    root.classList.toggle("big", st.connections.length > 200);
    const pos = {};
    layers.forEach((layer, L) => {
      const x = left + L * colW;
      const y0 = top + (most - layer.length) * gap / 2 + gap / 2;
      layer.forEach((n, k) => { pos[n.name] = {x: x, y: y0 + k * gap}; });
      const label = L === 0 ? "inputs" : (L === layers.length - 1 ? "outputs" : "hidden " + L);
      svg("text", {x: x, y: 16, "text-anchor": "middle", class: "layerlabel"}, root).textContent =
        label + " (" + layer.length + ")";
    });
    const wires = svg("g", {}, root);
    const labels = svg("g", {class: "labels"}, root);   // drawn on top, not clickable
    for (const c of st.connections) {
      const a = pos[c.src], b = pos[c.dst];
      const g = svg("g", {"data-connection": c.name}, wires);
      // a band along the line to hover and click (a line alone has no height when level)
      const len = Math.hypot(b.x - a.x, b.y - a.y), deg = Math.atan2(b.y - a.y, b.x - a.x) * 180 / Math.PI;
      svg("rect", {x: a.x, y: a.y - 6, width: len, height: 12, class: "hit",
                   transform: "rotate(" + deg.toFixed(3) + " " + a.x + " " + a.y + ")"}, g);
      const line = svg("line", {x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: "wire"}, g);
      let label = null, glabel = null;
      if (small) {
        const t = 0.7, x = a.x + (b.x - a.x) * t, y = a.y + (b.y - a.y) * t;
        label = svg("text", {x: x, y: y - 5, "text-anchor": "middle", class: "wlabel",
                             "data-label-for": c.name}, labels);
        glabel = svg("text", {x: x, y: y + 13, "text-anchor": "middle", class: "wlabel grad"}, labels);
      }
      els.connections[c.name] = {g: g, line: line, label: label, glabel: glabel};
    }
    const nodes = svg("g", {}, root);
    for (const n of st.neurons) {
      const p = pos[n.name];
      const g = svg("g", {"data-neuron": n.name,
                          class: "neuron" + (n.input ? " input" : "") + (n.output ? " output" : "")}, nodes);
      const circle = svg("circle", {cx: p.x, cy: p.y, r: r}, g);
      const e = {g: g, circle: circle};
      if (small || r >= 9) {
        svg("text", {x: p.x, y: p.y - r - 4, "text-anchor": "middle", class: "name"}, g).textContent = n.name;
      }
      if (!small && r >= 12) {
        e.amid = svg("text", {x: p.x, y: p.y + 3.5, "text-anchor": "middle", class: "val tiny"}, g);
      }
      if (small) {
        e.a = svg("text", {x: p.x, y: p.y + 4, "text-anchor": "middle", class: "val"}, g);
        e.z = svg("text", {x: p.x, y: p.y + r + 13, "text-anchor": "middle", class: "sub"}, g);
        e.delta = svg("text", {x: p.x, y: p.y + r + 25, "text-anchor": "middle", class: "sub delta"}, g);
      }
      els.neurons[n.name] = e;
      if (n.bias) {
        const bg = svg("g", {"data-parameter": n.bias, class: "bias"}, root);
        if (small) {
          svg("rect", {x: p.x - 30, y: p.y + r + 31, width: 60, height: 15, rx: 3}, bg);
          const t = svg("text", {x: p.x, y: p.y + r + 42, "text-anchor": "middle"}, bg);
          (els.biases[n.bias] = els.biases[n.bias] || []).push({g: bg, text: t});
        } else {
          svg("rect", {x: p.x + r + 1, y: p.y - 2.5, width: 5, height: 5}, bg);
          (els.biases[n.bias] = els.biases[n.bias] || []).push({g: bg, text: null});
        }
      }
    }
    drawnModel = layoutKey(st);
  }

  function setIf(e, attr, value) {
    if (e[attr] !== value) {
      e[attr] = value;
      e.line.setAttribute(attr, value);
    }
  }

  function fill(a) {
    const x = toNumber(a);
    if (!isFinite(x)) return "#f7fafc";
    const v = Math.max(0, Math.min(1, Math.abs(x)));
    return "hsl(" + (x < 0 ? 0 : 210) + ", 65%, " + (96 - 36 * v).toFixed(1) + "%)";
  }

  function update(st) {
    if (drawnModel !== layoutKey(st)) build(st);
    let most = 1e-12;
    for (const c of st.connections) most = Math.max(most, Math.abs(toNumber(c.weight)));
    const opacity = st.connections.length > 200 ? "0.45" : "0.8", plus = "#2b6cb0", minus = "#c53030";
    for (const c of st.connections) {
      const e = els.connections[c.name];
      if (!e) continue;
      const w = toNumber(c.weight);
      // set only what changed: a step moves most weights too little to change the drawing
      setIf(e, "stroke", w >= 0 ? plus : minus);
      setIf(e, "stroke-width", (0.6 + 4.4 * Math.abs(w) / most).toFixed(1));
      setIf(e, "stroke-opacity", opacity);
      if (e.label) {
        const g = toNumber(c.grad);
        e.label.textContent = c.name + " " + fmt(c.weight, 3);
        e.glabel.textContent = g !== 0 && isFinite(g) ? "\u2207 " + fmt(c.grad, 5) : "";
      }
    }
    for (const n of st.neurons) {
      const e = els.neurons[n.name];
      if (!e) continue;
      e.circle.setAttribute("fill", fill(n.a));
      if (e.amid) e.amid.textContent = n.a === null ? "" : toNumber(n.a).toFixed(2);
      if (e.a) {
        e.a.textContent = n.a === null ? "" : fmt(n.a, 4);
        e.z.textContent = n.z === null ? "" : "z " + fmt(n.z, 4);
        e.delta.textContent = n.delta === null ? "" : "\u03b4 " + fmt(n.delta, 4);
      }
    }
    for (const b of st.biases) {
      for (const e of els.biases[b.name] || []) {
        if (e.text) e.text.textContent = b.name + " " + fmt(b.value, 3);
      }
    }
  }

  // -- the loss and its chart ----------------------------------------------------------
  function showLoss(st) {
    let text = "loss (" + st.model.loss + ", this sample): " + (st.loss === null ? "no pass yet" : fmt(st.loss, 9));
    const h = st.history;
    if (h.length) {
      const last = h[h.length - 1];
      text += " \u00b7 epoch " + last.epoch + ": mean loss " + fmt(last.loss, 6) +
        (last.accuracy !== null ? ", accuracy " + fmt(last.accuracy, 4) : "");
    }
    if (st.outputs) text += " \u00b7 outputs " + st.outputs.map((o) => fmt(o, 6)).join(", ");
    $("#loss").textContent = text;
    const chart = $("#chart");
    while (chart.firstChild) chart.removeChild(chart.firstChild);
    const W = 320, H = 130, x0 = 34, y0 = 8, w = W - x0 - 8, hh = H - y0 - 22;
    svg("line", {x1: x0, y1: y0 + hh, x2: x0 + w, y2: y0 + hh, class: "axis"}, chart);
    svg("line", {x1: x0, y1: y0, x2: x0, y2: y0 + hh, class: "axis"}, chart);
    if (!h.length) {
      svg("text", {x: x0 + 8, y: y0 + hh / 2, class: "charttext"}, chart).textContent = "Train to see the loss per epoch";
      return;
    }
    const losses = h.map((r) => toNumber(r.loss));
    const top = Math.max(...losses.filter(isFinite), 1e-12);
    const px = (i) => x0 + (h.length === 1 ? w / 2 : i * w / (h.length - 1));
    const line = (vals, scale, cls) => {
      const pts = vals.map((v, i) => px(i).toFixed(1) + "," + (y0 + hh - hh * Math.max(0, v) / scale).toFixed(1));
      svg("polyline", {points: pts.join(" "), class: cls}, chart);
    };
    line(losses, top, "lossline");
    if (h[0].accuracy !== null) line(h.map((r) => toNumber(r.accuracy)), 1, "accline");
    svg("text", {x: 2, y: y0 + 8, class: "charttext"}, chart).textContent = fmt(String(top), 3);
    svg("text", {x: 2, y: y0 + hh, class: "charttext"}, chart).textContent = "0";
    svg("text", {x: x0, y: H - 6, class: "charttext"}, chart).textContent =
      "epochs 1\u2013" + h[h.length - 1].epoch + "   loss (red), accuracy (green, 0\u20131)";
  }

  // -- controls that mirror the state ---------------------------------------------
  function sampleLabel(st, i) { return "#" + i; }

  function syncControls(st) {
    const sel = $("#sample");
    if (sel.dataset.model !== String(st.model.id) || sel.options.length !== st.samples + 1) {
      while (sel.firstChild) sel.removeChild(sel.firstChild);
      const typed = document.createElement("option");
      typed.value = "";
      typed.textContent = "typed in";
      sel.appendChild(typed);
      for (let i = 0; i < st.samples; i++) {
        const o = document.createElement("option");
        o.value = String(i);
        o.textContent = "sample " + sampleLabel(st, i);
        sel.appendChild(o);
      }
      sel.dataset.model = String(st.model.id);
      for (const [id, names, cur] of [["#lossname", st.model.losses, st.model.loss],
                                       ["#optimizer", st.model.optimizers, st.model.optimizer]]) {
        const s = $(id);
        while (s.firstChild) s.removeChild(s.firstChild);
        for (const name of names) {
          const o = document.createElement("option");
          o.value = o.textContent = name;
          s.appendChild(o);
        }
        s.value = cur;
      }
      $("#title").textContent = st.model.title + " (" + st.model.number + ")";
    }
    sel.value = st.sample.index === null ? "" : String(st.sample.index);
    if (document.activeElement !== $("#x")) $("#x").value = st.sample.x.join(", ");
    if (document.activeElement !== $("#y")) $("#y").value = st.sample.y.join(", ");
    if (document.activeElement !== $("#lr")) $("#lr").value = st.model.lr;
    $("#lossname").value = st.model.loss;
    $("#optimizer").value = st.model.optimizer;
  }

  function render(st) {
    state = st;
    update(st);
    showLoss(st);
    syncControls(st);
    markSelection();
    markWalk();
  }

  // -- hover card and details ----------------------------------------------------------
  function find(kind, name) {
    if (!state) return null;
    const list = kind === "neuron" ? state.neurons : kind === "connection" ? state.connections : state.biases;
    return list.find((o) => o.name === name) || null;
  }

  function rows(kind, o, places) {
    if (kind === "neuron") {
      const out = [["neuron", o.name], ["layer", String(o.layer)]];
      if (!o.input) out.push(["activation", o.activation]);
      if (!o.input) out.push(["z", fmt(o.z, places)]);
      out.push(["a", fmt(o.a, places)]);
      if (!o.input) {
        out.push(["dE/da", fmt(o.grad_a, places)]);
        out.push(["delta", fmt(o.delta, places)]);
        if (o.bias) {
          const b = find("bias", o.bias);
          out.push(["bias " + o.bias, fmt(b && b.value, places)]);
        }
      }
      return out;
    }
    if (kind === "connection") {
      return [["connection", o.name], ["from", o.src], ["to", o.dst],
              ["weight", fmt(o.weight, places)], ["grad dE/dw", fmt(o.grad, places)]];
    }
    return [["bias", o.name], ["value", fmt(o.value, places)], ["grad dE/db", fmt(o.grad, places)]];
  }

  function targetOf(node) {
    const el = node && node.closest && node.closest("[data-neuron],[data-connection],[data-parameter]");
    if (!el) return null;
    if (el.dataset.neuron !== undefined) return {kind: "neuron", name: el.dataset.neuron};
    if (el.dataset.connection !== undefined) return {kind: "connection", name: el.dataset.connection};
    return {kind: "bias", name: el.dataset.parameter};
  }

  function showCard(ev) {
    const t = targetOf(ev.target);
    const card = $("#card");
    const o = t && find(t.kind, t.name);
    if (!o) { card.hidden = true; return; }
    card.textContent = rows(t.kind, o, 6).map((r) => r[0] + ": " + r[1]).join("\n") +
      ($("#full").checked ? "" : "\n(full precision: the checkbox above)");
    card.hidden = false;
    card.style.left = Math.min(ev.clientX + 14, window.innerWidth - card.offsetWidth - 8) + "px";
    card.style.top = Math.min(ev.clientY + 14, window.innerHeight - card.offsetHeight - 8) + "px";
  }

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  async function showDetails() {
    const box = $("#details");
    const o = selected && find(selected.kind, selected.name);
    if (!o) return;
    const editing = document.activeElement && document.activeElement.matches("input[data-edit]");
    if (editing) return;
    box.textContent = "";
    box.appendChild(el("h2", selected.kind + " " + o.name));
    const table = el("table");
    for (const [k, v] of rows(selected.kind, o, 9)) {
      const tr = el("tr");
      tr.appendChild(el("td", k));
      tr.appendChild(el("td", v));
      table.appendChild(tr);
    }
    box.appendChild(table);
    if (selected.kind !== "neuron") {
      const value = selected.kind === "connection" ? o.weight : o.value;
      const label = el("label", (selected.kind === "connection" ? "new weight " : "new value ") + "(Enter) ");
      const input = el("input");
      input.setAttribute("data-edit", o.name);
      input.value = value;
      input.spellcheck = false;
      label.appendChild(input);
      box.appendChild(label);
    }
    const pre = el("pre", "");
    box.appendChild(pre);
    const isInput = selected.kind === "neuron" && o.input;
    if (isInput) {
      pre.textContent = "an input: its a is the sample's value";
    } else if (state.phase !== "backward") {
      pre.textContent = "Press Backward to see the chain rule for " + o.name + ".";
    } else {
      const name = o.name;
      try {
        const ex = await request("explain", {name: name});
        if (selected && selected.name === name) pre.textContent = ex.text;
      } catch (e) {
        pre.textContent = e.message;
      }
    }
  }

  function markSelection() {
    for (const e of document.querySelectorAll(".selected")) e.classList.remove("selected");
    if (!selected) return;
    const attr = selected.kind === "neuron" ? "data-neuron" : selected.kind === "connection" ? "data-connection" : "data-parameter";
    for (const e of document.querySelectorAll("[" + attr + "]")) {
      if (e.getAttribute(attr) === selected.name) e.classList.add("selected");
    }
  }

  // -- walking neuron by neuron ----------------------------------------------------------
  function markWalk() {
    for (const e of document.querySelectorAll(".current, .uses")) e.classList.remove("current", "uses");
    const box = $("#walk");
    if (!walk || walkPos < 0 || walkPos >= walk.steps.length) { box.textContent = ""; $("#walk-pos").textContent = ""; return; }
    const s = walk.steps[walkPos];
    const n = els.neurons[s.neuron];
    if (n) n.g.classList.add("current");
    for (const c of s.connections) if (els.connections[c]) els.connections[c].g.classList.add("current");
    for (const c of s.uses) if (els.connections[c]) els.connections[c].g.classList.add("uses");
    if (s.bias) for (const b of els.biases[s.bias] || []) b.g.classList.add("current");
    $("#walk-pos").textContent = (walkPos + 1) + " / " + walk.steps.length + ": " + s.neuron;
    box.textContent = "";
    box.appendChild(el("h2", walk.phase + " pass, step " + (walkPos + 1) + " of " + walk.steps.length + ": neuron " + s.neuron));
    box.appendChild(el("pre", s.lines.join("\n")));
  }

  async function next() {
    const phase = $("#walk-phase").value;
    if (!walk || walk.phase !== phase || walkPos >= walk.steps.length - 1) {
      const w = await request("walk", {phase: phase});
      walk = {phase: w.phase, steps: w.steps};
      walkPos = 0;
      render(w.state);
      await showDetails();
      status(phase + " pass recorded: " + w.steps.length + " neurons, in the order the net computed them");
      return;
    }
    walkPos += 1;
    markWalk();
  }

  // -- actions ---------------------------------------------------------------------------
  async function act(action, body, message) {
    const st = await request(action, body);
    walk = null;
    walkPos = -1;
    render(st);
    await showDetails();
    status(message || "");
  }

  function showPlay() {
    const b = document.querySelector('[data-action="play"]');
    b.textContent = playing ? "Pause" : "Play";
    b.classList.toggle("on", playing);
  }

  async function play() {
    while (playing) {
      const st = await request("train", {epochs: 1});
      walk = null;
      render(st);
      status("training: epoch " + st.history.length);
      await new Promise((r) => setTimeout(r, 0));
    }
    await showDetails();
  }

  // Save: the net as a model file, through request("model") like every other call
  async function save() {
    const model = await request("model");
    const blob = new Blob([JSON.stringify(model, null, 1)], {type: "application/json"});
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "model.json";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    status("saved model.json");
  }

  function numbersOf(text) {
    return text.split(",").map((s) => s.trim()).filter((s) => s.length);
  }

  const ACTIONS = {
    forward: () => act("forward", {}, "forward pass done"),
    backward: () => act("backward", {}, "backward pass done: deltas and gradients"),
    step: () => act("step", {}, "one optimizer step"),
    reset: () => { selected = null; $("#details").textContent = ""; return act("reset", {}, "reset"); },
    train: () => act("train", {epochs: Math.max(1, Math.min(1000, parseInt($("#epochs").value, 10) || 1))}, "trained"),
    next: next,
    save: save,
  };

  document.addEventListener("click", (ev) => {
    const b = ev.target.closest && ev.target.closest("[data-action]");
    if (b) {
      const name = b.dataset.action;
      if (name === "play") {
        playing = !playing;
        showPlay();
        if (playing) run(play);
        return;
      }
      if (ACTIONS[name]) run(ACTIONS[name]);
      return;
    }
    const t = targetOf(ev.target);
    if (t && ev.target.closest("#net")) {
      selected = t;
      markSelection();
      run(showDetails);
    }
  });

  document.addEventListener("keydown", (ev) => {
    const t = ev.target;
    if (ev.key === "Enter" && t.matches && t.matches("input[data-edit]")) {
      const name = t.getAttribute("data-edit"), value = t.value.trim();
      t.blur();
      run(() => act("edit", {name: name, value: value}, name + " = " + value));
    } else if (ev.key === "Escape" && t.matches && t.matches("input[data-edit]")) {
      t.blur();
      run(showDetails);
    } else if (ev.key === "Enter" && (t.id === "x" || t.id === "y")) {
      run(() => act("sample", {x: numbersOf($("#x").value), y: numbersOf($("#y").value)}, "sample typed in"));
    } else if (ev.key === "Enter" && t.id === "lr") {
      run(() => act("settings", {lr: $("#lr").value.trim()}, "learning rate " + $("#lr").value.trim()));
    }
  });

  document.addEventListener("change", (ev) => {
    const t = ev.target;
    if (t.id === "sample" && t.value !== "") {
      run(() => act("sample", {index: parseInt(t.value, 10)}, "sample #" + t.value));
    } else if (t.id === "lossname" || t.id === "optimizer") {
      run(() => act("settings", {loss: $("#lossname").value, optimizer: $("#optimizer").value}, "settings changed"));
    } else if (t.id === "full") {
      if (state) render(state);
      run(showDetails);
    } else if (t.id === "load" && t.files.length) {
      const file = t.files[0];
      run(async () => {
        let data;
        try { data = JSON.parse(await file.text()); } catch (e) { throw new Error(file.name + " is not JSON: " + e.message); }
        selected = null;
        $("#details").textContent = "";
        await act("load", data, "loaded " + file.name);
        t.value = "";
      });
    } else if (t.id === "walk-phase") {
      walk = null;
      walkPos = -1;
      markWalk();
    }
  });

  const net = $("#net");
  net.addEventListener("mousemove", showCard);
  net.addEventListener("mouseleave", () => { $("#card").hidden = true; });

  // Start: a transport that needs time (Python loading in a worker) says so first
  function lock(on) {
    for (const b of document.querySelectorAll("button, input, select")) b.disabled = on;
  }

  run(async () => {
    if (TRANSPORT) {
      if (TRANSPORT.ready) {
        lock(true);
        status("Loading Python...");
        try { await TRANSPORT.ready; } finally { lock(false); }
      }
    } else if (!TOKEN) {
      throw new Error("no token in the address: open the URL that 'neurograph serve' printed");
    }
    render(await request("state"));
    status("ready");
  });
})();
