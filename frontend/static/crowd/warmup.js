// The instructions page's practice item: answered locally, checked by the server, never
// stored.
import { pageData, postJSON, timeVisit } from "./common.js";
import { setupTask } from "./widgets.js";

const data = pageData();
timeVisit(data);
const widget = setupTask(document.querySelector(".practice [data-role=task]"), {});
const button = document.querySelector("[data-role=validate]");
const box = document.querySelector("[data-role=feedback]");
const title = document.querySelector("[data-role=feedback-title]");
const list = document.querySelector("[data-role=feedback-list]");

button.addEventListener("click", async () => {
  button.disabled = true;
  try {
    const result = await postJSON(data.urls.warmup, { answers: widget.answers() });
    title.textContent = result.correct ? "Correct!" : "Not quite:";
    list.replaceChildren(
      ...result.feedback.map((line) => {
        const item = document.createElement("li");
        item.textContent = line;
        return item;
      }),
    );
    box.classList.toggle("correct", result.correct);
  } catch (error) {
    title.textContent = error.message;
    list.replaceChildren();
  } finally {
    box.hidden = false;
    button.disabled = false;
    // Bring the feedback into view, above the fixed bottom bar (its scroll margin).
    box.scrollIntoView({ block: "nearest" });
  }
});
