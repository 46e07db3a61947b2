// The plan page: while the plan task runs, ask for its progress every second (no reload),
// and show the table of designs and the power curve once it has finished.
const config = JSON.parse(document.getElementById("plan-config").textContent);
const root = document.getElementById("plan");

function slot(name) {
  return root.querySelector(`[data-plan="${name}"]`);
}

function render(plan) {
  slot("state").textContent = plan.state;
  slot("done").textContent = plan.done;
  slot("total").textContent = plan.total || "?";
  const bar = root.querySelector("progress");
  bar.max = plan.total || 1;
  bar.value = plan.done;
  if (plan.state === "done" || plan.state === "failed") {
    slot("progress").hidden = true;
    // Rendered and escaped by the server (the same fragment the page shows on a reload).
    slot("result").innerHTML = plan.html;
    return false;
  }
  return true;
}

async function refresh() {
  let again = true;
  try {
    const response = await fetch(config.url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (response.ok) again = render(await response.json());
  } catch {
    // offline for a moment: ask again
  }
  if (again) setTimeout(refresh, config.every);
}

if (config.running) setTimeout(refresh, config.every);
