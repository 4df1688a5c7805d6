// Error summary links (templates/includes/error_summary.html) point to a
// field's container, "#<id>_field". Following one only scrolls; this moves
// the focus into the field too (the checked radio, else the first control),
// so keyboard and screen-reader users can correct it at once.
// Progressive enhancement only: without it the link still scrolls there.
(function () {
  "use strict";
  var CONTROLS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";

  function firstControl(container) {
    var checked = container.querySelector("input[type=radio]:checked:not([disabled])");
    return checked || container.querySelector(CONTROLS);
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    var link = event.target.closest ? event.target.closest(".error-summary a[href^='#']") : null;
    if (!link) { return; }
    var id = decodeURIComponent(link.getAttribute("href").slice(1));
    var container = id ? document.getElementById(id) : null;
    if (!container) { return; }
    var control = firstControl(container);
    if (!control) { return; }
    event.preventDefault();
    // Show the label or legend above the control, then focus without a second jump.
    container.scrollIntoView({ block: "start" });
    control.focus({ preventScroll: true });
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#" + id);
    }
  });
})();
