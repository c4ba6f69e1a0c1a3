(function () {
  "use strict";
  var pop = document.getElementById("popover");
  if (!pop) { return; }
  var current = null;
  function close() {
    pop.hidden = true;
    if (current) { current.setAttribute("aria-expanded", "false"); current = null; }
  }
  function open(ref) {
    var note = document.getElementById("cite-" + ref.getAttribute("data-cite"));
    if (!note) { return false; }
    while (pop.firstChild) { pop.removeChild(pop.firstChild); }
    var btn = document.createElement("button");
    btn.className = "popover-close";
    btn.type = "button";
    btn.setAttribute("aria-label", "Close");
    btn.textContent = "\u00d7";
    btn.addEventListener("click", close);
    pop.appendChild(btn);
    for (var i = 0; i < note.childNodes.length; i++) { pop.appendChild(note.childNodes[i].cloneNode(true)); }
    if (current) { current.setAttribute("aria-expanded", "false"); }
    current = ref;
    ref.setAttribute("aria-expanded", "true");
    pop.hidden = false;
    var r = ref.getBoundingClientRect();
    var width = pop.offsetWidth;
    var left = Math.max(12, Math.min(window.scrollX + r.left - 20, window.scrollX + document.documentElement.clientWidth - width - 12));
    pop.style.left = left + "px";
    pop.style.top = (window.scrollY + r.bottom + 8) + "px";
    return true;
  }
  document.addEventListener("click", function (ev) {
    var ref = ev.target.closest ? ev.target.closest("a.ref") : null;
    if (ref) {
      if (ref === current) { close(); ev.preventDefault(); return; }
      if (open(ref)) { ev.preventDefault(); }
      return;
    }
    if (!pop.hidden && !pop.contains(ev.target)) { close(); }
  });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { close(); } });
})();
(function () {
  "use strict";
  // The index's filter and sort: progressive, the list reads in full without script.
  var tools = document.getElementById("index-tools");
  if (!tools) { return; }
  var filter = document.getElementById("story-filter");
  var sort = document.getElementById("story-sort");
  var count = document.getElementById("story-count");
  var none = document.getElementById("no-match");
  var lists = Array.prototype.slice.call(document.querySelectorAll("ol.story-list"));
  var cards = [];
  function fold(text) {
    // case and accents do not matter: "sao paulo" finds "São Paulo"
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  lists.forEach(function (list) {
    Array.prototype.forEach.call(list.children, function (card, i) {
      cards.push({ el: card, list: list, order: i, text: fold(card.textContent || "") });
    });
  });
  function key(card, by) {
    var d = card.el.dataset;
    if (by === "sources") { return [-(parseInt(d.sources, 10) || 0), card.order]; }
    if (by === "first") { return [d.first || "\uffff", card.order]; }
    return [card.order, 0];  // the page's own order: latest reports first
  }
  function compare(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (a[i] < b[i]) { return -1; }
      if (a[i] > b[i]) { return 1; }
    }
    return 0;
  }
  function apply() {
    var words = fold(filter.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card) {
      var match = words.every(function (w) { return card.text.indexOf(w) !== -1; });
      card.el.hidden = !match;
      if (match) { shown += 1; }
    });
    lists.forEach(function (list) {
      var own = cards.filter(function (c) { return c.list === list; });
      own.sort(function (a, b) { return compare(key(a, sort.value), key(b, sort.value)); });
      own.forEach(function (c) { list.appendChild(c.el); });
      var section = list.closest("section");
      if (section) { section.hidden = !own.some(function (c) { return !c.el.hidden; }); }
    });
    count.textContent = words.length ? shown + " of " + cards.length + " shown" : "";
    none.hidden = shown > 0;
  }
  filter.addEventListener("input", apply);
  sort.addEventListener("change", apply);
  tools.addEventListener("submit", function (ev) { ev.preventDefault(); });
  tools.hidden = false;
})();
