// Forms marked <form data-once>: once submitted, their submit buttons are disabled, so that a
// double click or an impatient second click does not send the form (and create the record)
// twice. Loaded on every page from base.html; no inline scripts (strict CSP).
(() => {
  const buttons = (form) =>
    form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');

  document.querySelectorAll("form[data-once]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.dataset.submitting === "1") {
        event.preventDefault();
        return;
      }
      form.dataset.submitting = "1";
      // After this event: a button disabled now would leave its own name=value out of the data.
      window.setTimeout(() => {
        buttons(form).forEach((button) => {
          button.disabled = true;
        });
      }, 0);
    });
  });

  // Coming back with the browser's Back button shows the page as it was left: usable again.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-once]").forEach((form) => {
      delete form.dataset.submitting;
      buttons(form).forEach((button) => {
        button.disabled = false;
      });
    });
  });
})();
