// Progress of a background job (a CSV import, a theme computation): polls the
// page's JSON status ({finished, stalled, text, total, done}) and updates the
// status text (a polite live region) and the bar; reloads once the job has
// finished (or stalled) so the result, the errors or the resume button are
// shown. Progressive enhancement only: the page has a plain reload link.
(function () {
  "use strict";
  var box = document.querySelector(".job-progress[data-status-url]");
  if (!box || box.getAttribute("data-finished") === "true") { return; }
  var url = box.getAttribute("data-status-url");
  var status = box.querySelector('[role="status"]');
  var bar = box.querySelector("progress");
  // The page shows a "resume" button when the job has stalled: reload when
  // that changes, not on every poll.
  var shownStalled = box.getAttribute("data-stalled") === "true";
  var every = 3000;
  var wait = every;
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        if (data.finished || data.stalled !== shownStalled) { window.location.reload(); return; }
        // Only a changed text is re-announced by screen readers.
        if (status.textContent !== data.text) { status.textContent = data.text; }
        if (bar && data.total) { bar.max = data.total; bar.value = data.done; }
        wait = every;
        window.setTimeout(poll, wait);
      })
      .catch(function () {
        // A blip (server restart, network): back off, keep trying.
        wait = Math.min(wait * 2, 60000);
        window.setTimeout(poll, wait);
      });
  }
  window.setTimeout(poll, wait);
})();
