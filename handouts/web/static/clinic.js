// The Clinic page: save clinic.toml's details (errors by their field), the logo, a test email.
"use strict";
(function () {
  const form = document.getElementById("clinic");
  if (!form) return;
  const $ = (sel, root) => (root || document).querySelector(sel);
  const word = (key) => $(`#words [data-word="${key}"]`).textContent;
  const keys = ["name", "address", "phone", "email", "website", "booking_url", "emergency_number", "disclaimer", "brand_color", "default_language", "locale"];

  function clearErrors() {
    document.querySelectorAll(".field-error, #form-error").forEach((p) => { p.hidden = true; p.textContent = ""; });
    document.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  }

  function showError(message) {
    clearErrors();
    const key = (message.match(/: '([a-z_]+)'/) || [])[1];
    const slot = key && $(`.field-error[data-for="${key}"]`);
    const target = slot || $("#form-error");
    target.textContent = message;
    target.hidden = false;
    if (slot) { form.elements[key].setAttribute("aria-invalid", "true"); form.elements[key].focus(); }
  }

  $("#save").addEventListener("click", async () => {
    const data = {};
    keys.forEach((k) => { data[k] = form.elements[k].value; });
    data.brand_color = data.brand_color.toUpperCase();
    data.paper = $('input[name="paper"]:checked').value;
    data.default_layout = $('input[name="default_layout"]:checked').value;
    const own = $("#not-sample");
    if (own && own.checked) data.sample = false;
    $("#status").textContent = word("working");
    const response = await fetch("/clinic", { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(data) });
    const answer = await response.json();
    if (!response.ok) { showError(answer.error); $("#status").textContent = ""; return; }
    clearErrors();
    $("#status").textContent = word("saved");
  });

  $("#upload-logo").addEventListener("click", async () => {
    const body = new FormData($("#logo-form"));
    const response = await fetch("/clinic/logo", { method: "POST", credentials: "same-origin", body });
    const answer = await response.json();
    $("#logo-status").textContent = response.ok ? word("logo") : answer.error;
    $("#logo-status").classList.toggle("is-error", !response.ok);
    if (response.ok) $("#logo-now").textContent = word("logo-now").replace("{logo}", answer.logo);
  });

  const test = $("#test-email");
  if (test) {
    test.addEventListener("click", async () => {
      $("#email-status").textContent = word("working");
      const response = await fetch("/clinic/test-email", { method: "POST", credentials: "same-origin" });
      const answer = await response.json();
      $("#email-status").textContent = response.ok ? word(answer.outcome) : answer.error;
      $("#email-status").classList.toggle("is-error", !response.ok);
    });
  }
})();
