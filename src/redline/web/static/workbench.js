// Workbench forms: document upload and plan editing, both writes behind a bearer token.
// Results and errors are built with textContent only (never innerHTML): every server message and
// file name is untrusted text. The token stays in this tab (sessionStorage), never in a URL.
(function () {
  "use strict";
  var KEY = "redline-token";
  var tokenInput = document.getElementById("token");
  var status = document.getElementById("form-status");
  if (tokenInput) {
    tokenInput.value = sessionStorage.getItem(KEY) || "";
    tokenInput.addEventListener("change", function () { sessionStorage.setItem(KEY, tokenInput.value.trim()); });
  }

  function say(text, bad) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("error", !!bad);
  }

  function headers() {
    return { "Authorization": "Bearer " + (tokenInput ? tokenInput.value.trim() : ""), "Accept": "application/json" };
  }

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text === undefined || text === null ? "" : String(text);
    row.appendChild(td);
    return td;
  }

  function readError(response, body) {
    if (body && typeof body.detail === "string") return response.status + ": " + body.detail;
    return response.status + ": " + response.statusText;
  }

  // --- upload ---------------------------------------------------------------------------------
  var upload = document.getElementById("upload-form");
  if (upload) {
    upload.addEventListener("submit", function (e) {
      e.preventDefault();
      var files = document.getElementById("upload-files").files;
      var data = new FormData();
      for (var i = 0; i < files.length; i++) data.append("files", files[i], files[i].name);
      var extract = document.getElementById("upload-extract").checked ? "true" : "false";
      say("uploading " + files.length + " file(s)…");
      fetch(upload.getAttribute("data-endpoint") + "?extract=" + extract, { method: "POST", headers: headers(), body: data })
        .then(function (r) { return r.json().then(function (b) { return [r, b]; }, function () { return [r, null]; }); })
        .then(function (rb) {
          var r = rb[0], body = rb[1];
          if (!r.ok) { say(readError(r, body), true); return; }
          var table = document.getElementById("upload-results");
          var tbody = table.querySelector("tbody");
          tbody.replaceChildren();
          // one item per uploaded file (or JSON record), in upload order, skipped ones included
          (body.items || []).forEach(function (it) {
            var row = document.createElement("tr");
            row.className = "outcome-" + it.status;
            cell(row, it.index + 1); cell(row, it.source); cell(row, it.status);
            var td = cell(row, "");
            if (it.id) {
              var a = document.createElement("a");
              a.href = "/documents/" + encodeURIComponent(it.id);
              a.textContent = it.id;
              td.appendChild(a);
            }
            cell(row, it.statements);
            cell(row, [it.reason].concat(it.notes || []).filter(Boolean).join("; "));
            tbody.appendChild(row);
          });
          table.hidden = false;
          say(body.stored.length + " stored, " + body.duplicates.length + " already there, " + body.skipped.length +
              " skipped" + (body.note ? " (" + body.note + ")" : ""));
        })
        .catch(function (err) { say("upload failed: " + err, true); });
    });
  }

  // --- plan editor ----------------------------------------------------------------------------
  var planForm = document.getElementById("plan-form");
  if (planForm) {
    var list = document.getElementById("plan-errors");
    var area = document.getElementById("plan-json");
    var showErrors = function (items) {
      list.replaceChildren();
      items.forEach(function (text) {
        var li = document.createElement("li");
        li.textContent = text;
        list.appendChild(li);
      });
      area.setAttribute("aria-invalid", items.length ? "true" : "false");
    };
    planForm.addEventListener("submit", function (e) {
      e.preventDefault();
      var plan;
      try { plan = JSON.parse(area.value); } catch (err) { showErrors(["not valid JSON: " + err.message]); return; }
      showErrors([]);
      say("saving…");
      var h = headers();
      h["Content-Type"] = "application/json";
      fetch(planForm.getAttribute("data-endpoint"), { method: planForm.getAttribute("data-method"), headers: h,
                                                      body: JSON.stringify(plan) })
        .then(function (r) { return r.json().then(function (b) { return [r, b]; }, function () { return [r, null]; }); })
        .then(function (rb) {
          var r = rb[0], body = rb[1];
          if (r.ok) { window.location.assign("/plans/" + encodeURIComponent(body.id)); return; }
          var items = (body && body.errors && body.errors.length) ? body.errors.map(function (x) {
            var where = (x.loc || []).filter(function (p) { return p !== "body"; }).join(".");
            return (where ? where + ": " : "") + x.msg;
          }) : [readError(r, body)];
          showErrors(items);
          say("not saved (" + r.status + ")", true);
        })
        .catch(function (err) { say("saving failed: " + err, true); });
    });
  }

  // --- plan deletion (the edit page of a saved plan) -------------------------------------------
  var deleteForm = document.getElementById("plan-delete-form");
  if (deleteForm) {
    deleteForm.addEventListener("submit", function (e) {
      e.preventDefault();
      var planId = deleteForm.getAttribute("data-plan");
      if (!tokenInput || !tokenInput.value.trim()) {
        say("deleting needs a token: type it in the Token field first", true);
        if (tokenInput) tokenInput.focus();
        return;
      }
      if (!window.confirm("Delete the saved plan " + planId + "? This cannot be undone.")) {
        say("not deleted");
        return;
      }
      say("deleting…");
      fetch(deleteForm.getAttribute("data-endpoint"), { method: "DELETE", headers: headers() })
        .then(function (r) {
          if (r.status === 204) { window.location.assign("/plans"); return; }
          return r.json().then(function (b) { return b; }, function () { return null; }).then(function (body) {
            say("not deleted (" + readError(r, body) + ")", true);
          });
        })
        .catch(function (err) { say("deleting failed: " + err, true); });
    });
  }
}());
