// The New handout page: greys ruled-out stretches, counts the note, keeps the live preview
// of the real PDF, and makes the PDF (download, print) or emails it. No framework.
"use strict";
(function () {
  const form = document.getElementById("handout");
  if (!form) return;
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const word = (key) => $(`#status-words [data-word="${key}"]`).textContent;
  const titles = {};
  $$("span", $("#titles").content).forEach((s) => { titles[s.dataset.id] = s.textContent; });

  function checkedConditions() {
    return $$('input[name="conditions"]:checked').map((c) => c.value);
  }

  function ruledOut(tile, conditions) {
    const by = (tile.dataset.ruledBy || "").split(" ").filter(Boolean);
    return by.filter((c) => conditions.includes(c));
  }

  // Grey the stretches the chosen conditions rule out; list what is safe instead.
  function screen() {
    const conditions = checkedConditions();
    const tiles = $$(".tile");
    tiles.forEach((tile) => {
      const by = ruledOut(tile, conditions);
      tile.classList.toggle("is-ruled", by.length > 0);
      $(".ruled", tile).hidden = by.length === 0;
      $$(".ruled-why", tile).forEach((p) => {
        const shown = by.includes(p.dataset.condition);
        p.hidden = !shown;
        if (shown) {
          const safe = p.querySelector(".alternatives").dataset.alternatives.split(" ")
            .filter((sid) => sid && ruledOut($(`.tile[data-stretch="${sid}"]`), conditions).length === 0)
            .slice(0, 3).map((sid) => titles[sid] || sid);
          p.querySelector(".alternatives").textContent = safe.join(", ");
        }
      });
      const allow = $(".allow", tile);
      $(".reason", tile).hidden = !(allow && allow.checked);
    });
  }

  function number(input) {
    const value = parseInt(input.value, 10);
    return Number.isNaN(value) ? null : value;
  }

  // The request: the client file's keys, plus paper, grayscale and allow.
  function request() {
    const data = {
      name: form.elements["name"].value, email: form.elements["email"].value.trim(), note: form.elements["note"].value,
      next_visit: form.elements["next_visit"].value, therapist: form.elements["therapist"].value,
      conditions: checkedConditions(), stretches: [], allow: {},
      large_print: form.elements["large_print"].checked, grayscale: form.elements["grayscale"].checked,
      layout: $('input[name="layout"]:checked').value, paper: $('input[name="paper"]:checked').value,
      language: form.elements["language"].value,
    };
    if (form.elements["date"].value) data.date = form.elements["date"].value;
    const conditions = data.conditions;
    $$(".tile").forEach((tile) => {
      if (!$('input[name="stretch"]', tile).checked) return;
      const choice = { id: tile.dataset.stretch };
      [["hold_seconds", ".hold"], ["reps", ".reps"], ["per_day", ".per-day"]].forEach(([key, sel]) => {
        const input = $(sel, tile);
        const value = number(input);
        if (value !== null && String(value) !== input.dataset.default) choice[key] = value;
      });
      data.stretches.push(choice);
      const allow = $(".allow", tile);
      if (allow && allow.checked && ruledOut(tile, conditions).length) {
        data.allow[choice.id] = $(".reason-text", tile).value;
      }
    });
    return data;
  }

  // Show an error by the field it names ('note', 'date', ...); else above the form.
  function showError(message) {
    clearErrors();
    const key = (message.match(/^request(?: \[\[stretches\]\][^:]*)?: '([a-z_]+)'/) || [])[1];
    let field = null;
    if (message.startsWith("request [[stretches]]") || key === "allow" || key === "stretches"
        || (!key && Object.keys(titles).some((sid) => message.includes(`'${sid}'`)))) {
      field = "stretches";
    } else if (key) field = key;
    const slot = field && $(`.field-error[data-for="${field}"]`);
    const target = slot || $("#form-error");
    target.textContent = message;
    target.hidden = false;
    const input = field && form.elements[field];
    if (input && input.setAttribute) input.setAttribute("aria-invalid", "true");
  }

  function clearErrors() {
    $$(".field-error, #form-error").forEach((p) => { p.hidden = true; p.textContent = ""; });
    $$("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  }

  async function post(url, data) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(data),
    });
  }

  let timer = null;
  let serial = 0;
  function schedule() {
    screen();
    // Characters as the server counts them (a letter outside the BMP, like an emoji, is one).
    const used = Array.from(form.elements["note"].value).length;
    $("#note-count .count").textContent = used.toLocaleString("en-US");
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  }

  async function refresh() {
    const data = request();
    const state = $("#preview-state");
    state.dataset.idle = state.dataset.idle || state.textContent;
    if (!data.name.trim() || !data.stretches.length) {
      state.textContent = state.dataset.idle;
      return;
    }
    const mine = ++serial;
    $("#preview").setAttribute("aria-busy", "true");
    // The pages come first (fast); the quality check follows in its own request.
    const [pagesAnswer, qualityAnswer] = [post("/api/preview", data), post("/api/quality", data)];
    const response = await pagesAnswer;
    const answer = await response.json();
    if (mine !== serial) return;  // a newer change is on its way
    $("#preview").removeAttribute("aria-busy");
    if (!response.ok) { showError(answer.error); state.textContent = word("blocked"); return; }
    clearErrors();
    state.textContent = "";
    const pages = $("#pages");
    pages.textContent = "";
    const alt = $("#page-alt").content.textContent;
    const textLabel = $("#page-text").content.textContent;
    answer.pages.forEach((src, i) => {
      const figure = document.createElement("figure");
      const img = document.createElement("img");
      img.src = src;
      img.alt = alt.replace("{n}", String(i + 1));
      figure.appendChild(img);
      const details = document.createElement("details");
      const summary = document.createElement("summary");
      summary.textContent = textLabel.replace("{n}", String(i + 1));
      const text = document.createElement("pre");
      text.className = "page-text";
      text.textContent = answer.texts[i];
      details.append(summary, text);
      figure.appendChild(details);
      pages.appendChild(figure);
    });
    const qResponse = await qualityAnswer;
    if (mine !== serial || !qResponse.ok) return;
    showQuality(await qResponse.json(), answer.warnings);
  }

  // The stretches' and conditions' words in the chosen language (the API's listings).
  async function relabel() {
    const code = form.elements["language"].value;
    const query = `?language=${encodeURIComponent(code)}`;
    const [sAnswer, cAnswer] = await Promise.all([
      fetch("/api/stretches" + query, { credentials: "same-origin" }),
      fetch("/api/conditions" + query, { credentials: "same-origin" })]);
    if (!sAnswer.ok) { showError((await sAnswer.json()).error); return; }
    if (!cAnswer.ok) { showError((await cAnswer.json()).error); return; }
    if (form.elements["language"].value !== code) return;  // changed again meanwhile
    (await sAnswer.json()).forEach((s) => {
      titles[s.id] = s.title;
      const tile = $(`.tile[data-stretch="${s.id}"]`);
      if (!tile) return;
      $(".title", tile).textContent = s.title;
      $(".purpose", tile).textContent = s.purpose;
    });
    (await cAnswer.json()).forEach((c) => {
      $$(`label[for="cond-${c.id}"] .cond-label, .cond-label[data-condition="${c.id}"]`)
        .forEach((el) => { el.textContent = c.label; });
      const about = document.getElementById(`cond-${c.id}-about`);
      if (about) about.textContent = c.description;
    });
    $$(".title, .purpose, .cond-label, .alternatives, #conditions .hint[id$='-about']")
      .forEach((el) => { el.lang = code; });
    schedule();
  }

  // The quality check in plain words: counts (1 warning, 2 warnings), reading level, draft.
  const qword = (key) => $(`#quality-words [data-word="${key}"]`).textContent;
  function counted(kind, n) {
    return qword(`${kind}-${n === 0 ? "0" : n === 1 ? "1" : "n"}`).replace("{n}", String(n));
  }
  // One check in plain words when the page has them for its kind, else id, value and aim.
  function checkWords(c) {
    const [kind, ...rest] = c.id.split(":");
    let where = rest.join(":");
    if (where.startsWith("stretch:")) where = titles[where.slice(8)] || where.slice(8);
    where = where.replace(/_/g, " ");
    const plain = $(`#quality-words [data-check="${kind}"]`);
    const percent = typeof c.value === "number" ? `${Math.round(c.value * 100)}%` : "";
    if (plain) {
      return plain.textContent.replace("{where}", where).replace("{value}", c.value).replace("{percent}", percent);
    }
    return qword("check").replace("{what}", c.id.replace(/_/g, " ").replace(/:/g, ": "))
      .replace("{value}", c.value).replace("{target}", c.target);
  }

  // A planning warning as the command line words it, for the page: without the "request: "
  // it starts with, and with each stretch's title for its id.
  const ids = Object.keys(titles).sort((a, b) => b.length - a.length);
  function plainWarning(text) {
    let out = text.replace(/^request: /, "");
    ids.forEach((sid) => {
      out = out.replace(new RegExp(`(^|[^\\w-])${sid}(?![\\w-])`, "g"), (m, before) => before + titles[sid]);
    });
    return out.charAt(0).toUpperCase() + out.slice(1);
  }

  function showQuality(q, planning) {
    const warnings = q.warnings + planning.length + (q.draft ? 1 : 0);
    $("#quality").hidden = false;
    $(".q-counts").textContent = qword("counts").replace("{failures}", counted("failures", q.failures))
      .replace("{warnings}", counted("warnings", warnings));
    const spanish = Object.values(q.inflesz || {});
    const grades = Object.values(q.reading_grade || {});
    $(".q-reading").textContent = spanish.length
      ? qword("inflesz").replace("{value}", Math.min(...spanish).toFixed(1))
      : grades.length ? qword("grade").replace("{value}", Math.max(...grades).toFixed(1)) : "";
    const draft = $(".q-draft");
    draft.hidden = !q.draft;
    const chosen = form.elements["language"].selectedOptions[0];
    draft.textContent = q.draft ? qword("draft").replace("{language}", chosen ? chosen.textContent.replace(/\s*\(.*\)$/, "") : q.language) : "";
    const list = $(".q-list");
    list.textContent = "";
    planning.forEach((w) => {
      const li = document.createElement("li");
      li.textContent = plainWarning(w);
      list.appendChild(li);
    });
    q.checks.forEach((c) => {
      const li = document.createElement("li");
      li.textContent = checkWords(c);
      if (c.status === "fail") li.className = "q-fail";
      list.appendChild(li);
    });
  }

  async function makePdf() {
    $("#status").textContent = word("working");
    const response = await post("/handout/pdf", request());
    if (!response.ok) { showError((await response.json()).error); $("#status").textContent = ""; return null; }
    clearErrors();
    $("#status").textContent = word("saved");
    const name = (response.headers.get("Content-Disposition").match(/filename="([^"]+)"/) || [])[1];
    return { blob: await response.blob(), name: name || "handout.pdf" };
  }

  $("#download").addEventListener("click", async () => {
    const made = await makePdf();
    if (!made) return;
    const link = document.createElement("a");
    link.href = URL.createObjectURL(made.blob);
    link.download = made.name;
    document.body.appendChild(link);
    link.click();
    link.remove();
  });

  $("#print").addEventListener("click", async () => {
    const made = await makePdf();
    if (!made) return;
    // The browser's own PDF viewer opens with its print button; the print dialog follows.
    const frame = document.createElement("iframe");
    frame.className = "print-frame";
    frame.title = made.name;
    frame.src = URL.createObjectURL(made.blob);
    frame.addEventListener("load", () => { try { frame.contentWindow.print(); } catch (e) { window.open(frame.src); } });
    document.body.appendChild(frame);
  });

  $("#email-send").addEventListener("click", async () => {
    $("#status").textContent = word("working");
    const response = await post("/handout/email", request());
    const answer = await response.json();
    if (!response.ok) { showError(answer.error); $("#status").textContent = ""; return; }
    $("#status").textContent = word(answer.outcome);
  });

  form.elements["language"].addEventListener("change", relabel);
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", (e) => e.preventDefault());
  schedule();
})();
