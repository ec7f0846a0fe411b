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
    if (d.rule === "components") max = components();
    if (d.rule === "per_country" && form.elements[d.field]) max = countries(form.elements[d.field].value);
    if (d.rule === "capped_request") max = cap;
    if (d.rule === "percentage" && base !== null) max = base * num(d.rate);
    if (d.rule === "per_item" && base !== null) max = base * num(d.unit);
    if (max !== null && cap !== null) max = Math.min(max, cap);
    if (max === null) return null;
    return requested === null ? max : Math.min(max, requested);
  }
  const fen = (a) => Math.round(a * 100) / 100;
  /* each component: its field × its rate, not above its own cap (subsidy.funding) */
  function components() {
    const data = document.getElementById("rule-components");
    let total = 0;
    for (const item of JSON.parse(data ? data.textContent : "[]")) {
      const el = form.elements[item.field], base = el && el.value.trim() ? num(el.value) : 0;
      if (base === null) return null;
      let part = fen(base * num(item.rate));
      if (item.cap !== undefined && item.cap !== null && item.cap !== "") part = Math.min(part, num(item.cap));
      total += part;
    }
    return total;
  }
  /* one Madrid registration a line: its number, then a count or the designations listed;
     each counts at most max_countries countries (subsidy.funding.country_breakdown) */
  function countries(text) {
    const most = num(d.maxCountries), unit = num(d.unit);
    let total = 0;
    for (const line of text.split(/[\n；;]/)) {
      if (!line.trim()) continue;
      const rest = line.trim().replace(/^(IR|G|NO\.?)?\s*\d[\d ,]*?(?=[\s:：,，]|$)/i, "").replace(/^[\s:：,，]+/, "");
      if (!rest) return null;
      let n = /^\d+$/.test(rest) ? Number(rest) : rest.split(/[,，、;\/\s]+/).filter(Boolean).length;
      if (most) n = Math.min(n, most);
      total += n * unit;
    }
    return total;
  }
  function show() { const a = allowed(); out.textContent = a === null ? "—" : yuan(a); }
  form.addEventListener("input", show);
  show();
})();
