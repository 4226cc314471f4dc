(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var events = Array.prototype.slice.call(document.querySelectorAll("article.event"));
  var days = Array.prototype.slice.call(document.querySelectorAll("section.day"));
  var counter = document.getElementById("counter");
  var region = document.getElementById("f-region");
  var dept = document.getElementById("f-dept");
  var query = document.getElementById("f-q");
  var from = document.getElementById("f-from");
  var to = document.getElementById("f-to");
  var online = document.getElementById("f-online");

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function syncDepartments() {
    var code = region ? region.value : "";
    Array.prototype.forEach.call(dept.options, function (option) {
      if (!option.value) { return; }
      option.hidden = Boolean(code) && option.getAttribute("data-region") !== code;
    });
    if (dept.selectedIndex > 0 && dept.options[dept.selectedIndex].hidden) { dept.value = ""; }
  }

  function apply() {
    syncDepartments();
    var r = region ? region.value : "";
    var d = dept.value;
    var words = fold(query.value).split(/\s+/).filter(Boolean);
    var start = from.value;
    var end = to.value;
    var onlineOnly = online.checked;
    var shown = 0;
    events.forEach(function (event) {
      var data = event.dataset;
      var visible = (!r || data.region === r)
        && (!d || data.dept === d)
        && (!onlineOnly || data.attendance === "online" || data.attendance === "mixed")
        && (!start || data.end >= start)
        && (!end || data.date <= end)
        && words.every(function (word) { return data.search.indexOf(word) !== -1; });
      event.hidden = !visible;
      if (visible) { shown += 1; }
    });
    days.forEach(function (day) {
      day.hidden = !day.querySelector("article.event:not([hidden])");
    });
    counter.textContent = shown === 0 ? "Aucun événement ne correspond à ces filtres"
      : shown + (shown > 1 ? " événements affichés" : " événement affiché");
  }

  // The filters live in the address (#region=76&q=atelier) so that a filtered view can be shared.
  var fields = { region: region, departement: dept, q: query, du: from, au: to };

  function readHash(reset) {
    var params = new URLSearchParams(window.location.hash.slice(1));
    Object.keys(fields).forEach(function (key) {
      if (fields[key] && params.has(key)) { fields[key].value = params.get(key); }
      else if (fields[key] && reset) { fields[key].value = ""; }
    });
    online.checked = params.get("en-ligne") === "1";
  }

  function writeHash() {
    var params = new URLSearchParams();
    Object.keys(fields).forEach(function (key) {
      if (fields[key] && fields[key].value) { params.set(key, fields[key].value); }
    });
    if (online.checked) { params.set("en-ligne", "1"); }
    var hash = params.toString();
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", hash ? "#" + hash : window.location.pathname + window.location.search);
    }
  }

  function update() {
    apply();
    writeHash();
  }

  form.hidden = false;
  readHash();
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(update, 0); });
  // A link to this same page with other filters (the map's départements) only changes the hash.
  window.addEventListener("hashchange", function () {
    readHash(true);
    apply();
  });
  apply();
}());
