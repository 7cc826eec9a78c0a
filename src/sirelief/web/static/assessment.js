// The assessment form: the server draws it (with its 0-10 scales) in a <template> per
// assessment step; here it is cloned onto the screen and its answers read.

// Show the form of step `index` in `section`, unless it is already there.
export function showAssessment(section, index) {
  if (section.dataset.step === String(index)) return;
  section.dataset.step = String(index);
  const form = document.getElementById(`assessment-form-${index}`).content.cloneNode(true);
  section.replaceChildren(document.getElementById("assessment-title"), form);
}

// The event's fields from the form, or null (after saying what is missing).
export function readAssessment(form, step, index, labels) {
  const a = step.assessment;
  const values = new FormData(form);
  const missing = [];
  const ratings = {};
  for (const region of a.ratings) {
    const left = values.get(`${region}_left`);
    const right = values.get(`${region}_right`);
    if (left === null || right === null) missing.push(labels[region] || region);
    else ratings[region] = { left: Number(left), right: Number(right) };
  }
  const fields = { step: index, ratings };
  if (a.pain) {
    if (values.get("pain") === null) missing.push("pain now");
    else fields.pain = Number(values.get("pain"));
  }
  if (a.knee_to_wall) { // cm, the phone's angle, or both; each with both sides
    const pair = (name, high) => {
      const [left, right] = ["left", "right"].map((side) => values.get(`${name}_${side}`));
      if (!left && !right) return undefined;
      const v = { left: Number.parseFloat(left), right: Number.parseFloat(right) };
      return Object.values(v).some((x) => !(x >= 0 && x <= high)) ? null : v;
    };
    const cm = pair("knee_to_wall", 25);
    const deg = pair("knee_to_wall_deg", 60);
    if (cm === null || deg === null || !(cm || deg)) missing.push("knee-to-wall (0 to 25 cm, or 0 to 60 degrees, both sides)");
    if (cm) fields.knee_to_wall = cm;
    if (deg) fields.knee_to_wall_deg = deg;
  }
  // The mid check's "which area changed most": optional, sent only when chosen.
  if (a.assess === "mid" && values.get("changed_most")) fields.changed_most = values.get("changed_most");
  if (missing.length) {
    form.querySelector("p.error[role=alert]").textContent = `Please rate: ${missing.join(", ")}.`;
    return null;
  }
  return fields;
}
