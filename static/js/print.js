// Print buttons of the print views: <button data-print>. No inline scripts (strict CSP).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
