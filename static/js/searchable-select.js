// Pickers to search in: <select data-searchable> becomes a Tom Select
// (static/vendor/tom-select) that filters its options as one types, a name or a class. Without
// JavaScript, or if the library failed to load, the plain select works as before.
// The texts come from the select's data attributes (translated by the server); the library
// sets styles through the CSSOM only, which the strict Content Security Policy allows.
(() => {
  if (typeof window.TomSelect !== "function") return;

  const message = (text) => {
    const element = document.createElement("div");
    element.className = "no-results";
    element.textContent = text;
    return element;
  };

  document.querySelectorAll("select[data-searchable]").forEach((select) => {
    if (select.tomselect) return;
    const settings = {
      create: false,
      allowEmptyOption: !select.multiple,
      maxOptions: 100,
      hidePlaceholder: true,
      placeholder: select.dataset.placeholder || "",
      // Search the whole label ("VII-A · Ayu Lestari"), in the order the server listed them.
      searchField: ["text"],
      sortField: [{ field: "$order" }, { field: "$score" }],
      render: {
        no_results: () => message(select.dataset.noResults || ""),
      },
    };
    if (select.multiple) {
      settings.plugins = ["remove_button"];
      // Ready for the next name: the search typed for this one goes once it is chosen.
      settings.onItemAdd = function clearSearch() {
        this.setTextboxValue("");
        this.refreshOptions(false);
      };
    }
    // eslint-disable-next-line no-new
    new window.TomSelect(select, settings);
  });
})();
