// Shared by the worker pages: page data, JSON calls, the answer saver and visit timing.
// Everything shown comes from the server-rendered page; scripts only move elements and
// set textContent or attributes, never HTML.

export function pageData() {
  const node = document.getElementById("page-data");
  return node ? JSON.parse(node.textContent) : {};
}

export class RequestError extends Error {
  constructor(message, status, code = "") {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// Opening a page of this HIT in another window takes the HIT over: the server refuses
// this window's calls from then on (409, code "superseded"), and the page says so.
const SUPERSEDED = "superseded";
const session = pageData().session;

function showTakeover() {
  const banner = document.querySelector("[data-role=takeover]");
  if (banner) banner.hidden = false;
}

export async function postJSON(url, body) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      // Every call carries this window's session nonce, so a window that was taken over
      // can no longer write.
      body: JSON.stringify(session ? { ...body, session } : body),
      cache: "no-store",
    });
  } catch (error) {
    throw new RequestError("Could not reach the server.", 0);
  }
  let data = null;
  try {
    data = await response.json();
  } catch (error) {
    data = null;
  }
  if (!response.ok || (data && data.ok === false)) {
    const message = data && data.error ? data.error : `The server answered ${response.status}.`;
    const code = data && data.code ? data.code : "";
    if (code === SUPERSEDED) showTakeover();
    throw new RequestError(message, response.status, code);
  }
  return data;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const RETRIES = 4;

const keyOf = (answer) => `${answer.item}|${answer.candidate}|${answer.criterion}`;

// Saves answers in batches: answers given while a request is on its way go together in the
// next one ({"answers": [...]}, each acknowledged on its own), one request at a time, so the
// last answer given to a question is the one stored. Network failures are retried with
// backoff; what could not be sent is kept and sent again on flush(). A refusal from the
// server (4xx, or one answer refused) is shown and not retried.
const RESEND_AFTER = 10000; // ms: answers that could not be sent are tried again this often

export class Saver {
  constructor(url, statusNode, { onStatus = () => {} } = {}) {
    this.url = url;
    this.statusNode = statusNode;
    this.onStatus = onStatus;
    this.resendTimer = 0;
    this.queued = new Map();
    this.unsent = new Map();
    this.sending = null;
    this.refusal = "";
    this.stopped = false; // another window took the HIT over: nothing more is sent
    // Back online, send what could not be sent, so the status does not stay "Not saved yet".
    window.addEventListener("online", () => {
      if (this.unsent.size) this.flush();
    });
    this.show();
  }

  show(text) {
    if (!this.statusNode) return;
    let message = text;
    if (!message) {
      if (this.refusal) message = this.refusal;
      else if (this.sending || this.queued.size) message = "Saving\u2026";
      else if (this.unsent.size) message = "Not saved yet: check your connection.";
      else message = "All answers saved.";
    }
    this.statusNode.textContent = message;
    this.statusNode.classList.toggle("error", Boolean(this.refusal || this.unsent.size));
    this.onStatus();
  }

  // True while some answer given on this page could not be sent.
  hasUnsent() {
    return this.unsent.size > 0;
  }

  save(body) {
    if (this.stopped) return Promise.resolve();
    const key = keyOf(body);
    this.unsent.delete(key);
    this.queued.set(key, body);
    this.show();
    if (!this.sending) this.sending = this.drain();
    return this.sending;
  }

  // Sends what is queued, batch after batch, until nothing is left.
  async drain() {
    await Promise.resolve(); // answers given in the same moment share the first request
    while (this.queued.size) {
      const batch = [...this.queued.values()];
      this.queued.clear();
      await this.send(batch);
    }
    this.sending = null;
    this.show();
  }

  async send(batch) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const data = await postJSON(this.url, { answers: batch });
        const refused = data.answers.find((outcome) => !outcome.ok);
        this.refusal = refused ? refused.error : "";
        return;
      } catch (error) {
        if (error.status >= 400 && error.status < 500) {
          this.refusal = error.message;
          if (error.code === SUPERSEDED) {
            this.stopped = true;
            this.queued.clear();
            this.unsent.clear();
          }
          return;
        }
        // While the browser knows it is offline, retrying is pointless: keep the answers
        // for the "online" event.
        if (attempt >= RETRIES || navigator.onLine === false) {
          // Keep each answer unless the worker has given a newer one meanwhile.
          for (const body of batch) {
            if (!this.queued.has(keyOf(body))) this.unsent.set(keyOf(body), body);
          }
          this.scheduleResend();
          return;
        }
        this.show("Connection problem, retrying\u2026");
        await sleep(400 * 2 ** attempt);
      }
    }
  }

  // The "online" event does not come when only the server was out of reach: try again later.
  scheduleResend() {
    window.clearTimeout(this.resendTimer);
    this.resendTimer = window.setTimeout(() => {
      if (this.unsent.size && !this.sending) this.flush();
    }, RESEND_AFTER);
  }

  // Resolves true once every answer given on this page is stored on the server.
  async flush() {
    for (const body of [...this.unsent.values()]) this.save(body);
    while (this.sending) await this.sending;
    return !this.refusal && this.unsent.size === 0;
  }
}

// Tell the server when the worker leaves the page, so time on each page is measured there.
export function timeVisit(data) {
  // A page brought back from the back/forward cache holds an old session nonce: load it
  // afresh, so Back in one window is not mistaken for a second window.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && data.session) window.location.reload();
  });
  if (!data.visit || !data.urls) return;
  window.addEventListener("pagehide", () => {
    // fetch with keepalive outlives the page like sendBeacon, and can send application/json,
    // the only type the worker endpoints take (sendBeacon would send text/plain).
    fetch(data.urls.leave, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ visit: data.visit }),
      keepalive: true,
    }).catch(() => undefined);
  });
}
