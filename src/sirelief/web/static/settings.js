// The settings page: list the browser's own voices in the voice menu (the server cannot
// know them), let the person hear one, and offer this device's time zone. Without this
// module the form still works: the menu keeps the saved voice and the browser's usual one.
const $ = (id) => document.getElementById(id);

function fillVoices(select, synth) {
  const voices = synth.getVoices();
  if (!voices.length) return false;
  const chosen = select.value;
  const have = new Set([...select.options].map((option) => option.value));
  for (const voice of voices) {
    if (have.has(voice.name)) continue;
    const option = document.createElement("option");
    option.value = voice.name;
    option.textContent = `${voice.name} (${voice.lang})`;
    select.append(option);
  }
  select.value = chosen;
  return true;
}

function wireVoices() {
  const select = $("voice_name");
  const synth = window.speechSynthesis;
  if (!select || !synth) return;
  if (!fillVoices(select, synth)) {
    synth.addEventListener("voiceschanged", () => fillVoices(select, synth), { once: true });
  }
  const tryIt = $("voice-try");
  tryIt.hidden = false;
  tryIt.addEventListener("click", () => {
    synth.cancel();
    const utterance = new SpeechSynthesisUtterance("Breathe out slowly. Thirty seconds left.");
    const voice = synth.getVoices().find((v) => v.name === select.value);
    if (voice) utterance.voice = voice;
    synth.speak(utterance);
  });
}

function wireZone() {
  const button = $("zone-here");
  const field = $("time_zone");
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!button || !field || !zone || field.value === zone) return;
  if (!field.value && zone === button.dataset.installation) return; // empty already means it
  button.textContent = `Use this device's time zone (${zone})`;
  button.hidden = false;
  button.addEventListener("click", () => { field.value = zone; button.hidden = true; field.focus(); });
}

function wireCopy() {
  const address = $("feed-url");
  const button = $("feed-copy");
  if (!address || !button || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(address.textContent.trim());
      button.textContent = "Copied";
    } catch {
      button.textContent = "Select the address above and copy it";
    }
  });
}

wireCopy();
wireVoices();
wireZone();
