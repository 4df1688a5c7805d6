// Starts Swagger UI on the API docs page (templates/api/swagger_ui.html).
// A file of our own rather than drf-spectacular's inline script, which the
// Content-Security-Policy (script-src 'self') blocks.
"use strict";

(function () {
  const root = document.getElementById("swagger-ui");
  const settingsNode = document.getElementById("swagger-settings");
  const settings = settingsNode ? JSON.parse(settingsNode.textContent) : {};
  const csrfHeader = root.dataset.csrfHeader;
  const csrfToken = root.dataset.csrfToken;

  // "Try it out" with a browser session: writes need the CSRF token, which
  // is sent to our own origin only.
  const requestInterceptor = (request) => {
    const method = (request.method || "GET").toUpperCase();
    const sameOrigin = new URL(request.url, document.baseURI).origin === window.location.origin;
    if (sameOrigin && csrfHeader && csrfToken && !["GET", "HEAD", "OPTIONS"].includes(method)) {
      request.headers[csrfHeader] = csrfToken;
    }
    return request;
  };

  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    requestInterceptor,
    ...settings,
  });
})();
