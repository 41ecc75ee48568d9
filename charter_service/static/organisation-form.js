// The organisation form, enhanced: the postcode proposes the département (and its région),
// the région narrows the list of départements. Without this script the whole list stays and
// the server rejects a postcode or a région that does not agree with the département.
(function () {
  "use strict";
  var form = document.querySelector("form[data-organisation-form]");
  if (!form) { return; }
  var postcode = form.querySelector("#postcode");
  var region = form.querySelector("#region");
  var departement = form.querySelector("#departement");
  var status = form.querySelector("#departement-status");
  var options = Array.prototype.slice.call(departement.options);

  function narrow() {
    var chosen = departement.value;
    departement.replaceChildren.apply(departement, options.filter(function (option) {
      return !option.value || !region.value || option.dataset.region === region.value;
    }));
    departement.value = chosen;
    if (departement.value !== chosen) { departement.value = ""; }
  }

  function departementOf(code) {
    if (!/^[0-9]{5}$/.test(code)) { return null; }
    if (code.slice(0, 2) === "20") { return code < "20200" ? "2A" : "2B"; }
    return code.slice(0, 2) === "97" ? code.slice(0, 3) : code.slice(0, 2);
  }

  function propose() {
    var code = departementOf(postcode.value.trim());
    var option = options.filter(function (o) { return o.value && o.value === code; })[0];
    if (!option || departement.value === code) { return; }
    region.value = option.dataset.region;
    narrow();
    departement.value = code;
    status.textContent = status.dataset.proposed.replace("%(departement)s", option.textContent);
  }

  region.addEventListener("change", narrow);
  postcode.addEventListener("input", propose);
  if (region.value) { narrow(); }
}());
