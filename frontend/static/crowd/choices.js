// Likert scales and A/B choices: native radio groups (keyboard and screen readers work as
// for any form), one fieldset per question, answered when one of its radios is checked.

function candidateOf(fieldset) {
  return fieldset.dataset.candidate === "" ? null : Number(fieldset.dataset.candidate);
}

export function setupChoices(root, { onChoose = () => {}, onChange = () => {} } = {}) {
  const fieldsets = () => [...root.querySelectorAll("fieldset.question")];
  const mark = (fieldset) =>
    fieldset.classList.toggle("answered", Boolean(fieldset.querySelector("input:checked")));
  fieldsets().forEach(mark);

  root.addEventListener("change", (event) => {
    const input = event.target;
    if (input.type !== "radio") return;
    const fieldset = input.closest("fieldset.question");
    mark(fieldset);
    onChoose(candidateOf(fieldset), fieldset.dataset.criterion, input.value);
    onChange();
  });

  return {
    complete: () => fieldsets().every((fieldset) => fieldset.querySelector("input:checked")),
    remaining: () => fieldsets().filter((fieldset) => !fieldset.querySelector("input:checked")).length,
    answers: () =>
      fieldsets().flatMap((fieldset) => {
        const checked = fieldset.querySelector("input:checked");
        return checked
          ? [{ candidate: candidateOf(fieldset), criterion: fieldset.dataset.criterion, value: checked.value }]
          : [];
      }),
  };
}
