// The routine builder: narrow the library list as the person types in Search, without a
// round trip. Without this module the Filter button does the same on the server.
const search = document.getElementById("in-q");
const list = document.querySelector(".pick-list");
const count = document.getElementById("pick-count");

if (search && list) {
  const items = [...list.querySelectorAll("li")];
  const narrow = () => {
    const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const item of items) {
      const text = (item.dataset.search || item.textContent).toLowerCase();
      const match = words.every((word) => text.includes(word));
      item.hidden = !match;
      if (match) shown += 1;
    }
    if (count) count.textContent = `${shown} exercise${shown === 1 ? "" : "s"}.`;
  };
  search.addEventListener("input", narrow);
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault(); // typing filters; Enter would submit
  });
}
