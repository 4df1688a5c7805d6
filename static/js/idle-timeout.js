/*
 * Staff sessions end after a period without requests (accounts.middleware.
 * StaffIdleTimeoutMiddleware). WCAG 2.2.1: warn before the end and let the
 * user extend it with one simple action.
 *
 * A while before the end the script asks the server how long is left (a GET
 * that does not count as activity, since another tab may have extended the
 * session); if the end is near it opens a modal alertdialog with the focus on
 * 「延長する」. The button (or Esc) posts the dialog's form, which extends the
 * session; the dialog closes and the focus returns where it was. If nobody
 * answers, the page goes to the login page when the session has ended (the
 * server shows why). Without this script nothing changes: the server still
 * logs out and says so on the next request.
 */
(function () {
  "use strict";

  var dialog = document.getElementById("idle-warning");
  if (!dialog || typeof dialog.showModal !== "function" || !window.fetch) {
    return;
  }
  var warningSeconds = Number(dialog.dataset.warning) || 120;
  var timeoutSeconds = Number(dialog.dataset.timeout) || 1800;
  var statusUrl = dialog.dataset.statusUrl;
  var loginUrl = dialog.dataset.loginUrl;
  var form = dialog.querySelector("form");
  var remaining = dialog.querySelector("[data-idle-remaining]");
  var deadline = Date.now() + timeoutSeconds * 1000;
  var checkTimer = null;
  var tickTimer = null;
  var returnFocus = null;

  function here() {
    return window.location.pathname + window.location.search;
  }

  function goToLogin(url) {
    window.location.assign((url || loginUrl) + "?next=" + encodeURIComponent(here()));
  }

  function describe(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    if (minutes > 0) {
      return "残り" + minutes + "分" + (rest ? rest + "秒" : "") + "です。";
    }
    return "残り" + rest + "秒です。";
  }

  function secondsLeft() {
    return Math.max(0, Math.round((deadline - Date.now()) / 1000));
  }

  function schedule(left) {
    deadline = Date.now() + left * 1000;
    window.clearTimeout(checkTimer);
    var wait = left > warningSeconds ? left - warningSeconds : left + 1;
    checkTimer = window.setTimeout(check, wait * 1000);
  }

  function ask(options) {
    return window
      .fetch(options && options.post ? form.action : statusUrl, {
        method: options && options.post ? "POST" : "GET",
        body: options && options.post ? new FormData(form) : undefined,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        return type.indexOf("application/json") === -1 ? null : response.json();
      });
  }

  function check() {
    ask()
      .then(function (data) {
        if (!data || data.logged_out || typeof data.seconds_left !== "number") {
          goToLogin(data && data.login_url);
          return;
        }
        if (data.seconds_left > warningSeconds) {
          close();
          schedule(data.seconds_left);
          return;
        }
        if (data.seconds_left <= 0) {
          goToLogin();
          return;
        }
        schedule(data.seconds_left);
        open();
      })
      .catch(function () {
        // The server could not be asked: warn on the local clock.
        if (secondsLeft() <= 0) {
          goToLogin();
        } else {
          schedule(secondsLeft());
          open();
        }
      });
  }

  function tick() {
    remaining.textContent = describe(secondsLeft());
  }

  function open() {
    tick();
    if (!dialog.open) {
      returnFocus = document.activeElement;
      dialog.showModal();
      form.querySelector("button").focus();
      window.clearInterval(tickTimer);
      tickTimer = window.setInterval(tick, 1000);
    }
  }

  function close() {
    window.clearInterval(tickTimer);
    if (dialog.open) {
      dialog.close();
      if (returnFocus && typeof returnFocus.focus === "function") {
        returnFocus.focus();
      }
    }
  }

  function extend() {
    ask({ post: true })
      .then(function (data) {
        if (!data || data.logged_out || typeof data.seconds_left !== "number") {
          goToLogin(data && data.login_url);
          return;
        }
        close();
        schedule(data.seconds_left);
      })
      .catch(function () {
        form.submit();
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    extend();
  });
  // Esc on a modal dialog fires "cancel": closing the warning means "still here".
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    extend();
  });

  schedule(timeoutSeconds);
})();
