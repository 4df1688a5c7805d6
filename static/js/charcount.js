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
    // The page's language comes with the field (data-count-text, data-count-over-text);
    // a field without them is counted in Japanese.
    var okText = area.getAttribute("data-count-text") || "現在 %(n)s 文字（あと %(left)s 文字）";
    var overText = area.getAttribute("data-count-over-text") || "現在 %(n)s 文字（%(over)s 文字多すぎます）";
    function fill(text, values) {
      return text.replace(/%\((\w+)\)s/g, function (all, key) { return key in values ? values[key] : all; });
    }
    function update() {
      var n = Array.from(area.value).length;
      var values = { n: n.toLocaleString(), left: (max - n).toLocaleString(), over: (n - max).toLocaleString() };
      out.textContent = fill(n <= max ? okText : overText, values);
      out.classList.toggle("over", n > max);
    }
    // Announce at most twice a second so screen readers are not flooded.
    area.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 500); });
    update();
  }
  document.querySelectorAll("textarea[data-max-chars]").forEach(attach);
})();
