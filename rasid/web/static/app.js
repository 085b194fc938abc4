/* Rasid web UI: the evidence highlighting and the offline-first map. Pages read without it. */
(function () {
  "use strict";

  // -- evidence: a figure's <mark> highlights the pieces of text inside its evidence span
  function highlight(mark) {
    var box = mark.closest(".article-text");
    if (!box) return;
    var start = +mark.dataset.evStart, end = +mark.dataset.evEnd;
    box.querySelectorAll(".evidence, .active").forEach(function (el) { el.classList.remove("evidence", "active"); });
    box.querySelectorAll("[data-s]").forEach(function (el) {
      if (+el.dataset.s >= start && +el.dataset.e <= end) el.classList.add("evidence");
    });
    mark.classList.add("active");
  }

  function wireEvidence() {
    document.querySelectorAll("mark.fig").forEach(function (mark) {
      mark.addEventListener("click", function () { highlight(mark); });
      mark.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); highlight(mark); }
      });
    });
    document.querySelectorAll("a.fig-link").forEach(function (link) {
      link.addEventListener("click", function () {
        var mark = document.getElementById(link.dataset.target);
        if (mark) highlight(mark);
      });
    });
    if (location.hash) {
      var target = document.getElementById(location.hash.slice(1));
      if (target && target.matches("mark.fig")) highlight(target);
    }
  }

  // -- map: local borders always; OSM tiles only while online; events sized by figure
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(url + " answered " + r.status);
      return r.json();
    });
  }

  function radius(figure) {
    return figure ? Math.max(5, Math.min(28, 4 + 2.2 * Math.sqrt(figure))) : 6;
  }

  function popup(p) {
    var box = document.createElement("div");
    box.dir = "auto";
    var title = document.createElement("strong");
    title.textContent = [p.type, p.subtype].filter(Boolean).join(" / ") + (p.date ? " · " + p.date : "");
    box.appendChild(title);
    var lines = [p.place, p.figure != null ? "≥ " + p.figure : "", (p.sources || []).join("، "),
                 p.disputed ? "⚠" : ""];
    lines.filter(Boolean).forEach(function (text) {
      var line = document.createElement("div");
      line.dir = "auto";  // a name in another script keeps its own direction
      line.textContent = text;
      box.appendChild(line);
    });
    if (p.story_id) {
      var a = document.createElement("a");
      a.href = "/stories/" + encodeURIComponent(p.story_id);
      a.textContent = "→";
      box.appendChild(a);
    }
    return box;
  }

  function eventLayer(data) {
    return L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        var p = feature.properties || {};
        return L.circleMarker(latlng, { radius: radius(p.figure), className: "rasid-marker",
          color: p.disputed ? "#b3261e" : "#0b6e69", weight: 2, fillOpacity: 0.45 });
      },
      style: function (feature) {
        if (feature.geometry.type === "LineString") {
          return { className: "rasid-movement", color: "#7a3db8", weight: 3, dashArray: "6 6" };
        }
        return {};
      },
      onEachFeature: function (feature, layer) { layer.bindPopup(popup(feature.properties || {})); }
    });
  }

  function baseLayer(map, url, style) {
    return getJSON(url).then(function (data) {
      L.geoJSON(data, { style: style, interactive: false }).addTo(map);
    }).catch(function () { /* a missing base layer leaves the others */ });
  }

  function addTiles(map) {
    if (!navigator.onLine) return;
    var tiles = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 18, attribution: "© OpenStreetMap contributors", opacity: 0.7
    });
    tiles.on("tileerror", function () { /* offline after all: the local layers stay */ });
    tiles.addTo(map);
    tiles.bringToBack();
  }

  function eventsData(el) {
    if (el.dataset.inline) {
      var node = document.getElementById(el.dataset.inline);
      return Promise.resolve(JSON.parse(node.textContent));
    }
    return getJSON(el.dataset.src);
  }

  function initMap(el) {
    if (typeof L === "undefined") return;
    var map = L.map(el, { preferCanvas: false }).fitBounds([[32.3, 35.7], [37.3, 42.4]]);
    el.rasidMap = map;
    addTiles(map);
    var bases = [
      baseLayer(map, el.dataset.world, { color: "#8a9aa5", weight: 1, fillColor: "#f4f1ea",
                                         fillOpacity: navigator.onLine ? 0.35 : 1 }),
      baseLayer(map, el.dataset.adm1, { color: "#6b7b86", weight: 1.2, fill: false }),
      baseLayer(map, el.dataset.adm2, { color: "#a8b4bc", weight: 0.6, dashArray: "2 3", fill: false })
    ];
    Promise.all(bases).then(function () { return eventsData(el); }).then(function (data) {
      var layer = eventLayer(data).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds.pad(0.3), { maxZoom: 10 });
      el.dataset.events = String((data.features || []).length);
    }).catch(function (err) { el.dataset.error = String(err); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    wireEvidence();
    var el = document.getElementById("map");
    if (el) initMap(el);
  });
})();
