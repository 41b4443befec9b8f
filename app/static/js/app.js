// Interview Coach — small enhancements; every page works without this file.
"use strict";

// Forms marked data-busy show a busy label and cannot be submitted twice.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches || !form.matches("form[data-busy]")) return;
  // A handler that kept the page (Save draft, a declined confirmation) must not lock the form.
  if (event.defaultPrevented) return;
  if (form.dataset.submitted === "1") { event.preventDefault(); return; }
  form.dataset.submitted = "1";
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    button.disabled = true;
    button.dataset.label = button.textContent;
    button.textContent = form.dataset.busy || "Working…";
  });
  var status = form.querySelector("[data-busy-status]");
  if (status) { status.hidden = false; }
});

// A live count against the limit under every answer box (the interview's and each "Answer this
// again"), so nobody learns the limit only from an error.
document.querySelectorAll("[data-char-count]").forEach(function (counter) {
  var form = counter.closest("form");
  var textarea = form && form.querySelector("textarea[maxlength]");
  if (!textarea) return;
  var limit = parseInt(textarea.getAttribute("maxlength"), 10) || 0;
  function showCount() {
    counter.textContent = textarea.value.length.toLocaleString() + " / " + limit.toLocaleString();
    counter.classList.toggle("near-limit", limit > 0 && textarea.value.length > limit * 0.9);
  }
  textarea.addEventListener("input", showCount);
  showCount();
  // The live count says the limit; the static sentence is for pages without this script.
  var staticLimit = form.querySelector("[data-char-limit]");
  if (staticLimit) staticLimit.hidden = true;
});

// The answer form: autosave drafts, record review-only signals, code mode.
(function () {
  var form = document.querySelector("form.answer-form");
  if (!form) return;
  var textarea = form.querySelector("textarea[name=answer]");
  var status = form.querySelector("[data-draft-status]");
  var draftUrl = form.dataset.draftUrl;
  var field = function (name) { return form.querySelector("input[name=" + name + "]"); };
  var started = Date.now();
  var hiddenSince = null;
  var hiddenMs = 0;
  var lastSaved = textarea.value;
  // Status texts come from the page, in the session's language.
  var text = {
    saved: form.dataset.draftSaved || "Draft saved.",
    notSaved: form.dataset.draftNotSaved || "Draft not saved.",
    offline: form.dataset.draftOffline || "Offline — draft not saved yet."
  };

  function saveDraft(useBeacon) {
    if (textarea.value === lastSaved) return;
    var data = new FormData();
    data.append("csrf_token", field("csrf_token").value);
    data.append("question_id", field("question_id").value);
    data.append("answer", textarea.value);
    lastSaved = textarea.value;
    if (useBeacon && navigator.sendBeacon) { navigator.sendBeacon(draftUrl, data); return; }
    fetch(draftUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (r) { if (status) status.textContent = r.ok ? text.saved : text.notSaved; })
      .catch(function () { if (status) status.textContent = text.offline; lastSaved = null; });
  }

  // Finishing early asks first, and whatever is typed but not submitted is kept as a draft.
  var finish = document.querySelector("form.finish-early");
  if (finish) {
    finish.addEventListener("submit", function (event) {
      var question = textarea.value.trim() ? finish.dataset.confirmTyped : finish.dataset.confirm;
      if (question && !window.confirm(question)) { event.preventDefault(); return; }
      saveDraft(true);
    }, true);
  }

  setInterval(function () { saveDraft(false); }, 5000);
  window.addEventListener("pagehide", function () { saveDraft(true); });

  textarea.addEventListener("paste", function (event) {
    var text = (event.clipboardData || window.clipboardData).getData("text") || "";
    var pasted = field("paste_chars");
    pasted.value = String((parseInt(pasted.value, 10) || 0) + text.length);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      hiddenSince = Date.now();
      var tabs = field("tab_switches");
      tabs.value = String((parseInt(tabs.value, 10) || 0) + 1);
      saveDraft(true);
    } else if (hiddenSince) {
      hiddenMs += Date.now() - hiddenSince;
      hiddenSince = null;
    }
  });
  function syncMode() {
    var code = form.querySelector("input[name=answer_mode][value=code]");
    textarea.classList.toggle("code", !!(code && code.checked));
  }
  form.querySelectorAll("input[name=answer_mode]").forEach(function (r) { r.addEventListener("change", syncMode); });
  syncMode();
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.hasAttribute("data-save-draft")) {
      event.preventDefault();
      delete form.dataset.submitted;
      lastSaved = null;
      saveDraft(false);
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; if (b.dataset.label) b.textContent = b.dataset.label; });
      return;
    }
    field("time_spent_ms").value = String(Date.now() - started - hiddenMs);
  }, true);
})();

