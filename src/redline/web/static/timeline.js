// Timeline page: a party's stance on an issue over time (Plotly, served locally).
// Curated positions are a step line; extracted statements are points; clicking a point shows its
// quote (set with textContent, never as HTML) and highlights its row in the statements table.
(function () {
  "use strict";
  var el = document.getElementById("timeline-chart");
  var dataEl = document.getElementById("timeline-data");
  if (!el || !dataEl || typeof Plotly === "undefined") return;
  var t = JSON.parse(dataEl.textContent);

  function esc(s) { // Plotly hover labels accept a few HTML tags: escape so quotes stay text
    return String(s == null ? "" : s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function short(s, n) { s = String(s || ""); return s.length > n ? s.slice(0, n - 1) + "…" : s; }
  function safeUrl(u) {
    try { var p = new URL(u, window.location.href); return (p.protocol === "http:" || p.protocol === "https:") ? p.href : null; }
    catch (e) { return null; }
  }

  var traces = [];
  if (t.positions.length) {
    var xs = t.positions.map(function (p) { return p.since; });
    var ys = t.positions.map(function (p) { return p.level; });
    xs.push(new Date().toISOString().slice(0, 10)); ys.push(ys[ys.length - 1]);
    traces.push({ x: xs, y: ys, mode: "lines+markers", line: { shape: "hv", width: 3, color: "#1d2330" },
      name: "curated position", hoverinfo: "x+name", customdata: xs.map(function (_, i) { return ["pos", i]; }) });
  }
  var dated = t.entries.map(function (s, i) { return [s, i]; }).filter(function (p) { return p[0].date; });
  if (dated.length) {
    traces.push({ x: dated.map(function (p) { return p[0].date; }),
      // just above the step line, so a statement and a position on the same day are both clickable
      y: dated.map(function (p) { return p[0].level + 0.15; }),
      mode: "markers", type: "scatter", name: "statement",
      marker: { size: 10, color: dated.map(function (p) { return p[0].polarity === "for" ? "#2f7d46" : "#b0231a"; }),
        symbol: dated.map(function (p) { return p[0].red_line ? "diamond" : "circle"; }) },
      text: dated.map(function (p) { return esc(short(p[0].speaker, 40)) + ": " + esc(short(p[0].quote, 90)); }),
      hoverinfo: "x+text", customdata: dated.map(function (p) { return ["st", p[1]]; }) });
  }
  var layout = { margin: { l: 110, r: 20, t: 20, b: 40 }, showlegend: true, legend: { orientation: "h" },
    yaxis: { tickmode: "array", tickvals: t.options.map(function (_, i) { return i; }), ticktext: t.options.map(esc),
      range: [-0.5, t.options.length - 0.5] }, xaxis: { type: "date" }, hovermode: "closest" };
  Plotly.newPlot(el, traces, layout, { displaylogo: false, responsive: true });

  var body = document.getElementById("quote-body");
  function showStatement(i) {
    var s = t.entries[i];
    if (!s || !body) return;
    var q = document.createElement("blockquote"); q.className = "quote";
    var p = document.createElement("p"); p.textContent = "\u201c" + s.quote + "\u201d"; q.appendChild(p);
    var f = document.createElement("footer");
    f.textContent = "\u2014 " + (s.speaker || "unattributed") + ", " + (s.date || "undated") + " \u00b7 " + s.stance +
      (s.red_line ? " \u00b7 red line" : "");
    q.appendChild(f);
    var links = document.createElement("p"); links.className = "small";
    if (s.document_id) {
      var a = document.createElement("a"); a.href = "/documents/" + encodeURIComponent(s.document_id);
      a.textContent = "document"; links.appendChild(a);
    }
    var u = safeUrl(s.url);
    if (u) {
      var b = document.createElement("a"); b.href = u; b.rel = "noopener noreferrer"; b.target = "_blank";
      b.textContent = " source"; links.appendChild(b);
    }
    body.replaceChildren(q, links);
    document.querySelectorAll("tr.st-row.selected").forEach(function (r) { r.classList.remove("selected"); });
    var row = document.getElementById("st-" + i);
    if (row) row.classList.add("selected");
  }
  function showPosition(i) {
    var row = document.getElementById("pos-" + i);
    if (row && body) { body.replaceChildren(row.cells[3].cloneNode(true)); }
  }
  el.on("plotly_click", function (ev) {
    var pt = ev.points && ev.points[0];
    if (!pt || !pt.customdata) return;
    if (pt.customdata[0] === "st") showStatement(pt.customdata[1]);
    else showPosition(Math.min(pt.customdata[1], t.positions.length - 1));
  });
})();
