// claimcheck serve: the facts table's filters and sorting; the claim, draft and accept forms; the
// desk's forms (add a source, a finding's status and note).
// Answers are written with textContent and createElement only: no text from a request or an
// article is ever parsed as HTML.
"use strict";

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function docLink(doc, line, start) {
  const a = el("a", {href: "/doc/" + encodeURIComponent(doc).replace(/%2F/g, "/") + (start >= 0 ? "#c" + start : "")},
    doc + (line ? ":" + line : ""));
  return a;
}

// ---- facts table -------------------------------------------------------------------------
function setUpFacts() {
  const table = document.getElementById("facts");
  if (!table) return;
  const body = table.tBodies[0];
  const selects = document.querySelectorAll("#fact-filters select");
  const count = document.getElementById("fact-count");
  function apply() {
    const want = {};
    selects.forEach(s => { want[s.dataset.filter] = s.value; });
    let shown = 0;
    for (const row of body.rows) {
      const docs = (row.dataset.docs || "").split("\n");
      const ok = (!want.kind || row.dataset.kind.split(" ").includes(want.kind)) &&
                 (!want.severity || row.dataset.severity.split(" ").includes(want.severity)) &&
                 (!want.doc || docs.includes(want.doc));
      row.hidden = !ok;
      if (ok) shown++;
    }
    if (count) count.textContent = shown + " shown";
  }
  selects.forEach(s => s.addEventListener("change", apply));
  // a source's column sorts by the value it gives, rows where it gives none last
  const valueIn = (row, col) => {
    const cells = row.querySelectorAll("td.value");
    return cells[col] ? cells[col].textContent.trim() : "";
  };
  table.querySelectorAll("th button[data-sort], th button[data-sort-col]").forEach(btn => {
    btn.addEventListener("click", () => {
      const key = btn.dataset.sort;
      const col = btn.dataset.sortCol === undefined ? -1 : Number(btn.dataset.sortCol);
      const dir = btn.dataset.dir === "asc" ? "desc" : "asc";
      table.querySelectorAll("th button").forEach(b => { delete b.dataset.dir; });
      btn.dataset.dir = dir;
      const rows = Array.from(body.rows);
      rows.sort((a, b) => {
        let c;
        if (col >= 0) {
          const x = valueIn(a, col), y = valueIn(b, col);
          if (!x || !y) return (!x) - (!y) || Number(a.dataset.order) - Number(b.dataset.order);
          c = x.localeCompare(y);
        } else {
          const x = a.dataset[key], y = b.dataset[key];
          c = key === "rank" ? Number(x) - Number(y) : x.localeCompare(y);
        }
        if (c === 0) c = Number(a.dataset.order) - Number(b.dataset.order);
        return dir === "asc" ? c : -c;
      });
      rows.forEach(r => body.appendChild(r));
    });
  });
  apply();
}

// ---- asking the API ----------------------------------------------------------------------
async function postJSON(url, payload) {
  const response = await fetch(url, {method: "POST", headers: {"Content-Type": "application/json"},
                                     body: JSON.stringify(payload)});
  let data = null;
  try { data = await response.json(); } catch (e) { data = {error: "the server's answer was not JSON"}; }
  const timing = response.headers.get("server-timing") || "";
  const m = /dur=([\d.]+)/.exec(timing);
  return {ok: response.ok, status: response.status, data: data, ms: m ? Number(m[1]) : null};
}

function showError(box, result) {
  box.replaceChildren(el("p", {class: "error-line"},
    (result.data && result.data.error) || ("error " + result.status)));
}

