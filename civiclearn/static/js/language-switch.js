/* The language switch comes back to the part of the page being read. The switch is at the top of the page,
   so a reader scrolls up to it: what counts is the heading (or section) they were reading while the switch
   was out of sight, or else the address's own #part. A language button sends that id with its form, and
   the server adds it to the address it returns to (civiclearn.i18n). A lesson's headings have the same
   ids in both languages (section-1, section-2...). Without this script the page comes back at its top. */
(function () {
  "use strict";
  var PARTS = "main h2[id], main h3[id], main h4[id], main h5[id], main h6[id], main section[id], main fieldset[id]";
  var switches = document.querySelectorAll("button[name=lang]");
  if (!switches.length) {
    return;
  }
  var reading = null; // the id of the part being read ("" for the top of the page); null: not scrolled yet
  var waiting = false;

  /* The part whose start is nearest the top of the screen (on it or above it), so the page comes back
     showing what it showed; the top of the page counts too, and so does the part the address names. */
  function readingPart() {
    var found = "";
    var distance = window.scrollY;
    var named = window.location.hash.length > 1 ? document.getElementById(window.location.hash.slice(1)) : null;
    var parts = Array.prototype.slice.call(document.querySelectorAll(PARTS)).concat(named ? [named] : []);
    parts.forEach(function (part) {
      var top = part.getBoundingClientRect().top;
      if (part.getClientRects().length && top <= window.innerHeight && Math.abs(top) < distance) {
        found = part.id; // (a part in closed details has no box)
        distance = Math.abs(top);
      }
    });
    return found;
  }

  function follow() {
    waiting = false;
    if (switches[0].getBoundingClientRect().bottom < 0) {
      reading = readingPart();
    }
  }

  window.addEventListener("scroll", function () {
    if (!waiting) {
      waiting = true;
      window.requestAnimationFrame(follow);
    }
  }, { passive: true });
  follow();

  function field(form) {
    var input = form.querySelector("input[data-reading-part]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "anchor";
      input.setAttribute("data-reading-part", "");
      form.appendChild(input);
    }
    return input;
  }

  Array.prototype.forEach.call(switches, function (button) {
    button.addEventListener("click", function () {
      if (button.form) { // the language form, or the page's own form when the switch carries what was typed
        field(button.form).value = reading === null ? window.location.hash.slice(1) : reading;
      }
    });
  });

  /* Back to a page kept by the browser: its forms send nothing extra. */
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      Array.prototype.forEach.call(document.querySelectorAll("input[data-reading-part]"), function (input) {
        input.remove();
      });
    }
  });
})();
