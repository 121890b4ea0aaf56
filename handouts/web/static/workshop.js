// The Workshop page: upload and check the roster, run the batch with a progress bar, show the
// per-row table, download the print file and the zip, and email everyone (a count first).
"use strict";
(function () {
  const form = document.getElementById("workshop");
  if (!form) return;
  const $ = (sel, root) => (root || document).querySelector(sel);
  const word = (key) => $(`#words [data-word="${key}"]`).textContent;
  let roster = null;

  function fields() {
    const data = { roster, title: form.elements["title"].value, note: form.elements["note"].value,
      layout: form.querySelector('input[name="layout"]:checked').value,
      language: form.elements["language"].value,
      stretches: Array.from(form.querySelectorAll('input[name="stretches"]:checked')).map((c) => c.value),
      replace_files: form.elements["replace_files"].checked };
    if (form.elements["date"].value) data.date = form.elements["date"].value;
    return data;
  }

  function fail(message) {
    const p = $("#form-error");
    p.textContent = message;
    p.hidden = !message;
  }

  function list(ul, items) {
    ul.textContent = "";
    items.forEach((text) => { const li = document.createElement("li"); li.textContent = text; ul.appendChild(li); });
  }

  async function postJson(url, data) {
    const response = await fetch(url, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(data) });
    return [response, await response.json()];
  }

  $("#check").addEventListener("click", async () => {
    fail("");
    const file = form.elements["roster"].files[0];
    if (!file) { fail(word("choose")); return; }
    const body = new FormData(form);
    body.delete("replace_files");
    const response = await fetch("/workshop/roster", { method: "POST", credentials: "same-origin", body });
    const answer = await response.json();
    if (!response.ok) { fail(answer.error); return; }
    roster = answer.roster;
    $("#checked").hidden = false;
    $("#checked .ready-line").textContent = word(answer.rows === 1 ? "ready-one" : "ready-many")
      .replace("{ready}", answer.ready).replace("{rows}", answer.rows);
    list($("#checked .notices"), answer.notices);
    list($("#checked .row-errors"), answer.errors.map((e) => `${word("kind-" + e.kind)}: ${e.message}`));
    $("#checked .row-help").hidden = answer.errors.length === 0;
    $("#run").disabled = answer.ready === 0;
  });

  $("#run").addEventListener("click", async () => {
    fail("");
    const [response, answer] = await postJson("/workshop/run", fields());
    if (!response.ok) { fail(answer.error); return; }
    $("#progress").hidden = false;
    $("#results").hidden = true;
    const poll = async () => {
      const state = await (await fetch(`/workshop/jobs/${answer.job}`, { credentials: "same-origin" })).json();
      $("#bar").max = Math.max(state.total, 1);
      $("#bar").value = state.done;
      $("#progress .done").textContent = state.done;
      $("#progress .total").textContent = state.total;
      $("#progress .stage-print").hidden = state.stage !== "print file";
      $("#progress .stage-handouts").hidden = state.stage === "print file";
      if (!state.finished) { setTimeout(poll, 300); return; }
      if (state.error) { fail(state.error); return; }
      show(state);
    };
    poll();
  });

  function show(state) {
    $("#results").hidden = false;
    $("#print-file").href = `/workshop/${roster}/print-file`;
    $("#print-file").hidden = !state.print_file;
    $("#zip").href = `/workshop/${roster}/handouts.zip`;
    const problem = $(".print-error");
    problem.textContent = state.print_error || "";
    problem.hidden = !state.print_error;
    const body = $("#results tbody");
    body.textContent = "";
    state.rows.forEach((row) => {
      const tr = document.createElement("tr");
      [String(row.line), row.name, word(`status-${row.status}`), row.reason || row.file].forEach((text, i) => {
        const cell = document.createElement(i === 1 ? "th" : "td");
        if (i === 1) cell.scope = "row";
        cell.textContent = text;
        tr.appendChild(cell);
      });
      tr.className = `status-${row.status}`;
      body.appendChild(tr);
    });
  }

  $("#email-count").addEventListener("click", async () => {
    $("#email-status").textContent = word("counting");
    const [response, answer] = await postJson("/workshop/email", { ...fields(), send: false });
    if (!response.ok) { $("#email-status").textContent = ""; fail(answer.error); return; }
    $("#email-status").textContent = word("count").replace("{n}", answer.recipients);
    list($(".email-problems"), answer.problems);
    $("#email-send").hidden = answer.recipients === 0;
  });

  $("#email-send").addEventListener("click", async () => {
    const send = $("#email-send");
    send.disabled = true;  // one send at a time (the sent record keeps each to once anyway)
    $("#email-status").textContent = word("sending");
    let response, answer;
    try {
      [response, answer] = await postJson("/workshop/email", { ...fields(), send: true });
    } finally {
      send.disabled = false;
    }
    if (!response.ok) { $("#email-status").textContent = ""; fail(answer.error); return; }
    let text = word("sent");
    ["sent", "skipped", "failed", "uncertain", "waiting"].forEach((k) => { text = text.replace(`{${k}}`, answer[k]); });
    $("#email-status").textContent = text;
    list($(".email-problems"), answer.problems.concat(answer.messages));
  });
})();
