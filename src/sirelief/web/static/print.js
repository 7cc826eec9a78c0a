// The routine sheet's Print button: shown only when this module runs (without it the page
// says to print from the browser's menu, and the page is the printable sheet either way).
const button = document.getElementById("print-sheet");
if (button && typeof window.print === "function") {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