// The evaluation's progress: poll the status while answers are graded (or the questions are
// prepared), then show the result.
(function () {
  var box = document.querySelector("[data-progress]");
  if (!box) return;
  var text = box.querySelector("[data-progress-text]");
  var bar = box.querySelector("progress");
  var every = parseInt(box.dataset.pollMs, 10) || 1000;
  function show(data) {
    var template = data.graded < data.total ? box.dataset.grading : box.dataset.summarising;
    text.textContent = template.replace("{graded}", data.graded).replace("{total}", data.total);
    if (bar) { bar.max = data.total; bar.value = data.graded; }
  }
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        var data = body.data || {};
        if (data.stage === "planning") {
          setTimeout(poll, every);  // the questions are being prepared: keep the page as it is
        } else if (data.stage === "grading" || data.stage === "summarising") {
          show(data);
          setTimeout(poll, every);
        } else {
          window.location.reload();  // done or failed: the server renders the outcome
        }
      })
      .catch(function () { setTimeout(poll, every * 3); });
  }
  setTimeout(poll, every);
})();

// A file over the upload limit is refused before it is sent, with the limit named in the
// page's language: otherwise the browser uploads it all only to be told "too large".
(function () {
  function megabytes(bytes) {
    var mb = bytes / 1048576;
    return (mb >= 1 ? mb.toFixed(1).replace(/\.0$/, "") + " MB" : Math.ceil(bytes / 1024) + " KB");
  }
  function check(input) {
    var limit = parseInt(input.dataset.maxBytes, 10) || 0;
    var file = input.files && input.files[0];
    var message = "";
    if (limit && file && file.size > limit) {
      message = (input.dataset.tooLarge || "This file is {size}, over the {limit} upload limit.")
        .replace("{size}", megabytes(file.size))
        .replace("{limit}", input.dataset.limitText || megabytes(limit));
    }
    input.setCustomValidity(message);
    var shown = input.form && input.form.querySelector("[data-file-error]");
    if (shown) { shown.textContent = message; shown.hidden = !message; }
    return !message;
  }
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    input.addEventListener("change", function () { check(input); });
  });
  // Capture phase: runs before the busy handler, which then sees the cancelled submit.
  document.addEventListener("submit", function (event) {
    var inputs = event.target.querySelectorAll ? event.target.querySelectorAll("input[type=file][data-max-bytes]") : [];
    inputs.forEach(function (input) { if (!check(input)) event.preventDefault(); });
  }, true);
})();

// Listening: the question read aloud by the browser's own speech synthesis, in the session's
// language, with no network call. "Read questions aloud" is remembered in this browser only.
(function () {
  var box = document.querySelector("[data-listen]");
  var question = document.querySelector(".question-text");
  if (!box || !question || !("speechSynthesis" in window) || !window.SpeechSynthesisUtterance) return;
  var key = "interview-coach.read-aloud";
  var auto = box.querySelector("[data-listen-auto]");
  function speak() {
    window.speechSynthesis.cancel();
    var utterance = new SpeechSynthesisUtterance(question.textContent.trim());
    utterance.lang = box.dataset.lang || document.documentElement.lang || "en-US";
    // A voice for the language when the system has one; otherwise the browser's default.
    var voices = window.speechSynthesis.getVoices() || [];
    var prefix = utterance.lang.slice(0, 2).toLowerCase();
    var voice = voices.filter(function (v) { return (v.lang || "").toLowerCase().indexOf(prefix) === 0; })[0];
    if (voice) utterance.voice = voice;
    window.speechSynthesis.speak(utterance);
  }
  box.hidden = false;
  box.querySelector("[data-listen-play]").addEventListener("click", speak);
  var stored = null;
  try { stored = window.localStorage.getItem(key); } catch (e) { stored = null; }
  auto.checked = stored === "1";
  auto.addEventListener("change", function () {
    try { window.localStorage.setItem(key, auto.checked ? "1" : "0"); } catch (e) { /* private mode */ }
    if (auto.checked) speak(); else window.speechSynthesis.cancel();
  });
  if (auto.checked) speak();
  window.addEventListener("pagehide", function () { window.speechSynthesis.cancel(); });
})();

