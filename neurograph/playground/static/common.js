// The neurograph playground page, part 1 of 4: helpers the other scripts share.
// Numbers arrive as exact strings from Python; here they are only formatted for people
// and turned into colours.  Nothing here computes a forward or backward pass.
"use strict";
(function () {
  const NG = window.NG = window.NG || {};
  const SVGNS = "http://www.w3.org/2000/svg";
  const MATHNS = "http://www.w3.org/1998/Math/MathML";

  NG.$ = (sel) => document.querySelector(sel);
  NG.$$ = (sel) => Array.from(document.querySelectorAll(sel));

  NG.svg = function (tag, attrs, parent) {
    const e = document.createElementNS(SVGNS, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  };

  NG.el = function (tag, text, cls, parent) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    if (parent) parent.appendChild(e);
    return e;
  };

  NG.clear = function (e) { while (e.firstChild) e.removeChild(e.firstChild); };

  NG.status = function (text, isError) {
    const s = NG.$("#status");
    s.textContent = text || "";
    s.classList.toggle("error", !!isError);
  };

  // -- numbers -------------------------------------------------------------------
  NG.toNumber = function (s) {
    if (s === null || s === undefined) return NaN;
    if (typeof s === "number") return s;
    const i = s.indexOf("/");
    return i > 0 ? Number(s.slice(0, i)) / Number(s.slice(i + 1)) : Number(s);
  };

  NG.full = () => { const f = NG.$("#full"); return !!(f && f.checked); };

  // a number string for people: *places* decimals, or the exact string in the panels
  // when "full precision" is on (the diagram passes short=true: it keeps short numbers)
  NG.fmt = function (s, places, short) {
    if (s === null || s === undefined) return "\u2013";
    if (!short && NG.full()) return String(s);
    const x = NG.toNumber(s);
    if (!isFinite(x)) return String(s);
    if (x === 0) return "0";
    const ax = Math.abs(x);
    if (ax >= 1e-4 && ax < 1e6) return x.toFixed(places);
    return x.toExponential(Math.min(places, 3));
  };

  // -- colours ---------------------------------------------------------------------
  // Blue for positive (class 1), orange for negative (class 0), white in the middle:
  // the colours of TensorFlow Playground, which classes know.
  const POS = [8, 119, 189], NEG = [245, 147, 34], MID = [250, 250, 250];
  NG.POS = "rgb(8,119,189)";
  NG.NEG = "rgb(245,147,34)";
  NG.shade = function (v) {        // v from -1 to 1 -> [r, g, b]
    const t = Math.max(-1, Math.min(1, v));
    const end = t >= 0 ? POS : NEG, k = Math.abs(t);
    return [0, 1, 2].map((i) => Math.round(MID[i] + (end[i] - MID[i]) * k));
  };
  NG.css = (rgb) => "rgb(" + rgb.join(",") + ")";
  NG.fill = function (a) {         // a neuron's a as a fill colour
    const x = NG.toNumber(a);
    if (!isFinite(x)) return "#f7fafc";
    return NG.css(NG.shade(Math.max(-1, Math.min(1, x)) * 0.75));
  };
  const CLASSES = [[245, 147, 34], [8, 119, 189], [56, 161, 105], [128, 90, 213], [214, 69, 65],
                   [49, 151, 149], [183, 121, 31], [213, 63, 140], [90, 103, 216], [113, 128, 150]];
  NG.classColour = (k) => CLASSES[k % CLASSES.length];

  // a heatmap (values -100..100, or class indices) as a data: URL of size x size pixels
  const canvas = document.createElement("canvas");
  NG.heatmapURL = function (values, size, classes) {
    canvas.width = canvas.height = size;
    const ctx = canvas.getContext("2d");
    const img = ctx.createImageData(size, size);
    for (let i = 0; i < values.length; i++) {
      const rgb = classes ? NG.classColour(values[i]) : NG.shade(values[i] / 100);
      img.data[4 * i] = rgb[0];
      img.data[4 * i + 1] = rgb[1];
      img.data[4 * i + 2] = rgb[2];
      img.data[4 * i + 3] = classes ? 150 : 255;
    }
    ctx.putImageData(img, 0, 0);
    return canvas.toDataURL();
  };

  // -- MathML from the server's JSON ([tag, attrs, children...]) -----------------
  NG.mathml = function (node) {
    if (typeof node === "string") return document.createTextNode(node);
    const e = document.createElementNS(MATHNS, node[0]);
    const attrs = node[1] || {};
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    for (let i = 2; i < node.length; i++) e.appendChild(NG.mathml(node[i]));
    return e;
  };

  // equations: MathML blocks (each with its tag), then the plain text kept for copying
  NG.equations = function (box, lines, mathml, openText) {
    const wrap = NG.el("div", null, "equations", box);
    for (const m of mathml || []) {
      const row = NG.el("div", null, "eq", wrap);
      row.appendChild(NG.mathml(m));
      const tag = m[1] && m[1]["data-tag"];
      if (tag) NG.el("span", tag, "tag", row);
    }
    for (const line of lines || []) {
      if (line.startsWith("note: ")) NG.el("p", line.slice(6), "note", wrap);
    }
    const det = NG.el("details", null, "plain", wrap);
    if (openText || !(mathml && mathml.length)) det.open = true;
    NG.el("summary", "plain text", null, det);
    NG.el("pre", (lines || []).join("\n"), null, det);
    return wrap;
  };
})();
