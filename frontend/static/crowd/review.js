import { pageData, postJSON, timeVisit } from "./common.js";

const data = pageData();
timeVisit(data);
const button = document.querySelector("[data-role=submit]");
const error = document.querySelector("[data-role=error]");

button.addEventListener("click", async () => {
  button.disabled = true;
  error.hidden = true;
  try {
    const result = await postJSON(data.urls.submit, {});
    window.location.assign(result.next);
  } catch (failure) {
    error.textContent = failure.message;
    error.hidden = false;
    button.disabled = false;
  }
});
