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