function renderClaim(box, data, ms) {
  const parts = [];
  const head = el("p", {class: "claim-head"});
  head.append(el("span", {class: "verdict " + data.verdict.replace(" ", "-"), id: "claim-verdict"},
    data.verdict.toUpperCase()));
  head.append(" ", el("span", {class: "muted"},
    (data.date ? "claim dated " + data.date : "no date: relative dates compared as stated") +
    (ms !== null ? " · answered in " + (ms / 1000).toFixed(2) + " s" : "")));
  parts.push(head);
  if (data.values && data.values.length) {
    parts.push(el("h3", {}, "Values"));
    const ul = el("ul", {class: "values"});
    // as `claimcheck claim` prints them: conflicts first, up to four of them and two others a value
    const order = {"conflicts": 0, "agrees": 1, "not stated": 2};
    const quiet = new Set(["person", "place", "superlative"]);
    const values = data.values.slice().sort((a, b) => order[a.verdict] - order[b.verdict]);
    for (const v of values) {
      const li = el("li", {class: "value-verdict"});
      li.append(el("span", {class: "rel-" + v.verdict.replace(" ", "-")}, v.verdict), " ",
                el("strong", {}, v.kind + " “" + v.text + "”"), " (" + v.value + ")");
      const sub = el("ul");
      const all = v.comparisons || [];
      const shown = all.filter(c => c.relation === "conflicts").slice(0, 4)
        .concat(all.filter(c => c.relation !== "conflicts").slice(0, 2));
      for (const c of shown) {
        const item = el("li");
        item.append(el("span", {class: "rel-" + c.relation.split(" ").pop()}, c.relation), " ");
        if (c.rule) item.append(el("span", {class: "code"}, c.rule), " ");
        item.append(docLink(c.doc, c.line, -1), ": says ", el("strong", {}, c.value));
        if (c.explanation && (c.relation !== "agrees" || !quiet.has(v.kind)))
          item.append(el("div", {class: "muted"}, c.explanation));
        // no link to c.finding: a claim's findings come from its own run, not the corpus report's
        sub.append(item);
      }
      if (all.length > shown.length) sub.append(el("li", {class: "muted"}, "… and " + (all.length - shown.length) + " more"));
      li.append(sub);
      ul.append(li);
    }
    parts.push(ul);
  }
  parts.push(el("h3", {}, "Sources"));
  if (data.sources && data.sources.length) {
    const ul = el("ul", {class: "sources"});
    for (const s of data.sources) {
      const li = el("li");
      li.append(el("span", {class: "code"}, s.similarity.toFixed(2)), " ", docLink(s.doc, s.line, s.start), ": ", s.text);
      if (s.similarity < data.threshold) li.append(el("span", {class: "muted"}, " (below " + data.threshold + ")"));
      ul.append(li);
    }
    parts.push(ul);
  } else {
    parts.push(el("p", {class: "muted"}, "No source sentence speaks of this."));
  }
  box.replaceChildren(...parts);
}

function renderDraft(box, data, ms) {
  const parts = [];
  const s = data.summary || {};
  parts.push(el("p", {id: "draft-summary"},
    (data.findings || []).length + " finding(s) involving the draft: " + (s.error || 0) + " error, " +
    (s.warning || 0) + " warning, " + (s.info || 0) + " info" +
    (ms !== null ? " · answered in " + (ms / 1000).toFixed(2) + " s" : "")));
  const draft = (data.documents || []).find(d => d.file === data.draft);
  if (draft && draft.note) parts.push(el("p", {class: "muted"}, draft.note));
  if (data.marked && (data.findings || []).length) {
    parts.push(el("p", {class: "muted"}, "The draft as written: each sentence a finding holds against it is " +
      "marked, its value more strongly; hover for the finding."));
    parts.push(markedDraft(data.marked));
  }
  for (const f of data.findings || []) {
    const div = el("div", {class: "side"});
    div.append(el("div", {class: "where"}, f.rule + " " + f.name + " · " + f.severity + " · confidence " + f.confidence.toFixed(2)));
    div.append(el("p", {}, f.message));
    const ul = el("ul");
    for (const e of f.evidence) {
      const li = el("li");
      if (e.doc === data.draft) li.append(el("strong", {}, "draft:" + e.line));
      else li.append(docLink(e.doc, e.line, e.start));
      li.append(": ", e.text, " ", el("mark", {}, e.value));
      ul.append(li);
    }
    div.append(ul, el("p", {class: "muted"}, f.explanation));
    parts.push(div);
  }
  box.replaceChildren(...parts);
}

// the draft as written, each sentence a finding holds against it marked, its value marked more
function markedDraft(runs) {
  const box = el("div", {class: "text marked-draft", id: "draft-marked"});
  for (const run of runs) {
    if (!run.look) { box.append(run.text); continue; }
    box.append(el("span", {class: run.look, title: run.title || "", "data-findings": (run.findings || []).join(" ")},
                  run.text));
  }
  return box;
}

function fileAsBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function setUpDesk() {
  const box = document.getElementById("source-answer");
  document.querySelectorAll("form.source-form").forEach(form => {
    form.addEventListener("submit", async event => {
      event.preventDefault();
      const fields = new FormData(form);
      const payload = {outlet: fields.get("outlet") || ""};
      if (fields.get("published")) payload.published = fields.get("published");
      if (form.dataset.kind === "paste") { payload.title = fields.get("title"); payload.text = fields.get("text"); }
      if (form.dataset.kind === "url") payload.url = fields.get("url");
      box.replaceChildren(el("p", {class: "muted"}, "adding the source and checking the corpus again…"));
      try {
        if (form.dataset.kind === "upload") {
          const file = fields.get("file");
          payload.filename = file.name;
          payload.data = await fileAsBase64(file);
        }
        const result = await postJSON(form.dataset.api, payload);
        if (!result.ok) return showError(box, result);
        box.replaceChildren(el("p", {id: "source-added"}, "Added " + result.data.name + ": " +
          result.data.documents + " documents, " + result.data.findings + " findings. Reloading…"));
        window.location.reload();
      } catch (e) {
        box.replaceChildren(el("p", {class: "error-line"}, "the server did not answer: " + e));
      }
    });
  });
  document.querySelectorAll("button.remove-source").forEach(button => {
    button.addEventListener("click", async () => {
      const result = await postJSON("/api/sources/remove", {name: button.dataset.name});
      if (!result.ok) return showError(box, result);
      window.location.reload();
    });
  });
  const writeBaseline = document.getElementById("write-baseline");
  if (writeBaseline) {
    writeBaseline.addEventListener("click", async () => {
      const said = document.getElementById("baseline-answer");
      const result = await postJSON("/api/findings/baseline", {});
      said.textContent = result.ok ? result.data.added + " finding(s) recorded in " + result.data.baseline
                                   : (result.data && result.data.error) || ("error " + result.status);
    });
  }
  document.querySelectorAll("form.status-form").forEach(form => {
    form.addEventListener("submit", async event => {
      event.preventDefault();
      const fields = new FormData(form);
      const said = form.querySelector("[data-role=status-saved]");
      const result = await postJSON("/api/findings/" + encodeURIComponent(form.dataset.finding) + "/status",
                                    {status: fields.get("status"), note: fields.get("note") || ""});
      if (!result.ok) { said.textContent = (result.data && result.data.error) || ("error " + result.status); return; }
      const badge = form.querySelector("[data-role=status-badge]");
      badge.textContent = result.data.status;
      badge.className = "badge status-" + result.data.status;
      said.textContent = "saved" + (result.data.note ? ": " + result.data.note : "");
    });
  });
}

function setUpForms() {
  document.querySelectorAll("form.check-form").forEach(form => {
    form.addEventListener("submit", async event => {
      event.preventDefault();
      const kind = form.dataset.kind;
      const box = document.getElementById(kind + "-answer");
      const fields = new FormData(form);
      const payload = {text: fields.get("text") || ""};
      if (kind === "claim" && fields.get("date")) payload.date = fields.get("date");
      if (kind === "draft" && fields.get("published")) payload.published = fields.get("published");
      box.replaceChildren(el("p", {class: "muted"}, "checking…"));
      try {
        const result = await postJSON(form.dataset.api, payload);
        if (!result.ok) return showError(box, result);
        (kind === "claim" ? renderClaim : renderDraft)(box, result.data, result.ms);
      } catch (e) {
        box.replaceChildren(el("p", {class: "error-line"}, "the server did not answer: " + e));
      }
    });
  });
  const accept = document.getElementById("accept-form");
  if (accept) {
    accept.addEventListener("submit", async event => {
      event.preventDefault();
      const box = document.getElementById("accept-answer");
      const result = await postJSON("/api/findings/" + encodeURIComponent(accept.dataset.finding) + "/accept", {});
      if (!result.ok) return showError(box, result);
      accept.hidden = true;
      box.replaceChildren(el("p", {id: "accepted-note"}, "Accepted: recorded in " + result.data.baseline + "."));
    });
  }
}

// /check?claim=TEXT[&date=YYYY-MM-DD] asks at once: a link to a claim's answer, to share or to
// take a picture of
function askFromAddress() {
  const params = new URLSearchParams(window.location.search);
  const form = document.getElementById("claim-form");
  if (!form || !params.get("claim")) return;
  document.getElementById("claim-text").value = params.get("claim");
  if (params.get("date")) document.getElementById("claim-date").value = params.get("date");
  form.requestSubmit();
}

document.addEventListener("DOMContentLoaded", () => { setUpFacts(); setUpForms(); setUpDesk(); askFromAddress(); });
