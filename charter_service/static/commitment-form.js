// The commitment form, enhanced: the SDG targets show only under the goals ticked above, and
// ticking a goal opens its targets. Without this script every goal's targets stay listed, each
// in a closed <details>, and the server refuses a target whose goal is not ticked.
(function () {
  "use strict";
  var form = document.querySelector("form[data-commitment-form]");
  if (!form) { return; }
  var groups = {};
  Array.prototype.forEach.call(form.querySelectorAll(".sdg-target-group"), function (group) {
    groups[group.dataset.goal] = group;
  });

  function show(goal, ticked, opening) {
    var group = groups[goal];
    if (!group) { return; }
    var targetTicked = group.querySelector("input:checked") !== null;
    group.hidden = !ticked && !targetTicked;
    if (opening && ticked) { group.open = true; }
  }

  Array.prototype.forEach.call(form.querySelectorAll("input[name=sdgs]"), function (box) {
    show(box.value, box.checked, false);
    box.addEventListener("change", function () { show(box.value, box.checked, true); });
  });
}());
