// The script of report.html (bench/harness/report_html.py inlines it): filters the episode list and
// renders a transcript from its JSON block when opened, with textContent only (agent text never becomes
// markup). Hand-written ES5, no framework, no network.
(function () {
  "use strict";
  var eps = Array.prototype.slice.call(document.querySelectorAll("details.ep"));
  var keys = ["task", "arm", "outcome", "marks"];
  var count = document.getElementById("f-count");
  function value(k) { var s = document.getElementById("f-" + k); return s ? s.value : ""; }
  function apply() {
    var want = keys.map(value), shown = 0;
    eps.forEach(function (d) {
      var ok = keys.every(function (k, i) {
        if (!want[i]) return true;
        return k === "marks" ? d.dataset.marks.split(" ").indexOf(want[i]) >= 0 : d.dataset[k] === want[i];
      });
      d.hidden = !ok;
      if (ok) shown += 1;
    });
    if (count) count.textContent = shown + " of " + eps.length + " episodes";
  }
  keys.forEach(function (k) { var s = document.getElementById("f-" + k); if (s) s.addEventListener("change", apply); });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function str(v) { return typeof v === "string" ? v : JSON.stringify(v, null, 1); }
  var HEADLINE = /^(error|warning)(\[[A-Z0-9]+\])?:/;
  function pre(text, cls) {
    var p = el("pre", cls);
    String(text).split("\n").forEach(function (line, i, all) {
      var span = null;
      if (/^\[… [0-9,]+ characters cut …\]$/.test(line)) span = el("span", "cutmark", line);
      else if (HEADLINE.test(line)) span = el("span", "hl", line);
      if (span) p.appendChild(span); else p.appendChild(document.createTextNode(line));
      if (i < all.length - 1) p.appendChild(document.createTextNode("\n"));
    });
    return p;
  }
  function at(s) {
    if (!s || !s.start) return "";
    return s.start.line + ":" + s.start.column + (s.end ? "-" + s.end.line + ":" + s.end.column : "");
  }
  function diagnostics(list) {
    var p = el("pre", "diags");
    list.forEach(function (d, n) {
      if (n) p.appendChild(document.createTextNode("\n"));
      var sev = String(d.severity || "error");
      p.appendChild(el("span", "sev-" + sev, sev + "[" + d.code + "]"));
      p.appendChild(document.createTextNode(": " + d.message + "\n"));
      if (d.file || d.span) {
        p.appendChild(el("span", "loc", "  --> " + (d.file || "") + (d.span ? ":" + at(d.span) : "")));
        p.appendChild(document.createTextNode((d.label ? "  " + d.label : "") + "\n"));
      }
      (d.labels || []).forEach(function (l) {
        p.appendChild(document.createTextNode("   - " + (l.file ? l.file + ":" : "") + at(l.span) + " " + l.text + "\n"));
      });
      (d.notes || []).forEach(function (t) { p.appendChild(document.createTextNode("   = note: " + t + "\n")); });
      (d.help || []).forEach(function (t) { p.appendChild(document.createTextNode("   = help: " + t + "\n")); });
      (d.fixes || []).forEach(function (f) {
        var edits = (f.edits || []).map(function (e) { return at(e.span) + " -> " + JSON.stringify(e.replacement); });
        p.appendChild(el("span", "fix", "   = fix" + (f.applicable ? " (applicable)" : "") + ": " + f.description
          + (edits.length ? " [" + edits.join("; ") + "]" : "") + "\n"));
      });
    });
    return p;
  }
  function box(cls, head) { var b = el("div", "ev " + cls); b.appendChild(el("div", "head", head)); return b; }
  function kv(e, skip) {
    return Object.keys(e).filter(function (k) { return skip.indexOf(k) < 0; })
      .map(function (k) { return k + ": " + (typeof e[k] === "string" ? e[k] : JSON.stringify(e[k])); }).join("\n");
  }
  function call(c) {
    var args = c.arguments, d = el("div", "call"), parts = [], long = [];
    if (args && typeof args === "object" && !Array.isArray(args)) {
      Object.keys(args).forEach(function (k) {
        var v = args[k];
        if (typeof v === "string" && v.indexOf("\n") >= 0) { long.push([k, v]); parts.push(k + "=…"); }
        else parts.push(k + "=" + JSON.stringify(v));
      });
    } else parts.push(JSON.stringify(args));
    d.appendChild(el("div", null, "→ " + c.name + "(" + parts.join(", ") + ")"));
    long.forEach(function (kvp) { d.appendChild(el("div", "dim", kvp[0] + ":")); d.appendChild(pre(kvp[1])); });
    return d;
  }
  var render = {
    episode: function (e) {
      var b = e.source ? box("header", e.source + " session " + (e.session || "?") + (e.model ? ", " + e.model : ""))
        : box("header", e.task + " (" + e.world + "): " + e.agent + (e.model ? " " + e.model : ""));
      b.appendChild(pre(kv(e, ["type", "source", "session", "task", "world", "agent", "model"])));
      return b;
    },
    message: function (e) {
      var b = box(String(e.role), "turn " + e.turn + " · " + e.role + (e.usage && e.usage.input_tokens ?
        " · " + e.usage.input_tokens + " in, " + e.usage.output_tokens + " out tokens" : ""));
      if (e.thinking) { b.appendChild(el("div", "dim", "thinking")); b.appendChild(pre(e.thinking)); }
      if (e.content) b.appendChild(pre(str(e.content)));
      (e.tool_calls || []).forEach(function (c) { b.appendChild(call(c)); });
      return b;
    },
    tool_result: function (e) {
      var b = box("tool" + (e.ok ? "" : " failed"), "turn " + e.turn + " · ← " + e.name + " (" +
        (e.ok ? "ok" : "failed") + ")" + (e.changed && e.changed.length ? " · changed " + e.changed.join(", ") : ""));
      b.appendChild(pre(str(e.content || "")));
      if (e.diagnostics && e.diagnostics.length) {
        b.appendChild(el("div", "dim", "diagnostics (" + e.diagnostics.length + ")"));
        b.appendChild(diagnostics(e.diagnostics));
      }
      return b;
    },
    score: function (e) {
      var checks = e.checks ? Object.keys(e.checks).map(function (k) { return k + " " + e.checks[k]; }).join(", ") : "";
      return box("score", "completion after turn " + e.turn + ": " + Number(e.completion).toFixed(3) +
        (checks ? " (" + checks + ")" : "") + (e.problem ? " · " + e.problem : ""));
    },
    flag: function (e) {
      var b = box("flag", "⚑ unsupported claim (" + e.claim + ", turn " + e.turn + ")");
      b.appendChild(el("div", null, "“" + e.sentence + "”"));
      b.appendChild(el("div", "dim", e.missing));
      return b;
    },
    outside: function (e) {
      var b = box("outside", "✎ changed outside the agent's turn" + (e.by ? " by " + e.by : "") +
        (e.turn !== undefined ? " (turn " + e.turn + ")" : ""));
      if (e.paths) b.appendChild(el("div", null, [].concat(e.paths).join(", ")));
      if (e.text) b.appendChild(pre(str(e.text)));
      return b;
    },
    result: function (e) { var b = box("result", "result"); b.appendChild(pre(kv(e, ["type"]))); return b; },
    judge: function (e) { var b = box("judge", "judge"); b.appendChild(pre(kv(e, ["type"]))); return b; },
    error: function (e) { var b = box("error", "error" + (e.turn ? " in turn " + e.turn : "")); b.appendChild(pre(str(e.error))); return b; }
  };
  render.unreadable = function (e) {
    return box("error", "line " + e.line + " of the trace cannot be read: " + e.why);
  };
  function generic(e) {
    var b = box("other", String(e.type === undefined ? "event" : e.type));
    b.appendChild(pre(kv(e, ["type"])));
    return b;
  }
  // Transcripts come in packs (deflated JSON lists, base64); a pack is inflated once, when first needed.
  var packs = Array.prototype.slice.call(document.querySelectorAll("script.pack")), inflated = [];
  function transcript(i) {
    var n = packs.length - 1;
    while (n > 0 && Number(packs[n].dataset.first) > i) n -= 1;
    if (!inflated[n]) {
      var text = atob(packs[n].textContent.trim()), bytes = new Uint8Array(text.length);
      for (var k = 0; k < text.length; k += 1) bytes[k] = text.charCodeAt(k);
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
      inflated[n] = new Response(stream).text().then(JSON.parse);
    }
    return inflated[n].then(function (list) { return list[i - Number(packs[n].dataset.first)]; });
  }
  function draw(body, data) {
    if (data.note) body.appendChild(el("p", "note", data.note));
    if (data.cut) body.appendChild(el("p", "dim", data.cut.toLocaleString("en") + " characters of long texts cut"));
    data.events.forEach(function (e) {
      var f = Object.prototype.hasOwnProperty.call(render, e.type) ? render[e.type] : generic, node;
      try { node = f(e); } catch (err) { node = generic(e); }
      body.appendChild(node);
    });
  }
  function open(d) {
    var body = d.querySelector(".body");
    if (body.dataset.state) return;
    body.dataset.state = "loading";
    if (typeof DecompressionStream === "undefined") {
      body.appendChild(el("p", "note", "This browser cannot inflate the transcripts (no DecompressionStream): " +
        "open the report in a current Chrome, Firefox or Safari."));
      return;
    }
    transcript(Number(d.dataset.i)).then(function (data) {
      draw(body, data);
      body.dataset.state = "drawn";
    }, function (err) {
      body.appendChild(el("p", "note", "The transcript cannot be read: " + err));
      body.dataset.state = "failed";
    });
  }
  eps.forEach(function (d) { d.addEventListener("toggle", function () { if (d.open) open(d); }); });
  var target = location.hash && document.getElementById(location.hash.slice(1));
  if (target && target.tagName === "DETAILS") target.open = true;
  apply();
})();
