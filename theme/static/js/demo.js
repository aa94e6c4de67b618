/* "Deploy live demo": starts, follows and destroys the live demo through the demo API.
   The server renders every element; this script fills in text and switches states. State
   changes are announced (role=status); the ticking clock is not, so screen readers stay calm.
   With the human check on (a data-cf-demo-check box), Turnstile loads as the widget nears the
   screen; its token goes with the start, once. */
(() => {
  const root = document.querySelector("[data-cf-demo]");
  if (!root || !window.fetch) return;
  const api = (root.getAttribute("data-cf-api") || "").replace(/\/+$/, "");
  const $ = (name) => root.querySelector(`[data-cf-demo-${name}]`);
  const deploy = $("deploy");
  const destroy = $("destroy");
  const link = $("link");
  const status = $("status");
  const clock = $("time");
  const logs = $("logs");
  const log = $("log");
  const check = $("check");
  const checkMessage = $("check-message");

  const RUNNING = ["queued", "deploying", "destroying"];
  const SENTENCES = {
    idle: "No demo is running.",
    queued: "The pipeline is queued.",
    deploying: "The pipeline is deploying the demo.",
    ready: "The demo is ready.",
    destroying: "The demo is being destroyed.",
    failed: "The pipeline failed; destroy the demo to clean up.",
  };
  const FIRST_DELAY = 2000;
  const MAX_DELAY = 15000;

  let current = null;
  let receivedAt = 0;
  let delay = FIRST_DELAY;
  let timer = 0;
  let token = "";
  let challenge = null; // Turnstile's widget id once rendered
  let loading = null;

  const call = (method, path, headers) =>
    fetch(`${api}${path}`, { method, headers, credentials: "omit", cache: "no-store" }).then(
      (response) => response.json().then((body) => ({ status: response.status, body })),
    );

  const duration = (seconds) => {
    const s = Math.max(0, Math.round(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return h ? `${h} h ${m} min` : m ? `${m} min ${s % 60} s` : `${s} s`;
  };

  const tick = () => {
    if (!current || current.state === "idle" || current.elapsed_s == null) {
      clock.textContent = "";
      return;
    }
    const passed = (Date.now() - receivedAt) / 1000;
    clock.textContent =
      `Running for ${duration(current.elapsed_s + passed)}` +
      ` · destroyed in ${duration(current.remaining_s - passed)}`;
  };

  const say = (text) => {
    if (status.textContent !== text) status.textContent = text;
  };

  const show = (state) => {
    const before = current && current.state;
    current = state;
    receivedAt = Date.now();
    root.setAttribute("data-cf-state", state.state);
    let sentence = SENTENCES[state.state] || state.state;
    if (state.state === "failed" && state.last_error) sentence += ` (${state.last_error})`;
    say(sentence);
    deploy.disabled = state.state !== "idle";
    destroy.disabled = !["queued", "deploying", "ready", "failed"].includes(state.state);
    const url = state.environment_url || "";
    const usable = state.state === "ready" && /^https?:\/\//.test(url);
    link.href = usable ? url : "#";
    link.setAttribute("aria-hidden", usable ? "false" : "true");
    link.tabIndex = usable ? 0 : -1;
    tick();
    if (before !== state.state) delay = FIRST_DELAY;
  };

  const tell = (text) => {
    if (checkMessage) checkMessage.textContent = text;
  };

  const loadCheck = () => {
    if (loading) return;
    loading = document.createElement("script");
    loading.src = check.getAttribute("data-cf-turnstile-script");
    loading.onload = () => {
      const solved = (value) => (token = value);
      challenge = turnstile.render(check, {
        sitekey: check.getAttribute("data-cf-turnstile-sitekey"),
        callback: solved,
        "expired-callback": () => solved(""),
        "error-callback": () => tell("The human check failed to run; reload the page."),
      });
    };
    loading.onerror = () => tell("The human check failed to load; the demo cannot start.");
    document.head.append(loading);
  };

  const offline = (message) => {
    root.setAttribute("data-cf-state", "offline");
    say(message);
  };

  const refreshLogs = () => {
    if (!logs.open) return Promise.resolve();
    return call("GET", "/demo/logs")
      .then(({ status: code, body }) => {
        if (code !== 200) return;
        const text = body.jobs
          .map(
            (job) =>
              `── ${job.name} ──\n` +
              (job.truncated ? "(earlier lines cut)\n" : "") +
              job.text,
          )
          .join("\n");
        log.textContent = text || "No logs yet.";
        log.scrollTop = log.scrollHeight;
      })
      .catch(() => {});
  };

  const poll = () => {
    clearTimeout(timer);
    return call("GET", "/demo")
      .then(({ status: code, body }) => {
        if (code !== 200) throw new Error(`HTTP ${code}`);
        show(body);
        return refreshLogs();
      })
      .catch(() => offline("The demo service cannot be reached right now."))
      .finally(() => {
        // Back off while a pipeline runs; check rarely while nothing changes.
        const running = current && RUNNING.includes(current.state);
        timer = setTimeout(poll, running ? delay : MAX_DELAY * 2);
        delay = Math.min(MAX_DELAY, Math.round(delay * 1.5));
      });
  };

  const act = (method, headers) => {
    deploy.disabled = true;
    destroy.disabled = true;
    return call(method, "/demo", headers)
      .then(({ status: code, body }) => {
        if (code === 201 || code === 202) show(body);
        else if (code === 409 && body.current) show(body.current);
        else if (/^turnstile_/.test(body.error || "")) tell(body.message);
        else say(body.message || `The demo service answered ${code}.`);
      })
      .catch(() => offline("The demo service cannot be reached right now."))
      .finally(() => {
        delay = FIRST_DELAY;
        poll();
      });
  };

  deploy.addEventListener("click", () => {
    // One key per click: a retried request (flaky network) starts no second demo.
    const key = window.crypto && crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}`;
    if (!check) return act("POST", { "Idempotency-Key": key });
    if (!token) return tell("Complete the human check first.");
    tell("");
    act("POST", { "Idempotency-Key": key, "CF-Turnstile-Response": token }).then(() => {
      // A token is single-use: each start needs a freshly solved challenge.
      token = "";
      turnstile.reset(challenge);
    });
  });
  destroy.addEventListener("click", () => act("DELETE"));
  logs.addEventListener("toggle", refreshLogs);
  if (check && window.IntersectionObserver) {
    const near = (seen) => seen.some((entry) => entry.isIntersecting) && loadCheck();
    new IntersectionObserver(near, { rootMargin: "200px" }).observe(root);
  } else if (check) loadCheck();
  setInterval(tick, 1000);
  poll();
})();
