// "Too much": the question (pain now and what is felt) and what the answer leads to.
import { symptomKind } from "./engine.js";

// A message under a fieldset's legend while its answer is missing; true when answered.
function showMissing(form, selector, missing, message) {
  const set = form.querySelector(selector);
  let error = set.querySelector(".error");
  if (!missing) { if (error) error.remove(); return true; }
  if (!error) {
    error = document.createElement("p");
    error.className = "error";
    error.setAttribute("role", "alert");
    set.querySelector("legend").after(error);
  }
  error.textContent = message;
  return false;
}

// The answer's fields ({pain, symptom}), or null after saying what is missing.
export function readTooMuch(form) {
  const values = new FormData(form);
  const pain = values.get("pain");
  const symptom = values.get("symptom");
  // Say what is missing (a legend cannot take focus, so focusing it said nothing).
  const painOk = showMissing(form, "fieldset.scale", pain === null, "Choose your pain now, 0 to 10.");
  const symptomOk = showMissing(form, "fieldset.symptoms", symptom === null, "Choose what you feel.");
  if (!painOk || !symptomOk) {
    form.querySelector(painOk ? "input[name=symptom]" : "input[name=pain]").focus();
    return null;
  }
  return { pain: Number(pain), symptom };
}

// Back to an unanswered question.
export function clearTooMuch(form) {
  form.reset();
  for (const error of form.querySelectorAll(".error")) error.remove();
}

// What "too much" leads to, by what was felt: numbness, tingling or shooting pain never
// offer "gentler" (the server's words, from `words`).
export function renderTooMuch(state, step, words) {
  const said = words[symptomKind(state.tooMuch.symptom)];
  const section = document.getElementById("too-much");
  section.dataset.kind = said.kind;
  document.getElementById("too-much-title").textContent = said.heading;
  document.getElementById("too-much-lines").replaceChildren(...said.lines.map((line) => {
    const p = document.createElement("p");
    p.textContent = line;
    return p;
  }));
  document.getElementById("gentler-choice").hidden = !said.choices.includes("gentler");
  document.getElementById("gentler-changes").replaceChildren(...(step ? step.gentler : []).map((line) => {
    const li = document.createElement("li");
    li.textContent = line;
    return li;
  }));
}
