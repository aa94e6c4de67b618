/* Visitor counter: records this page view once and fills in the server-rendered widget.
   Without JavaScript, or when the API cannot be reached, the widget keeps its placeholders. */
(() => {
  const roots = document.querySelectorAll("[data-cf-counter]");
  if (!roots.length || !window.fetch) return;
  const api = (roots[0].getAttribute("data-cf-api") || "").replace(/\/+$/, "");
  const fields = [
    ["data-cf-views", "views"],
    ["data-cf-page-views", "page_views"],
    ["data-cf-visitors", "visitors"],
  ];
  const setState = (state) => roots.forEach((root) => root.setAttribute("data-cf-state", state));
  const fill = (attribute, text) =>
    roots.forEach((root) => {
      const target = root.querySelector(`[${attribute}]`);
      if (target) target.textContent = text;
    });

  // The API rejects fields over 1024 characters; a long referrer must not cost the visit.
  const visit = { path: location.pathname };
  const query = new URLSearchParams(location.search);
  const optional = {
    referrer: document.referrer,
    utm_source: query.get("utm_source"),
    utm_medium: query.get("utm_medium"),
    utm_campaign: query.get("utm_campaign"),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value) visit[key] = value.slice(0, 1024);
  }

  setState("loading");
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 8000);
  fetch(`${api}/visits`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(visit),
    credentials: "omit",
    signal: abort.signal,
  })
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then((numbers) => {
      if (!fields.every(([, key]) => Number.isInteger(numbers[key]))) {
        throw new Error("unexpected response");
      }
      for (const [attribute, key] of fields) fill(attribute, String(numbers[key]));
      setState("ready");
    })
    .catch(() => {
      fill("data-cf-status", "counter unavailable");
      setState("offline");
    })
    .finally(() => clearTimeout(timer));
})();
