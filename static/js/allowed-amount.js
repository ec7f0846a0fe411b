/* Shows, while typing, what the funding rule allows; the server computes it again on save. */
(function () {
  const form = document.getElementById("application-form"), out = document.getElementById("allowed-amount");
  const d = form.dataset, typed = /^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d*)?$|^[+-]?\.\d+$/;
  /* a number as subsidy.money.parse_yuan reads it: plain or grouped by thousands (180,000.00) */
  function num(v) {
    const text = v == null ? "" : String(v).trim().replace(/，/g, ",").replace(/ /g, "");
    return typed.test(text) ? Number(text.replace(/,/g, "")) : null;
  }
  /* as subsidy.money.format_yuan writes it, in every language: 180,000.00 */
  const yuan = (a) => a.toLocaleString("en-US", {minimumFractionDigits: 2, maximumFractionDigits: 2});
  function allowed() {
    const requested = num(form.elements.requested_amount.value), cap = num(d.cap);
    const base = d.field && form.elements[d.field] ? num(form.elements[d.field].value) : null;
    let max = null;
    if (d.rule === "fixed") return num(d.fixed);
    if (d.rule === "capped_request") max = cap;
    if (d.rule === "percentage" && base !== null) max = base * num(d.rate);
    if (d.rule === "per_item" && base !== null) max = base * num(d.unit);
    if (max !== null && cap !== null) max = Math.min(max, cap);
    if (max === null) return null;
    return requested === null ? max : Math.min(max, requested);
  }
  function show() { const a = allowed(); out.textContent = a === null ? "—" : yuan(a); }
  form.addEventListener("input", show);
  show();
})();
