/* The kg explorer (kg/export/html.py writes the page around this script; the libraries are window.kgVendor).
 *
 * Every text that comes from papers is put in the page with textContent, never innerHTML, so markup in a
 * title or an evidence sentence shows as text. The graph is drawn by sigma.js on WebGL: the overview holds the
 * most supported entities at precomputed positions; selecting an entity or a paper swaps in a small graph of
 * its neighbourhood, laid out here. Tables, panels and search cover every entity. For tests the page exposes
 * window.kgData (what it holds), window.kg (state and actions) and window.kgReady (first frame drawn).
 */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  window.kgData = data;
  const V = window.kgVendor;
  const style = data.style, meta = data.meta;
  const TYPES = Object.keys(style.types), RELS = Object.keys(style.relations);
  const SHAPE_CODE = {circle: 0, square: 1, diamond: 2, triangle: 3, hexagon: 4};
  const PAGE = 100, LIST = 8;

  /* ---- Helpers: text only ever goes in through textContent. ---- */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function add(parent, ...children) {
    children.forEach((c) => { if (c) parent.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return parent;
  }
  function put(parent, child) { parent.appendChild(child); return child; }
  const fmt = (n) => Number(n).toLocaleString("en");
  const plural = (n, word) => fmt(n) + " " + word + (n === 1 ? "" : "s");
  const safeUrl = (url) => (typeof url === "string" && /^https?:\/\//i.test(url) ? url : null);
  const typeColour = (t) => style.types[t] || "#757575";
  const typeShape = (t) => (style.shapes && style.shapes[t]) || "circle";
  const relStyle = (p) => style.relations[p] || {colour: "#757575", label: p, arrow: true, dashes: false};
  function push(map, key, value) { const list = map.get(key); if (list) list.push(value); else map.set(key, [value]); }
  function swatch(type) {
    const s = el("span", "swatch " + typeShape(type));
    s.style.background = typeColour(type);
    s.setAttribute("aria-hidden", "true");
    return s;
  }
  function status(id, text) { document.getElementById(id).textContent = text; }

  /* ---- Indexes over the whole page data (every entity, not only those drawn). ---- */
  const byId = new Map(), edgeById = new Map();
  data.nodes.forEach((n) => { byId.set(n.id, n); n.edges = []; });
  data.edges.forEach((e) => {
    edgeById.set(e.id, e);
    byId.get(e.from).edges.push(e);
    if (e.to !== e.from) byId.get(e.to).edges.push(e);
  });
  const papers = data.papers, paperIds = Object.keys(papers);
  const paperEntities = new Map(), paperEdges = new Map();
  data.nodes.forEach((n) => n.papers.forEach((p) => push(paperEntities, p[0], [n, p[1] || "mentioned"])));
  data.edges.forEach((e) => {
    const seen = new Set();
    e.evidence.forEach((ev) => { if (!seen.has(ev[0])) { seen.add(ev[0]); push(paperEdges, ev[0], [e, ev[1]]); } });
  });
  const results = data.results || [];
  const resultsBy = {subject: new Map(), dataset: new Map(), paper: new Map()};
  results.forEach((r) => Object.keys(resultsBy).forEach((k) => { if (r[k]) push(resultsBy[k], r[k], r); }));
  const nameOf = (id) => (byId.has(id) ? byId.get(id).label : id || "");
  const paperTitle = (pid) => (papers[pid] ? papers[pid].title : pid || "");
  function counts(n) {  // relation counts per direction, computed once per entity on demand
    if (!n.counts) {
      const c = n.counts = {beats: 0, beatenBy: 0, evaluatedOn: 0, evaluatedHere: 0};
      n.edges.forEach((e) => {
        if (e.predicate === "outperforms") c[e.from === n.id ? "beats" : "beatenBy"]++;
        else if (e.predicate === "evaluatedOn") c[e.from === n.id ? "evaluatedOn" : "evaluatedHere"]++;
      });
    }
    return n.counts;
  }

  /* ---- State: graph filters, selection and table, mirrored in the URL. ---- */
  const supports = data.edges.map((e) => e.support || 0);
  const minSupport = supports.length ? supports.reduce((a, b) => Math.min(a, b)) : 0;
  const maxSupport = Math.max(1, supports.length ? supports.reduce((a, b) => Math.max(a, b)) : 1);
  const state = {types: new Set(TYPES), relations: new Set(RELS), minSupport: minSupport, lone: false,
                 selection: null, tab: "entities", tables: {}};

  /* ---- Rendering: sigma.js with one WebGL program that draws each type as its own shape. ---- */
  const FLOAT = WebGLRenderingContext.FLOAT, UBYTE = WebGLRenderingContext.UNSIGNED_BYTE;
  const VERTEX = `
attribute vec4 a_id; attribute vec4 a_color; attribute vec2 a_position; attribute float a_size;
attribute float a_shape; attribute float a_angle;
uniform mat3 u_matrix; uniform float u_sizeRatio; uniform float u_correctionRatio;
varying vec4 v_color; varying vec2 v_diffVector; varying float v_radius; varying float v_shape;
const float bias = 255.0 / 254.0;
void main() {
  float size = a_size * u_correctionRatio / u_sizeRatio * 4.0;
  vec2 diffVector = size * vec2(cos(a_angle), sin(a_angle));
  gl_Position = vec4((u_matrix * vec3(a_position + diffVector, 1)).xy, 0, 1);
  v_diffVector = diffVector; v_radius = size / 2.0; v_shape = a_shape;
  #ifdef PICKING_MODE
  v_color = a_id;
  #else
  v_color = a_color;
  #endif
  v_color.a *= bias;
}`;
  const FRAGMENT = `
precision highp float;
varying vec4 v_color; varying vec2 v_diffVector; varying float v_radius; varying float v_shape;
uniform float u_correctionRatio;
float shape(vec2 p, float r, float s) {
  if (s < 0.5) return length(p) - r;
  if (s < 1.5) { vec2 d = abs(p) - vec2(r * 0.8); return length(max(d, 0.0)) + min(max(d.x, d.y), 0.0); }
  if (s < 2.5) { vec2 q = abs(p); return (q.x + q.y - r * 1.05) * 0.7071; }
  if (s < 3.5) {
    const float k = 1.7320508; float h = r * 0.95;
    p.y = -p.y; p.x = abs(p.x) - h; p.y = p.y + h / k;
    if (p.x + k * p.y > 0.0) p = vec2(p.x - k * p.y, -k * p.x - p.y) / 2.0;
    p.x -= clamp(p.x, -2.0 * h, 0.0);
    return -length(p) * sign(p.y);
  }
  const vec3 k3 = vec3(-0.866025404, 0.5, 0.577350269); vec2 q = abs(p); float a = r * 0.86;
  q -= 2.0 * min(dot(k3.xy, q), 0.0) * k3.xy; q -= vec2(clamp(q.x, -k3.z * a, k3.z * a), a);
  return length(q) * sign(q.y);
}
void main(void) {
  float aa = u_correctionRatio * 1.5;
  float d = shape(v_diffVector, v_radius - aa, v_shape);
  #ifdef PICKING_MODE
  gl_FragColor = d > aa ? vec4(0.0) : v_color;
  #else
  vec4 c = d > -u_correctionRatio * 1.2 ? vec4(1.0) : v_color;
  gl_FragColor = mix(c, vec4(0.0), clamp(d / aa, 0.0, 1.0));
  #endif
}`;
  /* Every program draws as one plain drawArrays, not an instanced draw: the per-vertex constants of an instanced
   * program are written out per item instead. Software WebGL (SwiftShader, and so headless Chromium and machines
   * without a GPU) runs an instanced draw per instance, hidden items included: panning 5,000 nodes drew about
   * 3 frames a second instanced (issue 18). The shaders are unchanged, and so is every pixel. */
  function plain(Base) {
    return class extends Base {
      getDefinition() {
        const d = super.getDefinition();
        if (!d.CONSTANT_ATTRIBUTES) return d;
        const items = d.ATTRIBUTES.reduce((k, a) => k + (a.normalized ? 1 : a.size), 0);
        this.plainInstance = {items: items, scratch: new Float32Array(items), constants: d.CONSTANT_DATA};
        const def = Object.assign({}, d, {ATTRIBUTES: d.ATTRIBUTES.concat(d.CONSTANT_ATTRIBUTES)});
        delete def.CONSTANT_ATTRIBUTES;
        delete def.CONSTANT_DATA;
        return def;
      }
      processVisibleItem(index, offset, ...rest) {
        const p = this.plainInstance;
        if (!p) return super.processVisibleItem(index, offset, ...rest);
        const array = this.array;
        this.array = p.scratch;  // the base program writes one instance's attributes
        try { super.processVisibleItem(index, 0, ...rest); } finally { this.array = array; }
        p.constants.forEach((vertex) => {
          array.set(p.scratch, offset);
          array.set(vertex, offset + p.items);
          offset += p.items + vertex.length;
        });
      }
    };
  }
  class NodeShapeProgram extends V.NodeProgram {
    getDefinition() {
      return {VERTICES: 3, VERTEX_SHADER_SOURCE: VERTEX, FRAGMENT_SHADER_SOURCE: FRAGMENT,
              METHOD: WebGLRenderingContext.TRIANGLES, UNIFORMS: ["u_sizeRatio", "u_correctionRatio", "u_matrix"],
              ATTRIBUTES: [{name: "a_position", size: 2, type: FLOAT}, {name: "a_size", size: 1, type: FLOAT},
                           {name: "a_shape", size: 1, type: FLOAT},
                           {name: "a_color", size: 4, type: UBYTE, normalized: true},
                           {name: "a_id", size: 4, type: UBYTE, normalized: true}],
              CONSTANT_ATTRIBUTES: [{name: "a_angle", size: 1, type: FLOAT}],
              CONSTANT_DATA: [[0], [2 * Math.PI / 3], [4 * Math.PI / 3]]};
    }
    processVisibleItem(nodeIndex, i, d) {
      const a = this.array;
      a[i++] = d.x; a[i++] = d.y; a[i++] = d.size; a[i++] = d.shape || 0; a[i++] = V.floatColor(d.color);
      a[i++] = nodeIndex;
    }
    setUniforms(params, {gl, uniformLocations: u}) {
      gl.uniform1f(u.u_correctionRatio, params.correctionRatio);
      gl.uniform1f(u.u_sizeRatio, params.sizeRatio);
      gl.uniformMatrix3fv(u.u_matrix, false, params.matrix);
    }
  }
  /* Labels with a white halo, legible over edges. */
  function drawLabel(ctx, d, settings) {
    if (!d.label) return;
    ctx.font = settings.labelWeight + " " + settings.labelSize + "px " + settings.labelFont;
    ctx.lineWidth = 3; ctx.strokeStyle = "#ffffff"; ctx.lineJoin = "round";
    const label = d.label.length > 48 ? d.label.slice(0, 46) + "\u2026" : d.label;
    ctx.strokeText(label, d.x + d.size + 3, d.y + settings.labelSize / 3);
    ctx.fillStyle = "#1f1f1f";
    ctx.fillText(label, d.x + d.size + 3, d.y + settings.labelSize / 3);
  }

  function nodeAttrs(n, size, x, y) {
    return {x: x, y: y, size: size, label: n.label, color: typeColour(n.type), shape: SHAPE_CODE[typeShape(n.type)]};
  }
  function edgeAttrs(e, extra) {
    const s = relStyle(e.predicate);
    return Object.assign({color: s.colour, size: 0.6 + Math.log2(1 + (e.support || 0)), type: s.arrow ? "arrow" : "line",
                          label: s.label}, extra || {});
  }
  /* The overview: the `view` entities at the positions computed by kg; the most connected keep their labels. */
  const overview = new V.Graph({multi: true, type: "directed"});
  const viewNodes = data.nodes.filter((n) => n.view && n.x !== null);
  viewNodes.forEach((n) => overview.addNode(n.id, nodeAttrs(n, Math.min(2.5 + 1.5 * Math.sqrt(n.paper_count) +
                                                               0.7 * Math.sqrt(n.degree), 18), n.x, -n.y)));
  /* The overview opens on the most connected of them (a readable core, labelled); "Overview draws" widens it. */
  const byDegree = viewNodes.slice().sort((a, b) => b.degree - a.degree || b.paper_count - a.paper_count ||
                                          (a.id < b.id ? -1 : 1)).map((n) => n.id);
  const TOP_CHOICES = [150, 500, 1500].filter((k) => k < byDegree.length).concat([byDegree.length]);
  const DEFAULT_TOP = byDegree.length > 300 ? TOP_CHOICES[0] : byDegree.length;
  let topSet = new Set(byDegree.slice(0, DEFAULT_TOP));
  data.edges.forEach((e) => {
    if (overview.hasNode(e.from) && overview.hasNode(e.to)) overview.addEdgeWithKey(e.id, e.from, e.to, edgeAttrs(e));
  });

  let visibleNodes = new Set(), visibleEdges = new Set(), highlight = null;
  function typeShown(n) { return state.types.has(n.type) || !TYPES.includes(n.type); }
  function edgeShown(e) { return state.relations.has(e.predicate) && (e.support || 0) >= state.minSupport; }
  /* An entity is drawn when its type is shown and it keeps a shown relation (or "show lone" is on): filters
   * never leave stranded dots. */
  function computeVisible(graph) {
    const degree = new Map(), inScope = (key) => graph !== overview || topSet.has(key);
    visibleEdges = new Set();
    graph.forEachEdge((key, attrs, s, t) => {
      if (!inScope(s) || !inScope(t)) return;
      const e = edgeById.get(key);
      if (e && !edgeShown(e)) return;
      const a = byId.get(s), b = byId.get(t);
      if ((a && !typeShown(a)) || (b && !typeShown(b))) return;
      visibleEdges.add(key);
      degree.set(s, (degree.get(s) || 0) + 1);
      degree.set(t, (degree.get(t) || 0) + 1);
    });
    visibleNodes = new Set();
    graph.forEachNode((key, attrs) => {
      const n = byId.get(key);
      if (attrs.centre || (inScope(key) && (n ? typeShown(n) && (state.lone || degree.get(key)) : true))) visibleNodes.add(key);
    });
  }
  function nodeReducer(key, attrs) {
    if (!visibleNodes.has(key)) return Object.assign({}, attrs, {hidden: true});
    if (highlight && !highlight.nodes.has(key)) return Object.assign({}, attrs, {color: "#d9d9d9", label: null, zIndex: 0});
    return highlight ? Object.assign({}, attrs, {zIndex: 1}) : attrs;
  }
  function edgeReducer(key, attrs) {
    if (!visibleEdges.has(key)) return Object.assign({}, attrs, {hidden: true});
    if (highlight && highlight.edge === key) return Object.assign({}, attrs, {size: attrs.size + 2.5, forceLabel: true});
    if (highlight && highlight.nodes.size && !highlight.edges.has(key)) return Object.assign({}, attrs, {color: "#ececec"});
    return attrs;
  }

  const container = document.getElementById("kg-graph");
  let renderer = null;
  try {
    renderer = new V.Sigma(overview, container, {
      nodeProgramClasses: {shape: plain(NodeShapeProgram)}, defaultNodeType: "shape",
      edgeProgramClasses: {arrow: V.createEdgeCompoundProgram([plain(V.EdgeClampedProgram), plain(V.EdgeArrowHeadProgram)]),
                           line: plain(V.EdgeRectangleProgram)}, defaultEdgeType: "line",
      labelFont: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", labelSize: 13, labelWeight: "600",
      labelDensity: 1, labelGridCellSize: 90, labelRenderedSizeThreshold: 7, defaultDrawNodeLabel: drawLabel,
      edgeLabelFont: "system-ui, sans-serif", edgeLabelSize: 11, edgeLabelWeight: "600",
      hideEdgesOnMove: overview.size > 4000, zIndex: false, stagePadding: 36, minCameraRatio: 0.02,
      maxCameraRatio: 4, nodeReducer: nodeReducer, edgeReducer: edgeReducer, allowInvalidContainer: true,
    });
  } catch (err) {
    const notice = document.getElementById("kg-notice");
    notice.hidden = false;
    notice.textContent = "This browser cannot draw the graph (WebGL is off): search, tables and panels still work.";
  }
  let focusGraph = null;

  /* Fit the camera to the drawn nodes: a custom bounding box of what is visible, then the default camera. */
  function fit() {
    if (!renderer) return;
    const g = renderer.getGraph();
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    visibleNodes.forEach((key) => {
      const a = g.getNodeAttributes(key);
      x0 = Math.min(x0, a.x); x1 = Math.max(x1, a.x); y0 = Math.min(y0, a.y); y1 = Math.max(y1, a.y);
    });
    if (x0 === Infinity) { x0 = 0; x1 = 1; y0 = 0; y1 = 1; }
    const pad = Math.max(x1 - x0, y1 - y0) * 0.02 || 1;
    renderer.setCustomBBox({x: [x0 - pad, x1 + pad], y: [y0 - pad, y1 + pad]});
    renderer.getCamera().setState({x: 0.5, y: 0.5, ratio: 1, angle: 0});
  }
  function redraw(refit) {
    if (!renderer) return;
    computeVisible(renderer.getGraph());
    if (refit) fit();
    renderer.refresh();
    const g = renderer.getGraph();
    status("kg-shown", (focusGraph ? "Neighbourhood: " : "Overview: ") + plural(visibleNodes.size, "entity").replace(
      "entitys", "entities") + " and " + plural(visibleEdges.size, "relation") + " drawn" +
      (focusGraph ? "" : " (of the " + fmt(topSet.size) + " most connected; " + fmt(data.nodes.length) + " in all)") + ".");
  }

  /* ---- Neighbourhoods: 1-2 hops around an entity (or a paper's entities), laid out on rings. ---- */
  const GROUPS = [["outperforms", true, "Beats"], ["outperforms", false, "Beaten by"],
                  ["evaluatedOn", true, "Evaluated on"], ["evaluatedOn", false, "Evaluated on it"],
                  ["combinesWith", null, "Used with"], ["variantOf", true, "Variant of"],
                  ["variantOf", false, "Variants"]];
  function groupOf(e, id) {
    const out = e.from === id;
    const i = GROUPS.findIndex((g) => g[0] === e.predicate && (g[1] === null || g[1] === out));
    return i < 0 ? GROUPS.length : i;
  }
  const strength = (e) => (e.support || 0) * 1000 + Math.min(999, byId.get(e.from).paper_count + byId.get(e.to).paper_count);
  function ring(ids, radius, angleOf) {
    const out = new Map();
    ids.forEach((id, i) => {
      const a = angleOf ? angleOf(id, i) : (2 * Math.PI * i) / Math.max(1, ids.length) - Math.PI / 2;
      out.set(id, [radius * Math.cos(a), radius * Math.sin(a)]);
    });
    return out;
  }
  function buildFocus(centreId, first, centreAttrs) {
    /* `first`: the ring-1 entity ids in drawing order; ring 2 gets their strongest other neighbours. */
    const g = new V.Graph({multi: true, type: "directed"});
    const chosen = new Set(first);
    const budget = Math.max(0, 140 - first.length), perParent = first.length > 30 ? 2 : 6, second = [];
    if (budget) {
      const cands = new Map();
      first.forEach((pid, i) => {
        byId.get(pid).edges.slice().sort((a, b) => strength(b) - strength(a)).filter((e) => {
          const o = e.from === pid ? e.to : e.from;
          return o !== centreId && !chosen.has(o);
        }).slice(0, perParent).forEach((e) => {
          const o = e.from === pid ? e.to : e.from;
          if (!cands.has(o) || cands.get(o)[1] < strength(e)) cands.set(o, [i, strength(e)]);
        });
      });
      [...cands.entries()].sort((a, b) => b[1][1] - a[1][1]).slice(0, budget)
        .sort((a, b) => a[1][0] - b[1][0]).forEach((c) => { second.push(c[0]); chosen.add(c[0]); });
    }
    const r1 = Math.max(4, (first.length * 1.6) / (2 * Math.PI)), r2 = r1 + Math.max(4, (second.length * 1.1) / (2 * Math.PI));
    const pos = new Map([...ring(first, r1), ...ring(second, r2)]);
    if (centreAttrs) g.addNode(centreId, Object.assign({x: 0, y: 0, size: 14, forceLabel: true, centre: true, zIndex: 2},
                                                       centreAttrs));
    first.forEach((id) => {
      const n = byId.get(id), p = pos.get(id);
      g.addNode(id, Object.assign(nodeAttrs(n, Math.min(5 + 1.4 * Math.sqrt(n.paper_count), 12), p[0], p[1]),
                                  {forceLabel: first.length <= 60}));
    });
    second.forEach((id) => { const n = byId.get(id), p = pos.get(id); g.addNode(id, nodeAttrs(n, 4, p[0], p[1])); });
    const ids = centreAttrs && byId.has(centreId) ? [centreId, ...chosen] : [...chosen];
    ids.forEach((id) => byId.get(id).edges.forEach((e) => {
      if (g.hasNode(e.from) && g.hasNode(e.to) && !g.hasEdge(e.id)) g.addEdgeWithKey(e.id, e.from, e.to, edgeAttrs(e));
    }));
    return g;
  }
  function entityFocus(id) {
    const n = byId.get(id), best = new Map();
    n.edges.forEach((e) => {
      const o = e.from === id ? e.to : e.from;
      if (o === id) return;
      const k = [groupOf(e, id), -strength(e)];
      if (!best.has(o) || k[0] < best.get(o)[0] || (k[0] === best.get(o)[0] && k[1] < best.get(o)[1])) best.set(o, k);
    });
    const first = [...best.entries()].sort((a, b) => a[1][0] - b[1][0] || a[1][1] - b[1][1]).slice(0, 120).map((x) => x[0]);
    return buildFocus(id, first, nodeAttrs(n, 14, 0, 0));
  }
  function paperFocus(pid) {
    const order = {proposed: 0, used: 1, baseline: 2, mentioned: 3};
    const first = (paperEntities.get(pid) || []).slice().sort((a, b) => order[a[1]] - order[b[1]] ||
      b[0].paper_count - a[0].paper_count).slice(0, 120).map((x) => x[0].id);
    const title = paperTitle(pid);
    const g = buildFocus("paper:" + pid, first, {label: title.length > 50 ? title.slice(0, 48) + "\u2026" : title,
                                                 color: "#333333", shape: SHAPE_CODE.square});
    first.forEach((id) => g.addEdgeWithKey("role:" + id, "paper:" + pid, id, {color: "#bdbdbd", size: 0.8, type: "line",
                                                                             label: ""}));
    return g;
  }
  function showGraph(g, hl) {
    if (!renderer) return;
    focusGraph = g;
    highlight = hl || null;
    renderer.setSetting("renderEdgeLabels", !!g);
    renderer.setGraph(g || overview);
    redraw(true);
    const bar = document.getElementById("kg-focus-bar");
    bar.hidden = !g;
  }

  /* ---- Tooltips: built when the pointer enters a node, from the data (textContent only). ---- */
  const tooltip = document.getElementById("kg-tooltip");
  if (renderer) {
    renderer.on("enterNode", ({node, event}) => {
      const n = byId.get(node);
      tooltip.replaceChildren();
      if (n) {
        add(tooltip, add(el("div"), el("strong", null, n.label)), add(el("div", "src"), swatch(n.type),
            " " + n.type + " \u00b7 " + plural(n.paper_count, "paper") + " \u00b7 " + plural(n.edges.length, "relation")));
        if (n.aliases.length) add(tooltip, el("div", "src", "also: " + n.aliases.slice(0, 4).join(", ") +
                                               (n.aliases.length > 4 ? ", \u2026" : "")));
      } else add(tooltip, el("strong", null, paperTitle(node.replace(/^paper:/, ""))));
      tooltip.style.left = Math.min(event.x + 14, container.clientWidth - 260) + "px";
      tooltip.style.top = event.y + 14 + "px";
      tooltip.hidden = false;
      container.style.cursor = "pointer";
    });
    renderer.on("leaveNode", () => { tooltip.hidden = true; container.style.cursor = ""; });
    renderer.on("clickNode", ({node}) => {
      if (node.startsWith("paper:") && !byId.has(node)) selectPaper(node.slice(6));
      else selectEntity(node);
    });
  }

  /* ---- The panel of an entity, a paper or a relation. ---- */
  const panel = document.getElementById("kg-panel"), body = document.getElementById("kg-panel-body");
  let returnFocus = null;
  function nameButton(id) {
    const b = el("button", "name", nameOf(id));
    b.type = "button";
    b.addEventListener("click", () => selectEntity(id));
    return b;
  }
  function paperButton(pid) {
    const b = el("button", "name", paperTitle(pid));
    b.type = "button";
    b.addEventListener("click", () => selectPaper(pid));
    return b;
  }
  function edgeButton(e, text) {
    const b = el("button", "name", text);
    b.type = "button";
    if (text === "details") b.setAttribute("aria-label", "details of " + nameOf(e.from) + " " + relStyle(e.predicate).label +
                                           " " + nameOf(e.to));
    b.addEventListener("click", () => selectEdge(e.id));
    return b;
  }
  /* A list under a heading with its count; past LIST items the rest waits behind a "show all" button. */
  function section(parent, title, items, render, level) {
    if (!items.length) return;
    add(parent, el(level || "h3", null, title + " (" + fmt(items.length) + ")"));
    const ul = put(parent, el("ul"));
    items.slice(0, LIST).forEach((it) => add(ul, render(it)));
    if (items.length > LIST) {
      const more = el("button", "more", "Show all " + fmt(items.length));
      more.type = "button";
      more.addEventListener("click", () => {
        items.slice(LIST).forEach((it) => add(ul, render(it)));
        more.remove();
      });
      add(parent, more);
    }
  }
  function evidenceDetails(e, onlyPaper) {
    const d = el("details", "ev");
    add(d, el("summary", null, onlyPaper ? "evidence" : "evidence (" + plural(e.evidence.length, "sentence") + ")"));
    d.addEventListener("toggle", () => {  // built when first opened
      if (d.childNodes.length > 1) return;
      const ul = put(d, el("ul"));
      e.evidence.filter((ev) => !onlyPaper || ev[0] === onlyPaper).forEach((ev) => {
        add(ul, add(el("li"), el("div", "quote", "\u201c" + ev[1] + "\u201d"), onlyPaper ? null : add(el("div", "src"),
            "\u2014 ", paperButton(ev[0]))));
      });
    }, {once: false});
    return d;
  }
  function relationItem(e, id) {
    const li = el("li"), other = e.from === id ? e.to : e.from;
    add(li, nameButton(other), el("span", "src", " \u00b7 " + plural(e.support || 0, "paper") + " "), edgeButton(e, "details"));
    if (e.evidence.length) add(li, evidenceDetails(e));
    return li;
  }
  function resultTable(rows, columns) {
    const t = el("table"), head = put(t, el("thead")), tr = put(head, el("tr"));
    columns.forEach((c) => add(tr, el("th", c[2] ? "num" : null, c[0])));
    const tbody = put(t, el("tbody"));
    rows.forEach((r) => {
      const row = put(tbody, el("tr"));
      columns.forEach((c) => { const v = c[1](r), td = put(row, el("td", c[2] ? "num" : null)); add(td, v); });
    });
    return t;
  }
  const entityCell = (id) => (id ? (byId.has(id) ? nameButton(id) : el("span", null, id)) : el("span", "src", "\u2014"));
  const paperCell = (pid) => (pid ? paperButton(pid) : el("span", "src", "\u2014"));
  const evidenceCell = (r) => el("span", "quote", r.evidence ? "\u201c" + r.evidence + "\u201d" : "");
  /* A dataset's leaderboard: absolute results per metric, best first where the direction is known; deltas apart. */
  function leaderboard(parent, rows) {
    const absolute = rows.filter((r) => r.kind !== "delta"), deltas = rows.filter((r) => r.kind === "delta");
    add(parent, el("h3", null, "Leaderboard (" + plural(rows.length, "result") + ")"));
    const byMetric = new Map();
    absolute.forEach((r) => push(byMetric, r.metric || "", r));
    byMetric.forEach((list, metric) => {
      const dir = list.find((r) => r.higher_is_better !== null && r.higher_is_better !== undefined);
      const sign = dir ? (dir.higher_is_better ? -1 : 1) : -1;
      list.sort((a, b) => ((a.number === null) - (b.number === null)) || sign * ((a.number || 0) - (b.number || 0)));
      add(parent, el("h4", null, (nameOf(metric) || "unnamed metric") + (dir ? (dir.higher_is_better ?
        " (higher is better)" : " (lower is better)") : " (order unknown: sorted high to low)")));
      add(parent, resultTable(list, [["Method", (r) => entityCell(r.subject)], ["Value", (r) => el("span", null, r.value), 1],
        ["Paper", (r) => paperCell(r.paper)], ["Evidence", evidenceCell]]));
    });
    if (deltas.length) {
      add(parent, el("h4", null, "Improvements over a baseline (" + fmt(deltas.length) + ", not ranked)"));
      add(parent, resultTable(deltas, [["Method", (r) => entityCell(r.subject)], ["Metric", (r) => entityCell(r.metric)],
        ["Change", (r) => el("span", null, r.value), 1], ["Baseline", (r) => entityCell(r.baseline)],
        ["Paper", (r) => paperCell(r.paper)], ["Evidence", evidenceCell]]));
    }
  }
  function resultsOf(parent, rows, title, first) {
    add(parent, el("h3", null, title + " (" + fmt(rows.length) + ")"));
    add(parent, resultTable(rows, [first, ["Metric", (r) => entityCell(r.metric)],
      ["Value", (r) => el("span", null, r.value), 1], ["Kind", (r) => el("span", null, r.kind)],
      ["Baseline", (r) => entityCell(r.baseline)], ["Paper", (r) => paperCell(r.paper)], ["Evidence", evidenceCell]]));
  }
  function openPanel(titleText, build) {
    if (!panel.contains(document.activeElement)) returnFocus = document.activeElement;
    body.replaceChildren();
    const h = put(body, el("h2", null, titleText));
    h.id = "kg-panel-title";
    h.tabIndex = -1;
    build(body);
    panel.hidden = false;
    body.scrollTop = 0;
    panel.scrollTop = 0;
  }
  function entityPanel(n) {
    openPanel(n.label, (b) => {
      add(b, add(el("p"), add(el("span", "kind"), swatch(n.type), n.type || "entity"),
          el("span", "src", plural(n.paper_count, "paper") + (n.first_seen ? " \u00b7 first seen " + n.first_seen : ""))));
      if (n.aliases.length) add(b, el("p", "src", "Also called: " + n.aliases.join(" \u00b7 ")));
      const lb = resultsBy.dataset.get(n.id) || [];
      if (lb.length) leaderboard(b, lb);
      const own = resultsBy.subject.get(n.id) || [];
      if (own.length) resultsOf(b, own, "Results", ["Dataset", (r) => entityCell(r.dataset)]);
      const groups = GROUPS.map(() => []).concat([[]]);
      n.edges.forEach((e) => groups[groupOf(e, n.id)].push(e));
      groups.forEach((list) => list.sort((a, b) => (b.support || 0) - (a.support || 0) || nameOf(a.from === n.id ? a.to : a.from)
        .localeCompare(nameOf(b.from === n.id ? b.to : b.from))));
      const hereTitle = n.type === "Dataset" || n.type === "Task" ? "Evaluated on this " + n.type.toLowerCase() : "Evaluated on it";
      groups.forEach((list, i) => section(b, i === 3 ? hereTitle : i < GROUPS.length ? GROUPS[i][2] : "Other relations",
                                          list, (e) => relationItem(e, n.id)));
      /* What is evaluated on a variant (ImageNet-1K for ImageNet) belongs under the family too. */
      const onVariants = [];
      groups[6].forEach((v) => byId.get(v.from).edges.forEach((e) => {
        if (e.predicate === "evaluatedOn" && e.to === v.from) onVariants.push([e, v.from]);
      }));
      section(b, "Evaluated on a variant", onVariants, (x) => add(relationItem(x[0], x[1]), el("span", "src",
        " on " + nameOf(x[1]))));
      const order = {proposed: 0, used: 1, baseline: 2, mentioned: 3};
      section(b, "Papers", n.papers.slice().sort((x, y) => (order[x[1]] || 0) - (order[y[1]] || 0) ||
        String((papers[y[0]] || {}).date || "").localeCompare(String((papers[x[0]] || {}).date || ""))), (p) => {
        const li = add(el("li"), paperButton(p[0]));
        add(li, el("span", "src", " \u00b7 " + ((papers[p[0]] || {}).date || "no date") + " \u00b7 " + (p[1] || "mentioned")));
        return li;
      });
    });
  }
  function paperPanel(pid) {
    const p = papers[pid] || {title: pid};
    openPanel(p.title, (b) => {
      const meta = put(b, el("p", "src", (p.date || "no date") + " \u00b7 " + pid + " "));
      const url = safeUrl(p.url);
      if (url) { const a = el("a", null, "open the paper"); a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer"; add(meta, a); }
      const ents = paperEntities.get(pid) || [];
      [["proposed", "Proposes"], ["used", "Uses"], ["baseline", "Compares to"], ["mentioned", "Mentions"]].forEach((r) =>
        section(b, r[1], ents.filter((x) => x[1] === r[0]).map((x) => x[0]), (n) => add(el("li"), swatch(n.type), " ",
          nameButton(n.id), el("span", "src", " \u00b7 " + n.type))));
      const rels = paperEdges.get(pid) || [];
      [["outperforms", "Beats"], ["evaluatedOn", "Evaluated on"], ["combinesWith", "Used together"],
       ["variantOf", "Variants"]].forEach((r) => section(b, r[1], rels.filter((x) => x[0].predicate === r[0]), (x) => {
        const e = x[0], li = el("li");
        add(li, nameButton(e.from), " " + relStyle(e.predicate).label + " ", nameButton(e.to), " ",
            edgeButton(e, "details"), el("div", "quote", "\u201c" + x[1] + "\u201d"));
        return li;
      }));
      const rs = resultsBy.paper.get(pid) || [];
      if (rs.length) resultsOf(b, rs, "Results", ["Method", (r) => entityCell(r.subject)]);
    });
  }
  function edgePanel(e) {
    const s = relStyle(e.predicate);
    openPanel(nameOf(e.from) + " " + s.label + " " + nameOf(e.to), (b) => {
      add(b, add(el("p"), nameButton(e.from), " " + s.label + " ", nameButton(e.to)));
      add(b, el("p", "src", e.predicate + " \u00b7 support: " + plural(e.support || 0, "paper") +
        (e.confidence !== null && e.confidence !== undefined ? " \u00b7 confidence " + e.confidence : "")));
      section(b, "Evidence", e.evidence, (ev) => add(el("li"), el("div", "quote", "\u201c" + ev[1] + "\u201d"),
                                                     add(el("div", "src"), "\u2014 ", paperButton(ev[0]))));
    });
  }

  /* ---- Selecting: panel, focused neighbourhood, URL. ---- */
  function selectEntity(id, opts) {
    const n = byId.get(id);
    if (!n) return false;
    state.selection = {kind: "entity", id: id};
    if (!typeShown(n)) setType(n.type, true);
    entityPanel(n);
    showGraph(entityFocus(id), null);
    status("kg-focus-bar", "Neighbourhood of " + n.label + " \u00b7 Escape or \u201cOverview\u201d to go back");
    afterSelect(opts);
    return true;
  }
  function selectPaper(pid, opts) {
    if (!papers[pid]) return false;
    state.selection = {kind: "paper", id: pid};
    paperPanel(pid);
    showGraph(paperFocus(pid), null);
    status("kg-focus-bar", "Entities of the paper \u00b7 Escape or \u201cOverview\u201d to go back");
    afterSelect(opts);
    return true;
  }
  function selectEdge(eid, opts) {
    const e = edgeById.get(eid);
    if (!e) return false;
    state.selection = {kind: "edge", id: eid};
    edgePanel(e);
    const g = entityFocus(e.from);
    if (!g.hasNode(e.to)) g.addNode(e.to, nodeAttrs(byId.get(e.to), 8, 0, -3));
    if (!g.hasEdge(e.id)) g.addEdgeWithKey(e.id, e.from, e.to, edgeAttrs(e));
    showGraph(g, {nodes: new Set([e.from, e.to]), edges: new Set([e.id]), edge: e.id});
    status("kg-focus-bar", nameOf(e.from) + " " + relStyle(e.predicate).label + " " + nameOf(e.to));
    afterSelect(opts);
    return true;
  }
  function afterSelect(opts) {
    if (!opts || opts.focusPanel !== false) document.getElementById("kg-panel-title").focus({preventScroll: true});
    writeUrl();
  }
  function closePanel() {
    const had = !panel.hidden;
    panel.hidden = true;
    state.selection = null;
    showGraph(null, null);
    writeUrl();
    if (had && returnFocus && document.contains(returnFocus)) returnFocus.focus({preventScroll: true});
  }
  document.getElementById("kg-panel-close").addEventListener("click", closePanel);
  document.getElementById("kg-overview").addEventListener("click", closePanel);
  document.addEventListener("keydown", (ev) => {
    if (ev.key !== "Escape") return;
    if (!resultsBox.hidden) { hideResults(); return; }
    const inTable = document.getElementById("kg-tables").contains(document.activeElement);
    if (inTable && document.activeElement.type === "text" && document.activeElement.value) return;  // clears itself
    if (!panel.hidden) closePanel();
  });

  /* ---- Filters (the legend is the control: shape, colour and count per type and relation). ---- */
  function countBy(list, key) {
    const out = {};
    list.forEach((x) => { out[x[key]] = (out[x[key]] || 0) + 1; });
    return out;
  }
  const typeCounts = countBy(data.nodes, "type"), relCounts = countBy(data.edges, "predicate");
  function checkbox(parent, value, kind, mark, text, count) {
    const label = el("label", "check"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.dataset.kind = kind; box.value = value;
    box.addEventListener("change", () => {
      if (box.checked) state[kind].add(value); else state[kind].delete(value);
      redraw(true);
      writeUrl();
    });
    add(parent, add(label, box, mark, el("span", null, text), el("span", "count", fmt(count || 0))));
  }
  TYPES.forEach((t) => checkbox(document.getElementById("kg-types"), t, "types", swatch(t), t, typeCounts[t]));
  RELS.forEach((r) => {
    const s = relStyle(r), line = el("span", "line" + (s.dashes ? " dashed" : "") + (s.arrow ? " arrow" : ""));
    line.style.borderTopColor = s.colour; line.style.borderLeftColor = s.colour; line.style.color = s.colour;
    line.setAttribute("aria-hidden", "true");
    checkbox(document.getElementById("kg-relations"), r, "relations", line,
             r + (s.label && s.label !== r ? " (\u201c" + s.label + "\u201d)" : ""), relCounts[r]);
  });
  function setType(t, on) {
    if (on) state.types.add(t); else state.types.delete(t);
    const box = document.querySelector('#kg-types input[value="' + CSS.escape(t) + '"]');
    if (box) box.checked = on;
  }
  const slider = document.getElementById("kg-min-support"), sliderValue = document.getElementById("kg-min-support-value");
  slider.min = String(minSupport); slider.max = String(maxSupport); slider.value = String(minSupport);
  sliderValue.textContent = slider.value;
  slider.addEventListener("input", () => {
    state.minSupport = Number(slider.value); sliderValue.textContent = slider.value;
    redraw(true); writeUrl();
  });
  const topBox = document.getElementById("kg-top");
  TOP_CHOICES.forEach((k) => {
    const label = k === byDegree.length ? "all " + fmt(k) + (k < data.nodes.length ? " most supported" : "") + " entities"
      : "the " + fmt(k) + " most connected";
    put(topBox, el("option", null, label)).value = String(k);
  });
  function setTop(k) {
    state.top = TOP_CHOICES.includes(k) ? k : DEFAULT_TOP;
    topBox.value = String(state.top);
    topSet = new Set(byDegree.slice(0, state.top));
    if (renderer) renderer.setSetting("labelRenderedSizeThreshold", state.top <= 500 ? 2 : 7);
  }
  topBox.addEventListener("change", () => { setTop(Number(topBox.value)); if (!focusGraph) redraw(true); writeUrl(); });
  const loneBox = document.getElementById("kg-lone");
  loneBox.addEventListener("change", () => { state.lone = loneBox.checked; redraw(true); writeUrl(); });

  /* ---- Search over names, aliases and paper titles: exact, prefix, word, substring, then typo-tolerant. ---- */
  const compact = (s) => String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "");
  const spaced = (s) => " " + String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, " ").trim() + " ";
  let index = null;
  function searchIndex() {
    if (index) return index;
    const keys = [], words = [], refs = [];
    data.nodes.forEach((n) => [n.label].concat(n.aliases).forEach((name, k) => {
      keys.push(compact(name)); words.push(spaced(name)); refs.push([0, n.id, k ? name : null]);
    }));
    paperIds.forEach((pid) => { const t = papers[pid].title; keys.push(compact(t)); words.push(spaced(t)); refs.push([1, pid, null]); });
    index = {keys: keys, words: words, refs: refs,
             fuzzy: new V.uFuzzy({intraMode: 1, intraIns: 1, intraSub: 1, intraTrn: 1, intraDel: 1})};
    return index;
  }
  function find(query, limit) {
    const q = compact(query), qs = spaced(query).trim();
    if (!q) return [];
    const ix = searchIndex(), best = new Map();
    function offer(i, tier) {
      const ref = ix.refs[i], key = ref[0] + ":" + ref[1];
      const weight = ref[0] ? 0 : byId.get(ref[1]).paper_count;
      const rank = [tier, ref[0], -weight, ix.keys[i].length];
      const old = best.get(key);
      if (!old || compareRank(rank, old.rank) < 0) best.set(key, {kind: ref[0] ? "paper" : "entity", id: ref[1], alias: ref[2], rank: rank});
    }
    const keys = ix.keys, words = ix.words;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k === q) offer(i, 0);
      else if (k.startsWith(q)) offer(i, 1);
      else if (qs && words[i].indexOf(" " + qs) >= 0) offer(i, 2);
      else if (q.length >= 3 && k.indexOf(q) >= 0) offer(i, 3);
    }
    if (best.size < limit && q.length >= 3) {
      const hits = ix.fuzzy.filter(words, qs) || [];
      for (let j = 0; j < hits.length && j < 5000; j++) offer(hits[j], 4);
    }
    return [...best.values()].sort((a, b) => compareRank(a.rank, b.rank)).slice(0, limit);
  }
  function compareRank(a, b) {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
  }
  const searchBox = document.getElementById("kg-search"), resultsBox = document.getElementById("kg-results");
  let found = [], active = -1;
  function showResults(query) {
    found = find(query, 12);
    active = found.length ? 0 : -1;
    resultsBox.replaceChildren();
    found.forEach((r, i) => {
      const li = el("li");
      li.id = "kg-result-" + i;
      li.setAttribute("role", "option");
      if (r.kind === "entity") {
        const n = byId.get(r.id);
        add(li, swatch(n.type), el("span", null, n.label), r.alias ? el("span", "why", "(" + r.alias + ")") : null,
            el("span", "what", n.type + " \u00b7 " + plural(n.paper_count, "paper")));
      } else add(li, el("span", null, paperTitle(r.id)), el("span", "what", "paper \u00b7 " + (papers[r.id].date || "no date")));
      li.addEventListener("mousedown", (ev) => ev.preventDefault());  // keep focus in the box
      li.addEventListener("click", () => choose(i));
      add(resultsBox, li);
    });
    resultsBox.hidden = !found.length;
    searchBox.setAttribute("aria-expanded", found.length ? "true" : "false");
    markActive();
    status("kg-search-status", query.trim() ? (found.length ? plural(found.length, "match") .replace("matchs", "matches") +
      ": Enter opens the first, arrows move." : "Nothing matches \u201c" + query.trim() + "\u201d.") : "");
  }
  function markActive() {
    [...resultsBox.children].forEach((li, i) => li.setAttribute("aria-selected", i === active ? "true" : "false"));
    if (active >= 0) { searchBox.setAttribute("aria-activedescendant", "kg-result-" + active);
                       resultsBox.children[active].scrollIntoView({block: "nearest"}); }
    else searchBox.removeAttribute("aria-activedescendant");
  }
  function hideResults() { resultsBox.hidden = true; searchBox.setAttribute("aria-expanded", "false"); }
  function choose(i) {
    const r = found[i];
    if (!r) return null;
    hideResults();
    const label = r.kind === "entity" ? byId.get(r.id).label : paperTitle(r.id);
    status("kg-search-status", "Showing " + label + ".");
    if (r.kind === "entity") selectEntity(r.id, {focusPanel: false}); else selectPaper(r.id, {focusPanel: false});
    return r.id;
  }
  let pending = 0;
  searchBox.addEventListener("input", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => showResults(searchBox.value));
  });
  searchBox.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (resultsBox.hidden) showResults(searchBox.value);
      if (found.length) active = (active + (ev.key === "ArrowDown" ? 1 : found.length - 1)) % found.length;
      markActive();
      ev.preventDefault();
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      cancelAnimationFrame(pending);
      if (resultsBox.hidden || !found.length) showResults(searchBox.value);
      choose(Math.max(0, active));
    } else if (ev.key === "Escape" && !resultsBox.hidden) {
      hideResults();
      ev.stopPropagation();
    }
  });
  searchBox.addEventListener("blur", () => setTimeout(hideResults, 150));
  document.getElementById("kg-search-form").addEventListener("submit", (ev) => ev.preventDefault());
  /* For scripts and tests: search as if typed and Enter pressed; returns the id chosen, or null. */
  function search(query) {
    searchBox.value = query;
    showResults(query);
    return choose(0);
  }

  /* ---- Tables: sortable, filterable, paged; every name selects; visible rows export as CSV or JSON. ---- */
  const relLabel = (p) => p + (relStyle(p).label !== p ? " (" + relStyle(p).label + ")" : "");
  const entityLink = (id) => nameButton(id);
  const TABLES = {
    entities: {label: "Entities", rows: () => data.nodes, sort: ["papers", -1],
      text: (n) => n.label + " " + n.aliases.join(" "),
      selects: [{key: "type", label: "Type", options: TYPES, test: (n, v) => n.type === v}],
      columns: [
        {key: "name", label: "Name", value: (n) => n.label.toLowerCase(), cell: (n) => entityLink(n.id), csv: (n) => n.label},
        {key: "type", label: "Type", value: (n) => n.type, cell: (n) => add(el("span", "kind"), swatch(n.type), n.type)},
        {key: "papers", label: "Papers", num: true, value: (n) => n.paper_count},
        {key: "relations", label: "Relations", num: true, value: (n) => n.edges.length},
        {key: "beats", label: "Beats", num: true, value: (n) => counts(n).beats},
        {key: "beaten", label: "Beaten by", num: true, value: (n) => counts(n).beatenBy},
        {key: "evaluated", label: "Evaluated on it", num: true, value: (n) => counts(n).evaluatedHere},
        {key: "first", label: "First seen", value: (n) => n.first_seen || ""},
        {key: "id", label: "Id", value: (n) => n.id, hidden: true},
      ]},
    relations: {label: "Relations", rows: () => data.edges, sort: ["support", -1],
      text: null,
      filterText: (e, q, side) => (side !== "object" && byId.get(e.from).search.indexOf(q) >= 0) ||
        (side !== "subject" && byId.get(e.to).search.indexOf(q) >= 0),
      selects: [{key: "relation", label: "Relation", options: RELS, test: (e, v) => e.predicate === v},
                {key: "side", label: "Name in", options: ["subject", "object"], any: "either side", test: () => true}],
      columns: [
        {key: "subject", label: "Subject", value: (e) => nameOf(e.from).toLowerCase(), cell: (e) => entityLink(e.from),
         csv: (e) => nameOf(e.from)},
        {key: "relation", label: "Relation", value: (e) => e.predicate, cell: (e) => edgeButton(e, relLabel(e.predicate)),
         csv: (e) => e.predicate},
        {key: "object", label: "Object", value: (e) => nameOf(e.to).toLowerCase(), cell: (e) => entityLink(e.to),
         csv: (e) => nameOf(e.to)},
        {key: "support", label: "Support", num: true, value: (e) => e.support || 0},
        {key: "evidence", label: "Evidence", value: (e) => (e.evidence[0] ? e.evidence[0][1] : ""), className: "ev",
         cell: (e) => el("span", "quote", e.evidence[0] ? "\u201c" + e.evidence[0][1] + "\u201d" : "")},
      ]},
    papers: {label: "Papers", rows: () => paperIds, sort: ["date", -1],
      text: (pid) => paperTitle(pid),
      columns: [
        {key: "title", label: "Title", value: (pid) => paperTitle(pid).toLowerCase(), cell: (pid) => paperButton(pid),
         csv: (pid) => paperTitle(pid)},
        {key: "date", label: "Date", value: (pid) => papers[pid].date || ""},
        {key: "proposes", label: "Proposes", value: (pid) => (paperEntities.get(pid) || []).filter((x) => x[1] === "proposed")
          .map((x) => x[0].label).join(", "), cell: (pid) => {
          const span = el("span");
          (paperEntities.get(pid) || []).filter((x) => x[1] === "proposed").slice(0, 4).forEach((x, i) => {
            add(span, i ? ", " : null, nameButton(x[0].id));
          });
          return span;
        }},
        {key: "entities", label: "Entities", num: true, value: (pid) => (paperEntities.get(pid) || []).length},
        {key: "relations", label: "Relations", num: true, value: (pid) => (paperEdges.get(pid) || []).length},
        {key: "id", label: "Id", value: (pid) => pid, hidden: true},
      ]},
  };
  if (results.length) {
    TABLES.results = {label: "Results", rows: () => results, sort: ["dataset", 1],
      text: (r) => [nameOf(r.subject), nameOf(r.metric), nameOf(r.dataset), r.value].join(" "),
      selects: [{key: "kind", label: "Kind", options: ["absolute", "delta"], test: (r, v) => r.kind === v}],
      columns: [
        {key: "dataset", label: "Dataset", value: (r) => nameOf(r.dataset).toLowerCase(), cell: (r) => entityCell(r.dataset),
         csv: (r) => nameOf(r.dataset)},
        {key: "metric", label: "Metric", value: (r) => nameOf(r.metric).toLowerCase(), cell: (r) => entityCell(r.metric),
         csv: (r) => nameOf(r.metric)},
        {key: "method", label: "Method", value: (r) => nameOf(r.subject).toLowerCase(), cell: (r) => entityCell(r.subject),
         csv: (r) => nameOf(r.subject)},
        {key: "value", label: "Value", num: true, value: (r) => (r.number === null ? -Infinity : r.number),
         cell: (r) => el("span", null, r.value), csv: (r) => r.value},
        {key: "kind", label: "Kind", value: (r) => r.kind},
        {key: "baseline", label: "Baseline", value: (r) => nameOf(r.baseline), cell: (r) => entityCell(r.baseline)},
        {key: "paper", label: "Paper", value: (r) => paperTitle(r.paper), cell: (r) => paperCell(r.paper)},
        {key: "evidence", label: "Evidence", value: (r) => r.evidence, className: "ev", cell: evidenceCell},
      ]};
  }
  data.nodes.forEach((n) => { n.search = (n.label + " " + n.aliases.join(" ")).toLowerCase(); });
  Object.keys(TABLES).forEach((k) => {
    state.tables[k] = {filter: "", sort: TABLES[k].sort.slice(), selects: {}, shown: PAGE};
  });
  const tabs = document.getElementById("kg-tabs"), tools = document.getElementById("kg-table-tools"),
        wrap = document.getElementById("kg-table-wrap");
  Object.keys(TABLES).forEach((k) => {
    const b = el("button", null, TABLES[k].label);
    b.type = "button"; b.id = "kg-tab-" + k; b.setAttribute("role", "tab"); b.setAttribute("aria-controls", "kg-table-wrap");
    b.addEventListener("click", () => { state.tab = k; renderTable(true); writeUrl(); });
    b.addEventListener("keydown", (ev) => {
      const keys = Object.keys(TABLES), i = keys.indexOf(k);
      if (ev.key !== "ArrowRight" && ev.key !== "ArrowLeft") return;
      const next = keys[(i + (ev.key === "ArrowRight" ? 1 : keys.length - 1)) % keys.length];
      state.tab = next; renderTable(true); writeUrl();
      document.getElementById("kg-tab-" + next).focus();
    });
    add(tabs, b);
  });
  function tableRows(k) {
    const T = TABLES[k], s = state.tables[k], q = s.filter.trim().toLowerCase();
    let rows = T.rows();
    (T.selects || []).forEach((sel) => {
      const v = s.selects[sel.key];
      if (v && sel.key !== "side") rows = rows.filter((r) => sel.test(r, v));
    });
    if (q) rows = T.filterText ? rows.filter((r) => T.filterText(r, q, s.selects.side)) :
      rows.filter((r) => T.text(r).toLowerCase().indexOf(q) >= 0);
    const col = T.columns.find((c) => c.key === s.sort[0]) || T.columns[0], dir = s.sort[1];
    const keyed = rows.map((r) => [col.value(r), r]);
    keyed.sort((a, b) => (a[0] < b[0] ? -dir : a[0] > b[0] ? dir : 0));
    return keyed.map((x) => x[1]);
  }
  let filterTimer = 0, lastRows = [];
  function renderTable(rebuildTools) {
    const k = state.tab, T = TABLES[k], s = state.tables[k];
    Object.keys(TABLES).forEach((t) => {
      const b = document.getElementById("kg-tab-" + t);
      b.setAttribute("aria-selected", t === k ? "true" : "false");
      b.tabIndex = t === k ? 0 : -1;
    });
    wrap.setAttribute("aria-labelledby", "kg-tab-" + k);
    if (rebuildTools) buildTools(k);
    const rows = lastRows = tableRows(k);
    const table = el("table"), tr = put(put(table, el("thead")), el("tr"));
    T.columns.filter((c) => !c.hidden).forEach((c) => {
      const th = put(tr, el("th", c.num ? "num" : null)), b = put(th, el("button", null, c.label));
      b.type = "button";
      th.setAttribute("aria-sort", s.sort[0] === c.key ? (s.sort[1] > 0 ? "ascending" : "descending") : "none");
      if (s.sort[0] === c.key) add(b, el("span", null, s.sort[1] > 0 ? " \u25b2" : " \u25bc"));
      b.addEventListener("click", () => {
        s.sort = [c.key, s.sort[0] === c.key ? -s.sort[1] : c.num ? -1 : 1];
        renderTable(false); writeUrl();
        wrap.querySelector('th[aria-sort]:not([aria-sort="none"]) button').focus();
      });
    });
    const tbody = put(table, el("tbody"));
    rows.slice(0, s.shown).forEach((r) => {
      const row = put(tbody, el("tr"));
      T.columns.filter((c) => !c.hidden).forEach((c) => {
        const td = put(row, el("td", (c.num ? "num " : "") + (c.className || "")));
        if (c.cell) add(td, c.cell(r)); else td.textContent = String(c.value(r));
      });
    });
    wrap.replaceChildren(table);
    if (rows.length > s.shown) {
      const more = put(wrap, el("button", "more", "Show " + fmt(Math.min(PAGE, rows.length - s.shown)) + " more of " +
                                fmt(rows.length - s.shown)));
      more.type = "button";
      more.addEventListener("click", () => { s.shown += PAGE; renderTable(false); });
    }
    status("kg-table-count", plural(rows.length, "row") + (rows.length > s.shown ? ", " + fmt(s.shown) + " listed" : ""));
  }
  function buildTools(k) {
    const T = TABLES[k], s = state.tables[k];
    tools.replaceChildren();
    const lab = put(tools, el("label", null, "Filter")), input = put(lab, el("input"));
    input.type = "text"; input.id = "kg-table-filter"; input.value = s.filter;
    input.placeholder = k === "relations" ? "a name, e.g. ImageNet" : "words in the name or title";
    input.addEventListener("input", () => {
      clearTimeout(filterTimer);
      filterTimer = setTimeout(() => { s.filter = input.value; s.shown = PAGE; renderTable(false); writeUrl(); }, 120);
    });
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape" && input.value) { input.value = ""; s.filter = ""; renderTable(false); writeUrl(); ev.stopPropagation(); }
    });
    (T.selects || []).forEach((sel) => {
      const l = put(tools, el("label", null, sel.label)), select = put(l, el("select"));
      select.id = "kg-table-" + sel.key;
      put(select, el("option", null, sel.any || "all")).value = "";
      sel.options.forEach((o) => { put(select, el("option", null, o)).value = o; });
      select.value = s.selects[sel.key] || "";
      select.addEventListener("change", () => { s.selects[sel.key] = select.value; s.shown = PAGE; renderTable(false); writeUrl(); });
    });
    const csv = put(tools, el("button", null, "Export CSV")), json = put(tools, el("button", null, "Export JSON"));
    csv.type = json.type = "button";
    csv.addEventListener("click", () => exportRows("csv"));
    json.addEventListener("click", () => exportRows("json"));
    put(tools, el("span", "count")).id = "kg-table-count";
  }
  /* The rows that pass the table's filters (all of them, not only the listed page), as the table shows them. */
  function exportRows(format) {
    const k = state.tab, cols = TABLES[k].columns;
    const records = lastRows.map((r) => {
      const o = {};
      cols.forEach((c) => { o[c.key] = c.csv ? c.csv(r) : c.value(r); });
      return o;
    });
    if (format === "json") return download(new Blob([JSON.stringify(records, null, 1)], {type: "application/json"}),
                                           "kg-" + k + ".json");
    const cell = (v) => { const s = String(v === null || v === undefined ? "" : v); return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; };
    const lines = [cols.map((c) => cell(c.label)).join(",")].concat(records.map((o) => cols.map((c) => cell(o[c.key])).join(",")));
    return download(new Blob([lines.join("\r\n") + "\r\n"], {type: "text/csv"}), "kg-" + k + ".csv");
  }
  function download(blob, name) {
    const a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 5000);
    window.kg.lastExport = {name: name, size: blob.size};
    status("kg-action-status", "Saved " + name + ".");
    return name;
  }

  /* ---- PNG of the view: the layers sigma just drew, composed on white. ---- */
  function exportPng() {
    if (!renderer) return null;
    renderer.refresh();  // draw now, so the WebGL buffers still hold the frame when copied
    const layers = renderer.getCanvases(), dims = renderer.getDimensions(), ratio = window.devicePixelRatio || 1;
    const out = el("canvas");
    out.width = dims.width * ratio; out.height = dims.height * ratio;
    const ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, out.width, out.height);
    ["edges", "nodes", "edgeLabels", "labels"].forEach((name) => {
      if (layers[name]) ctx.drawImage(layers[name], 0, 0, out.width, out.height);
    });
    out.toBlob((blob) => download(blob, "kg-view.png"), "image/png");
    return "kg-view.png";
  }
  document.getElementById("kg-export-png").addEventListener("click", exportPng);

  /* ---- The URL holds the view: #entity=lora&types=Method,Model&rels=...&support=2&tab=relations ---- */
  let applying = false;
  function writeUrl() {
    if (applying) return;
    const p = new URLSearchParams();
    if (state.selection) p.set(state.selection.kind, state.selection.id);
    if (state.types.size !== TYPES.length) p.set("types", TYPES.filter((t) => state.types.has(t)).join(","));
    if (state.relations.size !== RELS.length) p.set("rels", RELS.filter((r) => state.relations.has(r)).join(","));
    if (state.minSupport !== minSupport) p.set("support", String(state.minSupport));
    if (state.lone) p.set("lone", "1");
    if (state.top !== DEFAULT_TOP) p.set("top", String(state.top));
    if (state.tab !== "entities") p.set("tab", state.tab);
    const t = state.tables[state.tab];
    if (t.filter) p.set("filter", t.filter);
    Object.keys(t.selects).forEach((k) => { if (t.selects[k]) p.set(k, t.selects[k]); });
    if (t.sort.join() !== TABLES[state.tab].sort.join()) p.set("sort", t.sort[0] + (t.sort[1] > 0 ? "" : ":desc"));
    const hash = p.toString();
    if (hash !== location.hash.slice(1)) history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
  }
  function readUrl(first) {
    const p = new URLSearchParams(location.hash.slice(1));
    applying = true;
    const list = (key, all) => (p.has(key) ? new Set(p.get(key).split(",").filter((x) => all.includes(x))) : new Set(all));
    state.types = list("types", TYPES);
    state.relations = list("rels", RELS);
    document.querySelectorAll("#kg-types input, #kg-relations input").forEach((box) => {
      box.checked = state[box.dataset.kind].has(box.value);
    });
    state.minSupport = Math.min(maxSupport, Math.max(minSupport, Number(p.get("support")) || minSupport));
    slider.value = String(state.minSupport); sliderValue.textContent = slider.value;
    state.lone = loneBox.checked = p.get("lone") === "1";
    setTop(Number(p.get("top")) || DEFAULT_TOP);
    state.tab = TABLES[p.get("tab")] ? p.get("tab") : "entities";
    const t = state.tables[state.tab], T = TABLES[state.tab];
    t.filter = p.get("filter") || "";
    (T.selects || []).forEach((sel) => { t.selects[sel.key] = sel.options.includes(p.get(sel.key)) ? p.get(sel.key) : ""; });
    if (p.has("sort")) {
      const [key, desc] = p.get("sort").split(":");
      if (T.columns.some((c) => c.key === key)) t.sort = [key, desc ? -1 : 1];
    }
    if (first !== true) renderTable(true);
    const ok = (p.has("entity") && selectEntity(p.get("entity"), {focusPanel: false})) ||
      (p.has("paper") && selectPaper(p.get("paper"), {focusPanel: false})) ||
      (p.has("edge") && selectEdge(p.get("edge"), {focusPanel: false}));
    if (!ok) { if (!panel.hidden) closePanel(); else redraw(true); }
    applying = false;
  }
  window.addEventListener("hashchange", () => readUrl(false));
  async function copyLink() {
    writeUrl();
    const url = location.href;
    try {
      await navigator.clipboard.writeText(url);
      status("kg-action-status", "Link copied: " + url);
    } catch (err) {
      const area = el("textarea");
      area.value = url; area.setAttribute("aria-hidden", "true"); area.style.position = "fixed"; area.style.left = "-9999px";
      document.body.appendChild(area); area.select();
      const ok = document.execCommand && document.execCommand("copy");
      area.remove();
      status("kg-action-status", (ok ? "Link copied: " : "Copy this link: ") + url);
    }
    return url;
  }
  document.getElementById("kg-copy-link").addEventListener("click", copyLink);

  /* ---- Start: title, summary, notice; the opening view; then the rest when the first frame is up. ---- */
  document.title = meta.title;
  status("kg-title", meta.title);
  status("kg-summary", fmt(meta.entities) + " entities, " + fmt(meta.relations) + " relations, " +
    fmt(meta.papers) + " papers" + (results.length ? ", " + fmt(results.length) + " results" : "") + ".");
  const notices = [];
  if (meta.left_out_nodes > 0) notices.push("The page holds the " + fmt(meta.shown_nodes) + " most connected of " +
    fmt(meta.entities) + " entities: " + fmt(meta.left_out_nodes) + " entities and " + fmt(meta.left_out_edges) +
    " relations are left out (max_nodes = " + meta.max_nodes + ").");
  if (viewNodes.length < data.nodes.length) notices.push("The overview draws the " + fmt(viewNodes.length) +
    " most supported entities; search and the tables cover all " + fmt(data.nodes.length) + ".");
  if (notices.length) { const notice = document.getElementById("kg-notice"); notice.hidden = false; notice.textContent = notices.join(" "); }
  window.kg = {state: state, renderer: renderer, overview: overview, byId: byId, find: find, search: search,
               selectEntity: selectEntity, selectPaper: selectPaper, selectEdge: selectEdge, closePanel: closePanel,
               visible: () => ({nodes: [...visibleNodes].sort(), edges: [...visibleEdges].sort()}),
               graph: () => (renderer ? renderer.getGraph() : null), tableRows: () => lastRows,
               exportPng: exportPng, exportRows: exportRows, copyLink: copyLink, writeUrl: writeUrl, lastExport: null};
  readUrl(true);
  requestAnimationFrame(() => requestAnimationFrame(() => {
    window.kgReadyMs = performance.now();
    renderTable(true);  // the tables and the search index come right after the first frame
    window.kgReady = true;
    setTimeout(searchIndex, 0);
  }));
})();
