// The annual report's sections, enhanced: a section is saved when one of its fields changes,
// with fetch and the form's own CSRF token, and says so in its status line. Without this
// script each section keeps its « Enregistrer » button; a conflict or an error reloads the
// section as the server renders it (the member's text stays in the form). Its messages are
// the page's, translated: the status line's data-saving, data-check and data-failed.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-annual-section]");

  function save(form) {
    var status = form.querySelector(".save-status");
    if (form.querySelector("input[type=file]") && form.querySelector("input[type=file]").value) {
      return;  // a file goes with the button, as a whole page
    }
    status.textContent = status.dataset.saving;
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: {"Accept": "application/json"}
    }).then(function (response) {
      return response.json().then(function (data) { return {ok: response.ok, data: data}; });
    }).then(function (result) {
      if (result.ok && result.data.saved) {
        form.querySelector("input[name$='revision']").value = result.data.revision;
        status.textContent = result.data.message;
      } else {
        status.textContent = result.data.message || status.dataset.check;
      }
    }).catch(function () {
      status.textContent = status.dataset.failed;
    });
  }

  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener("change", function (event) {
      if (event.target.type !== "file") { save(form); }
    });
  });
}());
