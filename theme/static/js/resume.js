// The resume download widget: the link works without this script; this adds the count.
(() => {
  const root = document.querySelector("[data-cf-resume]");
  const line = root && root.querySelector("[data-cf-downloads]");
  if (!line || !root.dataset.cfApi) return;
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), 8000);
  root.dataset.cfState = "loading";
  fetch(root.dataset.cfApi + "/resume/stats", { signal: stop.signal, credentials: "omit" })
    .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
    .then((d) => {
      const n = d && d.downloads;
      if (!Number.isInteger(n) || n < 0) throw n;
      line.textContent =
        n === 1 ? "Downloaded once" : `Downloaded ${n.toLocaleString("en")} times`;
      root.dataset.cfState = "ready";
    })
    .catch(() => {
      root.dataset.cfState = "offline";
    })
    .finally(() => clearTimeout(timer));
})();
