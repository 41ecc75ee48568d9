// The annual report's sections, enhanced: a section is saved when one of its fields changes
// and when its button is pressed, with fetch and the form's own CSRF token, one save after the
// other (each carries the revision the previous one returned), and its status line says so;
// a refused save from the button shows the page the server renders, messages on the fields.
// Without this script each section is saved by its button, as a whole page; a section with a
// PDF chosen is always sent that way. The messages are the page's, translated: the status
// line's data-saving, data-check and data-failed.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-annual-section]");

  function hasFile(form) {
    var input = form.querySelector("input[type=file]");
    return input && input.value;
  }

  function send(form, pressed) {
    var status = form.querySelector(".save-status");
    status.textContent = status.dataset.saving;
    return fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: {"Accept": "application/json"}
    }).then(function (response) {
      return response.json().then(function (data) { return {ok: response.ok, data: data}; });
    }).then(function (result) {
      if (result.ok && result.data.saved) {
        form.querySelector("input[name$='-revision']").value = result.data.revision;
      } else if (pressed) {
        form.submit();  // the page, as the server renders it: messages beside their fields
        return;
      }
      status.textContent = result.data.message || status.dataset.check;
    }).catch(function () {
      status.textContent = status.dataset.failed;
    });
  }

  Array.prototype.forEach.call(forms, function (form) {
    var queue = Promise.resolve();
    function save(pressed) {
      queue = queue.then(function () { return send(form, pressed); });
    }
    form.addEventListener("change", function (event) {
      if (event.target.type !== "file" && !hasFile(form)) { save(false); }
    });
    form.addEventListener("submit", function (event) {
      if (hasFile(form)) { return; }
      event.preventDefault();
      save(true);
    });
  });
}());
