// Live character count for textareas with data-max-chars. Counts code points
// (as the server does), so 𠮷 counts as one. Progressive enhancement only:
// the form works and is validated without it.
(function () {
  "use strict";
  function attach(area) {
    var max = parseInt(area.getAttribute("data-max-chars"), 10);
    if (!max) { return; }
    var out = document.createElement("p");
    out.className = "char-count";
    out.id = area.id + "_count";
    out.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", out);
    var timer = null;
    function update() {
      var n = Array.from(area.value).length;
      out.textContent = n <= max ? "現在 " + n.toLocaleString() + " 文字（あと " + (max - n).toLocaleString() + " 文字）"
                                 : "現在 " + n.toLocaleString() + " 文字（" + (n - max).toLocaleString() + " 文字多すぎます）";
      out.classList.toggle("over", n > max);
    }
    // Announce at most twice a second so screen readers are not flooded.
    area.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 500); });
    update();
  }
  document.querySelectorAll("textarea[data-max-chars]").forEach(attach);
})();
