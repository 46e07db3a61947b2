// One dialogue page: every answer is saved to the server as it is given; Next opens once
// every question is answered and every answer is stored.
import { Saver, pageData, postJSON, timeVisit } from "./common.js";
import { setupTask } from "./widgets.js";

const data = pageData();
timeVisit(data);
const next = document.querySelector("[data-role=next]");
let widget = null;
const saver = new Saver(data.urls.answer, document.querySelector("[data-role=save-status]"), {
  onStatus: () => update(),
});
const back = document.querySelector("[data-role=back]");
const root = document.querySelector("[data-role=task]");

widget = setupTask(root, {
  onPlace: (candidate, criterion, value) => saver.save({ item: data.item, candidate, criterion, value }),
  onChoose: (candidate, criterion, value) => saver.save({ item: data.item, candidate, criterion, value }),
  onChange: update,
});

// Next stays closed while an answer is missing or could not be sent (it reopens once the
// connection is back and the saver has sent them).
function update() {
  if (!widget) return; // the saver reports its first status before the widget exists
  const left = widget.remaining();
  const unsent = saver.hasUnsent();
  next.disabled = left > 0 || unsent;
  next.title = left > 0 ? `${left} still to answer` : unsent ? "Not saved yet" : "";
}
update();

async function leaveFor(url, button) {
  if (button) button.disabled = true;
  if (await saver.flush()) {
    window.location.assign(url);
  } else {
    update();
  }
}

next.addEventListener("click", () => leaveFor(data.next, next));
back.addEventListener("click", (event) => {
  event.preventDefault();
  leaveFor(data.back, null);
});

const bonus = document.querySelector("[data-role=bonus]");
const bonusResult = document.querySelector("[data-role=bonus-result]");

// After its bonus check a dialogue is locked: the server refuses changes, the page shows it.
function lock(message) {
  root.dataset.locked = "true";
  root.querySelectorAll("input, .card-buttons button").forEach((control) => {
    control.disabled = true;
  });
  if (bonus) bonus.disabled = true;
  if (bonusResult && message) bonusResult.textContent = message;
}
if (data.locked) lock(data.locked_message);

if (bonus && !data.locked) {
  bonus.addEventListener("click", async () => {
    if (!widget.complete()) {
      bonusResult.textContent = "Sort every response first, then check.";
      return;
    }
    bonus.disabled = true;
    bonusResult.textContent = "Checking\u2026";
    try {
      if (!(await saver.flush())) throw new Error("Your answers are not saved yet.");
      const answer = await postJSON(data.urls.bonus, { item: data.item });
      if (answer.locked) {
        lock(answer.message);
        return;
      }
      bonusResult.textContent = answer.message;
    } catch (error) {
      bonusResult.textContent = error.message;
    }
    bonus.disabled = false;
  });
}
