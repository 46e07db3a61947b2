// Shared by the worker pages: page data, JSON calls, the answer saver and visit timing.
// Everything shown comes from the server-rendered page; scripts only move elements and
// set textContent or attributes, never HTML.

export function pageData() {
  const node = document.getElementById("page-data");
  return node ? JSON.parse(node.textContent) : {};
}

export class RequestError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

export async function postJSON(url, body) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
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
    throw new RequestError(message, response.status);
  }
  return data;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const RETRIES = 4;

// Sends answers one after another (so the last answer given is the one stored), retries
// network failures with backoff, and keeps what could not be sent to send it again on
// flush(). A refusal from the server (4xx) is shown and not retried.
export class Saver {
  constructor(url, statusNode) {
    this.url = url;
    this.statusNode = statusNode;
    this.chain = Promise.resolve();
    this.pending = 0;
    this.unsent = new Map();
    this.refusal = "";
    this.show();
  }

  show(text) {
    if (!this.statusNode) return;
    let message = text;
    if (!message) {
      if (this.refusal) message = this.refusal;
      else if (this.pending) message = "Saving\u2026";
      else if (this.unsent.size) message = "Not saved yet: check your connection.";
      else message = "All answers saved.";
    }
    this.statusNode.textContent = message;
    this.statusNode.classList.toggle("error", Boolean(this.refusal || this.unsent.size));
  }

  save(body) {
    const key = `${body.candidate}|${body.criterion}`;
    this.unsent.delete(key);
    this.pending += 1;
    this.show();
    const send = async () => {
      for (let attempt = 0; ; attempt += 1) {
        try {
          const data = await postJSON(this.url, body);
          this.refusal = "";
          return data;
        } catch (error) {
          if (error.status >= 400 && error.status < 500) {
            this.refusal = error.message;
            throw error;
          }
          if (attempt >= RETRIES) {
            this.unsent.set(key, body);
            throw error;
          }
          this.show("Connection problem, retrying\u2026");
          await sleep(400 * 2 ** attempt);
        }
      }
    };
    const result = this.chain.then(send);
    this.chain = result.then(
      () => undefined,
      () => undefined,
    );
    this.chain.then(() => {
      this.pending -= 1;
      this.show();
    });
    return result.catch(() => null);
  }

  // Resolves true once every answer given on this page is stored on the server.
  async flush() {
    for (const body of [...this.unsent.values()]) this.save(body);
    await this.chain;
    await Promise.resolve();
    return !this.refusal && this.unsent.size === 0;
  }
}

// Tell the server when the worker leaves the page, so time on each page is measured there.
export function timeVisit(data) {
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
