/* Read aloud: a "Listen" button before the lesson text and on each quiz question, spoken by the browser
   (Web Speech API) in a voice of the page's language. Windows and Android usually have a Thai voice; where the
   device has none for this language, no button is shown. One thing speaks at a time; pressing the
   pressed button again stops it, and leaving the page stops it. */
(function () {
  "use strict";
  var synth = window.speechSynthesis;
  var template = document.getElementById("listen-template");
  if (!synth || !window.SpeechSynthesisUtterance || !template) {
    return;
  }
  var language = document.documentElement.lang;
  // Text blocks, each spoken as an utterance of its own (browsers cut very long utterances short).
  var BLOCKS = "h2, h3, h4, h5, h6, p, li, dt, dd, th, td, summary, pre";
  var voice = null;
  var rows = []; // each Listen button, in its row
  var speaking = null; // the pressed button, while it speaks
  var run = 0; // counts each start, so the end of a stopped run changes nothing

  function text(element) {
    return element.textContent.replace(/\s+/g, " ").trim();
  }

  function shown(element) {
    var closed = element.closest("details:not([open])");
    return !closed || (element.closest("summary") && element.closest("details") === closed);
  }

  /* A block's own text, without the blocks inside it (a list item's text, without its list of sub-items). */
  function ownText(block) {
    var copy = block.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(BLOCKS), function (inner) {
      inner.remove();
    });
    return text(copy);
  }

  /* The text of a lesson block by block, in reading order, skipping what a closed <details> hides. */
  function lessonTexts(body) {
    return Array.prototype.filter.call(body.querySelectorAll(BLOCKS), shown).map(ownText);
  }

  /* A question, any hint to it, then its choices. */
  function questionTexts(question, prompt) {
    var parts = [prompt].concat(Array.prototype.slice.call(question.querySelectorAll(".hint, label")));
    return parts.map(text);
  }

  /* What has a Listen button: lessons say so; quiz questions have a .question-text. */
  function readables() {
    var found = [];
    Array.prototype.forEach.call(document.querySelectorAll("[data-read-aloud]"), function (body) {
      found.push({ before: body, texts: function () { return lessonTexts(body); } });
    });
    Array.prototype.forEach.call(document.querySelectorAll(".question"), function (question) {
      var prompt = question.querySelector(".question-text");
      if (prompt) {
        var after = prompt.closest("legend") || prompt; // a button inside a legend would join the question's name
        found.push({ after: after, texts: function () { return questionTexts(question, prompt); } });
      }
    });
    return found;
  }

  function lang(value) {
    return (value || "").replace("_", "-").toLowerCase();
  }

  /* A voice of the page's language: one on the device first (it works offline), then the device's default. */
  function pickVoice() {
    var matching = Array.prototype.filter.call(synth.getVoices() || [], function (candidate) {
      var code = lang(candidate.lang);
      return code === language || code.indexOf(language + "-") === 0;
    });
    matching.sort(function (a, b) {
      return (b.localService - a.localService) || (b.default - a.default);
    });
    return matching[0] || null;
  }

  function press(button, pressed) {
    button.setAttribute("aria-pressed", String(pressed));
  }

  function stop() {
    run += 1;
    if (speaking) {
      press(speaking, false);
      speaking = null;
    }
    synth.cancel();
  }

  function speak(button, texts) {
    stop();
    var mine = run;
    var parts = texts.filter(Boolean);
    if (!parts.length) {
      return;
    }
    speaking = button;
    press(button, true);
    parts.forEach(function (part, index) {
      var utterance = new window.SpeechSynthesisUtterance(part);
      utterance.voice = voice;
      utterance.lang = voice.lang;
      utterance.rate = 0.9; // a little slower than usual, for first-time listeners
      utterance.onstart = function () {
        window.dispatchEvent(new Event("civiclearn-listening")); // a kiosk counts listening as being there
      };
      utterance.onerror = function () {
        if (mine === run) {
          stop();
        }
      };
      if (index === parts.length - 1) {
        utterance.onend = function () {
          if (mine === run) {
            press(button, false);
            speaking = null;
          }
        };
      }
      synth.speak(utterance);
    });
  }

  function addButtons() {
    readables().forEach(function (readable) {
      var row = template.content.firstElementChild.cloneNode(true);
      var button = row.querySelector("button");
      button.addEventListener("click", function () {
        if (speaking === button) {
          stop();
        } else {
          speak(button, readable.texts());
        }
      });
      if (readable.before) {
        readable.before.parentNode.insertBefore(row, readable.before);
      } else {
        readable.after.parentNode.insertBefore(row, readable.after.nextSibling);
      }
      rows.push(row);
    });
  }

  /* Voices often arrive after the page (Chrome loads them, then says "voiceschanged"). */
  function update() {
    voice = pickVoice();
    if (voice && !rows.length) {
      addButtons();
    }
    if (!voice && speaking) {
      stop();
    }
    rows.forEach(function (row) {
      row.hidden = !voice;
    });
  }

  update();
  if (synth.addEventListener) {
    synth.addEventListener("voiceschanged", update);
  } else {
    synth.onvoiceschanged = update;
  }
  window.addEventListener("pagehide", stop);
})();
