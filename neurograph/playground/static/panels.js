// The neurograph playground page, part 3 of 4: the panels beside the net.
// The loss chart (train and test loss per epoch; accuracy on its own 0-1 axis, only for
// data with classes), the plane of a 2-D data set (the output's heatmap behind the
// training and test points), the walk's step, the quiz, and the controls that mirror
// the state (sample, data, settings, architecture, time steps).
"use strict";
(function () {
  const NG = window.NG;
  const P = NG.panels = {};
  const $ = NG.$;

  // -- the loss: a line of text and the chart ---------------------------------------------
  P.lossText = function (st, history) {
    let text = "loss (" + st.model.loss + ", this sample): " +
      (st.loss === null ? "no pass yet" : NG.fmt(st.loss, 9));
    if (history.length) {
      const last = history[history.length - 1];
      text += " \u00b7 epoch " + last.epoch + ": train " + NG.fmt(last.loss, 6) +
        (last.test_loss !== null ? ", test " + NG.fmt(last.test_loss, 6) : "") +
        (last.accuracy !== null ? ", accuracy " + NG.fmt(last.accuracy, 4) : "");
    }
    if (st.outputs && st.outputs.every((o) => o !== null)) {
      text += " \u00b7 outputs " + st.outputs.map((o) => NG.fmt(o, 6)).join(", ");
    }
    $("#losstext").textContent = text;
  };

  function series(chart, rows, key, scale, box, name) {
    const pts = [];
    const n = rows.length;
    rows.forEach((r, i) => {
      const v = NG.toNumber(r[key]);
      if (!isFinite(v)) return;
      const x = box.x + (n === 1 ? box.w / 2 : i * box.w / (n - 1));
      const y = box.y + box.h - box.h * Math.max(0, Math.min(1, v / scale));
      pts.push(x.toFixed(1) + "," + y.toFixed(1));
    });
    if (pts.length) NG.svg("polyline", {points: pts.join(" "), class: "line " + name, "data-series": name}, chart);
  }

  function thin(rows, most) {
    if (rows.length <= most) return rows;
    const out = [], step = (rows.length - 1) / (most - 1);
    for (let i = 0; i < most; i++) out.push(rows[Math.round(i * step)]);
    return out;
  }

  P.chart = function (history, classification) {
    const chart = $("#chart");
    NG.clear(chart);
    const W = 320, H = 130, box = {x: 40, y: 8, w: W - 48, h: H - 30};
    NG.svg("line", {x1: box.x, y1: box.y + box.h, x2: box.x + box.w, y2: box.y + box.h, class: "axis"}, chart);
    NG.svg("line", {x1: box.x, y1: box.y, x2: box.x, y2: box.y + box.h, class: "axis"}, chart);
    const acc = $("#accchart");
    const noAcc = !classification || !history.length;
    acc.toggleAttribute("hidden", noAcc);
    if (!history.length) {
      NG.svg("text", {x: box.x + 8, y: box.y + box.h / 2, class: "charttext"}, chart).textContent =
        "Train to see the loss per epoch";
      return;
    }
    const rows = thin(history, 400);
    let top = 1e-12;
    for (const r of rows) for (const k of ["loss", "test_loss"]) {
      const v = NG.toNumber(r[k]);
      if (isFinite(v)) top = Math.max(top, v);
    }
    series(chart, rows, "loss", top, box, "train");
    series(chart, rows, "test_loss", top, box, "test");
    NG.svg("text", {x: 2, y: box.y + 8, class: "charttext"}, chart).textContent = NG.fmt(String(top), 3, true);
    NG.svg("text", {x: 2, y: box.y + box.h, class: "charttext"}, chart).textContent = "0";
    const last = history[history.length - 1].epoch;
    NG.svg("text", {x: box.x, y: H - 6, class: "charttext"}, chart).textContent =
      "loss per epoch 1\u2013" + last + ":  train (red), test (purple, dashed)";
    if (noAcc) return;
    NG.clear(acc);
    const ab = {x: 40, y: 6, w: W - 48, h: 46};
    NG.svg("line", {x1: ab.x, y1: ab.y + ab.h, x2: ab.x + ab.w, y2: ab.y + ab.h, class: "axis"}, acc);
    NG.svg("line", {x1: ab.x, y1: ab.y, x2: ab.x, y2: ab.y + ab.h, class: "axis"}, acc);
    series(acc, rows, "accuracy", 1, ab, "accuracy");
    series(acc, rows, "test_accuracy", 1, ab, "test-accuracy");
    NG.svg("text", {x: 2, y: ab.y + 8, class: "charttext"}, acc).textContent = "1";
    NG.svg("text", {x: 2, y: ab.y + ab.h, class: "charttext"}, acc).textContent = "0";
    NG.svg("text", {x: ab.x, y: 68, class: "charttext"}, acc).textContent =
      "accuracy (0\u20131): train (green), test (dashed)";
  };

  // -- the plane of 2-D data: the output's heatmap behind the points ---------------------------
  const grid = document.createElement("canvas");
  P.plane = function (st, heat) {
    const box = $("#plane");
    const d = st.data;
    box.hidden = !(d && d.planar && d.points);
    if (box.hidden) return;
    const canvas = $('canvas[data-heatmap="output"]');
    if (heat && heat.maps && heat.maps.output) {
      const size = heat.size;
      grid.width = grid.height = size;
      const gctx = grid.getContext("2d");
      const img = gctx.createImageData(size, size);
      heat.maps.output.forEach((v, i) => {
        const rgb = heat.classes ? NG.classColour(v) : NG.shade(v / 100 * 0.55);   // (points show)
        img.data.set([rgb[0], rgb[1], rgb[2], heat.classes ? 150 : 255], 4 * i);
      });
      gctx.putImageData(img, 0, 0);
      const ctx = canvas.getContext("2d");
      ctx.imageSmoothingEnabled = true;
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(grid, 0, 0, canvas.width, canvas.height);
      canvas.dataset.drawn = "1";
    }
    if (box.dataset.points === String(st.model.id) + "|" + d.seed + "|" + d.split + "|" + d.noise) return;
    box.dataset.points = String(st.model.id) + "|" + d.seed + "|" + d.split + "|" + d.noise;
    const svg = $("#points");
    NG.clear(svg);
    const [x0, x1, y0, y1] = d.extent, S = 240;
    for (const [a, b, k, test] of d.points) {
      const cx = (NG.toNumber(a) - x0) / (x1 - x0) * S, cy = (y1 - NG.toNumber(b)) / (y1 - y0) * S;
      NG.svg("circle", {cx: cx.toFixed(1), cy: cy.toFixed(1), r: test ? 3.2 : 2.8,
                        fill: NG.css(NG.classColour(k)), class: test ? "point test" : "point",
                        "data-class": k, "data-test": test ? "1" : "0"}, svg);
    }
    const names = d.classes || ["0", "1"];
    $("#planekey").textContent = names.map((n, k) => n + " (" + (k ? "blue" : "orange") + ")").join(" \u00b7 ") +
      " \u00b7 filled: training, ringed: test";
  };

  // -- the walk's step and the quiz -----------------------------------------------------------
  P.walk = function (st) {
    const box = $("#walk"), w = st.walk;
    const pos = $("#walk-pos");
    NG.clear(box);
    if (!w) { pos.textContent = ""; return; }
    const s = w.step, at = s.time === null || s.time === undefined ? "" : " (t=" + s.time + ")";
    pos.textContent = (w.position + 1) + " / " + w.total + ": " + s.neuron + at;
    NG.el("h2", w.phase + " pass, step " + (w.position + 1) + " of " + w.total + ": neuron " + s.neuron + at, null, box);
    if (w.quiz && w.quiz.asking) {
      quizForm(box, w.quiz);
    } else {
      NG.equations(box, s.lines, s.mathml);
    }
    if (w.quiz) {
      NG.el("p", "quiz: " + w.quiz.right + " right of " + w.quiz.asked + " answers", "hint", box);
    }
    if (P.lastAnswer) box.appendChild(P.lastAnswer);
  };

  function quizForm(box, quiz) {
    const form = NG.el("div", null, "quiz", box);
    const label = NG.el("label", "Work out " + quiz.asking + " by hand, then type it: ", null, form);
    const input = NG.el("input", null, null, label);
    input.setAttribute("data-answer", quiz.asking);
    input.spellcheck = false;
    input.autocomplete = "off";
    const b = NG.el("button", "Check", null, form);
    b.type = "button";
    b.setAttribute("data-action", "check");
    NG.el("span", " (Next skips it and shows the number)", "hint", form);
  }

  P.answerResult = function (a) {
    const box = NG.el("div", null, "answer " + (a.correct ? "right" : "wrong"));
    box.setAttribute("data-result", a.correct ? "correct" : "mistake");
    NG.el("p", a.name + " = " + a.answer + ": " + (a.correct ? "right" : "not right") +
          (a.mistake ? " \u2014 " + a.diagnosis : (a.correct ? "" : " \u2014 " + a.diagnosis)), null, box);
    if (a.correct && a.lines && a.lines.length) NG.el("pre", a.lines.join("\n"), null, box);
    return box;
  };

  // -- controls that mirror the state -------------------------------------------------------
  function options(select, values, labels, current) {
    const key = values.join("|");
    if (select.dataset.key !== key) {
      NG.clear(select);
      values.forEach((v, i) => {
        const o = NG.el("option", labels ? labels[i] : v, null, select);
        o.value = v;
      });
      select.dataset.key = key;
    }
    if (current !== undefined && document.activeElement !== select) select.value = current;
  }

  function field(id, value) {
    const f = $(id);
    if (f && document.activeElement !== f) f.value = value;
  }

  function sampleControls(st) {
    const sel = $("#sample");
    const values = [""], labels = ["typed in"];
    const sl = st.sample_labels || [];
    for (let i = 0; i < st.samples; i++) {
      values.push(String(i));
      const l = sl[i] || ["", false];
      labels.push("#" + i + (l[0] ? " " + l[0] : "") + (l[1] ? " (test)" : ""));
    }
    options(sel, values, labels, st.sample.index === null ? "" : String(st.sample.index));
    const seq = st.model.recurrent;
    const short = (s) => NG.full() ? s : NG.fmt(s, 4, true).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
    const list = (s) => s.map(short).join(", ");
    const show = (v) => seq ? v.map((s) => s === null ? "-" : list(s)).join("; ") : list(v);
    for (const [id, v] of [["#x", st.sample.x], ["#y", st.sample.y]]) {
      const f = $(id);
      if (document.activeElement === f) continue;
      f.value = show(v);             // rounded unless "full precision"; sent only when edited
      f.dataset.dirty = "";
      f.title = "exactly: " + (seq ? v.map((s) => s === null ? "-" : s.join(", ")).join("; ") : v.join(", "));
    }
  }

  function dataControls(st) {
    const d = st.data;
    const names = {own: "the model's own data", xor: "xor (2-D)", circle: "circle (2-D)",
                   gaussian: "gaussian (2-D)", spiral: "spiral (2-D)", iris: "iris", digits: "digits"};
    options($('select[data-control="dataset"]'), d.kinds, d.kinds.map((k) => names[k] || k), d.kind);
    field('input[data-control="noise"]', d.noise);
    field('input[data-control="split"]', d.split);
    $("#split-count").textContent = d.train + " train / " + d.test + " test";
    const feats = $("#features");
    feats.hidden = !d.planar;
    for (const box of NG.$$("input[data-feature]")) box.checked = !!(d.features && d.features.includes(box.dataset.feature));
  }

  function settingControls(st) {
    const m = st.model;
    options($("#lossname"), m.losses, null, m.loss);
    options($("#optimizer"), m.optimizers, ["SGD", "SGD with momentum", "Adam"], m.optimizer);
    field("#lr", m.lr);
    field('input[data-control="momentum"]', m.momentum);
    field('input[data-control="weight_decay"]', m.weight_decay);
    field('input[data-control="batch"]', m.batch);
    $('input[data-control="momentum"]').disabled = m.optimizer !== "momentum";
  }

  P.layerControls = function (st) {
    const box = $("#layers");
    NG.clear(box);
    const a = st.architecture, pos = NG.draw.positions || [];
    a.hidden.forEach((size, i) => {
      const K = i + 1, x = pos[K];
      if (x === undefined) return;
      const c = NG.el("div", null, "layerctl", box);
      c.style.left = x + "px";
      c.setAttribute("data-layer", String(K));
      const minus = NG.el("button", "\u2212", null, c);
      Object.assign(minus.dataset, {action: "remove-neuron", layer: String(K)});
      minus.disabled = size <= 1;
      minus.title = "one neuron less in hidden layer " + K;
      const plus = NG.el("button", "+", null, c);
      Object.assign(plus.dataset, {action: "add-neuron", layer: String(K)});
      plus.disabled = size >= a.max_width;
      plus.title = "one neuron more in hidden layer " + K;
      const sel = NG.el("select", null, null, c);
      Object.assign(sel.dataset, {control: "activation", layer: String(K)});
      sel.title = "the activation of hidden layer " + K;
      options(sel, a.choices, null, a.activations[i]);
      for (const b of c.querySelectorAll("button")) b.type = "button";
    });
    $('[data-action="add-layer"]').disabled = a.hidden.length >= a.max_layers;
    $('[data-action="remove-layer"]').disabled = a.hidden.length === 0 || (a.recurrent && a.hidden.length <= 1);
  };

  function timeControls(st) {
    const box = $("#time");
    box.hidden = !st.time;
    if (!st.time) return;
    const key = st.model.id + "|" + st.time.steps;
    if (box.dataset.key !== key) {
      NG.clear(box);
      NG.el("span", "time step ", "hint", box);
      for (let t = 0; t < st.time.steps; t++) {
        const b = NG.el("button", String(t), null, box);
        b.type = "button";
        b.setAttribute("data-time-step", String(t));
        b.title = "show every neuron at time step " + t + " (neuron.at(" + t + "))";
      }
      box.dataset.key = key;
    }
    for (const b of box.querySelectorAll("[data-time-step]")) {
      b.classList.toggle("on", st.time.at !== null && Number(b.dataset.timeStep) === st.time.at);
    }
  }

  P.controls = function (st) {
    sampleControls(st);
    dataControls(st);
    settingControls(st);
    timeControls(st);
    $("#title").textContent = st.model.title + " (" + st.model.number + ")";
    $('[data-readout="epoch"]').textContent = "epoch " + (st.history.length ? st.history[st.history.length - 1].epoch : 0);
    $("#notice").textContent = st.notice || "";
  };
})();
