/* The interactive view of the kg knowledge graph (kg/export/html.py writes the page around this script).
 *
 * Every text that comes from papers is put in the page with textContent, never innerHTML, so markup in a
 * title or an evidence sentence shows as text. Positions come precomputed and physics stays off: the view
 * is drawn once and never moves by itself. For tests the page exposes window.kgData (what it holds),
 * window.kg (the vis DataSets, the filtered DataViews, the network) and window.kgReady (first drawing done).
 */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  window.kgData = data;
  var style = data.style, meta = data.meta;
  var byId = {}, edgeById = {}, edgesOf = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; edgesOf[n.id] = []; });
  data.edges.forEach(function (e) {
    edgeById[e.id] = e;
    if (edgesOf[e.from]) edgesOf[e.from].push(e);
    if (edgesOf[e.to] && e.to !== e.from) edgesOf[e.to].push(e);
  });
  var big = data.nodes.length > 1000;

  /* DOM helpers: text is only ever set through textContent. */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]);
    return parent;
  }
  function safeUrl(url) { return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null; }
  function fmt(n) { return Number(n).toLocaleString("en"); }
  function typeColour(t) { return style.types[t] || "#bab0ac"; }
  function relStyle(p) { return style.relations[p] || {colour: "#bab0ac", label: p, arrow: true, dashes: false}; }
  function nodeSize(n) { return Math.min(8 + 5 * Math.sqrt(n.paper_count || 0), 48); }

  /* Tooltips are DOM elements (a string title would be parsed as HTML by some vis-network versions). */
  function nodeTooltip(n) {
    var box = el("div");
    add(box, el("strong", null, n.label), el("div", null, n.type + " \u00b7 " + n.paper_count + " paper" +
      (n.paper_count === 1 ? "" : "s")));
    if (n.aliases.length) add(box, el("div", "src", "also: " + n.aliases.join(", ")));
    return box;
  }
  function edgeTooltip(e) {
    var box = el("div");
    add(box, el("strong", null, byId[e.from].label + " " + relStyle(e.predicate).label + " " + byId[e.to].label),
        el("div", null, "support: " + e.support + " paper" + (e.support === 1 ? "" : "s")));
    if (e.evidence.length) add(box, el("div", "quote", "\u201c" + e.evidence[0][1] + "\u201d"));
    return box;
  }

  /* Parallel edges between the same two nodes are curved apart; all others are straight (cheap to draw). */
  var pairCount = {};
  data.edges.forEach(function (e) {
    var key = [e.from, e.to].sort().join("\u0000");
    e._pair = key; pairCount[key] = (pairCount[key] || 0) + 1;
  });
  var pairSeen = {};
  /* Colours and fonts, normal or dimmed (when something is selected, its neighbourhood stands out). */
  function nodeLook(n, dim) {
    var c = dim ? "#e2e2e2" : typeColour(n.type);
    return {color: {background: c, border: "#ffffff", highlight: {background: c, border: "#222222"},
                    hover: {background: c, border: "#222222"}},
            font: {size: Math.min(14 + 2.5 * Math.sqrt(n.degree), 34), color: dim ? "#d0d0d0" : "#222222"}};
  }
  function edgeLook(e, dim) {
    var s = relStyle(e.predicate);
    return {color: {color: s.colour, highlight: s.colour, hover: s.colour, opacity: dim ? 0.12 : 0.9},
            font: {color: dim ? "rgba(0,0,0,0)" : s.colour, size: 12, strokeWidth: 0, align: "middle",
                   background: dim ? "rgba(0,0,0,0)" : "rgba(255,255,255,0.85)"}};
  }
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    return Object.assign({id: n.id, label: n.label, x: n.x, y: n.y, size: nodeSize(n), type: n.type,
                          title: nodeTooltip(n)}, nodeLook(n, false));
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    var s = relStyle(e.predicate), item = Object.assign({
      id: e.id, from: e.from, to: e.to, predicate: e.predicate, support: e.support, label: s.label,
      title: edgeTooltip(e), dashes: s.dashes, width: 1.2 + Math.log2(1 + (e.support || 0)),
      arrows: {to: {enabled: !!s.arrow, scaleFactor: 0.7}}
    }, edgeLook(e, false));
    if (pairCount[e._pair] > 1) {
      var k = pairSeen[e._pair] = (pairSeen[e._pair] || 0) + 1;
      item.smooth = {enabled: true, type: k % 2 ? "curvedCW" : "curvedCCW", roundness: 0.15 * Math.ceil(k / 2)};
    }
    return item;
  }));

  /* Filters: entity types, relations and minimum support; an edge shows only with both of its ends. */
  var state = {types: {}, relations: {}, minSupport: 0, isolated: true};
  Object.keys(style.types).forEach(function (t) { state.types[t] = true; });
  Object.keys(style.relations).forEach(function (r) { state.relations[r] = true; });
  function nodeShown(id) {
    var n = byId[id];
    return !!n && state.types[n.type] !== false && (state.isolated || n.degree > 0);
  }
  var nodesView = new vis.DataView(nodes, {filter: function (n) { return nodeShown(n.id); }});
  var edgesView = new vis.DataView(edges, {filter: function (e) {
    return state.relations[e.predicate] !== false && (e.support || 0) >= state.minSupport &&
      nodeShown(e.from) && nodeShown(e.to);
  }});

  var container = document.getElementById("kg-graph");
  var network = new vis.Network(container, {nodes: nodesView, edges: edgesView}, {
    autoResize: true,
    physics: {enabled: false},
    layout: {improvedLayout: false, randomSeed: 1},
    interaction: {hover: !big, tooltipDelay: 200, hideEdgesOnDrag: big, hideEdgesOnZoom: big, multiselect: false},
    nodes: {shape: "dot", borderWidth: 1.5, borderWidthSelected: 3,
            font: {size: 15, face: "system-ui, sans-serif", color: "#222222", strokeWidth: 4, strokeColor: "#ffffff"}},
    edges: {smooth: false, selectionWidth: 2, hoverWidth: 1, font: {face: "system-ui, sans-serif"}}
  });
  window.kg = {nodes: nodes, edges: edges, nodesView: nodesView, edgesView: edgesView, network: network,
               state: state, search: search, showNode: showNode, showEdge: showEdge};
  /* A big graph opens on its largest connected part (the rest is a click on "Show all" away). */
  var main = data.nodes.filter(function (n) { return n.component === 0; }).map(function (n) { return n.id; });
  var openOnMain = data.nodes.length > 300 && main.length > 1 && main.length < 0.9 * data.nodes.length;
  function fitMain() { network.fit({nodes: main, animation: false}); }
  document.getElementById("kg-fit-all").addEventListener("click", function () { network.fit({animation: false}); });
  var fitMainButton = document.getElementById("kg-fit-main");
  fitMainButton.hidden = !openOnMain;
  fitMainButton.addEventListener("click", fitMain);
  if (openOnMain) fitMain();
  network.once("afterDrawing", function () {
    window.kgReadyMs = performance.now();
    window.kgReady = true;
  });

  function refresh() {
    nodesView.refresh();
    edgesView.refresh();
    document.getElementById("kg-shown").textContent = "Showing " + fmt(nodesView.length) + " of " +
      fmt(data.nodes.length) + " entities and " + fmt(edgesView.length) + " of " + fmt(data.edges.length) +
      " relations.";
  }

  /* The controls and the legend are one: a coloured checkbox per type and per relation. */
  function countBy(list, key) {
    var out = {};
    list.forEach(function (x) { out[x[key]] = (out[x[key]] || 0) + 1; });
    return out;
  }
  var typeCounts = countBy(data.nodes, "type"), relCounts = countBy(data.edges, "predicate");
  var isolatedBox = document.getElementById("kg-isolated");
  document.getElementById("kg-isolated-count").textContent =
    fmt(data.nodes.filter(function (n) { return n.degree === 0; }).length);
  isolatedBox.addEventListener("change", function () { state.isolated = isolatedBox.checked; refresh(); });
  function checkbox(parent, name, kind, swatch, text, count) {
    var label = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.dataset.kind = kind; box.value = name;
    box.addEventListener("change", function () { state[kind][name] = box.checked; refresh(); });
    add(parent, add(label, box, swatch, el("span", null, text), el("span", "count", fmt(count || 0))));
  }
  Object.keys(style.types).forEach(function (t) {
    var dot = el("span", "dot"); dot.style.background = typeColour(t);
    checkbox(document.getElementById("kg-types"), t, "types", dot, t, typeCounts[t]);
  });
  Object.keys(style.relations).forEach(function (r) {
    var s = relStyle(r), line = el("span", "line" + (s.dashes ? " dashed" : "") + (s.arrow ? " arrow" : ""));
    line.style.borderTopColor = s.colour; line.style.borderLeftColor = s.colour; line.style.color = s.colour;
    checkbox(document.getElementById("kg-relations"), r, "relations", line,
             r + (s.label && s.label !== r ? " (\u201c" + s.label + "\u201d)" : ""), relCounts[r]);
  });
  var slider = document.getElementById("kg-min-support"), sliderValue = document.getElementById("kg-min-support-value");
  var supports = data.edges.map(function (e) { return e.support || 0; });
  slider.min = String(supports.length ? Math.min.apply(null, supports) : 0);
  slider.max = String(Math.max(1, supports.length ? Math.max.apply(null, supports) : 1));
  slider.value = slider.min;
  state.minSupport = Number(slider.min);
  sliderValue.textContent = slider.value;
  slider.addEventListener("input", function () {
    state.minSupport = Number(slider.value); sliderValue.textContent = slider.value; refresh();
  });

  document.title = meta.title;
  document.getElementById("kg-title").textContent = meta.title;
  document.getElementById("kg-summary").textContent = fmt(meta.entities) + " entities, " + fmt(meta.relations) +
    " relations, from " + fmt(meta.papers) + " papers.";
  if (meta.left_out_nodes > 0) {
    var notice = document.getElementById("kg-notice");
    notice.hidden = false;
    notice.textContent = "Showing the " + fmt(meta.shown_nodes) + " most connected of " + fmt(meta.entities) +
      " entities: " + fmt(meta.left_out_nodes) + " entities and " + fmt(meta.left_out_edges) +
      " relations are left out (max_nodes = " + meta.max_nodes + ").";
  }

  /* Search by any name: exact label or alias first, then a prefix, then a substring; ties go to more papers. */
  var names = [];
  data.nodes.forEach(function (n) {
    [n.label].concat(n.aliases).forEach(function (a) { names.push([String(a).toLowerCase(), n.id]); });
  });
  var datalist = document.getElementById("kg-names"), listed = {};
  data.nodes.slice().sort(function (a, b) { return b.paper_count - a.paper_count; }).slice(0, 5000)
    .forEach(function (n) {
      [n.label].concat(n.aliases).forEach(function (a) {
        if (listed[a]) return;
        listed[a] = true;
        var option = el("option"); option.value = a; datalist.appendChild(option);
      });
    });
  function find(query) {
    var q = String(query || "").trim().toLowerCase();
    if (!q) return null;
    var best = null, bestRank = 4;
    names.forEach(function (pair) {
      var rank = pair[0] === q ? 0 : pair[0].indexOf(q) === 0 ? 1 : pair[0].indexOf(q) > 0 ? 2 : 4;
      if (rank < bestRank || (rank === bestRank && rank < 4 && byId[pair[1]].paper_count > byId[best].paper_count)) {
        best = pair[1]; bestRank = rank;
      }
    });
    return best;
  }
  function search(query) {
    var id = find(query), status = document.getElementById("kg-search-status");
    if (id === null) {
      status.textContent = query ? "No entity is called \u201c" + query + "\u201d." : "";
      return null;
    }
    var n = byId[id];
    if (!state.types[n.type]) {   // make the node visible again if its type was filtered out
      state.types[n.type] = true;
      document.querySelector('#kg-types input[value="' + CSS.escape(n.type) + '"]').checked = true;
      refresh();
    }
    status.textContent = "Found " + n.label + " (" + n.type + ").";
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 0.75), animation: {duration: 300}});
    showNode(id);
    return id;
  }
  document.getElementById("kg-search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    search(document.getElementById("kg-search").value);
  });

  /* The side panel of a node or an edge. */
  var panel = document.getElementById("kg-panel"), body = document.getElementById("kg-panel-body");
  function chip(text, colour) { var c = el("span", "chip", text); c.style.background = colour; return c; }
  function paperLine(pid, extra) {
    var p = data.papers[pid] || {title: pid}, li = el("li"), url = safeUrl(p.url), t;
    if (url) { t = el("a", null, p.title); t.href = url; t.target = "_blank"; t.rel = "noopener noreferrer"; }
    else t = el("span", null, p.title);
    add(li, t, el("span", "src", " \u00b7 " + (p.date || "no date") + (extra ? " \u00b7 " + extra : "")));
    return li;
  }
  function jump(text, onClick) {
    var a = el("a", "jump", text);
    a.tabIndex = 0;
    a.addEventListener("click", onClick);
    return a;
  }
  function showNode(id) {
    var n = byId[id];
    if (!n) return;
    body.replaceChildren();
    add(body, el("h2", null, n.label), add(el("p"), chip(n.type, typeColour(n.type)),
        el("span", "src", n.paper_count + " paper" + (n.paper_count === 1 ? "" : "s") +
           (n.first_seen ? " \u00b7 first seen " + n.first_seen : ""))));
    if (n.aliases.length) {
      add(body, el("h3", null, "Also called"));
      var ul = el("ul"); n.aliases.forEach(function (a) { add(ul, el("li", null, a)); }); add(body, ul);
    }
    if (edgesOf[id].length) {
      add(body, el("h3", null, "Relations"));
      var rl = el("ul");
      var order = Object.keys(style.relations);
      edgesOf[id].slice().sort(function (x, y) {
        return order.indexOf(x.predicate) - order.indexOf(y.predicate) || y.support - x.support;
      }).forEach(function (e) {
        var s = relStyle(e.predicate), li = el("li");
        var other = byId[e.from === id ? e.to : e.from];
        var text = e.from === id ? s.label + " " + other.label : other.label + " " + s.label + " this";
        var link = jump(text, function () { showEdge(e.id); network.selectEdges([e.id]); });
        link.style.color = s.colour;
        add(rl, add(li, link, el("span", "src", " \u00b7 " + e.support + " paper" + (e.support === 1 ? "" : "s"))));
      });
      add(body, rl);
    }
    if (n.papers.length) {
      add(body, el("h3", null, "Papers"));
      var pl = el("ul"); n.papers.forEach(function (p) { add(pl, paperLine(p[0], p[1])); }); add(body, pl);
    }
    panel.hidden = false;
    var keepNodes = {}, keepEdges = {};
    keepNodes[id] = true;
    edgesOf[id].forEach(function (e) { keepEdges[e.id] = keepNodes[e.from] = keepNodes[e.to] = true; });
    focusOn(keepNodes, keepEdges);
  }
  function showEdge(id) {
    var e = edgeById[id];
    if (!e) return;
    var s = relStyle(e.predicate), a = byId[e.from], b = byId[e.to];
    body.replaceChildren();
    var head = el("h2");
    var rel = el("span", null, " " + s.label + " "); rel.style.color = s.colour;
    add(head, jump(a.label, function () { showNode(a.id); }), rel, jump(b.label, function () { showNode(b.id); }));
    add(body, head, add(el("p"), chip(e.predicate, s.colour),
        el("span", "src", "support: " + e.support + " paper" + (e.support === 1 ? "" : "s") +
           (e.confidence !== null && e.confidence !== undefined ? " \u00b7 confidence " + e.confidence : ""))));
    if (e.evidence.length) {
      add(body, el("h3", null, "Evidence"));
      var ul = el("ul");
      e.evidence.forEach(function (ev) {
        var li = el("li");
        add(li, el("div", "quote", "\u201c" + ev[1] + "\u201d"), add(el("ul"), paperLine(ev[0])));
        add(ul, li);
      });
      add(body, ul);
    }
    panel.hidden = false;
    var keepNodes = {}, keepEdges = {};
    keepNodes[e.from] = keepNodes[e.to] = keepEdges[e.id] = true;
    focusOn(keepNodes, keepEdges);
  }
  /* Dim everything but `keepNodes` and `keepEdges` (objects id -> true); focusOn(null) undims. Above 4,000
   * nodes it is skipped: updating every node then takes a noticeable fraction of a second. */
  var dimmed = null, canDim = data.nodes.length <= 4000;
  function focusOn(keepNodes, keepEdges) {
    var nodeUpdates = [], edgeUpdates = [];
    if (!canDim) return;
    if (dimmed) {
      nodeUpdates = dimmed.nodes.map(function (i) { return Object.assign({id: i}, nodeLook(byId[i], false)); });
      edgeUpdates = dimmed.edges.map(function (i) { return Object.assign({id: i}, edgeLook(edgeById[i], false)); });
      dimmed = null;
    }
    if (keepNodes) {
      dimmed = {nodes: data.nodes.filter(function (n) { return !keepNodes[n.id]; }).map(function (n) { return n.id; }),
                edges: data.edges.filter(function (e) { return !keepEdges[e.id]; }).map(function (e) { return e.id; })};
      nodeUpdates = nodeUpdates.filter(function (u) { return keepNodes[u.id]; }).concat(
        dimmed.nodes.map(function (i) { return Object.assign({id: i}, nodeLook(byId[i], true)); }));
      edgeUpdates = edgeUpdates.filter(function (u) { return keepEdges[u.id]; }).concat(
        dimmed.edges.map(function (i) { return Object.assign({id: i}, edgeLook(edgeById[i], true)); }));
    }
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
  }
  function closePanel() { panel.hidden = true; focusOn(null); }
  document.getElementById("kg-panel-close").addEventListener("click", closePanel);
  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
    else closePanel();
  });
  refresh();
})();
