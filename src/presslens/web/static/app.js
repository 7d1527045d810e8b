/* presslens newsroom: small progressive enhancements. Every page reads fully without this file.
   - article pages: pointing at a quote highlights its pieces, its speaker mention and its entry in the list;
   - filter forms: empty fields are left out of the URL (cleaner permalinks);
   - the network page: a self-contained force layout in SVG, drawn from /api/network. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  /* ---------------------------------------------------------------- article: linked highlights */
  function quoteIds(el) {
    var node = el && el.closest ? el.closest("[data-q]") : null;
    return node ? node.getAttribute("data-q").split(" ") : [];
  }
  function setHighlight(ids, on) {
    ids.forEach(function (id) {
      var sel = '[data-q~="' + (window.CSS && CSS.escape ? CSS.escape(id) : id) + '"]';
      document.querySelectorAll(sel).forEach(function (n) { n.classList.toggle("hl", on); });
    });
  }
  function linkHighlights() {
    var root = document.querySelector(".article");
    if (!root) return;
    var current = [];
    function show(e) {
      var ids = quoteIds(e.target);
      setHighlight(current, false);
      current = ids;
      setHighlight(current, true);
    }
    root.addEventListener("mouseover", show);
    root.addEventListener("focusin", show);
    root.addEventListener("mouseleave", function () { setHighlight(current, false); current = []; });
  }

  /* ---------------------------------------------------------------- forms: no empty parameters */
  function cleanForms() {
    document.querySelectorAll('form[method="get"]').forEach(function (form) {
      form.addEventListener("submit", function () {
        Array.prototype.forEach.call(form.elements, function (el) {
          if (el.name && (el.type !== "checkbox" || el.checked) && String(el.value).trim() === "") {
            el.disabled = true;
            window.setTimeout(function () { el.disabled = false; }, 0);
          }
        });
      });
    });
  }

  /* ---------------------------------------------------------------- the network */
  function el(name, attrs, parent) {
    var n = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(n);
    return n;
  }

  function drawNetwork(box, data) {
    box.textContent = "";
    if (!data.nodes.length) {
      var p = document.createElement("p");
      p.className = "js-only-hint";
      p.textContent = "No actors to draw for these filters.";
      box.appendChild(p);
      return;
    }
    var W = box.clientWidth || 800, H = box.clientHeight || 500;
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "group", "aria-label": "Actor network" }, box);
    var defs = el("defs", {}, svg);
    ["arrow", "command", "membership", "hostility"].forEach(function (kind) {
      var marker = el("marker", { id: "arrow-" + kind, "class": kind, viewBox: "0 0 10 10", refX: "10", refY: "5",
        markerWidth: "6", markerHeight: "6", orient: "auto-start-reverse" }, defs);
      el("path", { d: "M0,0 L10,5 L0,10 z" }, marker);
    });
    var WORDS = { alongside: " quoted alongside ", about: " quoted about ", alliance: " allied with ",
      command: " leads ", membership: " belongs to ", hostility: " hostile to " };
    var gEdges = el("g", {}, svg), gNodes = el("g", {}, svg);
    var byId = {};
    var nodes = data.nodes.map(function (n, i) {
      var a = 2 * Math.PI * i / data.nodes.length, r = Math.min(W, H) * 0.35;
      var node = { id: n.id, name: n.name, kind: n.kind || "other", weight: (n.quotes || 0) + (n.mentioned || 0),
        x: W / 2 + r * Math.cos(a), y: H / 2 + r * Math.sin(a), vx: 0, vy: 0, fixed: false, neighbours: {} };
      byId[n.id] = node;
      return node;
    });
    var edges = data.edges.filter(function (e) { return byId[e.source] && byId[e.target]; }).map(function (e) {
      var s = byId[e.source], t = byId[e.target];
      s.neighbours[t.id] = true; t.neighbours[s.id] = true;
      return { s: s, t: t, type: e.type, layer: e.layer || "cooccurrence", relations: e.relations || [], weight: e.weight };
    });
    /* co-occurrence first (underneath, fainter), typed relations on top */
    edges.sort(function (a, b) { return (a.layer === "relation") - (b.layer === "relation"); });
    edges.forEach(function (e) {
      e.line = el("line", { "class": "edge " + e.layer + " " + e.type,
        "stroke-width": String(Math.min(6, (e.layer === "relation" ? 1.5 : 1) + Math.log(e.weight))) }, gEdges);
      if (e.type === "about") e.line.setAttribute("marker-end", "url(#arrow-arrow)");
      else if (e.layer === "relation" && e.type !== "alliance") e.line.setAttribute("marker-end", "url(#arrow-" + e.type + ")");
      var title = el("title", {}, e.line);
      var what = e.relations.length ? " (" + e.relations.join(", ").replace(/_/g, " ") + ")" : "";
      title.textContent = e.s.name + (WORDS[e.type] || " – ") + e.t.name + what + ": " + e.weight;
    });
    var showLabels = nodes.length <= 60;
    nodes.forEach(function (n, i) {
      n.r = Math.max(4, Math.min(18, 3 + 2.2 * Math.sqrt(n.weight)));
      var a = el("a", { "class": "node " + n.kind, href: "/actors/" + encodeURIComponent(n.id), tabindex: "0" }, gNodes);
      el("title", {}, a).textContent = n.name + ": " + n.weight + " quotes and mentions";
      n.circle = el("circle", { r: String(n.r) }, a);
      if (showLabels || i < 25) {
        n.label = el("text", { dx: String(n.r + 3), dy: "4" }, a);
        n.label.textContent = n.name;
      }
      n.el = a;
      a.addEventListener("focus", function () { focusNode(n, true); });
      a.addEventListener("blur", function () { focusNode(n, false); });
      a.addEventListener("mouseenter", function () { focusNode(n, true); });
      a.addEventListener("mouseleave", function () { focusNode(n, false); });
      a.addEventListener("pointerdown", function (ev) { startDrag(ev, n); });
    });

    function focusNode(n, on) {
      nodes.forEach(function (m) { m.el.classList.toggle("dim", on && m !== n && !n.neighbours[m.id]); });
      edges.forEach(function (e) { e.line.classList.toggle("dim", on && e.s !== n && e.t !== n); });
      n.el.classList.toggle("hl", on);
    }

    var alpha = 1, dragging = null, moved = false;
    function toSvg(ev) {
      var rect = svg.getBoundingClientRect();
      return { x: (ev.clientX - rect.left) * W / rect.width, y: (ev.clientY - rect.top) * H / rect.height };
    }
    function startDrag(ev, n) {
      dragging = n; moved = false; n.fixed = true;
      svg.setPointerCapture && svg.setPointerCapture(ev.pointerId);
      ev.preventDefault();
    }
    svg.addEventListener("pointermove", function (ev) {
      if (!dragging) return;
      var p = toSvg(ev);
      dragging.x = p.x; dragging.y = p.y; moved = true;
      alpha = Math.max(alpha, 0.3);
      kick();
    });
    svg.addEventListener("pointerup", function () {
      if (dragging && !moved) { window.location.href = dragging.el.getAttribute("href"); }
      if (dragging) dragging.fixed = false;
      dragging = null;
    });
    gNodes.addEventListener("click", function (ev) { ev.preventDefault(); }); /* pointerup navigates; Enter still works */
    gNodes.addEventListener("keydown", function (ev) {
      var a = ev.target.closest ? ev.target.closest("a") : null;
      if (a && ev.key === "Enter") { window.location.href = a.getAttribute("href"); }
    });

    var L = Math.max(40, Math.min(W, H) / Math.sqrt(nodes.length + 1) * 0.9);
    function tick() {
      var i, j, a, b, dx, dy, d2, d, f;
      for (i = 0; i < nodes.length; i++) {
        a = nodes[i];
        for (j = i + 1; j < nodes.length; j++) {
          b = nodes[j];
          dx = a.x - b.x; dy = a.y - b.y; d2 = dx * dx + dy * dy + 0.01;
          f = (L * L) / d2 * 0.6;
          if (d2 > 9 * L * L) continue;
          a.vx += dx * f / Math.sqrt(d2); a.vy += dy * f / Math.sqrt(d2);
          b.vx -= dx * f / Math.sqrt(d2); b.vy -= dy * f / Math.sqrt(d2);
        }
      }
      edges.forEach(function (e) {
        dx = e.t.x - e.s.x; dy = e.t.y - e.s.y; d = Math.sqrt(dx * dx + dy * dy) + 0.01;
        f = (d - L) / d * 0.05 * Math.min(3, 1 + Math.log(e.weight));
        e.s.vx += dx * f; e.s.vy += dy * f; e.t.vx -= dx * f; e.t.vy -= dy * f;
      });
      nodes.forEach(function (n) {
        n.vx += (W / 2 - n.x) * 0.005; n.vy += (H / 2 - n.y) * 0.005;
        if (!n.fixed) {
          n.x += Math.max(-20, Math.min(20, n.vx * alpha)); n.y += Math.max(-20, Math.min(20, n.vy * alpha));
          n.x = Math.max(n.r, Math.min(W - n.r, n.x)); n.y = Math.max(n.r, Math.min(H - n.r, n.y));
        }
        n.vx *= 0.5; n.vy *= 0.5;
      });
      alpha *= 0.985;
    }
    function render() {
      edges.forEach(function (e) {
        var dx = e.t.x - e.s.x, dy = e.t.y - e.s.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
        e.line.setAttribute("x1", e.s.x.toFixed(1)); e.line.setAttribute("y1", e.s.y.toFixed(1));
        e.line.setAttribute("x2", (e.t.x - dx / d * e.t.r).toFixed(1)); e.line.setAttribute("y2", (e.t.y - dy / d * e.t.r).toFixed(1));
      });
      nodes.forEach(function (n) { n.el.setAttribute("transform", "translate(" + n.x.toFixed(1) + "," + n.y.toFixed(1) + ")"); });
    }
    var running = false;
    function frame() {
      for (var k = 0; k < 2; k++) tick();
      render();
      if (alpha > 0.02 || dragging) { window.requestAnimationFrame(frame); } else { running = false; }
    }
    function kick() { if (!running) { running = true; window.requestAnimationFrame(frame); } }
    if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
      while (alpha > 0.02) tick();
      render();
    } else {
      render();
      kick();
    }
  }

  function network() {
    var box = document.getElementById("network");
    if (!box || !window.fetch) return;
    box.textContent = "Loading…";
    fetch(box.getAttribute("data-src"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (data) { drawNetwork(box, data); })
      .catch(function (err) { box.textContent = "The network could not be drawn (" + err.message + "); it is listed below."; });
  }

  function start() { linkHighlights(); cleanForms(); network(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
