/* Behaviour pages ask for with data attributes, so that no page carries inline script: the
   Content-Security-Policy runs scripts from this site's own files only.
   data-submit-on-change: a select that sends its form when changed (filters, language);
   data-select-all="<selector>": a checkbox that ticks or clears every box it names;
   data-print: a button that opens the browser's print dialogue. */
document.addEventListener("change", (event) => {
  const element = event.target;
  if (element.matches("[data-submit-on-change]") && element.form) element.form.submit();
  if (element.matches("[data-select-all]")) {
    for (const box of document.querySelectorAll(element.dataset.selectAll)) {
      box.checked = element.checked;
    }
  }
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
