// The live collection view: render the campaign's numbers, then ask for them again every
// few seconds while the page is open (no reload; paused while the tab is hidden).
const config = JSON.parse(document.getElementById("live-config").textContent);
const root = document.getElementById("live");

function slot(name) {
  return root.querySelector(`[data-live="${name}"]`);
}

function cell(value) {
  const td = document.createElement("td");
  td.textContent = value === null || value === undefined ? "-" : String(value);
  return td;
}

function rows(name, records, columns) {
  const body = slot(name);
  const fresh = records.map((record) => {
    const tr = document.createElement("tr");
    columns.forEach((column) => tr.append(cell(column(record))));
    return tr;
  });
  if (!fresh.length) {
    const tr = document.createElement("tr");
    const td = cell("None yet.");
    td.colSpan = columns.length;
    tr.append(td);
    fresh.push(tr);
  }
  body.replaceChildren(...fresh);
}

function counts(name, mapping) {
  rows(name, Object.entries(mapping), [([state]) => state, ([, n]) => n]);
}

function number(value, digits = 3) {
  return typeof value === "number" ? value.toFixed(digits) : value;
}

function render(live) {
  slot("status").textContent = live.status;
  counts("hits", live.crowd.hits);
  counts("assignments", live.crowd.assignments);
  slot("median").textContent =
    live.crowd.minutes_per_assignment_median === null ? "-" : `${live.crowd.minutes_per_assignment_median} min`;
  slot("timed").textContent = live.crowd.assignments_timed;
  slot("committed").textContent = `$${live.money.committed}`;
  slot("paid").textContent = `$${live.money.paid}`;
  rows("answers", live.crowd.answers, [(r) => r.criterion, (r) => r.system, (r) => r.n]);
  const analysis = live.analysis;
  slot("why").textContent = analysis.available ? "" : analysis.why;
  const gold = analysis.gold || { n: 0, rate: null };
  slot("gold").textContent = gold.rate === null ? "no gold answers yet" : `${Math.round(gold.rate * 100)}% of ${gold.n}`;
  rows("agreement", analysis.agreement || [], [
    (r) => r.scope,
    (r) => number(r.fleiss_kappa),
    (r) => (r.ci95 ? `${number(r.ci95[0])} to ${number(r.ci95[1])}` : "-"),
    (r) => r.items,
  ]);
  rows("tests", analysis.tests || [], [
    (r) => r.test,
    (r) => r.scope,
    (r) => r.a,
    (r) => r.b,
    (r) => number(r.p),
    (r) => number(r.p_adjusted),
    (r) => (r.significant ? "yes (interim)" : "not yet"),
  ]);
  const monitoring = live.monitoring;
  slot("smallest").textContent =
    monitoring.smallest_difference === null || monitoring.smallest_difference === undefined
      ? "not set"
      : `${monitoring.smallest_difference} ${monitoring.unit}` +
        (monitoring.smallest_difference_from ? `, set by ${monitoring.smallest_difference_from}` : "");
  rows("monitoring", monitoring.comparisons, [
    (r) => r.family,
    (r) => r.a,
    (r) => r.b,
    (r) => r.items,
    (r) => number(r.estimate),
    (r) => (r.cs && r.cs[0] !== null ? `${number(r.cs[0])} to ${number(r.cs[1])}` : "-"),
    (r) => r.status,
  ]);
  slot("stopping").textContent = monitoring.stopped_early
    ? "Collection stopped early: every comparison is settled."
    : monitoring.stop_when_settled
      ? "Collection stops by itself once every comparison is decided or futile."
      : "Stopping when settled is off for this campaign.";
  rows("decisions", monitoring.decisions, [(r) => r.at, (r) => r.action, (r) => r.reason, (r) => r.hits_withdrawn, (r) => r.hits_added ?? 0]);
  const flagged = (analysis.workers || []).filter((w) => w.excluded);
  rows("workers", flagged, [(r) => r.worker, (r) => r.answers, (r) => r.excluded]);
  slot("updated").textContent = `Updated ${new Date().toLocaleTimeString()}; refreshed every ${config.every / 1000} s.`;
}

async function refresh() {
  if (document.visibilityState !== "hidden") {
    try {
      const response = await fetch(config.url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) render(await response.json());
      else slot("updated").textContent = `Could not refresh (${response.status}); trying again.`;
    } catch {
      slot("updated").textContent = "Offline; trying again.";
    }
  }
  setTimeout(refresh, config.every);
}

render(JSON.parse(document.getElementById("live-data").textContent));
setTimeout(refresh, config.every);