// Answering by voice: record with MediaRecorder (a level meter and a timer show it is working),
// send the recording to be transcribed, and put the transcript in the answer box to correct
// before submitting. Nothing typed is ever replaced: the transcript is added after it.
(function () {
  var box = document.querySelector("[data-voice]");
  var form = box && box.closest("form");
  if (!box || !form || !window.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  var textarea = form.querySelector("textarea[name=answer]");
  var record = box.querySelector("[data-record]");
  var stop = box.querySelector("[data-stop]");
  var meter = box.querySelector("[data-level]");
  var timer = box.querySelector("[data-timer]");
  var status = box.querySelector("[data-voice-status]");
  var figures = box.querySelector("[data-voice-delivery]");
  var token = form.querySelector("input[name=delivery_token]");
  var maxSeconds = parseInt(box.dataset.maxSeconds, 10) || 300;
  var recorder = null, stream = null, chunks = [], started = 0, ticking = null, audioContext = null;
  box.hidden = false;

  function say(message) { status.textContent = message || ""; }
  function clock(seconds) { return Math.floor(seconds / 60) + ":" + String(Math.floor(seconds % 60)).padStart(2, "0"); }
  function fill(template, values) {
    return Object.keys(values).reduce(function (text, key) { return text.replace("{" + key + "}", values[key]); }, template);
  }

  function watchLevel() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    audioContext = new Context();
    var analyser = audioContext.createAnalyser();
    analyser.fftSize = 512;
    audioContext.createMediaStreamSource(stream).connect(analyser);
    var samples = new Uint8Array(analyser.fftSize);
    (function draw() {
      if (!recorder || recorder.state !== "recording") { meter.value = 0; return; }
      analyser.getByteTimeDomainData(samples);
      var peak = 0;
      for (var i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i] - 128) / 128);
      meter.value = peak;
      window.requestAnimationFrame(draw);
    })();
  }

  function showDelivery(d) {
    figures.textContent = "";
    if (!d) return;
    var lines = [];
    var pace = d.words_per_minute === null ? "—" : fill(d.unit === "characters" ? box.dataset.chars : box.dataset.words, { n: d.words_per_minute });
    if (d.comfortable_wpm) pace += " (" + fill(box.dataset.comfortable, { low: d.comfortable_wpm[0], high: d.comfortable_wpm[1] }) + ")";
    lines.push(box.dataset.pace + " " + pace);
    lines.push(box.dataset.fillers + " " + fill(box.dataset.perMinute, { n: d.fillers_per_minute === null ? 0 : d.fillers_per_minute }));
    lines.push(fill(box.dataset.pauses, { s: Math.round(d.pause_threshold_s) }) + " " + d.long_pauses);
    lines.push(box.dataset.stretch + " " + fill(box.dataset.seconds, { s: d.longest_stretch_s }));
    var wrap = document.createElement("div");
    wrap.className = "delivery";
    wrap.setAttribute("data-delivery-figures", "");
    var head = document.createElement("p");
    head.className = "small";
    var strong = document.createElement("strong");
    strong.textContent = box.dataset.heading;
    var note = document.createElement("span");
    note.className = "muted";
    note.textContent = " " + box.dataset.context;
    head.appendChild(strong); head.appendChild(note);
    var list = document.createElement("ul");
    list.className = "insight-list small";
    lines.forEach(function (line) { var li = document.createElement("li"); li.textContent = line; list.appendChild(li); });
    wrap.appendChild(head); wrap.appendChild(list);
    figures.appendChild(wrap);
  }

  function send(blob) {
    say(box.dataset.transcribing);
    record.disabled = true;
    var data = new FormData();
    data.append("csrf_token", form.querySelector("input[name=csrf_token]").value);
    data.append("question_id", form.querySelector("input[name=question_id]").value);
    var extension = (blob.type.indexOf("ogg") >= 0) ? "ogg" : (blob.type.indexOf("mp4") >= 0 ? "mp4" : "webm");
    data.append("audio", blob, "answer." + extension);
    fetch(box.dataset.transcribeUrl, { method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (reply) {
        if (!reply.ok) { say(reply.body.message || box.dataset.failed); return; }
        var result = reply.body.data;
        var typed = textarea.value.replace(/\s+$/, "");
        textarea.value = typed ? typed + "\n" + result.transcript : result.transcript;
        textarea.dispatchEvent(new Event("input"));
        if (token) token.value = result.delivery_token || "";
        showDelivery(result.delivery);
        say(box.dataset.done);
        textarea.focus();
      })
      .catch(function () { say(box.dataset.failed); })
      .then(function () { record.disabled = false; });
  }

  function finish() {
    if (ticking) { clearInterval(ticking); ticking = null; }
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    if (audioContext) { audioContext.close(); audioContext = null; }
    stop.hidden = true;
    record.hidden = false;
  }

  record.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (s) {
      stream = s;
      chunks = [];
      recorder = new MediaRecorder(stream);
      recorder.addEventListener("dataavailable", function (e) { if (e.data && e.data.size) chunks.push(e.data); });
      recorder.addEventListener("stop", function () {
        finish();
        send(new Blob(chunks, { type: recorder.mimeType || "audio/webm" }));
      });
      recorder.start();
      started = Date.now();
      record.hidden = true;
      stop.hidden = false;
      say(box.dataset.recording);
      watchLevel();
      ticking = setInterval(function () {
        var seconds = (Date.now() - started) / 1000;
        timer.textContent = clock(seconds);
        if (seconds >= maxSeconds && recorder.state === "recording") recorder.stop();
      }, 250);
    }).catch(function () { say(box.dataset.denied); });
  });
  stop.addEventListener("click", function () { if (recorder && recorder.state === "recording") recorder.stop(); });
})();

// Copy buttons (the new API token): copy the target's text and say so on the button.
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  var target = document.querySelector(button.dataset.copy);
  if (!target || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(target.textContent.trim()).then(function () {
      button.textContent = button.dataset.copied || "Copied";
    });
  });
});

// A link to a collapsed report card (#q-12) opens it, so "Fix these first" lands on the detail.
(function () {
  function openTarget() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;  // a follow-up's card sits in its question's
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
