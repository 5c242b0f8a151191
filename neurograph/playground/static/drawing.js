// The neurograph playground page, part 2 of 4: the net, drawn in SVG.
// A small net shows every number; a medium one its neurons' numbers and, for the selected
// connection, its weight; a big one (the 64-32-10 digits net) shows inputs as a grid of
// pixels, layers as columns of small circles and its connections faded by |weight|, drawn
// in full for the hovered or selected neuron.  Delayed connections of a recurrent net are
// arcs labelled with their delay.  Every number drawn carries data-value="z", "a",
// "delta", "grad", "weight" or "value" inside its data-neuron, data-connection or
// data-parameter element; a number the server sends as null is not drawn.
"use strict";
(function () {
  const NG = window.NG;
  const D = NG.draw = {};
  const PLUS = "#2b6cb0", MINUS = "#c53030";
  let els = null, geo = null, drawnKey = null;

  // -- geometry ------------------------------------------------------------------
  function layersOf(st) {
    const layers = [];
    for (const n of st.neurons) (layers[n.layer] = layers[n.layer] || []).push(n);
    return layers;
  }

  function geometry(st, W, H) {
    const layers = layersOf(st);
    const nConn = st.connections.length;
    let most = Math.max(...layers.map((l) => l.length));
    const mode = most <= 4 && nConn <= 40 ? "small" : (most > 16 || nConn > 400 ? "big" : "medium");
    const grid = mode === "big" && layers[0].length >= 16 &&
      Number.isInteger(Math.sqrt(layers[0].length));
    if (grid) most = Math.max(...layers.slice(1).map((l) => l.length));   // (the grid is square)
    const left = grid ? 16 : (st.model.inputs.length ? 86 : 44);
    const right = st.model.outputs.length ? 92 : (mode === "medium" ? 76 : 44);
    const top = mode === "small" ? 40 : 30, bottom = mode === "small" ? 72 : 24;
    let height = H;
    if (mode === "small") height = Math.min(H, Math.max(300, most * 170 + top + bottom));
    if (mode === "big") height = Math.min(2 * H, Math.max(H, most * 15 + top + bottom));
    const gap = (height - top - bottom) / most;
    const r = mode === "small" ? Math.max(12, Math.min(26, gap * 0.22)) :
      mode === "medium" ? Math.max(9, Math.min(18, gap * 0.3)) : Math.max(3, Math.min(8, gap * 0.4));
    const cols = Math.max(1, layers.length - 1);
    const colW = (W - left - right) / cols;
    const pos = {};
    layers.forEach((layer, L) => {
      const x = left + L * colW;
      if (L === 0 && grid) {
        const side = Math.sqrt(layer.length);
        const S = Math.min(colW * 0.8, (height - top - bottom) * 0.6, 220);
        const cell = S / side, y0 = top + (height - top - bottom - S) / 2;
        layer.forEach((n, k) => {
          pos[n.name] = {x: x + (k % side + 0.5) * cell, y: y0 + (Math.floor(k / side) + 0.5) * cell,
                         cell: cell};
        });
        return;
      }
      const y0 = top + (most - layer.length) * gap / 2 + gap / 2;
      layer.forEach((n, k) => { pos[n.name] = {x: x, y: y0 + k * gap}; });
    });
    return {W: W, H: height, mode: mode, grid: grid, r: r, gap: gap, pos: pos, layers: layers,
            colW: colW, left: left, top: top};
  }

  D.key = (st, W, H) => [st.model.id, st.neurons.length, st.connections.length,
                          Math.round(W), Math.round(H)].join("|");

  // -- building --------------------------------------------------------------------
  function arcPath(a, b, c, r, k) {
    const at = (deg, f) => [a.x + f * r * Math.cos(deg * Math.PI / 180), a.y + f * r * Math.sin(deg * Math.PI / 180)];
    if (c.src === c.dst) {              // a self-loop at the upper right of the circle
      const p = at(-75, 1), q = at(-15, 1), c1 = at(-85, 2.9), c2 = at(-5, 2.9), l = at(-45, 2.35);
      return {d: "M" + p.join(",") + " C" + c1.join(",") + " " + c2.join(",") + " " + q.join(","),
              lx: l[0] + 10, ly: l[1] - 2};
    }
    const down = b.y > a.y, side = down ? 1 : -1;
    const bulge = r + 44 + 14 * k;
    const x1 = a.x + side * r, x2 = b.x + side * r, cx = a.x + side * bulge;
    return {d: "M" + x1 + "," + a.y + " C" + cx + "," + a.y + " " + cx + "," + b.y + " " + x2 + "," + b.y,
            lx: a.x + side * (bulge * 0.75 + 4), ly: (a.y + b.y) / 2 + (down ? -4 : 8)};
  }

  function buildConnections(st, root) {
    const g = geo, wires = NG.svg("g", {class: "wires"}, root);
    const labels = NG.svg("g", {class: "labels"});
    const layerIndex = {};
    g.layers.forEach((layer) => layer.forEach((n, k) => { layerIndex[n.name] = k; }));
    st.connections.forEach((c, i) => {
      const a = g.pos[c.src], b = g.pos[c.dst];
      const cg = NG.svg("g", {"data-connection": c.name, class: "conn"}, wires);
      const e = {g: cg, src: c.src, dst: c.dst, labels: null, i: i};
      if (c.delay) {
        cg.setAttribute("data-delay", String(c.delay));
        const arc = arcPath(a, b, c, g.r, Math.abs(layerIndex[c.src] - layerIndex[c.dst]) - 1);
        NG.svg("path", {d: arc.d, class: "hit"}, cg);
        e.line = NG.svg("path", {d: arc.d, class: "wire arc"}, cg);
        NG.svg("text", {x: arc.lx, y: arc.ly + 3, "text-anchor": "middle", class: "delay"}, cg)
          .textContent = "t\u2212" + c.delay;
      } else {
        const x1 = g.grid && g.pos[c.src].cell ? a.x : a.x + g.r, x2 = b.x - g.r;
        // a band along the line to hover and click (a level line alone has no height)
        const len = Math.hypot(x2 - x1, b.y - a.y), deg = Math.atan2(b.y - a.y, x2 - x1) * 180 / Math.PI;
        const band = g.mode === "big" ? 3 : 10;
        NG.svg("rect", {x: x1, y: a.y - band / 2, width: len, height: band, class: "hit",
                        transform: "rotate(" + deg.toFixed(3) + " " + x1 + " " + a.y + ")"}, cg);
        e.line = NG.svg("line", {x1: x1, y1: a.y, x2: x2, y2: b.y, class: "wire"}, cg);
        e.mid = {x: x1 + (x2 - x1) * 0.72, y: a.y + (b.y - a.y) * 0.72};
      }
      if (g.mode !== "big" && !c.delay) {
        const lg = NG.svg("g", {"data-connection": c.name, class: "clabel" + (g.mode === "small" ? "" : " onselect")}, labels);
        const w = NG.svg("text", {x: e.mid.x, y: e.mid.y - 5, "text-anchor": "middle", class: "wlabel",
                                  "data-value": "weight", "data-label-for": c.name}, lg);
        const gr = NG.svg("text", {x: e.mid.x, y: e.mid.y + 13, "text-anchor": "middle", class: "wlabel grad",
                                   "data-value": "grad"}, lg);
        e.labels = {g: lg, weight: w, grad: gr};
      }
      els.connections[c.name] = e;
      els.connList.push(e);
      (els.byNeuron[c.src] = els.byNeuron[c.src] || []).push(e);
      (els.byNeuron[c.dst] = els.byNeuron[c.dst] || []).push(e);
    });
    return labels;
  }

  function neuronText(p, r, mode, g, n, inputs, outputs) {
    const e = {};
    if (mode === "big") {
      if (n.output && outputs.length) {
        NG.svg("text", {x: p.x + r + 5, y: p.y + 3.5, class: "classname"}, g).textContent = outputs[n.k] || "";
      }
      return e;
    }
    NG.svg("text", {x: p.x, y: p.y - r - 5, "text-anchor": "middle", class: "name"}, g).textContent = n.name;
    e.a = NG.svg("text", {x: p.x, y: p.y + (mode === "small" ? 4 : 3.5), "text-anchor": "middle",
                          class: "val" + (mode === "small" ? "" : " small"), "data-value": "a"}, g);
    if (n.input && inputs.length > n.k) {
      NG.svg("text", {x: p.x - r - 6, y: p.y + 4, "text-anchor": "end", class: "feature"}, g).textContent = inputs[n.k];
    }
    if (n.output && outputs.length > n.k) {
      NG.svg("text", {x: p.x + r + 6, y: p.y + 4, class: "classname"}, g).textContent = outputs[n.k];
    }
    if (n.input) return e;
    if (mode === "small") {
      e.z = NG.svg("text", {x: p.x, y: p.y + r + 13, "text-anchor": "middle", class: "sub", "data-value": "z"}, g);
      e.delta = NG.svg("text", {x: p.x, y: p.y + r + 25, "text-anchor": "middle", class: "sub delta", "data-value": "delta"}, g);
    } else {
      const x = p.x + r + 3, right = n.output && outputs.length;
      e.z = NG.svg("text", {x: x, y: p.y + (right ? -9 : -2), class: "sub", "data-value": "z"}, g);
      e.delta = NG.svg("text", {x: x, y: p.y + (right ? 17 : 9), class: "sub delta", "data-value": "delta"}, g);
    }
    return e;
  }

  function buildNeurons(st, root) {
    const g = geo, nodes = NG.svg("g", {class: "nodes"}, root), defs = NG.svg("defs", {}, root);
    const inputs = st.model.inputs || [], outputs = st.model.outputs || [];
    const count = {};
    const plane = !!(st.data && st.data.planar && g.mode !== "big");
    for (const n of st.neurons) {
      n.k = count[n.layer] = (count[n.layer] || 0);
      count[n.layer] += 1;
      const p = g.pos[n.name], r = g.r;
      const ng = NG.svg("g", {"data-neuron": n.name,
                              class: "neuron" + (n.input ? " input" : "") + (n.output ? " output" : "")}, nodes);
      const e = {g: ng, n: n};
      if (p.cell) {
        e.shape = NG.svg("rect", {x: p.x - p.cell / 2, y: p.y - p.cell / 2, width: p.cell, height: p.cell,
                                  class: "pixel"}, ng);
      } else {
        e.shape = NG.svg("circle", {cx: p.x, cy: p.y, r: r}, ng);
        if (plane) {
          const id = "clip" + els.neuronList.length;
          NG.svg("circle", {cx: p.x, cy: p.y, r: r - 1}, NG.svg("clipPath", {id: id}, defs));
          e.heat = NG.svg("image", {x: p.x - r, y: p.y - r, width: 2 * r, height: 2 * r,
                                    "clip-path": "url(#" + id + ")", "data-heatmap": n.name,
                                    preserveAspectRatio: "none", class: "heat"}, ng);
          ng.insertBefore(e.heat, e.shape);
          e.shape.classList.add("ring");
        }
        Object.assign(e, neuronText(p, r, g.mode, ng, n, inputs, outputs));
      }
      els.neurons[n.name] = e;
      els.neuronList.push(e);
      if (n.bias) buildBias(st, n, p, r);
    }
  }

  function buildBias(st, n, p, r) {
    const layer = els.biasLayer;
    const bg = NG.svg("g", {"data-parameter": n.bias, class: "bias"}, layer);
    const e = {g: bg, value: null, grad: null};
    if (geo.mode === "small") {
      NG.svg("rect", {x: p.x - 30, y: p.y + r + 31, width: 60, height: 15, rx: 3}, bg);
      NG.svg("text", {x: p.x - 26, y: p.y + r + 42, class: "bname"}, bg).textContent =
        n.bias.length <= 4 ? n.bias : "b";
      e.value = NG.svg("text", {x: p.x + 26, y: p.y + r + 42, "text-anchor": "end", "data-value": "value"}, bg);
      e.grad = NG.svg("text", {x: p.x, y: p.y + r + 58, "text-anchor": "middle", class: "sub grad",
                               "data-value": "grad"}, bg);
    } else {
      const s = Math.max(3, Math.min(6, r * 0.45));
      NG.svg("rect", {x: p.x + r * 0.55, y: p.y + r * 0.55, width: s, height: s}, bg);
    }
    (els.biases[n.bias] = els.biases[n.bias] || []).push(e);
  }

  D.build = function (st, W, H) {
    const root = NG.$("#net");
    NG.clear(root);
    geo = geometry(st, W, H);
    els = {neurons: {}, connections: {}, biases: {}, connList: [], neuronList: [], biasOrder: [],
           byNeuron: {}, biasLayer: null};
    root.setAttribute("viewBox", "0 0 " + W + " " + geo.H);
    root.setAttribute("width", W);
    root.setAttribute("height", geo.H);
    root.classList.toggle("big", geo.mode === "big");
    root.classList.toggle("medium", geo.mode === "medium");
    geo.layers.forEach((layer, L) => {
      let x = geo.left + L * geo.colW;
      if (L === 0 && geo.grid) {
        const xs = layer.map((n) => geo.pos[n.name].x);
        x = (Math.min(...xs) + Math.max(...xs)) / 2;
      }
      const label = L === 0 ? "inputs" : (L === geo.layers.length - 1 ? "outputs" : "hidden " + L);
      NG.svg("text", {x: x, y: 14, "text-anchor": "middle", class: "layerlabel"}, root).textContent =
        label + " (" + layer.length + ")";
    });
    const labels = buildConnections(st, root);
    els.biasLayer = NG.svg("g", {class: "biases"}, root);
    buildNeurons(st, root);
    root.appendChild(labels);
    for (const b of st.biases) els.biasOrder.push(b.name);
    drawnKey = D.key(st, W, H);
    D.positions = geo.layers.map((layer, L) => geo.left + L * geo.colW);
  };

  D.needsBuild = (st, W, H) => drawnKey !== D.key(st, W, H);
  D.geometry = () => geo;

  // -- numbers -------------------------------------------------------------------------
  function setText(t, s, places, prefix) {
    if (!t) return;
    const text = s === null || s === undefined ? "" : (prefix || "") + NG.fmt(s, places, true);
    if (t.textContent !== text) t.textContent = text;
  }

  function wireStyle(e, w, most) {
    const x = NG.toNumber(w), m = Math.abs(x) / most;
    const big = geo.mode === "big";
    e.line.setAttribute("stroke", x < 0 ? MINUS : PLUS);
    e.line.setAttribute("stroke-width", (big ? 0.4 + 1.6 * m : 0.8 + 4.2 * m).toFixed(2));
    e.line.setAttribute("stroke-opacity", (big ? 0.04 + 0.3 * m : 0.35 + 0.55 * m).toFixed(2));
  }

  function neuronValues(e, n) {
    const small = geo.mode === "small";
    if (e.heat) e.shape.setAttribute("fill", "none");
    else e.shape.setAttribute("fill", NG.fill(n.a));
    setText(e.a, n.a, small ? 4 : 3);
    setText(e.z, n.z, small ? 4 : 3, "z ");
    setText(e.delta, n.delta, small ? 4 : 3, "\u03b4 ");
  }

  D.update = function (st) {
    let most = 1e-12;
    for (const c of st.connections) most = Math.max(most, Math.abs(NG.toNumber(c.weight)));
    st.connections.forEach((c, i) => {
      const e = els.connList[i];
      if (!e) return;
      wireStyle(e, c.weight, most);
      if (e.labels) {
        setText(e.labels.weight, c.weight, 3);
        setText(e.labels.grad, c.grad, 4, "\u2207 ");
      }
    });
    st.neurons.forEach((n, i) => { if (els.neuronList[i]) neuronValues(els.neuronList[i], n); });
    for (const b of st.biases) {
      for (const e of els.biases[b.name] || []) {
        setText(e.value, b.value, 3);
        setText(e.grad, b.grad, 4, "\u2207 ");
      }
    }
  };

  // a frame of training: the numbers only, in the state's order
  D.frame = function (v) {
    let most = 1e-12;
    for (const w of v.weights) most = Math.max(most, Math.abs(NG.toNumber(w)));
    v.weights.forEach((w, i) => {
      const e = els.connList[i];
      if (!e) return;
      wireStyle(e, w, most);
      if (e.labels) {
        setText(e.labels.weight, w, 3);
        setText(e.labels.grad, null);
      }
    });
    els.neuronList.forEach((e, i) => {
      neuronValues(e, {a: v.a[i], z: v.z[i], delta: null});
    });
    els.biasOrder.forEach((name, i) => {
      for (const e of els.biases[name] || []) { setText(e.value, v.biases[i], 3); setText(e.grad, null); }
    });
  };

  D.heatmaps = function (h) {
    if (!els || !h) return;
    for (const name in h.maps) {
      const e = els.neurons[name];
      if (e && e.heat) e.heat.setAttribute("href", NG.heatmapURL(h.maps[name], h.neuron_size || h.size, false));
    }
  };

  // -- marks: selection, hover, the walk ---------------------------------------------------
  D.mark = function (selected, walkStep) {
    for (const e of NG.$$("#net .selected, #net .current, #net .uses, #net .focus"))
      e.classList.remove("selected", "current", "uses", "focus");
    if (!els) return;
    if (selected) {
      const list = selected.kind === "neuron" ? [els.neurons[selected.name]] :
        selected.kind === "connection" ? [els.connections[selected.name]] : els.biases[selected.name] || [];
      for (const e of list) {
        if (!e) continue;
        e.g.classList.add("selected");
        if (e.labels) e.labels.g.classList.add("selected");
      }
      if (selected.kind === "neuron") D.focus(selected.name, true);
    }
    if (walkStep) {
      const n = els.neurons[walkStep.neuron];
      if (n) n.g.classList.add("current");
      for (const c of walkStep.connections) if (els.connections[c]) els.connections[c].g.classList.add("current");
      for (const c of walkStep.uses) if (els.connections[c]) els.connections[c].g.classList.add("uses");
      if (walkStep.bias) for (const b of els.biases[walkStep.bias] || []) b.g.classList.add("current");
    }
  };

  // the connections of one neuron drawn in full (big nets fade the others)
  D.focus = function (name, on) {
    for (const e of (els && els.byNeuron[name]) || []) {
      e.g.classList.toggle("focus", on);
      if (on && geo.mode === "big") e.g.parentNode.appendChild(e.g);
    }
  };

  D.hasHeat = () => !!(els && els.neuronList.some((e) => e.heat));
})();
